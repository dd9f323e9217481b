"""Every change to a report: filing, phone codes, forwarding, accepting, answering, rating,
reopening and escalating. Each checks who acts first, runs in one transaction and appends a
``ReportEvent`` (DESIGN.md: services)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.addresses import wards
from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.dossiers.access import is_applicant
from motcua.dossiers.models import Dossier
from motcua.notifications.services import notify

from . import access, deadlines, redaction, routing, uploads
from .errors import NotVerified, NotYours, OutsideProvince, PetitionError, WrongState
from .models import (
    ApiKey,
    EventKind,
    FileKind,
    PhoneCheck,
    Report,
    ReportEvent,
    ReportFile,
    ReportStatus,
    Subject,
    Topic,
)

TEXT_LIMIT = 5000
TITLE_LIMIT = 200
COMMENT_LIMIT = 2000
CODE_LIFETIME = dt.timedelta(minutes=10)
CODES_PER_HOUR = 5
ATTEMPTS_PER_CODE = 5
# How long a verified phone number may be used to file, after its code was confirmed.
VERIFIED_FOR = dt.timedelta(minutes=60)
REOPEN_LIMIT = 1


# --- phones and one-time codes ---------------------------------------------------------------


_PHONE = re.compile(r"^0\d{9}$")


def normalise_phone(text: str) -> str:
    """A Vietnamese phone number as ``0xxxxxxxxx``; ``PetitionError`` for anything else."""
    compact = re.sub(r"[\s.\-()]", "", text or "")
    if compact.startswith("+84"):
        compact = "0" + compact[3:]
    elif compact.startswith("84") and len(compact) == 11:
        compact = "0" + compact[2:]
    if not _PHONE.match(compact):
        raise PetitionError(_("Enter a Vietnamese phone number of 10 digits, e.g. 0905123456."))
    return compact


def _hash_code(phone: str, code: str) -> str:
    message = f"petition:{phone}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


@transaction.atomic
def send_phone_code(*, phone: str) -> PhoneCheck:
    """Send a 6-digit one-time code by SMS (through the outbox) to prove the phone is theirs."""
    phone = normalise_phone(phone)
    recent = PhoneCheck.objects.filter(
        phone=phone, created_at__gte=timezone.now() - dt.timedelta(hours=1)
    )
    if recent.count() >= CODES_PER_HOUR:
        raise PetitionError(_("Too many codes were sent. Please wait an hour and try again."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    check = PhoneCheck.objects.create(
        phone=phone, code_hash=_hash_code(phone, code), expires_at=timezone.now() + CODE_LIFETIME
    )
    notify(
        channel="sms",
        recipient=phone,
        subject=_("Motcua verification code"),
        body=_("Your code to send a report to Motcua is %(code)s. It expires in 10 minutes.")
        % {"code": code},
    )
    return check


def confirm_phone_code(*, phone: str, code: str) -> dt.datetime:
    """Check the code; the moment the phone was verified. A wrong try is counted."""
    phone = normalise_phone(phone)
    with transaction.atomic():
        check = (
            PhoneCheck.objects.select_for_update()
            .filter(phone=phone, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if check is None or check.expires_at < timezone.now():
            raise PetitionError(_("The code has expired. Ask for a new one."))
        if check.attempts >= ATTEMPTS_PER_CODE:
            raise PetitionError(_("Too many wrong codes. Ask for a new one."))
        right = hmac.compare_digest(check.code_hash, _hash_code(phone, (code or "").strip()))
        if right:
            check.used_at = timezone.now()
            check.save(update_fields=["used_at"])
        else:
            check.attempts += 1
            check.save(update_fields=["attempts"])  # committed: guessing stops after a few
    if not right:
        raise PetitionError(_("The code is not right. Check it and try again."))
    assert check.used_at is not None
    return check.used_at


# --- filing ----------------------------------------------------------------------------------


@dataclass
class ReportInput:
    topic: Topic
    subject: str
    text: str
    title: str = ""
    latitude: float | None = None
    longitude: float | None = None
    address_text: str = ""
    address_code: str = ""
    ward_code: int | None = None
    procedure_code: str = ""
    dossier_code: str = ""
    agency_code: str = ""
    name: str = ""
    name_public: bool = False
    is_public: bool = True
    media_url: str = ""
    files: Sequence[tuple[str, UploadedFile]] = field(default_factory=list)


@dataclass(frozen=True)
class Filer:
    """Who files: a signed-in person, or an anonymous one with a verified phone number."""

    user: User | None = None
    phone: str = ""
    phone_verified: bool = False
    api_key: ApiKey | None = None


def _check_text(data: ReportInput) -> tuple[str, str]:
    text = (data.text or "").strip()
    if not text:
        raise PetitionError(_("Describe the problem: the text of the report is required."))
    if len(text) > TEXT_LIMIT:
        raise PetitionError(
            _("The text is too long (at most %(limit)s characters).") % {"limit": TEXT_LIMIT}
        )
    title = (data.title or "").strip()[:TITLE_LIMIT] or text.splitlines()[0][:80]
    return title, text


def _check_place(data: ReportInput) -> tuple[float | None, float | None, int | None]:
    latitude, longitude, ward_code = data.latitude, data.longitude, data.ward_code
    if data.address_code:
        from motcua.addresses.selectors import by_code

        place = by_code(data.address_code)  # MalformedCode / PlaceNotFound: clear 4xx
        if latitude is None or longitude is None:
            latitude, longitude = place.latitude, place.longitude
        ward_code = ward_code or place.ward_code
    if (latitude is None) != (longitude is None):
        raise PetitionError(_("Give both the latitude and the longitude, or neither."))
    if latitude is not None and longitude is not None:
        province = int(settings.MOTCUA_PROVINCE_CODE)
        if not wards.in_province(province, latitude, longitude):
            raise OutsideProvince(
                _("This point is outside %(province)s: reports are about places in the province.")
                % {"province": wards.province_name(province)}
            )
        if ward_code is None:
            ward_code = routing.nearest_ward(latitude, longitude)
    elif data.subject == Subject.PLACE:
        raise PetitionError(
            _("Show where the problem is: a point on the map, its coordinates or an address code.")
        )
    if ward_code is not None and wards.ward(ward_code) is None:
        raise PetitionError(_("Unknown ward or commune."))
    return latitude, longitude, ward_code


def _next_code(now: dt.datetime) -> str:
    day = timezone.localtime(now).strftime("%y%m%d")
    prefix = f"PA-{day}-"
    last = (
        Report.objects.filter(code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
    ).first()
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def file_report(*, data: ReportInput, filer: Filer) -> Report:
    """File a report (DOMAIN.md §9a): checked, routed, given a code and its deadlines."""
    user = filer.user if filer.user is not None and filer.user.is_authenticated else None
    if user is None and filer.api_key is None and not filer.phone_verified:
        raise NotVerified(
            _("Sign in, or confirm your phone number with the code we send, to send a report.")
        )
    if data.subject not in Subject.values:
        raise PetitionError(_("Choose what the report is about."))
    if not data.topic.active:
        raise PetitionError(_("This topic no longer takes reports."))
    title, text = _check_text(data)
    latitude, longitude, ward_code = _check_place(data)
    procedure = None
    if data.procedure_code.strip():
        procedure = Procedure.objects.filter(code=data.procedure_code.strip()).first()
        if procedure is None:
            raise PetitionError(
                _("No procedure has the code %(code)s.") % {"code": data.procedure_code[:30]}
            )
    dossier = None
    if data.dossier_code.strip():
        dossier = Dossier.objects.filter(code=data.dossier_code.strip().upper()).first()
        # Only one's own dossier: whether another's exists is not disclosed.
        if dossier is None or user is None or not is_applicant(user, dossier):
            raise PetitionError(
                _("None of your dossiers has the code %(code)s.") % {"code": data.dossier_code[:40]}
            )
    about_agency = None
    if data.agency_code.strip():
        about_agency = Agency.objects.current().filter(code=data.agency_code.strip()).first()
        if about_agency is None:
            raise PetitionError(_("Unknown agency."))
    if len(data.files) > uploads.MAX_FILES:
        raise PetitionError(
            _("At most %(count)d files can be sent with a report.") % {"count": uploads.MAX_FILES}
        )
    checked = []
    total = 0
    for kind, upload in data.files:
        found = uploads.check(upload, kind=kind, uploader=user, already=total)
        total += found.size
        checked.append((kind, upload, found))

    agency = routing.route(
        topic=data.topic,
        ward_code=ward_code,
        procedure=procedure,
        dossier=dossier,
        about_agency=about_agency,
    )
    now = timezone.now()
    calendar = deadlines.load_calendar()
    name = (data.name or "").strip()[:200] or (user.full_name if user else "")
    for _attempt in range(5):
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    code=_next_code(now),
                    token=secrets.token_urlsafe(24),
                    topic=data.topic,
                    subject=data.subject,
                    procedure=procedure,
                    dossier=dossier,
                    about_agency=about_agency,
                    title=title,
                    text=text,
                    latitude=latitude,
                    longitude=longitude,
                    address_text=data.address_text.strip()[:255],
                    address_code=data.address_code.strip()[:20],
                    ward_code=ward_code,
                    media_url=data.media_url[:500],
                    reporter=user,
                    phone=filer.phone if user is None else (user.phone or ""),
                    phone_verified=filer.phone_verified,
                    reporter_name=name,
                    name_public=bool(data.name_public and name),
                    is_public=data.is_public,
                    channel="open311" if filer.api_key else "web",
                    api_key=filer.api_key,
                    agency=agency,
                    filed_at=now,
                    arrived_at=now,
                    forward_due_at=deadlines.forward_due(now, calendar),
                    answer_due_at=deadlines.answer_due(now, calendar),
                    updated_at=now,
                )
                report.due_at = report.forward_due_at
                report.save(update_fields=["due_at"])
                for kind, upload, found in checked:
                    upload.seek(0)
                    stored = ReportFile(
                        report=report,
                        kind=kind,
                        original_name=(upload.name or "file")[:255],
                        content_type=found.content_type,
                        size=found.size,
                        sha256=found.sha256,
                    )
                    stored.file.save("upload", ContentFile(upload.read()), save=False)
                    stored.save()
                _event(report, EventKind.FILED, actor=user, to_agency=agency)
                return report
        except IntegrityError:
            continue  # two reports took the same code at once: take the next number
    raise PetitionError(_("The report could not be numbered. Please send it again."))


def _event(
    report: Report,
    kind: str,
    *,
    actor: User | None = None,
    from_agency: Agency | None = None,
    to_agency: Agency | None = None,
    note: str = "",
) -> ReportEvent:
    return ReportEvent.objects.create(
        report=report,
        kind=kind,
        actor=actor,
        from_agency=from_agency,
        to_agency=to_agency,
        note=note,
    )


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


# --- the agencies ----------------------------------------------------------------------------


@transaction.atomic
def forward(*, report: Report, officer: User, to_agency: Agency, note: str = "") -> Report:
    """The desk that received a report outside its competence sends it to the competent agency
    (within ``MOTCUA_PETITION_FORWARD_WORKING_DAYS``); that agency's answer time starts anew."""
    report = _locked(report)
    access.require_handler(officer, report)
    if report.status != ReportStatus.RECEIVED:
        raise WrongState(_("Only a report not yet accepted can be forwarded."))
    if to_agency.pk == report.agency_id or not to_agency.is_current():
        raise PetitionError(_("Choose another agency, one that exists today."))
    now = timezone.now()
    source = report.agency
    report.forwarded_late = report.forwarded_late or now > report.forward_due_at
    report.agency = to_agency
    report.arrived_at = now
    calendar = deadlines.load_calendar()
    # The receiving agency may still forward it on if it is not competent either.
    report.forward_due_at = deadlines.forward_due(now, calendar)
    report.answer_due_at = deadlines.answer_due(now, calendar)
    report.due_at = report.forward_due_at
    report.escalated_at = None
    report.updated_at = now
    report.save()
    _event(
        report,
        EventKind.FORWARDED,
        actor=officer,
        from_agency=source,
        to_agency=to_agency,
        note=note.strip()[:COMMENT_LIMIT],
    )
    return report


