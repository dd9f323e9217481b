"""Text folding for search: "Đăng ký khai sinh" and "dang ky khai sinh" are the same words."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z.]+")


def fold(text: str) -> str:
    """Lower-case, strip Vietnamese diacritics (đ → d) and collapse punctuation to spaces."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", stripped.lower()).split())


def terms(query: str) -> list[str]:
    """The distinct folded words of a query, in order; dots only inside codes like 1.001193."""
    seen: list[str] = []
    for word in fold(query).split():
        word = word.strip(".")
        if word and word not in seen:
            seen.append(word)
    return seen
