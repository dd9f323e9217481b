"""Dossier benchmark: online submissions per second, and status look-ups among 1,000,000 dossiers.

Everything runs on PostgreSQL, over HTTP, against gunicorn in production mode:

1. **Submissions.** N applicants with OAuth2 bearer tokens and one published procedure with one
   mandatory component are created (a Django child process, built like the dossier tests'
   ``make_world``). Dossiers are then filed the two ways the API offers (``--flow``), each with
   a 200 KB PDF of different bytes every time:

   - ``one-call``: ``POST /api/v1/dossiers/`` (multipart: the form's answers and the file, an
     ``Idempotency-Key``), over a kept-alive ``http.client`` connection per client thread;
   - ``drafts``: what the web form's steps do through the API, ``POST
     /api/v1/dossiers/drafts/`` (JSON), ``POST .../drafts/{id}/attachments/`` (multipart) and
     ``POST .../drafts/{id}/submit/``, with a ``requests.Session`` per client thread.

   Every call must answer 201; failures are counted. Reported per way: submissions per second
   and their latency (for ``drafts`` also each call's).
2. **Status look-ups.** 1,000,000 dossiers are inserted in one ``INSERT ... SELECT
   generate_series`` (1,000 a day over the previous days, codes ``{agency}-{yyMMdd}-{NNNN}`` as
   ``services.next_code`` makes them, random lookup secrets; secondary indexes dropped before
   and rebuilt after, in the same transaction), then ``VACUUM ANALYZE``; then
   ``GET /api/v1/dossiers/lookup/?code=..&secret=..`` (public, no auth) is called for random
   existing dossiers (a kept-alive ``http.client`` connection per client thread; ``--client
   requests`` for a ``requests.Session``). Reported: the load time, requests per second and
   latency, and the ``EXPLAIN ANALYZE`` of the look-up query.

Each phase also reports the CPU time it cost per operation in gunicorn, in this database's
PostgreSQL backends and in this client (read from ``/proc``): on a machine shared with other work
the wall-clock figures move with that work, the CPU cost much less, and it bounds what idle
cores could do; the machine's other CPU use (Redis, the kernel, a neighbour's work) is shown
beside it. gunicorn runs ``--workers`` processes (default cores + 1) of ``--worker-class``
(default ``sync``: one request at a time per process, as ``docs/operations.md`` deploys it
behind a proxy; ``gthread`` with ``--threads`` threads each, default 4, for comparison); the
client runs ``--concurrency`` threads (default 8). The Django cache (it holds checked bearer
tokens and the catalogue) is Redis at ``--redis-url`` (or ``BENCH_DOSSIERS_REDIS_URL``), with a
key prefix of its own per run, and each worker's memory when none is given.

It prints figures only; it never fails on speed. The issue's targets on a 2-core machine are at
least 100 submissions/s with a 200 KB attachment and a look-up p99 under 50 ms.

Run it from the repository root with the project's virtual environment::

    .venv/bin/python benchmarks/dossiers.py --submissions 1000 --lookups 5000 --rows 1000000 \\
        --concurrency 8 --redis-url redis://127.0.0.1:6379/7

(``--worker-class gthread --workers 3 --threads 4`` for the server set-up of the runs before
2026-11-26 evening.)

PostgreSQL is reached at ``--pg-url`` (default
``postgres://postgres@127.0.0.1:5432/motcua_bench_dossiers``, or ``BENCH_DOSSIERS_POSTGRES_URL``);
that database is dropped and recreated at the start and dropped at the end. Uploaded files,
collected static files and logs live in a temporary directory, removed at the end. gunicorn is
stopped, the database dropped and the directory removed even when the run fails or is
interrupted.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import requests
from _common import (  # benchmarks/ is on sys.path
    ROOT,
    PlainClient,
    PlainResponse,
    bounded,
    django_env,
    machine,
    postgres_admin,
    postgres_name,
    run,
    serve,
)
from urllib3 import encode_multipart_formdata

positive = bounded(100_000_000)
MANAGE = ROOT / "manage.py"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench_dossiers"
TARGET_SUBMISSIONS_PER_S = 100.0
TARGET_LOOKUP_P99_MS = 50.0
PROCEDURE_CODE = "2.000488"
AGENCY_CODE = "H17.02"
ROWS_PER_DAY = 1000  # generated dossiers per day: codes stay in the NNNN format
FORM = {"ho_ten": "Nguyễn Văn An", "ngay_sinh": "1990-05-17"}
TIMEOUT = 60


# --- set-up inside Django (child processes) ---------------------------------------------------


def django_setup() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()


def seed_world(applicants: int) -> dict[str, Any]:
    """The agency, the procedure and ``applicants`` people with bearer tokens (``--setup N``).

    Built like ``motcua.dossiers.tests.factories.make_world``; people are bulk-created without
    a password (hashing one with Argon2 per person would only slow the set-up down).
    """
    django_setup()
    import datetime

    from django.db import transaction
    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application

    from motcua.accounts.models import User
    from motcua.agencies.tests.factories import AgencyFactory
    from motcua.catalog import services as catalog_services
    from motcua.catalog.models import Component
    from motcua.catalog.tests.factories import make_procedure

    with transaction.atomic():
        agency = AgencyFactory.create(code=AGENCY_CODE, name="Sở Tư pháp")
        procedure = make_procedure(
            code=PROCEDURE_CODE, name="Cấp Phiếu lý lịch tư pháp", agencies=[agency]
        )
        case = procedure.cases.get()
        Component.objects.create(case=case, position=0, name="Tờ khai", mandatory=True)
        Component.objects.create(case=case, position=1, name="Giấy ủy quyền", mandatory=False)
        version = catalog_services.record_version(
            procedure=procedure, actor=None, note="components"
        )
        people = []
        for index in range(applicants):
            person = User(
                username=f"bench{index:05d}",
                full_name=f"Nguyễn Văn Thử {index}",
                personal_id=f"048095{index:06d}",
                email=f"bench{index:05d}@example.vn",
                assurance_level=2,
            )
            person.set_unusable_password()
            people.append(person)
        people = User.objects.bulk_create(people)
        app = Application.objects.create(
            name="Motcua benchmark app",
            client_type=Application.CLIENT_PUBLIC,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris="vn.motcua.app://callback",
        )
        expires = timezone.now() + datetime.timedelta(days=1)
        tokens = AccessToken.objects.bulk_create(
            AccessToken(
                user=person,
                application=app,
                token=f"bench-{secrets.token_urlsafe(24)}",
                scope="read write",
                expires=expires,
            )
            for person in people
        )
    return {
        "procedure": procedure.code,
        "procedure_id": procedure.pk,
        "procedure_version_id": version.pk,
        "case_name": case.name,
        "agency_id": agency.pk,
        "agency_code": agency.code,
        "applicant_id": people[0].pk,
        "tokens": [token.token for token in tokens],
    }


def explain_lookup(code: str, secret: str) -> str:
    """``EXPLAIN ANALYZE`` of the queries ``selectors.public_status`` runs (``--explain``)."""
    django_setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.dossiers import selectors

    with CaptureQueriesContext(connection) as queries:
        found = selectors.public_status(code, secret)
    plans = [f"public_status({code!r}, ...) found {found!r}"]
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
            plans.append(query["sql"][:160] + " ...")
            plans += [f"  {row[0]}" for row in cursor.fetchall()]
    return "\n".join(plans)


# --- database and server --------------------------------------------------------------------


@contextmanager
def fresh_database(pg_url: str) -> Iterator[str]:
    """A new empty database, dropped afterwards whatever happens; yields the server version."""
    name = postgres_name(pg_url)
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    version = postgres_admin(pg_url, [drop, f'CREATE DATABASE "{name}"'])
    try:
        yield version
    finally:
        with suppress(Exception):
            postgres_admin(pg_url, [drop], guard=False)


def child(args: list[str], env: dict[str, str]) -> Any:
    """Run this file in a child process with Django's environment; its last line as JSON."""
    return json.loads(run([sys.executable, __file__, *args], env).splitlines()[-1])