@transaction.atomic
def accept(*, report: Report, officer: User) -> Report:
    """The agency holding the report is competent: it handles it, and must answer in time."""
    report = _locked(report)
    access.require_handler(officer, report)
    if report.status != ReportStatus.RECEIVED:
        raise WrongState(_("This report is already being handled."))
    report.status = ReportStatus.PROCESSING
    report.due_at = report.answer_due_at
    report.escalated_at = None
    report.updated_at = timezone.now()
    report.save()
    _event(report, EventKind.ACCEPTED, actor=officer, to_agency=report.agency)
    return report


@transaction.atomic
def answer(
    *, report: Report, officer: User, text: str, files: Sequence[UploadedFile] = ()
) -> Report:
    """Publish the answer, with personal data removed (``redaction``), and tell the reporter."""
    report = _locked(report)
    access.require_handler(officer, report)
    if report.status not in (ReportStatus.RECEIVED, ReportStatus.PROCESSING):
        raise WrongState(_("This report has already been answered."))
    text = (text or "").strip()
    if not text:
        raise PetitionError(_("Write the answer."))
    if len(text) > TEXT_LIMIT:
        raise PetitionError(
            _("The answer is too long (at most %(limit)s characters).") % {"limit": TEXT_LIMIT}
        )
    now = timezone.now()
    for upload in files:
        found = uploads.check(upload, kind=FileKind.DOCUMENT, uploader=officer)
        upload.seek(0)
        stored = ReportFile(
            report=report,
            kind=FileKind.PHOTO if found.content_type in uploads.IMAGE_TYPES else FileKind.DOCUMENT,
            original_name=(upload.name or "file")[:255],
            content_type=found.content_type,
            size=found.size,
            sha256=found.sha256,
            from_officer=True,
        )
        stored.file.save("upload", ContentFile(upload.read()), save=False)
        stored.save()
    report.answer = redaction.redact(text, names=[report.reporter_name, report.phone])
    report.answered_at = now
    report.answered_by = officer
    report.answered_late = now > report.answer_due_at
    report.status = ReportStatus.ANSWERED
    report.due_at = None
    report.updated_at = now
    report.save()
    _event(report, EventKind.ANSWERED, actor=officer, from_agency=report.agency)
    link = settings.MOTCUA_PUBLIC_URL.rstrip("/") + report.get_absolute_url()
    _tell_reporter(
        report,
        _("Your report %(code)s has been answered: %(link)s") % {"code": report.code, "link": link},
    )
    return report


