"""``x-prefill: "store.<document type>.<key>"``: e-form fields filled from the structured data
of the applicant's stored documents (a birth extract's ``ho_ten_tre`` and ``ngay_sinh``).

The newest document of the type that could be reused now gives the value: not hidden, not
expired, not flagged, its result not revoked and its file still matching its checksum
(``services.reusable``). Acting for a business, its store is read (while the membership is
active). eforms knows nothing of the store: this module registers the "store" source.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from motcua.eforms.prefill import Applicant, Prefilled, register_source

from . import access, services
from .errors import NotAllowed
from .models import StoredDocument


def _origin(document: StoredDocument) -> str:
    values = {
        "title": document.title,
        "number": document.number,
        "date": date_format(document.issued_on, "SHORT_DATE_FORMAT"),
    }
    if document.number:
        return _("your data store: %(title)s no. %(number)s of %(date)s") % values
    return _("your data store: %(title)s of %(date)s") % values


def resolve(applicant: Applicant, paths: Sequence[str]) -> Mapping[str, Prefilled]:
    wanted: dict[str, list[tuple[str, str]]] = {}
    for path in paths:
        document_type, _dot, key = path.partition(".")
        if key:
            wanted.setdefault(document_type, []).append((path, key))
    if not wanted:
        return {}
    try:
        owner = access.owner_for(applicant.person, applicant.business)
    except NotAllowed:
        return {}
    newest: dict[str, StoredDocument] = {}
    held = (
        owner.documents()
        .filter(document_type__in=wanted, hidden_at__isnull=True, flagged_at__isnull=True)
        .select_related("origin_result")
        .order_by("-issued_on", "-id")
    )
    for document in held:
        if document.document_type not in newest and services.reusable(document):
            newest[document.document_type] = document
    found: dict[str, Prefilled] = {}
    for document_type, keys in wanted.items():
        source = newest.get(document_type)
        if source is None:
            continue
        for path, key in keys:
            value = (source.data or {}).get(key)
            if value not in (None, ""):
                found[path] = Prefilled(value, _origin(source))
    return found


register_source("store", resolve)
