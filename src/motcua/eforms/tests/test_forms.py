"""The Django form built from a schema: fields, widgets, errors on the right field, JSON out."""

from __future__ import annotations

import datetime
import unicodedata
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from motcua.eforms.fields import parse_number
from motcua.eforms.forms import EForm, initial_from_document, merge_documents, to_json
from motcua.eforms.schema import UnsupportedSchema, unsupported_problems
from motcua.eforms.validation import validate_document

BIRTH = {
    "type": "object",
    "title": "Tờ khai đăng ký khai sinh",
    "required": ["ho_ten_tre", "ngay_sinh", "gioi_tinh", "so_dinh_danh_me"],
    "properties": {
        "ho_ten_tre": {"type": "string", "title": "Họ và tên của trẻ", "maxLength": 10},
        "ngay_sinh": {"type": "string", "title": "Ngày sinh", "format": "date"},
        "gioi_tinh": {"type": "string", "title": "Giới tính", "enum": ["Nam", "Nữ"]},
        "so_dinh_danh_me": {
            "type": "string",
            "title": "Số định danh của mẹ",
            "description": "12 chữ số trên thẻ căn cước",
            "pattern": "^\\d{12}$",
        },
        "so_ban_sao": {"type": "integer", "title": "Số bản sao", "minimum": 1, "maximum": 10},
        "dien_tich": {"type": "number", "title": "Diện tích (m²)", "minimum": 0},
        "dien_thoai": {"type": "string", "title": "Điện thoại", "pattern": "^0\\d{9}$"},
        "email": {"type": "string", "title": "Thư điện tử", "format": "email"},
        "ho_ten": {"type": "string", "title": "Họ tên người khai"},
        "nhan_ban_dien_tu": {"type": "boolean", "title": "Nhận bản điện tử"},
        "ghi_chu": {"type": "string", "title": "Ghi chú", "maxLength": 2000},
        "noi_dang_ky": {
            "type": "string",
            "title": "Nơi đăng ký",
            "enum": ["Hải Châu", "Thanh Khê", "Sơn Trà", "Ngũ Hành Sơn", "Liên Chiểu", "Cẩm Lệ"],
        },
    },
}

VALID = {
    "ho_ten_tre": "Lê Thu",
    "ngay_sinh": "2025-03-01",
    "gioi_tinh": "Nữ",
    "so_dinh_danh_me": "048190000123",
}


def post(**values: Any) -> dict[str, Any]:
    return {**VALID, **values}


