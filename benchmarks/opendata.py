"""Open-data benchmark: ``package_search`` with facets, and ``datastore_search`` on a large table.

It makes a fresh PostgreSQL database (``manage.py migrate``), publishes ``--datasets`` datasets
(generated Vietnamese titles, tags, themes, agencies, one CSV or link resource each; written in
bulk), writes a CSV of ``--rows`` rows (district, month, category, amount, ratio) and loads it
with the datastore's own loader (``motcua.opendata.datastore.load_now``, as the background
worker does) in a child process, printing rows per second and the child's peak memory. Then it
serves the platform with gunicorn in production mode and sends, from a pool of threads with one
kept-alive connection each:

* ``package_search`` with ``q`` (a mix of words, with and without diacritics, and empty), an
  ``fq`` on an agency or a format for one query in three, ``facet.field`` on organization,
  groups, tags, res_format and license_id, ``rows=10``;
* ``datastore_search`` on the large table with a filter on one column, a sort on the amount and
  ``limit=100`` (``total`` estimated past ``MOTCUA_OPENDATA_TOTAL_ESTIMATION_THRESHOLD``), the
  same with ``total_estimation_threshold`` empty (an exact count on every call);
* ``datastore_search_sql`` with the same filter, sort and limit in SQL.

Every answer must be a 200 with ``success: true``; failures are counted. It prints figures only
(requests, requests/s, p50/p90/p99/max in ms) and never fails on speed; the issue's target is
p99 < 100 ms for both.

    .venv/bin/python benchmarks/opendata.py --datasets 5000 --rows 1000000 --requests 1000

The database at ``--pg-url`` (default ``postgres://postgres@127.0.0.1:5432/motcua_opendata_bench``
or ``BENCH_OPENDATA_POSTGRES_URL``) is dropped and recreated at the start (refused if another
client is connected) and dropped at the end; files and logs live in a temporary directory,
removed at the end, also when the run fails.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

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

DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/motcua_opendata_bench"
TARGET_P99_MS = 100.0
DISTRICTS = ["Hải Châu", "Thanh Khê", "Sơn Trà", "Ngũ Hành Sơn", "Liên Chiểu", "Cẩm Lệ",
             "Hòa Vang", "Hòa Khánh", "An Hải", "Hòa Cường"]  # fmt: skip
QUERIES = ["", "ngan sach", "giáo dục", "y te", "giao thong", "dân số", "moi truong", "du lich"]

SEED = r"""
import json, random, uuid
from django.utils import timezone
from motcua.agencies.models import Agency, AgencyKind, AgencyLevel
from motcua.opendata.models import Dataset, Resource, Tag, Theme
from motcua.opendata.selectors import folded_text

random.seed(15)
count = int(COUNT)
subjects = ["Ngân sách", "Giáo dục", "Y tế", "Giao thông", "Dân số", "Môi trường", "Du lịch",
            "Đất đai", "Xây dựng", "Nông nghiệp"]
agencies = [
    Agency.objects.get_or_create(
        code=f"H17.{n:02d}", defaults={"name": f"Sở thử nghiệm {n}", "kind": AgencyKind.DEPARTMENT,
                                       "level": AgencyLevel.CITY})[0]
    for n in range(10, 40)
]
themes = [Theme.objects.create(name=f"chu-de-{n}", title=s) for n, s in enumerate(subjects)]
tags = [Tag.objects.create(name=f"{s.lower()} {n}") for s in subjects for n in range(5)]
now = timezone.now()
datasets = []
for n in range(count):
    subject = subjects[n % len(subjects)]
    d = Dataset(name=f"bo-du-lieu-{n}", title=f"{subject} thành phố năm {2000 + n % 26} — bộ {n}",
                notes=f"Số liệu {subject.lower()} của Đà Nẵng.", agency=random.choice(agencies),
                state="active", private=n % 20 == 0,
                licence_id=random.choice(["cc-by", "odc-odbl", "cc-zero"]),
                frequency="monthly", created_at=now, modified_at=now)
    d.search_text = folded_text(d, [])
    datasets.append(d)
