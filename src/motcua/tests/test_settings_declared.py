"""Every MOTCUA_* setting is declared once, in settings.py, and documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

SOURCE = Path(settings.BASE_DIR)  # src/motcua
README = SOURCE.parent.parent / "README.md"
NAME = re.compile(r"\bMOTCUA_[A-Z0-9_]*[A-Z0-9]\b")


def source_files() -> list[Path]:
    """The application's code and templates; tests may name their own variables."""
    return [
        path
        for pattern in ("*.py", "*.html", "*.txt")
        for path in SOURCE.rglob(pattern)
        if "tests" not in path.relative_to(SOURCE).parts
    ]


def names_in(text: str) -> set[str]:
    return set(NAME.findall(text))


def readme_table() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("## Configuration", 1)[1].split("\n## ", 1)[0]


def test_no_app_supplies_its_own_default_for_a_setting() -> None:
    pattern = re.compile(r"getattr\(\s*settings\s*,\s*[\"']MOTCUA_")
    offenders = [
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "read settings.MOTCUA_… and declare the default in settings.py"


def test_every_name_used_is_declared_in_settings() -> None:
    declared = names_in((SOURCE / "settings.py").read_text(encoding="utf-8"))
    used: dict[str, str] = {}
    for path in source_files():
        for name in names_in(path.read_text(encoding="utf-8")):
            used.setdefault(name, str(path.relative_to(SOURCE)))
    missing = {name: where for name, where in used.items() if name not in declared}
    assert missing == {}, "declare these in settings.py (with their environment variable)"


def test_every_setting_and_variable_is_in_the_readme_table() -> None:
    declared = names_in((SOURCE / "settings.py").read_text(encoding="utf-8"))
    missing = sorted(declared - names_in(readme_table()))
    assert missing == [], "add these to the README's configuration table"


def test_every_declared_setting_exists() -> None:
    # Names assigned at module level in settings.py are settings Django sees.
    text = (SOURCE / "settings.py").read_text(encoding="utf-8")
    assigned = set(re.findall(r"^(MOTCUA_[A-Z0-9_]+)\s*(?::[^=]+)?=", text, re.MULTILINE))
    assert assigned and all(hasattr(settings, name) for name in assigned)
