"""Help content: questions and answers grouped by topic, in the order the admin sets."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def published(self) -> PublishedQuerySet:
        return self.filter(published=True)


class Topic(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("anchor"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    published = models.BooleanField(_("published"), default=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        verbose_name = _("help topic")
        verbose_name_plural = _("help topics")
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="questions"
    )
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    published = models.BooleanField(_("published"), default=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        verbose_name = _("question and answer")
        verbose_name_plural = _("questions and answers")
        ordering = ["topic", "order", "pk"]

    def __str__(self) -> str:
        return self.question
