"""Editing the catalogue in the admin: each save is a version; the import is all or nothing."""

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.accounts.models import User
from motcua.accounts.tests.factories import sign_in_with_second_factor
from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import catalogue, make_procedure, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    user = User.objects.create_superuser("steward", "steward@example.vn", "a-long-passphrase-1")
    sign_in_with_second_factor(client, user)
    return client


def test_editing_a_procedure_in_the_admin_records_a_version(admin_client: Client) -> None:
    procedure = make_procedure(code="1.001193", name="Đăng ký khai sinh")
    url = f"/admin/catalog/procedure/{procedure.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data: dict[str, Any] = {
        name: value for name, value in form.initial.items() if value is not None
    }
    data.update(
        {
            "name": "Đăng ký khai sinh (đã sửa)",
            "field": procedure.field.pk,
            "agencies": [a.pk for a in procedure.agencies.all()],
            "legal_basis": json.dumps(["Luật Hộ tịch"]),
            "cases-TOTAL_FORMS": "0",
            "cases-INITIAL_FORMS": "0",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        }
    )
    data.pop("search_vector", None)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    procedure.refresh_from_db()
    assert procedure.version == 2
    assert procedure.versions.get(number=2).snapshot["name"] == "Đăng ký khai sinh (đã sửa)"
    assert procedure.versions.get(number=1).snapshot["name"] == "Đăng ký khai sinh"


def test_admin_import_refuses_a_bad_file_and_changes_nothing(
    admin_client: Client,
    agencies: None,
) -> None:
    bad = catalogue(record(), record("1.000656", field="khong-co"))
    upload = SimpleUploadedFile("catalog.json", json.dumps(bad).encode(), "application/json")
    response = admin_client.post("/admin/catalog/procedure/import/", {"file": upload})
    assert response.status_code == 400
    assert "1.000656" in response.text and "field" in response.text
    assert Procedure.objects.count() == 0

    garbage = SimpleUploadedFile("catalog.json", b"\x00\x01not json", "application/json")
    response = admin_client.post("/admin/catalog/procedure/import/", {"file": garbage})
    assert response.status_code == 400
    assert Procedure.objects.count() == 0


def test_admin_import_and_export(admin_client: Client, agencies: None) -> None:
    good = json.dumps(catalogue(record())).encode()
    upload = SimpleUploadedFile("catalog.json", good, "application/json")
    response = admin_client.post("/admin/catalog/procedure/import/", {"file": upload})
    assert response.status_code == 302
    procedure = Procedure.objects.get(code="1.001193")

    exported = admin_client.post(
        "/admin/catalog/procedure/",
        {"action": "export_json", "_selected_action": [procedure.pk]},
    )
    assert exported.status_code == 200
    assert json.loads(exported.content)["procedures"][0]["code"] == "1.001193"


def test_only_staff_reach_the_import_page(client: Client) -> None:
    response = client.get("/admin/catalog/procedure/import/")
    assert response.status_code == 302
    assert "/admin/login/" in response.headers["Location"]
