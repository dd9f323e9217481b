"""Issuing a signed result: who may, when, and what the PDF holds and proves."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pypdf import PdfReader

from motcua.dossiers.lifecycle import Status, Transition
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import act
from motcua.dossiers.tests.factories import World, file_dossier, officer
from motcua.results import services, verification
from motcua.results.keys import agency_paths, ca_paths
from motcua.results.models import IssuedResult, ResultTemplate

from .conftest import Keys

pytestmark = pytest.mark.django_db
PDFSIG = Path("/usr/bin/pdfsig")


def signed_bytes(result: IssuedResult) -> bytes:
    with result.file.open("rb") as stored:
        return stored.read()


def tampered(data: bytes) -> bytes:
    """One byte changed inside the signed range (in the document's title, before the signature)."""
    start = data.index(b"/Creator")
    position = data.index(b"(", start) + 1
    changed = bytearray(data)
    changed[position] ^= 0x01
    return bytes(changed)


def pyhanko_status(data: bytes) -> object:
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    return validate_pdf_signature(reader.embedded_signatures[0], verification.validation_context())


def pdfsig(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "result.pdf"
    path.write_bytes(data)
    # No NSS database holds the platform's CA here: pdfsig checks the signature and digest,
    # pyHanko checks the chain to the CA.
    completed = subprocess.run(
        [str(PDFSIG), "-nocert", "-no-ocsp", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    return completed.stdout + completed.stderr


def test_a_signed_result_validates_with_pyhanko_and_pdfsig(
    world: World, dossier: Dossier, tmp_path: Path
) -> None:
    result = services.issue_result(dossier=dossier, officer=world.approver)
    data = signed_bytes(result)
    assert result.size == len(data) and re.fullmatch(r"[0-9a-f]{64}", result.sha256)
    assert result.agency == world.agency and result.issued_by == world.approver
    assert "Sở Tư pháp" in result.signer_subject

    status = pyhanko_status(data)
    assert status.bottom_line and status.trusted  # type: ignore[attr-defined]
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE  # type: ignore[attr-defined]
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    sig = reader.embedded_signatures[0]
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert sig.sig_object.get("/M") is not None  # signing time
    embedded = {cert.subject.human_friendly for cert in sig.other_embedded_certs}
    assert any("Motcua Development CA" in subject for subject in embedded)  # chain embedded

    if PDFSIG.exists():
        report = pdfsig(data, tmp_path)
        assert "Signature is Valid" in report, report
        bad = pdfsig(tampered(data), tmp_path)
        assert "Signature is Valid" not in bad and ("Invalid" in bad or "Mismatch" in bad), bad
    else:  # pragma: no cover - the CI image installs poppler-utils
        pytest.skip("pdfsig (poppler-utils) is not installed")


def test_changing_one_signed_byte_breaks_the_signature(world: World, dossier: Dossier) -> None:
    data = signed_bytes(services.issue_result(dossier=dossier, officer=world.approver))
    status = pyhanko_status(tampered(data))
    assert not status.intact and not status.bottom_line  # type: ignore[attr-defined]


def test_vietnamese_text_extracts_intact(world: World, dossier: Dossier) -> None:
    ResultTemplate.objects.create(
        procedure=world.procedure,
        title="Phiếu lý lịch tư pháp số 1",
        body=(
            "Cấp Phiếu lý lịch tư pháp cho {{ applicant }}.\n"
            "Họ tên trên tờ khai: {{ form.ho_ten }}.\n"
            "Hồ sơ {{ dossier.code }} của {{ agency.name }}."
        ),
    )
    result = services.issue_result(dossier=dossier, officer=world.approver)
    text = " ".join(
        (page.extract_text() or "") for page in PdfReader(io.BytesIO(signed_bytes(result))).pages
    )
    flat = " ".join(text.split())
    for words in (
        "SỞ TƯ PHÁP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "PHIẾU LÝ LỊCH TƯ PHÁP SỐ 1",
        "Họ tên trên tờ khai: Nguyễn Văn An",
        dossier.code,
        world.approver.full_name,
        "Đã ký số",
    ):
        assert words in flat, words
    # The QR code's address is printed and linked: the verification page of this result.
    assert f"https://dichvucong.example.vn/verify/{result.token}/" in flat.replace(" ", "")


def test_a_generic_text_when_the_procedure_has_none(world: World, dossier: Dossier) -> None:
    result = services.issue_result(dossier=dossier, officer=world.approver)
    text = PdfReader(io.BytesIO(signed_bytes(result))).pages[0].extract_text() or ""
    assert "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in text
    assert "Cấp Phiếu lý lịch tư pháp" in " ".join(text.split())


def test_issuing_changes_no_status_and_one_live_result_per_dossier(
    world: World, dossier: Dossier
) -> None:
    first = services.issue_result(dossier=dossier, officer=world.approver)
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    with pytest.raises(services.ResultError, match="already has a signed result"):
        services.issue_result(dossier=dossier, officer=world.approver)
    services.revoke_result(result=first, officer=world.approver, reason="Sai họ tên")
    second = services.issue_result(dossier=dossier, officer=world.approver)
    assert second.number == f"{first.number}-2" and second.token != first.token
    assert IssuedResult.objects.live().get() == second


@pytest.mark.parametrize("who", ["receiver", "processor", "outsider_officer", "applicant"])
def test_only_an_approver_of_the_dossier_signs(world: World, dossier: Dossier, who: str) -> None:
    with pytest.raises(services.NotAllowed):
        services.issue_result(dossier=dossier, officer=getattr(world, who))
    assert not IssuedResult.objects.exists()


def test_a_result_is_signed_while_processing_or_to_replace_a_revoked_one(world: World) -> None:
    dossier = file_dossier(world)
    with pytest.raises(services.ResultError, match="being processed"):
        services.issue_result(dossier=dossier, officer=world.approver)
    act(dossier=dossier, user=world.receiver, transition=Transition.ACCEPT)
    act(dossier=dossier, user=world.receiver, transition=Transition.FORWARD)
    assert not IssuedResult.objects.exists()
    act(dossier=dossier, user=world.approver, transition=Transition.DECIDE)  # signs its result
    dossier.refresh_from_db()
    with pytest.raises(services.ResultError, match="already has a signed result"):
        services.issue_result(dossier=dossier, officer=world.approver)
    services.revoke_result(
        result=IssuedResult.objects.get(), officer=world.approver, reason="Sai họ tên"
    )
    corrected = services.issue_result(dossier=dossier, officer=world.approver)
    assert IssuedResult.objects.count() == 2
    assert list(IssuedResult.objects.live()) == [corrected]


def test_an_agency_without_a_key_gets_a_clear_error(
    world: World, dossier: Dossier, settings: pytest.FixtureRequest, tmp_path: Path
) -> None:
    stranger = officer(world.other_agency, "approver")
    dossier.processing_unit = world.other_agency
    dossier.save()
    settings.MOTCUA_SIGNING_DIR = tmp_path  # type: ignore[attr-defined]  # holds no key
    with pytest.raises(services.ResultError, match="signing key is not available"):
        services.issue_result(dossier=dossier, officer=stranger)


def test_revoking_needs_an_approver_of_the_issuing_agency_and_a_reason(
    world: World, dossier: Dossier
) -> None:
    result = services.issue_result(dossier=dossier, officer=world.approver)
    with pytest.raises(services.NotAllowed):
        services.revoke_result(result=result, officer=world.outsider_officer, reason="x")
    with pytest.raises(services.NotAllowed):
        services.revoke_result(result=result, officer=world.processor, reason="x")
    with pytest.raises(services.ResultError, match="reason"):
        services.revoke_result(result=result, officer=world.approver, reason="  ")
    revoked = services.revoke_result(result=result, officer=world.approver, reason="Sai số")
    assert revoked.revoked_by == world.approver and revoked.revocation_reason == "Sai số"
    with pytest.raises(services.ResultError, match="already revoked"):
        services.revoke_result(result=result, officer=world.approver, reason="again")


def test_the_key_command_is_idempotent(world: World, tmp_path: Path) -> None:
    call_command("make_dev_signing_keys", "--dir", str(tmp_path), "H17.02")
    ca = ca_paths(tmp_path).cert.read_bytes()
    cert = agency_paths(tmp_path, "H17.02").cert.read_bytes()
    assert not agency_paths(tmp_path, "H17.03").cert.exists()
    call_command("make_dev_signing_keys", "--dir", str(tmp_path), "H17.02")
    assert ca_paths(tmp_path).cert.read_bytes() == ca
    assert agency_paths(tmp_path, "H17.02").cert.read_bytes() == cert
    assert oct(agency_paths(tmp_path, "H17.02").key.stat().st_mode & 0o777) == "0o600"


def test_foreign_keys_fixture_is_a_different_ca(signing_keys: Keys) -> None:
    assert ca_paths(signing_keys.root).cert.read_bytes() != (
        ca_paths(signing_keys.foreign_root).cert.read_bytes()
    )


def test_the_development_key_store_makes_a_missing_agency_key_and_the_file_store_refuses(
    tmp_path: Path, settings: Any
) -> None:
    from motcua.agencies.tests.factories import AgencyFactory
    from motcua.results import signing as signing_module

    settings.MOTCUA_SIGNING_DIR = tmp_path
    settings.MOTCUA_SIGNING_CA_CERT = tmp_path / "ca" / "ca.cert.pem"
    agency = AgencyFactory.create(code="H17.99", name="Sở Thử nghiệm")
    with pytest.raises(signing_module.SigningUnavailable):
        signing_module.FileKeyStore().signer(agency)
    signer = signing_module.DevelopmentKeyStore().signer(agency)
    assert "Sở Thử nghiệm" in signing_module.signing_certificate(signer).subject.human_friendly
    # Made once: the files are there for the production store too.
    assert signing_module.FileKeyStore().signer(agency) is not None


def test_a_long_vietnamese_agency_name_fits_in_its_certificate(tmp_path: Path) -> None:
    from cryptography import x509 as crypto_x509

    from motcua.results.keys import ensure_agency_certificate, fit_name

    name = "Ủy ban nhân dân phường Hòa Khánh Nam, thành phố Đà Nẵng (trụ sở chính)"
    assert len(name) <= 80 and len(name.encode("utf-8")) > 64
    assert ensure_agency_certificate(tmp_path, code="H17.50.99", name=name)
    cert = crypto_x509.load_pem_x509_certificate(
        agency_paths(tmp_path, "H17.50.99").cert.read_bytes()
    )
    [common_name] = cert.subject.get_attributes_for_oid(crypto_x509.NameOID.COMMON_NAME)
    assert common_name.value == fit_name(name) and name.startswith(str(common_name.value))
    assert len(str(common_name.value).encode("utf-8")) <= 64
