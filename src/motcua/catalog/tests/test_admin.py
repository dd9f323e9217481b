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


def _case_form_data(admin_client: Client, url: str, steps: list[tuple[str, str]]) -> dict[str, Any]:
    form = admin_client.get(url).context["adminform"].form
    data: dict[str, Any] = {
        name: value for name, value in form.initial.items() if value is not None
    }
    data["procedure"] = form.initial["procedure"]
    data["eform_schema"] = json.dumps(form.initial["eform_schema"])
    data["fee_rules"] = json.dumps(form.initial["fee_rules"])
    data.update({"components-TOTAL_FORMS": "0", "components-INITIAL_FORMS": "0"})
    data.update({"steps-TOTAL_FORMS": str(len(steps)), "steps-INITIAL_FORMS": "0"})
    for index, (role, duration) in enumerate(steps):
        data.update(
            {
                f"steps-{index}-position": str(index),
                f"steps-{index}-name": f"Bước {index + 1}",
                f"steps-{index}-role": role,
                f"steps-{index}-duration": duration,
            }
        )
    return data


def test_a_case_whose_steps_outrun_its_limit_is_saved_with_a_warning(
    admin_client: Client,
) -> None:
    case = make_procedure(code="1.001193").cases.get()
    url = f"/admin/catalog/procedurecase/{case.pk}/change/"
    data = _case_form_data(admin_client, url, [("receiver", "0.12"), ("processor", "1.5")])
    data["time_limit"] = "1.5"
    response = admin_client.post(url, data, follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    warning = "Tổng thời gian các bước xử lý là 1.62, vượt thời hạn giải quyết 1.5"
    assert any(warning in m for m in messages), messages
    assert [str(s.duration) for s in case.steps.order_by("position")] == ["0.12", "1.50"]


def test_a_negative_step_duration_is_refused_in_the_admin(admin_client: Client) -> None:
    case = make_procedure(code="1.001193").cases.get()
    url = f"/admin/catalog/procedurecase/{case.pk}/change/"
    response = admin_client.post(url, _case_form_data(admin_client, url, [("receiver", "-0.5")]))
    assert response.status_code == 200  # the form again, with the error on the step
    assert "duration" in str(response.context["inline_admin_formsets"][1].formset.errors)
    assert not case.steps.exists()
