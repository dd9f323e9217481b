"""A citizen signed in sees e-form fields pre-filled from their e-ID and from a document of
their data store, each with a note saying where it came from, changes nothing and files: the
dossier holds exactly those answers (issue 14, point 3). Phone-sized, without JavaScript
doing any of it."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

import pytest
from django.core.files.base import ContentFile

from motcua.accounts.models import AssuranceLevel
from motcua.catalog import services as catalog_services
from motcua.catalog.tests.factories import make_procedure
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import make_world
from motcua.personalstore.models import Source, StoredDocument
from tests.e2e.people import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FORM: dict[str, Any] = {
    "type": "object",
    "title": "Tờ khai",
    "required": ["nguoi_yeu_cau", "so_dinh_danh", "ho_ten_tre", "ngay_sinh_tre"],
    "properties": {
        "nguoi_yeu_cau": {
            "type": "string",
            "title": "Người yêu cầu",
            "maxLength": 100,
            "x-prefill": "eid.full_name",
        },
        "so_dinh_danh": {
            "type": "string",
            "title": "Số định danh cá nhân",
            "pattern": "^\\d{12}$",
            "x-prefill": "eid.personal_id",
        },
        "ho_ten_tre": {
            "type": "string",
            "title": "Họ và tên của con",
            "maxLength": 100,
            "x-prefill": "store.GIAY_KHAI_SINH.ho_ten_tre",
        },
        "ngay_sinh_tre": {
            "type": "string",
            "format": "date",
            "title": "Ngày sinh của con",
            "x-prefill": "store.GIAY_KHAI_SINH.ngay_sinh",
        },
    },
}


def test_a_citizen_files_with_answers_prefilled_from_the_eid_and_the_store(
    live_server: Any, page: Any
) -> None:
    world = make_world()
    citizen = world.applicant
    citizen.full_name = "Nguyễn Thị Lan"
    citizen.personal_id = "048190000123"
    citizen.date_of_birth = datetime.date(1990, 5, 17)
    citizen.assurance_level = AssuranceLevel.LEVEL_2
    citizen.save()
    content = b"%PDF-1.4 trich luc khai sinh"
    extract = StoredDocument(
        owner_user=citizen,
        document_type="GIAY_KHAI_SINH",
        title="Trích lục khai sinh",
        issuer="UBND phường Hải Châu",
        number="123/2024",
        issued_on=datetime.date(2024, 3, 2),
        source=Source.VERIFIED,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        data={"ho_ten_tre": "Nguyễn Minh Khôi", "ngay_sinh": "2024-02-29"},
    )
    extract.file.save("extract.pdf", ContentFile(content), save=False)
    extract.save()
    procedure = make_procedure(
        code="1.004873", name="Cấp giấy xác nhận cho con", agencies=[world.agency]
    )
    case = procedure.cases.get()
    case.eform_schema = FORM
    case.save()
    catalog_services.record_version(procedure=procedure, actor=None, note="x-prefill")
    base = live_server.url

    sign_in(page, base, citizen.username)
    page.goto(base + "/thu-tuc/1.004873/nop-truc-tuyen/")
    page.locator("form[action$='/ho-so/nop/1.004873/'] button").click()
    assert page.input_value("input[name=nguoi_yeu_cau]") == "Nguyễn Thị Lan"
    assert page.input_value("input[name=so_dinh_danh]") == "048190000123"
    assert page.input_value("input[name=ho_ten_tre]") == "Nguyễn Minh Khôi"
    assert page.input_value("input[name=ngay_sinh_tre]") == "2024-02-29"
    main = page.inner_text("main")
    assert main.count("Điền sẵn từ định danh điện tử (VNeID) của bạn") == 2
    assert main.count("Điền sẵn từ kho dữ liệu của bạn: Trích lục khai sinh số 123/2024") == 2
    # the note is what the input is described by (read out with the field)
    described = page.get_attribute("input[name=ho_ten_tre]", "aria-describedby") or ""
    assert "Trích lục khai sinh" in page.inner_text(f"#{described.split()[0]}")

    page.locator("button[value=next]").click()  # nothing changed
    assert page.url.endswith("/hoan-tat/")
    page.locator("#id_declared").check()
    page.locator("button[value=submit]").click()

    dossier = Dossier.objects.get(procedure=procedure)
    assert page.url.endswith(f"/ho-so/{dossier.code}/")
    assert dossier.form_data == {
        "nguoi_yeu_cau": "Nguyễn Thị Lan",
        "so_dinh_danh": "048190000123",
        "ho_ten_tre": "Nguyễn Minh Khôi",
        "ngay_sinh_tre": "2024-02-29",
    }
