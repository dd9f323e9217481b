"""Personal data store benchmark (issue 14, point 8), on PostgreSQL.

It builds a fresh database (``manage.py migrate``), then, in a child process with the
project's settings:

1. loads N stored documents with ``COPY`` (default 1,000,000) spread over N / 500 citizens
   (500 documents each), then ``VACUUM ANALYZE``;
2. times the store page ``/kho-du-lieu/`` (its first page of 20, and page 5) and the API list
   ``/api/v1/me/documents/`` for random citizens, one request after another after a warm-up,
   through Django's test client in-process (middleware, templates; no network, no gunicorn);
3. measures the server CPU (``time.process_time``) of filing a dossier whose two documents
   are taken from the store (``use_in_draft`` twice, then ``submit``, which checks both files'
   SHA-256 again) against filing one with two uploads (``attach`` twice: content checks,
   scanner, storage; then ``submit``), alternating the two, each ``--filings`` times.

It prints figures only and never fails on speed. Targets: the store page p99 < 50 ms with
1,000,000 documents in the table; a filing with two reused documents costs no more CPU than
one with two uploads.

    .venv/bin/python benchmarks/personalstore.py --documents 1000000 --requests 500

PostgreSQL is reached at ``--pg-url`` (default ``postgres://postgres@127.0.0.1:5432/
motcua_bench_store``, or ``BENCH_POSTGRES_URL``); that database is dropped and recreated at the
start (refused if another client is connected) and dropped at the end.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import suppress
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

DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench_store"
PER_CITIZEN = 500
TARGET_P99_MS = 50.0


def setup_django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def load(documents: int) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from motcua.accounts.models import User

    started = time.perf_counter()
    citizens = max(1, documents // PER_CITIZEN)
    password = make_password("bench-password-not-used")
    User.objects.bulk_create(
        [
            User(username=f"bench-{n}", password=password, full_name=f"Công dân {n}")
            for n in range(citizens)
        ],
        batch_size=2000,
    )
    ids = list(User.objects.filter(username__startswith="bench-").values_list("pk", flat=True))
    types = ["GIAY_KHAI_SINH", "CCCD", "GIAY_CHUNG_NHAN_KET_HON", "SO_BHXH", "GCN_DKDN"]
    columns = (
        "owner_user_id, document_type, title, issuer, number, issued_on, source, file, "
        "content_type, size, sha256, data, flag_reason, created_at"
    )
    with connection.cursor() as cursor:
        with cursor.copy(  # type: ignore[attr-defined]
            f"COPY personalstore_storeddocument ({columns}) FROM STDIN"
        ) as copy:
            for n in range(documents):
                owner = ids[n % len(ids)]
                kind = types[n % len(types)]
                copy.write_row(
                    (
                        owner,
                        kind,
                        f"Giấy tờ {n}",
                        "Ủy ban nhân dân phường Hải Châu",
                        f"{n}/2025",
                        f"2025-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
                        "result",
                        f"personalstore/bench/{n}",
                        "application/pdf",
                        1000,
                        f"{n:064x}",
                        "{}",
                        "",
                        f"2025-{n % 12 + 1:02d}-{n % 28 + 1:02d} 08:00:00+07",
                    )
                )
        cursor.execute("VACUUM ANALYZE personalstore_storeddocument")
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('personalstore_storeddocument'))"
        )
        size = cursor.fetchone()[0]
    return {
        "documents": documents,
        "citizens": citizens,
        "load_seconds": round(time.perf_counter() - started, 1),
        "table_size": size,
    }


def timed(name: str, calls: list[Callable[[], int]], warmup: int) -> dict[str, Any]:
    for call in calls[:warmup]:
        call()
    spent = []
    for call in calls:
        started = time.perf_counter()
        status = call()
        spent.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"{name}: status {status}")
    spent.sort()

    def pct(p: float) -> float:
        return round(spent[min(len(spent) - 1, int(p * len(spent)))], 1)

    return {
        "phase": name,
        "requests": len(spent),
        "p50": round(statistics.median(spent), 1),
        "p90": pct(0.90),
        "p99": pct(0.99),
        "max": round(spent[-1], 1),
    }


def pages(requests: int) -> list[dict[str, Any]]:
    from django.test import Client

    from motcua.accounts.models import User

    rng = random.Random(48)
    users = list(User.objects.filter(username__startswith="bench-"))
    clients = []
    for user in rng.sample(users, min(50, len(users))):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        clients.append(client)

    def page(client: Client, path: str) -> Callable[[], int]:
        return lambda: client.get(path).status_code

    store = [page(rng.choice(clients), "/kho-du-lieu/") for _ in range(requests)]
    later = [page(rng.choice(clients), "/kho-du-lieu/?page=5") for _ in range(requests)]
    api = [page(rng.choice(clients), "/api/v1/me/documents/") for _ in range(requests)]
    return [
        timed("store page", store, warmup=20),
        timed("store page 5", later, warmup=20),
        timed("api list", api, warmup=20),
    ]


# A 10 kB PDF (a comment line pads it), small enough for the upload quota of many filings.
PDF = b"%PDF-1.4\n%" + b"x" * 10_000 + b"\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def filings(count: int) -> dict[str, Any]:
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.accounts.models import User
    from motcua.agencies.tests.factories import AgencyFactory
    from motcua.catalog import services as catalog_services
    from motcua.catalog.models import Component
    from motcua.catalog.tests.factories import make_procedure
    from motcua.dossiers import services as dossier_services
    from motcua.personalstore import services
    from motcua.personalstore.models import Source, StoredDocument

    agency = AgencyFactory.create(code="BENCH.1", name="Cơ quan thử")
    procedure = make_procedure(code="BENCH-1", name="Thủ tục thử", agencies=[agency])
    case = procedure.cases.get()
    for position, kind in enumerate(("GIAY_KHAI_SINH", "CCCD")):
        Component.objects.create(
            case=case, position=position, name=kind, mandatory=True, document_type=kind
        )
    catalog_services.record_version(procedure=procedure, actor=None, note="bench")
    citizen = User.objects.create(username="bench-filer", full_name="Người nộp", assurance_level=1)
    stored = []
    for kind in ("GIAY_KHAI_SINH", "CCCD"):
        document = StoredDocument(
            owner_user=citizen,
            document_type=kind,
            title=kind,
            issuer="Cơ quan thử",
            issued_on="2025-01-01",
            source=Source.RESULT,
            content_type="application/pdf",
            size=len(PDF),
            sha256=hashlib.sha256(PDF).hexdigest(),
        )
        document.file.save(kind, io.BytesIO(PDF), save=False)
        document.save()
        stored.append(document)

    def start() -> Any:
        return dossier_services.start_draft(user=citizen, procedure=procedure, acting_for=None)

    def with_reuse() -> None:
        draft = start()
        for position, document in enumerate(stored):
            services.use_in_draft(
                user=citizen, draft=draft, component_position=position, document=document
            )
        dossier_services.submit(draft=draft, user=citizen, form_errors={})

    def with_uploads() -> None:
        draft = start()
        for position in range(2):
            upload = SimpleUploadedFile(f"{position}.pdf", PDF, "application/pdf")
            dossier_services.attach(
                draft=draft, user=citizen, component_position=position, upload=upload
            )
        dossier_services.submit(draft=draft, user=citizen, form_errors={})

    spent: dict[str, list[float]] = {"reuse": [], "upload": []}
    for _ in range(3):  # warm-up
        with_reuse()
        with_uploads()
    for _ in range(count):
        for name, run_one in (("reuse", with_reuse), ("upload", with_uploads)):
            started = time.process_time()
            run_one()
            spent[name].append((time.process_time() - started) * 1000)
    return {
        name: {
            "filings": len(values),
            "cpu_ms_mean": round(statistics.mean(values), 2),
            "cpu_ms_median": round(statistics.median(values), 2),
        }
        for name, values in spent.items()
    }


def child(args: argparse.Namespace) -> None:
    setup_django()
    facts = load(args.documents)
    facts["phases"] = pages(args.requests)
    facts["filing"] = filings(args.filings)
    print("RESULT " + json.dumps(facts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=bounded(5_000_000), default=1_000_000)
    parser.add_argument("--requests", type=bounded(100_000), default=500)
    parser.add_argument("--filings", type=bounded(10_000), default=100)
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG_URL))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f}")
    print(f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    workdir = Path(tempfile.mkdtemp(prefix="motcua-bench-store-"))
    name = postgres_name(args.pg_url)
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    version = postgres_admin(args.pg_url, [drop, f'CREATE DATABASE "{name}"'])
    try:
        env = django_env(args.pg_url, workdir, extra={"MOTCUA_SANDBOX_ENABLED": "0"})
        run([sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput"], env)
        run([sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput"], env)
        command = [sys.executable, __file__, "--child", "--documents", str(args.documents)]
        command += ["--requests", str(args.requests), "--filings", str(args.filings)]
        result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(result.stdout[-3000:] + result.stderr[-3000:])
        line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT "))
        facts: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    finally:
        with suppress(Exception):
            postgres_admin(args.pg_url, [drop], guard=False)
        shutil.rmtree(workdir, ignore_errors=True)
    print(
        f"\n{version}, {facts['documents']:,} stored documents of {facts['citizens']:,} "
        f"citizens ({PER_CITIZEN} each; loaded in {facts['load_seconds']} s, "
        f"table {facts['table_size']})"
    )
    print(f"{'phase':<16}{'requests':>9}{'p50':>9}{'p90':>9}{'p99':>9}{'max':>9}")
    for row in facts["phases"]:
        print(
            f"{row['phase']:<16}{row['requests']:>9}{row['p50']:>9}{row['p90']:>9}"
            f"{row['p99']:>9}{row['max']:>9}"
        )
    worst = max(row["p99"] for row in facts["phases"] if row["phase"].startswith("store"))
    verdict = "met" if worst < TARGET_P99_MS else "NOT met"
    print(f"target store page p99 < {TARGET_P99_MS:.0f} ms: {verdict} (worst p99 {worst} ms)")
    reuse, upload = facts["filing"]["reuse"], facts["filing"]["upload"]
    print(
        f"filing CPU per dossier (mean / median ms, {reuse['filings']} each): two reused "
        f"{reuse['cpu_ms_mean']} / {reuse['cpu_ms_median']}, two uploads "
        f"{upload['cpu_ms_mean']} / {upload['cpu_ms_median']}; target reuse ≤ uploads: "
        f"{'met' if reuse['cpu_ms_median'] <= upload['cpu_ms_median'] else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
