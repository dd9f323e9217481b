"""The catalogue as DCAT-AP 3 (RDF): Turtle, JSON-LD and RDF/XML, paged for harvesters.

Identifiers are built on ``MOTCUA_PUBLIC_URL`` so that they stay the same whichever address
a harvester used. Pages follow Hydra as CKAN's DCAT extension does (``hydra:PagedCollection``
with ``hydra:nextPage`` …, and the newer ``hydra:PartialCollectionView`` terms beside them),
so that its harvester walks them unchanged. Only public, published datasets are described.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import Max, QuerySet
from django.urls import reverse
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, SKOS, XSD

from motcua.agencies.models import Agency, AgencyLevel

from .constants import FORMAT_IRIS, FREQUENCY_IRIS, LICENCES, MEDIA_TYPES
from .models import Dataset, Resource, Theme
from .serialization import download_url

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
ADMS_PUBLISHER = Namespace("http://purl.org/adms/publishertype/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
VIETNAMESE = URIRef(EU + "language/VIE")
ENGLISH = URIRef(EU + "language/ENG")
PUBLIC_ACCESS = URIRef(EU + "access-right/PUBLIC")
STABLE = URIRef(EU + "planned-availability/STABLE")
VIET_NAM = URIRef(EU + "country/VNM")

FORMATS = {
    "ttl": ("turtle", "text/turtle"),
    "jsonld": ("json-ld", "application/ld+json"),
    "rdf": ("pretty-xml", "application/rdf+xml"),
    "xml": ("pretty-xml", "application/rdf+xml"),
}


def _base() -> str:
    return str(settings.MOTCUA_PUBLIC_URL)


def catalog_iri() -> URIRef:
    return URIRef(_base() + reverse("opendata:search"))


def dataset_iri(dataset: Dataset) -> URIRef:
    return URIRef(_base() + reverse("opendata:dataset", kwargs={"name": str(dataset.pk)}))


def distribution_iri(resource: Resource) -> URIRef:
    return URIRef(dataset_iri(resource.dataset) + f"#resource-{resource.pk}")


def agency_iri(agency: Agency) -> URIRef:
    return URIRef(_base() + reverse("agencies:detail", kwargs={"code": agency.code}))


def theme_iri(theme: Theme) -> URIRef:
    return (
        URIRef(theme.eu_theme)
        if theme.eu_theme
        else URIRef(str(catalog_iri()) + f"#theme-{theme.name}")
    )


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in {
        "dcat": DCAT,
        "dct": DCTERMS,
        "foaf": FOAF,
        "vcard": VCARD,
        "hydra": HYDRA,
        "dcatap": DCATAP,
        "spdx": SPDX,
        "skos": SKOS,
        "owl": OWL,
        "locn": LOCN,
    }.items():
        graph.bind(prefix, namespace)
    return graph


def _dt(value: Any) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.dateTime)


def _texts(graph: Graph, subject: URIRef | BNode, predicate: URIRef, vi: str, en: str) -> None:
    graph.add((subject, predicate, Literal(vi, lang="vi")))
    if en:
        graph.add((subject, predicate, Literal(en, lang="en")))


def _agent(graph: Graph, agency: Agency) -> URIRef:
    node = agency_iri(agency)
    graph.add((node, RDF.type, FOAF.Agent))
    graph.add((node, FOAF.name, Literal(agency.name, lang="vi")))
    if agency.name_en:
        graph.add((node, FOAF.name, Literal(agency.name_en, lang="en")))
    kind = "LocalAuthority" if agency.level == AgencyLevel.WARD else "RegionalAuthority"
    graph.add((node, DCTERMS.type, ADMS_PUBLISHER[kind]))
    return node


def _licence(graph: Graph, licence_id: str) -> URIRef | None:
    licence = LICENCES.get(licence_id)
    if licence is None:
        return None
    node = URIRef(licence.url)
    graph.add((node, RDF.type, DCTERMS.LicenseDocument))
    graph.add((node, DCTERMS.title, Literal(licence.title)))
    return node


def add_dataset(graph: Graph, dataset: Dataset) -> URIRef:
    node = dataset_iri(dataset)
    graph.add((node, RDF.type, DCAT.Dataset))
    _texts(graph, node, DCTERMS.title, dataset.title, dataset.title_en)
    _texts(graph, node, DCTERMS.description, dataset.notes or dataset.title, dataset.notes_en)
    graph.add((node, DCTERMS.identifier, Literal(str(dataset.pk))))
    graph.add((node, DCTERMS.issued, _dt(dataset.created_at)))
    graph.add((node, DCTERMS.modified, _dt(dataset.modified_at)))
    graph.add((node, DCTERMS.publisher, _agent(graph, dataset.agency)))
    graph.add((node, DCTERMS.accessRights, PUBLIC_ACCESS))
    graph.add(
        (
            node,
            DCAT.landingPage,
            URIRef(_base() + reverse("opendata:dataset", kwargs={"name": dataset.name})),
        )
    )
    graph.add((node, DCTERMS.language, VIETNAMESE))
    if dataset.version:
        graph.add((node, OWL.versionInfo, Literal(dataset.version)))
    for tag in dataset.tags.all():
        graph.add((node, DCAT.keyword, Literal(tag.name, lang="vi")))
    for theme in dataset.themes.all():
        graph.add((node, DCAT.theme, theme_iri(theme)))
    if dataset.frequency:
        graph.add((node, DCTERMS.accrualPeriodicity, URIRef(FREQUENCY_IRIS[dataset.frequency])))  # type: ignore[index]
    contact = BNode()
    graph.add((node, DCAT.contactPoint, contact))
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, VCARD.fn, Literal(dataset.contact_name or dataset.agency.name)))
    email = dataset.contact_email or dataset.agency.email
    if email:
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{email}")))
    if dataset.spatial:
        place = BNode()
        graph.add((node, DCTERMS.spatial, place))
        graph.add((place, RDF.type, DCTERMS.Location))
        graph.add((place, LOCN.geographicName, Literal(dataset.spatial, lang="vi")))
    else:
        graph.add((node, DCTERMS.spatial, VIET_NAM))
    if dataset.temporal_start or dataset.temporal_end:
        period = BNode()
        graph.add((node, DCTERMS.temporal, period))
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if dataset.temporal_start:
            graph.add(
                (
                    period,
                    DCAT.startDate,
                    Literal(dataset.temporal_start.isoformat(), datatype=XSD.date),
                )
            )
        if dataset.temporal_end:
            graph.add(
                (period, DCAT.endDate, Literal(dataset.temporal_end.isoformat(), datatype=XSD.date))
            )
    licence = _licence(graph, dataset.licence_id)
    for resource in dataset.resources.all():
        graph.add((node, DCAT.distribution, _distribution(graph, resource, licence)))
    return node


def _distribution(graph: Graph, resource: Resource, licence: URIRef | None) -> URIRef:
    node = distribution_iri(resource)
    url = URIRef(download_url(resource, _base()))
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCAT.accessURL, url))
    if resource.is_upload:
        graph.add((node, DCAT.downloadURL, url))
    graph.add((node, DCTERMS.title, Literal(resource.name, lang="vi")))
    graph.add(
        (node, DCTERMS.description, Literal(resource.description or resource.name, lang="vi"))
    )
    if resource.format in FORMAT_IRIS:
        graph.add((node, DCTERMS.format, URIRef(FORMAT_IRIS[resource.format])))  # type: ignore[index]
        media = MEDIA_TYPES[resource.format]  # type: ignore[index]
        graph.add(
            (node, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media}"))
        )
    if licence is not None:
        graph.add((node, DCTERMS.license, licence))
    graph.add((node, DCATAP.availability, STABLE))
    graph.add((node, DCTERMS.issued, _dt(resource.created_at)))
    graph.add((node, DCTERMS.modified, _dt(resource.modified_at)))
    if resource.size is not None:
        graph.add((node, DCAT.byteSize, Literal(resource.size, datatype=XSD.nonNegativeInteger)))
    if resource.sha256:
        checksum = BNode()
        graph.add((node, SPDX.checksum, checksum))
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        graph.add((checksum, SPDX.checksumValue, Literal(resource.sha256, datatype=XSD.hexBinary)))
    return node


def _with_relations(queryset: QuerySet[Dataset]) -> QuerySet[Dataset]:
    return queryset.select_related("agency").prefetch_related(
        "tags", "themes", "resources__dataset"
    )


def dataset_graph(dataset: Dataset) -> Graph:
    graph = new_graph()
    add_dataset(graph, _with_relations(Dataset.objects.filter(pk=dataset.pk)).get())
    return graph


def catalog_graph(*, page: int, page_url: Callable[[int], str]) -> Graph:
    """One page of the catalogue: the catalogue's own description, the page's datasets, and
    where the other pages are. ``page_url(n)`` builds the address of page n."""
    graph = new_graph()
    public = Dataset.objects.public()
    total = public.count()
    size = settings.MOTCUA_OPENDATA_DCAT_PAGE_SIZE
    last = max(1, math.ceil(total / size))
    catalog = catalog_iri()
    graph.add((catalog, RDF.type, DCAT.Catalog))
    _texts(
        graph,
        catalog,
        DCTERMS.title,
        "Cổng dữ liệu mở thành phố Đà Nẵng",
        "Da Nang City open data portal",
    )
    _texts(
        graph,
        catalog,
        DCTERMS.description,
        "Dữ liệu mở do các cơ quan của thành phố Đà Nẵng công bố.",
        "Open data published by the agencies of Da Nang City.",
    )
    city = (
        Agency.objects.filter(code=settings.MOTCUA_CITY_AGENCY_CODE).first()
        or Agency.objects.order_by("code").first()
    )
    if city is not None:
        graph.add((catalog, DCTERMS.publisher, _agent(graph, city)))
    graph.add((catalog, FOAF.homepage, catalog))
    graph.add((catalog, DCTERMS.language, VIETNAMESE))
    graph.add((catalog, DCTERMS.language, ENGLISH))
    graph.add((catalog, DCTERMS.spatial, VIET_NAM))
    licence = _licence(graph, "cc-by")
    if licence is not None:
        graph.add((catalog, DCTERMS.license, licence))
    first = public.order_by("created_at").values_list("created_at", flat=True).first()
    modified = public.aggregate(m=Max("modified_at"))["m"]
    if first and modified:
        graph.add((catalog, DCTERMS.issued, _dt(first)))
        graph.add((catalog, DCTERMS.modified, _dt(modified)))
    taxonomy = URIRef(str(catalog) + "#themes")
    graph.add((catalog, DCAT.themeTaxonomy, taxonomy))
    graph.add((taxonomy, RDF.type, SKOS.ConceptScheme))
    graph.add((taxonomy, DCTERMS.title, Literal("Chủ đề dữ liệu", lang="vi")))
    for theme in Theme.objects.all():
        concept = theme_iri(theme)
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.prefLabel, Literal(theme.title, lang="vi")))
        graph.add((concept, SKOS.inScheme, taxonomy))
    page = min(max(page, 1), last)
    for dataset in _with_relations(public.order_by("created_at", "pk"))[
        (page - 1) * size : page * size
    ]:
        graph.add((catalog, DCAT.dataset, add_dataset(graph, dataset)))
    view = URIRef(page_url(page))
    graph.add((view, RDF.type, HYDRA.PagedCollection))
    graph.add((view, RDF.type, HYDRA.PartialCollectionView))
    graph.add((view, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    graph.add((view, HYDRA.itemsPerPage, Literal(size, datatype=XSD.integer)))
    links = {"first": 1, "last": last}
    if page > 1:
        links["previous"] = page - 1
    if page < last:
        links["next"] = page + 1
    for name, number in links.items():
        target = URIRef(page_url(number))
        graph.add((view, HYDRA[f"{name}Page"], target))
        graph.add((view, HYDRA[name], target))
    return graph
