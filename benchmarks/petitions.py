"""Public map of open reports (feedback and petitions): ``GET /phan-anh/ban-do.json?bbox=…``
with 100,000 reports on PostgreSQL.

It builds a fresh PostgreSQL database (``manage.py migrate``), then, in a child process with
the project's settings, loads N reports spread over Đà Nẵng (most around the urban wards;
70% open, 90% public, as the public map would see them) with ``COPY`` and ``VACUUM ANALYZE``,
and times the map's data one request after another through Django's test client in-process
(middleware, JSON; no network) for three sizes of map view:

- ``street``: a box of about 500 m at zoom 16 (a phone);
- ``district``: about 3 km at zoom 14;
- ``city``: the whole city at zoom 11.

The answer holds the reports themselves when a view has at most 300, else clusters per grid
cell of the zoom (counted in SQL); ``found`` is the reports the view counts, ``items`` the
points or clusters sent, ``KB`` the answer's size.

It also files ``--filings`` reports through the page, signed in, each with a 500 KB photo
(checked as dossier attachments are, stored in a temporary media directory).

Then it serves the project with gunicorn (``--workers`` sync workers) and drives the three
views over HTTP from ``--concurrency`` client threads, each on one kept-alive connection, for
requests per second. It prints figures only and never fails on speed. Target: p99 < 100 ms
for the map's data.

    .venv/bin/python benchmarks/petitions.py --reports 100000 --queries 1000

PostgreSQL is reached at ``--pg-url`` (default ``postgres://postgres@127.0.0.1:5432/
motcua_bench_petitions``, or ``BENCH_POSTGRES_URL``); that database is dropped and recreated at
the start and dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from _common import (  # benchmarks/ is on sys.path
    ROOT,
    PlainClient,
    bounded,
    django_env,
    machine,
    postgres_admin,
    postgres_name,
    run,
    serve,
)

DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench_petitions"
TARGET_P99_MS = 100.0
CENTRE = (16.0544, 108.2022)
VIEWS = {"street": 0.0045, "district": 0.027, "city": 0.25}  # half-height of the box, degrees
ZOOMS = {"street": 16, "district": 14, "city": 11}
COLUMNS = (
    "code, token, topic_id, subject, title, text, latitude, longitude, address_text, "
    "address_code, media_url, phone, phone_verified, reporter_name, name_public, is_public, "
    "channel, status, agency_id, filed_at, arrived_at, forward_due_at, answer_due_at, due_at, "
    "forwarded_late, answer, answered_late, rating_comment, reopen_count, updated_at"
)


def setup_django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()


def load(count: int) -> dict[str, Any]:
    from django.db import connection, transaction

    from motcua.agencies.models import Agency, AgencyKind, AgencyLevel
    from motcua.petitions.models import Topic

    agency = Agency.objects.create(
        code="H17.03", name="Sở Xây dựng", kind=AgencyKind.DEPARTMENT, level=AgencyLevel.CITY
    )
    topics = [
        Topic.objects.create(code=f"chu-de-{n}", name=f"Chủ đề {n}", agency=agency)
        for n in range(6)
    ]
    rng = random.Random(2008)
    now = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    copy_sql = f"COPY petitions_report ({COLUMNS}) FROM STDIN"
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.cursor.copy(copy_sql) as copy,
    ):
        for n in range(count):
            if rng.random() < 0.8:  # the urban wards
                lat = rng.gauss(CENTRE[0], 0.03)
                lng = rng.gauss(CENTRE[1], 0.03)
            else:
                lat, lng = rng.uniform(15.4, 16.2), rng.uniform(107.3, 108.7)
            filed = now - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 365))
            is_open = rng.random() < 0.7
            copy.write_row(
                (
                    f"PA-{filed:%y%m%d}-{n:06d}",
                    f"bench-{n}",
                    topics[n % len(topics)].pk,
                    "place",
                    "Ổ gà trên đường",
                    "Ổ gà lớn giữa đường, xe máy dễ ngã.",
                    lat,
                    lng,
                    "",
                    "",
                    "",
                    "0905123456",
                    True,
                    "",
                    False,
                    rng.random() < 0.9,
                    "web",
                    rng.choice(["received", "processing"]) if is_open else "answered",
                    agency.pk,
                    filed,
                    filed,
                    filed + dt.timedelta(days=7),
                    filed + dt.timedelta(days=21),
                    filed + dt.timedelta(days=21) if is_open else None,
                    False,
                    "" if is_open else "Đã xử lý.",
                    False,
                    "",
                    0,
                    filed,
                )
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE petitions_report")
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('petitions_report'))")
        size = cursor.fetchone()[0]
    return {"load_seconds": round(time.perf_counter() - started, 1), "table_size": size}


def boxes(view: str, count: int, seed: int = 311) -> list[str]:
    rng = random.Random(seed)
    half = VIEWS[view]
    out = []
    for _ in range(count):
        lat = rng.gauss(CENTRE[0], 0.02) if view != "city" else CENTRE[0]
        lng = rng.gauss(CENTRE[1], 0.02) if view != "city" else CENTRE[1]
        west, east = lng - half * 1.4, lng + half * 1.4
        out.append(f"{west:.5f},{lat - half:.5f},{east:.5f},{lat + half:.5f}&zoom={ZOOMS[view]}")
    return out


def percentiles(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 2)

    return {"p50": pct(0.5), "p90": pct(0.9), "p99": pct(0.99), "max": round(ordered[-1], 2)}


def measure(queries: int) -> list[dict[str, Any]]:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    phases = []
    for view in VIEWS:
        paths = [f"/phan-anh/ban-do.json?bbox={b}" for b in boxes(view, queries)]
        for path in paths[: min(50, queries)]:
            client.get(path)
        latencies, found, items, sizes = [], [], [], []
        started = time.perf_counter()
        for path in paths:
            t0 = time.perf_counter()
            response = client.get(path)
            latencies.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.content[:300]
            answer = response.json()
            found.append(answer["count"])
            items.append(len(answer["reports"]) + len(answer["clusters"]))
            sizes.append(len(response.content))
        elapsed = time.perf_counter() - started
        phases.append(
            {
                "phase": f"in-process {view}",
                "requests": len(paths),
                "per_s": round(len(paths) / elapsed, 1),
                "mean_found": round(sum(found) / len(found), 1),
                "mean_items": round(sum(items) / len(items), 1),
                "mean_kb": round(sum(sizes) / len(sizes) / 1024, 1),
                **percentiles(latencies),
            }
        )
    return phases


def filing(count: int) -> dict[str, Any]:
    """Signed-in citizens file reports through the page with a 500 KB photo (in-process)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from motcua.accounts.models import User
    from motcua.petitions.models import Topic

    user = User.objects.create(username="bench-citizen", full_name="Nguyễn Văn Thử")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    topic = Topic.objects.first()
    assert topic is not None
    rng = random.Random(20)
    photo = b"\xff\xd8\xff\xe0" + rng.randbytes(500 * 1024) + b"\xff\xd9"
    latencies = []
    started = time.perf_counter()
    for n in range(count):
        data = {
            "topic": str(topic.pk),
            "subject": "place",
            "latitude": f"{rng.gauss(CENTRE[0], 0.02):.6f}",
            "longitude": f"{rng.gauss(CENTRE[1], 0.02):.6f}",
            "text": f"Ổ gà số {n} giữa đường.",
            "is_public": "on",
            "photos": SimpleUploadedFile("anh.jpg", photo, content_type="image/jpeg"),
        }
        t0 = time.perf_counter()
        response = client.post("/phan-anh/gui/", data)
        latencies.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 302, response.content[:500]
    elapsed = time.perf_counter() - started
    return {
        "phase": "in-process file+photo",
        "requests": count,
        "per_s": round(count / elapsed, 1),
        **percentiles(latencies),
    }


