"""A procedure case as typed rules: what a dossier filed under one version must follow.

A version's snapshot (``serialization.procedure_to_dict``) holds each case as plain JSON;
``CaseRules.from_snapshot`` reads one case of it once, with one default per field, so the
apps that act on a dossier (deadlines, steps, fees, forms, filing) read typed values instead
of each calling ``case.get(key, its own default)``.

Snapshots written today carry every key (``procedure_to_dict`` writes them all, and the
import format requires ``name``, ``time_limit`` and ``time_unit`` of a case and ``name``,
``role`` and ``duration`` of a step). The defaults matter for snapshots taken before a key
existed (the fee basis, copies field, fee rules and payment timing came with catalogue
migration 0004) and for hand-made data; each is the value today's behaviour relied on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .models import FeeBasis, PaymentTiming


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def whole(value: Any, default: int) -> int:
    """A non-negative whole number out of a JSON value, or ``default`` when there is none."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return max(value, 0)
    if isinstance(value, float) and value.is_integer():
        return max(int(value), 0)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return default


def _decimal(value: Any) -> Decimal:
    """A limit or duration as written (``0.12`` stays 0.12); 0 when there is none."""
    if value is None or value == "" or isinstance(value, bool):
        return Decimal(0)
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)


def _equals(answer: Any, expected: Any) -> bool:
    # Form answers may arrive as text ("2") where the rule holds a number (2), and back.
    if answer == expected:
        return True
    return answer is not None and expected is not None and str(answer) == str(expected)


