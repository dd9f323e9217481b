"""Citizen pages beside the API: requests per second and p99 of each, on the same run.

Issue 13 asks that the public pages a citizen opens (home, search results, a procedure page,
the dossier look-up with its timeline, my dossiers) keep up with the data behind them: each
public page at least 60% of the look-up API's rate, measured side by side. This script:

1. makes a PostgreSQL database (dropped at the end), migrates it, loads Đà Nẵng's demo
   (``load_demo``), and files one dossier for a demo citizen (a Django child process) so the
   look-up and "my dossiers" have something to show;
2. serves the project with gunicorn in production mode (``--workers`` sync workers, default 3);
3. runs ``wrk`` (Debian's package; ``apt-get install wrk``) with ``--connections`` connections
   (default 8) for ``--seconds`` on each address in turn, after a warm-up, ``--rounds`` times
   (default 3), and prints the medians of requests per second and p50/p99 latency, non-2xx
   answers and the rate as a share of the look-up API's; beside them, the CPU time the
   gunicorn workers and the PostgreSQL backends spent per request during the same run (read
   from /proc), which a busy machine disturbs far less than the rates, and the API's CPU per
   request as a share of the page's (what the rate share would be if CPU alone decided it).

``--code`` serves another checkout (a ``git worktree`` of an older commit) with the same data,
database and settings: the way to compare with the pages as they were, on the same machine.

It prints figures only; it never fails on speed. Run it from the repository root::

    .venv/bin/python benchmarks/pages.py --seconds 10

PostgreSQL is reached at ``--pg-url`` (default
``postgres://postgres@127.0.0.1:5432/motcua_bench_pages``, or ``BENCH_PAGES_POSTGRES_URL``), and
the shared cache production uses at ``--redis-url`` (default ``redis://127.0.0.1:6379/3``, or
``BENCH_REDIS_URL``), under a key prefix of the run's own, deleted at the end.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    ROOT,
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

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/motcua_bench_pages"
DEFAULT_REDIS = "redis://127.0.0.1:6379/3"
PASSWORD = "bench-passphrase-1"  # noqa: S105  (a throw-away database's citizen)

# A citizen of the demo with one dossier: what the look-up and "my dossiers" show.
SEED = """
import json
from django.core.files.uploadedfile import SimpleUploadedFile
from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.dossiers import services
from motcua.eforms.examples import example_document

procedure = Procedure.objects.get(code="1.001193")
user, _ = User.objects.get_or_create(username="bench-citizen", defaults={"full_name": "Lê Thị Hà",
    "assurance_level": 2})
user.set_password(PASSWORD)
user.save()
version = procedure.versions.order_by("-number")[0]
answers = example_document(version.snapshot["cases"][0]["eform"])
pdf = (b"%PDF-1.4\\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\\ntrailer<</Root 1 0 R>>\\n%%EOF\\n")
draft = services.start_draft(user=user, procedure=procedure, acting_for=None, initial=answers)
for position, component in enumerate(procedure.cases.all()[0].components.all()):
    services.attach(draft=draft, user=user, component_position=position,
        upload=SimpleUploadedFile("a.pdf", pdf, "application/pdf"))
dossier = services.submit(draft=draft, user=user, form_errors={})
print("JSON" + json.dumps({"code": dossier.code, "secret": dossier.lookup_secret}))
"""


@dataclass
class Figure:
    name: str
    path: str
    rate: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    app_cpu_ms: float = float("nan")  # gunicorn workers' CPU time per request
    db_cpu_ms: float = float("nan")  # PostgreSQL backends' CPU time per request


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if match is None:  # wrk printed no latency (no request finished): say so, don't guess
        return float("nan")
    value, unit = match.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(base: str, path: str, *, seconds: int, connections: int, cookie: str = "") -> Figure:
    command = ["wrk", "--latency", "-t", "2", "-c", str(connections), "-d", f"{seconds}s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, base + path], capture_output=True, text=True, check=True).stdout
    if "Requests/sec" not in out or "50%" not in out:
        sys.exit(f"wrk gave no figures for {path}:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s*50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Figure("", path, rate, p50, p99, total, int(bad.group(1)) if bad else 0)


def median_figure(name: str, runs: list[Figure]) -> Figure:
    """Each figure's median over the rounds (requests and non-2xx answers are summed)."""
    return Figure(
        name,
        runs[0].path,
        statistics.median(run.rate for run in runs),
        statistics.median(run.p50_ms for run in runs),
        statistics.median(run.p99_ms for run in runs),
        sum(run.requests for run in runs),
        sum(run.non_2xx for run in runs),
        statistics.median(run.app_cpu_ms for run in runs),
        statistics.median(run.db_cpu_ms for run in runs),
    )


# Requests per second depend on what else the machine runs; the CPU time the server spends per
# request hardly does. Both are printed: the rates for the target, the CPU as the steady figure.
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: set[int]) -> dict[int, float]:
    """User plus system CPU time of each of these processes so far (ended ones are left out)."""
    times = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        times[pid] = (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    return times


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two readings: a process that began in between counts from
    zero, one that ended in between counts nothing (its last figure is lost)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def worker_pids(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid) for pid in children}


def database_pids(pg_url: str) -> set[int]:
    import psycopg  # the project's own driver

    parts = urlsplit(pg_url)
    admin_url = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (postgres_name(pg_url),),
        ).fetchall()
    return {int(row[0]) for row in rows}


