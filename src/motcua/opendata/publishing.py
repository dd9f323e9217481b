"""The platform publishes itself: datasets made from live data, refreshed nightly.

The procedure catalogue, the administrative units, and dossiers received, finished and finished
on time per procedure, agency and month (city-wide, and one dataset per agency that receives
dossiers, so that every such agency publishes without extra work). Only aggregates and public
catalogue facts are written: no name, identity number, address or form answer of anyone.
A file whose content did not change since the last run is left alone (no new revision).

Small counts are suppressed (``MOTCUA_OPENDATA_SMALL_COUNT_THRESHOLD``, 5 by default): in the
dossier statistics a count from 1 to the threshold less one is published empty, and a row whose
group received fewer dossiers than the threshold has every count empty (even a zero: "none of
the 3 was on time" tells something about each of the 3). ``so_lieu_an`` marks such rows and
``ghi_chu`` says why, so that no one can be picked out of a group of a procedure, an agency and a
month with few dossiers.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import tempfile
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Count, Min, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.selectors import late

from . import datastore
from .access import Actor
from .constants import ColumnType, DatasetState, Frequency, ResourceFormat, RevisionAction
from .models import Dataset, Resource, Tag
from .selectors import folded_text
from .serialization import org_name
from .services import _record

LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
PLATFORM = Actor()  # revisions without a person: the platform made them


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    title_en: str
    notes: str
    header: list[str]
    rows: Iterable[list[Any]]
    tags: tuple[str, ...]
    # Each column's datastore type: codes and phone numbers stay text ("2.000480", "0236…"),
    # which inference would read as numbers.
    types: tuple[str, ...] = ()


def procedure_catalogue() -> Table:
    procedures = (
        Procedure.objects.published()
        .select_related("field")
        .prefetch_related("agencies")
        .annotate(case_count=Count("cases", distinct=True), lowest_fee=Min("cases__fee"))
        .order_by("code")
    )
    return Table(
        name="danh-muc-thu-tuc-hanh-chinh",
        title="Danh mục thủ tục hành chính",
        title_en="Catalogue of administrative procedures",
        notes="Các thủ tục hành chính đang công bố trên cổng dịch vụ công của thành phố: mã, tên, "
        "lĩnh vực, cấp thực hiện, mức độ trực tuyến, cơ quan thực hiện, lệ phí thấp nhất.",
        header=[
            "ma_thu_tuc",
            "ten_thu_tuc",
            "linh_vuc",
            "cap_thuc_hien",
            "muc_do_truc_tuyen",
            "co_quan_thuc_hien",
            "so_truong_hop",
            "le_phi_thap_nhat_dong",
        ],
        rows=(
            [
                p.code,
                p.name,
                p.field.name if p.field else "",
                p.agency_level,
                p.online_level,
                ";".join(sorted(a.code for a in p.agencies.all())),
                p.case_count,  # type: ignore[attr-defined]
                p.lowest_fee if p.lowest_fee is not None else "",  # type: ignore[attr-defined]
            ]
            for p in procedures.iterator(chunk_size=500)
        ),
        tags=("thủ tục hành chính", "dịch vụ công"),
        types=(*[ColumnType.TEXT] * 6, ColumnType.INTEGER, ColumnType.NUMERIC),
    )


def administrative_units() -> Table:
    wards = Agency.objects.current().filter(ward_code__isnull=False).order_by("ward_code")
    return Table(
        name="don-vi-hanh-chinh",
        title="Đơn vị hành chính cấp xã",
        title_en="Wards and communes",
        notes="Các phường, xã, đặc khu của thành phố với mã đơn vị hành chính và mã định danh "
        "điện tử của Ủy ban nhân dân.",
        header=["ma_don_vi_hanh_chinh", "ten", "ma_tinh", "ma_co_quan", "dia_chi", "dien_thoai"],
        rows=([w.ward_code, w.name, w.province_code, w.code, w.address, w.phone] for w in wards),
        tags=("đơn vị hành chính",),
        types=(ColumnType.TEXT,) * 6,
    )


SUPPRESSED_NOTE = (
    "Số liệu nhỏ hơn {threshold} được để trống để không thể nhận diện cá nhân "
    "(numbers below {threshold} are left empty so that no one can be identified)."
)


def suppress_small_counts(counts: list[int], threshold: int) -> tuple[list[int | str], str]:
    """The counts of one row as published (the first is the group's size, the dossiers
    received) and the row's note: empty where a count could single someone out."""
    if threshold <= 1:
        return list(counts), ""
    if counts and counts[0] < threshold:
        shown: list[int | str] = ["" for _count in counts]
    else:
        shown = ["" if 0 < count < threshold else count for count in counts]
    return shown, SUPPRESSED_NOTE.format(threshold=threshold) if "" in shown else ""


