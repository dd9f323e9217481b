"""The platform publishes itself: catalogue, wards and dossier statistics, without personal data."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.agencies.tests.factories import AgencyFactory, WardCommitteeFactory
from motcua.catalog.models import PublicationStatus
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import file_dossier, make_world
from motcua.opendata import datastore
from motcua.opendata.models import Dataset, Revision
from motcua.opendata.publishing import LOCAL

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_platform_publishes_its_catalogue_units_and_statistics(settings: Any) -> None:
    settings.MOTCUA_OPENDATA_SMALL_COUNT_THRESHOLD = 1  # every count shown (tested below)
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


def test_small_counts_are_suppressed_so_no_one_is_singled_out() -> None:
    """With the default threshold of 5: a count from 1 to 4 is published empty, and a group of
    fewer than 5 dossiers has all its counts empty; the row says so."""
    AgencyFactory.create(code="H17", name="Ủy ban nhân dân thành phố Đà Nẵng")
    world = make_world()
    world.procedure.status = PublicationStatus.PUBLISHED
    world.procedure.save()
    now = timezone.now()
    this_month = [file_dossier(world) for _ in range(6)]
    Dossier.objects.filter(pk=this_month[0].pk).update(
        finished_at=now, due_at=now + datetime.timedelta(days=1)
    )
    Dossier.objects.filter(pk=this_month[1].pk).update(
        finished_at=now, due_at=now - datetime.timedelta(days=1)
    )
    earlier = [file_dossier(world) for _ in range(2)]  # a group of two, months before
    Dossier.objects.filter(pk__in=[d.pk for d in earlier]).update(
        submitted_at=now - datetime.timedelta(days=95)
    )

    call_command("publish_platform_data", stdout=StringIO())
    statistics = Dataset.objects.get(name="thong-ke-ho-so").resources.get()
    rows = datastore.search(statistics, filters={}, sort="thang asc")["records"]
    assert len(rows) == 2
    small, large = rows
    assert (small["tiep_nhan"], small["da_giai_quyet"], small["dung_han"]) == (None, None, None)
    assert small["so_lieu_an"] is True and "5" in small["ghi_chu"]
    assert large["tiep_nhan"] == 6
    assert (large["da_giai_quyet"], large["dung_han"]) == (None, None)  # 2 and 1: too few
    assert large["so_lieu_an"] is True
    # Codes stay text as written: a month, a procedure code (not the number 2.000488).
    assert (small["thang"], large["ma_thu_tuc"]) == (
        (now - datetime.timedelta(days=95)).astimezone(LOCAL).strftime("%Y-%m"),
        "2.000488",
    )
    content = statistics.file.open("rb").read().decode()
    assert ",6,6,,,true," in content  # 6 received, 6 online, 2 finished and 1 on time hidden


@pytest.mark.parametrize(
    ("counts", "threshold", "shown", "noted"),
    [
        ([12, 0, 7, 3], 5, [12, 0, 7, ""], True),
        ([4, 0, 0, 0], 5, ["", "", "", ""], True),
        ([5, 5, 5, 5], 5, [5, 5, 5, 5], False),
        ([2, 1, 1, 0], 1, [2, 1, 1, 0], False),
        ([9, 2, 0, 0], 3, [9, "", 0, 0], True),
    ],
)
def test_suppression_rule(counts: list[int], threshold: int, shown: list[Any], noted: bool) -> None:
    from motcua.opendata.publishing import suppress_small_counts

    published, note = suppress_small_counts(counts, threshold)
    assert published == shown and bool(note) is noted
