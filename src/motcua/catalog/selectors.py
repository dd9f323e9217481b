"""Catalogue reads: filtering and diacritic-insensitive search.

On PostgreSQL, search uses full-text search over folded (unaccented, lower-case) text with a
GIN index; on SQLite, a substring match over the same folded text. Both rank procedures by how
many of the words their name holds, so name matches come first.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, ExpressionWrapper, F, IntegerField, Q, QuerySet, Value, When

from .models import Procedure
from .text import terms


def published_procedures() -> QuerySet[Procedure]:
    return Procedure.objects.published().select_related("field")


# Long texts a result list never shows; not fetching them keeps list pages fast.
LIST_DEFERRED = ("search_text", "search_vector", "description", "method", "conditions")


def procedure_list_rows(queryset: QuerySet[Procedure]) -> QuerySet[Procedure]:
    return queryset.defer(*LIST_DEFERRED)


# Filters that hold a plain value of a procedure column.
FILTER_CHOICES = ("agency_level", "online_level", "service_kind", "applicant_type")


def filter_procedures(
    queryset: QuerySet[Procedure], filters: dict[str, Any]
) -> QuerySet[Procedure]:
    """Apply cleaned filter values (see ``forms.CatalogFilterForm``)."""
    if filters.get("field"):
        queryset = queryset.filter(field=filters["field"])
    if filters.get("agency"):
        queryset = queryset.filter(agencies=filters["agency"])
    for name in FILTER_CHOICES:
        if filters.get(name):
            queryset = queryset.filter(**{name: filters[name]})
    return queryset


def search_key(filters: dict[str, Any]) -> dict[str, Any]:
    """What the results of ``filter_procedures`` and ``search_procedures`` depend on, as plain
    values for a cache key: the folded words (their order does not change the results) and the
    filter codes."""
    key: dict[str, Any] = {"terms": sorted(terms(filters.get("q") or ""))}
    for name in ("field", "agency"):
        key[name] = filters[name].code if filters.get(name) else ""
    for name in FILTER_CHOICES:
        key[name] = filters.get(name) or ""
    return key


def search_procedures(queryset: QuerySet[Procedure], query: str) -> QuerySet[Procedure]:
    """Procedures matching every word of ``query``, ignoring case and diacritics."""
    words = terms(query)
    if not words:
        return queryset.order_by("name", "code")
    # Rank by how many of the words the name holds: a name match beats one elsewhere.
    name_score = sum(
        (Case(When(search_name__contains=word, then=Value(1)), default=Value(0)) for word in words),
        start=Value(0),
    )
    ranked = queryset.annotate(
        name_match=ExpressionWrapper(name_score, output_field=IntegerField())
    )
    code_hit = Q(code__startswith=words[0]) if len(words) == 1 and words[0][0].isdigit() else Q()

    if connection.vendor == "postgresql":
        tsquery = SearchQuery(
            " & ".join(f"{_tsquery_word(word)}:*" for word in words),
            search_type="raw",
            config="simple",
        )
        return (
            ranked.filter(Q(search_vector=tsquery) | code_hit)
            .annotate(rank=SearchRank(F("search_vector"), tsquery))
            .order_by("-name_match", "-rank", "name", "code")
        )

    text_match = Q()
    for word in words:
        text_match &= Q(search_text__contains=word)
    return ranked.filter(text_match | code_hit).order_by("-name_match", "name", "code")


def _tsquery_word(word: str) -> str:
    # Folded words hold only [0-9a-z.]; quote them so tsquery syntax never leaks in.
    return "'" + word.replace("'", "") + "'"


CLOSE_PROCEDURES = 5


def close_procedures(filters: dict[str, Any], limit: int = CLOSE_PROCEDURES) -> list[Procedure]:
    """What to suggest when a search finds nothing: procedures whose name holds any one of the
    words (most words, and words side by side, first), else those of the field chosen; the
    other filters are dropped, as they may be what emptied the list."""
    words = [word for word in terms(filters.get("q") or "") if len(word) > 1]
    rows = procedure_list_rows(published_procedures())
    if words:
        any_word = Q()
        for word in words:
            any_word |= Q(search_name__contains=word)
        # A pair of the words side by side in the name ("khai sinh") counts more than each.
        pairs = [f"{first} {second}" for first, second in pairwise(words)]
        score = sum(
            (
                Case(When(search_name__contains=text, then=Value(weight)), default=Value(0))
                for text, weight in [*((w, 1) for w in words), *((p, 2) for p in pairs)]
            ),
            start=Value(0),
        )
        found: list[Procedure] = list(
            rows.filter(any_word)
            .annotate(words_held=ExpressionWrapper(score, output_field=IntegerField()))
            .order_by("-words_held", "name", "code")[:limit]
        )
        if found:
            return found
    if filters.get("field"):
        return list(rows.filter(field=filters["field"]).order_by("name", "code")[:limit])
    return []
