"""A second dossier reuses a document from the citizen's data store, in a real browser on a
phone-sized screen, without JavaScript doing any of it: the result of a first procedure is
offered, previewed and used for another procedure instead of an upload (issue 14)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from motcua.catalog import services as catalog_services
from motcua.catalog.models import Component
from motcua.catalog.tests.factories import make_procedure
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import make_world
from motcua.personalstore.models import Purpose, Read, ResultType, Reuse, StoredDocument
from motcua.personalstore.tests.conftest import BIRTH_EXTRACT, returned_dossier
from tests.e2e.people import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_second_dossier_reuses_the_first_ones_result(live_server: Any, page: Any) -> None:
    world = make_world()
    ResultType.objects.create(
        procedure=world.procedure, document_type=BIRTH_EXTRACT, title="Trích lục khai sinh"
    )
    # Signing runs its own event loop: outside Playwright's, in a thread of its own.
    done: list[Dossier] = []
    signer = threading.Thread(target=lambda: done.append(returned_dossier(world)))
    signer.start()
    signer.join()
    first = done[0]  # its signed result is now in the citizen's store
    stored = StoredDocument.objects.get(origin_result__dossier=first)
    later = make_procedure(
        code="1.004859", name="Đăng ký thay đổi, cải chính hộ tịch", agencies=[world.agency]
    )
    Component.objects.create(
        case=later.cases.get(),
        position=0,
        name="Giấy khai sinh",
        mandatory=True,
        document_type=BIRTH_EXTRACT,
    )
    catalog_services.record_version(procedure=later, actor=None, note="components")
    base = live_server.url

    sign_in(page, base, world.applicant.username)
    page.goto(base + "/kho-du-lieu/")
    assert stored.number in page.inner_text("main")  # the store lists the result

    page.goto(base + "/thu-tuc/1.004859/nop-truc-tuyen/")
    page.locator("form[action$='/ho-so/nop/1.004859/'] button").click()
    page.fill("input[name=ho_ten]", "Nguyễn Văn An")
    page.fill("input[name=ngay_sinh]", "1990-01-02")
    page.locator("button[value=next]").click()
    # the review page offers the stored extract instead of an upload; preview it first
    page.locator("a[href$='/kho/0/']").click()
    assert stored.sha256 in page.inner_text("main")
    # The checksum wraps: the preview does not scroll sideways on a phone (WCAG 1.4.10).
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("form:has(input[name=document]) button[type=submit]").first.click()
    assert page.url.endswith("/hoan-tat/")
    assert stored.title in page.inner_text("main")
    page.locator("#id_declared").check()
    page.locator("button[value=submit]").click()

    dossier = Dossier.objects.get(procedure=later)
    assert page.url.endswith(f"/ho-so/{dossier.code}/")
    assert not dossier.attachments.exists()  # nothing was uploaded
    assert Reuse.objects.get(dossier=dossier).document == stored
    assert Read.objects.filter(document=stored, purpose=Purpose.PREVIEW).exists()
    assert Read.objects.get(document=stored, purpose=Purpose.FILING).dossier == dossier
