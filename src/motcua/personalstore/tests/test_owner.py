"""The owner's store: pages, API, share links, hiding, the "who used my data" log; a citizen
never reaches another's store; a business's members act for it by their role."""

from __future__ import annotations

import datetime

from django.test import Client
from django.utils import timezone

from motcua.accounts.models import Business, BusinessMembership, BusinessRole, User
from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers.tests.factories import bearer
from motcua.personalstore.models import Purpose, Read, ShareLink, StoredDocument

from .conftest import StoreWorld, client_for, stranger


def _body(response: object) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_the_owner_sees_downloads_and_the_read_is_logged(
    sw: StoreWorld, stored: StoredDocument
) -> None:
    client = client_for(sw.world.applicant)
    listing = client.get("/kho-du-lieu/").content.decode()
    assert stored.title in listing and stored.number in listing
    page = client.get(f"/kho-du-lieu/{stored.pk}/")
    assert page.status_code == 200 and stored.sha256 in page.content.decode()
    download = client.get(f"/kho-du-lieu/{stored.pk}/tai-ve/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Cache-Control"] == "private, no-store"
    assert _body(download) == stored.file.open("rb").read()
    assert Read.objects.filter(document=stored, purpose=Purpose.OWNER).count() == 2
    usage = client.get("/kho-du-lieu/nhat-ky/").content.decode()
    assert "Viewed or downloaded by the owner" in usage


def test_a_citizen_never_reaches_anothers_store(sw: StoreWorld, stored: StoredDocument) -> None:
    other = client_for(stranger())
    assert stored.title not in other.get("/kho-du-lieu/").content.decode()
    for url in (f"/kho-du-lieu/{stored.pk}/", f"/kho-du-lieu/{stored.pk}/tai-ve/"):
        assert other.get(url).status_code == 404
    for url, data in (
        (f"/kho-du-lieu/{stored.pk}/an/", {"hidden": "1"}),
        (f"/kho-du-lieu/{stored.pk}/chia-se/", {"hours": "5"}),
    ):
        assert other.post(url, data).status_code == 404
    assert not ShareLink.objects.exists()
    stored.refresh_from_db()
    assert not stored.is_hidden
    # the log of the owner is not the stranger's
    assert stored.title not in other.get("/kho-du-lieu/nhat-ky/").content.decode()
    # anonymous: sign in first
    assert Client().get("/kho-du-lieu/").status_code == 302


def test_the_api_for_the_owner_only(sw: StoreWorld, stored: StoredDocument) -> None:
    mine = Client(**bearer(sw.world.applicant))
    listing = mine.get("/api/v1/me/documents/").json()
    assert listing["count"] == 1
    assert listing["results"][0]["sha256"] == stored.sha256
    assert listing["results"][0]["usable"] is True
    shown = mine.get(f"/api/v1/me/documents/{stored.pk}/")
    assert shown.status_code == 200 and shown.json()["data"]["ho_ten"] == "Nguyễn Văn An"
    download = mine.get(f"/api/v1/me/documents/{stored.pk}/download/")
    assert download.status_code == 200 and _body(download) == stored.file.open("rb").read()
    assert Read.objects.filter(document=stored, channel="api").count() == 2
    share = mine.post(
        f"/api/v1/me/documents/{stored.pk}/share/", {"hours": 2}, content_type="application/json"
    )
    assert share.status_code == 201 and "/chia-se/" in share.json()["url"]
    too_long = mine.post(
        f"/api/v1/me/documents/{stored.pk}/share/",
        {"hours": 100000},
        content_type="application/json",
    )
    assert too_long.status_code == 400
    hide = mine.post(
        f"/api/v1/me/documents/{stored.pk}/hide/", {"hidden": True}, content_type="application/json"
    )
    assert hide.status_code == 200 and hide.json()["hidden"] is True
    bad = mine.post(
        f"/api/v1/me/documents/{stored.pk}/hide/", {"hidden": "x"}, content_type="application/json"
    )
    assert bad.status_code == 400

    theirs = Client(**bearer(stranger()))
    assert theirs.get("/api/v1/me/documents/").json()["count"] == 0
    for suffix in ("", "download/"):
        assert theirs.get(f"/api/v1/me/documents/{stored.pk}/{suffix}").status_code == 404
    for suffix, data in (("share/", {"hours": 2}), ("hide/", {"hidden": False})):
        response = theirs.post(
            f"/api/v1/me/documents/{stored.pk}/{suffix}", data, content_type="application/json"
        )
        assert response.status_code == 404
    # a read-only token reads but does not share
    reader = Client(**bearer(sw.world.applicant, scope="read"))
    assert reader.get("/api/v1/me/documents/").status_code == 200
    refused = reader.post(
        f"/api/v1/me/documents/{stored.pk}/share/", {"hours": 2}, content_type="application/json"
    )
    assert refused.status_code == 403