def errors_en(schema: dict[str, Any], data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    with translation.override("en"):
        form = EForm(schema, data=data, **kwargs)
        form.is_valid()
        return {name: list(messages) for name, messages in form.errors.items()}


def test_fields_follow_the_schema() -> None:
    form = EForm(BIRTH)
    fields = form.fields
    assert isinstance(fields["ho_ten_tre"], forms.CharField)
    assert fields["ho_ten_tre"].label == "Họ và tên của trẻ"
    assert fields["ho_ten_tre"].required
    assert fields["ho_ten_tre"].max_length == 10
    assert fields["so_dinh_danh_me"].help_text == "12 chữ số trên thẻ căn cước"
    assert isinstance(fields["ngay_sinh"], forms.DateField)
    assert fields["ngay_sinh"].widget.input_type == "date"
    assert isinstance(fields["gioi_tinh"], forms.TypedChoiceField)
    assert isinstance(fields["gioi_tinh"].widget, forms.RadioSelect)  # required, two options
    assert isinstance(fields["noi_dang_ky"].widget, forms.Select)  # optional: can be left empty
    assert isinstance(fields["email"], forms.EmailField)
    assert isinstance(fields["nhan_ban_dien_tu"], forms.BooleanField)
    assert not fields["nhan_ban_dien_tu"].required
    assert isinstance(fields["ghi_chu"].widget, forms.Textarea)
    assert isinstance(fields["ho_ten_tre"].widget, forms.TextInput)
    assert not fields["so_ban_sao"].required


def test_label_falls_back_to_the_property_name() -> None:
    form = EForm({"type": "object", "properties": {"ma_so": {"type": "string"}}})
    assert form.fields["ma_so"].label == "ma_so"


def test_html_attributes_for_phones_and_numbers() -> None:
    form = EForm(BIRTH)
    attrs = {
        name: form[name].build_widget_attrs(form.fields[name].widget.attrs) for name in form.fields
    }
    assert attrs["so_ban_sao"]["inputmode"] == "numeric"
    assert attrs["dien_tich"]["inputmode"] == "decimal"
    assert attrs["so_dinh_danh_me"]["inputmode"] == "numeric"
    assert attrs["dien_thoai"]["inputmode"] == "numeric"
    assert attrs["dien_thoai"]["autocomplete"] == "tel"
    assert attrs["email"]["autocomplete"] == "email"
    assert attrs["ho_ten"]["autocomplete"] == "name"
    assert "inputmode" not in attrs["ho_ten_tre"]
    # the child's name is not the applicant's: the browser must not autofill it
    assert "autocomplete" not in attrs["ho_ten_tre"]
    # no maxlength attribute: a browser would silently cut pasted text
    assert "maxlength" not in attrs["ho_ten_tre"]


def test_valid_data_becomes_a_json_document() -> None:
    form = EForm(
        BIRTH,
        data=post(
            so_ban_sao="2",
            dien_tich="72,5",
            nhan_ban_dien_tu="on",
            email=" lan@danang.gov.vn ",
            ngay_sinh="01/03/2025",
        ),
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["ngay_sinh"] == datetime.date(2025, 3, 1)
    assert form.cleaned_data["dien_tich"] == Decimal("72.5")
    document = form.to_json()
    assert document == {
        **VALID,
        "so_ban_sao": 2,
        "dien_tich": 72.5,
        "email": "lan@danang.gov.vn",
        "nhan_ban_dien_tu": True,
    }
    assert type(document["so_ban_sao"]) is int
    assert validate_document(BIRTH, document) == {}


def test_unticked_optional_box_is_false_and_empty_answers_are_left_out() -> None:
    form = EForm(BIRTH, data=post(ghi_chu="   ", noi_dang_ky=""))
    assert form.is_valid(), form.errors
    document = form.to_json()
    assert document["nhan_ban_dien_tu"] is False
    assert "ghi_chu" not in document
    assert "noi_dang_ky" not in document


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"ho_ten_tre": ""}, "ho_ten_tre", "This field is required."),
        ({"so_dinh_danh_me": "04819000012"}, "so_dinh_danh_me", "Enter exactly 12 digits."),
        ({"so_dinh_danh_me": "٠٤٨١٩٠٠٠٠١٢٣"}, "so_dinh_danh_me", "Enter exactly 12 digits."),
        (
            {"dien_thoai": "905123456"},
            "dien_thoai",
            "Enter a 10-digit phone number starting with 0.",
        ),
        ({"gioi_tinh": "Khác"}, "gioi_tinh", "Choose one of the listed options."),
        (
            {"ho_ten_tre": "Nguyễn Văn An"},
            "ho_ten_tre",
            "Enter at most 10 characters (you entered 13).",
        ),
        ({"ngay_sinh": "31/02/2025"}, "ngay_sinh", "Enter a real date, for example 25/12/2024."),
        ({"ngay_sinh": "1/3/25"}, "ngay_sinh", "Enter a real date, for example 25/12/2024."),
        ({"so_ban_sao": "11"}, "so_ban_sao", "Enter a number that is at most 10."),
        ({"so_ban_sao": "0"}, "so_ban_sao", "Enter a number that is at least 1."),
        (
            {"so_ban_sao": "1,5"},
            "so_ban_sao",
            "Enter a whole number using digits only, for example 1500.",
        ),
        ({"dien_tich": "-1"}, "dien_tich", "Enter a number that is at least 0."),
        ({"dien_tich": "12,5m2"}, "dien_tich", "Enter a number, for example 1250 or 12.5."),
        (
            {"email": "lan@"},
            "email",
            "Enter an e-mail address such as ten@example.vn.",
        ),
    ],
)
def test_errors_land_on_the_right_field(values: dict[str, str], field: str, message: str) -> None:
    assert errors_en(BIRTH, post(**values)) == {field: [message]}


