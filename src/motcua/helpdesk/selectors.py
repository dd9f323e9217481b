"""What the help page shows: published topics with their published questions, in order."""

from __future__ import annotations

from django.db.models import Prefetch

from .models import Question, Topic


def help_topics() -> list[Topic]:
    topics = Topic.objects.published().prefetch_related(
        Prefetch("questions", queryset=Question.objects.published(), to_attr="shown_questions")
    )
    return [topic for topic in topics if topic.shown_questions]  # type: ignore[attr-defined]