def test_a_share_link_works_until_withdrawn_or_expired(
    sw: StoreWorld, stored: StoredDocument
) -> None:
    owner = client_for(sw.world.applicant)
    made = owner.post(f"/kho-du-lieu/{stored.pk}/chia-se/", {"hours": "3", "note": "ngân hàng"})
    assert made.status_code == 302
    link = ShareLink.objects.get(document=stored)
    assert link.expires_at - link.created_at == datetime.timedelta(hours=3)
    anyone = Client()
    anyone.cookies["django_language"] = "en"
    page = anyone.get(f"/chia-se/{link.token}/")
    assert page.status_code == 200 and stored.title in page.content.decode()
    download = anyone.get(f"/chia-se/{link.token}/tai-ve/")
    assert download.status_code == 200 and _body(download) == stored.file.open("rb").read()
    read = Read.objects.get(document=stored, purpose=Purpose.SHARE_LINK)
    assert read.share_link == link and read.reader is None

    owner.post(f"/kho-du-lieu/{stored.pk}/chia-se/{link.pk}/thu-hoi/")
    for url in (f"/chia-se/{link.token}/", f"/chia-se/{link.token}/tai-ve/"):
        gone = anyone.get(url)
        assert gone.status_code == 410 and "withdrew this link" in gone.content.decode()

    owner.post(f"/kho-du-lieu/{stored.pk}/chia-se/", {"hours": "1"})
    second = ShareLink.objects.filter(withdrawn_at__isnull=True).get()
    ShareLink.objects.filter(pk=second.pk).update(expires_at=timezone.now())
    expired = anyone.get(f"/chia-se/{second.token}/tai-ve/")
    assert expired.status_code == 410 and "has expired" in expired.content.decode()
    assert anyone.get("/chia-se/no-such-token/").status_code == 404
    assert Read.objects.filter(purpose=Purpose.SHARE_LINK).count() == 1


def test_a_share_link_refuses_bad_input_keeping_it(sw: StoreWorld, stored: StoredDocument) -> None:
    owner = client_for(sw.world.applicant)
    for hours in ("abc", "0", "100000"):
        response = owner.post(f"/kho-du-lieu/{stored.pk}/chia-se/", {"hours": hours, "note": "x"})
        assert response.status_code == 400
        assert f'value="{hours}"' in response.content.decode()
    assert not ShareLink.objects.exists()


def test_another_citizen_cannot_withdraw_a_link(sw: StoreWorld, stored: StoredDocument) -> None:
    client_for(sw.world.applicant).post(f"/kho-du-lieu/{stored.pk}/chia-se/", {"hours": "3"})
    link = ShareLink.objects.get()
    response = client_for(stranger()).post(f"/kho-du-lieu/{stored.pk}/chia-se/{link.pk}/thu-hoi/")
    assert response.status_code == 404
    link.refresh_from_db()
    assert link.is_live


def business_store(
    tax_code: str, like: StoredDocument | None = None
) -> tuple[Business, User, User, BusinessMembership, StoredDocument]:
    """A business with its legal representative and a staff member, and one document in its
    store (with ``like``'s file when given)."""
    business = Business.objects.create(
        tax_code=tax_code, name=f"Công ty {tax_code}", representative_name="Trần Thị B"
    )
    representative, staff = UserFactory.create(), UserFactory.create()
    BusinessMembership.objects.create(
        business=business, user=representative, role=BusinessRole.LEGAL_REPRESENTATIVE
    )
    membership = BusinessMembership.objects.create(
        business=business, user=staff, role=BusinessRole.AUTHORISED_STAFF
    )
    document = StoredDocument.objects.create(
        owner_user=representative,
        owner_business=business,
        document_type="GCN_DKDN",
        title="Giấy chứng nhận đăng ký doanh nghiệp",
        issuer="Sở Tài chính",
        issued_on=datetime.date(2024, 1, 2),
        source="national",
        content_type="application/pdf",
        size=like.size if like else 0,
        sha256=like.sha256 if like else "0" * 64,
    )
    if like is not None:
        document.file.name = like.file.name
        document.save()
    return business, representative, staff, membership, document


