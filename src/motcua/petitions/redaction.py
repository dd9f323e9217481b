"""Personal data removed from a text before it is published (an answer, a public report).

Phone numbers, 12-digit citizen identity numbers (CCCD, DOMAIN.md §7) and older 9-digit ID
numbers, e-mail addresses, and the reporter's own name and phone when known, are replaced by
"[…]". It is a safety net for what an officer types, not a reason to type personal data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "[…]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Vietnamese phone numbers: 0 or +84 then 9 digits, spaces, dots or dashes allowed between.
_PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.\-]?\d){9}(?!\d)")
# Identity numbers: 12 digits (CCCD) or 9 digits (old CMND), written together.
_ID = re.compile(r"(?<!\d)(?:\d{12}|\d{9})(?!\d)")


def redact(text: str, *, names: Iterable[str] = ()) -> str:
    text = _EMAIL.sub(MASK, text)
    text = _PHONE.sub(MASK, text)
    text = _ID.sub(MASK, text)
    for name in names:
        name = name.strip()
        if len(name) >= 3:
            text = re.sub(re.escape(name), MASK, text, flags=re.IGNORECASE)
    return text