def measured(base: str, path: str, *, master: int, pg_url: str, **options: Any) -> Figure:
    """``wrk`` on ``path``, with the server's CPU time per request over the same run."""
    app, database = worker_pids(master), database_pids(pg_url)
    before = cpu_seconds(app), cpu_seconds(database)
    figure = wrk(base, path, **options)
    database |= database_pids(pg_url)  # a connection opened during the run counts from zero
    app_cpu = cpu_spent(before[0], cpu_seconds(app))
    db_cpu = cpu_spent(before[1], cpu_seconds(database))
    figure.app_cpu_ms = app_cpu * 1000 / max(figure.requests, 1)
    figure.db_cpu_ms = db_cpu * 1000 / max(figure.requests, 1)
    return figure


def session_cookie(base: str) -> str:
    """Sign the demo citizen in with the password form, as a browser does."""
    import requests

    client = requests.Session()
    page = client.get(f"{base}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    answer = client.post(
        f"{base}/accounts/login/",
        data={
            "csrfmiddlewaretoken": token.group(1) if token else "",
            "username": "bench-citizen",
            "password": PASSWORD,
        },
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=10,
        allow_redirects=False,
    )
    if answer.status_code != 302 or "sessionid" not in client.cookies:
        raise RuntimeError(f"sign-in failed: {answer.status_code}")
    return f"sessionid={client.cookies['sessionid']}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=bounded(600), default=10)
    parser.add_argument("--connections", type=bounded(256), default=8)
    parser.add_argument("--workers", type=bounded(32), default=3)
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PAGES_POSTGRES_URL", DEFAULT_PG))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument(
        "--rounds",
        type=bounded(20),
        default=3,
        help="measure every address this many times, in turn; the medians are printed",
    )
    parser.add_argument(
        "--code",
        type=Path,
        default=ROOT,
        help="serve the project from this checkout instead (e.g. a `git worktree` of an older "
        "commit), to compare with it on the same machine",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    cache = check_redis(args.redis_url)
    name = postgres_name(args.pg_url)
    server = postgres_admin(
        args.pg_url, [f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"']
    )
    workdir = Path(tempfile.mkdtemp(prefix="motcua-bench-pages-"))
    env: dict[str, str] = {}
    try:
        # Plain http on this machine: cookies without the Secure flag, as scripts/serve does.
        env = django_env(
            args.pg_url,
            workdir,
            redis_url=args.redis_url,  # as production: catalogue pages are cached there
            extra={"SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0"},
        )
        code = args.code.resolve()
        env["PYTHONPATH"] = str(code / "src")
        manage = [sys.executable, str(code / "manage.py")]
        run([*manage, "migrate", "--noinput"], env)
        run([*manage, "load_demo"], env)
        run([*manage, "collectstatic", "--noinput", "-v", "0"], env)
        seeded = subprocess.run(
            [*manage, "shell"],
            input=f"PASSWORD = {PASSWORD!r}\n" + SEED,
            env=env,
            cwd=code,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        dossier = json.loads(
            [line for line in seeded.splitlines() if line.startswith("JSON")][-1][4:]
        )
        lookup_query = f"?code={dossier['code']}&secret={dossier['secret']}"
        targets = [
            ("look-up API", f"/api/v1/dossiers/lookup/{lookup_query}", False),
            ("home", "/", False),
            ("search results", "/thu-tuc/?q=giay+khai+sinh", False),
            ("procedure page", "/thu-tuc/1.001193/", False),
            ("look-up page", f"/tra-cuu-ho-so/{lookup_query}", False),
            ("my dossiers", "/ho-so/", True),
        ]
        options = ["--workers", str(args.workers), "--worker-class", "sync"]
        with serve(env, workdir / "gunicorn.log", options) as (base, master):
            cookie = session_cookie(base)
            for _label, path, signed_in in targets:  # warm up: caches filled, code loaded
                wrk(
                    base,
                    path,
                    seconds=2,
                    connections=args.connections,
                    cookie=cookie if signed_in else "",
                )
            # Rounds in turn, so that a change in the machine's load touches every address alike.
            rounds: list[list[Figure]] = [[] for _ in targets]
            for _ in range(args.rounds):
                for runs, (_label, path, signed_in) in zip(rounds, targets, strict=True):
                    runs.append(
                        measured(
                            base,
                            path,
                            master=master,
                            pg_url=args.pg_url,
                            seconds=args.seconds,
                            connections=args.connections,
                            cookie=cookie if signed_in else "",
                        )
                    )
            figures = [
                median_figure(label, runs)
                for (label, _path, _signed_in), runs in zip(targets, rounds, strict=True)
            ]
    finally:
        forget_cache(env)
        shutil.rmtree(workdir, ignore_errors=True)
        postgres_admin(args.pg_url, [f'DROP DATABASE IF EXISTS "{name}"'], guard=False)

    api = figures[0]
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"Pages beside the look-up API, {now}; {machine()}; {server}; {cache}")
    print(
        f"wrk -t2 -c{args.connections} -d{args.seconds}s, {args.rounds} rounds (medians), "
        f"gunicorn {args.workers} sync workers, load average {os.getloadavg()[0]:.2f}"
    )
    print(
        f"{'address':<16} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'of API':>7}"
        f" {'app CPU ms':>11} {'db CPU ms':>10} {'API/page CPU':>13}"
    )
    for figure in figures:
        cpu = figure.app_cpu_ms + figure.db_cpu_ms
        print(
            f"{figure.name:<16} {figure.rate:>8.1f} {figure.p50_ms:>8.1f} {figure.p99_ms:>8.1f} "
            f"{figure.non_2xx:>8} {figure.rate / (api.rate or 1.0):>6.0%}"
            f" {figure.app_cpu_ms:>11.2f} {figure.db_cpu_ms:>10.2f}"
            f" {(api.app_cpu_ms + api.db_cpu_ms) / cpu if cpu else float('nan'):>12.0%}"
        )


if __name__ == "__main__":
    main()