def child(args: argparse.Namespace) -> None:
    setup_django()
    from motcua.petitions.models import Report

    facts = load(args.reports)
    facts["reports"] = Report.objects.count()
    facts["phases"] = measure(args.queries)
    facts["phases"].append(filing(args.filings))
    print("RESULT " + json.dumps(facts))


# --- in the parent -------------------------------------------------------------------------


@contextmanager
def fresh_database(pg_url: str) -> Iterator[str]:
    name = postgres_name(pg_url)
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    version = postgres_admin(pg_url, [drop, f'CREATE DATABASE "{name}"'])
    try:
        yield version
    finally:
        with suppress(Exception):
            postgres_admin(pg_url, [drop], guard=False)


def over_http(base: str, view: str, queries: int, concurrency: int) -> dict[str, Any]:
    paths = [f"/phan-anh/ban-do.json?bbox={b}" for b in boxes(view, queries, seed=48)]
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    chunks = [paths[i::concurrency] for i in range(concurrency)]

    def work(chunk: list[str]) -> None:
        client = PlainClient(base)
        for path in chunk[:5]:
            client.get(path)
        for path in chunk:
            t0 = time.perf_counter()
            response = client.get(path)
            ms = (time.perf_counter() - t0) * 1000
            with lock:
                latencies.append(ms)
                failures[0] += response.status_code != 200

    threads = [threading.Thread(target=work, args=(chunk,)) for chunk in chunks]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "phase": f"http {view}",
        "requests": len(latencies),
        "per_s": round(len(latencies) / elapsed, 1),
        "failures": failures[0],
        **percentiles(latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=bounded(5_000_000), default=100_000)
    parser.add_argument("--queries", type=bounded(100_000), default=1000)
    parser.add_argument("--filings", type=bounded(10_000), default=200)
    parser.add_argument("--workers", type=bounded(32), default=3)
    parser.add_argument("--concurrency", type=bounded(64), default=4)
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG_URL))
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="answer every request from the database (MOTCUA_PETITION_MAP_CACHE_SECONDS=0)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f}")
    print(f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    workdir = Path(tempfile.mkdtemp(prefix="motcua-bench-petitions-"))
    try:
        with fresh_database(args.pg_url) as version:
            extra = {"MOTCUA_PETITION_MAP_CACHE_SECONDS": "0"} if args.no_cache else None
            env = django_env(args.pg_url, workdir, extra=extra)
            print("migrate …", flush=True)
            run([sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput"], env)
            print(f"load {args.reports:,} reports and measure in-process …", flush=True)
            command = [sys.executable, __file__, "--child", "--reports", str(args.reports)]
            command += ["--queries", str(args.queries), "--filings", str(args.filings)]
            result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
            if result.returncode:
                raise RuntimeError(result.stdout[-3000:] + result.stderr[-3000:])
            line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT "))
            facts: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
            print(f"over HTTP: gunicorn {args.workers} sync workers, {args.concurrency} clients …")
            options = ["--workers", str(args.workers), "--worker-class", "sync"]
            with serve(env, workdir / "gunicorn.log", options) as (base, _master):
                for view in VIEWS:
                    facts["phases"].append(over_http(base, view, args.queries, args.concurrency))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(
        f"\n{version}, {facts['reports']:,} reports (loaded in {facts['load_seconds']} s, "
        f"table {facts['table_size']}); load average now {os.getloadavg()[0]:.2f}"
    )
    print(f"{'phase':<22}{'requests':>9}{'per s':>8}{'p50':>9}{'p90':>9}{'p99':>9}{'max':>9}")
    for row in facts["phases"]:
        print(
            f"{row['phase']:<22}{row['requests']:>9}{row['per_s']:>8}{row['p50']:>9}"
            f"{row['p90']:>9}{row['p99']:>9}{row['max']:>9}"
            + (
                f"  found {row['mean_found']}, items {row['mean_items']}, {row['mean_kb']} KB"
                if "mean_found" in row
                else ""
            )
            + (f"  failures {row['failures']}" if row.get("failures") else "")
        )
    worst = max(row["p99"] for row in facts["phases"] if row["phase"].startswith("http"))
    verdict = "met" if worst < TARGET_P99_MS else "NOT met"
    print(
        f"target p99 < {TARGET_P99_MS:.0f} ms for the map's data over HTTP: {verdict} "
        f"(worst {worst} ms; cache {'off' if args.no_cache else 'on'})"
    )


if __name__ == "__main__":
    main()
