"""Kinds of service: the demo's public non-business services, and finding them by kind.

The resolution counts public non-business services (dịch vụ sự nghiệp công: schools,
hospitals, utilities) and Party and socio-political procedures with the administrative ones
(DOMAIN.md §2); residents and apps must be able to list them apart.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from motcua.accounts.tests.factories import UserFactory
from motcua.agencies.models import AgencyKind
from motcua.catalog.models import Procedure, ServiceKind
from motcua.catalog.tests.factories import FieldFactory, make_procedure
from motcua.dossiers.models import DossierDraft

pytestmark = pytest.mark.django_db

# The public non-business services residents use most, added to the demo catalogue with the
# units that provide them (agencies/demo.py).
ADDED_PUBLIC_SERVICES = {
    "1.005094": "H17.50.01",  # grade 6 enrolment, at every ward/commune
    "1.012110.H17": "H17.50.01",  # pre-school enrolment
    "1.012111.H17": "H17.03.01",  # clean-water connection
    "1.012112.H17": "H17.09.01",  # new electricity connection
    "1.012113.H17": "H17.06.03",  # vaccination booking
    "1.012114.H17": "H17.06.01",  # injury certificate
    "1.012115.H17": "H17.11.01",  # library card
    "1.012116.H17": "H17.05.02",  # household waste collection
    "1.012117.H17": "H17.11.02",  # public sports venue
    "1.012118.H17": "H17.11.03",  # museum group visit
    "1.012119.H17": "H17.07.02",  # vocational training
    "1.012120.H17": "H17.06.04",  # voluntary elderly care
}
RESULT_LINK = re.compile(r'<h2><a href="/thu-tuc/([^/"]+)/">')


@pytest.fixture
def demo() -> set[str]:
    """The Đà Nẵng demo loaded as ``manage.py load_demo`` does; the public services' codes."""
    call_command("load_demo", stdout=io.StringIO())
    return set(
        Procedure.objects.published()
        .filter(service_kind=ServiceKind.PUBLIC_SERVICE)
        .values_list("code", flat=True)
    )


def test_the_demo_has_the_public_services_residents_use_most(demo: set[str]) -> None:
    assert len(demo) >= 15
    assert set(ADDED_PUBLIC_SERVICES) <= demo
    for code, agency in ADDED_PUBLIC_SERVICES.items():
        procedure = Procedure.objects.get(code=code)
        providers = list(procedure.agencies.all())
        assert agency in [a.code for a in providers], code
        assert {a.kind for a in providers} <= {
            AgencyKind.PUBLIC_SERVICE_UNIT,
            AgencyKind.WARD_COMMITTEE,
        }, code
        for case in procedure.cases.all():
            steps = list(case.steps.all())
            # As stored (one decimal place), the steps fill the case's limit and no more.
            assert [s.role for s in steps] == ["receiver", "processor", "approver"], case
            assert sum((s.duration for s in steps), Decimal(0)) == case.time_limit, case
            for component in case.components.all():
                assert component.document_type or not component.mandatory, component.name
            assert case.eform_schema["required"], case


def test_the_catalogue_page_lists_exactly_the_public_services(
    client: Client, demo: set[str]
) -> None:
    shown: set[str] = set()
    page = 1
    while True:
        response = client.get(
            "/thu-tuc/",
            {"service_kind": "public_service", "page": str(page)},
            HTTP_ACCEPT_LANGUAGE="vi",
        )
        assert response.status_code == 200
        found = RESULT_LINK.findall(response.text)
        shown.update(found)
        if 'rel="next"' not in response.text:
            break
        page += 1
    assert shown == demo
    assert f"{len(demo)} thủ tục" in response.text


def test_the_api_lists_exactly_the_public_services(client: Client, demo: set[str]) -> None:
    body = client.get(
        "/api/v1/procedures/", {"service_kind": "public_service", "page_size": "100"}
    ).json()
    assert body["count"] == len(demo)
    assert {row["code"] for row in body["results"]} == demo
    assert {row["service_kind"] for row in body["results"]} == {"public_service"}


