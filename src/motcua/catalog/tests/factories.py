"""Catalogue factories. ``make_procedure`` goes through the service so search columns are set."""

from __future__ import annotations

import copy
from typing import Any

import factory

from motcua.agencies.tests.factories import AgencyFactory
from motcua.catalog import services
from motcua.catalog.models import Field, Procedure, ProcedureCase

EFORM = {
    "type": "object",
    "required": ["ho_ten"],
    "properties": {
        "ho_ten": {"type": "string", "title": "Họ và tên", "maxLength": 100},
        "ngay_sinh": {"type": "string", "format": "date", "title": "Ngày sinh"},
    },
}


class FieldFactory(factory.django.DjangoModelFactory[Field]):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"linh-vuc-{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")


class ProcedureFactory(factory.django.DjangoModelFactory[Procedure]):
    class Meta:
        model = Procedure

    code = factory.Sequence(lambda n: f"9.{n:06d}")
    name = factory.Sequence(lambda n: f"Thủ tục thử nghiệm {n}")
    field = factory.SubFactory(FieldFactory)
    applicant_type = "citizen"
    agency_level = "city"
    online_level = "full"
    result_document = "Giấy xác nhận"
    status = "published"


class CaseFactory(factory.django.DjangoModelFactory[ProcedureCase]):
    class Meta:
        model = ProcedureCase

    procedure = factory.SubFactory(ProcedureFactory)
    name = "Trường hợp thông thường"
    time_limit = 3
    time_unit = "working_days"
    fee = 0
    eform_schema = factory.LazyFunction(lambda: dict(EFORM))


def make_procedure(**kwargs: Any) -> Procedure:
    """A published procedure with one case and an agency, indexed for search."""
    agencies = kwargs.pop("agencies", None)
    procedure = ProcedureFactory.create(**kwargs)
    CaseFactory.create(procedure=procedure)
    procedure.agencies.set(agencies if agencies is not None else [AgencyFactory.create()])
    services.record_version(procedure=procedure, actor=None, note="factory")
    return procedure


# --- catalogue files in the import format ---


def record(code: str = "1.001193", **overrides: Any) -> dict[str, Any]:
    data = {
        "code": code,
        "name": "Đăng ký khai sinh",
        "field": "ho-tich",
        "service_kind": "administrative",
        "applicant_type": "citizen",
        "agency_level": "ward",
        "online_level": "full",
        "agencies": ["all-wards"],
        "result_document": "Giấy khai sinh",
        "legal_basis": ["Luật Hộ tịch số 60/2014/QH13"],
        "status": "published",
        "cases": [
            {
                "name": "Thông thường",
                "time_limit": 1,
                "time_unit": "working_days",
                "fee": 0,
                "components": [
                    {
                        "name": "Tờ khai",
                        "document_type": "TO_KHAI",
                        "mandatory": True,
                        "originals": 1,
                    }
                ],
                "steps": [{"name": "Tiếp nhận", "role": "receiver", "duration": 0.5}],
                "eform": copy.deepcopy(EFORM),
            }
        ],
    }
    data.update(overrides)
    return data


def catalogue(*records: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": "motcua-catalog",
        "format_version": 1,
        "fields": [{"code": "ho-tich", "name": "Hộ tịch", "name_en": "Civil status"}],
        "procedures": list(records),
    }