def _tell_reporter(report: Report, body: str) -> None:
    phone = report.phone if report.phone_verified or report.reporter_id else ""
    if report.reporter_id and report.reporter and report.reporter.email:
        notify(channel="email", recipient=report.reporter.email, subject=body, body=body)
    elif phone:
        notify(channel="sms", recipient=phone, body=body)


# --- the reporter ----------------------------------------------------------------------------


@transaction.atomic
def rate(*, report: Report, reporter: access.Reporter, value: int, comment: str = "") -> Report:
    """The reporter rates the published answer (satisfied 3, normal 2, dissatisfied 1)."""
    report = _locked(report)
    if not access.is_reporter(reporter, report):
        raise NotYours(_("This report was not found."))
    if report.status != ReportStatus.ANSWERED:
        raise WrongState(_("A report can be rated once it has been answered."))
    if report.rating is not None:
        raise WrongState(_("This answer has already been rated."))
    if value not in (1, 2, 3):
        raise PetitionError(_("Choose satisfied, normal or dissatisfied."))
    comment = (comment or "").strip()
    if len(comment) > COMMENT_LIMIT:
        raise PetitionError(
            _("The comment is too long (at most %(limit)s characters).") % {"limit": COMMENT_LIMIT}
        )
    report.rating = value
    report.rating_comment = comment
    report.rated_at = timezone.now()
    # Rated and not to be reopened any more: closed.
    if value > 1 or report.reopen_count >= REOPEN_LIMIT:
        report.status = ReportStatus.CLOSED
    report.updated_at = report.rated_at
    report.save()
    _event(report, EventKind.RATED, actor=reporter.user, note=str(value))
    return report