def gunicorn(
    env: dict[str, str], log: Path, workers: int, worker_class: str = "sync", threads: int = 1
) -> AbstractContextManager[tuple[str, int]]:
    """Serve the project with gunicorn until the block ends; yields the base URL and its pid."""
    options = ["--workers", str(workers), "--worker-class", worker_class]
    return serve(env, log, [*options, "--threads", str(threads)])


# --- measuring ------------------------------------------------------------------------------


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far; 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def processes() -> Iterator[tuple[int, int, str]]:
    """(pid, parent pid, command line) of every process we may read (Linux ``/proc``)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with suppress(OSError, IndexError):
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            yield int(entry.name), parent, command


class CpuMeter:
    """CPU used during a phase by gunicorn, by this database's PostgreSQL backends, and by us.

    On a machine shared with other work, wall-clock figures depend on that work; the CPU each
    operation costs does not, and bounds what the machine can do when it is idle.
    """

    def __init__(self, server_pid: int, database: str) -> None:
        self.server_pid = server_pid
        self.backend_tag = f" {database} "  # "postgres: 15/main: user database host(port) ..."
        self.before: dict[str, dict[int, float]] = {}
        self.client_before = 0.0

    def sample(self) -> dict[str, dict[int, float]]:
        groups: dict[str, dict[int, float]] = {"gunicorn": {}, "postgres": {}}
        groups["gunicorn"][self.server_pid] = process_cpu(self.server_pid)
        for pid, parent, command in processes():
            if parent == self.server_pid:
                groups["gunicorn"][pid] = process_cpu(pid)
            elif command.startswith("postgres: ") and self.backend_tag in command:
                groups["postgres"][pid] = process_cpu(pid)
        return groups

    def start(self) -> None:
        self.before = self.sample()
        self.client_before = time.process_time()
        self.machine_before = machine_cpu()

    def stop(self) -> dict[str, float]:
        """CPU seconds per group since ``start`` (processes that ended meanwhile are missed),
        and ``other``: what the whole machine used besides (Redis, the kernel, other work)."""
        client = time.process_time() - self.client_before
        after = self.sample()
        busy = machine_cpu() - self.machine_before
        used = {
            group: sum(cpu - self.before[group].get(pid, 0.0) for pid, cpu in pids.items())
            for group, pids in after.items()
        }
        used["client"] = client
        return {**used, "other": max(0.0, busy - sum(used.values()))}


def machine_cpu() -> float:
    """CPU seconds all cores have been busy since boot (``/proc/stat``: all but idle and
    I/O wait)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


