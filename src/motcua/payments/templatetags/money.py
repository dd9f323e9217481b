"""``{{ amount|dong }}``: integer đồng with thousands grouped as the page's language writes them.

Django's Vietnamese number format does not group thousands; Vietnamese writes ``50.000``.
"""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def dong(value: object) -> str:
    try:
        amount = int(str(value))
    except (TypeError, ValueError):
        return ""
    grouped = f"{amount:,}"
    if (get_language() or "vi").startswith("vi"):
        grouped = grouped.replace(",", ".")
    return grouped
