"""``x-prefill: "store.<type>.<key>"``: the e-form takes a value from the structured data of
the applicant's newest stored document of that type that could be reused now; a hidden,
expired or altered one gives nothing; acting for a business, the business's store is read
while the membership lasts (issue 14, point 3)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from motcua.accounts.models import Business, BusinessMembership, BusinessRole
from motcua.accounts.tests.factories import UserFactory
from motcua.catalog import services as catalog_services
from motcua.dossiers.models import DossierDraft
from motcua.eforms.prefill import Applicant, prefill_values
from motcua.personalstore.models import StoredDocument

from .conftest import BIRTH_EXTRACT, StoreWorld, client_for

FORM: dict[str, Any] = {
    "type": "object",
    "properties": {
        "ho_ten_tre": {
            "type": "string",
            "title": "Họ và tên người cần cải chính",
            "x-prefill": f"store.{BIRTH_EXTRACT}.ho_ten",
        },
        "ngay_sinh_tre": {
            "type": "string",
            "format": "date",
            "x-prefill": f"store.{BIRTH_EXTRACT}.ngay_sinh",
        },
        "so_giay_phep": {"type": "string", "x-prefill": "store.GCN_DKDN.so"},
    },
}


def _values(applicant: Applicant) -> dict[str, Any]:
    return {name: found.value for name, found in prefill_values(FORM, applicant=applicant).items()}


def test_a_stored_documents_data_fills_the_declared_fields(
    sw: StoreWorld, stored: StoredDocument
) -> None:
    stored.data = {**stored.data, "ngay_sinh": "2024-03-01"}
    stored.save()
    found = prefill_values(FORM, applicant=Applicant(sw.world.applicant))
    assert {name: f.value for name, f in found.items()} == {
        "ho_ten_tre": "Nguyễn Văn An",
        "ngay_sinh_tre": "2024-03-01",
    }
    assert stored.title in found["ho_ten_tre"].origin
    assert stored.number in found["ho_ten_tre"].origin
    # someone else's store gives nothing
    assert _values(Applicant(UserFactory.create())) == {}


def test_hidden_expired_or_altered_documents_give_nothing(
    sw: StoreWorld, stored: StoredDocument
) -> None:
    applicant = Applicant(sw.world.applicant)
    assert _values(applicant)
    stored.hidden_at = timezone.now()
    stored.save()
    assert _values(applicant) == {}
    stored.hidden_at = None
    stored.expires_on = timezone.localdate() - datetime.timedelta(days=1)
    stored.save()
    assert _values(applicant) == {}
    stored.expires_on = None
    stored.save()
    with stored.file.open("wb") as handle:
        handle.write(b"%PDF-1.4 forged")
    assert _values(applicant) == {}
    stored.refresh_from_db()
    assert stored.is_flagged  # found altered on the way: never offered again


def test_acting_for_a_business_reads_its_store_while_a_member(sw: StoreWorld) -> None:
    business = Business.objects.create(
        tax_code="0401234567", name="Công ty Sông Hàn", representative_name="Trần Thị B"
    )
    staff = UserFactory.create()
    membership = BusinessMembership.objects.create(
        business=business, user=staff, role=BusinessRole.AUTHORISED_STAFF
    )
    document = StoredDocument(
        owner_user=staff,
        owner_business=business,
        document_type="GCN_DKDN",
        title="Giấy chứng nhận đăng ký doanh nghiệp",
        issuer="Sở Tài chính",
        issued_on=datetime.date(2024, 1, 2),
        source="national",
        content_type="application/pdf",
        size=0,
        sha256="e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",  # no bytes
        data={"so": "0401234567"},
    )
    document.file.save("gcn.pdf", ContentFile(b""), save=False)
    document.save()
    assert _values(Applicant(staff, business)) == {"so_giay_phep": "0401234567"}
    assert _values(Applicant(staff)) == {}  # their own store does not hold it
    membership.revoked_at = timezone.now()
    membership.save()
    assert _values(Applicant(staff, business)) == {}


def test_the_filing_page_fills_from_the_store_and_says_from_which_document(
    sw: StoreWorld, stored: StoredDocument
) -> None:
    case = sw.later.cases.get()
    case.eform_schema = FORM
    case.save()
    catalog_services.record_version(procedure=sw.later, actor=None, note="e-form")
    client = client_for(sw.world.applicant)
    client.post(f"/ho-so/nop/{sw.later.code}/")
    draft = DossierDraft.objects.filter(procedure=sw.later).get()
    assert draft.data == {"ho_ten_tre": "Nguyễn Văn An"}
    page = client.get(f"/ho-so/nhap/{draft.pk}/buoc/0/").content.decode()
    assert 'value="Nguyễn Văn An"' in page
    assert f"Filled in from your data store: {stored.title} no. {stored.number}" in page