@dataclass
class Series:
    """Latencies of one kind of operation, its failures, and the wall time of its phase."""

    name: str
    latencies_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def row(self) -> dict[str, Any]:
        data = self.latencies_ms * 2 if len(self.latencies_ms) == 1 else self.latencies_ms
        data = data or [0.0, 0.0]  # quantiles() needs two points
        cuts = statistics.quantiles(data, n=100, method="inclusive")
        return {
            "name": self.name,
            "count": len(self.latencies_ms),
            "failures": len(self.failures),
            "per_s": len(self.latencies_ms) / self.seconds if self.seconds else 0.0,
            "p50": cuts[49],
            "p90": cuts[89],
            "p99": cuts[98],
            "max": max(data),
        }


class Pool:
    """Client threads, each with its own ``requests.Session``; records into ``Series``."""

    def __init__(self, concurrency: int) -> None:
        self.concurrency = concurrency
        self.local = threading.local()
        self.lock = threading.Lock()

    def session(self) -> requests.Session:
        session = getattr(self.local, "session", None)
        if session is None:
            session = self.local.session = requests.Session()
        return session

    def plain(self, base: str) -> PlainClient:
        client = getattr(self.local, "plain", None)
        if client is None:
            client = self.local.plain = PlainClient(base)
        return client

    def timed(
        self,
        series: Series,
        call: Callable[[], requests.Response | PlainResponse],
        expect: int,
        key: str,
    ) -> Any:
        """One HTTP call, timed; ``key`` of its JSON body when it answered ``expect``.

        Anything else (another status, no such key, no answer) is a failure: ``None``.
        """
        started = time.perf_counter()
        value, reason = None, None
        try:
            response = call()
            if response.status_code != expect:
                text = " ".join(response.text[:300].split())[:160]
                reason = f"HTTP {response.status_code}: {text}"
            else:
                value = response.json().get(key)
                reason = None if value is not None else f"no {key!r} in the answer"
        except (
            requests.RequestException,
            OSError,
            http.client.HTTPException,
            ValueError,
            AttributeError,
        ) as exc:
            reason = f"{type(exc).__name__}: {exc}"
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            series.latencies_ms.append(elapsed)
            if reason:
                series.failures.append(reason)
        return None if reason else value

    def run(self, tasks: list[Any], one: Callable[[Any], None], phase: list[Series]) -> None:
        started = time.perf_counter()
        executor = ThreadPoolExecutor(max_workers=self.concurrency)
        try:
            list(executor.map(one, tasks))
        finally:  # on Ctrl-C, drop the calls not started yet instead of making them all
            executor.shutdown(wait=True, cancel_futures=True)
        seconds = time.perf_counter() - started
        for series in phase:
            series.seconds = seconds


