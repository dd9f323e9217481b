"""Uploads that could act when an officer opens them are refused; each person has a quota."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.accounts.models import User
from motcua.dossiers import services
from motcua.dossiers.models import Attachment, DossierDraft
from motcua.dossiers.tests import pdfs
from motcua.dossiers.tests.factories import World, bearer, make_world, pdf
from motcua.dossiers.uploads import UploadRefused, check_upload

pytestmark = pytest.mark.django_db

JS_ACTION = b"/OpenAction << /S /JavaScript /JS (app.alert(document.cookie)) >>"
SCRIPT = b"<< /Length 14 >>\nstream\napp.alert(1);\nendstream"

ACTIVE = {
    "open action running JavaScript": pdfs.plain(JS_ACTION),
    "names written with #xx escapes": pdfs.plain(b"/OpenAction << /S /Java#53cript /J#53 (x) >>"),
    "script kept in a stream": pdfs.plain(
        b"/OpenAction << /S /JavaScript /JS 4 0 R >>", b"", SCRIPT
    ),
    "document JavaScript name tree": pdfs.plain(
        b"/Names << /JavaScript 4 0 R >>",
        b"",
        b"<< /Names [(init) 5 0 R] >>",
        b"<< /S /JavaScript /JS (app.alert(1)) >>",
    ),
    "launching a program": pdfs.plain(b"/OpenAction << /S /Launch /F (calc.exe) >>"),
    "additional actions on a page": pdfs.plain(b"", b"/AA << /O << /S /GoTo /D [3 0 R /Fit] >> >>"),
    "inside a compressed object stream": pdfs.compressed(JS_ACTION),
    "launch inside an object stream": pdfs.compressed(b"/OpenAction 4 0 R", b"<< /S /Launch >>"),
    # Not in the cross-reference table: a viewer repairing the file could still find it.
    "an object the xref leaves out": pdfs.plain()
    + b"9 0 obj\n<< /Type /Action /S /JavaScript /JS (x) >>\nendobj\n",
}


# The content checks need no database: no quota is counted for them.
SOMEONE = User(username="khach")


@pytest.fixture(autouse=True)
def _no_quota_unless_asked(settings: Any, request: pytest.FixtureRequest) -> None:
    if "world" not in request.fixturenames:
        settings.MOTCUA_STORAGE_QUOTA_BYTES = 0


@pytest.mark.parametrize("content", ACTIVE.values(), ids=ACTIVE.keys())
def test_pdfs_that_run_something_are_refused(content: bytes) -> None:
    with pytest.raises(UploadRefused, match="scripts or actions"):
        check_upload(pdf("to-khai.pdf", content), uploader=SOMEONE)


@pytest.mark.parametrize(
    "content",
    [
        pdfs.printed(),  # fpdf2 writes an /OpenAction that only shows the first page
        pdfs.plain(b"/OpenAction [3 0 R /Fit]"),
        pdfs.compressed(b"/Lang (vi)"),
        pdfs.with_password(pdfs.printed(), ""),  # encrypted, no password to open it
    ],
    ids=["printed", "open at a page", "object streams", "owner password only"],
)
def test_ordinary_pdfs_are_accepted(content: bytes) -> None:
    assert (
        check_upload(pdf("to-khai.pdf", content), uploader=SOMEONE).content_type
        == "application/pdf"
    )


def test_password_protected_pdfs_are_refused() -> None:
    with pytest.raises(UploadRefused, match="Password"):
        check_upload(
            pdf("to-khai.pdf", pdfs.with_password(pdfs.printed(), "secret")), uploader=SOMEONE
        )


def test_unreadable_pdf_with_object_streams_is_refused() -> None:
    broken = pdfs.compressed(JS_ACTION).replace(b"/Type /XRef", b"/Type /XReX")
    broken = broken.replace(b"startxref", b"startxxx")
    with pytest.raises(UploadRefused):
        check_upload(pdf("to-khai.pdf", broken), uploader=SOMEONE)


@pytest.fixture
def world() -> World:
    return make_world()


def test_the_filing_page_says_why_a_scripted_pdf_is_refused(client: Client, world: World) -> None:
    client.force_login(world.applicant)
    client.post("/ho-so/nop/2.000488/")
    draft = DossierDraft.objects.get()
    page = client.post(
        f"/ho-so/nhap/{draft.pk}/hoan-tat/",
        {
            "action": "upload",
            "component": "0",
            "file": pdf("don.pdf", ACTIVE["launching a program"]),
        },
    )
    assert page.status_code == 400
    assert "Không nhận tệp PDF có mã lệnh hoặc thao tác tự động" in page.text
    assert not Attachment.objects.exists()


def test_one_call_filing_refuses_a_scripted_pdf(client: Client, world: World) -> None:
    answer = client.post(
        "/api/v1/dossiers/",
        {
            "procedure": "2.000488",
            "data": '{"ho_ten": "Nguyễn Văn An", "ngay_sinh": "1990-05-17"}',
            "component_0": pdf("don.pdf", ACTIVE["inside a compressed object stream"]),
        },
        headers={"Idempotency-Key": "k-1"},
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(world.applicant),
    )
    assert answer.status_code == 400, answer.content
    assert "scripts or actions" in answer.content.decode()


# --- quota ---------------------------------------------------------------------------------


def test_each_persons_files_stay_within_the_quota(
    client: Client, world: World, settings: object
) -> None:
    settings.MOTCUA_STORAGE_QUOTA_BYTES = 2 * len(pdfs.printed()) + 10  # type: ignore[attr-defined]
    client.force_login(world.applicant)
    client.post("/ho-so/nop/2.000488/")
    draft = DossierDraft.objects.get()
    review = f"/ho-so/nhap/{draft.pk}/hoan-tat/"
    for _ in range(2):
        upload = SimpleUploadedFile("a.pdf", pdfs.printed(), "application/pdf")
        assert (
            client.post(review, {"action": "upload", "component": "0", "file": upload}).status_code
            == 302
        )
    third = client.post(
        review,
        {"action": "upload", "component": "1", "file": pdf("b.pdf", pdfs.printed())},
    )
    assert third.status_code == 400 and "vượt quá dung lượng lưu trữ" in third.text
    assert Attachment.objects.count() == 2

    # The same person through the API (bearer token): the same quota.
    answer = Client().post(
        f"/api/v1/dossiers/drafts/{draft.pk}/attachments/",
        {"component": "1", "file": pdf("b.pdf", pdfs.printed())},
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(world.applicant),
    )
    assert answer.status_code == 400 and "storage space" in answer.content.decode()

    # Someone else's uploads do not count against it.
    other = services.start_draft(user=world.receiver, procedure=world.procedure, acting_for=None)
    check_upload(pdf("c.pdf", pdfs.printed()), uploader=world.receiver)
    assert other.pk


def test_no_quota_when_set_to_zero(world: World, settings: object) -> None:
    settings.MOTCUA_STORAGE_QUOTA_BYTES = 0  # type: ignore[attr-defined]
    assert check_upload(pdf("c.pdf", pdfs.printed()), uploader=world.applicant).size > 0
