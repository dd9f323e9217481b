"""Digital-address search benchmark: nearest places to a point and street-text search, with
1,000,000 places, on PostgreSQL and on SQLite.

For each database it builds a fresh one (``manage.py migrate``), then, in a child process with
the project's settings, loads N places spread over Đà Nẵng's 94 wards and communes (most in the
16 urban wards, around each ward's reference point; generated streets with diacritics, house
numbers, plus codes and cells computed by ``motcua.addresses.plus_codes`` as the services do),
with ``COPY`` on PostgreSQL (the GIN index built after the load, then ``VACUUM ANALYZE``) and
batched inserts on SQLite. It then times, one request after another after a warm-up:

- ``nearest``: ``selectors.nearest`` (10 places) around points near recorded places;
- ``nearest-sparse``: the same around random points of the province (often countryside, where
  the search widens ring by ring up to 2 km);
- ``street``: ``selectors.search_text`` (20 places) for typed words without diacritics: a number
  and a street, a street alone, a street and a ward;
- ``api-nearest`` and ``api-street``: the same through ``/api/v1/addresses/…`` with Django's
  test client in-process (middleware, JSON; no network, no gunicorn).

It prints figures only (requests, p50/p90/p99/max in ms) and never fails on speed. The target
is p99 < 50 ms on PostgreSQL with 1,000,000 places.

Run it from the repository root with the project's virtual environment::

    .venv/bin/python benchmarks/addresses.py --db both --places 1000000 --queries 2000

PostgreSQL is reached at ``--pg-url`` (default ``postgres://postgres@127.0.0.1:5432/
motcua_bench_addresses``, or ``BENCH_POSTGRES_URL``); that database is dropped and recreated at
the start (refused if another client is connected to it) and dropped at the end. The SQLite
file lives in a temporary directory, removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path
from typing import Any

from _common import (  # benchmarks/ is on sys.path
    ROOT,
    bounded,
    django_env,
    machine,
    postgres_admin,
    postgres_name,
    run,
)

DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench_addresses"
TARGET_P99_MS = 50.0
URBAN = [
    20195, 20197, 20200, 20209, 20224, 20242, 20257, 20260,
    20263, 20275, 20285, 20314, 20320, 20332, 20410, 20341,
]  # fmt: skip
STREETS = [
    "Trần Phú", "Bạch Đằng", "Lê Duẩn", "Hùng Vương", "Nguyễn Văn Linh", "Điện Biên Phủ",
    "Hoàng Diệu", "Phan Châu Trinh", "Lê Lợi", "Quang Trung", "Nguyễn Chí Thanh", "Ông Ích Khiêm",
    "Hải Phòng", "Lý Thường Kiệt", "Trưng Nữ Vương", "Núi Thành", "Nguyễn Tri Phương",
    "Hàm Nghi", "Lê Đình Dương", "Ngô Gia Tự", "Võ Văn Kiệt", "Phạm Văn Đồng", "Võ Nguyên Giáp",
    "Ngũ Hành Sơn", "Lê Văn Hiến", "Trường Sa", "Tôn Đức Thắng", "Âu Cơ", "Nguyễn Lương Bằng",
    "Kinh Dương Vương", "Nguyễn Tất Thành", "Trường Chinh", "Cách Mạng Tháng Tám",
    "Ông Ích Đường", "Nguyễn Hữu Thọ", "Xô Viết Nghệ Tĩnh", "Lê Thanh Nghị", "Tiểu La",
    "Duy Tân", "Hoàng Văn Thụ", "Yên Bái", "Thái Phiên", "Đống Đa", "Ngô Quyền", "Ngô Thì Nhậm",
    "Phan Đăng Lưu", "Huỳnh Thúc Kháng", "Nguyễn Công Trứ", "Hồ Nghinh", "Phạm Cự Lượng",
]  # fmt: skip
VILLAGES = [f"Thôn {n}" for n in ("Một", "Hai", "Ba", "Bốn", "Năm", "Phú Sơn", "An Mỹ", "Tân Lập")]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Đình", "Hữu", "Công", "Quang", "Đức", "Minh"]
GIVEN = [
    "An", "Bảo", "Cảnh", "Dũng", "Giản", "Hiến", "Hòa", "Khang", "Lâm", "Lộc", "Mẫn", "Nghĩa",
    "Phúc", "Quý", "Sáng", "Tài", "Thành", "Thuật", "Trí", "Tuệ", "Tường", "Vĩnh", "Xuân", "Yên",
]  # fmt: skip


def street_names(rng: random.Random) -> list[str]:
    """About 2,300 street names: a real city's order of magnitude (Đà Nẵng has thousands), so
    that one street holds hundreds of places, not tens of thousands."""
    made = {f"{f} {m} {g}" for f in FAMILY for m in MIDDLE for g in GIVEN}
    return STREETS + sorted(made)


# --- in the child process (the project's settings) -------------------------------------------


def setup_django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()


def generate(count: int, seed: int = 48) -> Iterator[tuple[Any, ...]]:
    """Rows of ``addresses_place`` in column order (see ``COLUMNS``)."""
    from motcua.addresses import codes, plus_codes, services, wards

    rng = random.Random(seed)
    everywhere = [w for w in wards.wards_of(48) if w.latitude is not None]
    urban = [w for w in everywhere if w.code in URBAN]
    pool = street_names(rng)
    # Each ward has its own streets (a main street may run through several wards).
    streets_of = {
        w.code: rng.sample(STREETS, 8)
        + rng.sample(pool, 80 if w in urban else 12)
        + ([] if w in urban else VILLAGES)
        for w in everywhere
    }
    now = "2026-12-05 00:00:00+00:00"
    for serial in range(1, count + 1):
        is_urban = rng.random() < 0.7
        ward = rng.choice(urban if is_urban else everywhere)
        spread = 0.015 if is_urban else 0.03
        assert ward.latitude is not None and ward.longitude is not None
        latitude = round(ward.latitude + rng.gauss(0, spread), 7)
        longitude = round(ward.longitude + rng.gauss(0, spread), 7)
        street = rng.choice(streets_of[ward.code])
        number = str(rng.randint(1, 600)) + (
            "" if rng.random() < 0.9 else "/" + str(rng.randint(1, 30))
        )
        plus_code = plus_codes.encode(latitude, longitude)
        yield (
            codes.platform_code(48, serial),
            48,
            ward.code,
            "",
            street,
            number,
            latitude,
            longitude,
            plus_code,
            plus_code[: plus_codes.CELL_LENGTH],
            plus_code.replace("+", "")[: plus_codes.FINE_LENGTH],
            services.searchable(number, street, ward.name),
            "confirmed",
            1,
            now,
            now,
        )


COLUMNS = (
    "code, province_code, ward_code, former_ward_name, street, house_number, latitude, "
    "longitude, plus_code, cell, fine_cell, search_text, status, version, created_at, updated_at"
)


def load(count: int) -> dict[str, Any]:
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The GIN index is built once after the load, as a bulk import would.
            cursor.execute("DROP INDEX IF EXISTS addresses_place_search_gin")
            with cursor.cursor.copy(f"COPY addresses_place ({COLUMNS}) FROM STDIN") as copy:
                for row in generate(count):
                    copy.write_row(row)
            cursor.execute(
                "CREATE INDEX addresses_place_search_gin ON addresses_place "
                "USING gin (search_vector)"
            )
        else:
            marks = ", ".join(["%s"] * len(COLUMNS.split(",")))
            insert = f"INSERT INTO addresses_place ({COLUMNS}) VALUES ({marks})"  # noqa: S608
            batch: list[tuple[Any, ...]] = []
            for row in generate(count):
                batch.append(row)
                if len(batch) == 20_000:
                    cursor.executemany(insert, batch)
                    batch = []
            if batch:
                cursor.executemany(insert, batch)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"load_seconds": round(time.perf_counter() - started, 1)}


def timed(name: str, calls: list[Callable[[], int]], warmup: int) -> dict[str, Any]:
    for call in calls[:warmup]:
        call()
    latencies, found, slowest = [], [], []
    for call in calls:
        start = time.perf_counter()
        found.append(call())
        latencies.append((time.perf_counter() - start) * 1000)
        slowest.append((latencies[-1], repr(getattr(call, "args", ("",))[0])))
    latencies.sort()
    slowest.sort(reverse=True)

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 2)

    return {
        "phase": name,
        "requests": len(calls),
        "p50": pct(0.50),
        "p90": pct(0.90),
        "p99": pct(0.99),
        "max": round(latencies[-1], 2),
        "mean_found": round(statistics.mean(found), 1),
        "empty": sum(1 for n in found if n == 0),
        # What was asked in the slowest requests: a tail of the load, or of the query?
        "slowest": [f"{ms:.0f} ms {asked}" for ms, asked in slowest[:5]],
    }


def measure(queries: int) -> list[dict[str, Any]]:
    from django.db.models import Max, Min
    from django.test import Client

    from motcua.addresses import selectors, wards
    from motcua.addresses.models import Place
    from motcua.catalog.text import fold

    rng = random.Random(766)
    # Places drawn by id (an OFFSET into a million rows would cost a scan each).
    low, high = Place.objects.aggregate(low=Min("id"), high=Max("id")).values()
    ids = rng.sample(range(low, high + 1), min(queries, 500, high - low + 1))
    picks = list(
        Place.objects.filter(pk__in=ids).only(
            "latitude", "longitude", "street", "house_number", "ward_code"
        )
    )
    near_points = [
        (p.latitude + rng.gauss(0, 0.0005), p.longitude + rng.gauss(0, 0.0005))
        for p in (rng.choice(picks) for _ in range(queries))
    ]
    sparse_points = [(rng.uniform(15.0, 16.1), rng.uniform(107.5, 108.6)) for _ in range(queries)]

    def words(pick: Place) -> str:
        kind = rng.random()
        if kind < 0.5:
            return fold(f"{pick.house_number.split('/')[0]} {pick.street}")
        if kind < 0.8:
            return fold(pick.street)
        ward = wards.ward(pick.ward_code)
        return fold(f"{pick.street} {wards.short_name(ward.name) if ward else ''}")

    texts = [words(rng.choice(picks)) for _ in range(queries)]
    client = Client(HTTP_HOST="127.0.0.1")  # the host the benchmark's settings allow

    def api(path: str, params: dict[str, str]) -> int:
        response = client.get(path, params)
        assert response.status_code == 200, response.content[:300]
        return len(response.json())

    def nearest(point: tuple[float, float]) -> int:
        return len(selectors.nearest(*point))

    def street(text: str) -> int:
        return len(selectors.search_text(text))

    def api_nearest(point: tuple[float, float]) -> int:
        lat, lng = point
        return api("/api/v1/addresses/nearest/", {"lat": f"{lat:.6f}", "lng": f"{lng:.6f}"})

    def api_street(text: str) -> int:
        return api("/api/v1/addresses/", {"q": text})

    warmup = min(100, queries // 10)
    return [
        timed("nearest", [partial(nearest, p) for p in near_points], warmup),
        timed("nearest-sparse", [partial(nearest, p) for p in sparse_points], warmup),
        timed("street", [partial(street, t) for t in texts], warmup),
        timed("api-nearest", [partial(api_nearest, p) for p in near_points], warmup),
        timed("api-street", [partial(api_street, t) for t in texts], warmup),
    ]


def child(args: argparse.Namespace) -> None:
    setup_django()
    from django.db import connection

    from motcua.addresses.models import Place

    facts = load(args.places)
    facts["places"] = Place.objects.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('addresses_place'))")
            facts["table_size"] = cursor.fetchone()[0]
    facts["phases"] = measure(args.queries)
    print("RESULT " + json.dumps(facts))


# --- in the parent -------------------------------------------------------------------------


@contextmanager
def fresh_database(kind: str, workdir: Path, pg_url: str) -> Iterator[tuple[str, str]]:
    if kind == "sqlite":
        path = workdir / "bench.sqlite3"
        try:
            yield f"sqlite:///{path}", f"SQLite {sqlite3.sqlite_version}"
        finally:
            path.unlink(missing_ok=True)
        return
    name = postgres_name(pg_url)
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    version = postgres_admin(pg_url, [drop, f'CREATE DATABASE "{name}"'])
    try:
        yield pg_url, version
    finally:
        with suppress(Exception):
            postgres_admin(pg_url, [drop], guard=False)


def benchmark(kind: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    with fresh_database(kind, workdir, args.pg_url) as (url, version):
        env = django_env(url, workdir)
        print(f"[{kind}] migrate …", flush=True)
        run([sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput"], env)
        print(f"[{kind}] load {args.places:,} places and measure …", flush=True)
        command = [sys.executable, __file__, "--child", "--places", str(args.places)]
        command += ["--queries", str(args.queries)]
        result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(result.stdout[-3000:] + result.stderr[-3000:])
        line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT "))
        facts: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
        facts["database"] = version
        return facts


def report(kind: str, facts: dict[str, Any]) -> None:
    size = f", table {facts['table_size']}" if "table_size" in facts else ""
    print(
        f"\n{kind}: {facts['database']}, {facts['places']:,} places "
        f"(loaded in {facts['load_seconds']} s{size})"
    )
    print(f"{'phase':<16}{'requests':>9}{'p50':>9}{'p90':>9}{'p99':>9}{'max':>9}  found  empty")
    for row in facts["phases"]:
        print(
            f"{row['phase']:<16}{row['requests']:>9}{row['p50']:>9}{row['p90']:>9}"
            f"{row['p99']:>9}{row['max']:>9}  {row['mean_found']:>5}  {row['empty']:>5}"
        )
    for row in facts["phases"]:
        print(f"slowest {row['phase']}: " + "; ".join(row["slowest"]))
    if kind == "postgres":
        worst = max(row["p99"] for row in facts["phases"])
        verdict = "met" if worst < TARGET_P99_MS else "NOT met"
        print(
            f"target p99 < {TARGET_P99_MS:.0f} ms on PostgreSQL: {verdict} (worst p99 {worst} ms)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["postgres", "sqlite", "both"], default="both")
    parser.add_argument("--places", type=bounded(5_000_000), default=1_000_000)
    parser.add_argument("--queries", type=bounded(100_000), default=2000)
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG_URL))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    kinds = ["postgres", "sqlite"] if args.db == "both" else [args.db]
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f}")
    print(f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    workdir = Path(tempfile.mkdtemp(prefix="motcua-bench-addresses-"))
    try:
        for kind in kinds:
            report(kind, benchmark(kind, args, workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
