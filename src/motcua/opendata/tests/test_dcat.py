"""DCAT-AP 3 output: parsed back with rdflib in each format, and checked with pyshacl."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, RDF

from motcua.agencies.tests.factories import AgencyFactory
from motcua.opendata.dcat import HYDRA

from .factories import ThemeFactory, csv_resource, dataset

SHAPES = Graph().parse(Path(__file__).parent / "shapes" / "dcat-ap-3.ttl", format="turtle")
FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml"}


@pytest.fixture
def catalogue(db: None) -> dict[str, Any]:
    agency = AgencyFactory.create(code="H17.10", name="Sở Tài chính", email="stc@danang.gov.vn")
    theme = ThemeFactory.create(
        name="kinh-te",
        title="Kinh tế",
        eu_theme="http://publications.europa.eu/resource/authority/data-theme/ECON",
    )
    public = dataset(
        agency,
        name="ngan-sach",
        title="Ngân sách",
        title_en="Budget",
        tags=["ngân sách"],
        themes=[theme],
        temporal_start=datetime.date(2025, 1, 1),
        temporal_end=datetime.date(2025, 12, 31),
    )
    csv_resource(public, b"a,b\n1,2\n")
    dataset(agency, name="bi-mat", title="Bí mật", private=True, tags=["x"], themes=[theme])
    dataset(agency, name="nhap", title="Nháp", state="draft", tags=["x"], themes=[theme])
    return {"public": public}


def conforms(graph: Graph) -> None:
    ok, _results, text = validate(graph, shacl_graph=SHAPES, inference="none", allow_warnings=False)
    assert ok, text
    assert "Warning" not in text and "Violation" not in text, text


@pytest.mark.parametrize("extension", FORMATS)
def test_the_catalogue_is_valid_dcat_ap_in_every_format(
    client: Client, catalogue: Any, extension: str
) -> None:
    response = client.get(f"/du-lieu-mo/catalog.{extension}")
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format=FORMATS[extension])
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 1  # the private dataset and the draft are left out
    titles = {str(t) for t in graph.objects(next(iter(datasets)), DCTERMS.title)}
    assert titles == {"Ngân sách", "Budget"}
    conforms(graph)


@pytest.mark.parametrize("extension", FORMATS)
def test_each_public_dataset_is_valid_dcat_ap(
    client: Client, catalogue: Any, extension: str
) -> None:
    response = client.get(f"/du-lieu-mo/dataset/ngan-sach.{extension}")
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format=FORMATS[extension])
    distributions = list(graph.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == 1
    conforms(graph)


def test_private_and_draft_datasets_have_no_dcat(client: Client, catalogue: Any) -> None:
    assert client.get("/du-lieu-mo/dataset/bi-mat.ttl").status_code == 404
    assert client.get("/du-lieu-mo/dataset/nhap.ttl").status_code == 404
    assert client.get("/du-lieu-mo/dataset/ngan-sach.exe").status_code == 404


def test_a_large_catalogue_is_paged_as_harvesters_follow_it(
    client: Client, db: None, settings: Any
) -> None:
    settings.MOTCUA_OPENDATA_DCAT_PAGE_SIZE = 2
    agency = AgencyFactory.create(code="H17.12")
    for n in range(5):
        dataset(agency, name=f"bo-{n}", title=f"Bộ {n}")
    seen: set[Any] = set()
    url: str | None = "/du-lieu-mo/catalog.ttl"
    pages = 0
    while url:
        graph = Graph().parse(data=client.get(url).content, format="turtle")
        seen |= set(graph.subjects(RDF.type, DCAT.Dataset))
        pages += 1
        (view,) = graph.subjects(RDF.type, HYDRA.PagedCollection)
        assert str(graph.value(view, HYDRA.totalItems)) == "5"
        following = graph.value(view, HYDRA.nextPage)
        assert following == graph.value(view, HYDRA.next)
        url = str(following).split("127.0.0.1:8000", 1)[-1] if following else None
        assert pages <= 3
    assert pages == 3 and len(seen) == 5


def test_the_shapes_catch_a_missing_mandatory_or_recommended_property(
    client: Client, catalogue: Any
) -> None:
    graph = Graph().parse(
        data=client.get("/du-lieu-mo/dataset/ngan-sach.ttl").content, format="turtle"
    )
    (node,) = graph.subjects(RDF.type, DCAT.Dataset)
    without_description = Graph() + graph
    without_description.remove((node, DCTERMS.description, None))
    assert not validate(without_description, shacl_graph=SHAPES, inference="none")[0]
    without_keywords = Graph() + graph
    without_keywords.remove((node, DCAT.keyword, None))
    _ok, _graph, text = validate(
        without_keywords, shacl_graph=SHAPES, inference="none", allow_warnings=True
    )
    assert "Warning" in text and "keyword" in text