def test_messages_are_translated_to_vietnamese() -> None:
    with translation.override("vi"):
        form = EForm(BIRTH, data=post(ho_ten_tre="", so_dinh_danh_me="1", gioi_tinh="X"))
        assert not form.is_valid()
        assert form.errors["ho_ten_tre"] == ["Trường này là bắt buộc."]
        assert form.errors["so_dinh_danh_me"] == ["Nhập đúng 12 chữ số."]
        assert form.errors["gioi_tinh"] == ["Chọn một trong các lựa chọn đã cho."]


def test_the_form_and_the_final_check_agree_on_keys_and_messages() -> None:
    bad = post(so_dinh_danh_me="123", gioi_tinh="X", so_ban_sao="50")
    with translation.override("en"):
        form_errors = errors_en(BIRTH, bad)
        document = {**VALID, "so_dinh_danh_me": "123", "gioi_tinh": "X", "so_ban_sao": 50}
        assert validate_document(BIRTH, document) == form_errors


def test_decomposed_vietnamese_is_accepted_and_stored_composed() -> None:
    decomposed = unicodedata.normalize("NFD", "Nữ")  # as some keyboards send it
    assert decomposed != "Nữ"
    form = EForm(
        BIRTH, data=post(gioi_tinh=decomposed, ho_ten_tre=unicodedata.normalize("NFD", "Lê Thu"))
    )
    assert form.is_valid(), form.errors
    assert form.to_json()["gioi_tinh"] == "Nữ"
    assert form.to_json()["ho_ten_tre"] == "Lê Thu"


def test_an_enum_written_decomposed_in_the_schema_still_matches() -> None:
    option = unicodedata.normalize("NFD", "Nữ")
    schema = {"type": "object", "properties": {"gt": {"type": "string", "enum": ["Nam", option]}}}
    form = EForm(schema, data={"gt": "Nữ"})
    assert form.is_valid(), form.errors
    assert form.to_json() == {"gt": option}
    assert validate_document(schema, form.to_json()) == {}


def test_invalid_input_is_shown_back_unchanged() -> None:
    form = EForm(BIRTH, data=post(so_ban_sao="mười", ngay_sinh="31/02/2025"))
    assert not form.is_valid()
    html = str(form["so_ban_sao"]) + str(form["ngay_sinh"])
    assert 'value="mười"' in html
    assert 'value="31/02/2025"' in html


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("vi", "1.500.000", 1500000),
        ("vi", "1 500 000", 1500000),
        ("en", "1,500,000", 1500000),
        ("vi", "1.000", 1000),
        ("en", "1.000", 1000),
        ("vi", "0", 0),
        ("vi", "+7", 7),
        ("vi", "-12", -12),
    ],
)
def test_whole_numbers_as_people_type_them(language: str, typed: str, expected: int) -> None:
    schema = {"type": "object", "properties": {"so_tien": {"type": "integer"}}}
    with translation.override(language):
        form = EForm(schema, data={"so_tien": typed})
        assert form.is_valid(), form.errors
        assert form.to_json() == {"so_tien": expected}


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("vi", "12,5", 12.5),
        ("vi", "12.5", 12.5),
        ("en", "12.5", 12.5),
        ("vi", "1.234", 1234),
        ("en", "1.234", 1.234),
        ("vi", "1,234", 1.234),
        ("en", "1,234", 1234),
        ("vi", "1.234,5", 1234.5),
        ("en", "1,234.5", 1234.5),
        ("vi", "0,125", 0.125),
    ],
)
def test_decimal_numbers_follow_the_language(language: str, typed: str, expected: float) -> None:
    schema = {"type": "object", "properties": {"dien_tich": {"type": "number"}}}
    with translation.override(language):
        form = EForm(schema, data={"dien_tich": typed})
        assert form.is_valid(), form.errors
        assert form.to_json() == {"dien_tich": expected}


@pytest.mark.parametrize(
    "typed",
    ["1,5", "12.34", "1.2.3", "1e3", "١٢", "１２", "12 345 6", "--1", "1.000,000.0", "0x10"],
)
def test_unreadable_whole_numbers_are_refused(typed: str) -> None:
    schema = {"type": "object", "properties": {"so": {"type": "integer"}}}
    with translation.override("vi"):
        assert not EForm(schema, data={"so": typed}).is_valid()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_redisplayed_number_keeps_its_value(language: str) -> None:
    schema = {"type": "object", "properties": {"dien_tich": {"type": "number"}}}
    with translation.override(language):
        shown = EForm(schema, initial={"dien_tich": 1.234})["dien_tich"].value()
        form = EForm(schema, data={"dien_tich": shown})
        assert form.is_valid()
        assert form.to_json() == {"dien_tich": 1.234}


