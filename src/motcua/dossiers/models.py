"""Dossiers (hồ sơ), their drafts, attachments, history and code counters (DOMAIN.md §4–5)."""

from __future__ import annotations

import datetime
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Business
from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure, ProcedureVersion, StepRole
from motcua.catalog.rules import CaseRules

from .lifecycle import Status, Transition, national_code


class Channel(models.IntegerChoices):
    IN_PERSON = 1, _("In person")
    ONLINE = 2, _("Online")
    POST = 3, _("By post")


class Delivery(models.TextChoices):
    """How the applicant receives the result, chosen before submitting."""

    ONLINE = "online", _("Online, on this portal")
    POST = "post", _("By post to an address")
    COUNTER = "counter", _("At the agency's counter")


class DossierDraft(models.Model):
    """A dossier being prepared: saved at every step, resumable on any device."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dossier_drafts"
    )
    on_behalf_of = models.ForeignKey(
        Business, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")
    case_position = models.PositiveSmallIntegerField(default=0)
    receiving_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    step = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("draft dossier")
        verbose_name_plural = _("draft dossiers")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.procedure.code} draft #{self.pk}"


class Dossier(models.Model):
    """Hồ sơ: filed under one version of a procedure; its status follows ``lifecycle``."""

    code = models.CharField(_("dossier code"), max_length=40, unique=True)
    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("procedure")
    )
    # The exact rules it was filed under (later edits of the procedure do not change them).
    procedure_version = models.ForeignKey(
        ProcedureVersion, on_delete=models.PROTECT, related_name="+"
    )
    case_position = models.PositiveSmallIntegerField(default=0)
    case_name = models.CharField(_("case"), max_length=500)
    # Not indexed alone: the (applicant, -submitted_at) index below leads with it.
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("applicant"),
        db_index=False,
    )
    on_behalf_of = models.ForeignKey(
        Business,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("on behalf of"),
    )
    # Not indexed alone: the (receiving_agency, status) index below leads with it.
    receiving_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="received_dossiers",
        verbose_name=_("receiving agency"),
        db_index=False,
    )
    processing_unit = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="processing_dossiers",
        verbose_name=_("processing unit"),
    )
    channel = models.PositiveSmallIntegerField(
        _("channel"), choices=Channel.choices, default=Channel.ONLINE
    )
    # Not indexed alone: the (status, due_at) index below leads with it.
    status = models.PositiveSmallIntegerField(
        _("status"), choices=Status.choices, default=Status.SUBMITTED
    )
    form_data = models.JSONField(_("form"), default=dict)
    lookup_secret = models.CharField(max_length=16)
    draft = models.OneToOneField(
        DossierDraft, on_delete=models.SET_NULL, null=True, blank=True, related_name="dossier"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # The appointment of the receipt (form 01), moved only by paused time: the legal one for
    # lateness. A sent apology (form 04) promises ``apology_due_at`` beside it, never instead.
    due_at = models.DateTimeField(_("appointment date"), null=True, blank=True)
    apology_due_at = models.DateTimeField(
        _("new appointment (apology letter)"), null=True, blank=True
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    due_soon_flagged_at = models.DateTimeField(null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)
    paused_since = models.DateTimeField(null=True, blank=True)
    resume_status = models.PositiveSmallIntegerField(null=True, blank=True)
    supplement_requests = models.PositiveSmallIntegerField(default=0)
    # The client's ``Idempotency-Key`` of a dossier filed in one API call: a retried request
    # with the same key gets this dossier back instead of a second one.
    idempotency_key = models.CharField(max_length=64, blank=True, default="")
    delivery = models.CharField(
        _("result delivery"), max_length=8, choices=Delivery.choices, default=Delivery.ONLINE
    )
    delivery_address = models.CharField(_("postal address"), max_length=500, blank=True)
    # When the applicant ticked the declaration that what they wrote is true (the web form
    # asks it; None for a dossier filed through the API without it).
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="dossier_idempotency_key_per_applicant",
            ),
        ]
        indexes = [
            models.Index(fields=["receiving_agency", "status"]),
            models.Index(fields=["applicant", "-submitted_at"]),
            models.Index(fields=["status", "due_at"]),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("dossiers:detail", kwargs={"code": self.code})

    @cached_property
    def rules(self) -> CaseRules:
        """The rules it was filed under, typed; built once per instance (they never change:
        the version is immutable and the dossier keeps its version and case)."""
        found = CaseRules.from_snapshot(self.procedure_version.snapshot, self.case_position)
        return found if found is not None else CaseRules()

    @property
    def national_status(self) -> int:
        """The status code synchronised with the national portal (``lifecycle.national_code``)."""
        return national_code(self.status)

    @property
    def supplement_requested_more_than_once(self) -> bool:
        """One request is the rule; a second makes the dossier late (DOMAIN.md §4, §9)."""
        return self.supplement_requests > 1

    def is_late(self, now: datetime.datetime | None = None) -> bool:
        """Late for the service-quality index (Decision 766/QĐ-TTg; DOMAIN.md §4, §9).

        Finished (or, still open, now) after the first appointment with paused time added back
        (``due_at``; an apology's new date does not excuse), or supplement requested more than
        once. ``selectors.late`` is the same rule for a query.
        """
        if self.supplement_requested_more_than_once:
            return True
        if self.due_at is None:
            return False
        return (self.finished_at or now or timezone.now()) > self.due_at


def attachment_path(instance: Attachment, filename: str) -> str:
    # Never the uploaded name: it can hold anything. The checksum names the content.
    return f"dossiers/{timezone.now():%Y/%m}/{instance.sha256}"


class Attachment(models.Model):
    """A file for one dossier component, checked by content, with its SHA-256."""

    draft = models.ForeignKey(
        DossierDraft, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    component_position = models.PositiveSmallIntegerField()
    # For a component asked once per row of an e-form's repeating group: which row (from 0).
    row = models.PositiveSmallIntegerField(null=True, blank=True)
    component_name = models.CharField(max_length=500)
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    for_supplement = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["component_position", "uploaded_at"]

    def __str__(self) -> str:
        return f"{self.component_name}: {self.original_name}"


class DossierEvent(models.Model):
    """One line of the dossier's history (and of its control sheet, form 06). Never edited."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    transition = models.CharField(_("action"), max_length=32, choices=Transition.choices)
    from_status = models.PositiveSmallIntegerField(choices=Status.choices, null=True)
    to_status = models.PositiveSmallIntegerField(choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_role = models.CharField(max_length=32)
    on_behalf_of = models.ForeignKey(
        Business, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_unit = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_unit = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    # The agency's apology that a second supplement request must carry (DOMAIN.md §4).
    apology = models.TextField(_("apology"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier history")
        ordering = ["dossier", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.transition}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Dossier history is never changed.")
        super().save(*args, **kwargs)


class Consultation(models.Model):
    """Liên thông: the lead agency asks a coordinating agency for its part (DOMAIN.md §4.5).

    Each part has its own time slice inside the dossier's time limit; the answer comes back
    to the lead agency, which decides.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="consultations")
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    coordinating_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("coordinating agency"),
    )
    part = models.TextField(_("what is asked"))
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_at = models.DateTimeField(_("due"))
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("inter-agency consultation")
        verbose_name_plural = _("inter-agency consultations")
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier.code} → {self.coordinating_agency.code}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class ApologyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")


class ApologyLetter(models.Model):
    """Form 04: apology with the reason and a new appointment date (DOMAIN.md §4.8).

    Drafted by the deadline sweep for a dossier that is late or cannot finish its remaining
    steps in time; an officer completes the reason and sends it. Sending sets the dossier's
    ``apology_due_at``; it still counts as late against its first appointment (``due_at``).
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="apologies")
    previous_due_at = models.DateTimeField(_("previous appointment"))
    proposed_due_at = models.DateTimeField(_("new appointment"))
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(
        max_length=8, choices=ApologyStatus.choices, default=ApologyStatus.DRAFT
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("apology letter (form 04)")
        verbose_name_plural = _("apology letters (form 04)")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.dossier.code} → {self.proposed_due_at:%Y-%m-%d}"


class DossierCounter(models.Model):
    """The day's last number per receiving agency (DOMAIN.md §5)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="one_counter_per_agency_day")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last}"


class DossierStep(models.Model):
    """One processing step of an accepted dossier with its own deadline (DOMAIN.md §6).

    Planned at acceptance from the case's steps (each takes its duration, in the case's unit,
    after the previous one); paused time moves the open steps as it moves the appointment.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("step"), max_length=255)
    role = models.CharField(_("role"), max_length=16)
    due_at = models.DateTimeField(_("step due"))
    finished_at = models.DateTimeField(_("step finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("processing step")
        verbose_name_plural = _("processing steps")
        ordering = ["dossier", "position"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "position"], name="one_step_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} #{self.position} {self.name}"

    @property
    def is_late(self) -> bool:
        return (self.finished_at or timezone.now()) > self.due_at

    @property
    def role_label(self) -> str:
        return str(StepRole(self.role).label) if self.role in StepRole.values else self.role


class ComponentCheck(models.Model):
    """The receiving officer's check of one document of a dossier (thành phần hồ sơ): valid
    (hợp lệ) and digitised (đã số hóa). One row per component, changed as the check goes on;
    who checked last and when is kept on it."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="component_checks")
    component_position = models.PositiveSmallIntegerField()
    valid = models.BooleanField(_("valid"), default=False)
    digitised = models.BooleanField(_("digitised"), default=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("component check")
        verbose_name_plural = _("component checks")
        ordering = ["dossier", "component_position"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "component_position"], name="one_check_per_component"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} #{self.component_position}"
