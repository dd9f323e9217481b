"""Every change of places, households and corrections: checked, in one transaction, recorded.

Each function takes the person acting, checks first that they may (``access``), and appends a
``PlaceEvent`` with the place as it is after the change.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.text import fold

from . import access, codes, plus_codes, wards
from .errors import (
    AddressError,
    AddressNotUsable,
    ImportRefused,
    NotYourWard,
    OutsideProvince,
    PossibleDuplicate,
    UnknownWard,
)
from .models import (
    DELIVERY_FIELD,
    CodeSequence,
    Correction,
    CorrectionStatus,
    DossierAddress,
    Household,
    HouseholdMember,
    Place,
    PlaceAction,
    PlaceEvent,
    PlaceIdentifier,
    PlaceStatus,
    Scheme,
)

# Closer than this, two places are probably the same door (an 11-character cell is ~3 m).
DUPLICATE_RADIUS_M = 5.0
# What the other registers' codes are called in forms and CSV files.
OTHER_SCHEMES = (Scheme.VPOSTCODE, Scheme.NATIONAL)


@dataclass(frozen=True)
class PlaceInput:
    """What an officer, a file or a correction says of a place."""

    ward_code: int
    street: str
    latitude: float
    longitude: float
    house_number: str = ""
    former_ward_code: int | None = None
    former_ward_name: str = ""
    identifiers: dict[str, str] = field(default_factory=dict)


# --- checks ---------------------------------------------------------------------------------


def check_ward(ward_code: int) -> wards.WardInfo:
    """A current ward of this deployment's province, or ``UnknownWard``."""
    found = wards.ward(ward_code)
    province = settings.MOTCUA_PROVINCE_CODE
    if found is None or found.province_code != province:
        raise UnknownWard(
            _("No ward or commune of %(province)s has the code %(code)s.")
            % {"province": wards.province_name(province), "code": str(ward_code)[:12]}
        )
    return found


def check_point(latitude: float, longitude: float) -> None:
    province = settings.MOTCUA_PROVINCE_CODE
    if not wards.in_province(province, latitude, longitude):
        raise OutsideProvince(
            _(
                "The point %(latitude).6f, %(longitude).6f is outside %(province)s: check the "
                "coordinates (latitude first, then longitude, in degrees)."
            )
            % {
                "latitude": latitude,
                "longitude": longitude,
                "province": wards.province_name(province),
            }
        )


def check_identifiers(identifiers: dict[str, str], place: Place | None = None) -> dict[str, str]:
    """The other registers' codes, normalised and not already given to another place."""
    clean: dict[str, str] = {}
    for scheme, code in identifiers.items():
        if not code.strip():
            continue
        normal = codes.normalise(scheme, code)
        taken = PlaceIdentifier.objects.filter(scheme=scheme, code=normal)
        if place is not None:
            taken = taken.exclude(place=place)
        if taken.exists():
            raise AddressError(
                _("The code %(code)s is already given to another place.") % {"code": normal}
            )
        clean[scheme] = normal
    return clean


def searchable(house_number: str, street: str, ward_name: str) -> str:
    return fold(f"{house_number} {street} {wards.short_name(ward_name)}")


def near_duplicates(data: PlaceInput, exclude: Place | None = None) -> list[Place]:
    """Places within a few metres, or with the same number and street (diacritics and case
    aside) in the same ward."""
    around = Place.objects.filter(
        cell__in=plus_codes.cells_around(data.latitude, data.longitude, 1)
    )
    close = [
        place
        for place in around
        if plus_codes.distance_m(data.latitude, data.longitude, place.latitude, place.longitude)
        <= DUPLICATE_RADIUS_M
    ]
    ward = wards.ward(data.ward_code)
    same_text = list(
        Place.objects.filter(
            ward_code=data.ward_code,
            search_text=searchable(data.house_number, data.street, ward.name if ward else ""),
        )
    )
    found = {place.pk: place for place in close + same_text}
    if exclude is not None:
        found.pop(exclude.pk, None)
    return sorted(found.values(), key=lambda place: place.code)


def _require_ward(officer: User, ward_code: int) -> None:
    if not access.manages_ward(officer, ward_code):
        raise NotYourWard(_("You do not manage the places of this ward."))


# --- history --------------------------------------------------------------------------------


def _record(place: Place, action: str, actor: User | None, reason: str = "") -> PlaceEvent:
    return PlaceEvent.objects.create(
        place=place,
        version=place.version,
        action=action,
        actor=actor,
        reason=reason[:500],
        snapshot=place.snapshot(),
    )