def test_required_checkbox_must_be_ticked() -> None:
    schema = {
        "type": "object",
        "required": ["cam_ket"],
        "properties": {"cam_ket": {"type": "boolean", "const": True, "title": "Tôi cam đoan"}},
    }
    assert errors_en(schema, {}) == {"cam_ket": ["Tick this box to continue."]}
    form = EForm(schema, data={"cam_ket": "on"})
    assert form.is_valid()
    assert form.to_json() == {"cam_ket": True}


def test_const_true_box_is_left_out_when_not_ticked() -> None:
    schema = {"type": "object", "properties": {"dong_y": {"type": "boolean", "const": True}}}
    form = EForm(schema, data={})
    assert form.is_valid()
    assert form.to_json() == {}


NESTED = {
    "type": "object",
    "required": ["nguoi_khai"],
    "properties": {
        "nguoi_khai": {
            "type": "object",
            "title": "Người khai",
            "required": ["ho_ten"],
            "properties": {
                "ho_ten": {"type": "string", "title": "Họ tên"},
                "ngay_sinh": {"type": "string", "format": "date"},
            },
        },
        "nguoi_uy_quyen": {
            "type": "object",
            "title": "Người được ủy quyền",
            "required": ["ho_ten", "so_dinh_danh"],
            "properties": {
                "ho_ten": {"type": "string", "title": "Họ tên"},
                "so_dinh_danh": {"type": "string", "pattern": "^\\d{12}$"},
                "dia_chi": {
                    "type": "object",
                    "properties": {"duong": {"type": "string"}, "so_nha": {"type": "integer"}},
                },
            },
        },
        "giay_to": {
            "type": "array",
            "title": "Giấy tờ kèm theo",
            "items": {"type": "string", "maxLength": 20},
            "maxItems": 3,
            "uniqueItems": True,
        },
        "ngay_ban": {"type": "array", "items": {"type": "string", "format": "date"}},
        "kenh": {
            "type": "array",
            "title": "Nhận kết quả qua",
            "items": {"type": "string", "enum": ["Bưu điện", "Trực tuyến", "Trực tiếp"]},
            "minItems": 1,
        },
    },
}


def test_nested_objects_become_dotted_fields() -> None:
    form = EForm(NESTED)
    assert list(form.fields) == [
        "nguoi_khai.ho_ten",
        "nguoi_khai.ngay_sinh",
        "nguoi_uy_quyen.ho_ten",
        "nguoi_uy_quyen.so_dinh_danh",
        "nguoi_uy_quyen.dia_chi.duong",
        "nguoi_uy_quyen.dia_chi.so_nha",
        "giay_to",
        "ngay_ban",
        "kenh",
    ]
    assert form.fields["nguoi_khai.ho_ten"].required
    # required inside an optional object: required only once that object is answered
    assert not form.fields["nguoi_uy_quyen.ho_ten"].required
    assert isinstance(form.fields["kenh"].widget, forms.CheckboxSelectMultiple)
    assert isinstance(form.fields["giay_to"].widget, forms.Textarea)


def test_nested_document_round_trip() -> None:
    data = MultiValueDict(
        {
            "nguoi_khai.ho_ten": ["Trần Bình"],
            "nguoi_uy_quyen.ho_ten": ["Lê An"],
            "nguoi_uy_quyen.so_dinh_danh": ["048190000123"],
            "nguoi_uy_quyen.dia_chi.so_nha": ["12"],
            "giay_to": ["Giấy khai sinh\r\n\r\n  Sổ hộ khẩu  \r\n"],
            "ngay_ban": ["2024-01-02\n03/04/2024"],
            "kenh": ["Trực tuyến", "Bưu điện"],
        }
    )
    form = EForm(NESTED, data=data)
    assert form.is_valid(), form.errors
    document = form.to_json()
    assert document == {
        "nguoi_khai": {"ho_ten": "Trần Bình"},
        "nguoi_uy_quyen": {
            "ho_ten": "Lê An",
            "so_dinh_danh": "048190000123",
            "dia_chi": {"so_nha": 12},
        },
        "giay_to": ["Giấy khai sinh", "Sổ hộ khẩu"],
        "ngay_ban": ["2024-01-02", "2024-04-03"],
        "kenh": ["Trực tuyến", "Bưu điện"],
    }
    assert validate_document(NESTED, document) == {}
    assert initial_from_document(NESTED, document)["nguoi_uy_quyen.dia_chi.so_nha"] == 12


