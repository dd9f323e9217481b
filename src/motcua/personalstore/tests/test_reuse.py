"""A result issued in one dossier is kept in the store, offered, previewed and accepted in a
later dossier of another procedure without upload; what is not valid is never offered."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier
from motcua.errors import DomainError
from motcua.personalstore import services
from motcua.personalstore.models import Purpose, Read, Reuse, Source, StoredDocument
from motcua.results.models import IssuedResult

from .conftest import BIRTH_EXTRACT, StoreWorld, client_for, later_draft, returned_dossier


def test_the_returned_result_enters_the_applicants_store(sw: StoreWorld) -> None:
    dossier = returned_dossier(sw.world)
    result = IssuedResult.objects.live().get(dossier=dossier)
    document = StoredDocument.objects.get(origin_result=result)
    assert document.owner_user == sw.world.applicant and document.owner_business is None
    assert document.document_type == BIRTH_EXTRACT
    assert document.source == Source.RESULT
    assert document.number == result.number and document.sha256 == result.sha256
    assert document.issuer == sw.world.agency.name
    assert document.data["ho_ten"] == "Nguyễn Văn An"  # structured data from the form
    assert document.file_matches()
    # once only: the handler running again keeps one document
    services.store_result(dossier=dossier)
    assert StoredDocument.objects.filter(origin_result=result).count() == 1


def test_a_result_is_reused_in_a_later_procedure_without_upload(
    sw: StoreWorld, stored: StoredDocument
) -> None:
    applicant = sw.world.applicant
    draft = later_draft(sw)
    client = client_for(applicant)

    review = client.get(f"/ho-so/nhap/{draft.pk}/hoan-tat/")
    page = review.content.decode()
    assert "Use the document you already have" in page
    assert stored.number in page

    preview = client.get(f"/ho-so/nhap/{draft.pk}/kho/0/")
    assert preview.status_code == 200
    assert stored.sha256 in preview.content.decode() and "Nguyễn Văn An" in preview.content.decode()
    # The data is labelled as the issuing procedure's form labels it, not by its keys.
    assert "<dt>Họ và tên</dt><dd>Nguyễn Văn An</dd>" in preview.content.decode()
    assert "<dt>ho_ten</dt>" not in preview.content.decode()
    assert Read.objects.filter(document=stored, purpose=Purpose.PREVIEW).count() == 1

    used = client.post(f"/ho-so/nhap/{draft.pk}/kho/0/", {"document": stored.pk})
    assert used.status_code == 302
    assert (
        "from your data store" in client.get(f"/ho-so/nhap/{draft.pk}/hoan-tat/").content.decode()
    )

    submitted = client.post(
        f"/ho-so/nhap/{draft.pk}/hoan-tat/",
        {"action": "submit", "delivery": "online", "declared": "on"},
    )
    assert submitted.status_code == 302, submitted.content.decode()
    dossier = Dossier.objects.get(draft=draft)
    assert dossier.procedure == sw.later
    assert not dossier.attachments.exists()  # nothing uploaded
    reuse = Reuse.objects.get(dossier=dossier)
    assert reuse.document == stored and reuse.component_position == 0
    read = Read.objects.get(document=stored, purpose=Purpose.FILING)
    assert read.dossier == dossier and read.reader == applicant
    # the applicant's dossier page says where the document came from
    assert "Taken from your data store" in client.get(f"/ho-so/{dossier.code}/").content.decode()


def test_without_the_reused_document_the_filing_is_refused(sw: StoreWorld) -> None:
    draft = later_draft(sw)
    with pytest.raises(DomainError, match="still missing"):
        dossier_services.submit(draft=draft, user=sw.world.applicant, form_errors={})


def _offered(sw: StoreWorld) -> bool:
    draft = later_draft(sw)
    page = client_for(sw.world.applicant).get(f"/ho-so/nhap/{draft.pk}/hoan-tat/")
    return "Use the document you already have" in page.content.decode()


def test_an_expired_document_is_not_offered(sw: StoreWorld, stored: StoredDocument) -> None:
    assert _offered(sw)
    stored.expires_on = timezone.localdate() - datetime.timedelta(days=1)
    stored.save()
    assert not _offered(sw)


def test_a_hidden_document_is_not_offered(sw: StoreWorld, stored: StoredDocument) -> None:
    client = client_for(sw.world.applicant)
    assert client.post(f"/kho-du-lieu/{stored.pk}/an/", {"hidden": "1"}).status_code == 302
    assert not _offered(sw)
    client.post(f"/kho-du-lieu/{stored.pk}/an/", {"hidden": "0"})
    assert _offered(sw)


def test_an_altered_document_is_refused_and_flagged(sw: StoreWorld, stored: StoredDocument) -> None:
    draft = later_draft(sw)
    client = client_for(sw.world.applicant)
    # chosen while good …
    services.use_in_draft(
        user=sw.world.applicant, draft=draft, component_position=0, document=stored
    )
    # … then the bytes are changed behind the platform's back
    with stored.file.open("wb") as handle:
        handle.write(b"%PDF-1.4 forged")
    with pytest.raises(DomainError, match="still missing"):
        dossier_services.submit(draft=draft, user=sw.world.applicant, form_errors={})
    page = client.get(f"/ho-so/nhap/{draft.pk}/hoan-tat/").content.decode()
    assert "altered" in page and "Use the document you already have" not in page
    stored.refresh_from_db()
    assert stored.is_flagged
    refused = client.post(f"/ho-so/nhap/{draft.pk}/kho/0/", {"document": stored.pk})
    assert refused.status_code == 400 and "altered" in refused.content.decode()
    assert not _offered(sw)


def test_a_revoked_result_is_not_offered(sw: StoreWorld, stored: StoredDocument) -> None:
    assert stored.origin_result is not None
    IssuedResult.objects.filter(pk=stored.origin_result.pk).update(revoked_at=timezone.now())
    assert not _offered(sw)


def test_a_document_of_another_kind_or_person_cannot_be_used(
    sw: StoreWorld, stored: StoredDocument
) -> None:
    other_kind = later_draft(sw)
    with pytest.raises(DomainError):
        services.use_in_draft(  # component 1 asks for no such document
            user=sw.world.applicant, draft=other_kind, component_position=1, document=stored
        )
    from .conftest import stranger

    someone = stranger()
    theirs = later_draft(sw, someone)
    with pytest.raises(DomainError):
        services.use_in_draft(user=someone, draft=theirs, component_position=0, document=stored)
    response = client_for(someone).post(f"/ho-so/nhap/{theirs.pk}/kho/0/", {"document": stored.pk})
    assert response.status_code == 400
    assert not Reuse.objects.filter(draft=theirs).exists()
    # another's draft is not found at all
    assert client_for(someone).get(f"/ho-so/nhap/{other_kind.pk}/kho/0/").status_code == 404


def test_the_demo_names_the_birth_extract_once(db: None) -> None:
    from motcua.catalog.tests.factories import make_procedure
    from motcua.personalstore.demo import load_demo_result_types
    from motcua.personalstore.models import ResultType

    make_procedure(code="1.001193", name="Đăng ký khai sinh")
    assert load_demo_result_types() == 1
    assert load_demo_result_types() == 0
    assert ResultType.objects.get().document_type == "GIAY_KHAI_SINH"
