"""National e-ID sign-in, end to end against the sandbox provider.

The browser side runs through Django's test client; the back channel (discovery, JWKS, token)
goes over real HTTP to a live server, as it would to the national provider.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client, RequestFactory
from joserfc import jwt
from joserfc.errors import BadSignatureError, ExpiredTokenError, InvalidClaimError

from motcua.accounts import eid
from motcua.accounts.models import AuditAction, AuditEvent, Business, User
from motcua.catalog.tests.factories import make_procedure
from motcua.sandbox_eid.clients import DEFAULT_CLIENT_ID, default_client_secret
from motcua.sandbox_eid.models import SandboxIdentity
from motcua.sandbox_eid.services import signing_key_set
from motcua.sandbox_eid.tests.helpers import AuthorizationRequest, sign_in

# Transactional (the live server sees committed rows); the seeded sandbox identities are
# restored after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CALLBACK = "/accounts/eid/callback/"


@pytest.fixture
def provider(live_server: Any, settings: Any, sandbox_identities: None) -> str:
    settings.MOTCUA_SANDBOX_ENABLED = True
    settings.MOTCUA_EID_DISCOVERY_URL = (
        f"{live_server.url}/sandbox/eid/.well-known/openid-configuration"
    )
    # The national provider plugin, pointed at the sandbox: the platform's registration there.
    settings.MOTCUA_EID_CLIENT_ID = DEFAULT_CLIENT_ID
    settings.MOTCUA_EID_CLIENT_SECRET = default_client_secret()
    return str(live_server.url)


def identity(name: str) -> SandboxIdentity:
    return SandboxIdentity.objects.get(name=name)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def front_channel(client: Client, who: SandboxIdentity) -> str:
    """Start at the platform, choose an identity at the provider; return the callback URL."""
    start = client.get("/accounts/eid/start/")
    assert start.status_code == 302, start.content
    authorize = path_of(start["Location"])
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    assert client.get(authorize).status_code == 200
    chosen = client.post(authorize, {"identity": who.sub, "action": "allow"})
    assert chosen.status_code == 302, chosen.content
    return path_of(chosen["Location"])


def test_citizen_signs_in_and_the_account_is_created(client: Client, provider: str) -> None:
    who = identity("Nguyễn Văn An")
    done = client.get(front_channel(client, who))
    assert done.status_code == 302 and done["Location"] == "/accounts/"
    user = User.objects.get(personal_id=who.personal_id)
    assert (user.full_name, user.assurance_level) == ("Nguyễn Văn An", 2)
    assert user.eid_subject == who.sub
    assert client.get("/accounts/").status_code == 200
    sign_in_event = AuditEvent.objects.get(action=AuditAction.SIGN_IN, actor=user)
    assert sign_in_event.detail == {"method": "national_eid"}

    # A second sign-in links the same account.
    client.logout()
    client.get(front_channel(client, who))
    assert User.objects.filter(personal_id=who.personal_id).count() == 1


def test_level_one_identity_is_refused_a_level_two_procedure(client: Client, provider: str) -> None:
    make_procedure(code="2.000488", name="Cấp Phiếu lý lịch tư pháp", required_assurance_level=2)
    level_one = SandboxIdentity.objects.filter(assurance_level="1", account_type=1).first()
    assert level_one is not None
    client.get(front_channel(client, level_one))
    assert User.objects.get(personal_id=level_one.personal_id).assurance_level == 1
    refused = client.get("/thu-tuc/2.000488/nop-truc-tuyen/")
    assert refused.status_code == 403


def test_business_sign_in_acts_for_the_business(client: Client, provider: str) -> None:
    who = SandboxIdentity.objects.filter(account_type=2).first()
    assert who is not None
    client.get(front_channel(client, who))
    business = Business.objects.get(tax_code=who.tax_code)
    assert business.name in client.get("/accounts/").text  # the "acting for" banner


def test_a_replayed_callback_is_refused(client: Client, provider: str) -> None:
    callback = front_channel(client, identity("Nguyễn Văn An"))
    assert client.get(callback).status_code == 302
    client.logout()
    replay = client.get(callback)
    assert replay.status_code == 400
    assert not replay.wsgi_request.user.is_authenticated
    assert AuditEvent.objects.filter(action=AuditAction.EID_FAILED).exists()


def test_a_callback_for_another_browser_is_refused(client: Client, provider: str) -> None:
    callback = front_channel(client, identity("Nguyễn Văn An"))
    stranger = Client()
    response = stranger.get(callback)
    assert response.status_code == 400
    assert not User.objects.exists()


def test_a_wrong_nonce_is_refused(client: Client, provider: str) -> None:
    callback = front_channel(client, identity("Nguyễn Văn An"))
    state = parse_qs(urlsplit(callback).query)["state"][0]
    session = client.session
    key = next(k for k in session.keys() if k.endswith(state))  # noqa: SIM118 (not a dict)
    stored = session[key]
    stored["data"]["nonce"] = "not-the-nonce-sent"
    session[key] = stored
    session.save()
    response = client.get(callback)
    assert response.status_code == 400
    assert not User.objects.exists()


def test_provider_down_gives_a_friendly_page(client: Client, settings: Any) -> None:
    settings.MOTCUA_EID_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    response = client.get("/accounts/eid/start/")
    assert response.status_code == 503
    assert "/accounts/eid/start/" in response.text  # a retry link


# --- the ID token checks, on tokens issued by the provider ---------------------------------


def issued_tokens(client: Client, live_url: str) -> tuple[dict[str, Any], str]:
    request = AuthorizationRequest()
    code = sign_in(client, request, identity("Nguyễn Văn An"))
    response = requests.post(
        f"{live_url}/sandbox/eid/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "http://testserver/accounts/eid/callback/",
            "code_verifier": request.verifier,
        },
        auth=(DEFAULT_CLIENT_ID, default_client_secret()),
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json(), request.nonce


def platform_client() -> Any:
    return eid.eid_client(RequestFactory().get("/"))


def test_a_genuine_id_token_passes_and_a_tampered_one_is_refused(
    client: Client, provider: str
) -> None:
    token, nonce = issued_tokens(client, provider)
    claims = platform_client().parse_id_token(token, nonce=nonce)
    assert claims["personal_id"] == identity("Nguyễn Văn An").personal_id

    header, payload, signature = token["id_token"].split(".")
    forged_payload = payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB")
    tampered = {**token, "id_token": f"{header}.{forged_payload}.{signature}"}
    with pytest.raises((BadSignatureError, ValueError)):
        platform_client().parse_id_token(tampered, nonce=nonce)


def test_a_token_with_another_nonce_is_refused(client: Client, provider: str) -> None:
    token, _nonce = issued_tokens(client, provider)
    with pytest.raises(InvalidClaimError):
        platform_client().parse_id_token(token, nonce="another-nonce")


def test_an_expired_id_token_is_refused(client: Client, provider: str) -> None:
    token, nonce = issued_tokens(client, provider)
    key_set = signing_key_set()
    decoded = jwt.decode(token["id_token"], key_set)
    past = int(time.time()) - 3600
    expired_claims = {**decoded.claims, "iat": past - 600, "exp": past}
    expired = jwt.encode(decoded.header, expired_claims, key_set)
    with pytest.raises(ExpiredTokenError):
        platform_client().parse_id_token({**token, "id_token": expired}, nonce=nonce)


def test_provider_errors_reach_the_person_as_a_page(client: Client, provider: str) -> None:
    start = client.get("/accounts/eid/start/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get(CALLBACK, {"error": "access_denied", "state": state})
    assert response.status_code == 400
    assert "/accounts/eid/start/" in response.text  # sign in again
    assert not response.wsgi_request.user.is_authenticated


def test_no_personal_data_in_the_logs(
    client: Client, provider: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    who = identity("Nguyễn Văn An")
    client.get(front_channel(client, who))
    client.get("/accounts/")
    assert User.objects.filter(personal_id=who.personal_id).exists()
    logged = caplog.text
    for personal in (who.personal_id, who.name, who.email, who.phone_number):
        assert personal and personal not in logged, personal


def test_a_level_two_eid_sign_in_may_enrol_the_second_factor(client: Client, provider: str) -> None:
    who = identity("Nguyễn Văn An")
    client.get(front_channel(client, who))
    assert "<svg" in client.get("/accounts/second-factor/").text


def test_a_level_one_eid_sign_in_may_not_enrol_it(client: Client, provider: str) -> None:
    level_one = SandboxIdentity.objects.filter(assurance_level="1", account_type=1).first()
    assert level_one is not None
    client.get(front_channel(client, level_one))
    page = client.get("/accounts/second-factor/")
    assert page.status_code == 200 and "<svg" not in page.text
