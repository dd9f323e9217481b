"""The help page: hotline, questions and answers by topic, how to file; linked everywhere."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.accounts.models import User
from motcua.accounts.tests.factories import sign_in_with_second_factor
from motcua.helpdesk.models import Question, Topic

pytestmark = pytest.mark.django_db


def test_help_page_shows_the_hotline_topics_answers_and_steps(client: Client) -> None:
    response = client.get("/ho-tro/")
    assert response.status_code == 200
    text = response.text
    assert "<h1>Hỗ trợ</h1>" in text
    assert 'href="tel:1022"' in text  # the city's hotline
    assert "Đường dây nóng (miễn phí)" in text
    # The questions and answers the migration puts in, per topic, answers in the page itself.
    for title in (
        "Nộp hồ sơ trực tuyến",
        "Đăng nhập bằng tài khoản định danh điện tử (VNeID)",
        "Phí, lệ phí và thanh toán",
        "Bổ sung hồ sơ",
        "Nhận kết quả",
    ):
        assert title in text
    assert "Tôi thanh toán phí, lệ phí trực tuyến bằng cách nào?" in text
    assert "biên lai điện tử" in text
    assert "Hướng dẫn nộp hồ sơ từng bước" in text
    assert 'href="/thu-tuc/">danh mục</a>' in text
    assert "https://dichvucong.gov.vn" in text
    # Without JavaScript: the answers open with the native <details> element.
    assert "<script" not in text
    assert "<details" in text


def test_the_contacts_follow_the_settings(client: Client, settings: Any) -> None:
    settings.MOTCUA_HELP_HOTLINE = "1900 1234"
    settings.MOTCUA_HELP_EMAIL = "hotro@example.vn"
    text = client.get("/ho-tro/").text
    assert 'href="tel:19001234">1900 1234</a>' in text
    assert "mailto:hotro@example.vn" in text


def test_unpublished_questions_and_topics_are_not_shown(client: Client) -> None:
    Question.objects.filter(question__startswith="Tôi thanh toán").update(published=False)
    Topic.objects.filter(slug="bo-sung").update(published=False)
    text = client.get("/ho-tro/").text
    assert "Tôi thanh toán phí, lệ phí trực tuyến bằng cách nào?" not in text
    assert "Bổ sung hồ sơ" not in text
    assert "Tiền đã bị trừ" in text  # the rest of the topic stays


def test_every_page_links_to_help_from_header_and_footer(client: Client) -> None:
    text = client.get("/").text
    assert text.count('href="/ho-tro/"') >= 2
    assert ">Hỗ trợ</a>" in text
    assert ">Hỗ trợ và liên hệ</a>" in text


def test_my_payments_is_in_the_account_menu(client: Client) -> None:
    assert 'href="/thanh-toan/cua-toi/"' not in client.get("/").text
    user = User.objects.create_user("an", "an@example.vn", "a-long-passphrase-1")
    client.force_login(user)
    text = client.get("/").text
    assert '<a href="/thanh-toan/cua-toi/">Các khoản thanh toán của tôi</a>' in text
    assert 'href="/thanh-toan/cua-toi/"' in client.get("/accounts/").text


def test_an_admin_can_add_a_question(client: Client) -> None:
    user = User.objects.create_superuser("steward", "steward@example.vn", "a-long-passphrase-1")
    sign_in_with_second_factor(client, user)
    topic = Topic.objects.get(slug="phi-le-phi")
    response = client.post(
        "/admin/helpdesk/question/add/",
        {
            "topic": topic.pk,
            "question": "Tôi có được hoàn lại lệ phí khi rút hồ sơ không?",
            "answer": "Lệ phí đã nộp được hoàn lại nếu hồ sơ chưa được giải quyết.",
            "order": "30",
            "published": "on",
        },
    )
    assert response.status_code == 302, response.content
    text = client.get("/ho-tro/").text
    assert "Tôi có được hoàn lại lệ phí khi rút hồ sơ không?" in text