def _next_code(province_code: int) -> str:
    sequence, _created = CodeSequence.objects.select_for_update().get_or_create(
        province_code=province_code
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return codes.platform_code(province_code, sequence.last)


def _fill(place: Place, data: PlaceInput, ward: wards.WardInfo) -> None:
    place.ward_code = ward.code
    place.province_code = ward.province_code
    place.street = " ".join(data.street.split())
    place.house_number = " ".join(data.house_number.split())
    place.former_ward_code = data.former_ward_code
    place.former_ward_name = data.former_ward_name.strip()
    place.latitude = round(data.latitude, 7)
    place.longitude = round(data.longitude, 7)
    place.plus_code = plus_codes.encode(place.latitude, place.longitude)
    place.cell = plus_codes.cell_of(place.latitude, place.longitude)
    place.fine_cell = plus_codes.cell_of(place.latitude, place.longitude, plus_codes.FINE_LENGTH)
    place.search_text = searchable(place.house_number, place.street, ward.name)


def _validate(data: PlaceInput) -> tuple[wards.WardInfo, dict[str, str]]:
    ward = check_ward(data.ward_code)
    check_point(data.latitude, data.longitude)
    if not data.street.strip():
        raise AddressError(_("Give the street (or village, hamlet) of the place."))
    return ward, check_identifiers(data.identifiers)


# --- places ---------------------------------------------------------------------------------


@transaction.atomic
def create_place(
    *,
    officer: User | None,
    data: PlaceInput,
    allow_duplicate: bool = False,
    status: str = PlaceStatus.CONFIRMED,
    action: str = PlaceAction.CREATED,
    reason: str = "",
) -> Place:
    """A new place with its plus code and platform code; look-alikes stop it unless the
    officer has seen them and goes on (``allow_duplicate``). No officer: the platform itself
    (demo data, commands), recorded as such in the history."""
    if officer is not None:
        _require_ward(officer, data.ward_code)
    ward, identifiers = _validate(data)
    if not allow_duplicate:
        candidates = near_duplicates(data)
        if candidates:
            raise PossibleDuplicate(
                _(
                    "%(count)d place(s) already recorded are within %(metres)d m or have the "
                    "same number and street: check them before creating another."
                )
                % {"count": len(candidates), "metres": int(DUPLICATE_RADIUS_M)},
                candidates,
            )
    place = Place(status=status)
    _fill(place, data, ward)
    place.code = _next_code(ward.province_code)
    place.save()
    PlaceIdentifier.objects.create(place=place, scheme=Scheme.PLATFORM, code=place.code)
    for scheme, code in identifiers.items():
        PlaceIdentifier.objects.create(place=place, scheme=scheme, code=code)
    _record(place, action, officer, reason)
    return place


def _changed(place: Place, action: str, actor: User | None, reason: str) -> Place:
    place.version += 1
    place.updated_at = timezone.now()
    place.save()
    _record(place, action, actor, reason)
    return place


@transaction.atomic
def confirm_place(
    *, officer: User, place: Place, latitude: float, longitude: float, reason: str = ""
) -> Place:
    """The ward officer confirms (and may move) the point of a place."""
    place = Place.objects.select_for_update().get(pk=place.pk)
    _require_ward(officer, place.ward_code)
    check_point(latitude, longitude)
    ward = check_ward(place.ward_code)
    data = PlaceInput(
        ward_code=place.ward_code,
        street=place.street,
        house_number=place.house_number,
        latitude=latitude,
        longitude=longitude,
        former_ward_code=place.former_ward_code,
        former_ward_name=place.former_ward_name,
    )
    _fill(place, data, ward)
    place.status = PlaceStatus.CONFIRMED
    return _changed(place, PlaceAction.CONFIRMED, officer, reason)


# --- bulk import ----------------------------------------------------------------------------

CSV_COLUMNS = (
    "ward_code",
    "street",
    "house_number",
    "latitude",
    "longitude",
    "former_ward",
    "vpostcode",
    "national_code",
)
REQUIRED_COLUMNS = ("ward_code", "street", "latitude", "longitude")
MAX_IMPORT_ROWS = 20_000


def _number(text: str) -> float:
    return float(text.strip().replace(",", "."))


def _parse_row(row: dict[str, str]) -> tuple[PlaceInput | None, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    values: dict[str, Any] = {}
    try:
        values["ward_code"] = int((row.get("ward_code") or "").strip())
    except ValueError:
        problems.append(("ward_code", _("A ward code is a number, e.g. 20242.")))
    for name in ("latitude", "longitude"):
        try:
            values[name] = _number(row.get(name) or "")
        except ValueError:
            problems.append((name, _("Write the coordinate in decimal degrees, e.g. 16.0544.")))
    if not (row.get("street") or "").strip():
        problems.append(("street", _("Give the street (or village, hamlet) of the place.")))
    if problems:
        return None, problems
    return (
        PlaceInput(
            ward_code=values["ward_code"],
            street=row["street"],
            house_number=row.get("house_number") or "",
            latitude=values["latitude"],
            longitude=values["longitude"],
            former_ward_name=row.get("former_ward") or "",
            identifiers={
                Scheme.VPOSTCODE: row.get("vpostcode") or "",
                Scheme.NATIONAL: row.get("national_code") or "",
            },
        ),
        [],
    )


def check_import(
    *, officer: User, text: str
) -> tuple[list[PlaceInput], list[tuple[int, str, str]]]:
    """Every row of a CSV file read and checked; problems as (line, column, message)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        return [], [(1, ", ".join(missing), _("These columns are missing from the first line."))]
    reader.fieldnames = header
    rows: list[PlaceInput] = []
    problems: list[tuple[int, str, str]] = []
    seen: dict[tuple[int, str], int] = {}
    for row in reader:
        line = reader.line_num
        if len(rows) + len(problems) >= MAX_IMPORT_ROWS:
            problems.append((line, "", _("A file holds at most 20,000 places.")))
            break
        data, row_problems = _parse_row(row)
        problems += [(line, column, message) for column, message in row_problems]
        if data is None:
            continue
        try:
            check_ward(data.ward_code)
        except AddressError as exc:
            problems.append((line, "ward_code", str(exc)))
            continue
        if not access.manages_ward(officer, data.ward_code):
            problems.append((line, "ward_code", _("You do not manage the places of this ward.")))
            continue
        try:
            check_point(data.latitude, data.longitude)
        except AddressError as exc:
            problems.append((line, "latitude", str(exc)))
            continue
        for scheme, column in ((Scheme.VPOSTCODE, "vpostcode"), (Scheme.NATIONAL, "national_code")):
            try:
                check_identifiers({scheme: data.identifiers.get(scheme, "")})
            except AddressError as exc:
                problems.append((line, column, str(exc)))
        ward = wards.ward(data.ward_code)
        key = (
            data.ward_code,
            searchable(data.house_number, data.street, ward.name if ward else ""),
        )
        if key in seen:
            problems.append(
                (
                    line,
                    "street",
                    _("Same number and street as line %(line)d.") % {"line": seen[key]},
                )
            )
        seen[key] = line
        existing = near_duplicates(data)
        if existing:
            problems.append(
                (
                    line,
                    "street",
                    _("Looks like a place already recorded: %(codes)s.")
                    % {"codes": ", ".join(place.code for place in existing[:3])},
                )
            )
        rows.append(data)
    if not rows and not problems:
        problems.append((1, "", _("The file holds no place.")))
    return rows, problems


@transaction.atomic
def import_places(*, officer: User, text: str) -> list[Place]:
    """All the places of the file, proposed for confirmation on the map, or none at all."""
    rows, problems = check_import(officer=officer, text=text)
    if problems:
        raise ImportRefused(
            _("Nothing was imported: %(count)d problem(s) in the file.") % {"count": len(problems)},
            problems,
        )
    created = []
    for data in rows:
        created.append(
            create_place(
                officer=officer,
                data=data,
                allow_duplicate=True,  # checked above, against the file and the register
                status=PlaceStatus.PROPOSED,
                action=PlaceAction.IMPORTED,
            )
        )
    return created


# --- households -----------------------------------------------------------------------------


@transaction.atomic
def create_household(
    *, officer: User | None, place: Place, head: User, members: Sequence[User] = ()
) -> Household:
    """A household at a place: its head and the others who live there (no officer: the
    platform itself, for demo data)."""
    if officer is not None:
        _require_ward(officer, place.ward_code)
    people = [head, *[m for m in members if m.pk != head.pk]]
    household = Household.objects.create(place=place, head=head)
    try:
        with transaction.atomic():
            for person in people:
                HouseholdMember.objects.create(household=household, user=person)
    except IntegrityError as exc:
        raise AddressError(
            _("Someone named here already belongs to another household: end that one first.")
        ) from exc
    place = Place.objects.select_for_update().get(pk=place.pk)
    _changed(
        place,
        PlaceAction.HOUSEHOLD,
        officer,
        _("Household of %(count)d person(s) recorded.") % {"count": len(people)},
    )
    return household


# --- corrections ----------------------------------------------------------------------------


@transaction.atomic
def request_correction(
    *,
    citizen: User,
    street: str,
    house_number: str,
    latitude: float | None,
    longitude: float | None,
    reason: str,
) -> Correction:
    """A resident asks the ward to correct their household's address."""
    household = access.current_household(citizen)
    if household is None:
        raise NotYourWard(_("No household is recorded for you: ask your ward."))
    if (latitude is None) != (longitude is None):
        raise AddressError(_("Give both coordinates, or neither."))
    if latitude is not None and longitude is not None:
        check_point(latitude, longitude)
    if not street.strip() or not reason.strip():
        raise AddressError(_("Say what the street is and what is wrong."))
    if Correction.objects.filter(household=household, status=CorrectionStatus.PENDING).exists():
        raise AddressError(_("Your ward is still deciding your earlier request."))
    return Correction.objects.create(
        place=household.place,
        household=household,
        requested_by=citizen,
        street=street.strip(),
        house_number=house_number.strip(),
        latitude=latitude,
        longitude=longitude,
        reason=reason.strip(),
    )


@transaction.atomic
def decide_correction(
    *, officer: User, correction: Correction, approve: bool, note: str = ""
) -> Correction:
    correction = Correction.objects.select_for_update().get(pk=correction.pk)
    place = Place.objects.select_for_update().get(pk=correction.place_id)
    _require_ward(officer, place.ward_code)
    if correction.status != CorrectionStatus.PENDING:
        raise AddressError(_("This request was already decided."))
    if approve:
        ward = check_ward(place.ward_code)
        data = PlaceInput(
            ward_code=place.ward_code,
            street=correction.street,
            house_number=correction.house_number,
            latitude=correction.latitude if correction.latitude is not None else place.latitude,
            longitude=(
                correction.longitude if correction.longitude is not None else place.longitude
            ),
            former_ward_code=place.former_ward_code,
            former_ward_name=place.former_ward_name,
        )
        check_point(data.latitude, data.longitude)
        _fill(place, data, ward)
        _changed(place, PlaceAction.CORRECTED, officer, correction.reason)
    elif not note.strip():
        raise AddressError(_("Say why the request is rejected: the resident will read it."))
    correction.status = CorrectionStatus.APPROVED if approve else CorrectionStatus.REJECTED
    correction.decided_by = officer
    correction.decided_at = timezone.now()
    correction.decision_note = note.strip()[:500]
    correction.save()
    return correction


# --- boundary changes -----------------------------------------------------------------------


@transaction.atomic
def move_ward(*, from_code: int, to_code: int, actor: User | None = None, reason: str = "") -> int:
    """Every place of a merged or renamed ward moves to its successor; the former code stays
    on the place and in its history. Returns how many places moved."""
    if from_code == to_code:
        raise AddressError(_("A ward cannot succeed itself."))
    successor = check_ward(to_code)
    moved = 0
    places: Iterable[Place] = Place.objects.select_for_update().filter(ward_code=from_code)
    why = reason or _("Ward %(former)s merged into %(successor)s.") % {
        "former": from_code,
        "successor": successor.name,
    }
    for place in places:
        place.former_ward_code = from_code
        former = wards.ward(from_code)
        if former is not None:
            place.former_ward_name = former.name
        place.ward_code = successor.code
        place.province_code = successor.province_code
        place.search_text = searchable(place.house_number, place.street, successor.name)
        _changed(place, PlaceAction.WARD_CHANGED, actor, why)
        moved += 1
    return moved


# --- addresses in dossiers ------------------------------------------------------------------


def keep_dossier_addresses(dossier: Any) -> list[DossierAddress]:
    """At filing: keep each digital address the dossier gives (its e-form's ``digital-address``
    answers, and the address its result is posted to when chosen as one), with the address
    text as it is now. A code the applicant may not use refuses the filing
    (``AddressNotUsable``, with the same words whether or not a place has it)."""
    from motcua.dossiers.models import Delivery
    from motcua.eforms.references import personal_answers

    from . import uses

    kept: list[DossierAddress] = []
    wanted = [
        (path, value)
        for path, name, value in personal_answers(dossier.rules.eform, dossier.form_data)
        if name == uses.LIST_NAME
    ]
    posted = (
        uses.chosen_for_post(dossier.delivery_address)
        if dossier.delivery == Delivery.POST
        else None
    )
    if posted is not None:
        wanted.append((DELIVERY_FIELD, posted.code))
    for path, value in wanted:
        place = uses.usable_place(dossier.applicant, value)
        if place is None:
            raise AddressNotUsable(str(uses.NOT_USABLE))
        kept.append(
            DossierAddress.objects.create(
                dossier=dossier,
                field=path,
                place=place,
                code=place.code,
                text=uses.text_of(place),
                place_version=place.version,
            )
        )
    return kept
