"""Result templates read an e-form's repeating groups row by row, with readable values."""

from __future__ import annotations

from django.template import Context

from motcua.eforms.display import readable
from motcua.eforms.tests.test_layout_display import FILED, RESIDENCE
from motcua.results.documents import _printed
from motcua.results.models import TEMPLATE_ENGINE


def test_a_result_template_lists_the_members_of_a_household() -> None:
    source = (
        "Hộ ông {{ form.chu_ho }}, {{ form.phuong }}:"
        "{% for tv in form.thanh_vien %} {{ forloop.counter }}. {{ tv.ho_ten }}"
        "{% if tv.ngay_sinh %} (sinh {{ tv.ngay_sinh }}){% endif %} – {{ tv.quan_he }};{% endfor %}"
    )
    context = Context({"form": _printed(readable(RESIDENCE, FILED))}, autoescape=False)
    assert TEMPLATE_ENGINE.from_string(source).render(context) == (
        "Hộ ông Trần Văn Bình, Phường Hải Châu: 1. Nguyễn Thị Lan – Vợ;"
        " 2. Trần Minh Khôi (sinh 12/05/2015) – Con;"
    )