# The national document-type code of the citizen identity card (căn cước công dân): what a
# level-2 e-ID already proves, so the applicant is not asked to upload it again.
IDENTITY_CARD = "CCCD"


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _items(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


@dataclass(frozen=True)
class ComponentRule:
    """One document of the dossier (thành phần hồ sơ)."""

    name: str
    # Absent only in hand-made data: then not required (what the filing check and form 01
    # read, ``component.get("mandatory")``); the catalogue's own default is True, and every
    # snapshot states it.
    mandatory: bool = False
    document_type: str = ""
    originals: int = 0
    copies: int = 0
    form_template: str = ""
    #: The e-form's repeating group with one document of this kind per row ("" : one in all).
    per_row_of: str = ""
    # The agency fetches it from a national database: never asked of the applicant (last, so
    # that positional construction keeps its meaning).
    fetched_by_agency: bool = False

    def rows(self, form_data: Mapping[str, Any]) -> int:
        """How many documents of this kind the answers ask for when it is one per row."""
        found = form_data.get(self.per_row_of) if self.per_row_of else None
        return len(found) if isinstance(found, list) else 0

    def proved_by_eid(self, assurance_level: int) -> bool:
        """Whether the applicant's e-ID already proves this document (a level-2 account and
        the identity card): then it is not asked for as an upload."""
        return self.document_type == IDENTITY_CARD and assurance_level >= 2

    def required_of(self, assurance_level: int) -> bool:
        return (
            self.mandatory
            and not self.fetched_by_agency
            and not self.proved_by_eid(assurance_level)
        )

    @classmethod
    def from_snapshot(cls, data: Mapping[str, Any]) -> ComponentRule:
        return cls(
            name=_text(data.get("name")),
            mandatory=bool(data.get("mandatory", False)),
            document_type=_text(data.get("document_type")),
            fetched_by_agency=bool(data.get("fetched_by_agency", False)),
            originals=whole(data.get("originals"), 0),
            copies=whole(data.get("copies"), 0),
            form_template=_text(data.get("form_template")),
            per_row_of=_text(data.get("per_row_of")),
        )


@dataclass(frozen=True)
class StepRule:
    """One processing step; ``duration`` in the case's time unit, fractions allowed."""

    name: str
    role: str  # a ``StepRole`` value
    duration: Decimal = Decimal(0)

    @classmethod
    def from_snapshot(cls, data: Mapping[str, Any]) -> StepRule:
        return cls(
            name=_text(data.get("name")),
            role=_text(data.get("role")),
            duration=_decimal(data.get("duration")),
        )


@dataclass(frozen=True)
class FeeRule:
    """For a fee by rule: when form field ``field`` equals ``equals``, the fee is ``amount``."""

    field: str
    equals: Any
    amount: int

    @classmethod
    def from_snapshot(cls, data: Mapping[str, Any]) -> FeeRule:
        return cls(
            field=str(data["field"]),
            equals=data.get("equals"),
            amount=whole(data.get("amount"), 0),
        )


@dataclass(frozen=True)
class CaseRules:
    """One case of a procedure version, typed. Never changed once built (nor its ``eform``)."""

    name: str = ""
    # Always in a snapshot (the import requires it, the model has no default). Two readers
    # disagreed on a missing one: the appointment took 0, the apology's fallback took 1 (and
    # 1 for a limit of 0), but that fallback is ``max(1, limit // 2)`` working days, the same
    # day for 0 and 1. So 0, the model's lower bound.
    time_limit: Decimal = Decimal(0)
    time_unit: str = ""  # a ``TimeUnit`` value; "" counts as working days (``due_at``)
    fee: int = 0  # đồng
    fee_description: str = ""
    fee_basis: str = FeeBasis.FIXED.value
    fee_copies_field: str = ""
    fee_rules: tuple[FeeRule, ...] = ()
    # The dossier service read ``get("payment_timing", "before_processing")``, the fee
    # module ``get("payment_timing") or "before_processing"``: the same for every snapshot,
    # which holds a valid value or (before migration 0004) none. An empty value now also
    # means before processing, as the fee pages showed it.
    payment_timing: str = PaymentTiming.BEFORE_PROCESSING.value
    components: tuple[ComponentRule, ...] = ()
    steps: tuple[StepRule, ...] = ()
    # The e-form's JSON Schema ({} for none); shared, so never change it.
    eform: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    # The procedure's, repeated on each of its cases (e-ID level 1 or 2).
    required_assurance_level: int = 1

    def copies(self, answers: Mapping[str, Any]) -> int:
        """The number of copies asked for (the case's copies field), at least 1."""
        return max(whole(answers.get(self.fee_copies_field), 1), 1)

    def fee_for(self, answers: Mapping[str, Any]) -> int:
        """Integer đồng owed given the e-form ``answers``; never negative."""
        if self.fee_basis == FeeBasis.PER_COPY:
            return self.fee * self.copies(answers)
        if self.fee_basis == FeeBasis.RULE:
            for rule in self.fee_rules:
                if _equals(answers.get(rule.field), rule.equals):
                    return rule.amount
        return self.fee

    @classmethod
    def from_snapshot(cls, snapshot: Mapping[str, Any], position: int) -> CaseRules | None:
        """The rules of case ``position`` of a version's snapshot; None when it has none."""
        cases = snapshot.get("cases")
        if not isinstance(cases, list) or not 0 <= position < len(cases):
            return None
        return cls.from_case(
            _mapping(cases[position]),
            required_assurance_level=whole(snapshot.get("required_assurance_level"), 1),
        )

    @classmethod
    def from_case(cls, case: Mapping[str, Any], *, required_assurance_level: int = 1) -> CaseRules:
        """The rules of one case as the snapshot writes it (``procedure_to_dict``)."""
        return cls(
            name=_text(case.get("name")),
            time_limit=_decimal(case.get("time_limit")),
            time_unit=_text(case.get("time_unit")),
            fee=whole(case.get("fee"), 0),
            fee_description=_text(case.get("fee_description")),
            fee_basis=_text(case.get("fee_basis")) or FeeBasis.FIXED.value,
            fee_copies_field=_text(case.get("fee_copies_field") or ""),
            fee_rules=tuple(
                FeeRule.from_snapshot(rule)
                for rule in _items(case.get("fee_rules"))
                if "field" in rule
            ),
            payment_timing=_text(case.get("payment_timing"))
            or PaymentTiming.BEFORE_PROCESSING.value,
            components=tuple(
                ComponentRule.from_snapshot(item) for item in _items(case.get("components"))
            ),
            steps=tuple(StepRule.from_snapshot(item) for item in _items(case.get("steps"))),
            eform=_mapping(case.get("eform")),
            required_assurance_level=required_assurance_level,
        )