def attachment_bytes(size: int) -> bytes:
    """A PDF of ``size`` bytes that the upload checks accept, with 16 bytes to vary per use."""
    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 0 >>\nstream\n"
    tail = b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    filler = random.Random(size).randbytes(max(0, size - len(head) - len(tail) - 16))
    return head + b"0" * 16 + filler + tail


def unique_pdf(template: bytes, index: int) -> bytes:
    """The template with its 16-byte slot filled: every upload has its own checksum."""
    slot = template.index(b"0" * 16)
    return template[:slot] + f"{index:016d}".encode() + template[slot + 16 :]


def submissions(
    base: str,
    tokens: list[str],
    procedure: str,
    count: int,
    pool: Pool,
    pdf: bytes,
    start: int,
) -> list[Series]:
    """``count`` full submissions (draft, attachment, submit), each by the next applicant."""
    whole, draft, upload, submit = (
        Series("submission (3 calls)"),
        Series("  POST drafts/"),
        Series("  POST attachments/"),
        Series("  POST submit/"),
    )

    def one(index: int) -> None:
        session = pool.session()
        auth = {"Authorization": f"Bearer {tokens[index % len(tokens)]}"}
        api = f"{base}/api/v1/dossiers/drafts/"
        started = time.perf_counter()
        ok = False
        draft_id = pool.timed(
            draft,
            lambda: session.post(
                api,
                json={"procedure": procedure, "data": FORM},
                headers=auth,
                timeout=TIMEOUT,
            ),
            201,
            "id",
        )
        if draft_id is not None:
            url = f"{api}{draft_id}/"
            content = unique_pdf(pdf, start + index)
            files = {"file": ("to-khai.pdf", content, "application/pdf")}
            checksum = pool.timed(
                upload,
                lambda: session.post(
                    f"{url}attachments/",
                    data={"component": "0"},
                    files=files,
                    headers=auth,
                    timeout=TIMEOUT,
                ),
                201,
                "sha256",
            )
            if checksum is not None and checksum != hashlib.sha256(content).hexdigest():
                with pool.lock:
                    upload.failures.append("the stored file's SHA-256 differs from the upload")
            elif checksum is not None:
                code = pool.timed(
                    submit,
                    lambda: session.post(f"{url}submit/", headers=auth, timeout=TIMEOUT),
                    201,
                    "code",
                )
                ok = code is not None
        elapsed = (time.perf_counter() - started) * 1000
        with pool.lock:
            whole.latencies_ms.append(elapsed)
            if not ok:
                whole.failures.append("(a submission whose call failed)")

    phase = [whole, draft, upload, submit]
    pool.run(list(range(count)), one, phase)
    return phase


def one_call_submissions(
    base: str,
    tokens: list[str],
    procedure: str,
    count: int,
    pool: Pool,
    pdf: bytes,
    start: int,
) -> list[Series]:
    """``count`` dossiers filed in one ``POST /api/v1/dossiers/`` each (multipart: the form's
    answers and the 200 KB PDF, with an ``Idempotency-Key``), each by the next applicant, over a
    kept-alive ``http.client`` connection per client thread."""
    series = Series("POST dossiers/ (1 call)")
    # The body is encoded once; each request fills the PDF's 16-byte slot (as ``unique_pdf``).
    template, content_type = encode_multipart_formdata(
        {
            "procedure": procedure,
            "data": json.dumps(FORM, ensure_ascii=False),
            "component_0": ("to-khai.pdf", pdf, "application/pdf"),
        }
    )

    def one(index: int) -> None:
        body = unique_pdf(template, start + index)
        headers = {
            "Authorization": f"Bearer {tokens[index % len(tokens)]}",
            "Content-Type": content_type,
            "Idempotency-Key": f"bench-{start + index}",
        }
        client = pool.plain(base)
        pool.timed(
            series,
            lambda: client.request("POST", "/api/v1/dossiers/", body, headers),
            201,
            "code",
        )

    pool.run(list(range(count)), one, [series])
    return [series]