Dataset.objects.bulk_create(datasets, batch_size=1000)
Through = Dataset.tags.through
Through.objects.bulk_create([Through(dataset_id=d.pk, tag_id=tags[(i * 7 + k) % len(tags)].pk)
                             for i, d in enumerate(datasets) for k in range(3)], batch_size=5000)
ThemeThrough = Dataset.themes.through
ThemeThrough.objects.bulk_create([ThemeThrough(dataset_id=d.pk, theme_id=themes[i % len(themes)].pk)
                                  for i, d in enumerate(datasets)], batch_size=5000)
formats = ["CSV", "JSON", "XLSX", "PDF"]
Resource.objects.bulk_create([Resource(dataset=d, name="du-lieu", format=random.choice(formats),
                                       url="https://example.org/du-lieu") for d in datasets],
                             batch_size=5000)
print("JSON" + json.dumps({"agencies": [a.code for a in agencies]}))
"""

LOAD = r"""
import json, resource, time
from django.core.files import File
from motcua.agencies.models import Agency
from motcua.opendata.constants import LoadStatus
from motcua.opendata.models import Dataset, DatastoreTable, Resource

agency = Agency.objects.order_by("code").first()
dataset = Dataset.objects.create(name="bang-lon", title="Bảng lớn", agency=agency, state="active")
item = Resource(dataset=dataset, name="bang-lon.csv", format="CSV")
with open(CSV_PATH, "rb") as source:
    item.file.save("bang-lon.csv", File(source), save=True)
table = DatastoreTable.objects.create(resource=item)
from motcua.opendata.datastore import load_now
started = time.monotonic()
load_now(table.pk)
seconds = time.monotonic() - started
table.refresh_from_db()
assert table.status == LoadStatus.DONE, table.errors
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print("JSON" + json.dumps({"resource": str(item.pk), "rows": table.row_count, "seconds": seconds,
                           "peak_mb": peak_mb}))
