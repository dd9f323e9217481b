"""Catalogue search benchmark: latency of ``/api/v1/procedures/?q=`` and ``/thu-tuc/?q=``.

For each database (PostgreSQL, SQLite or both) it builds a fresh database (``manage.py migrate``,
Đà Nẵng's demo agencies, N published procedures with generated Vietnamese names, bulk-created and
indexed with ``motcua.catalog.services.refresh_search``), starts gunicorn in production mode
(2 workers of 4 threads by default) with the Django cache in Redis as production has it, warms
it up, then sends the same mix of search queries, with and without diacritics, to the JSON API
and to the HTML page (one phase per endpoint) from a pool of threads, one kept-alive connection
each (``http.client``; ``--client requests`` for a ``requests.Session`` as in earlier runs).
Every response must be a 200 with a non-empty result list; failures are counted and printed.

The query mix repeats, so after the warm-up those phases measure cached searches (the catalogue
cache, ``motcua.catalog.cache``). Two more phases per endpoint ("api-miss", "html-miss") send
``--miss-requests`` searches that were never asked before (each query with its own combination of
filters), so every one of them reads the database: the cost of a search after a catalogue change.
A result list may be empty there.

It prints figures only (requests, requests/s, p50/p90/p99/max latency in ms); it never fails on
speed. The reference target is p99 < 50 ms on PostgreSQL with 5,000 procedures.

Run it from the repository root with the project's virtual environment::

    .venv/bin/python benchmarks/catalog_search.py --db both --procedures 5000 \\
        --requests 2000 --concurrency 8

PostgreSQL is reached at ``--pg-url`` (default ``postgres://postgres@127.0.0.1:5432/motcua_bench``,
or ``BENCH_POSTGRES_URL``); that database is dropped and recreated at the start (refused if another
client is connected to it) and dropped at the end. Redis is reached at ``--redis-url`` (default
``redis://127.0.0.1:6379/3``, or ``BENCH_REDIS_URL``); each run writes under its own key prefix and
deletes its keys at the end, so it never touches anyone else's entries. ``--cache memory`` runs
without Redis (per-process memory cache: the catalogue cache is then off, as in such a
deployment). The SQLite file, collected static files and logs live in a temporary directory,
removed at the end. All of this happens even when the run fails or is interrupted. The machine
should be otherwise idle: the 1-minute load average is printed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import requests
from _common import (  # benchmarks/ is on sys.path
    ROOT,
    PlainClient,
    bounded,
    check_redis,
    django_env,
    forget_cache,
    machine,
    postgres_admin,
    postgres_name,
    run,
    serve,
)

positive = bounded(900_000)
MANAGE = ROOT / "manage.py"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/3"
TARGET_P99_MS = 50.0

# Searches people type, folded or not; each must match at least one generated procedure.
QUERIES = [
    "giay khai sinh",
    "dang ky kinh doanh",
    "xay dung",
    "cap giay phep",
    "Đăng ký khai sinh",
    "đăng ký kết hôn",
    "giấy phép lái xe",
    "tam tru",
    "tro cap xa hoi",
    "ho kinh doanh",
    "giay phep xay dung nha o",
    "chung chi hanh nghe",
    "moi truong",
    "truong mam non",
    "le hoi",
    "2.1000",
]
ENDPOINTS = {"api": "/api/v1/procedures/", "html": "/thu-tuc/"}
# Filter combinations for the cache-miss phases (never the empty one, which the warm-up asks).
MISS_FILTERS = [
    {
        name: value
        for name, value in (
            ("applicant_type", applicant),
            ("online_level", online),
            ("agency_level", level),
        )
        if value
    }
    for applicant in ("", "citizen", "business", "both")
    for online in ("", "full", "partial")
    for level in ("", "city", "ward")
][1:]


# --- generated catalogue --------------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    """One field of the catalogue: the verbs and objects that make its procedure names."""

    field: str
    field_name: str
    agency: str
    verbs: tuple[str, ...]
    objects: tuple[str, ...]
    result: str


TOPICS = (
    Topic(
        "ho-tich",
        "Hộ tịch",
        "H17.02",
        ("Đăng ký", "Đăng ký lại", "Cấp bản sao trích lục", "Ghi vào Sổ hộ tịch việc"),
        ("khai sinh", "kết hôn", "khai tử", "giám hộ", "nhận cha, mẹ, con", "chấm dứt giám hộ"),
        "Trích lục hộ tịch",
    ),
    Topic(
        "thanh-lap-doanh-nghiep",
        "Thành lập và hoạt động doanh nghiệp",
        "H17.04",
        (
            "Đăng ký",
            "Đăng ký thay đổi nội dung",
            "Tạm ngừng",
            "Chấm dứt hoạt động",
            "Cấp lại giấy chứng nhận đăng ký",
        ),
        (
            "kinh doanh hộ kinh doanh",
            "kinh doanh doanh nghiệp tư nhân",
            "kinh doanh hợp tác xã",
            "chi nhánh, văn phòng đại diện",
            "địa điểm kinh doanh",
        ),
        "Giấy chứng nhận đăng ký kinh doanh",
    ),
    Topic(
        "xay-dung",
        "Hoạt động xây dựng",
        "H17.03",
        ("Cấp giấy phép", "Cấp lại giấy phép", "Điều chỉnh giấy phép", "Gia hạn giấy phép"),
        (
            "xây dựng nhà ở riêng lẻ",
            "xây dựng công trình không theo tuyến",
            "xây dựng có thời hạn",
            "sửa chữa, cải tạo công trình",
            "di dời công trình",
        ),
        "Giấy phép xây dựng",
    ),
    Topic(
        "dat-dai",
        "Đất đai",
        "H17.05.01",
        ("Cấp", "Cấp đổi", "Cấp lại", "Đính chính", "Đăng ký biến động"),
        (
            "Giấy chứng nhận quyền sử dụng đất",
            "quyền sử dụng đất, quyền sở hữu nhà ở",
            "quyền sử dụng đất do nhận chuyển nhượng",
            "quyền sử dụng đất do thừa kế",
        ),
        "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
    ),
    Topic(
        "duong-bo",
        "Đường bộ",
        "H17.03",
        ("Cấp", "Cấp đổi", "Cấp lại", "Gia hạn", "Thu hồi"),
        (
            "giấy phép lái xe",
            "giấy phép kinh doanh vận tải bằng xe ô tô",
            "phù hiệu xe taxi",
            "giấy phép lưu hành xe quá tải trọng",
            "giấy phép thi công trên đường bộ",
        ),
        "Giấy phép",
    ),
    Topic(
        "kham-chua-benh",
        "Khám bệnh, chữa bệnh",
        "H17.06",
        ("Cấp", "Cấp lại", "Điều chỉnh", "Thu hồi"),
        (
            "chứng chỉ hành nghề khám bệnh, chữa bệnh",
            "giấy phép hoạt động phòng khám đa khoa",
            "giấy chứng nhận đủ điều kiện kinh doanh dược",
            "giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
        ),
        "Chứng chỉ hành nghề",
    ),
    Topic(
        "viec-lam",
        "Việc làm",
        "H17.08",
        ("Cấp", "Cấp lại", "Gia hạn", "Xác nhận"),
        (
            "giấy phép lao động cho người lao động nước ngoài",
            "giấy phép hoạt động cho thuê lại lao động",
            "hưởng trợ cấp thất nghiệp",
            "hợp đồng lao động đi làm việc ở nước ngoài",
        ),
        "Giấy phép lao động",
    ),
    Topic(
        "bao-tro-xa-hoi",
        "Bảo trợ xã hội",
        "H17.08",
        ("Thực hiện", "Điều chỉnh", "Thôi hưởng", "Chi trả"),
        (
            "trợ cấp xã hội hàng tháng",
            "hỗ trợ kinh phí chăm sóc người khuyết tật",
            "trợ giúp xã hội khẩn cấp",
            "hỗ trợ chi phí mai táng",
        ),
        "Quyết định trợ cấp xã hội",
    ),
    Topic(
        "giao-duc",
        "Giáo dục và Đào tạo",
        "H17.07",
        ("Cho phép thành lập", "Cho phép hoạt động giáo dục", "Sáp nhập, chia, tách", "Giải thể"),
        (
            "trường mầm non tư thục",
            "trung tâm ngoại ngữ, tin học",
            "trường tiểu học tư thục",
            "cơ sở giáo dục kỹ năng sống",
        ),
        "Quyết định cho phép",
    ),
    Topic(
        "moi-truong",
        "Môi trường",
        "H17.05",
        ("Cấp", "Cấp lại", "Điều chỉnh", "Gia hạn"),
        (
            "giấy phép môi trường",
            "giấy phép khai thác nước dưới đất",
            "giấy phép xả nước thải vào nguồn nước",
            "giấy phép thăm dò khoáng sản",
        ),
        "Giấy phép môi trường",
    ),
    Topic(
        "cu-tru",
        "Đăng ký, quản lý cư trú",
        "H17",
        ("Đăng ký", "Xóa đăng ký", "Điều chỉnh thông tin về", "Gia hạn"),
        ("thường trú", "tạm trú", "lưu trú cho người nước ngoài", "tạm vắng"),
        "Xác nhận thông tin về cư trú",
    ),
    Topic(
        "van-hoa",
        "Văn hóa cơ sở",
        "H17.11",
        ("Cấp giấy phép", "Thông báo", "Đăng ký"),
        (
            "tổ chức lễ hội",
            "tổ chức biểu diễn nghệ thuật",
            "thực hiện quảng cáo",
            "kinh doanh dịch vụ karaoke",
        ),
        "Văn bản chấp thuận",
    ),
)
QUALIFIERS = (
    "",
    "",
    " có yếu tố nước ngoài",
    " cho tổ chức",
    " cho cá nhân",
    " trên địa bàn thành phố",
    " tại cấp xã",
    " trong khu công nghiệp",
    " đối với trường hợp bị mất, hỏng",
)
BIRTH_REGISTRATIONS = (
    "Đăng ký khai sinh",
    "Đăng ký khai sinh có yếu tố nước ngoài",
    "Đăng ký khai sinh kết hợp nhận cha, mẹ, con",
    "Đăng ký khai sinh lưu động",
    "Đăng ký khai sinh cho người đã có hồ sơ, giấy tờ cá nhân",
)


def procedure_names(count: int, seed: int = 48) -> Iterator[tuple[str, Topic]]:
    """``count`` varied procedure names (verb × object × qualifier, numbered when repeated)."""
    rng = random.Random(seed)
    civil_status = TOPICS[0]
    seen = dict.fromkeys(BIRTH_REGISTRATIONS, 1)
    for index in range(count):
        if index < len(BIRTH_REGISTRATIONS):
            yield BIRTH_REGISTRATIONS[index], civil_status
            continue
        topic = rng.choice(TOPICS)
        name = f"{rng.choice(topic.verbs)} {rng.choice(topic.objects)}{rng.choice(QUALIFIERS)}"
        repeat = seen.get(name, 0)
        seen[name] = repeat + 1
        yield (f"{name} (mẫu {repeat + 1:02d})" if repeat else name), topic


def seed_database(count: int) -> dict[str, Any]:
    """Fill the database named by the environment; runs in a child process (``--seed N``).

    Rows are bulk-created, then ``refresh_search`` fills the search columns exactly as the
    catalogue services do (``import_catalog`` takes over three minutes for 5,000 procedures on
    PostgreSQL because it records a version of each).
    """
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from motcua.agencies.demo import load_demo_agencies
    from motcua.agencies.models import Agency, AgencyKind
    from motcua.catalog.models import Field, Procedure, ProcedureCase
    from motcua.catalog.services import refresh_search

    started = time.perf_counter()
    rng = random.Random(count)
    with transaction.atomic():
        agencies = load_demo_agencies(province_code=48)
        by_code = {agency.code: agency for agency in Agency.objects.current()}
        wards = [a for a in by_code.values() if a.kind == AgencyKind.WARD_COMMITTEE]
        Field.objects.bulk_create(Field(code=t.field, name=t.field_name) for t in TOPICS)
        fields = {f.code: f for f in Field.objects.all()}
        procedures, topic_of = [], {}
        for index, (name, topic) in enumerate(procedure_names(count)):
            code = f"2.{100000 + index:06d}"
            topic_of[code] = topic
            procedures.append(
                Procedure(
                    code=code,
                    name=name,
                    field=fields[topic.field],
                    applicant_type=rng.choice(["citizen", "business", "both"]),
                    agency_level="ward" if rng.random() < 0.3 else "city",
                    online_level=rng.choice(["full", "partial"]),
                    description=f"{name}. Thủ tục sinh tự động để đo hiệu năng tìm kiếm.",
                    result_document="Giấy khai sinh" if "khai sinh" in name else topic.result,
                    legal_basis=["Nghị định số 118/2025/NĐ-CP ngày 09/6/2025"],
                    status="published",
                    version=1,
                )
            )
        Procedure.objects.bulk_create(procedures, batch_size=500)
        saved = Procedure.objects.in_bulk(field_name="code")
        cases, links = [], []
        through = Procedure.agencies.through
        for procedure in saved.values():
            cases.append(
                ProcedureCase(
                    procedure=procedure,
                    position=0,
                    name="Nộp hồ sơ trực tuyến",
                    time_limit=Decimal(rng.choice([1, 3, 5, 7, 10, 15])),
                    time_unit="working_days",
                    fee=rng.choice([0, 0, 50000, 100000]),
                )
            )
            if rng.random() < 0.4:
                cases.append(
                    ProcedureCase(
                        procedure=procedure,
                        position=1,
                        name="Nộp hồ sơ trực tiếp tại Bộ phận Một cửa",
                        time_limit=Decimal(10),
                        time_unit="working_days",
                    )
                )
            city_agency = by_code[topic_of[procedure.code].agency]
            serving = wards if procedure.agency_level == "ward" else [city_agency]
            links += [through(procedure_id=procedure.pk, agency_id=a.pk) for a in serving]
        ProcedureCase.objects.bulk_create(cases, batch_size=1000)
        through.objects.bulk_create(links, batch_size=5000)
        refresh_search(Procedure.objects.select_related("field").prefetch_related("cases"))
    if connection.vendor == "postgresql":
        # Fresh planner statistics, as autovacuum would have gathered on a live database.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {
        "agencies": agencies,
        "procedures": Procedure.objects.published().count(),
        "seed_seconds": round(time.perf_counter() - started, 1),
    }


# --- databases and server -------------------------------------------------------------------


@dataclass
class Database:
    kind: str  # "postgres" or "sqlite"
    url: str
    version: str = ""


@contextmanager
def fresh_database(kind: str, workdir: Path, pg_url: str) -> Iterator[Database]:
    """A new empty database, dropped or deleted afterwards whatever happens."""
    if kind == "sqlite":
        folder = workdir / "sqlite"
        folder.mkdir()
        try:
            yield Database(
                kind, f"sqlite:///{folder / 'bench.sqlite3'}", f"SQLite {sqlite3.sqlite_version}"
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    name = postgres_name(pg_url)
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    version = postgres_admin(pg_url, [drop, f'CREATE DATABASE "{name}"'])  # or refuses
    try:
        yield Database(kind, pg_url, version)
    finally:
        with suppress(Exception):
            postgres_admin(pg_url, [drop], guard=False)


def gunicorn_mode(args: argparse.Namespace) -> str:
    kind = f"{args.threads} threads each" if args.threads > 1 else "sync"
    return f"gunicorn {args.workers} workers, {kind}"


def gunicorn(
    env: dict[str, str], log: Path, args: argparse.Namespace
) -> AbstractContextManager[tuple[str, int]]:
    """Serve the project with gunicorn until the block ends; yields the base URL and its pid."""
    options = ["--workers", str(args.workers)]
    if args.threads > 1:
        # Threads overlap one request's waits (database, Redis) with another's work.
        options += ["--worker-class", "gthread", "--threads", str(args.threads)]
    return serve(env, log, options)


# --- load -----------------------------------------------------------------------------------


@dataclass
class Failure:
    endpoint: str
    query: str
    reason: str


def server_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by gunicorn's master and workers; 0 off Linux.

    Unlike latencies, CPU per request hardly depends on what else runs on the machine.
    """
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if stat.parent.name == str(pid) or fields[1] == str(pid):  # fields[1]: parent pid
                total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


