from __future__ import annotations

from motcua.dossiers import services as dossier_services
from motcua.dossiers.lifecycle import Transition
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World, file_dossier


def accept_and_process(world: World, dossier: Dossier) -> Dossier:
    """Filed (1) → accepted (2) → processing (4) → supplement asked (5) → back (4)."""
    dossier = dossier_services.act(
        dossier=dossier, user=world.receiver, transition=Transition.ACCEPT
    )
    dossier = dossier_services.act(
        dossier=dossier, user=world.receiver, transition=Transition.FORWARD
    )
    dossier = dossier_services.act(
        dossier=dossier,
        user=world.processor,
        transition=Transition.REQUEST_SUPPLEMENT,
        reason="Thiếu bản sao giấy khai sinh",
    )
    return dossier_services.act(
        dossier=dossier, user=world.applicant, transition=Transition.SUPPLEMENT
    )


def filed(world: World) -> Dossier:
    return file_dossier(world)