def test_a_business_store_by_role(sw: StoreWorld) -> None:
    business, representative, staff, membership, document = business_store("0401234567")

    def acting(user: object) -> Client:
        client = client_for(user)  # type: ignore[arg-type]
        session = client.session
        session["acting_business_id"] = business.pk
        session.save()
        return client

    staff_client = acting(staff)
    assert staff_client.get(f"/kho-du-lieu/{document.pk}/").status_code == 200
    assert staff_client.post(f"/kho-du-lieu/{document.pk}/an/").status_code == 404
    assert acting(representative).post(f"/kho-du-lieu/{document.pk}/an/").status_code == 302
    # the representative's own (personal) store does not hold the business's document
    assert client_for(representative).get(f"/kho-du-lieu/{document.pk}/").status_code == 404
    # revoked: the store is out of reach at the next request
    membership.revoked_at = timezone.now()
    membership.save()
    assert staff_client.get(f"/kho-du-lieu/{document.pk}/").status_code == 404


def test_the_api_reaches_the_store_of_a_business_the_person_acts_for(
    sw: StoreWorld, stored: StoredDocument
) -> None:
    business, representative, staff, membership, document = business_store("0401234568", stored)
    other_business = Business.objects.create(
        tax_code="0401234569", name="Công ty khác", representative_name="Phạm D"
    )
    owner = f"business:{business.pk}"
    base = "/api/v1/me/documents/"

    staff_api = Client(**bearer(staff))
    # their own store does not list the business's document, the business's does
    assert staff_api.get(base).json()["count"] == 0
    listing = staff_api.get(base, {"owner": owner}).json()
    assert [row["id"] for row in listing["results"]] == [document.pk]
    assert listing["results"][0]["owner"] == owner
    assert listing["results"][0]["download"].endswith(f"/download/?owner={owner}")
    assert staff_api.get(f"{base}{document.pk}/", {"owner": owner}).status_code == 200
    assert staff_api.get(f"{base}{document.pk}/").status_code == 404  # not in their own store
    download = staff_api.get(f"{base}{document.pk}/download/?owner={owner}")
    assert download.status_code == 200 and _body(download) == stored.file.open("rb").read()
    assert Read.objects.filter(document=document, reader=staff, channel="api").count() == 2
    # a member reads; only the legal representative hides and shares
    hide = f"{base}{document.pk}/hide/?owner={owner}"
    share = f"{base}{document.pk}/share/?owner={owner}"
    assert (
        staff_api.post(hide, {"hidden": True}, content_type="application/json").status_code == 404
    )
    assert staff_api.post(share, {"hours": 2}, content_type="application/json").status_code == 404
    representative_api = Client(**bearer(representative))
    hidden = representative_api.post(hide, {"hidden": True}, content_type="application/json")
    assert hidden.status_code == 200 and hidden.json()["hidden"] is True
    shared = representative_api.post(share, {"hours": 2}, content_type="application/json")
    assert shared.status_code == 201

    # a person who is not a member, a business that does not exist, another business: 404
    for client, value in (
        (Client(**bearer(stranger())), owner),
        (Client(**bearer(sw.world.applicant)), owner),
        (staff_api, f"business:{other_business.pk}"),
        (staff_api, "business:999999999"),
    ):
        assert client.get(base, {"owner": value}).status_code == 404
        assert client.get(f"{base}{document.pk}/", {"owner": value}).status_code == 404
        assert client.get(f"{base}{document.pk}/download/", {"owner": value}).status_code == 404
        refused = client.post(
            f"{base}{document.pk}/hide/?owner={value}",
            {"hidden": False},
            content_type="application/json",
        )
        assert refused.status_code == 404
    document.refresh_from_db()
    assert document.is_hidden  # nobody outside changed it
    # a malformed owner is a clear 400
    for value in ("business:", "business:x", "someone", "business:١٢", "business:" + "9" * 30):
        answer = staff_api.get(base, {"owner": value})
        assert answer.status_code == 400 and "owner" in answer.json()
    # a revoked role: out of reach at the next request
    membership.revoked_at = timezone.now()
    membership.save()
    assert staff_api.get(base, {"owner": owner}).status_code == 404


def test_the_owner_parameter_is_in_the_openapi_schema(db: None) -> None:
    schema = Client().get("/api/v1/schema/", {"format": "json"}).json()
    checked = 0
    for path, methods in schema["paths"].items():
        if not path.startswith("/api/v1/me/documents/"):
            continue
        for method, operation in methods.items():
            names = [parameter["name"] for parameter in operation.get("parameters", [])]
            assert "owner" in names, (path, method)
            checked += 1
    assert checked == 5  # list, show, download, share, hide
    listed = schema["components"]["schemas"]["Document"]["properties"]
    assert "owner" in listed