"""


def shell(env: dict[str, str], script: str) -> dict[str, object]:
    output = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell"],
        input=script,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads([line for line in output.splitlines() if line.startswith("JSON")][-1][4:])


def write_csv(path: Path, rows: int) -> None:
    random.seed(7)
    with path.open("w", encoding="utf-8") as out:
        out.write("quan,thang,nhom,so_tien,ty_le\n")
        for n in range(rows):
            out.write(
                f"{DISTRICTS[n % 10]},{n % 12 + 1},nhom-{n % 37},"
                f"{random.randint(1, 10_000_000)},{random.random():.4f}\n"
            )


def measure(base: str, paths: list[str], requests: int, concurrency: int) -> dict[str, float]:
    local = threading.local()
    failures = 0
    lock = threading.Lock()

    def one(path: str) -> float:
        nonlocal failures
        if not hasattr(local, "client"):
            local.client = PlainClient(base)
        started = time.perf_counter()
        answer = local.client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if answer.status_code != 200 or not answer.json().get("success"):
            with lock:
                failures += 1
        return elapsed

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, paths[: max(20, len(paths) // 10)]))  # warm-up
        started = time.perf_counter()
        latencies = sorted(pool.map(one, paths[:requests]))
        wall = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "failures": failures,
        "rps": len(latencies) / wall,
        "p50": statistics.median(latencies),
        "p90": latencies[int(len(latencies) * 0.9) - 1],
        "p99": latencies[int(len(latencies) * 0.99) - 1],
        "max": latencies[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", type=bounded(100_000), default=5000)
    parser.add_argument("--rows", type=bounded(5_000_000), default=1_000_000)
    parser.add_argument("--requests", type=bounded(100_000), default=1000)
    parser.add_argument("--concurrency", type=bounded(64), default=4)
    parser.add_argument("--workers", type=bounded(16), default=2)
    parser.add_argument("--threads", type=bounded(16), default=2)
    default_url = os.environ.get("BENCH_OPENDATA_POSTGRES_URL", DEFAULT_PG_URL)
    parser.add_argument("--pg-url", default=default_url)
    args = parser.parse_args()
    name = postgres_name(args.pg_url)
    server = postgres_admin(
        args.pg_url, [f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"']
    )
    workdir = Path(tempfile.mkdtemp(prefix="motcua-bench-opendata-"))
    try:
        env = django_env(args.pg_url, workdir)
        run([sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput"], env)
        started = time.monotonic()
        seeded = shell(env, f"COUNT = {args.datasets}\n" + SEED)
        print(f"seeded {args.datasets} datasets in {time.monotonic() - started:.0f} s")
        csv_path = workdir / "bang-lon.csv"
        write_csv(csv_path, args.rows)
        loaded = shell(env, f"CSV_PATH = {str(csv_path)!r}\n" + LOAD)
        rows_per_s = float(loaded["rows"]) / float(loaded["seconds"])  # type: ignore[arg-type]
        analyse = "from django.db import connection; connection.cursor().execute('ANALYZE')"
        run([sys.executable, str(ROOT / "manage.py"), "shell", "-c", analyse], env)

        random.seed(3)
        facets = json.dumps(["organization", "groups", "tags", "res_format", "license_id"])
        agencies = seeded["agencies"]
        assert isinstance(agencies, list)
        searches = []
        for n in range(args.requests * 2):
            query: dict[str, object] = {"q": random.choice(QUERIES), "facet.field": facets}
            query["rows"] = 10
            if n % 3 == 0:
                query["fq"] = random.choice(
                    [
                        f"organization:{random.choice(agencies).lower().replace('.', '-')}",
                        f"res_format:{random.choice(['CSV', 'JSON', 'PDF'])}",
                    ]
                )
            searches.append("/api/3/action/package_search?" + urlencode(query))
        tables = [
            "/api/3/action/datastore_search?"
            + urlencode(
                {
                    "resource_id": loaded["resource"],
                    "filters": json.dumps({"quan": random.choice(DISTRICTS)}),
                    "sort": "so_tien desc",
                    "limit": 100,
                }
            )
            for _ in range(args.requests * 2)
        ]
        exact = [path + "&total_estimation_threshold=" for path in tables]
        table_sql = f'SELECT * FROM "{loaded["resource"]}" WHERE quan = '  # noqa: S608
        queries = [
            "/api/3/action/datastore_search_sql?"
            + urlencode(
                {"sql": table_sql + f"'{random.choice(DISTRICTS)}' ORDER BY so_tien DESC LIMIT 100"}
            )
            for _ in range(args.requests * 2)
        ]
        options = ["--workers", str(args.workers), "--threads", str(args.threads)]
        with serve(env, workdir / "gunicorn.log", options) as (base, _pid):
            figures = {
                "package_search + facets": measure(base, searches, args.requests, args.concurrency),
                "datastore_search": measure(base, tables, args.requests, args.concurrency),
                "  with an exact total": measure(base, exact, args.requests, args.concurrency),
                "datastore_search_sql": measure(base, queries, args.requests, args.concurrency),
            }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        postgres_admin(args.pg_url, [f'DROP DATABASE IF EXISTS "{name}"'], guard=False)

    print(f"machine: {machine()}; {server}; load average {os.getloadavg()[0]:.2f}")
    print(f"gunicorn {args.workers} workers x {args.threads} threads, {args.concurrency} clients")
    print(
        f"datastore load: {loaded['rows']} rows in {float(loaded['seconds']):.1f} s "  # type: ignore[arg-type]
        f"({rows_per_s:,.0f} rows/s), peak memory of the loading process "
        f"{float(loaded['peak_mb']):.0f} MB"  # type: ignore[arg-type]
    )
    heading = f"{'operation':26} {'requests':>8} {'failed':>6} {'req/s':>7} "
    heading += f"{'p50':>7} {'p90':>7} {'p99':>7} {'max':>7}"
    print(f"{heading}  (ms; target p99 < {TARGET_P99_MS:.0f})")
    for label, f in figures.items():
        print(
            f"{label:26} {f['requests']:8.0f} {f['failures']:6.0f} {f['rps']:7.1f} "
            f"{f['p50']:7.1f} {f['p90']:7.1f} {f['p99']:7.1f} {f['max']:7.1f}"
        )


if __name__ == "__main__":
    main()