FLOWS: dict[str, Callable[..., list[Series]]] = {
    "one-call": one_call_submissions,
    "drafts": submissions,
}


def lookups(base: str, pairs: list[tuple[str, str]], pool: Pool, client: str) -> Series:
    """One public status look-up per (code, secret); the answer must name the same dossier.

    ``client`` "plain" uses a kept-alive ``http.client`` connection per thread, "requests" a
    ``requests.Session`` (the client of the runs before 2026-11-26 evening).
    """
    series = Series("GET lookup/")
    path = "/api/v1/dossiers/lookup/"

    def one(pair: tuple[str, str]) -> None:
        code, secret = pair
        query = {"code": code, "secret": secret}
        call: Callable[[], requests.Response | PlainResponse]
        if client == "plain":
            plain = pool.plain(base)
            call = lambda: plain.get(f"{path}?{urlencode(query)}")  # noqa: E731
        else:
            session = pool.session()
            call = lambda: session.get(base + path, params=query, timeout=TIMEOUT)  # noqa: E731
        answered = pool.timed(series, call, 200, "code")
        if answered is not None and answered != code:
            with pool.lock:
                series.failures.append("another dossier answered")

    pool.run(pairs, one, [series])
    return series


# --- 1,000,000 dossiers ---------------------------------------------------------------------

LOAD_SQL = """
INSERT INTO dossiers_dossier (
    code, case_position, case_name, channel, status, form_data, lookup_secret,
    submitted_at, accepted_at, due_at, finished_at, supplement_requests,
    applicant_id, procedure_id, procedure_version_id, receiving_agency_id, idempotency_key
)
SELECT
    %(agency_code)s::text || '-' || to_char(g.day, 'YYMMDD') || '-'
        || lpad(g.number::text, 4, '0'),
    0, %(case_name)s::text, g.channel, g.status, %(form)s::jsonb,
    upper(substr(md5(random()::text), 1, 8)),
    g.submitted_at,
    CASE WHEN g.status NOT IN (1, 3) THEN g.submitted_at + interval '2 hours' END,
    CASE WHEN g.status NOT IN (1, 3) THEN g.submitted_at + interval '5 days' END,
    CASE WHEN g.status IN (3, 7, 8, 10) THEN g.submitted_at + interval '4 days' END,
    0, %(applicant_id)s, %(procedure_id)s, %(procedure_version_id)s, %(agency_id)s, ''
FROM (
    SELECT
        s.day,
        s.number,
        (s.day + time '07:30' + random() * interval '9 hours')::timestamptz AS submitted_at,
        (ARRAY[10, 10, 10, 10, 10, 9, 4, 2, 1, 3])[1 + floor(random() * 10)::int] AS status,
        (ARRAY[1, 2, 2, 3])[1 + floor(random() * 4)::int] AS channel
    FROM (
        SELECT
            current_date - 2 - ((i - 1) / %(per_day)s)::int AS day,
            (i - 1) %% %(per_day)s + 1 AS number
        FROM generate_series(1, %(rows)s) AS i
    ) AS s
) AS g
"""


# Secondary indexes and unique constraints of the table (the primary key stays), to rebuild
# after the insert: maintaining 13 indexes and checking 4 foreign keys row by row makes the
# insert about three times slower.
INDEXES_SQL = """
SELECT c.relname, pg_get_indexdef(i.indexrelid), con.conname, pg_get_constraintdef(con.oid)
FROM pg_index AS i
JOIN pg_class AS c ON c.oid = i.indexrelid
LEFT JOIN pg_constraint AS con ON con.conindid = i.indexrelid AND con.contype = 'u'
WHERE i.indrelid = 'dossiers_dossier'::regclass AND NOT i.indisprimary
ORDER BY c.relname
"""


