"""Search ignores case and diacritics and ranks name matches first, on SQLite and PostgreSQL."""

import pytest

from motcua.catalog.models import Procedure
from motcua.catalog.selectors import published_procedures, search_procedures
from motcua.catalog.tests.factories import make_procedure
from motcua.catalog.text import fold, terms

pytestmark = pytest.mark.django_db


def search(query: str) -> list[str]:
    return [p.code for p in search_procedures(published_procedures(), query)]


def test_fold_strips_vietnamese_diacritics_and_case() -> None:
    assert fold("Đăng ký KHAI SINH") == "dang ky khai sinh"
    assert fold("Giấy phép xây dựng, nhà ở") == "giay phep xay dung nha o"
    assert terms("  giấy   GIAY phép ") == ["giay", "phep"]


@pytest.fixture
def catalogue() -> dict[str, Procedure]:
    return {
        "birth": make_procedure(code="1.001193", name="Đăng ký khai sinh"),
        "marriage": make_procedure(code="1.000894", name="Đăng ký kết hôn"),
        # Mentions "giấy khai sinh" only in its result, not in its name.
        "copy": make_procedure(
            code="2.000908",
            name="Cấp bản sao trích lục hộ tịch",
            result_document="Bản sao giấy khai sinh",
        ),
        "draft": make_procedure(code="1.009999", name="Đăng ký khai sinh lưu động", status="draft"),
    }


def test_query_without_diacritics_finds_procedure_with_them(catalogue: dict) -> None:
    assert "1.001193" in search("dang ky khai sinh")
    assert "1.001193" in search("ĐĂNG KÝ KHAI SINH")
    assert "1.001193" in search("khai sinh")


def test_words_must_all_match(catalogue: dict) -> None:
    assert search("ket hon") == ["1.000894"]
    assert search("ket hon khai sinh") == []


def test_giay_khai_sinh_finds_birth_registration_and_ranks_name_matches_first(
    catalogue: dict,
) -> None:
    # "giay khai sinh": the birth registration's text mentions it; the copy's result does too.
    make_procedure(code="1.001200", name="Cấp giấy khai sinh bản sao")
    results = search("khai sinh")
    # Every procedure with "khai sinh" in its name comes before one that has it elsewhere.
    assert results.index("2.000908") > results.index("1.001193")
    assert results.index("2.000908") > results.index("1.001200")


def test_drafts_are_never_found(catalogue: dict) -> None:
    assert "1.009999" not in search("khai sinh")


def test_search_by_code(catalogue: dict) -> None:
    assert search("1.000894") == ["1.000894"]


def test_search_index_follows_a_renamed_procedure(catalogue: dict) -> None:
    from motcua.catalog import services

    procedure = catalogue["marriage"]
    procedure.name = "Đăng ký lại kết hôn"
    procedure.save()
    services.record_version(procedure=procedure, actor=None, note="rename")
    assert "1.000894" in search("dang ky lai")
