"""Forms shown again with errors: every aria-describedby points at an element of the page.

A screen reader reads a field's hint and error through ``aria-describedby``; an id that is
not on the page silently drops them (WCAG 2.1, 1.3.1 and 3.3.1).
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import file_dossier, make_world

pytestmark = pytest.mark.django_db


class References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.described_by: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        self.described_by.extend((values.get("aria-describedby") or "").split())


def dangling(html: str) -> tuple[list[str], int]:
    parser = References()
    parser.feed(html)
    return [ref for ref in parser.described_by if ref not in parser.ids], len(parser.described_by)


def test_sign_up_with_errors() -> None:
    page = Client().post("/accounts/signup/", {"username": "", "phone": "12345"})
    assert page.status_code == 400
    missing, count = dangling(page.content.decode())
    assert count and not missing


def test_verification_upload_of_something_that_is_not_a_pdf() -> None:
    upload = SimpleUploadedFile("ket-qua.pdf", b"not a pdf at all", "application/pdf")
    page = Client().post("/verify/", {"file": upload})
    assert page.status_code == 422  # a clear "not a result of this platform"
    missing, _count = dangling(page.content.decode())
    assert not missing


def test_catalogue_with_a_bad_filter() -> None:
    page = Client().get("/thu-tuc/", {"online_level": "nope", "page": "x"})
    assert page.status_code == 400
    missing, count = dangling(page.content.decode())
    assert count and not missing


def test_rating_without_an_answer() -> None:
    world = make_world()
    dossier = file_dossier(world)
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.RETURNED)
    client = Client()
    client.force_login(world.applicant)
    page = client.post(f"/ho-so/{dossier.code}/danh-gia/", {"comment": "x" * 10})
    assert page.status_code == 400
    missing, _count = dangling(page.content.decode())
    assert not missing


def test_officer_free_pages_of_a_signed_in_citizen() -> None:
    client = Client()
    client.force_login(UserFactory.create())
    for url in ("/ho-so/", "/thanh-toan/cua-toi/", "/verify/"):
        page = client.get(url)
        assert page.status_code == 200, url
        missing, _count = dangling(page.content.decode())
        assert not missing, (url, missing)