def test_an_unanswered_optional_object_is_left_out() -> None:
    form = EForm(NESTED, data={"nguoi_khai.ho_ten": "Trần Bình", "kenh": ["Trực tiếp"]})
    assert form.is_valid(), form.errors
    assert form.to_json() == {"nguoi_khai": {"ho_ten": "Trần Bình"}, "kenh": ["Trực tiếp"]}


def test_a_started_optional_object_needs_its_required_fields() -> None:
    errors = errors_en(
        NESTED,
        {
            "nguoi_khai.ho_ten": "Trần Bình",
            "kenh": ["Trực tiếp"],
            "nguoi_uy_quyen.dia_chi.duong": "Lê Duẩn",
        },
    )
    assert errors == {
        "nguoi_uy_quyen.ho_ten": ["This field is required."],
        "nguoi_uy_quyen.so_dinh_danh": ["This field is required."],
    }
    # the final check says the same, on the same keys
    with translation.override("en"):
        document = {
            "nguoi_khai": {"ho_ten": "Trần Bình"},
            "kenh": ["Trực tiếp"],
            "nguoi_uy_quyen": {"dia_chi": {"duong": "Lê Duẩn"}},
        }
        assert validate_document(NESTED, document) == errors


def test_list_errors_name_the_line() -> None:
    errors = errors_en(
        NESTED,
        {
            "nguoi_khai.ho_ten": "A",
            "kenh": ["Fax"],
            "giay_to": "Giấy khai sinh\nGiấy chứng nhận quyền sử dụng đất",
            "ngay_ban": "hôm qua",
        },
    )
    assert errors["giay_to"] == ["Line 2: Enter at most 20 characters (you entered 33)."]
    assert errors["ngay_ban"] == ["Line 1: Enter a real date, for example 25/12/2024."]
    assert errors["kenh"] == ["Choose only from the listed options."]
    many = errors_en(NESTED, {"nguoi_khai.ho_ten": "A", "giay_to": "a\nb\nc\nd"})
    assert many == {"giay_to": ["Enter at most 3 items."]}  # "kenh" is optional: left out
    twice = errors_en(NESTED, {"nguoi_khai.ho_ten": "A", "kenh": ["Trực tiếp"], "giay_to": "a\na"})
    assert twice["giay_to"] == ["Each item may appear only once."]


def test_initial_values_and_defaults() -> None:
    schema = {
        "type": "object",
        "properties": {
            "so_ban": {"type": "integer", "default": 1},
            "nguoi": {"type": "object", "properties": {"ten": {"type": "string"}}},
            "giay_to": {"type": "array", "items": {"type": "string"}},
        },
    }
    form = EForm(schema, initial={"nguoi": {"ten": "An"}, "giay_to": ["a", "b"]})
    assert form["so_ban"].value() == "1"
    assert form["nguoi.ten"].value() == "An"
    assert form["giay_to"].value() == "a\nb"


def test_to_json_ignores_keys_that_are_not_fields_and_merges_steps() -> None:
    assert to_json(BIRTH, {"ho_ten_tre": "An", "csrfmiddlewaretoken": "x"}) == {"ho_ten_tre": "An"}
    assert merge_documents({"a": {"b": 1}, "c": 1}, {"a": {"d": 2}}) == {
        "a": {"b": 1, "d": 2},
        "c": 1,
    }


def test_document_errors_can_be_shown_on_the_form() -> None:
    form = EForm(BIRTH, data=VALID)
    assert form.is_valid()
    with translation.override("en"):
        form.add_document_errors({"gioi_tinh": ["Choose one of the listed options."], "": ["x"]})
    assert form.errors["gioi_tinh"] == ["Choose one of the listed options."]
    assert form.non_field_errors() == ["x"]


def test_empty_schema_is_an_empty_form() -> None:
    form = EForm({}, data={})
    assert form.is_valid()
    assert form.to_json() == {}
    assert EForm.steps({}) == []


