"""A small world for dossier tests: an agency with officers, a procedure, an applicant."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from motcua.accounts.models import AgencyMembership, User
from motcua.accounts.second_factor import set_verified
from motcua.accounts.tests.factories import UserFactory
from motcua.agencies.models import Agency
from motcua.agencies.tests.factories import AgencyFactory
from motcua.catalog import services as catalog_services
from motcua.catalog.models import Component, Procedure
from motcua.catalog.tests.factories import make_procedure
from motcua.dossiers import services
from motcua.dossiers.models import Dossier

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32 + b"IEND\xaeB`\x82"


def pdf(name: str = "giay-to.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/pdf")


@dataclass
class World:
    agency: Agency
    other_agency: Agency
    procedure: Procedure
    applicant: User
    receiver: User
    processor: User
    approver: User
    outsider_officer: User


def officer(agency: Agency, *roles: str) -> User:
    """An officer as services see them in a session that passed the second factor (web tests
    sign in through their own client, which does not carry this)."""
    user = UserFactory.create()
    for role in roles:
        AgencyMembership.objects.create(user=user, agency=agency, role=role)
    set_verified(user, True)
    return user


def make_world() -> World:
    agency = AgencyFactory.create(code="H17.02", name="Sở Tư pháp")
    other = AgencyFactory.create(code="H17.03", name="Sở Xây dựng")
    procedure = make_procedure(code="2.000488", name="Cấp Phiếu lý lịch tư pháp", agencies=[agency])
    case = procedure.cases.get()
    Component.objects.create(case=case, position=0, name="Tờ khai", mandatory=True)
    Component.objects.create(case=case, position=1, name="Giấy ủy quyền", mandatory=False)
    catalog_services.record_version(procedure=procedure, actor=None, note="components")
    return World(
        agency=agency,
        other_agency=other,
        procedure=procedure,
        applicant=UserFactory.create(),
        receiver=officer(agency, "receiver"),
        processor=officer(agency, "processor"),
        approver=officer(agency, "approver"),
        outsider_officer=officer(other, "receiver", "processor", "approver"),
    )


def file_dossier(world: World, applicant: User | None = None) -> Dossier:
    who = applicant or world.applicant
    draft = services.start_draft(user=who, procedure=world.procedure, acting_for=None)
    services.save_draft(draft=draft, user=who, values={"ho_ten": "Nguyễn Văn An"})
    services.attach(draft=draft, user=who, component_position=0, upload=pdf())
    return services.submit(draft=draft, user=who, form_errors={})


def bearer(user: User, scope: str = "read write") -> Any:
    """Request headers with a new OAuth2 bearer token of ``user`` (an app's own client)."""
    app = Application.objects.create(
        name="app",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="vn.motcua.app://callback",
    )
    token = AccessToken.objects.create(
        user=user,
        application=app,
        token=f"bearer-{user.pk}-{app.pk}-{scope.replace(' ', '-')}",
        scope=scope,
        expires=timezone.now() + datetime.timedelta(hours=1),
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {token.token}"}
