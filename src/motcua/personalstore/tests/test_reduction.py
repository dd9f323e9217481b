"""The measured reduction matches a fixture computed by hand; the catalogue says how many
documents a citizen no longer brings."""

from __future__ import annotations

import datetime

from django.test import Client
from django.utils import timezone

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import file_dossier
from motcua.personalstore import reduction, services
from motcua.personalstore.models import Reuse, Source, StoredDocument

from .conftest import StoreWorld, client_for, later_draft


def _reusing_dossier(sw: StoreWorld, stored: StoredDocument) -> Dossier:
    draft = later_draft(sw)
    services.use_in_draft(
        user=sw.world.applicant, draft=draft, component_position=0, document=stored
    )
    return dossier_services.submit(draft=draft, user=sw.world.applicant, form_errors={})


def test_the_figures_match_a_hand_computed_fixture(sw: StoreWorld, stored: StoredDocument) -> None:
    # This month:
    #   birth registration (sw.world.procedure): the returned dossier behind ``stored`` and one
    #     more, each with one upload, nothing reused;
    #   the later procedure: A reuses the stored extract; C reuses it too and the agency
    #     fetched a residence record (another issuer) for it.
    # Last month: one more birth registration, not counted.
    file_dossier(sw.world)
    old = file_dossier(sw.world)
    first_of_month = timezone.localtime().replace(day=1, hour=12)
    Dossier.objects.filter(pk=old.pk).update(
        submitted_at=first_of_month - datetime.timedelta(days=1)
    )
    _reusing_dossier(sw, stored)
    c = _reusing_dossier(sw, stored)
    national = StoredDocument.objects.create(
        owner_user=sw.world.applicant,
        document_type="GIAY_XN_CU_TRU",
        title="Giấy xác nhận cư trú",
        issuer="Cơ sở dữ liệu quốc gia về dân cư",
        issued_on=datetime.date(2024, 1, 1),
        source=Source.NATIONAL,
        content_type="application/json",
        size=2,
        sha256="0" * 64,
    )
    Reuse.objects.create(
        document=national,
        dossier=c,
        component_position=2,
        component_name="Giấy xác nhận cư trú",
        sha256=national.sha256,
        chosen_by=sw.world.receiver,
        fetched_by_agency=True,
    )

    month = timezone.localdate()
    rows = {r.procedure_code: r for r in reduction.reduction(month)}
    birth, later = rows[sw.world.procedure.code], rows[sw.later.code]
    assert (birth.dossiers, birth.uploaded, birth.reused, birth.fetched) == (2, 2, 0, 0)
    assert (birth.documents_saved, birth.trips_saved, birth.dossiers_reusing) == (0, 0, 0)
    assert birth.reuse_share == 0.0
    assert (later.dossiers, later.uploaded, later.reused, later.fetched) == (2, 0, 2, 1)
    # A: one document of one issuer; C: two documents of two issuers
    assert (later.documents_saved, later.trips_saved, later.dossiers_reusing) == (3, 3, 2)
    assert later.reuse_share == 1.0
    total = reduction.totals(list(rows.values()), month)
    assert (total.dossiers, total.documents_saved, total.reuse_share) == (4, 3, 0.5)

    answer = Client().get(f"/api/v1/store/reduction/?month={month:%Y-%m}").json()
    assert answer["total"]["dossiers"] == 4 and answer["total"]["reuse_share"] == 0.5
    assert {r["procedure_code"]: r["trips_saved"] for r in answer["rows"]} == {
        sw.world.procedure.code: 0,
        sw.later.code: 3,
    }
    last_month = (month.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    assert (
        Client().get(f"/api/v1/store/reduction/?month={last_month}").json()["total"]["dossiers"]
        == 1
    )

    admin = UserFactory.create(is_staff=True)
    administrator = client_for(admin, officer=True)
    page = administrator.get(f"/can-bo/kho-du-lieu/giam-giay-to/?month={month:%Y-%m}")
    assert page.status_code == 200 and sw.later.name in page.content.decode()


def test_bad_months_are_refused(sw: StoreWorld) -> None:
    assert Client().get("/api/v1/store/reduction/?month=2026-13").status_code == 400
    admin = client_for(UserFactory.create(is_staff=True), officer=True)
    refused = admin.get("/can-bo/kho-du-lieu/giam-giay-to/?month=december")
    assert refused.status_code == 400 and 'value="december"' in refused.content.decode()
    # only administrators see the page
    assert (
        client_for(sw.world.applicant).get("/can-bo/kho-du-lieu/giam-giay-to/").status_code != 200
    )


def test_the_procedure_page_says_which_documents_are_no_longer_brought(sw: StoreWorld) -> None:
    page = client_for(sw.world.applicant).get(f"/thu-tuc/{sw.later.code}/").content.decode()
    assert "1 document you no longer bring" in page and "Giấy khai sinh" in page
    other = client_for(sw.world.applicant).get(f"/thu-tuc/{sw.world.procedure.code}/")
    assert "you no longer bring" not in other.content.decode()
