"""Dossier pages from the outside: filing through the e-form, who sees what, officers, lookup."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.accounts.tests.factories import UserFactory, sign_in_with_second_factor
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier, DossierDraft
from motcua.dossiers.tests.factories import World, file_dossier, make_world, pdf

pytestmark = pytest.mark.django_db

# Accepting without the documents ticked valid in the checklist asks the officer to confirm
# (test_officer_dossier.py); these tests are about other things and confirm.
ACCEPT_UNCHECKED = {"transition": "accept", "confirm_unchecked": "on"}


@pytest.fixture
def world() -> World:
    return make_world()


def test_filing_through_the_e_form(client: Client, world: World) -> None:
    client.force_login(world.applicant)
    started = client.post("/ho-so/nop/2.000488/")
    assert started.status_code == 302
    draft = DossierDraft.objects.get(applicant=world.applicant)
    step_url = f"/ho-so/nhap/{draft.pk}/buoc/0/"
    assert started.headers["Location"] == step_url

    # Pre-filled from the profile; a bad answer is shown again with what was typed.
    page = client.get(step_url)
    assert world.applicant.full_name in page.text
    bad = client.post(step_url, {"ho_ten": "x" * 150, "ngay_sinh": "not a date"})
    assert bad.status_code == 400
    assert "x" * 150 in bad.text

    good = client.post(step_url, {"ho_ten": "Nguyễn Văn An", "ngay_sinh": "1990-01-02"})
    assert good.status_code == 302
    draft.refresh_from_db()
    assert draft.data["ho_ten"] == "Nguyễn Văn An"  # saved at the step, resumable anywhere

    review = f"/ho-so/nhap/{draft.pk}/hoan-tat/"
    refused = client.post(review, {"action": "submit", "declared": "on"})
    assert refused.status_code == 400 and "Tờ khai" in refused.text
    wrong_type = client.post(
        review, {"action": "upload", "component": "0", "file": pdf("x.pdf", b"GIF89a....")}
    )
    assert wrong_type.status_code == 400
    client.post(review, {"action": "upload", "component": "0", "file": pdf()})
    submitted = client.post(review, {"action": "submit", "declared": "on"})
    dossier = Dossier.objects.get()
    assert submitted.headers["Location"] == f"/ho-so/{dossier.code}/"
    # A second click files nothing new.
    again = client.post(review, {"action": "submit"})
    assert again.status_code == 302 and Dossier.objects.count() == 1


def test_another_citizen_never_sees_the_dossier_or_its_files(client: Client, world: World) -> None:
    dossier = file_dossier(world)
    attachment = dossier.attachments.get()
    client.force_login(UserFactory.create())
    assert client.get(f"/ho-so/{dossier.code}/").status_code == 404
    assert client.get(f"/ho-so/{dossier.code}/tep/{attachment.pk}/").status_code == 404
    assert dossier.code not in client.get("/ho-so/").text
    response = client.post(f"/ho-so/{dossier.code}/rut/")
    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED

    owner = Client()
    owner.force_login(world.applicant)
    assert owner.get(f"/ho-so/{dossier.code}/").status_code == 200
    download = owner.get(f"/ho-so/{dossier.code}/tep/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_officers_see_only_their_agencys_dossiers(world: World) -> None:
    dossier = file_dossier(world)
    ours, theirs = Client(), Client()
    sign_in_with_second_factor(ours, world.receiver)
    sign_in_with_second_factor(theirs, world.outsider_officer)
    assert dossier.code in ours.get("/can-bo/ho-so/?list=to_receive").text
    assert dossier.code not in theirs.get("/can-bo/ho-so/?list=to_receive").text
    assert theirs.get(f"/can-bo/ho-so/{dossier.code}/").status_code == 404
    refused = theirs.post(f"/can-bo/ho-so/{dossier.code}/xu-ly/", {"transition": "accept"})
    assert refused.status_code == 404

    accepted = ours.post(f"/can-bo/ho-so/{dossier.code}/xu-ly/", ACCEPT_UNCHECKED)
    assert accepted.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.ACCEPTED and dossier.due_at is not None
    not_now = ours.post(f"/can-bo/ho-so/{dossier.code}/xu-ly/", {"transition": "return_result"})
    assert not_now.status_code == 400


def test_officer_pages_need_the_second_factor(client: Client, world: World) -> None:
    dossier = file_dossier(world)
    client.force_login(world.receiver)
    response = client.get(f"/can-bo/ho-so/{dossier.code}/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/second-factor/")


def test_supplement_round_trip(world: World) -> None:
    dossier = file_dossier(world)
    officer, applicant = Client(), Client()
    sign_in_with_second_factor(officer, world.receiver)
    applicant.force_login(world.applicant)
    officer.post(f"/can-bo/ho-so/{dossier.code}/xu-ly/", ACCEPT_UNCHECKED)
    no_reason = officer.post(
        f"/can-bo/ho-so/{dossier.code}/xu-ly/", {"transition": "request_supplement"}
    )
    assert no_reason.status_code == 400
    officer.post(
        f"/can-bo/ho-so/{dossier.code}/xu-ly/",
        {"transition": "request_supplement", "reason": "Thiếu giấy ủy quyền"},
    )
    page = applicant.get(f"/ho-so/{dossier.code}/")
    assert "Thiếu giấy ủy quyền" in page.text
    applicant.post(f"/ho-so/{dossier.code}/bo-sung/tep/", {"component": "1", "file": pdf()})
    applicant.post(f"/ho-so/{dossier.code}/bo-sung/")
    dossier.refresh_from_db()
    assert dossier.status == Status.ACCEPTED
    assert dossier.attachments.filter(for_supplement=True).count() == 1


def test_public_lookup_shows_status_only(client: Client, world: World) -> None:
    dossier = file_dossier(world)
    found = client.get("/tra-cuu-ho-so/", {"code": dossier.code, "secret": dossier.lookup_secret})
    assert found.status_code == 200
    assert dossier.get_status_display() in found.text or "Mới" in found.text
    assert world.applicant.full_name not in found.text
    wrong = client.get("/tra-cuu-ho-so/", {"code": dossier.code, "secret": "WRONG"})
    assert wrong.status_code == 404
    assert client.get("/tra-cuu-ho-so/", {"code": "x" * 500}).status_code == 400


def test_receipt_and_control_sheet_pdfs(world: World) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    dossier = file_dossier(world)
    applicant, stranger, desk = Client(), Client(), Client()
    applicant.force_login(world.applicant)
    stranger.force_login(UserFactory.create())
    sign_in_with_second_factor(desk, world.receiver)
    assert applicant.get(f"/ho-so/{dossier.code}/mau-01.pdf").status_code == 404  # not yet
    desk.post(f"/can-bo/ho-so/{dossier.code}/xu-ly/", ACCEPT_UNCHECKED)

    receipt = applicant.get(f"/ho-so/{dossier.code}/mau-01.pdf")
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(receipt.content)).pages)
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả".lower() in text.lower()
    assert dossier.code in text
    assert stranger.get(f"/ho-so/{dossier.code}/mau-01.pdf").status_code == 404
    assert applicant.get(f"/ho-so/{dossier.code}/mau-06.pdf").status_code == 404  # officers only
    sheet = desk.get(f"/ho-so/{dossier.code}/mau-06.pdf")
    assert sheet.status_code == 200 and sheet.content.startswith(b"%PDF")


@pytest.mark.parametrize("case", ["7", "-1", "abc"])
def test_an_unknown_case_is_refused_not_a_server_error(
    client: Client, world: World, case: str
) -> None:
    client.force_login(world.applicant)
    response = client.post("/ho-so/nop/2.000488/", {"case": case})
    assert response.status_code == 302
    assert response.headers["Location"] == "/thu-tuc/2.000488/nop-truc-tuyen/"
    assert not DossierDraft.objects.exists()


def test_my_dossiers_lists_drafts_and_pages_of_twenty(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    filed = [file_dossier(world) for _ in range(21)]
    draft = services.start_draft(user=world.applicant, procedure=world.procedure, acting_for=None)
    client.force_login(world.applicant)
    client.get("/ho-so/")  # the session's first renewal after signing in
    # Session, user, the page's dossiers and the drafts: no count, no query per row.
    with django_assert_max_num_queries(4):
        first = client.get("/ho-so/")
    assert first.status_code == 200
    newest_first = sorted(filed, key=lambda d: (d.submitted_at, d.pk), reverse=True)
    assert all(dossier.code in first.text for dossier in newest_first[:20])
    assert newest_first[20].code not in first.text
    assert 'rel="next" href="?page=2"' in first.text
    assert f'href="/ho-so/nhap/{draft.pk}/buoc/0/">{world.procedure.name}</a>' in first.text
    second = client.get("/ho-so/", {"page": "2"})
    assert newest_first[20].code in second.text and 'rel="next"' not in second.text
    assert newest_first[0].code in client.get("/ho-so/", {"page": "nonsense"}).text
