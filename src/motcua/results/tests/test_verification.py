"""The public verification page and API, from the outside: valid, revoked, tampered, unsigned,
not a PDF, signed by someone else, too large, and the QR code's address."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World
from motcua.results import documents, services, signing
from motcua.results.keys import agency_paths, ca_paths
from motcua.results.models import IssuedResult

from .conftest import Keys
from .test_signing import signed_bytes, tampered

pytestmark = pytest.mark.django_db
API = "/api/v1/results/verify/"


@pytest.fixture
def result(world: World, dossier: Dossier) -> IssuedResult:
    return services.issue_result(dossier=dossier, officer=world.approver)


def upload(data: bytes, name: str = "ket-qua.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "application/pdf")


def unsigned_pdf(dossier: Dossier, world: World) -> bytes:
    return documents.result_pdf(
        dossier,
        agency=world.agency,
        number="KQ-1",
        issued_on=datetime.date(2026, 11, 26),
        verify_url="https://dichvucong.example.vn/verify/x/",
        signer_name="Nguyễn Văn B",
        signer_title="Giám đốc",
    )


def foreign_signed(data: bytes, keys: Keys) -> bytes:
    """The same document signed by another CA's certificate with the agency's very name."""
    paths = agency_paths(keys.foreign_root, "H17.02")
    signer = signers.SimpleSigner.load(
        str(paths.key), str(paths.cert), ca_chain_files=[str(ca_paths(keys.foreign_root).cert)]
    )
    assert signer is not None
    return signing.sign_pdf(
        data,
        signer=signer,
        reason="x",
        location="Đà Nẵng",
        contact="https://dichvucong.example.vn/verify/x/",
    )


def english() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def test_a_valid_result_on_the_page_and_the_api(result: IssuedResult) -> None:
    client = english()
    page = client.post("/verify/", {"file": upload(signed_bytes(result))})
    assert page.status_code == 200
    assert 'data-outcome="valid"' in page.text
    assert result.dossier.code in page.text and "Sở Tư pháp" in page.text
    assert result.dossier.applicant.full_name not in page.text  # no personal data

    answer = client.post(API, {"file": upload(signed_bytes(result))})
    assert answer.status_code == 200
    body = answer.json()
    assert body["outcome"] == "valid" and body["valid"] is True and body["revoked"] is False
    assert body["result"]["dossier_code"] == result.dossier.code
    assert body["result"]["agency_code"] == "H17.02"
    assert body["result"]["procedure_code"] == "2.000488"
    assert "Sở Tư pháp" in body["signed_by"] and body["signed_at"]
    assert result.dossier.applicant.full_name not in answer.text


def test_the_qr_code_address_shows_the_result(result: IssuedResult) -> None:
    client = english()
    page = client.get(f"/verify/{result.token}/")
    assert page.status_code == 200 and 'data-outcome="valid"' in page.text
    api = client.get(f"/api/v1/results/{result.token}/")
    assert api.status_code == 200 and api.json()["valid"] is True
    assert client.get("/verify/not-a-token/").status_code == 404
    assert client.get("/api/v1/results/not-a-token/").status_code == 404


def test_a_revoked_result_is_shown_as_revoked(world: World, result: IssuedResult) -> None:
    services.revoke_result(result=result, officer=world.approver, reason="Cấp nhầm")
    client = english()
    page = client.post("/verify/", {"file": upload(signed_bytes(result))})
    assert page.status_code == 200 and 'data-outcome="revoked"' in page.text
    assert "REVOKED" in page.text
    assert "Cấp nhầm" not in page.text  # the reason stays inside the agency
    by_token = client.get(f"/verify/{result.token}/")
    assert 'data-outcome="revoked"' in by_token.text
    body = client.post(API, {"file": upload(signed_bytes(result))}).json()
    assert body["outcome"] == "revoked" and body["valid"] is False and body["revoked"] is True
    assert body["result"]["revoked_at"]


def test_a_tampered_result_is_invalid(result: IssuedResult) -> None:
    client = english()
    data = tampered(signed_bytes(result))
    page = client.post("/verify/", {"file": upload(data)})
    assert page.status_code == 422 and 'data-outcome="invalid"' in page.text
    answer = client.post(API, {"file": upload(data)})
    assert answer.status_code == 422 and answer.json()["outcome"] == "invalid"
    assert answer.json()["result"] is None


def test_text_added_to_the_page_after_signing_is_a_change(result: IssuedResult) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_bytes(result)))
    stream = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 12 Tf (KHONG) Tj ET"))
    writer.add_stream_to_page(0, stream)
    changed = io.BytesIO()
    writer.write(changed)
    answer = english().post(API, {"file": upload(changed.getvalue())})
    assert answer.status_code == 422 and answer.json()["outcome"] == "invalid"


def with_its_end_repeated(data: bytes) -> bytes:
    """Junk, then the file's own ``startxref … %%EOF`` again: readers take it as the end."""
    return data + b"\n<script>alert(1)</script>\n" + data[data.rindex(b"startxref") :]


