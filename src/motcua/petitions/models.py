"""Reports (phản ánh, kiến nghị), their files, their history and the Open311 keys.

A report is filed by a signed-in person or anonymously with a phone number verified by a
one-time code; it is routed to an agency (``routing``), forwarded by a receiving desk that is
not competent, answered by the competent agency within the legal times (``deadlines``), and
its answer is published with personal data removed. Rows change only through ``services``;
every change is appended to ``ReportEvent`` (who, when, from which agency to which, why).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency


class Subject(models.TextChoices):
    PROCEDURE = "procedure", _("An administrative procedure or its rules")
    DOSSIER = "dossier", _("A dossier I filed")
    AGENCY = "agency", _("An agency or an officer")
    PLACE = "place", _("A place (a problem on the street, in a public place)")


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Received, being routed")
    PROCESSING = "processing", _("Being handled by the competent agency")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (ReportStatus.RECEIVED, ReportStatus.PROCESSING)


class Topic(models.Model):
    """Chủ đề (an Open311 service): what a report is about, and where it goes by default."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=255, blank=True)
    group = models.CharField(_("group"), max_length=100, blank=True)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("competent agency"),
        help_text=_("Where a report on this topic goes when its place does not decide."),
    )
    by_ward = models.BooleanField(
        _("handled by the ward"),
        default=False,
        help_text=_("A report with a place goes to the people's committee of its ward."),
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("report topic")
        verbose_name_plural = _("report topics")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Report(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    # The Open311 token of a report filed through the API (GET tokens/{token}).
    token = models.CharField(max_length=40, unique=True)
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="reports", verbose_name=_("topic")
    )
    subject = models.CharField(_("about"), max_length=16, choices=Subject.choices)
    procedure = models.ForeignKey(
        "catalog.Procedure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("procedure"),
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dossier"),
    )
    about_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency concerned"),
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("what happened"), max_length=5000)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    address_text = models.CharField(_("address"), max_length=255, blank=True)
    address_code = models.CharField(_("digital address code"), max_length=20, blank=True)
    ward_code = models.PositiveIntegerField(_("ward/commune code"), null=True, blank=True)
    media_url = models.URLField(_("media address (Open311)"), blank=True, max_length=500)

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petition_reports",
        verbose_name=_("reporter"),
    )
    # Never shown on a public page, in the API or in Open311: only officers of the agency
    # handling the report see it (to call back).
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    phone_verified = models.BooleanField(_("phone verified"), default=False)
    reporter_name = models.CharField(_("name"), max_length=200, blank=True)
    name_public = models.BooleanField(_("name shown to the public"), default=False)
    is_public = models.BooleanField(_("shown to the public"), default=True)
    channel = models.CharField(_("channel"), max_length=16, default="web")
    api_key = models.ForeignKey(
        "petitions.ApiKey", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("handling agency")
    )
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    # At the agency it was routed or forwarded to since:
    arrived_at = models.DateTimeField(_("arrived at the agency"), default=timezone.now)
    forward_due_at = models.DateTimeField(_("forward by"))
    answer_due_at = models.DateTimeField(_("answer by"))
    # The deadline that runs now (forwarding while received, answering while processing);
    # none once answered. Indexed for the officers' due-soon and overdue lists.
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    forwarded_late = models.BooleanField(default=False)

    answer = models.TextField(_("published answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_late = models.BooleanField(default=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(_("rating of the answer"), null=True, blank=True)
    rating_comment = models.TextField(_("comment on the answer"), blank=True, max_length=2000)
    rated_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-filed_at"]
        indexes = [
            # The public map: open, public reports inside a box.
            models.Index(
                fields=["latitude", "longitude"],
                name="report_open_map",
                condition=Q(is_public=True, status__in=["received", "processing"]),
            ),
            # The public map of a whole city: the newest open, public reports first.
            models.Index(
                F("filed_at").desc(),
                name="report_open_newest",
                condition=Q(is_public=True, status__in=["received", "processing"]),
            ),
            models.Index(fields=["agency", "due_at"], name="report_agency_due"),
            models.Index(fields=["procedure", "status"], name="report_procedure_status"),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("petitions:track", kwargs={"code": self.code})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def public_name(self) -> str:
        """The reporter's name where they chose to show it; otherwise nothing."""
        return self.reporter_name if self.name_public else ""

    def _public(self, text: str) -> str:
        from .redaction import redact

        hidden = [self.phone] + ([] if self.name_public else [self.reporter_name])
        return redact(text, names=hidden)

    @property
    def public_title(self) -> str:
        """The title as the public sees it: phone numbers, e-mails, ID numbers and a hidden
        name that the reporter typed into it are removed."""
        return self._public(self.title)

    @property
    def public_text(self) -> str:
        return self._public(self.text)


class FileKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")


def _upload_to(instance: ReportFile, filename: str) -> str:
    return f"petitions/{instance.report.filed_at:%Y/%m}/{instance.sha256[:32]}"


class ReportFile(models.Model):
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(_("kind"), max_length=16, choices=FileKind.choices)
    file = models.FileField(_("file"), upload_to=_upload_to)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # Officers' files (with the answer) are public with the answer.
    from_officer = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class EventKind(models.TextChoices):
    FILED = "filed", _("Filed")
    FORWARDED = "forwarded", _("Forwarded to the competent agency")
    ACCEPTED = "accepted", _("Accepted for handling")
    ANSWERED = "answered", _("Answered")
    RATED = "rated", _("Answer rated")
    REOPENED = "reopened", _("Reopened by the reporter")
    ESCALATED = "escalated", _("Overdue: escalated to the agency's leader")


class ReportEvent(models.Model):
    """One line of a report's history; appended, never changed."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind}"


class PhoneCheck(models.Model):
    """A one-time code sent to an anonymous reporter's phone; only its hash is kept."""

    phone = models.CharField(max_length=20, db_index=True)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"code for …{self.phone[-3:]} ({self.created_at:%Y-%m-%d %H:%M})"


class ApiKey(models.Model):
    """An Open311 ``api_key``: a client that may POST requests. Only a hash is kept."""

    name = models.CharField(_("client name"), max_length=200)
    prefix = models.CharField(max_length=8, unique=True)
    key_hash = models.CharField(max_length=128)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
