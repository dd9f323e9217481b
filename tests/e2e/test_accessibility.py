"""WCAG checks with axe-core on the pages citizens and officers use, at phone and desktop width.

axe-core (bundled by axe-playwright-python) runs inside Chromium on each page, as a browser
extension would; any violation axe rates serious or critical fails the test, named with the
page, the width and the elements concerned.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.tests.factories import UserFactory
from motcua.catalog.models import Procedure
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Transition
from motcua.dossiers.tests.factories import PDF, officer
from motcua.eforms.examples import example_document
from tests.e2e.conftest import CHROMIUM_ARGS  # noqa: F401  (the launch the journeys share)
from tests.e2e.people import PASSWORD, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = {"phone": (360, 740), "desktop": (1280, 900)}
SERIOUS = {"serious", "critical"}


def violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{item['id']} ({item['impact']}): {item['help']} — "
        + "; ".join(" ".join(node["target"]) for node in item["nodes"][:5])
        for item in results.response["violations"]
        if item["impact"] in SERIOUS
    ]


def test_the_main_pages_have_no_serious_accessibility_violation(
    live_server: Any, browser: Any
) -> None:
    call_command("load_demo", stdout=io.StringIO())
    procedure = Procedure.objects.get(code="1.001193")
    ward = procedure.agencies.order_by("code").first()
    assert ward is not None
    citizen = UserFactory.create(full_name="Lê Thị Thu Hà", assurance_level=2)
    citizen.set_password(PASSWORD)
    citizen.save()
    version = procedure.versions.order_by("-number")[0]
    answers = example_document(version.snapshot["cases"][0]["eform"])
    draft = services.start_draft(
        user=citizen, procedure=procedure, acting_for=None, initial=answers
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    for position in range(procedure.cases.all()[0].components.count()):
        services.attach(
            draft=draft,
            user=citizen,
            component_position=position,
            upload=SimpleUploadedFile("giay-to.pdf", PDF, "application/pdf"),
        )
    review_draft = services.start_draft(
        user=citizen, procedure=procedure, acting_for=None, initial=answers
    )
    dossier = services.submit(draft=draft, user=citizen, form_errors={})
    desk = officer(dossier.receiving_agency, "receiver", "processor", "approver", "form_designer")
    desk.set_password(PASSWORD)
    desk.save()
    device = TOTPDevice.objects.create(user=desk, name="phone", confirmed=True)
    services.act(dossier=dossier, user=desk, transition=Transition.ACCEPT)

    base = live_server.url
    public = [
        "/",
        "/thu-tuc/?q=giay+khai+sinh",
        "/thu-tuc/1.001193/",
        "/thu-tuc/1.001193/nop-truc-tuyen/",
        f"/tra-cuu-ho-so/?code={dossier.code}&secret={dossier.lookup_secret}",
        "/co-quan/",
        "/accounts/login/",
    ]
    mine = [
        "/ho-so/",
        f"/ho-so/{dossier.code}/",
        f"/ho-so/nhap/{review_draft.pk}/buoc/0/",
        f"/ho-so/nhap/{review_draft.pk}/hoan-tat/",
    ]
    builder = "/can-bo/bieu-mau/1.001193/0/"
    desks = [
        "/can-bo/ho-so/",
        f"/can-bo/ho-so/{dossier.code}/",
        "/can-bo/bieu-mau/",
        builder,
        builder + "them-truong/?step=0",
        builder + "them-truong/?step=0&kind=computed",
        builder + "dieu-kien/them/?group=&field=gioi_tinh",
        builder + "quy-tac/them/?group=",
        builder + "xem-truoc/?step=0",
    ]
    found: list[str] = []
    for width, (w, h) in WIDTHS.items():
        context = browser.new_context(viewport={"width": w, "height": h}, locale="vi-VN")
        page = context.new_page()
        for path in public:
            page.goto(base + path)
            found += [f"{width} {path}: {v}" for v in violations(page)]
        sign_in(page, base, citizen.username)
        for path in mine:
            response = page.goto(base + path)
            assert response is not None and response.status == 200, path
            found += [f"{width} {path}: {v}" for v in violations(page)]
        context.close()
        context = browser.new_context(viewport={"width": w, "height": h}, locale="vi-VN")
        page = context.new_page()
        sign_in(page, base, desk.username)
        page.goto(base + "/can-bo/ho-so/")
        if page.locator("input[name=token]").count():
            token = totp(device.bin_key, step=device.step, digits=device.digits)
            page.fill("input[name=token]", f"{token:06d}")
            with page.expect_navigation():
                page.locator("form button[type=submit]").last.click()
        for path in desks:
            response = page.goto(base + path)
            assert response is not None and response.status == 200, path
            found += [f"{width} {path}: {v}" for v in violations(page)]
        context.close()
    assert found == [], "\n".join(found)


def test_a_refused_step_shows_one_error_summary_and_moves_focus_to_it(
    live_server: Any, page: Any
) -> None:
    """Without JavaScript too: the summary is focused by the page itself (``autofocus``)."""
    call_command("load_demo", stdout=io.StringIO())
    citizen = UserFactory.create(full_name="Lê Thị Thu Hà", assurance_level=2)
    citizen.set_password(PASSWORD)
    citizen.save()
    procedure = Procedure.objects.get(code="1.001193")
    draft = services.start_draft(user=citizen, procedure=procedure, acting_for=None)
    sign_in(page, live_server.url, citizen.username)
    page.goto(f"{live_server.url}/ho-so/nhap/{draft.pk}/buoc/0/")
    with page.expect_navigation():
        page.locator("button[value=next]").click()  # every required answer left empty
    assert page.locator(".error-summary").count() == 1
    focused = page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert focused
