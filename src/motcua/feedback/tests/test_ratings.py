"""Satisfaction ratings: the applicant of a returned dossier rates it, once; nobody else."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import World, file_dossier, make_world
from motcua.feedback import services
from motcua.feedback.models import Question, Rating, Satisfaction
from motcua.feedback.selectors import satisfaction_by_agency

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def world() -> World:
    return make_world()


def _returned(world: World) -> Dossier:
    dossier = file_dossier(world)
    # The path to status 10 is the dossier app's business; here only its end matters.
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.RETURNED)
    dossier.refresh_from_db()
    return dossier


def test_the_applicant_rates_a_returned_dossier_once(world: World) -> None:
    dossier = _returned(world)
    assert services.can_rate(world.applicant, dossier)
    rating = services.rate(
        dossier=dossier, user=world.applicant, value=Satisfaction.SATISFIED, comment=" Nhanh "
    )
    assert (rating.agency, rating.comment) == (world.agency, "Nhanh")
    assert not services.can_rate(world.applicant, dossier)
    with pytest.raises(services.RatingError, match="already been rated"):
        services.rate(dossier=dossier, user=world.applicant, value=Satisfaction.DISSATISFIED)
    assert Rating.objects.get().value == Satisfaction.SATISFIED


def test_a_dossier_not_yet_returned_or_someone_else_cannot_rate(world: World) -> None:
    in_progress = file_dossier(world)
    with pytest.raises(services.RatingError, match="returned"):
        services.rate(dossier=in_progress, user=world.applicant, value=Satisfaction.NORMAL)
    dossier = _returned(world)
    for stranger in (UserFactory.create(), world.receiver):
        with pytest.raises(services.RatingError, match="Only the applicant"):
            services.rate(dossier=dossier, user=stranger, value=Satisfaction.NORMAL)
    with pytest.raises(services.RatingError, match="Choose"):
        services.rate(dossier=dossier, user=world.applicant, value=7)
    assert not Rating.objects.exists()


def test_the_page_form_records_a_rating_and_keeps_a_bad_answer(world: World) -> None:
    dossier = _returned(world)
    client = Client()
    client.force_login(world.applicant)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("dossiers:detail", args=[dossier.code]))
    assert b"Rate the service" in page.content
    url = reverse("feedback:rate", args=[dossier.code])
    bad = client.post(url, {"comment": "Thiếu lựa chọn"})
    assert bad.status_code == 400
    assert "Thiếu lựa chọn" in bad.content.decode()
    assert not Rating.objects.exists()
    criteria = {f"q_{code}": "3" for code in Question.values}
    # Every criterion of the index's survey is asked, not the overall score alone.
    partial = client.post(url, {"value": "1", "comment": "Chậm"})
    assert partial.status_code == 400 and "Chậm" in partial.content.decode()
    done = client.post(url, {**criteria, "q_timeliness": "1", "value": "1", "comment": "Chậm"})
    assert done.status_code == 302
    rating = Rating.objects.get()
    assert rating.value == Satisfaction.DISSATISFIED
    assert dict(rating.answers.values_list("question", "value")) == {
        **dict.fromkeys(Question.values, 3),
        "timeliness": 1,
    }
    again = client.post(url, {**criteria, "value": "3"})
    assert again.status_code == 400 and b"already been rated" in again.content
    page = client.get(reverse("dossiers:detail", args=[dossier.code]))
    assert b"Your rating" in page.content and b"Dissatisfied" in page.content


def test_another_citizen_gets_404(world: World) -> None:
    dossier = _returned(world)
    client = Client()
    client.force_login(UserFactory.create())
    response = client.post(reverse("feedback:rate", args=[dossier.code]), {"value": "3"})
    assert response.status_code == 404
    assert not Rating.objects.exists()


def test_figures_by_agency(world: World) -> None:
    for value in (Satisfaction.SATISFIED, Satisfaction.SATISFIED, Satisfaction.DISSATISFIED):
        services.rate(dossier=_returned(world), user=world.applicant, value=value)
    [figures] = satisfaction_by_agency()
    assert (figures.agency_id, figures.satisfied, figures.normal, figures.dissatisfied) == (
        world.agency.pk,
        2,
        0,
        1,
    )
    assert figures.satisfied_share == pytest.approx(2 / 3)


def test_the_criteria_are_all_or_none_and_old_ratings_stay_valid(world: World) -> None:
    from motcua.feedback.selectors import ratings_summary

    old = services.rate(dossier=_returned(world), user=world.applicant, value=3)  # no criteria
    with pytest.raises(services.RatingError, match="every question"):
        services.rate(
            dossier=_returned(world), user=world.applicant, value=2, answers={"access": 3}
        )
    services.rate(
        dossier=_returned(world),
        user=world.applicant,
        value=2,
        answers={**dict.fromkeys(Question.values, 3), "officers": 1},
    )
    assert not old.answers.exists()
    import datetime

    now = datetime.datetime.now(datetime.UTC)
    summary = ratings_summary(now - datetime.timedelta(days=1), now + datetime.timedelta(days=1))
    assert (summary["total"], summary["satisfied"], summary["normal"]) == (2, 1, 1)
    assert summary["by_question"]["officers"] == {
        "answers": 1,
        "satisfied_share": 0.0,
        "dissatisfied_share": 1.0,
    }
    assert summary["by_question"]["access"]["satisfied_share"] == 1.0
