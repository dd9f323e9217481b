"""Finding datasets as CKAN's package_search does: free text, ``fq`` filters, facets, sort."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.catalog.cache import enabled as catalog_cache_enabled
from motcua.catalog.text import fold, terms

from .constants import LICENCES
from .errors import SearchQueryError
from .models import Dataset, Resource, Tag, Theme
from .serialization import code_for_org, org_name

MAX_ROWS = 1000
MAX_FACET_ITEMS = 1000
# Bounds how long a renamed agency, theme or tag may keep its old name in cached facets.
FACET_CACHE_SECONDS = 300
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id")
# fq field → the lookup it filters on (a value is matched exactly, as Solr's string fields are).
FILTERS = {
    "organization": "agency__code",
    "owner_org": "agency__code",
    "groups": "themes__name",
    "tags": "tags__name",
    "res_format": "resources__format__iexact",
    "license_id": "licence_id",
    "name": "name",
    "id": "pk",
    "frequency": "frequency",
}
RANGES = {"metadata_modified": "modified_at", "metadata_created": "created_at"}
SORTS = {
    "name": "name",
    "title_string": "title",
    "metadata_modified": "modified_at",
    "metadata_created": "created_at",
    "views_recent": "view_count",
}

# One clause: [+-]field:value, field:"quoted value" or field:[from TO to]; AND joins clauses.
_CLAUSE = re.compile(
    r"""\s*(?:
        (?P<and>AND)(?=\s|$)
      | (?P<sign>[+-]?)(?P<field>[a-z_]+):
        (?:"(?P<quoted>(?:[^"\\]|\\.)*)"
          |\[(?P<low>[^\s\]]+)\s+TO\s+(?P<high>[^\s\]]+)\]
          |(?P<bare>[^\s"\[\]()]+))
    )\s*""",
    re.VERBOSE,
)


@dataclass
class Clause:
    field: str
    value: str = ""
    low: str | None = None
    high: str | None = None
    negated: bool = False


@dataclass
class SearchResult:
    count: int
    datasets: list[Dataset]
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)


def parse_fq(fq: str) -> list[Clause]:
    """The clauses of a filter query; anything outside this grammar is refused, not guessed."""
    clauses: list[Clause] = []
    position = 0
    while position < len(fq):
        match = _CLAUSE.match(fq, position)
        if not match or match.end() == position:
            raise SearchQueryError(
                _("Cannot read the filter query at “%(rest)s”: write field:value clauses.")
                % {"rest": fq[position : position + 40]}
            )
        position = match.end()
        if match["and"]:
            continue
        name = match["field"]
        if name not in FILTERS and name not in RANGES and name not in {"dataset_type", "type"}:
            raise SearchQueryError(_("Unknown filter field: %(field)s.") % {"field": name})
        value = match["quoted"]
        if value is not None:
            value = re.sub(r"\\(.)", r"\1", value)
        clauses.append(
            Clause(
                field=name,
                value=value if value is not None else (match["bare"] or ""),
                low=match["low"],
                high=match["high"],
                negated=match["sign"] == "-",
            )
        )
    return clauses


def _moment(text: str) -> datetime.datetime | None:
    if text == "*":
        return None
    moment = parse_datetime(text.replace("Z", "+00:00"))
    if moment is None:
        day = parse_date(text)
        if day is not None:
            moment = datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)
    if moment is None:
        raise SearchQueryError(_("Not a date: %(value)s.") % {"value": text})
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def _clause_filter(clause: Clause) -> Q:
    if clause.field in {"dataset_type", "type"}:
        return Q() if clause.value == "dataset" else Q(pk__in=[])
    if clause.field in RANGES:
        if clause.low is None or clause.high is None:
            raise SearchQueryError(
                _("%(field)s takes a range [from TO to].") % {"field": clause.field}
            )
        column = RANGES[clause.field]
        condition = Q()
        low, high = _moment(clause.low), _moment(clause.high)
        if low is not None:
            condition &= Q(**{f"{column}__gte": low})
        if high is not None:
            condition &= Q(**{f"{column}__lte": high})
        return condition
    if clause.low is not None:
        raise SearchQueryError(
            _("%(field)s takes one value, not a range.") % {"field": clause.field}
        )
    value = clause.value
    if clause.field in {"organization", "owner_org"}:
        value = code_for_org(value)
    lookup = FILTERS[clause.field]
    if clause.field in {"groups", "tags", "res_format"}:
        # Many-valued: filter through a subquery so that two clauses mean "both".
        return Q(pk__in=Dataset.objects.filter(**{lookup: value}).values("pk"))
    return Q(**{lookup: value})


def parse_sort(sort: str) -> list[str]:
    order: list[str] = []
    for part in (sort or "").split(","):
        words = part.split()
        if not words:
            continue
        if len(words) > 2 or (len(words) == 2 and words[1].lower() not in {"asc", "desc"}):
            raise SearchQueryError(_("Cannot sort by “%(sort)s”.") % {"sort": part.strip()})
        name, direction = words[0], (words[1].lower() if len(words) == 2 else "asc")
        if name == "score":
            continue  # relevance: the words already ranked nothing finer than a match
        if name not in SORTS:
            raise SearchQueryError(_("Cannot sort by “%(sort)s”.") % {"sort": name})
        order.append(("-" if direction == "desc" else "") + SORTS[name])
    return order


def filter_datasets(queryset: QuerySet[Dataset], *, q: str = "", fq: str = "") -> QuerySet[Dataset]:
    query = (q or "").strip()
    if query in {"*:*", "*"}:
        query = ""
    clauses = parse_fq(fq or "")
    # "field:value" in q is a filter too, as in Solr.
    if query and _CLAUSE.fullmatch(query) and ":" in query:
        clauses += parse_fq(query)
        query = ""
    for clause in clauses:
        condition = _clause_filter(clause)
        queryset = queryset.exclude(condition) if clause.negated else queryset.filter(condition)
    for word in terms(query):
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def facets(
    queryset: QuerySet[Dataset], names: list[str], limit: int = 50
) -> dict[str, list[tuple[str, str, int]]]:
    """For each facet: (name, display name, count) of the datasets in ``queryset``."""
    ids = queryset.values("pk")
    found: dict[str, list[tuple[str, str, int]]] = {}
    for name in names:
        if name not in FACET_FIELDS:
            raise SearchQueryError(_("Cannot count by %(field)s.") % {"field": name})
        items: list[tuple[str, str, int]] = []
        if name == "organization":
            rows = (
                Agency.objects.filter(datasets__in=ids)
                .annotate(n=Count("datasets", distinct=True))
                .order_by("-n", "code")[:limit]
            )
            items = [(org_name(agency), agency.name, agency.n) for agency in rows]  # type: ignore[attr-defined]
        elif name == "groups":
            themes = (
                Theme.objects.filter(dataset__in=ids)
                .annotate(n=Count("dataset", distinct=True))
                .order_by("-n", "name")[:limit]
            )
            items = [(theme.name, theme.title, theme.n) for theme in themes]  # type: ignore[attr-defined]
        elif name == "tags":
            tags = (
                Tag.objects.filter(dataset__in=ids)
                .annotate(n=Count("dataset", distinct=True))
                .order_by("-n", "name")[:limit]
            )
            items = [(tag.name, tag.name, tag.n) for tag in tags]  # type: ignore[attr-defined]
        elif name == "res_format":
            formats = (
                Resource.objects.filter(dataset__in=ids)
                .values("format")
                .annotate(n=Count("dataset", distinct=True))
                .order_by("-n", "format")[:limit]
            )
            items = [(row["format"], row["format"], row["n"]) for row in formats]
        elif name == "license_id":
            licences = (
                Dataset.objects.filter(pk__in=ids)
                .values("licence_id")
                .annotate(n=Count("pk"))
                .order_by("-n", "licence_id")[:limit]
            )
            items = [
                (
                    row["licence_id"],
                    LICENCES[row["licence_id"]].title
                    if row["licence_id"] in LICENCES
                    else row["licence_id"],
                    row["n"],
                )
                for row in licences
            ]
        found[name] = items
    return found


def search(
    queryset: QuerySet[Dataset],
    *,
    q: str = "",
    fq: str = "",
    sort: str = "",
    rows: int = 10,
    start: int = 0,
    facet_fields: list[str] | None = None,
    facet_limit: int = 50,
    shared_scope: str = "",
) -> SearchResult:
    """One page of matching datasets, their count and facets.

    With ``shared_scope`` (the caller's word that ``queryset`` is the same for everyone in
    that scope, e.g. the public catalogue), the count and facets are kept in the shared cache
    under the catalogue's current state: any change of a dataset changes the key.
    """
    if rows < 0 or rows > MAX_ROWS:
        raise SearchQueryError(_("rows must be between 0 and %(max)s.") % {"max": MAX_ROWS})
    if start < 0:
        raise SearchQueryError(_("start cannot be negative."))
    order = parse_sort(sort) or ["-modified_at"]
    matching = filter_datasets(queryset, q=q, fq=fq)
    key = ""
    if shared_scope:
        state = Dataset.objects.aggregate(latest=Max("modified_at"), n=Count("pk"))
        raw = json.dumps(
            [shared_scope, q, fq, facet_fields, facet_limit, str(state["latest"]), state["n"]]
        )
        key = "opendata-facets:" + hashlib.sha256(raw.encode()).hexdigest()
        cached = cache.get(key)
        if cached is not None:
            count, found_facets = cached
            return SearchResult(
                count=count, datasets=_page(matching, order, start, rows), facets=found_facets
            )
    found_facets = facets(matching, facet_fields or [], facet_limit)
    count = matching.count()
    if key:
        cache.set(key, (count, found_facets), FACET_CACHE_SECONDS)
    return SearchResult(
        count=count, datasets=_page(matching, order, start, rows), facets=found_facets
    )


def _page(matching: QuerySet[Dataset], order: list[str], start: int, rows: int) -> list[Dataset]:
    return list(
        matching.order_by(*order, "name")
        .defer("search_text")
        .select_related("agency")
        .prefetch_related("tags", "themes", "resources__tables")[start : start + rows]
    )


def folded_text(dataset: Dataset, tags: list[str]) -> str:
    """What free-text search matches: titles, descriptions and tags, folded."""
    return fold(
        " ".join(
            [dataset.name, dataset.title, dataset.title_en, dataset.notes, dataset.notes_en, *tags]
        )
    )


@dataclass(frozen=True)
class PublishingShare:
    """How many of the city's agencies publish open data (the resolution aims at all)."""

    publishing: int
    agencies: int

    @property
    def percent(self) -> int:
        return round(100 * self.publishing / self.agencies) if self.agencies else 0


#: The share is shown on the front page: with a shared cache, counted at most once every five
#: minutes (a first dataset shows there within that time).
PUBLISHING_SHARE_SECONDS = 300


def publishing_share() -> PublishingShare:
    """Agencies with at least one public dataset, of the agencies in service."""
    shared = catalog_cache_enabled()
    found = cache.get("opendata-publishing-share") if shared else None
    if isinstance(found, tuple | list) and len(found) == 2:
        return PublishingShare(*found)
    share = PublishingShare(
        publishing=Dataset.objects.public().values("agency").distinct().count(),
        agencies=Agency.objects.current().count(),
    )
    if shared:
        cache.set(
            "opendata-publishing-share",
            (share.publishing, share.agencies),
            PUBLISHING_SHARE_SECONDS,
        )
    return share