def dossier_statistics(now: datetime.datetime, agency: Agency | None = None) -> Table:
    dossiers = Dossier.objects.all()
    threshold = settings.MOTCUA_OPENDATA_SMALL_COUNT_THRESHOLD
    suffix_vi, suffix_en, name = "", "", "thong-ke-ho-so"
    if agency is not None:
        dossiers = dossiers.filter(receiving_agency=agency)
        suffix_vi, suffix_en = f" — {agency.name}", f" — {agency.name_en or agency.name}"
        name = f"thong-ke-ho-so-{org_name(agency)}"
    finished = Q(finished_at__isnull=False)
    counts = (
        dossiers.annotate(month=TruncMonth("submitted_at", tzinfo=LOCAL))
        .values("month", "receiving_agency__code", "procedure__code", "procedure__name")
        .annotate(
            received=Count("pk"),
            finished=Count("pk", filter=finished),
            on_time=Count("pk", filter=finished & ~late(now)),
            online=Count("pk", filter=Q(channel=Channel.ONLINE)),
        )
        .order_by("month", "receiving_agency__code", "procedure__code")
    )
    return Table(
        name=name,
        title="Thống kê hồ sơ thủ tục hành chính theo tháng" + suffix_vi,
        title_en="Administrative dossiers per month" + suffix_en,
        notes="Số hồ sơ tiếp nhận, đã giải quyết và giải quyết đúng hạn theo thủ tục, cơ quan "
        "tiếp nhận và tháng tiếp nhận (đúng hạn theo Quyết định 766/QĐ-TTg: xong trước ngày hẹn "
        "đầu tiên, không yêu cầu bổ sung quá một lần). Chỉ có số liệu tổng hợp, không có dữ liệu "
        f"cá nhân; số liệu nhỏ hơn {threshold} được để trống (cột so_lieu_an, ghi_chu) để không "
        "thể nhận diện người nộp hồ sơ trong một nhóm nhỏ.",
        header=[
            "thang",
            "ma_co_quan",
            "ma_thu_tuc",
            "ten_thu_tuc",
            "tiep_nhan",
            "tiep_nhan_truc_tuyen",
            "da_giai_quyet",
            "dung_han",
            "so_lieu_an",
            "ghi_chu",
        ],
        rows=(
            [
                row["month"].strftime("%Y-%m"),
                row["receiving_agency__code"],
                row["procedure__code"],
                row["procedure__name"],
                *shown,
                "true" if note else "false",
                note,
            ]
            for row in counts.iterator(chunk_size=2000)
            for shown, note in [
                suppress_small_counts(
                    [row["received"], row["online"], row["finished"], row["on_time"]], threshold
                )
            ]
        ),
        tags=("hồ sơ", "thống kê", "chỉ số phục vụ"),
        types=(
            *[ColumnType.TEXT] * 4,
            *[ColumnType.INTEGER] * 4,
            ColumnType.BOOLEAN,
            ColumnType.TEXT,
        ),
    )


def _write_csv(table: Table) -> tuple[IO[bytes], str, int]:
    """The table as a UTF-8 CSV in a temporary file, with its SHA-256 and size."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the caller, ``publish``)
    text = io.TextIOWrapper(target, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow(row)
    text.flush()
    text.detach()
    digest, size = hashlib.sha256(), 0
    target.seek(0)
    for chunk in iter(lambda: target.read(1024 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    target.seek(0)
    return target, digest.hexdigest(), size


@transaction.atomic
def publish(table: Table, publisher: Agency) -> bool:
    """Create or refresh one generated dataset; False when its file did not change."""
    content, sha256, size = _write_csv(table)
    try:
        dataset = Dataset.objects.select_for_update().filter(name=table.name).first()
        if dataset is None:
            dataset = Dataset(
                name=table.name,
                agency=publisher,
                state=DatasetState.ACTIVE,
                licence_id="cc-by",
                frequency=Frequency.DAILY,
                spatial="Thành phố Đà Nẵng",
                contact_name=publisher.name,
                contact_email=publisher.email,
            )
        resource = dataset.resources.first() if dataset.pk else None
        if resource is not None and resource.sha256 == sha256:
            return False
        now = timezone.now()
        dataset.title, dataset.title_en, dataset.notes = table.title, table.title_en, table.notes
        dataset.modified_at = now
        dataset.search_text = folded_text(dataset, list(table.tags))
        created = dataset._state.adding
        dataset.save()
        dataset.tags.set([Tag.objects.get_or_create(name=tag)[0] for tag in table.tags])
        if resource is None:
            resource = Resource(
                dataset=dataset, name=f"{table.name}.csv", format=ResourceFormat.CSV
            )
        resource.description = table.title
        resource.sha256, resource.size, resource.modified_at = sha256, size, now
        resource.file.save(f"{table.name}.csv", File(content), save=False)
        resource.save()
        _record(
            dataset,
            RevisionAction.CREATED if created else RevisionAction.RESOURCE_UPDATED,
            PLATFORM,
        )
        previous = datastore.live_table(resource)
        info = {f["id"]: f.get("info") for f in previous.fields} if previous else {}
        fields = (
            [
                {"id": name, "type": kind, **({"info": info[name]} if info.get(name) else {})}
                for name, kind in zip(table.header, table.types, strict=True)
            ]
            if table.types
            else []
        )
        datastore.request_load(resource, fields or (previous.fields if previous else None))
        return True
    finally:
        content.close()


def tables(now: datetime.datetime) -> Iterator[tuple[Table, Agency | None]]:
    """Each generated table with the agency that publishes it (None: the city)."""
    yield procedure_catalogue(), None
    yield administrative_units(), None
    yield dossier_statistics(now), None
    receiving = (
        Agency.objects.current()
        .filter(pk__in=Dossier.objects.values("receiving_agency"))
        .order_by("code")
    )
    for agency in receiving:
        yield dossier_statistics(now, agency), agency


def publish_platform_data(now: datetime.datetime | None = None) -> dict[str, bool]:
    """Refresh every generated dataset; returns name → whether it changed."""
    now = now or timezone.now()
    city = Agency.objects.filter(code=settings.MOTCUA_CITY_AGENCY_CODE).first()
    if city is None:
        return {}
    return {table.name: publish(table, agency or city) for table, agency in tables(now)}