@pytest.mark.parametrize(
    ("schema", "where"),
    [
        ({"type": "array"}, "(root)"),
        ({"type": "object", "properties": {"a": {"type": ["string", "null"]}}}, "a"),
        (
            {
                "type": "object",
                "properties": {
                    "thanh_vien": {
                        "type": "array",
                        "items": {"type": "array", "items": {"type": "string"}},
                    }
                },
            },
            "thanh_vien[]",
        ),
        ({"type": "object", "properties": {"a": {"$ref": "#/$defs/x"}}}, "a"),
        ({"type": "object", "properties": {"a": {"type": "string", "format": "uri"}}}, "a"),
        (
            {
                "type": "object",
                "properties": {"o": {"type": "object", "properties": {"b": {"oneOf": []}}}},
            },
            "o.b",
        ),
        ({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["b"]}, "(root)"),
        ({"type": "object", "properties": {"a.b": {"type": "string"}}}, "a.b"),
        ({"type": "object", "properties": {"a": {"type": "string", "pattern": "(?<y>1)"}}}, "a"),
    ],
)
def test_unsupported_schemas_say_where(schema: dict[str, Any], where: str) -> None:
    with pytest.raises(UnsupportedSchema) as raised:
        EForm(schema)
    assert where in [path for path, _ in raised.value.problems]
    assert where in str(raised.value)
    assert unsupported_problems(schema)


def test_all_problems_are_listed_at_once() -> None:
    schema = {
        "type": "object",
        "properties": {"a": {"type": "null"}, "b": {"type": "string", "format": "uri"}},
    }
    with pytest.raises(UnsupportedSchema) as raised:
        EForm(schema)
    assert [path for path, _ in raised.value.problems] == ["a", "b"]


def test_date_time_round_trip_in_local_time() -> None:
    schema = {
        "type": "object",
        "properties": {"hen_luc": {"type": "string", "format": "date-time", "title": "Hẹn lúc"}},
    }
    shown = EForm(schema, initial={"hen_luc": "2025-01-02T01:30:00Z"})
    assert 'value="2025-01-02T08:30"' in str(shown["hen_luc"])
    assert 'type="datetime-local"' in str(shown["hen_luc"])
    form = EForm(schema, data={"hen_luc": "2025-01-02T08:30"})
    assert form.is_valid(), form.errors
    assert form.to_json() == {"hen_luc": "2025-01-02T08:30:00+07:00"}
    assert validate_document(schema, form.to_json()) == {}


@pytest.mark.parametrize(
    ("typed", "integer", "separator", "expected"),
    [
        ("1.500.000", True, ",", Decimal(1500000)),
        ("1 500 000", True, ".", Decimal(1500000)),
        ("1\u00a0500", True, ",", Decimal(1500)),
        ("−5", True, ",", Decimal(-5)),
        ("5,0", True, ",", Decimal(5)),
        ("0.500", False, ",", Decimal("0.500")),
        ("1.500", False, ".", Decimal("1.500")),
        ("1.500", False, ",", Decimal(1500)),
    ],
)
def test_parse_number(typed: str, integer: bool, separator: str, expected: Decimal) -> None:
    assert parse_number(typed, integer=integer, decimal_separator=separator) == expected


@pytest.mark.parametrize(
    "typed", ["", "-", "1.23.456", "12.3456.789", "1,234.5,6", "1. 000", "1__0"]
)
def test_parse_number_refuses(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_number(typed, integer=False, decimal_separator=",")


def test_a_required_yes_no_box_left_unticked_answers_no() -> None:
    schema = {
        "type": "object",
        "required": ["ve_ho_da_co", "cam_doan"],
        "properties": {
            "ve_ho_da_co": {"type": "boolean", "title": "Về hộ gia đình đã có"},
            "cam_doan": {"type": "boolean", "const": True, "title": "Tôi cam đoan"},
        },
    }
    unticked = EForm(schema, data={"cam_doan": "on"})
    assert unticked.is_valid(), unticked.errors
    assert unticked.to_json() == {"ve_ho_da_co": False, "cam_doan": True}
    undeclared = EForm(schema, data={"ve_ho_da_co": "on"})
    assert not undeclared.is_valid() and "cam_doan" in undeclared.errors
