"""Every page's frame: the fixed menu and footer are kept per language and sign-in state,
what belongs to one request (its address, its CSRF token) is made for each."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from motcua.accounts.models import User

pytestmark = pytest.mark.django_db


def menu(html: str) -> str:
    found = re.search(r'<nav aria-label="[^"]+" class="main-nav">(.*?)</nav>', html, re.S)
    assert found is not None
    return found.group(1)


def test_the_menu_follows_who_is_signed_in(client: Client) -> None:
    assert "Đăng nhập" in menu(client.get("/thu-tuc/").text)
    citizen = User.objects.create_user("citizen", password="a-long-passphrase-1")
    client.force_login(citizen)
    signed_in = menu(client.get("/thu-tuc/").text)
    assert "Tài khoản của tôi" in signed_in and "Các khoản thanh toán của tôi" in signed_in
    assert "Đăng nhập" not in signed_in
    client.logout()
    assert "Đăng nhập" in menu(client.get("/thu-tuc/").text)


def test_the_menu_and_footer_follow_the_language(client: Client) -> None:
    vietnamese = client.get("/thu-tuc/").text
    assert "Thủ tục hành chính" in menu(vietnamese)
    assert 'value="en" lang="en">English</button>' in vietnamese
    client.cookies["django_language"] = "en"
    english = client.get("/thu-tuc/").text
    assert "Procedures" in menu(english) and "Sign in" in menu(english)
    assert "Open API for developers" in english
    assert 'value="vi" lang="vi">Tiếng Việt</button>' in english
    assert 'lang="en">English</button>' not in english


def test_the_language_switch_returns_to_the_page_it_was_on(client: Client) -> None:
    for path in ("/thu-tuc/?q=khai+sinh", "/tra-cuu-ho-so/"):
        html = client.get(path).text
        assert f'<input name="next" type="hidden" value="{path.replace("&", "&amp;")}">' in html


def test_the_language_switch_needs_no_token_and_pages_set_no_csrf_cookie() -> None:
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/thu-tuc/")
    assert "csrftoken" not in page.cookies and "csrfmiddlewaretoken" not in page.text
    switched = visitor.post("/i18n/setlang/", {"language": "en", "next": "/thu-tuc/"})
    assert switched.status_code == 302 and switched["Location"] == "/thu-tuc/"
    assert "Procedure catalogue" in visitor.get("/thu-tuc/").text
    # Only a path of this site is followed back.
    away = visitor.post("/i18n/setlang/", {"language": "vi", "next": "https://example.com/"})
    assert away["Location"] == "/"


def test_the_administrators_link_is_in_staff_menus_only(client: Client) -> None:
    # The menu is rendered without the request: the staff-only link, written against the
    # request, was shown to nobody. Staff first, so a menu kept for staff would reach others.
    admin = User.objects.create_user("admin", password="a-long-passphrase-1", is_staff=True)
    citizen = User.objects.create_user("citizen", password="a-long-passphrase-1")
    client.force_login(admin)
    assert "/can-bo/dong-bo-quoc-gia/" in menu(client.get("/thu-tuc/").text)
    client.force_login(citizen)
    assert "/can-bo/dong-bo-quoc-gia/" not in menu(client.get("/thu-tuc/").text)
    client.logout()
    assert "/can-bo/dong-bo-quoc-gia/" not in menu(client.get("/thu-tuc/").text)
