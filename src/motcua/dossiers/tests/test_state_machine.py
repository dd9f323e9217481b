"""No sequence of actions reaches a state the lifecycle does not allow, or loses history."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from motcua.dossiers import access, lifecycle, services
from motcua.dossiers.lifecycle import Status, Transition
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World, file_dossier, make_world

ACTORS = ("applicant", "receiver", "processor", "approver", "outsider_officer")


@pytest.mark.django_db
def test_lifecycle_state_machine() -> None:
    world = make_world()

    class DossierMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.world: World = world
            self.dossier: Dossier = file_dossier(world)
            self.status = Status.SUBMITTED
            self.history_length = 1
            self.resume: int | None = None
            self.supplement_requests = 0

        @rule(
            transition=st.sampled_from(list(Transition)),
            who=st.sampled_from(ACTORS),
            reason=st.sampled_from(["", "Lý do cụ thể"]),
            apology=st.sampled_from(["", "Xin lỗi vì yêu cầu lần nữa"]),
        )
        def act(self, transition: str, who: str, reason: str, apology: str) -> None:
            user = getattr(self.world, who)
            spec = lifecycle.RULES.get(transition)
            roles = access.roles_for(user, self.dossier)
            expected_ok = (
                spec is not None
                # Consultations and moved appointments are made by their own services.
                and not spec.made_by
                and self.status in spec.sources
                and bool(spec.actors & roles)
                and (bool(reason) or not spec.reason_required)
                # These need a unit (the one taking over, the competent agency); none is given.
                and transition not in (Transition.HAND_OVER, Transition.GUIDE_ELSEWHERE)
                # One supplement request; another only with the agency's apology.
                and not (
                    transition == Transition.REQUEST_SUPPLEMENT
                    and self.supplement_requests
                    and not apology
                )
            )
            try:
                services.act(
                    dossier=self.dossier,
                    user=user,
                    transition=transition,
                    reason=reason,
                    apology=apology,
                )
            except services.DossierError:
                assert not expected_ok, (transition, who, self.status)
                return
            assert expected_ok, (transition, who, self.status)
            assert spec is not None
            target = spec.target if spec.target is not None else self.resume or Status.PROCESSING
            if target in lifecycle.PAUSED and self.status not in lifecycle.PAUSED:
                self.resume = self.status
            self.status = Status(target)
            self.history_length += 1
            self.supplement_requests += transition == Transition.REQUEST_SUPPLEMENT

        @invariant()
        def matches_the_database(self) -> None:
            stored = Dossier.objects.get(pk=self.dossier.pk)
            assert stored.status == self.status
            events = list(stored.events.order_by("id"))
            assert len(events) == self.history_length
            # The history chains: each event starts where the previous one ended.
            for before, after in itertools.pairwise(events):
                assert after.from_status == before.to_status
            assert events[-1].to_status == stored.status
            assert stored.supplement_requests == self.supplement_requests
            # Only a second or later request carries the apology, and it never pauses the clock.
            if self.supplement_requests > 1 and stored.status == Status.SUPPLEMENT_REQUESTED:
                assert stored.paused_since is None

    DossierMachine.TestCase.settings = settings(
        max_examples=25,
        stateful_step_count=15,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    # Each example files a fresh dossier in the same world.
    DossierMachine.TestCase().runTest()
