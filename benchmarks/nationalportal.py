"""National portal synchronisation benchmark: status changes delivered per second to the
sandbox portal by the worker's function.

1. A child Django process makes the dossier tests' world and N dossiers, each filed, accepted,
   forwarded, asked for a supplement and given it: 5 changes each, 5 × N outbox rows
   (``motcua.nationalportal``), written in the changes' transactions. Nothing is delivered
   yet (the delivery tasks wait in the database queue; no ``db_worker`` runs).
2. gunicorn serves the project in production mode with the sandbox portal on.
3. W worker processes (``--workers``) each run ``services.deliver_due()`` — what the
   scheduler's sweep and each delivery task run — at the same moment, against the sandbox
   over HTTP (sign-in once per process, then one ``DongBoHoSoMC`` POST per change, checked
   and stored by the sandbox). Reported: changes delivered per second (all workers together),
   the time of one change (POST and bookkeeping), CPU per change of the workers and of
   gunicorn. Then it checks what must hold: every row delivered once, the sandbox holding
   each dossier's statuses in order, as many accepted calls as rows.

It prints figures only; it never fails on speed. Run it from the repository root::

    .venv/bin/python benchmarks/nationalportal.py --dossiers 200 --workers 2 \
        --pg-url postgres://postgres@127.0.0.1:5432/motcua_bench_national

SQLite in a temporary directory by default (one worker: SQLite serialises writers);
``--pg-url`` uses that PostgreSQL database instead (dropped and recreated at the start,
dropped at the end). Files and logs live in a temporary directory, removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

from _common import (  # benchmarks/ is on sys.path
    ROOT,
    bounded,
    database,
    django_env,
    machine,
    run,
    serve,
)

MANAGE = ROOT / "manage.py"
CHANGES_PER_DOSSIER = 5


def django_setup() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()


def prepare(count: int) -> dict[str, Any]:
    """``--prepare N``: N dossiers with 5 changes each in the outbox, none delivered."""
    django_setup()
    from motcua.dossiers.tests.factories import file_dossier, make_world
    from motcua.nationalportal.models import SyncItem
    from motcua.nationalportal.tests.helpers import accept_and_process

    world = make_world()
    started = time.perf_counter()
    for _ in range(count):
        accept_and_process(world, file_dossier(world))
    return {"rows": SyncItem.objects.count(), "seconds": time.perf_counter() - started}


def deliver() -> dict[str, Any]:
    """``--deliver``: one worker's run of ``deliver_due`` until nothing is due."""
    django_setup()
    from motcua.nationalportal import services

    cpu = time.process_time()
    started = time.perf_counter()
    delivered = refused = failed = 0
    while True:
        result = services.deliver_due()
        delivered += result.delivered
        refused += result.refused
        failed += result.failed
        if result == services.Delivery():
            break
    return {
        "delivered": delivered,
        "refused": refused,
        "failed": failed,
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
    }


def verify() -> dict[str, Any]:
    """``--verify``: what must hold after the run."""
    django_setup()
    from motcua.nationalportal.models import SandboxCall, SandboxDossier, SyncItem, SyncState

    in_order = all(d.statuses == [1, 2, 4, 5, 4] for d in SandboxDossier.objects.all())
    return {
        "rows": SyncItem.objects.count(),
        "undelivered": SyncItem.objects.exclude(state=SyncState.DELIVERED).count(),
        "sandbox_dossiers": SandboxDossier.objects.count(),
        "in_order": in_order,
        "accepted_calls": SandboxCall.objects.filter(accepted=True).count(),
        "refused_calls": SandboxCall.objects.filter(accepted=False).count(),
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its waited-for children (gunicorn's workers)."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    with suppress(OSError):
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(child) for child in children]
    for one in pids:
        with suppress(OSError):
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(value) for value in fields[11:15]) / ticks
    return total


def child(env: dict[str, str], *args: str) -> dict[str, Any]:
    output = run([sys.executable, __file__, *args], env)
    return dict(json.loads(output.strip().splitlines()[-1]))


