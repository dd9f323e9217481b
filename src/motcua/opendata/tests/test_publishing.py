"""The platform publishes itself: catalogue, wards and dossier statistics, without personal data."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.agencies.tests.factories import AgencyFactory, WardCommitteeFactory
from motcua.catalog.models import PublicationStatus
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import file_dossier, make_world
from motcua.opendata import datastore
from motcua.opendata.models import Dataset, Revision

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_platform_publishes_its_catalogue_units_and_statistics() -> None:
    AgencyFactory.create(code="H17", name="Ủy ban nhân dân thành phố Đà Nẵng")
    WardCommitteeFactory.create(name="Ủy ban nhân dân Phường Hải Châu", ward_code=20194)
    world = make_world()
    world.procedure.status = PublicationStatus.PUBLISHED
    world.procedure.save()
    on_time, late, waiting = (file_dossier(world) for _ in range(3))
    now = timezone.now()
    Dossier.objects.filter(pk=on_time.pk).update(
        finished_at=now, due_at=now + datetime.timedelta(days=1)
    )
    Dossier.objects.filter(pk=late.pk).update(
        finished_at=now, due_at=now - datetime.timedelta(days=1)
    )

    out = StringIO()
    call_command("publish_platform_data", stdout=out)
    assert "thong-ke-ho-so: updated" in out.getvalue()

    names = set(Dataset.objects.public().values_list("name", flat=True))
    assert {
        "danh-muc-thu-tuc-hanh-chinh",
        "don-vi-hanh-chinh",
        "thong-ke-ho-so",
        "thong-ke-ho-so-h17-02",
    } <= names
    assert Dataset.objects.get(name="thong-ke-ho-so-h17-02").agency == world.agency

    statistics = Dataset.objects.get(name="thong-ke-ho-so").resources.get()
    content = statistics.file.open("rb").read().decode()
    assert content.splitlines()[0].startswith("thang,ma_co_quan,ma_thu_tuc")
    row = datastore.search(statistics, filters={"ma_thu_tuc": "2.000488"})["records"][0]
    assert (row["tiep_nhan"], row["da_giai_quyet"], row["dung_han"]) == (3, 2, 1)

    everything = "".join(
        resource.file.open("rb").read().decode()
        for dataset in Dataset.objects.all()
        for resource in dataset.resources.all()
    )
    for personal in (
        world.applicant.full_name,
        world.applicant.personal_id or "—",
        "Nguyễn Văn An",
        waiting.code,
    ):
        assert personal not in everything
    assert "2.000488" in everything and "20194" in everything

    revisions = Revision.objects.count()
    again = StringIO()
    call_command("publish_platform_data", stdout=again)
    assert "thong-ke-ho-so: unchanged" in again.getvalue()
    assert Revision.objects.count() == revisions  # nothing changed, nothing recorded
