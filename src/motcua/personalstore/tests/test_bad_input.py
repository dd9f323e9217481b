"""The issue's "Bad input", each with the reason said and nothing kept: an expired share link
gives a clear page; an altered document is refused for reuse and flagged; a deposit from an
unregistered issuer, of a wrong type, or with a file that is not what it claims is refused
with the reason and stores nothing (issue 14)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from motcua.dossiers.tests.factories import PNG, bearer
from motcua.personalstore import services
from motcua.personalstore.models import IssuerClient, ShareLink, Source, StoredDocument

from .conftest import StoreWorld, client_for, later_draft
from .test_deposits import _headers, _post, issuer  # noqa: F401  (the fixture)


def _stored_files() -> set[str]:
    found: set[str] = set()

    def walk(folder: str) -> None:
        try:
            folders, files = default_storage.listdir(folder)
        except FileNotFoundError:
            return
        found.update(f"{folder}/{name}" for name in files)
        for name in folders:
            walk(f"{folder}/{name}")

    walk("personalstore")
    return found


def test_an_expired_share_link_gives_a_clear_page_in_both_languages(
    sw: StoreWorld, stored: StoredDocument
) -> None:
    link = services.share(
        owner=services.owner_of_draft(later_draft(sw)), document=stored, hours=1, note="bank"
    )
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    for language, words in (("en", "has expired"), ("vi", "hết hạn")):
        anyone = Client()
        anyone.cookies["django_language"] = language
        for url in (f"/chia-se/{link.token}/", f"/chia-se/{link.token}/tai-ve/"):
            page = anyone.get(url)
            assert page.status_code == 410
            assert page["Content-Type"].startswith("text/html")
            body = page.content.decode()
            assert words in body and "<h1" in body
            # nothing of the document is shown through a dead link
            assert stored.title not in body and stored.sha256 not in body


def test_an_altered_document_is_refused_for_reuse_flagged_and_shown_so_to_its_owner(
    sw: StoreWorld, stored: StoredDocument
) -> None:
    draft = later_draft(sw)
    with stored.file.open("rb") as handle:
        original = handle.read()
    with stored.file.open("wb") as handle:
        handle.write(b"%PDF-1.4 forged")
    client = client_for(sw.world.applicant)
    refused = client.post(f"/ho-so/nhap/{draft.pk}/kho/0/", {"document": stored.pk})
    assert refused.status_code == 400 and "altered" in refused.content.decode()
    stored.refresh_from_db()
    assert stored.is_flagged and stored.flag_reason == "checksum mismatch"
    shown = Client(**bearer(sw.world.applicant)).get(f"/api/v1/me/documents/{stored.pk}/")
    assert shown.json()["flagged"] is True and shown.json()["usable"] is False
    # flagged for good: putting the bytes back does not make it usable again
    with stored.file.open("wb") as handle:
        handle.write(original)
    assert stored.file_matches() and not services.reusable(stored)


@pytest.mark.usefixtures("issuer")
def test_a_deposit_refused_says_why_and_stores_nothing(
    sw: StoreWorld, stored: StoredDocument
) -> None:
    citizen = sw.world.applicant
    citizen.personal_id = "048090005678"
    citizen.save()
    signed = stored.file.open("rb").read()
    middle = len(signed) // 3
    altered = signed[:middle] + bytes([signed[middle] ^ 0x01]) + signed[middle + 1 :]
    before = _stored_files()
    unregistered: list[tuple[dict[str, Any], str]] = [
        ({}, "client credentials"),
        (_headers("hotich", "wrong-secret"), "not registered"),
        (_headers("nobody"), "not registered"),
    ]
    for headers, reason in unregistered:
        response = _post(signed, headers)
        assert response.status_code == 401 and reason in response.content.decode(), reason
    refused: list[tuple[bytes, dict[str, Any], tuple[str, ...]]] = [
        (signed, {"document_type": "CCCD"}, ("may not deposit documents of type",)),
        (PNG, {}, ("not a PDF",)),  # named .pdf, sent as application/pdf, is a PNG
        (b"%PDF-1.7 not really", {}, ("cannot be read",)),
        (
            altered,
            {},
            ("changed after it was signed", "cannot be read", "cannot be checked"),
        ),
        (signed, {"issued_on": "2021-01-01", "expires_on": "2020-01-01"}, ("expiry date",)),
        (signed, {"tax_code": "0409999999", "personal_id": ""}, ("No business",)),
    ]
    for content, fields, reasons in refused:
        response = _post(content, _headers(), **fields)
        body = response.content.decode()
        assert response.status_code == 400, (fields, body)
        assert any(reason in body for reason in reasons), (reasons, body)
    # the reason comes in the caller's language
    vietnamese = Client(HTTP_ACCEPT_LANGUAGE="vi", **_headers()).post(
        "/api/v1/store/deposits/",
        {
            "personal_id": "048090005678",
            "document_type": "CCCD",
            "title": "x",
            "number": "1",
            "issued_on": "2020-02-03",
            "file": _png_named_pdf(),
        },
    )
    assert vietnamese.status_code == 400 and "CCCD" in vietnamese.json()["detail"]
    assert "may not" not in vietnamese.json()["detail"]
    assert not StoredDocument.objects.filter(source=Source.DEPOSIT).exists()
    assert _stored_files() == before  # no file left behind either
    assert IssuerClient.objects.count() == 1


def _png_named_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("gks.pdf", PNG, "application/pdf")


def test_a_share_link_cannot_outlive_its_document_being_flagged(
    sw: StoreWorld, stored: StoredDocument
) -> None:
    owner = services.owner_of_draft(later_draft(sw))
    StoredDocument.objects.filter(pk=stored.pk).update(
        flagged_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    stored.refresh_from_db()
    with pytest.raises(services.NotUsable, match="altered"):
        services.share(owner=owner, document=stored, hours=1)
    assert not ShareLink.objects.exists()