def benchmark(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    import subprocess

    with database(args.pg_url, workdir) as url:
        extra = {"MOTCUA_SANDBOX_ENABLED": "1", "MOTCUA_NATIONAL_SYNC_CLIENT": "sandbox"}
        env = django_env(url, workdir, extra=extra)
        run([sys.executable, str(MANAGE), "migrate", "--noinput"], env)
        prepared = child(env, "--prepare", str(args.dossiers))
        load_start = os.getloadavg()[0]
        with serve(env, workdir / "gunicorn.log", ["--workers", str(args.server_workers)]) as (
            base,
            pid,
        ):
            env["MOTCUA_NATIONAL_SYNC_URL"] = base + "/sandbox/cong-dvcqg/"
            server_cpu = cpu_seconds(pid)
            started = time.perf_counter()
            processes = [
                subprocess.Popen(
                    [sys.executable, __file__, "--deliver"],
                    env=env,
                    cwd=ROOT,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(args.workers)
            ]
            results = []
            for process in processes:
                out, err = process.communicate(timeout=3600)
                if process.returncode:
                    raise RuntimeError(f"a worker failed:\n{err[-3000:]}")
                results.append(json.loads(out.strip().splitlines()[-1]))
            seconds = time.perf_counter() - started
            server_cpu = cpu_seconds(pid) - server_cpu
        checked = child(env, "--verify")
    delivered = sum(r["delivered"] for r in results)
    return {
        "machine": machine(),
        "database": "postgresql" if args.pg_url else "sqlite3",
        "load": (load_start, os.getloadavg()[0]),
        "prepared": prepared,
        "workers": args.workers,
        "server_workers": args.server_workers,
        "delivered": delivered,
        "refused": sum(r["refused"] for r in results),
        "failed": sum(r["failed"] for r in results),
        "seconds": seconds,
        "per_s": delivered / seconds if seconds else 0.0,
        "worker_cpu_ms": 1000 * sum(r["cpu"] for r in results) / max(delivered, 1),
        "server_cpu_ms": 1000 * server_cpu / max(delivered, 1),
        "checked": checked,
    }


def report(figures: dict[str, Any]) -> str:
    checked = figures["checked"]
    ok = (
        checked["undelivered"] == 0
        and checked["in_order"]
        and checked["accepted_calls"] == checked["rows"]
    )
    when = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    start, end = figures["load"]
    return "\n".join(
        [
            f"National portal synchronisation — {when} UTC",
            f"  machine: {figures['machine']}; load average (1 min) at start / end: "
            f"{start:.2f} / {end:.2f}; database: {figures['database']}; "
            f"gunicorn {figures['server_workers']} workers; {figures['workers']} sync worker(s)",
            f"  outbox: {figures['prepared']['rows']} changes of "
            f"{figures['prepared']['rows'] // CHANGES_PER_DOSSIER} dossiers "
            f"(written with the changes in {figures['prepared']['seconds']:.1f} s)",
            f"  delivered {figures['delivered']} changes in {figures['seconds']:.1f} s: "
            f"{figures['per_s']:.1f} status changes/s "
            f"({1000 / figures['per_s'] if figures['per_s'] else 0:.1f} ms a change, all workers); "
            f"refused {figures['refused']}, failed {figures['failed']}",
            f"  CPU a change: worker {figures['worker_cpu_ms']:.1f} ms, sandbox server "
            f"{figures['server_cpu_ms']:.1f} ms",
            f"  check: {checked['undelivered']} undelivered, {checked['sandbox_dossiers']} "
            f"dossiers at the sandbox, statuses in order: {checked['in_order']}, accepted calls "
            f"{checked['accepted_calls']} for {checked['rows']} changes, refused calls "
            f"{checked['refused_calls']} → {'holds' if ok else 'DOES NOT HOLD'}",
        ]
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("--prepare", "--deliver", "--verify"):
        if sys.argv[1] == "--prepare":
            print(json.dumps(prepare(int(sys.argv[2]))))
        elif sys.argv[1] == "--deliver":
            print(json.dumps(deliver()))
        else:
            print(json.dumps(verify()))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=bounded(100_000), default=100)
    parser.add_argument("--workers", type=bounded(32), default=1)
    parser.add_argument("--server-workers", type=bounded(32), default=2)
    parser.add_argument("--pg-url", default=None)
    args = parser.parse_args()
    if args.workers > 1 and not args.pg_url:
        parser.error("several workers need PostgreSQL (--pg-url): SQLite serialises writers")
    workdir = Path(tempfile.mkdtemp(prefix="motcua-bench-national-"))
    try:
        print(report(benchmark(args, workdir)))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