def load_dossiers(pg_url: str, world: dict[str, Any], rows: int) -> dict[str, float]:
    """Insert ``rows`` dossiers of the world's procedure, then ``VACUUM ANALYZE``; timings.

    One transaction: drop the secondary indexes and unique constraints, insert without
    foreign-key triggers (every id used exists), create the same indexes and constraints again
    from their definitions. Nothing else writes to the table meanwhile.
    """
    import psycopg

    params = {
        "agency_code": world["agency_code"],
        "case_name": world["case_name"],
        "form": json.dumps(FORM, ensure_ascii=False),
        "applicant_id": world["applicant_id"],
        "procedure_id": world["procedure_id"],
        "procedure_version_id": world["procedure_version_id"],
        "agency_id": world["agency_id"],
        "per_day": ROWS_PER_DAY,
        "rows": rows,
    }
    with psycopg.connect(pg_url, autocommit=True) as conn:
        started = time.perf_counter()
        with conn.transaction():
            indexes = conn.execute(INDEXES_SQL).fetchall()
            for index, _definition, constraint, _constraint_definition in indexes:
                if constraint:
                    conn.execute(f'ALTER TABLE dossiers_dossier DROP CONSTRAINT "{constraint}"')
                else:
                    conn.execute(f'DROP INDEX "{index}"')
            conn.execute("SET LOCAL session_replication_role = replica")  # no FK triggers
            conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
            conn.execute(LOAD_SQL, params)
            inserted = time.perf_counter()
            conn.execute("SET LOCAL session_replication_role = origin")
            for _index, definition, constraint, constraint_definition in indexes:
                if constraint:
                    conn.execute(
                        f'ALTER TABLE dossiers_dossier ADD CONSTRAINT "{constraint}" '
                        f"{constraint_definition}"
                    )
                else:
                    conn.execute(definition)
        indexed = time.perf_counter()
        # Fresh statistics and visibility, as autovacuum would have on a live database.
        conn.execute("VACUUM ANALYZE dossiers_dossier")
        analysed = time.perf_counter()
        size = conn.execute("SELECT pg_total_relation_size('dossiers_dossier')").fetchone()
    return {
        "insert_seconds": inserted - started,
        "index_seconds": indexed - inserted,
        "load_seconds": indexed - started,
        "analyze_seconds": analysed - indexed,
        "indexes": len(indexes),
        "table_mb": (size[0] if size else 0) / 2**20,
    }


def sample_dossiers(pg_url: str, count: int, seed: int) -> list[tuple[str, str]]:
    """``count`` random existing (code, secret) pairs, drawn by id (with repeats)."""
    import psycopg

    with psycopg.connect(pg_url) as conn:
        row = conn.execute("SELECT min(id), max(id) FROM dossiers_dossier").fetchone()
        assert row is not None and row[0] is not None
        rng = random.Random(seed)
        ids = [rng.randint(row[0], row[1]) for _ in range(count)]
        found: dict[int, tuple[str, str]] = {
            row[0]: (row[1], row[2])
            for row in conn.execute(
                "SELECT id, code, lookup_secret FROM dossiers_dossier WHERE id = ANY(%s)",
                [ids],
            )
        }
    return [found[i] for i in ids if i in found]


# --- the run --------------------------------------------------------------------------------