@dataclass
class Phase:
    endpoint: str
    latencies_ms: list[float] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    concurrency: int = 0
    server_cpu: float = 0.0  # seconds, gunicorn processes
    client_cpu: float = 0.0  # seconds, this process

    def row(self) -> dict[str, Any]:
        cuts = statistics.quantiles(self.latencies_ms, n=100, method="inclusive")
        return {
            "endpoint": self.endpoint,
            "requests": len(self.latencies_ms),
            "failures": len(self.failures),
            "rps": len(self.latencies_ms) / self.seconds,
            "p50": cuts[49],
            "p90": cuts[89],
            "p99": cuts[98],
            "max": max(self.latencies_ms),
            "server_ms": 1000 * self.server_cpu / len(self.latencies_ms),
            "client_ms": 1000 * self.client_cpu / len(self.latencies_ms),
        }


def check(endpoint: str, status: int, text: str, *, may_be_empty: bool = False) -> str | None:
    """Why a response is not a good search result, or None when it is."""
    if status != 200:
        return f"HTTP {status}"
    if may_be_empty:
        return None
    if endpoint == "api":
        body = json.loads(text)
        if not body.get("count") or not body.get("results"):
            return "no results"
    elif 'class="result"' not in text:
        return "no results"
    return None


class RequestsClient:
    """A ``requests.Session``: the client of the runs before 2026-11-26 evening."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()

    def get(self, path: str) -> requests.Response:
        return self.session.get(self.base + path, timeout=30)


def load(
    server: tuple[str, int],
    endpoint: str,
    total: int,
    concurrency: int,
    *,
    misses: bool = False,
    client: str = "plain",
) -> Phase:
    """``total`` searches on one endpoint from ``concurrency`` threads, cycling the queries.

    With ``misses``, each search has its own filters, never asked before: a cache miss each.
    """
    base, server_pid = server
    make_client: Any = PlainClient if client == "plain" else RequestsClient
    if misses:
        combos = [{"q": q, **f} for f in MISS_FILTERS for q in QUERIES][:total]
        if len(combos) < total:
            raise SystemExit(f"--miss-requests is at most {len(MISS_FILTERS) * len(QUERIES)}")
    else:
        combos = [{"q": QUERIES[i % len(QUERIES)]} for i in range(total)]
    random.Random(total).shuffle(combos)
    local = threading.local()
    lock = threading.Lock()
    phase = Phase(f"{endpoint}-miss" if misses else endpoint, concurrency=concurrency)

    def one(params: dict[str, str]) -> None:
        query = params["q"]
        http_client = getattr(local, "client", None)
        if http_client is None:
            http_client = local.client = make_client(base)
        path = f"{ENDPOINTS[endpoint]}?{urlencode(params)}"
        started = time.perf_counter()
        try:
            answer = http_client.get(path)
            status, text = answer.status_code, answer.text
            elapsed = (time.perf_counter() - started) * 1000
            reason = check(endpoint, status, text, may_be_empty=misses)
        except (requests.RequestException, OSError, http.client.HTTPException, ValueError) as exc:
            elapsed = (time.perf_counter() - started) * 1000
            reason = f"{type(exc).__name__}: {exc}"
        with lock:
            phase.latencies_ms.append(elapsed)
            if reason:
                phase.failures.append(Failure(endpoint, query, reason))

    cpu_before, own_before = server_cpu_seconds(server_pid), time.process_time()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, combos))
    phase.seconds = time.perf_counter() - started
    phase.server_cpu = server_cpu_seconds(server_pid) - cpu_before
    phase.client_cpu = time.process_time() - own_before
    return phase


def benchmark(kind: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """Set up one database, serve it, load both endpoints; the figures and any failures."""

    def say(message: str) -> None:
        print(f"[{kind}] {message}", flush=True)

    log = workdir / f"gunicorn-{kind}.log"
    with fresh_database(kind, workdir, args.pg_url) as database:
        env = django_env(
            database.url, workdir, redis_url=args.redis_url if args.cache == "redis" else ""
        )
        say(f"{database.version}: migrating")
        run([sys.executable, str(MANAGE), "migrate", "--noinput"], env)
        say(f"creating {args.procedures} procedures")
        seeded = json.loads(
            run([sys.executable, __file__, "--seed", str(args.procedures)], env).splitlines()[-1]
        )
        say(f"{seeded['procedures']} published procedures in {seeded['seed_seconds']} s")
        try:
            with gunicorn(env, log, args) as base:
                say(f"gunicorn on {base[0]}; warming up")
                warm = [
                    load(
                        base, endpoint, len(QUERIES) * 2, max(args.concurrency), client=args.client
                    )
                    for endpoint in ENDPOINTS
                ]
                phases = []
                for concurrency in args.concurrency:
                    for endpoint in ENDPOINTS:
                        say(f"{args.requests} requests on {ENDPOINTS[endpoint]}, x{concurrency}")
                        phases.append(
                            load(base, endpoint, args.requests, concurrency, client=args.client)
                        )
                # Last: each combination is new only once, so one concurrency (the first).
                for endpoint in ENDPOINTS if args.miss_requests else ():
                    say(f"{args.miss_requests} never-asked searches on {ENDPOINTS[endpoint]}")
                    phases.append(
                        load(
                            base,
                            endpoint,
                            args.miss_requests,
                            args.concurrency[0],
                            misses=True,
                            client=args.client,
                        )
                    )
        finally:
            forget_cache(env)
        return {
            "db": kind,
            "version": database.version,
            "procedures": seeded["procedures"],
            "seed_seconds": seeded["seed_seconds"],
            "phases": phases,
            "warmup_failures": [f for phase in warm for f in phase.failures],
            "server_log": log.read_text(errors="replace").splitlines()[-30:],
        }


# --- report ---------------------------------------------------------------------------------


def report(
    results: list[dict[str, Any]], args: argparse.Namespace, load_avg: str, cache: str
) -> None:
    print()
    print(f"Machine: {machine()}")
    print(f"Load average (1 min) at start / end: {load_avg} (anything else running skews figures)")
    print(
        f"Load: {args.requests} requests per endpoint ({args.miss_requests} never asked), "
        f"concurrency {'/'.join(map(str, args.concurrency))}, {gunicorn_mode(args)}, "
        f"{len(QUERIES)} queries; cache: {cache}; client: {args.client}"
    )
    header = (
        f"{'database':<18} {'endpoint':<9} {'conc':>4} {'procs':>6} {'requests':>8} {'fail':>5} "
        f"{'req/s':>7} {'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7} {'max ms':>7} "
        f"{'srv CPU':>7} {'cli CPU':>7}"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        for phase in result["phases"]:
            row = phase.row()
            print(
                f"{result['version']:<18} {row['endpoint']:<9} {phase.concurrency:>4} "
                f"{result['procedures']:>6} "
                f"{row['requests']:>8} {row['failures']:>5} {row['rps']:>7.1f} "
                f"{row['p50']:>7.1f} {row['p90']:>7.1f} {row['p99']:>7.1f} {row['max']:>7.1f} "
                f"{row['server_ms']:>7.1f} {row['client_ms']:>7.1f}"
            )
    print(
        "srv CPU / cli CPU: CPU time per request, in ms, of the gunicorn processes and of this "
        "client (the database and Redis not counted)."
    )
    for result in results:
        failures = result["warmup_failures"] + [f for p in result["phases"] for f in p.failures]
        if failures:
            print(f"\n{result['db']}: {len(failures)} failed request(s), first ones:")
            for failure in failures[:10]:
                print(f"  {failure.endpoint} q={failure.query!r}: {failure.reason}")
            print("Last lines of the gunicorn log:")
            print("\n".join(f"  {line}" for line in result["server_log"]))
        if result["db"] == "postgres":
            for phase in result["phases"]:
                p99 = phase.row()["p99"]
                verdict = "met" if p99 < TARGET_P99_MS else "MISSED"
                print(
                    f"Target p99 < {TARGET_P99_MS:.0f} ms on PostgreSQL, {phase.endpoint}, "
                    f"concurrency {phase.concurrency}, "
                    f"{result['procedures']} procedures: {verdict} (p99 {p99:.1f} ms)"
                )


def concurrencies(text: str) -> list[int]:
    return [positive(part) for part in text.split(",")]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", choices=["postgres", "sqlite", "both"], default="both")
    parser.add_argument("--procedures", type=positive, default=5000)
    parser.add_argument("--requests", type=positive, default=2000, help="per endpoint and DB")
    parser.add_argument(
        "--concurrency",
        type=concurrencies,
        default=[8],
        help="client threads; several as 8,2 (one pass each on the same server)",
    )
    parser.add_argument(
        "--miss-requests",
        type=int,
        default=200,
        help="never-asked searches per endpoint and DB (0: none)",
    )
    parser.add_argument("--workers", type=positive, default=2, help="gunicorn worker processes")
    parser.add_argument(
        "--threads", type=positive, default=4, help="threads per worker (1: sync workers)"
    )
    parser.add_argument(
        "--client",
        choices=["plain", "requests"],
        default="plain",
        help="HTTP client: http.client (little CPU) or requests (the earlier runs' client)",
    )
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG_URL))
    parser.add_argument(
        "--cache",
        choices=["redis", "memory"],
        default="redis",
        help="Django cache of the server: Redis as in production, or per-process memory",
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--seed", type=int, metavar="N", help=argparse.SUPPRESS)  # child process
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if args.seed is not None:
        print(json.dumps(seed_database(args.seed)))
        return
    kinds = ["postgres", "sqlite"] if args.db == "both" else [args.db]
    cache = check_redis(args.redis_url) if args.cache == "redis" else "per-process memory"
    load_at_start = os.getloadavg()[0]
    workdir = Path(tempfile.mkdtemp(prefix="motcua-bench-"))
    try:
        env = django_env(f"sqlite:///{workdir / 'unused.sqlite3'}", workdir)
        run([sys.executable, str(MANAGE), "collectstatic", "--noinput"], env)
        results = [benchmark(kind, args, workdir) for kind in kinds]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report(results, args, f"{load_at_start:.2f} / {os.getloadavg()[0]:.2f}", cache)


if __name__ == "__main__":
    main()
