"""What the benchmark scripts share: the project's environment for a server, PostgreSQL
databases made and dropped for a run, commands, ports and a description of the machine."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"nproc {os.cpu_count()}, {cpu}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def bounded(upper: int) -> Callable[[str], int]:
    """An argparse type: a whole number from 1 to ``upper``."""

    def parse(text: str) -> int:
        value = int(text)
        if not 0 < value <= upper:
            raise argparse.ArgumentTypeError(f"{text} is not between 1 and {upper}")
        return value

    return parse


def postgres_name(url: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"Refusing an unusual database name in {url!r}")
    return name


def postgres_admin(url: str, statements: list[str], *, guard: bool = True) -> str:
    """Run ``statements`` on the server's ``postgres`` database; returns the server version.

    With ``guard``, refuses (before running anything) when another client is connected to the
    benchmark database, e.g. a second benchmark run, whose database must not be dropped.
    """
    import psycopg  # the project's own driver

    parts = urlsplit(url)
    admin_url = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        busy = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (postgres_name(url),)
        ).fetchone()
        if guard and busy and busy[0]:
            raise RuntimeError(
                f"{busy[0]} connection(s) to {postgres_name(url)} (another benchmark run?); "
                "wait for it or pass another --pg-url"
            )
        for statement in statements:
            conn.execute(statement)  # type: ignore[arg-type]
        row = conn.execute("SHOW server_version").fetchone()
    return f"PostgreSQL {str(row[0]).split()[0] if row else '?'}"


def django_env(
    database_url: str,
    workdir: Path,
    *,
    redis_url: str = "",
    key_prefix: str = "motcua-bench",
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    """The server's environment, as production runs it; with ``redis_url``, the Django cache
    lives there under a key prefix of the run's own."""
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
        env["CACHE_KEY_PREFIX"] = f"{key_prefix}-{secrets.token_hex(6)}"
    env.update(
        {
            "MOTCUA_DEBUG": "0",
            "SECRET_KEY": f"bench-{secrets.token_urlsafe(32)}",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "WARNING",
            # One load generator on one address: production's per-address limits would answer
            # it 429; the benchmarks measure the work, not the limits.
            "MOTCUA_RATE_LIMIT_ENABLED": "0",
            "DJANGO_SETTINGS_MODULE": "motcua.settings",
            "MOTCUA_VAR_DIR": str(workdir / "var"),
            "MEDIA_ROOT": str(workdir / "media"),
            "STATIC_ROOT": str(workdir / "static"),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")])),
            **(extra or {}),
        }
    )
    return env


@contextmanager
def serve(env: dict[str, str], log: Path, options: list[str]) -> Iterator[tuple[str, int]]:
    """Serve the project with gunicorn (``options``: workers, threads …) until the block ends,
    once ``/healthz`` answers; yields the base URL and the master's pid."""
    import requests  # a test dependency, as every benchmark client

    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "motcua.wsgi:application", *options]
    command += ["--bind", f"127.0.0.1:{port}"]
    with log.open("w") as output:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=output, stderr=output)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{log.read_text()[-3000:]}")
            with suppress(requests.RequestException):
                if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"/healthz never answered 200:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class PlainResponse:
    """What the benchmarks read of an answer, as ``requests.Response`` offers it."""

    status_code: int
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


class PlainClient:
    """One kept-alive HTTP/1.1 connection (``http.client``): far less client CPU per request
    than ``requests``, which matters when the client shares the server's 2 cores."""

    def __init__(self, base: str, timeout: float = 60) -> None:
        parts = urlsplit(base)
        self.connection = http.client.HTTPConnection(
            parts.hostname or "", parts.port, timeout=timeout
        )

    def get(self, path: str) -> PlainResponse:
        return self.request("GET", path)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> PlainResponse:
        """Retried once on a closed connection: safe for GET, and for POST with an
        ``Idempotency-Key`` (the server answers a repeat with the first result)."""
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers or {})
                response = self.connection.getresponse()
                return PlainResponse(response.status, response.read().decode())
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()  # the server closed a kept-alive connection: reconnect
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def check_redis(url: str) -> str:
    """The Redis server's version; refuses to go on without one."""
    import redis  # the project's own client

    try:
        info = redis.Redis.from_url(url, socket_timeout=5).info("server")
    except redis.RedisError as exc:
        raise SystemExit(
            f"Redis at {url} does not answer ({exc}); start it, pass --redis-url, or run with "
            "--cache memory"
        ) from exc
    return f"Redis {info.get('redis_version', '?')}"


def forget_cache(env: dict[str, str]) -> None:
    """Delete the keys this run wrote (its own prefix only)."""
    if "REDIS_URL" not in env:
        return
    import redis

    with suppress(redis.RedisError):
        client = redis.Redis.from_url(env["REDIS_URL"], socket_timeout=5)
        keys = list(client.scan_iter(match=f"{env['CACHE_KEY_PREFIX']}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])


@contextmanager
def database(pg_url: str | None, workdir: Path) -> Iterator[str]:
    """SQLite in ``workdir``, or a fresh PostgreSQL database dropped afterwards."""
    if not pg_url:
        yield f"sqlite:///{workdir / 'bench.sqlite3'}"
        return
    import psycopg

    parts = urlsplit(pg_url)
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"Refusing an unusual database name in {pg_url!r}")
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(drop)  # type: ignore[arg-type]
        conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    try:
        yield pg_url
    finally:
        with suppress(Exception), psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(drop)  # type: ignore[arg-type]