def benchmark(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    def say(message: str) -> None:
        print(f"[dossiers] {message}", flush=True)

    log = workdir / "gunicorn.log"
    with fresh_database(args.pg_url) as version:
        env = django_env(
            args.pg_url, workdir, redis_url=args.redis_url, key_prefix="bench-dossiers"
        )
        with forget_cache_keys(args.redis_url, env.get("CACHE_KEY_PREFIX", "")):
            return benchmark_in(args, env, version, log, say)


@contextmanager
def forget_cache_keys(redis_url: str, prefix: str) -> Iterator[None]:
    """Delete this run's Redis keys at the end (some, like the catalogue's version, never
    expire); other keys in that Redis database are left alone."""
    try:
        yield
    finally:
        if redis_url and prefix:
            import redis  # the driver of Django's Redis cache

            with suppress(Exception):
                client = redis.Redis.from_url(redis_url)
                for key in client.scan_iter(match=f"{prefix}:*", count=1000):
                    client.delete(key)


def benchmark_in(
    args: argparse.Namespace,
    env: dict[str, str],
    version: str,
    log: Path,
    say: Callable[[str], None],
) -> dict[str, Any]:
    """The run itself, in the fresh database ``benchmark`` made."""
    say(f"{version}: migrating")
    run([sys.executable, str(MANAGE), "migrate", "--noinput"], env)
    run([sys.executable, str(MANAGE), "collectstatic", "--noinput"], env)
    say(f"creating the procedure and {args.applicants} applicants with bearer tokens")
    world = child(["--setup", str(args.applicants)], env)
    pdf = attachment_bytes(args.attachment_kb * 1024)
    pool = Pool(args.concurrency)
    result: dict[str, Any] = {"version": version, "pdf_bytes": len(pdf)}
    # gunicorn turns sync workers into gthread ones when given several threads.
    threads = args.threads if args.worker_class == "gthread" else 1
    with gunicorn(env, log, args.workers, args.worker_class, threads) as (
        base,
        server_pid,
    ):
        meter = CpuMeter(server_pid, postgres_name(args.pg_url))
        warm_count = max(args.workers * 4, args.concurrency * 2)
        say(f"gunicorn ({server_label(args)}) on {base}")
        result["flows"], warm, offset = [], [], 0  # offset: every PDF and key differs
        for flow in args.flow:
            file_them = FLOWS[flow]
            say(f"{flow}: {warm_count} warm-up submissions, then {args.submissions}")
            tokens, code = world["tokens"], world["procedure"]
            warm += file_them(base, tokens, code, warm_count, pool, pdf, offset)
            meter.start()
            series = file_them(base, tokens, code, args.submissions, pool, pdf, offset + warm_count)
            result["flows"].append({"flow": flow, "series": series, "cpu": meter.stop()})
            offset += warm_count + args.submissions
        say(f"inserting {args.rows:,} dossiers")
        result["load"] = load_dossiers(args.pg_url, world, args.rows)
        say(
            f"loaded in {result['load']['load_seconds']:.1f} s, VACUUM ANALYZE in "
            f"{result['load']['analyze_seconds']:.1f} s; {args.lookups} look-ups"
        )
        pairs = sample_dossiers(args.pg_url, args.lookups + 200, seed=args.rows)
        warm_lookups = lookups(base, pairs[:200], pool, args.client)
        meter.start()
        result["lookups"] = lookups(base, pairs[200:], pool, args.client)
        result["lookup_cpu"] = meter.stop()
        result["dossiers"] = args.rows + offset
        result["warmup_failures"] = [f for series in [*warm, warm_lookups] for f in series.failures]
    result["explain"] = run([sys.executable, __file__, "--explain", *pairs[-1]], env)
    result["server_log"] = log.read_text(errors="replace").splitlines()[-30:]
    return result


# --- report ---------------------------------------------------------------------------------


def report(result: dict[str, Any], args: argparse.Namespace, load_avg: str) -> None:
    print()
    print(f"Machine: {machine()}, {result['version']}")
    print(f"Load average (1 min) at start / end: {load_avg} (anything else running skews figures)")
    print(
        f"Submissions: {args.submissions} after warm-up, concurrency {args.concurrency}, "
        f"gunicorn {server_label(args)}, cache {'Redis' if args.redis_url else 'in memory'}, "
        f"{args.applicants} applicants, "
        f"{result['pdf_bytes']:,}-byte PDF"
    )
    load = result["load"]
    print(
        f"Dossiers: {args.rows:,} loaded in {load['load_seconds']:.1f} s "
        f"({args.rows / load['load_seconds']:,.0f} rows/s: insert {load['insert_seconds']:.1f} s, "
        f"{load['indexes']} indexes rebuilt {load['index_seconds']:.1f} s), VACUUM ANALYZE "
        f"{load['analyze_seconds']:.1f} s, table with indexes {load['table_mb']:,.0f} MB; "
        f"look-ups among {result['dossiers']:,} dossiers, client {args.client}"
    )
    header = (
        f"{'operation':<22} {'count':>6} {'fail':>5} {'per s':>7} "
        f"{'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7} {'max ms':>7}"
    )
    print(header)
    print("-" * len(header))
    submitted = [series for flow in result["flows"] for series in flow["series"]]
    for series in [*submitted, result["lookups"]]:
        row = series.row()
        print(
            f"{row['name']:<22} {row['count']:>6} {row['failures']:>5} {row['per_s']:>7.1f} "
            f"{row['p50']:>7.1f} {row['p90']:>7.1f} {row['p99']:>7.1f} {row['max']:>7.1f}"
        )
    cores = os.cpu_count() or 1
    measured = [
        (f"submission ({flow['flow']})", flow["cpu"], flow["series"][0].row()["count"])
        for flow in result["flows"]
    ]
    measured.append(("look-up", result["lookup_cpu"], result["lookups"].row()["count"]))
    for label, cpu, count in measured:
        each = {group: seconds * 1000 / max(count, 1) for group, seconds in cpu.items()}
        total = sum(value for group, value in each.items() if group != "other")
        print(
            f"CPU per {label}: gunicorn {each['gunicorn']:.1f} ms, PostgreSQL "
            f"{each['postgres']:.1f} ms, client {each['client']:.1f} ms = {total:.1f} ms; "
            f"{cores} idle cores would do at most ~{cores * 1000 / total:,.0f}/s; "
            f"the rest of the machine (Redis, kernel, other work) used {each['other']:.1f} ms more"
            if total
            else f"CPU per {label}: not measured"
        )
    print("\nEXPLAIN ANALYZE of the look-up's queries (selectors.public_status), after the run:")
    print("\n".join(f"  {line}" for line in result["explain"].strip().splitlines()))
    failures = result["warmup_failures"] + [
        f for series in [*submitted, result["lookups"]] for f in series.failures
    ]
    if failures:
        print(f"\n{len(failures)} failure(s), the most frequent:")
        for failure, times in Counter(failures).most_common(10):
            print(f"  {times:>5} x {failure}")
        print("Last lines of the gunicorn log:")
        print("\n".join(f"  {line}" for line in result["server_log"]))
    p99 = result["lookups"].row()["p99"]
    print()
    for flow in result["flows"]:
        rate = flow["series"][0].row()["per_s"]
        print(
            f"Target >= {TARGET_SUBMISSIONS_PER_S:.0f} submissions/s ({flow['flow']}): "
            f"{'met' if rate >= TARGET_SUBMISSIONS_PER_S else 'MISSED'} ({rate:.1f}/s)"
        )
    print(
        f"Target look-up p99 < {TARGET_LOOKUP_P99_MS:.0f} ms with {args.rows:,} dossiers: "
        f"{'met' if p99 < TARGET_LOOKUP_P99_MS else 'MISSED'} (p99 {p99:.1f} ms)"
    )


def server_label(args: argparse.Namespace) -> str:
    if args.worker_class == "sync":
        return f"{args.workers} sync workers"
    return f"{args.workers} {args.worker_class} workers x {args.threads} threads"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--submissions", type=positive, default=1000)
    parser.add_argument("--lookups", type=positive, default=5000)
    parser.add_argument("--rows", type=positive, default=1_000_000, help="dossiers to insert")
    parser.add_argument("--concurrency", type=positive, default=8, help="client threads")
    parser.add_argument(
        "--workers",
        type=positive,
        default=(os.cpu_count() or 1) + 1,
        help="gunicorn worker processes (default cores + 1)",
    )
    parser.add_argument(
        "--worker-class",
        choices=["gthread", "sync"],
        default="sync",
        help="gunicorn worker class (default sync, as deployed)",
    )
    parser.add_argument(
        "--threads", type=positive, default=4, help="threads per gthread worker (default 4)"
    )
    parser.add_argument(
        "--client",
        choices=["plain", "requests"],
        default="plain",
        help="look-up client: http.client, little CPU (default), or requests (earlier runs)",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_DOSSIERS_REDIS_URL", ""),
        help="Django cache in Redis (default: each worker's memory)",
    )
    parser.add_argument(
        "--flow",
        nargs="+",
        choices=list(FLOWS),
        default=list(FLOWS),
        help="how dossiers are filed: one-call (POST dossiers/ with the file) and/or drafts "
        "(draft, attachment, submit); default both, in that order",
    )
    parser.add_argument("--applicants", type=positive, default=100)
    parser.add_argument("--attachment-kb", type=positive, default=200)
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_DOSSIERS_POSTGRES_URL", DEFAULT_PG_URL),
    )
    parser.add_argument("--setup", type=int, metavar="N", help=argparse.SUPPRESS)  # child
    parser.add_argument("--explain", nargs=2, metavar=("CODE", "SECRET"), help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if args.setup is not None:
        print(json.dumps(seed_world(args.setup)))
        return
    if args.explain is not None:
        print(explain_lookup(*args.explain))
        return
    # A plain kill (SIGTERM) unwinds like Ctrl-C: gunicorn stopped, database and files removed.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    print(f"Machine: {machine()}", flush=True)
    load_at_start = os.getloadavg()[0]
    workdir = Path(tempfile.mkdtemp(prefix="motcua-bench-dossiers-"))
    try:
        result = benchmark(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report(result, args, f"{load_at_start:.2f} / {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
