"""Templates: Django's ``{# #}`` comments end on their line; one that runs on is printed."""

from __future__ import annotations

from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "src" / "motcua"


def test_no_template_comment_runs_over_a_line() -> None:
    running_on = [
        f"{path.relative_to(SOURCE)}:{number}"
        for path in sorted(SOURCE.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert running_on == [], "use {% comment %} for comments of several lines"
