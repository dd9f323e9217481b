"""Every message the platform shows has its Vietnamese translation (Vietnamese first).

The messages are read from the code as ``makemessages`` reads them: Python files with Babel's
extractor, templates through Django's own ``templatize``. A message is missing when Django,
in Vietnamese, gives it back unchanged. The served demo once showed "Feedback" in the
Vietnamese menu, and a dossier's "new appointment" status in English: no test looked.
"""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

from babel.messages.extract import extract
from django.utils import translation
from django.utils.translation.template import templatize

SOURCE = Path(__file__).resolve().parents[1] / "src" / "motcua"

KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
# What templatize turns {% translate %} and {% blocktranslate %} into.
TEMPLATE_CALL = re.compile(r"\b(n?p?gettext)\((u'(?:[^'\\]|\\.)*')(?:\s*,\s*(u'(?:[^'\\]|\\.)*'))?")

# Written the same in Vietnamese: names, codes and technical terms.
SAME_IN_VIETNAMESE = {
    "Vpostcode",
    "plus code",
    "Plus code",
    "JSON Schema",
    "SHA-256",
    "X-Road-Id",
    "%(database)s: %(why)s",
    "nonce",
    "code challenge",
    "token",
    "CCCD",
}


def messages() -> dict[tuple[str | None, str], str]:
    """(context, message) → where it is first written."""
    found: dict[tuple[str | None, str], str] = {}
    for path in sorted(SOURCE.rglob("*")):
        parts = set(path.relative_to(SOURCE).parts)
        if not path.is_file() or parts & {"tests", "migrations"}:
            continue
        where = str(path.relative_to(SOURCE))
        if path.suffix == ".py":
            code = io.BytesIO(path.read_bytes())
            for line, message, _comments, context in extract("python", code, keywords=KEYWORDS):
                text = message[0] if isinstance(message, tuple) else message
                if text:
                    found.setdefault((context, text), f"{where}:{line}")
        elif path.suffix in {".html", ".txt"} and "templates" in parts:
            code_text = templatize(path.read_text(encoding="utf-8"), origin=str(path))
            for call in TEMPLATE_CALL.finditer(code_text):
                first = str(ast.literal_eval(call.group(2)))
                second = str(ast.literal_eval(call.group(3))) if call.group(3) else ""
                if call.group(1).startswith(("pgettext", "npgettext")):
                    found.setdefault((first, second), where)
                elif first:
                    found.setdefault((None, first), where)
    return found


def test_the_extraction_reads_python_and_templates() -> None:
    found = messages()
    assert len(found) > 1000
    assert (None, "Feedback") in found  # a template's {% translate %}
    assert any(where.startswith("dossiers/lifecycle.py") for where in found.values())


def test_every_message_has_its_vietnamese_translation() -> None:
    missing = []
    with translation.override("vi"):
        for (context, text), where in messages().items():
            if text in SAME_IN_VIETNAMESE:
                continue
            shown = translation.pgettext(context, text) if context else translation.gettext(text)
            if shown == text:
                missing.append(f"{where}: {text!r}")
    assert missing == [], "\n".join(missing)
