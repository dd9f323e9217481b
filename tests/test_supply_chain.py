"""The dependency locks (requirements/, written by scripts/lock) and the advisory check
(scripts/audit_lock.py) that scripts/test runs on them."""

from __future__ import annotations

import importlib.util
import json
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_LOCK = ROOT / "requirements" / "runtime.txt"
TEST_LOCK = ROOT / "requirements" / "test.txt"


def _audit_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_lock", ROOT / "scripts" / "audit_lock.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["audit_lock"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


audit = _audit_module()


def _pins(lock: Path) -> list[tuple[Requirement, list[str]]]:
    """Each entry of a lock: the pinned requirement and its hashes."""
    logical: list[str] = []
    current = ""
    for raw in lock.read_text().splitlines():
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("--hash") else raw
        if not line.strip():
            continue
        current += " " + line.strip().removesuffix("\\").strip()
        if not raw.rstrip().endswith("\\"):
            logical.append(current.strip())
            current = ""
    entries = []
    for entry in logical:
        requirement, *hashes = entry.split(" --hash=")
        entries.append((Requirement(requirement.strip()), hashes))
    return entries


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _here(requirement: Requirement) -> bool:
    return requirement.marker is None or requirement.marker.evaluate()


@pytest.mark.parametrize("lock", [RUNTIME_LOCK, TEST_LOCK], ids=["runtime", "test"])
def test_every_pin_is_exact_and_hashed(lock: Path) -> None:
    entries = _pins(lock)
    assert len(entries) > 20
    for requirement, hashes in entries:
        assert len(requirement.specifier) == 1, requirement
        assert next(iter(requirement.specifier)).operator == "==", requirement
        assert hashes and all(h.startswith("sha256:") for h in hashes), requirement


@pytest.mark.parametrize(
    ("lock", "groups"),
    [(RUNTIME_LOCK, ["dependencies"]), (TEST_LOCK, ["dependencies", "test"])],
    ids=["runtime", "test"],
)
def test_the_lock_satisfies_pyproject(lock: Path, groups: list[str]) -> None:
    # Fails when a dependency was added to pyproject.toml or its range changed without
    # scripts/lock being run.
    project = _pyproject()["project"]
    wanted = []
    for group in groups:
        wanted += (
            project["dependencies"]
            if group == "dependencies"
            else project["optional-dependencies"][group]
        )
    pinned: dict[str, list[Requirement]] = {}
    for requirement, _hashes in _pins(lock):
        if _here(requirement):
            pinned.setdefault(canonicalize_name(requirement.name), []).append(requirement)
    missing = []
    for text in wanted:
        requirement = Requirement(text)
        if not _here(requirement):
            continue
        versions = [
            next(iter(pin.specifier)).version
            for pin in pinned.get(canonicalize_name(requirement.name), [])
        ]
        if not any(requirement.specifier.contains(v, prereleases=True) for v in versions):
            missing.append(f"{text} (locked: {versions or 'nothing'})")
    assert not missing, f"run scripts/lock: {missing}"


def test_runtime_lock_has_the_test_locks_versions() -> None:
    test_pins = {str(requirement) for requirement, _hashes in _pins(TEST_LOCK)}
    runtime_pins = {str(requirement) for requirement, _hashes in _pins(RUNTIME_LOCK)}
    assert runtime_pins <= test_pins, sorted(runtime_pins - test_pins)
    assert len(runtime_pins) < len(test_pins)
    names = {canonicalize_name(Requirement(pin).name) for pin in runtime_pins}
    assert "pytest" not in names and "pip-audit" not in names
    # The project itself is installed without an isolated build, from these pins.
    assert {"pip", "setuptools", "django"} <= names


@pytest.mark.parametrize("lock", [RUNTIME_LOCK, TEST_LOCK], ids=["runtime", "test"])
def test_lock_says_which_python_and_names_no_index(lock: Path) -> None:
    text = lock.read_text()
    assert "Valid for CPython 3.11 and newer" in text.splitlines()[2]
    requires = _pyproject()["project"]["requires-python"]
    assert requires == ">=3.11", "the locks are resolved for 3.11: change LOCK_PYTHON too"
    for line in text.splitlines():
        # Where packages come from is the installer's business, not the lock's.
        assert not line.startswith(("-i", "--index-url", "--extra-index-url", "-f", "--find"))
    assert "file:" not in text and "://" not in text


# The advisory check ------------------------------------------------------------------------


def _report(*dependencies: dict) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


VULNERABLE = _report(
    {"name": "django", "version": "5.2.0", "vulns": [
        {"id": "PYSEC-2025-1", "aliases": ["CVE-2025-0001"], "fix_versions": ["5.2.1"],
         "description": "x"},
    ]},
    {"name": "six", "version": "1.17.0", "vulns": []},
)  # fmt: skip
CLEAN = _report(
    {"name": "django", "version": "5.2.19", "vulns": []},
    {"name": "six", "version": "1.17.0", "vulns": []},
)
ALL_NOT_FOUND = _report(
    {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited"},
    {"name": "six", "skip_reason": "Dependency not found on PyPI and could not be audited"},
)
CONNECTION_ERROR = (
    "Traceback (most recent call last):\n  ...\nrequests.exceptions.ConnectionError: "
    "HTTPSConnectionPool(...): Max retries exceeded (Caused by NameResolutionError(...))\n"
)


def test_a_vulnerable_pin_is_reported_with_its_fix() -> None:
    verdict = audit.judge(audit.AuditRun(1, VULNERABLE, "Found 1 known vulnerability"))
    assert verdict.outcome == "vulnerable"
    assert verdict.lines == [
        "django 5.2.0: PYSEC-2025-1 (CVE-2025-0001); fixed in 5.2.1",
    ]


def test_no_vulnerabilities_is_clean() -> None:
    verdict = audit.judge(audit.AuditRun(0, CLEAN, ""))
    assert verdict.outcome == "clean"
    assert verdict.lines[0] == "2 pinned packages: no known vulnerabilities"


def test_a_mirror_that_knows_no_package_is_not_a_clean_bill() -> None:
    # What pip-audit says behind a package mirror without the advisory feed: exit 0,
    # "No known vulnerabilities found", every package skipped as not found.
    verdict = audit.judge(audit.AuditRun(0, ALL_NOT_FOUND, "No known vulnerabilities found"))
    assert verdict.outcome == "unreachable"


def test_a_connection_failure_is_unreachable() -> None:
    assert audit.judge(audit.AuditRun(1, None, CONNECTION_ERROR)).outcome == "unreachable"


def test_another_failure_is_an_error() -> None:
    verdict = audit.judge(audit.AuditRun(1, None, "ERROR:pip_audit._cli:invalid requirements"))
    assert verdict.outcome == "error"
    assert verdict.lines == ["ERROR:pip_audit._cli:invalid requirements"]


def _runner(answers: dict[str, object]):
    asked: list[str] = []

    def run(lock: Path, service: str) -> object:
        asked.append(service)
        return answers[service]

    return run, asked


def test_main_fails_on_a_vulnerable_pin(capsys: pytest.CaptureFixture[str]) -> None:
    run, asked = _runner({"pypi": audit.AuditRun(1, VULNERABLE, "")})
    assert audit.main(["requirements/test.txt"], runner=run) == 1
    assert asked == ["pypi"]
    assert "PYSEC-2025-1" in capsys.readouterr().out


def test_main_tries_osv_when_pypi_does_not_answer(capsys: pytest.CaptureFixture[str]) -> None:
    run, asked = _runner(
        {"pypi": audit.AuditRun(0, ALL_NOT_FOUND, ""), "osv": audit.AuditRun(1, VULNERABLE, "")}
    )
    assert audit.main(["requirements/test.txt"], runner=run) == 1
    assert asked == ["pypi", "osv"]


def test_main_skips_without_failing_when_no_source_answers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run, asked = _runner(
        {
            "pypi": audit.AuditRun(0, ALL_NOT_FOUND, ""),
            "osv": audit.AuditRun(1, None, CONNECTION_ERROR),
        }
    )
    assert audit.main(["requirements/test.txt"], runner=run) == 0
    assert asked == ["pypi", "osv"]
    assert "skipped: advisory source unreachable" in capsys.readouterr().out


def test_main_passes_a_clean_lock(capsys: pytest.CaptureFixture[str]) -> None:
    run, _asked = _runner({"pypi": audit.AuditRun(0, CLEAN, "")})
    assert audit.main(["requirements/test.txt"], runner=run) == 0
    assert "no known vulnerabilities" in capsys.readouterr().out
