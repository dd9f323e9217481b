"""The fields partial: labelled, described, marked invalid, grouped; no JavaScript needed."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation

from motcua.eforms.forms import EForm

from .strategies import demo_eforms
from .test_forms import NESTED

SCHEMA = {
    "type": "object",
    "required": ["ho_ten", "gioi_tinh", "cam_ket"],
    "properties": {
        "ho_ten": {"type": "string", "title": "Họ tên", "description": "Như trên thẻ căn cước"},
        "gioi_tinh": {"type": "string", "title": "Giới tính", "enum": ["Nam", "Nữ"]},
        "ghi_chu": {"type": "string", "title": "Ghi chú <b>", "maxLength": 1000},
        "cam_ket": {"type": "boolean", "const": True, "title": "Tôi cam đoan"},
        "kenh": {
            "type": "array",
            "title": "Nhận kết quả qua",
            "items": {"type": "string", "enum": ["Bưu điện", "Trực tuyến"]},
        },
        "nguoi_uy_quyen": {
            "type": "object",
            "title": "Người được ủy quyền",
            "properties": {"ho_ten": {"type": "string", "title": "Họ tên người được ủy quyền"}},
        },
    },
}


class Page(HTMLParser):
    """Collects elements with their attributes and the text of labels and legends."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.stack: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {key: value or "" for key, value in attrs}))

    def ids(self) -> list[str]:
        return [attrs["id"] for _, attrs in self.elements if "id" in attrs]

    def find(self, tag: str, **wanted: str) -> list[dict[str, str]]:
        return [
            attrs
            for name, attrs in self.elements
            if name == tag and all(attrs.get(k.replace("_", "-")) == v for k, v in wanted.items())
        ]

    def controls(self) -> list[dict[str, str]]:
        return [
            attrs
            for tag, attrs in self.elements
            if tag in {"input", "select", "textarea"} and attrs.get("type") != "hidden"
        ]


def render(form: forms.Form) -> str:
    return render_to_string("eforms/fields.html", {"form": form})


def test_every_control_has_a_label_or_a_legend_and_ids_are_unique() -> None:
    html = render(EForm(SCHEMA))
    page = Page(html)
    assert len(page.ids()) == len(set(page.ids()))
    labelled = {attrs["for"] for attrs in page.find("label") if attrs.get("for")}
    for control in page.controls():
        assert control["id"] in labelled, control
    # no inline script (the CSP forbids it): only the static enhancement file
    assert [attrs.get("src", "") for attrs in page.find("script")] == ["/static/eforms/eforms.js"]
    assert html.count("<legend>") == 3  # radios, check boxes, the nested object


def test_errors_are_linked_to_their_inputs() -> None:
    with translation.override("en"):
        form = EForm(SCHEMA, data={"ho_ten": "", "gioi_tinh": "X"})
        assert not form.is_valid()
        html = render(form)
    page = Page(html)
    ids = set(page.ids())
    (name,) = page.find("input", name="ho_ten")
    assert name["aria-invalid"] == "true"
    described = name["aria-describedby"].split()
    assert described == ["id_ho_ten_helptext", "id_ho_ten_error"]
    assert set(described) <= ids
    assert page.find("p", id="id_ho_ten_error", **{"class": "error"})
    assert "This field is required." in html
    # radio buttons: the group is a fieldset described by its error
    (group,) = [a for a in page.find("fieldset") if a.get("aria-describedby")]
    assert "id_gioi_tinh_error" in group["aria-describedby"].split()
    assert all(radio["aria-invalid"] == "true" for radio in page.find("input", type="radio"))
    # the check box keeps its error too
    (box,) = page.find("input", type="checkbox", name="cam_ket")
    assert box["aria-describedby"] == "id_cam_ket_error"
    # the summary links to each field
    links = {a["href"] for a in page.find("a")}
    assert {"#id_ho_ten", "#id_gioi_tinh_0", "#id_cam_ket"} <= links
    for target in links:
        assert target[1:] in ids


def test_required_marker_hint_and_classes() -> None:
    html = render(EForm(SCHEMA, data={}))
    page = Page(html)
    assert 'class="form-field has-error"' in html
    assert page.find("p", id="id_ho_ten_helptext", **{"class": "hint"})
    assert '<span aria-hidden="true">*</span>' in html
    # schema text is escaped, never trusted as HTML
    assert "Ghi chú &lt;b&gt;" in html
    assert page.find("textarea", name="ghi_chu")


def test_nested_objects_are_fieldsets_with_a_legend() -> None:
    html = render(EForm(NESTED))
    assert html.count('<fieldset class="form-group">') == 3  # two objects and the address
    assert "<legend>Người khai</legend>" in html
    assert "<legend>Người được ủy quyền</legend>" in html


def test_the_form_renders_itself_with_the_partial() -> None:
    form = EForm(SCHEMA)
    assert 'class="eform"' in str(form)


def test_works_for_an_ordinary_django_form() -> None:
    class Plain(forms.Form):
        name = forms.CharField(label="Tên")

    html = render(Plain())
    assert '<label for="id_name">Tên <span aria-hidden="true">*</span></label>' in html


def test_styles_for_small_screens_ship_with_the_partial() -> None:
    html = render(EForm(SCHEMA))
    assert '<link rel="stylesheet" href="/static/eforms/eforms.css">' in html


@pytest.mark.parametrize(("case_id", "schema"), demo_eforms()[:20])
def test_demo_forms_render(case_id: str, schema: dict[str, Any]) -> None:
    for step in range(len(EForm.steps(schema))):
        page = Page(render(EForm(schema, step=step, data={})))
        assert len(page.ids()) == len(set(page.ids()))
        assert page.controls()
