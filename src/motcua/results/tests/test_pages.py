"""Download, the dossier-page panel, postal delivery and revocation, from the outside."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from motcua.accounts.tests.factories import UserFactory, sign_in_with_second_factor
from motcua.dossiers.lifecycle import Transition
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import act
from motcua.dossiers.tests.factories import World, officer
from motcua.results import selectors, services
from motcua.results.models import DeliveryStatus, IssuedResult, PostalDelivery, ResultTemplate
from motcua.results.tests.conftest import processing_dossier

pytestmark = pytest.mark.django_db
ADDRESS = {
    "recipient": "Nguyễn Văn An",
    "address": "12 Lê Lợi, phường Hải Châu, Đà Nẵng",
    "phone": "0905 123 456",
}


@pytest.fixture
def result(world: World, dossier: Dossier) -> IssuedResult:
    """The dossier decided: the decide step signs its result (status 9)."""
    act(dossier=dossier, user=world.approver, transition=Transition.DECIDE)
    dossier.refresh_from_db()
    return IssuedResult.objects.live().get(dossier=dossier)


def client_for(user: object, *, officer_session: bool = False) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    if officer_session:
        sign_in_with_second_factor(client, user)  # type: ignore[arg-type]
    else:
        client.force_login(user)  # type: ignore[arg-type]
    return client


def download_url(result: IssuedResult) -> str:
    return f"/ket-qua/{result.pk}.pdf"


def test_the_applicant_downloads_once_the_dossier_is_decided(world: World) -> None:
    applicant = client_for(world.applicant)
    processing = processing_dossier(world)
    early = services.issue_result(dossier=processing, officer=world.approver)
    assert applicant.get(download_url(early)).status_code == 404  # still processing
    assert (
        client_for(world.approver, officer_session=True).get(download_url(early)).status_code == 200
    )

    dossier = processing_dossier(world)
    act(dossier=dossier, user=world.approver, transition=Transition.DECIDE)
    result = IssuedResult.objects.live().get(dossier=dossier)
    response = applicant.get(download_url(result))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == result.file.open("rb").read()  # type: ignore[attr-defined]
    act(dossier=dossier, user=world.receiver, transition=Transition.RETURN_RESULT)
    assert applicant.get(download_url(result)).status_code == 200


def test_others_get_404(world: World, dossier: Dossier, result: IssuedResult) -> None:
    assert client_for(UserFactory.create()).get(download_url(result)).status_code == 404
    outsider = client_for(world.outsider_officer, officer_session=True)
    assert outsider.get(download_url(result)).status_code == 404
    # An officer of the agency without the second factor in this session: not an officer yet.
    assert client_for(world.processor).get(download_url(result)).status_code == 404
    anonymous = Client().get(download_url(result))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_officers_of_the_dossier_download_at_any_status(world: World, result: IssuedResult) -> None:
    for user in (world.receiver, world.processor, world.approver):
        response = client_for(user, officer_session=True).get(download_url(result))
        assert response.status_code == 200


def test_the_panel_for_the_applicant_and_the_officer(
    world: World, dossier: Dossier, result: IssuedResult
) -> None:
    processing = processing_dossier(world)
    services.issue_result(dossier=processing, officer=world.approver)
    assert selectors.result_panel(dossier=processing, user=world.applicant)["result"] is None
    request = RequestFactory().get(f"/ho-so/{dossier.code}/")
    request.user = world.applicant
    request.session = {}  # type: ignore[assignment]
    panel = selectors.result_panel(dossier=dossier, user=world.applicant)
    html = render_to_string("results/_dossier_result.html", {"panel": panel}, request=request)
    assert download_url(result) in html and f"/verify/{result.token}/" in html
    assert 'name="recipient"' in html and 'for="id_delivery_recipient"' in html
    assert "thu-hoi" not in html  # no revocation for the applicant
    stranger = selectors.result_panel(dossier=dossier, user=UserFactory.create())
    assert stranger["result"] is None


def test_the_postal_delivery_flow(world: World, dossier: Dossier, result: IssuedResult) -> None:
    applicant = client_for(world.applicant)
    ask = f"/ket-qua/{result.pk}/gui-buu-chinh/"
    bad = applicant.post(ask, {**ADDRESS, "phone": "call me"})
    assert bad.status_code == 400 and "12 Lê Lợi" in bad.text  # what was typed is kept
    done = applicant.post(ask, {**ADDRESS, "next": f"/ho-so/{dossier.code}/"})
    assert done.status_code == 302 and done["Location"] == f"/ho-so/{dossier.code}/"
    delivery = PostalDelivery.objects.get(result=result)
    assert delivery.status == DeliveryStatus.REQUESTED and delivery.phone == "0905 123 456"
    again = applicant.post(ask, ADDRESS)
    assert again.status_code == 400 and "already requested" in again.text
    assert PostalDelivery.objects.count() == 1

    update = f"/can-bo/ket-qua/{result.pk}/buu-chinh/"
    receiver = client_for(world.receiver, officer_session=True)
    no_number = receiver.post(update, {"status": "sent"})
    assert no_number.status_code == 400 and "tracking number" in no_number.text
    skip = receiver.post(update, {"status": "delivered"})
    assert skip.status_code == 400
    assert (
        receiver.post(update, {"status": "sent", "tracking_number": "EB123456789VN"}).status_code
        == 302
    )
    assert (
        receiver.post(update, {"status": "returned", "note": "Không có người nhận"}).status_code
        == 302
    )
    assert (
        receiver.post(update, {"status": "sent", "tracking_number": "EB987654321VN"}).status_code
        == 302
    )
    assert receiver.post(update, {"status": "delivered"}).status_code == 302
    assert receiver.post(update, {"status": "returned"}).status_code == 400  # delivered is final
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.tracking_number == "EB987654321VN"
    history = list(delivery.events.values_list("status", "tracking_number", "actor"))
    assert history == [
        ("requested", "", world.applicant.pk),
        ("sent", "EB123456789VN", world.receiver.pk),
        ("returned", "", world.receiver.pk),
        ("sent", "EB987654321VN", world.receiver.pk),
        ("delivered", "", world.receiver.pk),
    ]
    # The applicant sees the status and its history on the dossier page's panel.
    panel = selectors.result_panel(dossier=dossier, user=world.applicant)
    assert panel["delivery"].status == "delivered" and len(panel["delivery_events"]) == 5
    assert "request_form" not in panel


def test_who_may_ask_and_update_a_delivery(
    world: World, dossier: Dossier, result: IssuedResult
) -> None:
    early = services.issue_result(dossier=processing_dossier(world), officer=world.approver)
    not_decided = f"/ket-qua/{early.pk}/gui-buu-chinh/"
    assert client_for(world.applicant).post(not_decided, ADDRESS).status_code == 404
    ask = f"/ket-qua/{result.pk}/gui-buu-chinh/"
    assert client_for(UserFactory.create()).post(ask, ADDRESS).status_code == 404
    with pytest.raises(services.NotAllowed):
        services.request_postal_delivery(result=result, user=world.receiver, **ADDRESS)
    client_for(world.applicant).post(ask, ADDRESS)

    update = f"/can-bo/ket-qua/{result.pk}/buu-chinh/"
    sent = {"status": "sent", "tracking_number": "EB1VN"}
    assert (
        client_for(world.outsider_officer, officer_session=True).post(update, sent).status_code
        == 404
    )
    assert client_for(world.applicant).post(update, sent).status_code in (302, 404)
    other_desk = officer(world.other_agency, "receiver")
    assert client_for(other_desk, officer_session=True).post(update, sent).status_code == 404
    assert PostalDelivery.objects.get().status == DeliveryStatus.REQUESTED


def test_a_revoked_result_cannot_be_posted(
    world: World, dossier: Dossier, result: IssuedResult
) -> None:
    services.revoke_result(result=result, officer=world.approver, reason="Sai")
    with pytest.raises(services.ResultError, match="revoked"):
        services.request_postal_delivery(result=result, user=world.applicant, **ADDRESS)
    panel = selectors.result_panel(dossier=dossier, user=world.applicant)
    assert panel["revoked"] is True and "request_form" not in panel


def test_revoking_from_the_officer_page(
    world: World, dossier: Dossier, result: IssuedResult
) -> None:
    url = f"/can-bo/ket-qua/{result.pk}/thu-hoi/"
    processor = client_for(world.processor, officer_session=True)
    refused = processor.post(url, {"reason": "Sai"})
    assert refused.status_code == 400 and "Only an approver" in refused.text
    approver = client_for(world.approver, officer_session=True)
    assert approver.post(url, {"reason": ""}).status_code == 400
    assert approver.post(url, {"reason": "Sai ngày sinh"}).status_code == 302
    result.refresh_from_db()
    assert result.is_revoked and result.revocation_reason == "Sai ngày sinh"
    assert (
        client_for(world.outsider_officer, officer_session=True)
        .post(url, {"reason": "x"})
        .status_code
        == 404
    )


def test_a_template_with_a_syntax_error_is_a_form_error(world: World) -> None:
    template = ResultTemplate(procedure=world.procedure, title="Kết quả", body="{% if %}")
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "body" in error.value.message_dict


def test_the_admin_shows_the_syntax_error(world: World) -> None:
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    client = client_for(admin, officer_session=True)
    response = client.post(
        "/admin/results/resulttemplate/add/",
        {"procedure": world.procedure.pk, "title": "Kết quả", "body": "{{ form.ho_ten|nope }}"},
    )
    assert response.status_code == 200 and "cannot be read" in response.text
    assert not ResultTemplate.objects.exists()


def test_the_admin_action_revokes_with_a_reason(world: World, result: IssuedResult) -> None:
    world.approver.is_staff = True
    world.approver.is_superuser = True
    world.approver.save()
    client = client_for(world.approver, officer_session=True)
    url = "/admin/results/issuedresult/"
    ask = client.post(url, {"action": "revoke_results", "_selected_action": [result.pk]})
    assert ask.status_code == 200 and result.number in ask.text
    client.post(
        url,
        {
            "action": "revoke_results",
            "_selected_action": [result.pk],
            "apply": "1",
            "reason": "Cấp nhầm",
        },
    )
    result.refresh_from_db()
    assert result.is_revoked and result.revoked_by == world.approver


def test_a_revoked_result_is_replaced_by_a_corrected_one_signed_by_an_approver(
    world: World, dossier: Dossier, result: IssuedResult
) -> None:
    approver = client_for(world.approver, officer_session=True)
    reissue_url = f"/can-bo/ho-so/{dossier.code}/ky-lai-ket-qua/"
    # Not while the result is in force.
    approver.post(reissue_url)
    assert IssuedResult.objects.filter(dossier=dossier).count() == 1
    services.revoke_result(result=result, officer=world.approver, reason="Sai ngày sinh")
    page = approver.get(f"/can-bo/ho-so/{dossier.code}/")
    assert reissue_url in page.content.decode()
    # A processor may not sign; another agency's officer does not even see the dossier.
    client_for(world.processor, officer_session=True).post(reissue_url)
    assert (
        client_for(world.outsider_officer, officer_session=True).post(reissue_url).status_code
        == 404
    )
    assert not IssuedResult.objects.live().filter(dossier=dossier).exists()
    response = approver.post(reissue_url)
    assert response.status_code == 302
    corrected = IssuedResult.objects.live().get(dossier=dossier)
    assert corrected.pk != result.pk and corrected.number.endswith("-2")
    applicant_page = client_for(world.applicant).get(f"/ho-so/{dossier.code}/").content.decode()
    assert download_url(corrected) in applicant_page
