"""Another agency's system deposits a signed document with client credentials; every bad
deposit is refused with its reason and stores nothing."""

from __future__ import annotations

import base64
import io
from typing import Any

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.dossiers.tests.factories import PDF, PNG
from motcua.personalstore import deposits
from motcua.personalstore.models import IssuerClient, Source, StoredDocument

from .conftest import StoreWorld

SECRET = "s" * 32


def _unsigned_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


URL = "/api/v1/store/deposits/"


@pytest.fixture
def issuer(sw: StoreWorld) -> IssuerClient:
    client = IssuerClient(
        name="Hệ thống hộ tịch", agency=sw.world.agency, client_id="hotich", document_types=["GKS"]
    )
    deposits.set_secret(client, SECRET)
    client.save()
    return client


def _headers(client_id: str = "hotich", secret: str = SECRET) -> dict[str, Any]:
    token = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def _post(content: bytes, headers: dict[str, Any], **fields: Any) -> Any:
    data = {
        "personal_id": "048090005678",
        "document_type": "GKS",
        "title": "Giấy khai sinh",
        "number": "12/2020",
        "issued_on": "2020-02-03",
        "structured_data": '{"ho_ten": "Lê Văn C"}',
        "file": SimpleUploadedFile("gks.pdf", content, "application/pdf"),
        **fields,
    }
    english = Client(HTTP_ACCEPT_LANGUAGE="en", **headers)
    return english.post(URL, data)


def test_a_registered_issuer_deposits_a_signed_document(
    sw: StoreWorld, stored: StoredDocument, issuer: IssuerClient
) -> None:
    citizen = sw.world.applicant
    citizen.personal_id = "048090005678"
    citizen.save()
    signed = stored.file.open("rb").read()
    response = _post(signed, _headers())
    assert response.status_code == 201, response.content
    document = StoredDocument.objects.get(pk=response.json()["id"])
    assert document.source == Source.DEPOSIT and document.deposited_by == issuer
    assert document.owner_user == citizen and document.document_type == "GKS"
    assert document.data == {"ho_ten": "Lê Văn C"} and document.file_matches()
    assert document.reads.get().purpose == "deposit"


@pytest.mark.parametrize(
    ("credentials", "status"),
    [(None, 401), (("hotich", "wrong-secret"), 401), (("nobody", SECRET), 401)],
)
def test_an_unregistered_issuer_is_refused(
    sw: StoreWorld,
    stored: StoredDocument,
    issuer: IssuerClient,
    credentials: tuple[str, str] | None,
    status: int,
) -> None:
    headers: dict[str, Any] = _headers(*credentials) if credentials else {}
    assert _post(stored.file.open("rb").read(), headers).status_code == status
    assert not StoredDocument.objects.filter(source=Source.DEPOSIT).exists()


def test_bad_deposits_are_refused_with_the_reason(
    sw: StoreWorld, stored: StoredDocument, issuer: IssuerClient
) -> None:
    citizen = sw.world.applicant
    citizen.personal_id = "048090005678"
    citizen.save()
    signed = stored.file.open("rb").read()
    middle = len(signed) // 3
    altered = signed[:middle] + bytes([signed[middle] ^ 0x01]) + signed[middle + 1 :]
    cases: list[tuple[bytes, dict[str, str], str]] = [
        (signed, {"document_type": "CCCD"}, "may not deposit documents of type"),
        (PNG, {}, "not a PDF"),
        (PDF, {}, "cannot be read"),
        (_unsigned_pdf(), {}, "not signed"),
        (altered, {}, ""),  # changed after signing, or unreadable: refused either way
        (signed, {"personal_id": "048090009999"}, "No citizen with this personal ID"),
        (signed, {"issued_on": "2020-13-45"}, "issued_on"),
        (signed, {"structured_data": "[1, 2]"}, "JSON object"),
    ]
    for content, fields, reason in cases:
        response = _post(content, _headers(), **fields)
        assert response.status_code == 400, (fields, response.content)
        assert reason in response.content.decode()
    inactive = IssuerClient.objects.get(pk=issuer.pk)
    inactive.active = False
    inactive.save()
    assert _post(signed, _headers()).status_code == 401
    assert not StoredDocument.objects.filter(source=Source.DEPOSIT).exists()
