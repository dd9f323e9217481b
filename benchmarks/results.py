"""Signed-results benchmark: results signed per second, and verifications per second over HTTP.

1. **Signing** (in-process, one worker). A child Django process makes the dossier tests'
   world (an agency, a procedure, officers), the development CA and the agency's key, and N
   dossiers in status 4 (processing). It then calls ``motcua.results.services.issue_result``
   for each, one after another: render the PDF (fpdf2, DejaVu embedded, QR code), sign it
   (pyHanko, PAdES, RSA-2048), store it with its SHA-256 and save the record. Reported: results
   per second, the latency of ``issue_result``, and the split of one call into rendering and
   signing (measured separately on the same dossiers).
2. **Verification** (HTTP). gunicorn serves the project in production mode; client threads
   ``POST /api/v1/results/verify/`` (multipart, one of the signed PDFs, each must answer 200
   with ``"outcome": "valid"``) and ``GET /api/v1/results/<token>/`` (the QR code's address; the
   stored file is validated again). Reported: requests per second and latency of each.

CPU time used by gunicorn and by the client is read from ``/proc`` and reported per
operation: on a machine shared with other work, wall-clock figures move with that work, CPU
per operation much less. It prints figures only; it never fails on speed.

Run it from the repository root with the project's virtual environment::

    .venv/bin/python benchmarks/results.py --results 200 --verifications 1000 --concurrency 4

SQLite in a temporary directory by default (verification reads one row; the work is the
cryptography); ``--pg-url postgres://postgres@127.0.0.1:5432/motcua_bench_results`` uses that
PostgreSQL database instead (dropped and recreated at the start, dropped at the end). Keys,
files and logs live in a temporary directory, removed at the end, even when the run fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, suppress
from pathlib import Path
from typing import Any

import requests
from _common import ROOT, bounded, database, django_env, run, serve  # benchmarks/ is on sys.path

positive = bounded(1_000_000)
MANAGE = ROOT / "manage.py"
TIMEOUT = 60


# --- inside Django (child process) ------------------------------------------------------------


def django_setup() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()


def percentiles(values: list[float]) -> dict[str, float]:
    data = values * 2 if len(values) == 1 else values
    cuts = statistics.quantiles(data or [0.0, 0.0], n=100, method="inclusive")
    return {"p50": cuts[49], "p90": cuts[89], "p99": cuts[98], "max": max(data or [0.0])}


def sign_in_process(count: int, pdf_out: str) -> dict[str, Any]:
    """``--sign N``: N dossiers in processing, then ``issue_result`` on each, timed."""
    django_setup()
    import datetime

    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from motcua.dossiers.lifecycle import Transition
    from motcua.dossiers.services import act
    from motcua.dossiers.tests.factories import file_dossier, make_world
    from motcua.results import documents, services, signing

    world = make_world()
    call_command("make_dev_signing_keys", world.agency.code, stdout=open(os.devnull, "w"))  # noqa: SIM115
    dossiers = []
    for _ in range(count):
        dossier = file_dossier(world)
        act(dossier=dossier, user=world.receiver, transition=Transition.ACCEPT)
        dossiers.append(act(dossier=dossier, user=world.receiver, transition=Transition.FORWARD))

    # The split of one result, on a sample: rendering alone, then signing alone.
    sample = dossiers[: min(20, count)]
    store = signing.key_store()
    signer = store.signer(world.agency)
    render_ms, sign_ms = [], []
    for dossier in sample:
        started = time.perf_counter()
        pdf = documents.result_pdf(
            dossier,
            agency=world.agency,
            number="KQ-bench",
            issued_on=datetime.date.today(),
            verify_url=services.verify_url(secrets.token_urlsafe(24)),
            signer_name="Nguyễn Văn Bình",
            signer_title="Giám đốc",
        )
        render_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        signing.sign_pdf(pdf, signer=signer, reason="bench", location="Đà Nẵng", contact="x")
        sign_ms.append((time.perf_counter() - started) * 1000)

    latencies, tokens = [], []
    cpu_before = time.process_time()
    started = time.perf_counter()
    for dossier in dossiers:
        one = time.perf_counter()
        result = services.issue_result(dossier=dossier, officer=world.approver)
        latencies.append((time.perf_counter() - one) * 1000)
        tokens.append(result.token)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_before
    with result.file.open("rb") as stored:
        data = stored.read()
    Path(pdf_out).write_bytes(data)
    return {
        "count": count,
        "seconds": seconds,
        "per_s": count / seconds,
        "cpu_ms_per_result": cpu * 1000 / count,
        "latency": percentiles(latencies),
        "render_ms": statistics.median(render_ms),
        "sign_ms": statistics.median(sign_ms),
        "pdf_bytes": len(data),
        "tokens": tokens,
        "issued_at": timezone.now().isoformat(),
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
    }


# --- processes --------------------------------------------------------------------------------


def gunicorn(
    env: dict[str, str], log: Path, workers: int
) -> AbstractContextManager[tuple[str, int]]:
    """Serve the project until the block ends; yields the base URL and the master's pid."""
    return serve(env, log, ["--workers", str(workers)])


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process and its children (gunicorn's workers), from ``/proc``."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with suppress(OSError, IndexError, ValueError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(entry.name) == pid or int(fields[1]) == pid:
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


# --- HTTP load ----------------------------------------------------------------------------------


def load(count: int, concurrency: int, call: Any, server_pid: int) -> dict[str, Any]:
    """``count`` calls of ``call(session, index) -> ok`` on ``concurrency`` threads, timed."""
    local = threading.local()
    lock = threading.Lock()
    latencies: list[float] = []
    failures: list[str] = []

    def one(index: int) -> None:
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        started = time.perf_counter()
        try:
            problem = call(session, index)
        except (requests.RequestException, ValueError) as exc:
            problem = f"{type(exc).__name__}: {exc}"
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            latencies.append(elapsed)
            if problem:
                failures.append(problem)

    server_before, client_before = tree_cpu(server_pid), time.process_time()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as executor:
        list(executor.map(one, range(count)))
    seconds = time.perf_counter() - started
    server_cpu = tree_cpu(server_pid) - server_before
    return {
        "count": count,
        "failures": len(failures),
        "first_failure": failures[0] if failures else "",
        "per_s": count / seconds,
        "latency": percentiles(latencies),
        "server_cpu_ms": server_cpu * 1000 / count,
        "client_cpu_ms": (time.process_time() - client_before) * 1000 / count,
    }


def benchmark(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    with database(args.pg_url, workdir) as url:
        env = django_env(
            url,
            workdir,
            extra={
                "MOTCUA_SIGNING_DIR": str(workdir / "signing"),
                "MOTCUA_SIGNING_CA_CERT": str(workdir / "signing" / "ca" / "ca.cert.pem"),
                "MOTCUA_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            },
        )
        run([sys.executable, str(MANAGE), "migrate", "--noinput"], env)
        run([sys.executable, str(MANAGE), "collectstatic", "--noinput"], env)
        pdf_path = workdir / "result.pdf"
        signed = json.loads(
            run([sys.executable, __file__, "--sign", str(args.results), str(pdf_path)], env)
            .strip()
            .splitlines()[-1]
        )
        pdf = pdf_path.read_bytes()
        tokens = signed.pop("tokens")
        with gunicorn(env, workdir / "gunicorn.log", args.workers) as (base, pid):

            def verify_upload(session: requests.Session, index: int) -> str:
                files = {"file": ("ket-qua.pdf", pdf, "application/pdf")}
                answer = session.post(
                    f"{base}/api/v1/results/verify/", files=files, timeout=TIMEOUT
                )
                if answer.status_code != 200 or answer.json().get("outcome") != "valid":
                    return f"HTTP {answer.status_code}: {answer.text[:160]}"
                return ""

            def verify_token(session: requests.Session, index: int) -> str:
                token = tokens[index % len(tokens)]
                answer = session.get(f"{base}/api/v1/results/{token}/", timeout=TIMEOUT)
                if answer.status_code != 200 or answer.json().get("outcome") != "valid":
                    return f"HTTP {answer.status_code}: {answer.text[:160]}"
                return ""

            load(min(20, args.verifications), args.concurrency, verify_upload, pid)  # warm-up
            uploads = load(args.verifications, args.concurrency, verify_upload, pid)
            by_token = load(args.verifications, args.concurrency, verify_token, pid)
    return {"signing": signed, "upload": uploads, "token": by_token}


def report(result: dict[str, Any], args: argparse.Namespace, load_avg: str) -> None:
    signing = result["signing"]
    print(f"Signed results — {time.strftime('%Y-%m-%d %H:%M')}, {platform.node()}")
    print(
        f"  machine: {os.cpu_count()} cores, load average (1 min) at start / end: {load_avg}; "
        f"database: {signing['database']}; gunicorn {args.workers} workers, "
        f"{args.concurrency} client threads"
    )
    lat = signing["latency"]
    print(
        f"  issue_result, one worker, {signing['count']} results: {signing['per_s']:.1f}/s "
        f"(p50 {lat['p50']:.0f} ms, p99 {lat['p99']:.0f} ms; CPU "
        f"{signing['cpu_ms_per_result']:.0f} ms a result); rendering {signing['render_ms']:.0f} ms"
        f", signing {signing['sign_ms']:.0f} ms (medians); PDF {signing['pdf_bytes'] // 1024} KB"
    )
    for name, label in (
        ("upload", "POST /api/v1/results/verify/"),
        ("token", "GET /api/v1/results/<token>/"),
    ):
        row = result[name]
        lat = row["latency"]
        print(
            f"  {label}: {row['count']} requests, {row['failures']} failed, "
            f"{row['per_s']:.1f}/s (p50 {lat['p50']:.0f} ms, p90 {lat['p90']:.0f} ms, "
            f"p99 {lat['p99']:.0f} ms); server CPU {row['server_cpu_ms']:.0f} ms a request"
        )
        if row["first_failure"]:
            print(f"    first failure: {row['first_failure']}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--results", type=positive, default=200, help="results to sign")
    parser.add_argument("--verifications", type=positive, default=1000)
    parser.add_argument("--concurrency", type=positive, default=4, help="client threads")
    parser.add_argument(
        "--workers", type=positive, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers"
    )
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_RESULTS_POSTGRES_URL"))
    parser.add_argument("--sign", nargs=2, metavar=("N", "PDF"), help=argparse.SUPPRESS)  # child
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if args.sign:
        print(json.dumps(sign_in_process(int(args.sign[0]), args.sign[1])))
        return
    workdir = Path(tempfile.mkdtemp(prefix="motcua-bench-results-"))
    try:
        load_at_start = os.getloadavg()[0]
        result = benchmark(args, workdir)
        report(result, args, f"{load_at_start:.2f} / {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
