"""The store's pages show a document's data with the labels of the procedure that issued it."""

from __future__ import annotations

from typing import Any

from django import template

from .. import selectors
from ..models import StoredDocument

register = template.Library()


@register.simple_tag
def document_facts(document: StoredDocument) -> list[tuple[str, Any]]:
    return selectors.facts(document)