def test_a_citizen_can_start_a_draft_of_every_public_service_case(
    client: Client, demo: set[str]
) -> None:
    citizen = UserFactory.create(assurance_level=2)
    client.force_login(citizen)
    started = 0
    for procedure in Procedure.objects.filter(code__in=demo).prefetch_related("cases"):
        assert client.get(f"/thu-tuc/{procedure.code}/").status_code == 200, procedure.code
        assert client.get(f"/thu-tuc/{procedure.code}/nop-truc-tuyen/").status_code == 200
        for position, _case in enumerate(procedure.cases.all()):
            response = client.post(f"/ho-so/nop/{procedure.code}/", {"case": str(position)})
            assert response.status_code == 302, (procedure.code, position)
            draft = DossierDraft.objects.latest("pk")
            assert (draft.procedure_id, draft.case_position) == (procedure.pk, position)
            assert response.headers["Location"] == f"/ho-so/nhap/{draft.pk}/buoc/0/"
            form = client.get(response.headers["Location"])
            assert form.status_code == 200, (procedure.code, position)
            started += 1
    assert started == DossierDraft.objects.filter(applicant=citizen).count() >= 30


@pytest.fixture
def kinds() -> None:
    field = FieldFactory.create(code="giao-duc", name="Giáo dục và Đào tạo")
    make_procedure(code="1.005388", name="Cấp bản sao văn bằng", field=field)
    make_procedure(
        code="1.005094", name="Tuyển sinh vào lớp 6", field=field, service_kind="public_service"
    )
    make_procedure(code="3.000101", name="Chuyển sinh hoạt đảng", field=field, service_kind="party")


def test_the_catalogue_page_has_a_tab_per_kind_keeping_the_search(
    client: Client, kinds: None
) -> None:
    response = client.get("/thu-tuc/", {"q": "tuyen sinh", "page": "1"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    tabs = response.text.split('<nav class="kind-tabs"', 1)[1].split("</nav>", 1)[0]
    assert 'aria-label="Loại thủ tục"' in tabs
    assert (
        '<a href="/thu-tuc/?q=tuyen+sinh&amp;service_kind=public_service">'
        "Dịch vụ sự nghiệp công</a>"
    ) in tabs
    assert '<a href="/thu-tuc/?q=tuyen+sinh" aria-current="page">Tất cả các loại</a>' in tabs
    for label in ("Thủ tục hành chính", "Thủ tục của cơ quan Đảng"):
        assert label in tabs

    chosen = client.get(
        "/thu-tuc/", {"service_kind": "public_service"}, HTTP_ACCEPT_LANGUAGE="vi"
    ).text
    assert 'service_kind=public_service" aria-current="page">Dịch vụ sự nghiệp công' in chosen
    assert "Tuyển sinh vào lớp 6" in chosen
    assert "Cấp bản sao văn bằng" not in chosen and "Chuyển sinh hoạt đảng" not in chosen
    # The filter panel offers the same kinds, by their Vietnamese names.
    assert '<option value="public_service" selected>Dịch vụ sự nghiệp công</option>' in chosen


@pytest.mark.parametrize(
    "language, message",
    [("vi", "Hãy chọn một lựa chọn hợp lệ"), ("en", "Select a valid choice")],
)
def test_a_wrong_kind_is_refused_with_a_translated_message(
    client: Client, kinds: None, language: str, message: str
) -> None:
    client.cookies["django_language"] = language  # pages follow the chosen language only
    page = client.get("/thu-tuc/", {"service_kind": "dich-vu", "q": "giữ nguyên"})
    assert page.status_code == 400
    error = page.text.split('id="err-service_kind"', 1)[1].split("</p>", 1)[0]
    assert message in error and "dich-vu" in error
    assert 'value="giữ nguyên"' in page.text

    api = client.get(
        "/api/v1/procedures/", {"service_kind": "dich-vu"}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert api.status_code == 400
    assert [m for m in api.json()["service_kind"] if message in m and "dich-vu" in m]


def test_the_openapi_schema_documents_the_kind_filter(client: Client) -> None:
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/procedures/"]["get"]["parameters"]}
    kind = parameters["service_kind"]
    assert kind["in"] == "query"
    assert set(kind["schema"]["enum"]) == set(ServiceKind.values)
    assert "public non-business service" in kind["description"]
