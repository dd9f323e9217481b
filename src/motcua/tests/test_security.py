"""Answer headers from the outside: CSP, caching of personal data, frames, and files."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import Resolver404, clear_url_caches, resolve, reverse

from motcua.accounts.tests.factories import sign_in_with_second_factor
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Transition
from motcua.dossiers.tests import pdfs
from motcua.dossiers.tests.factories import bearer, file_dossier, make_world, pdf
from motcua.payments.tests.test_pages import paid_payment
from motcua.results.models import IssuedResult
from motcua.results.tests.conftest import processing_dossier

SRC = Path(__file__).resolve().parents[1]


def assert_file_answer(response: Any, *, content_type: str, ascii_name: str) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''")
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy
    assert response["Cache-Control"] == "private, no-store"


# --- files -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_attachment_downloads_under_a_safe_name_of_its_real_type(client: Client) -> None:
    world = make_world()
    draft = services.start_draft(user=world.applicant, procedure=world.procedure, acting_for=None)
    services.save_draft(draft=draft, user=world.applicant, values={"ho_ten": "An"})
    services.attach(
        draft=draft,
        user=world.applicant,
        component_position=0,
        upload=pdf('Đơn xin "cấp"\r\nphép.html', pdfs.printed()),
    )
    dossier = services.submit(draft=draft, user=world.applicant, form_errors={})
    item = dossier.attachments.get()
    client.force_login(world.applicant)
    response = client.get(f"/ho-so/{dossier.code}/tep/{item.pk}/")
    assert_file_answer(response, content_type="application/pdf", ascii_name="Don_xin_cap_phep.pdf")
    # The name as typed, with its letters, in RFC 5987's form; the extension is the bytes' own.
    assert response["Content-Disposition"].endswith(
        "filename*=UTF-8''%C4%90%C6%A1n%20xin%20%22c%E1%BA%A5p%22ph%C3%A9p.pdf"
    )


@pytest.mark.django_db
def test_every_file_the_platform_makes_is_answered_the_same_way() -> None:
    world = make_world()
    dossier = processing_dossier(world)
    applicant = Client()
    applicant.force_login(world.applicant)
    officer = Client()
    sign_in_with_second_factor(officer, world.approver)

    receipt_01 = applicant.get(f"/ho-so/{dossier.code}/mau-01.pdf")
    assert_file_answer(
        receipt_01, content_type="application/pdf", ascii_name=f"{dossier.code}-mau-01.pdf"
    )
    sheet_06 = officer.get(f"/ho-so/{dossier.code}/mau-06.pdf")
    assert_file_answer(
        sheet_06, content_type="application/pdf", ascii_name=f"{dossier.code}-mau-06.pdf"
    )

    services.act(dossier=dossier, user=world.approver, transition=Transition.DECIDE)
    result = IssuedResult.objects.live().get(dossier=dossier)
    signed = applicant.get(f"/ket-qua/{result.pk}.pdf")
    assert_file_answer(signed, content_type="application/pdf", ascii_name=f"{result.number}.pdf")


@pytest.mark.django_db
def test_receipts_and_reports_are_answered_as_files(settings: Any) -> None:
    settings.MOTCUA_PAYMENT_SANDBOX_ENABLED = True
    settings.MOTCUA_PAYMENT_GATEWAY = "sandbox"
    settings.MOTCUA_PAYMENT_BASE_URL = ""
    payer_world, payment = paid_payment()
    payer = Client()
    payer.force_login(payer_world.applicant)
    receipt = payer.get(reverse("payments:receipt", kwargs={"order_ref": payment.order_ref}))
    assert_file_answer(
        receipt, content_type="application/pdf", ascii_name=f"bien-lai-{payment.order_ref}.pdf"
    )
    cashier = Client()
    sign_in_with_second_factor(cashier, payer_world.receiver)
    report = cashier.get(reverse("payments:officer_report_csv"))
    assert report.content.startswith("\ufeff".encode())
    assert report["Content-Disposition"].startswith('attachment; filename="thanh-toan-')
    assert report["Content-Security-Policy"].startswith("sandbox")
    assert report["Cache-Control"] == "private, no-store"


def test_no_url_serves_stored_files_even_in_debug(settings: Any) -> None:
    """``/media/`` used to be served to anyone in debug (the demo), by file name."""
    import motcua.urls

    settings.DEBUG = True
    try:
        importlib.reload(motcua.urls)
        clear_url_caches()
        with pytest.raises(Resolver404):
            resolve("/media/attachments/" + "a" * 64)
        with pytest.raises(Resolver404):
            resolve("/media/results/x.pdf")
    finally:
        settings.DEBUG = False
        importlib.reload(motcua.urls)
        clear_url_caches()


# --- pages -------------------------------------------------------------------------------------


def policy_of(response: Any) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (p.strip() for p in header.split(";"))
        if part
    }


def assert_page_policy(response: Any) -> None:
    policy = policy_of(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/thu-tuc/",
        "/co-quan/",
        "/tra-cuu-ho-so/",
        "/verify/",
        "/accounts/login/",
        "/api/v1/docs/",
        "/khong-co-trang-nay/",
        "/sandbox/eid/.well-known/openid-configuration",
    ],
)
def test_every_page_has_the_policy(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code in (200, 404), url
    assert_page_policy(response)


@pytest.mark.django_db
def test_the_api_docs_start_from_a_script_file_not_an_inline_script(client: Client) -> None:
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) and "<style" not in html
    script = re.search(r'<script src="([^"]*script=[^"]*)"', html)
    assert script is not None
    code = client.get(script.group(1).replace("&amp;", "&"))
    assert code.status_code == 200 and "SwaggerUIBundle" in code.content.decode()
    assert client.get("/api/v1/schema/").status_code == 200


@pytest.mark.django_db
def test_personal_pages_are_kept_in_no_cache() -> None:
    world = make_world()
    dossier = file_dossier(world)
    anonymous = Client()
    assert "no-store" not in anonymous.get("/thu-tuc/").get("Cache-Control", "")

    citizen = Client()
    citizen.force_login(world.applicant)
    for url in ["/", "/thu-tuc/", "/ho-so/", f"/ho-so/{dossier.code}/", "/accounts/profile/"]:
        response = citizen.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url
        assert_page_policy(response)

    officer = Client()
    sign_in_with_second_factor(officer, world.receiver)
    for url in ["/can-bo/", f"/can-bo/ho-so/{dossier.code}/"]:
        response = officer.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url

    # Token-protected answers, without a signed-in user.
    lookup = anonymous.get(
        "/tra-cuu-ho-so/", {"code": dossier.code, "secret": dossier.lookup_secret}
    )
    assert lookup.status_code == 200 and lookup["Cache-Control"] == "private, no-store"
    api = Client().get(f"/api/v1/dossiers/{dossier.code}/", **bearer(world.applicant))
    assert api.status_code == 200 and api["Cache-Control"] == "private, no-store"
    me = Client().get("/api/v1/me/", **bearer(world.applicant))
    assert me.status_code == 200 and me["Cache-Control"] == "private, no-store"


# --- templates ---------------------------------------------------------------------------------

INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on* event handler"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style", re.I), "<style> element"),
    (re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I), "javascript: URL"),
]


def test_no_template_needs_inline_script_or_style() -> None:
    """The policy allows none: anything inline would silently stop working."""
    found = [
        f"{path.relative_to(SRC)}: {what}"
        for path in SRC.rglob("templates/**/*.html")
        for pattern, what in INLINE
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
