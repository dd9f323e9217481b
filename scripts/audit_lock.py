"""Check a dependency lock against published vulnerability advisories (scripts/test runs it).

    python scripts/audit_lock.py requirements/test.txt

pip-audit reads the hashed lock as it is (no resolution, nothing installed) and asks an
advisory service about each pinned version: PyPI's advisory feed first, then OSV. The run
fails (exit 1) when a pinned version has a known vulnerability. When no advisory service
answers (an offline machine, a network that reaches only a package mirror), it prints
"skipped: advisory source unreachable" and succeeds: the check is then up to a run that can
reach one. Any other failure of pip-audit (an unreadable lock, say) fails the run (exit 2).

A mirror that serves packages but not advisories answers "not found" for every package; that
counts as unreachable, not as "no known vulnerabilities".
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

# Advisories accepted after review: advisory id -> why it does not affect Motcua. Each entry
# is looked at again whenever the locks are upgraded (scripts/lock --upgrade).
ACCEPTED: dict[str, str] = {}

SERVICES = ("pypi", "osv")

# What requests and pip-audit print when the service cannot be reached at all.
_UNREACHABLE_SIGNS = (
    "ConnectionError",
    "ConnectTimeout",
    "ReadTimeout",
    "Max retries exceeded",
    "NameResolutionError",
    "Failed to resolve",
    "Temporary failure in name resolution",
    "Could not connect",
    "ProxyError",
    "SSLError",
    "ServiceError",
    "network may be blocking",
)

Outcome = Literal["clean", "vulnerable", "unreachable", "error"]


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AuditRun:
    returncode: int
    report: str | None  # pip-audit's JSON report, when it wrote one
    stderr: str


def judge(run: AuditRun) -> Verdict:
    """What one pip-audit run says about the lock."""
    data: dict[str, Any] | None = None
    if run.report:
        try:
            data = json.loads(run.report)
        except ValueError:
            data = None
    if data is None:
        if any(sign in run.stderr for sign in _UNREACHABLE_SIGNS):
            return Verdict("unreachable", _last_lines(run.stderr))
        return Verdict("error", _last_lines(run.stderr) or [f"pip-audit exited {run.returncode}"])

    dependencies: list[dict[str, Any]] = data.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    if vulnerable:
        lines = []
        for dep in vulnerable:
            for vuln in dep["vulns"]:
                fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
                aliases = ", ".join(vuln.get("aliases") or [])
                lines.append(
                    f"{dep['name']} {dep.get('version', '?')}: {vuln['id']}"
                    f"{f' ({aliases})' if aliases else ''}; fixed in {fixed}"
                )
        return Verdict("vulnerable", lines)

    skipped = [d for d in dependencies if "skip_reason" in d]
    if dependencies and len(skipped) == len(dependencies):
        # Every package "not found": a mirror without the advisory feed, not a clean bill.
        return Verdict("unreachable", [f"{len(skipped)} packages unknown to the service"])
    if run.returncode != 0:
        return Verdict("error", _last_lines(run.stderr) or [f"pip-audit exited {run.returncode}"])
    lines = [f"{len(dependencies) - len(skipped)} pinned packages: no known vulnerabilities"]
    lines += [f"not audited: {d['name']}: {d['skip_reason']}" for d in skipped]
    return Verdict("clean", lines)


def run_pip_audit(lock: Path, service: str) -> AuditRun:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [
            sys.executable,
            "-m",
            "pip_audit",
            "--requirement",
            str(lock),
            "--require-hashes",
            "--disable-pip",  # the lock is complete and hashed: audit it as written
            "--vulnerability-service",
            service,
            "--format",
            "json",
            "--output",
            str(report),
            "--progress-spinner",
            "off",
            "--timeout",
            "20",
        ]
        for advisory in ACCEPTED:
            command += ["--ignore-vuln", advisory]
        # The command is fixed above; only the lock's path comes from the caller.
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        text = report.read_text() if report.exists() else None
    return AuditRun(done.returncode, text, done.stderr)


def main(argv: Sequence[str], runner: Callable[[Path, str], AuditRun] = run_pip_audit) -> int:
    if len(argv) != 1:
        print("usage: python scripts/audit_lock.py LOCK", file=sys.stderr)
        return 2
    lock = Path(argv[0])
    reasons = []
    for service in SERVICES:
        verdict = judge(runner(lock, service))
        if verdict.outcome == "vulnerable":
            print(f"audit of {lock}: known vulnerabilities ({service} advisories):")
            for line in verdict.lines:
                print(f"  {line}")
            print(
                "Upgrade them (scripts/lock --upgrade-package NAME), or, after review, accept "
                "an advisory in scripts/audit_lock.py's ACCEPTED with the reason."
            )
            return 1
        if verdict.outcome == "clean":
            print(f"audit of {lock} ({service} advisories): {verdict.lines[0]}")
            for line in verdict.lines[1:]:
                print(f"  {line}")
            return 0
        if verdict.outcome == "error":
            print(f"audit of {lock}: pip-audit failed ({service}):", file=sys.stderr)
            for line in verdict.lines:
                print(f"  {line}", file=sys.stderr)
            return 2
        reason = verdict.lines[-1] if verdict.lines else "no answer"
        reasons.append(f"{service}: {reason[:120]}")
    print(f"audit of {lock}: skipped: advisory source unreachable ({'; '.join(reasons)})")
    return 0


def _last_lines(text: str, count: int = 3) -> list[str]:
    return [line for line in text.strip().splitlines() if line.strip()][-count:]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
