"""A form being built: the working copy of a case's e-form until its author publishes it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import ProcedureCase


class FormDraft(models.Model):
    """One draft per case. Publishing writes it to the case and records a procedure version;
    dossiers already filed keep the version (and the form) they were filed under."""

    case = models.OneToOneField(
        ProcedureCase, on_delete=models.CASCADE, related_name="form_draft", verbose_name=_("case")
    )
    schema = models.JSONField(_("e-form being built"), default=dict)
    # The form as it was when the draft was opened: publishing over someone else's change
    # in between is refused rather than silently undoing it.
    base_schema = models.JSONField(_("e-form when the draft was opened"), default=dict)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        verbose_name = _("e-form draft")
        verbose_name_plural = _("e-form drafts")

    def __str__(self) -> str:
        return f"{self.case.procedure.code} · {self.case.name}"
