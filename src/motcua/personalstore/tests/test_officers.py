"""Officers read a reused document only through its dossier while it is open to them, each read
logged for the owner; an officer verifies an attachment against the original into the store."""

from __future__ import annotations

from motcua.dossiers import checklist
from motcua.dossiers import services as dossier_services
from motcua.dossiers.lifecycle import Transition
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import act
from motcua.dossiers.tests.factories import file_dossier
from motcua.personalstore import services
from motcua.personalstore.models import Purpose, Read, Reuse, Source, StoredDocument

from .conftest import StoreWorld, client_for, later_draft


def _reused_dossier(sw: StoreWorld, stored: StoredDocument) -> Dossier:
    draft = later_draft(sw)
    services.use_in_draft(
        user=sw.world.applicant, draft=draft, component_position=0, document=stored
    )
    return dossier_services.submit(draft=draft, user=sw.world.applicant, form_errors={})


def test_an_officer_reads_a_reused_document_through_its_open_dossier_only(
    sw: StoreWorld, stored: StoredDocument
) -> None:
    dossier = _reused_dossier(sw, stored)
    reuse = Reuse.objects.get(dossier=dossier)
    url = f"/can-bo/ho-so/{dossier.code}/kho/{reuse.pk}/"
    receiver = client_for(sw.world.receiver, officer=True)
    page = receiver.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "Documents given from the applicant" in page and url in page
    response = receiver.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored.file.open("rb").read()  # type: ignore[attr-defined]
    read = Read.objects.get(document=stored, purpose=Purpose.DOSSIER)
    assert read.reader == sw.world.receiver and read.dossier == dossier
    assert read.reader_agency == sw.world.agency

    # another agency's officer, a citizen, the same officer through another dossier: nothing
    assert client_for(sw.world.outsider_officer, officer=True).get(url).status_code == 404
    # a citizen on an officer's address is sent to the second factor, never to the file
    assert client_for(sw.world.applicant).get(url).status_code in (302, 404)
    other = file_dossier(sw.world)
    assert receiver.get(f"/can-bo/ho-so/{other.code}/kho/{reuse.pk}/").status_code == 404
    # without the second factor an officer has a citizen's rights
    assert client_for(sw.world.receiver).get(url).status_code in (302, 404)
    assert Read.objects.filter(purpose=Purpose.DOSSIER).count() == 1

    # the owner sees who read it, for which dossier
    usage = client_for(sw.world.applicant).get("/kho-du-lieu/nhat-ky/").content.decode()
    assert dossier.code in usage and "Read by an officer handling the dossier" in usage

    # once the dossier is closed (here withdrawn), not even its officers
    act(dossier=dossier, user=sw.world.applicant, transition=Transition.WITHDRAW, reason="x")
    assert receiver.get(url).status_code == 404
    assert Read.objects.filter(purpose=Purpose.DOSSIER).count() == 1


def test_an_officer_verifies_an_attachment_into_the_store(sw: StoreWorld) -> None:
    dossier = file_dossier(sw.world)
    attachment = dossier.attachments.get()
    receiver = client_for(sw.world.receiver, officer=True)
    page = receiver.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "Digitisation" in page

    url = f"/can-bo/ho-so/{dossier.code}/so-hoa/"
    refused = receiver.post(
        url, {"attachment": attachment.pk, "document_type": "TO_KHAI", "issued_on": "32/13/2024"}
    )
    assert refused.status_code == 400 and 'value="32/13/2024"' in refused.content.decode()
    no_type = receiver.post(url, {"attachment": attachment.pk, "document_type": ""})
    assert no_type.status_code == 400 and "document-type code" in no_type.content.decode()
    # an outsider officer cannot, and learns nothing
    outsider = client_for(sw.world.outsider_officer, officer=True)
    assert (
        outsider.post(url, {"attachment": attachment.pk, "document_type": "X"}).status_code == 404
    )
    assert not StoredDocument.objects.exists()

    done = receiver.post(
        url,
        {
            "attachment": attachment.pk,
            "document_type": "TO_KHAI",
            "number": "123/2024",
            "issued_on": "2024-03-01",
        },
    )
    assert done.status_code == 302
    document = StoredDocument.objects.get(origin_attachment=attachment)
    assert document.source == Source.VERIFIED
    assert document.owner_user == sw.world.applicant and document.sha256 == attachment.sha256
    assert document.added_by == sw.world.receiver and document.number == "123/2024"
    again = receiver.post(url, {"attachment": attachment.pk, "document_type": "TO_KHAI"})
    assert again.status_code == 400
    assert StoredDocument.objects.count() == 1


def test_the_officers_checklist_counts_a_reused_document_as_received(
    sw: StoreWorld, stored: StoredDocument
) -> None:
    dossier = _reused_dossier(sw, stored)
    rows = checklist.rows(dossier)
    assert rows[0].received and not rows[0].files  # given from the store, nothing uploaded
    assert stored.title in rows[0].provided_by and stored.number in rows[0].provided_by
    assert not rows[1].received  # the optional form was not sent
    desk = client_for(sw.world.receiver, officer=True)
    page = desk.get(f"/can-bo/ho-so/{dossier.code}/")
    table = page.content.decode().split('id="checklist"')[1].split("</table>")[0]
    first, second = table.split("<tbody>")[1].split("</tr>")[:2]
    assert "From the applicant&#x27;s data store" in first and "<strong>No</strong>" not in first
    # The line opens the document through the dossier, as the store's panel does (logged).
    reuse = Reuse.objects.get(dossier=dossier)
    opened = f"/can-bo/ho-so/{dossier.code}/kho/{reuse.pk}/"
    assert f'<a href="{opened}">' in first
    assert desk.get(opened).status_code == 200
    assert "<strong>No</strong>" in second
    # a supplement request asks only for what is really missing
    assert "Giấy khai sinh" not in checklist.supplement_reason(rows)