@transaction.atomic
def reopen(*, report: Report, reporter: access.Reporter, reason: str) -> Report:
    """Once: the reporter is not content with the answer; the agency answers again in time."""
    report = _locked(report)
    if not access.is_reporter(reporter, report):
        raise NotYours(_("This report was not found."))
    if report.status not in (ReportStatus.ANSWERED, ReportStatus.CLOSED) or not report.answered_at:
        raise WrongState(_("Only an answered report can be reopened."))
    if report.reopen_count >= REOPEN_LIMIT:
        raise WrongState(_("This report has already been reopened once."))
    reason = (reason or "").strip()
    if not reason:
        raise PetitionError(_("Say why the answer does not settle the matter."))
    now = timezone.now()
    report.reopen_count += 1
    report.status = ReportStatus.PROCESSING
    report.arrived_at = now
    report.answer_due_at = deadlines.answer_due(now)
    report.due_at = report.answer_due_at
    report.escalated_at = None
    report.rating = None
    report.rated_at = None
    report.rating_comment = ""
    report.updated_at = now
    report.save()
    _event(
        report,
        EventKind.REOPENED,
        actor=reporter.user,
        to_agency=report.agency,
        note=reason[:COMMENT_LIMIT],
    )
    return report


# --- escalation ------------------------------------------------------------------------------


def escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Tell the leaders of each agency of its reports past their deadline, once per deadline
    (the periodic task ``escalate-petitions``); returns how many reports were escalated."""
    now = now or timezone.now()
    count = 0
    overdue = Report.objects.filter(
        status__in=[ReportStatus.RECEIVED, ReportStatus.PROCESSING],
        due_at__lt=now,
        escalated_at__isnull=True,
    ).values_list("pk", flat=True)
    for pk in list(overdue[:500]):
        with transaction.atomic():
            report = Report.objects.select_for_update().select_related("agency").get(pk=pk)
            if report.escalated_at is not None or report.due_at is None or report.due_at >= now:
                continue
            leaders = access.leaders_of(report.agency)
            subject = _("Overdue report %(code)s") % {"code": report.code}
            body = _(
                "Report %(code)s (%(title)s) at %(agency)s was due on %(due)s and has not been "
                "%(what)s."
            ) % {
                "code": report.code,
                "title": report.title,
                "agency": report.agency.name,
                "due": timezone.localtime(report.due_at).strftime("%d/%m/%Y %H:%M"),
                "what": _("forwarded or accepted")
                if report.status == ReportStatus.RECEIVED
                else _("answered"),
            }
            for leader in leaders:
                if leader.email:
                    notify(channel="email", recipient=leader.email, subject=subject, body=body)
                elif leader.phone:
                    notify(channel="sms", recipient=leader.phone, body=body)
            report.escalated_at = now
            report.save(update_fields=["escalated_at"])
            _event(
                report,
                EventKind.ESCALATED,
                to_agency=report.agency,
                note=", ".join(str(leader.pk) for leader in leaders),
            )
            count += 1
    return count


# --- Open311 keys ----------------------------------------------------------------------------


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_api_key(*, name: str) -> tuple[ApiKey, str]:
    """A new Open311 key; the key itself is shown once and only its hash is kept."""
    while True:
        prefix = secrets.token_hex(4)
        if not ApiKey.objects.filter(prefix=prefix).exists():
            break
    key = f"{prefix}.{secrets.token_urlsafe(24)}"
    return ApiKey.objects.create(name=name[:200], prefix=prefix, key_hash=hash_key(key)), key


def check_api_key(key: str) -> ApiKey | None:
    prefix = (key or "").partition(".")[0][:8]
    found = ApiKey.objects.filter(prefix=prefix, active=True).first()
    if found is None or not hmac.compare_digest(found.key_hash, hash_key(key)):
        return None
    return found


__all__ = [
    "Filer",
    "ReportInput",
    "accept",
    "answer",
    "check_api_key",
    "confirm_phone_code",
    "create_api_key",
    "escalate_overdue",
    "file_report",
    "forward",
    "rate",
    "reopen",
    "send_phone_code",
]