@pytest.mark.parametrize(
    "append",
    [lambda data: data + b"\n%junk\n", with_its_end_repeated],
    ids=["junk", "junk-and-the-end-again"],
)
def test_bytes_appended_after_the_signature_are_a_change(
    result: IssuedResult, append: Callable[[bytes], bytes]
) -> None:
    # The signature still verifies over what it covers, but it no longer covers the file.
    data = append(signed_bytes(result))
    client = english()
    page = client.post("/verify/", {"file": upload(data)})
    assert page.status_code == 422 and 'data-outcome="invalid"' in page.text
    assert "changed after it was signed" in page.text
    answer = client.post(API, {"file": upload(data)})
    assert answer.status_code == 422 and answer.json()["outcome"] == "invalid"
    assert answer.json()["valid"] is False and answer.json()["result"] is None


def test_the_stored_file_with_bytes_appended_is_a_change_behind_the_qr_code(
    result: IssuedResult,
) -> None:
    with result.file.open("ab") as stored:
        stored.write(b"\n%junk\n")
    assert english().get(f"/api/v1/results/{result.token}/").json()["outcome"] == "invalid"
    assert 'data-outcome="invalid"' in english().get(f"/verify/{result.token}/").text


def test_the_stored_file_is_checked_again_behind_the_qr_code(result: IssuedResult) -> None:
    data = tampered(signed_bytes(result))
    with result.file.open("wb") as stored:
        stored.write(data)
    assert english().get(f"/api/v1/results/{result.token}/").json()["outcome"] == "invalid"


@pytest.mark.parametrize("kind", ["unsigned", "not_pdf", "foreign", "empty", "broken_pdf"])
def test_what_is_not_a_result_of_this_platform(
    world: World, dossier: Dossier, signing_keys: Keys, kind: str
) -> None:
    data = {
        "unsigned": lambda: unsigned_pdf(dossier, world),
        "not_pdf": lambda: "Xin chào, không phải PDF".encode(),
        "foreign": lambda: foreign_signed(unsigned_pdf(dossier, world), signing_keys),
        "empty": lambda: b"",
        "broken_pdf": lambda: b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\n%%EOF",
    }[kind]()
    client = english()
    page = client.post("/verify/", {"file": upload(data)})
    assert page.status_code in (400, 422)
    assert "not a result of this platform" in page.text or "submitted file is empty" in page.text
    answer = client.post(API, {"file": upload(data)})
    assert answer.status_code in (400, 422)
    if answer.status_code == 422:
        assert answer.json()["outcome"] == "not_a_result" and answer.json()["valid"] is False


def test_uploads_over_the_limit_are_refused(result: IssuedResult, settings: object) -> None:
    settings.MOTCUA_VERIFY_MAX_BYTES = 1000  # type: ignore[attr-defined]
    client = english()
    page = client.post("/verify/", {"file": upload(signed_bytes(result))})
    assert page.status_code == 413 and "larger than" in page.text
    assert client.post(API, {"file": upload(signed_bytes(result))}).status_code == 413
    assert client.post(API, {}).status_code == 400


def test_the_page_needs_no_sign_in_and_has_a_labelled_upload() -> None:
    page = english().get("/verify/")
    assert page.status_code == 200
    assert '<label for="id_file">' in page.text and "<h1>" in page.text


def test_the_api_is_in_the_openapi_schema() -> None:
    schema = Client().get("/api/v1/schema/", {"format": "json"}).json()
    assert "/api/v1/results/verify/" in schema["paths"]
    assert "/api/v1/results/{token}/" in schema["paths"]
    post = schema["paths"]["/api/v1/results/verify/"]["post"]
    assert "multipart/form-data" in post["requestBody"]["content"]
    assert {"200", "413", "422"} <= set(post["responses"])


def test_a_genuine_signature_without_a_record_is_not_a_result(result: IssuedResult) -> None:
    IssuedResult.objects.filter(pk=result.pk).update(sha256="0" * 64, token="other")
    answer = english().post(API, {"file": upload(signed_bytes(result))})
    assert answer.status_code == 422 and answer.json()["outcome"] == "not_a_result"
