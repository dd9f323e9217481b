"""``/api/v1/dossiers/``: every applicant and officer action of the web pages, for apps.

Applicants authenticate with an OAuth2 bearer token or a session; officer actions need a
session that passed the second factor (bearer tokens never do).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.accounts.access import IsVerifiedOfficer
from motcua.accounts.acting import acting_business
from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.api import UploadField
from motcua.catalog.rules import CaseRules
from motcua.catalog.selectors import published_procedures
from motcua.eforms.rules import with_computed
from motcua.eforms.validation import validate_document
from motcua.errors import Conflict

from . import access, selectors, services
from .lifecycle import Transition
from .models import Attachment, Dossier, DossierDraft, DossierEvent, DossierStep
from .uploads import UploadRefused


def payload(request: Request) -> dict[str, Any]:
    """The request body as an object (a JSON array is refused)."""
    if not isinstance(request.data, dict) and not hasattr(request.data, "getlist"):
        raise ValidationError({"detail": _("The request body must be a JSON object.")})
    return request.data  # type: ignore[return-value]


def _declaration(fields: Any) -> services.Declaration | None:
    """The optional ``declared`` (true), ``delivery`` and ``delivery_address`` of a filing:
    given ``declared``, they are checked and stored as the web form's are."""
    if not hasattr(fields, "get") or "declared" not in fields:
        return None
    declared = fields.get("declared")
    return services.Declaration(
        delivery=str(fields.get("delivery") or "online")[:8],
        address=str(fields.get("delivery_address") or "")[:500],
        declared=declared is True or str(declared).lower() in {"true", "1", "on"},
    )


def _user(request: Request) -> User:
    assert isinstance(request.user, User)
    return request.user


class EventSerializer(serializers.ModelSerializer):
    to_unit: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = DossierEvent
        fields = [
            "transition",
            "from_status",
            "to_status",
            "actor_role",
            "to_unit",
            "reason",
            "apology",
            "created_at",
        ]


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = [
            "id",
            "component_position",
            "component_name",
            "row",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "for_supplement",
            "uploaded_at",
        ]


class DossierSerializer(serializers.ModelSerializer):
    procedure: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    receiving_agency: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    national_status = serializers.IntegerField(read_only=True)
    supplement_requested_more_than_once = serializers.BooleanField(read_only=True)
    late = serializers.BooleanField(source="is_late", read_only=True)

    class Meta:
        model = Dossier
        fields = [
            "code",
            "procedure",
            "case_name",
            "receiving_agency",
            "channel",
            "status",
            "status_label",
            "national_status",
            "submitted_at",
            "accepted_at",
            "due_at",
            "apology_due_at",
            "finished_at",
            "supplement_requested_more_than_once",
            "late",
        ]

    def to_representation(self, instance: Dossier) -> dict[str, Any]:
        """The fields above, without DRF building eleven field objects for every dossier
        (1.4 ms a time: a fifth of filing one). ``test_api`` checks this against DRF's own
        output of these fields, so a field added above and forgotten here fails there."""
        if type(self) is not DossierSerializer:
            return super().to_representation(instance)  # subclasses add fields
        moment = _DATETIME.to_representation
        return {
            "code": instance.code,
            "procedure": instance.procedure.code,
            "case_name": instance.case_name,
            "receiving_agency": instance.receiving_agency.code,
            "channel": instance.channel,
            "status": instance.status,
            "status_label": str(instance.get_status_display()),
            "national_status": instance.national_status,
            "submitted_at": moment(instance.submitted_at) if instance.submitted_at else None,
            "accepted_at": moment(instance.accepted_at) if instance.accepted_at else None,
            "due_at": moment(instance.due_at) if instance.due_at else None,
            "apology_due_at": (
                moment(instance.apology_due_at) if instance.apology_due_at else None
            ),
            "finished_at": moment(instance.finished_at) if instance.finished_at else None,
            "supplement_requested_more_than_once": instance.supplement_requested_more_than_once,
            "late": instance.is_late(),
        }


_DATETIME = serializers.DateTimeField()


# Not "StepSerializer": the catalogue has one, and the schema's components are named after
# the class, so two of that name would publish one under both.
class DossierStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = DossierStep
        fields = ["position", "name", "role", "due_at", "finished_at"]


class DossierDetailSerializer(DossierSerializer):
    events = EventSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    steps = DossierStepSerializer(many=True, read_only=True)

    class Meta(DossierSerializer.Meta):
        fields = [*DossierSerializer.Meta.fields, "form_data", "events", "attachments", "steps"]


class DraftSerializer(serializers.ModelSerializer):
    procedure: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", queryset=published_procedures()
    )
    receiving_agency: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    attachments = AttachmentSerializer(many=True, read_only=True)
    # An object of the e-form's answers, never a number, list or string. (A field named "data"
    # shadows ``Serializer.data`` for the type checker only: the metaclass moves it.)
    data = serializers.DictField(required=False)  # type: ignore[assignment]

    class Meta:
        model = DossierDraft
        fields = [
            "id",
            "procedure",
            "case_position",
            "receiving_agency",
            "data",
            "step",
            "updated_at",
            "attachments",
        ]
        read_only_fields = ["id", "receiving_agency", "step", "updated_at", "attachments"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        procedure = attrs.get("procedure")
        position = attrs.get("case_position", 0)
        if procedure is not None and position >= procedure.cases.count():
            raise ValidationError({"case_position": [_("This procedure has no such case.")]})
        return attrs


class DraftAnswersSerializer(serializers.Serializer):
    """A draft's save: the answers, merged into those saved before."""

    data = serializers.DictField()  # type: ignore[assignment]


class DraftUploadSerializer(serializers.Serializer):
    component = serializers.IntegerField(
        min_value=0, max_value=32767, help_text="The position of the case's component, from 0."
    )
    row = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        max_value=32767,
        help_text=(
            "For a component asked once per row of a repeating group of the form: the row "
            "(from 0) this file is for."
        ),
    )
    file = UploadField(help_text="A PDF, JPEG or PNG file.")


class DossierActionSerializer(serializers.Serializer):
    transition = serializers.ChoiceField(choices=Transition.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    to_unit = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text=(
            "An agency's code: the unit that takes over (forward, hand_over), or the "
            "competent agency the applicant is guided to (guide_elsewhere)."
        ),
    )
    apology = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=4000,
        default="",
        help_text="The agency's apology, required for a second supplement request.",
    )


# ``services.DraftAlreadySubmitted``, answered by the API's error handler.
SUBMITTED = OpenApiResponse(description="The draft was already submitted (409).")


COMPONENT_PART = "component_"

FilingInput = inline_serializer(
    "DossierFiling",
    fields={
        "procedure": serializers.CharField(help_text="The procedure's code, e.g. 2.000488."),
        "case_position": serializers.IntegerField(
            required=False, default=0, help_text="Which case of the procedure (from 0)."
        ),
        "data": serializers.JSONField(
            required=False,
            help_text="The e-form's answers: a JSON object, checked against the case's schema.",
        ),
        f"{COMPONENT_PART}0": UploadField(
            required=False,
            help_text=(
                "A file for the case's component 0 (PDF, JPEG or PNG). Send "
                "component_1, component_2 … for the others; a part may repeat. A component "
                "asked once per row of a repeating group of the form takes component_<n>_<row> "
                "(rows from 0)."
            ),
        ),
    },
)


class DossierList(generics.ListAPIView):
    """The applicant's dossiers (and those of businesses they act for); ``POST`` files one."""

    serializer_class = DossierSerializer
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    def get_queryset(self) -> QuerySet[Dossier]:
        return selectors.dossiers_of(_user(self.request))

    @extend_schema(
        request={"multipart/form-data": FilingInput},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description=(
                    "Chosen by the client, 1–64 characters, new for each dossier. A retried "
                    "request with the same key answers 200 with the dossier filed first."
                ),
            )
        ],
        responses={201: DossierSerializer, 200: DossierSerializer},
    )
    def post(self, request: Request) -> Response:
        """File a whole dossier in one request: form answers and every file at once.

        For apps and other systems that hold the dossier already; the web pages and the
        ``drafts/`` calls build one step by step instead.
        """
        key = request.headers.get("Idempotency-Key", "").strip()
        if not 0 < len(key) <= 64:
            raise ValidationError(
                {"idempotency_key": [_("Send an Idempotency-Key header of 1 to 64 characters.")]}
            )
        fields = payload(request)
        target = selectors.filing_target(str(fields.get("procedure", ""))[:40])
        if target is None:
            raise ValidationError({"procedure": [_("No procedure open online has this code.")]})
        case_position = _number(fields.get("case_position"), "case_position")
        values = _form_answers(fields.get("data"))
        uploads = _component_files(request)
        rules = CaseRules.from_snapshot(target.version.snapshot, case_position)
        schema = rules.eform if rules is not None else None
        if schema:
            values = with_computed(schema, values)  # computed values are never the client's
        errors = validate_document(schema, values, person=_user(request)) if schema else {}
        try:
            dossier, created = services.file_at_once(
                user=_user(request),
                target=target,
                case_position=case_position,
                acting_for=acting_business(request),
                values=values,
                uploads=uploads,
                idempotency_key=key,
                form_errors=errors,
                declaration=_declaration(fields),
            )
        except UploadRefused as exc:
            raise ValidationError({"files": [str(exc)]}) from exc
        except services.DossierError as exc:
            if isinstance(exc, Conflict):
                raise  # a key used for another dossier (422): the API's error handler
            raise ValidationError({"detail": str(exc), "form": errors}) from exc
        if created:
            return Response(DossierSerializer(dossier).data, status=status.HTTP_201_CREATED)
        replayed = {"Idempotent-Replayed": "true"}
        return Response(DossierSerializer(dossier).data, headers=replayed)


def _number(value: Any, name: str) -> int:
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        number = -1
    if number < 0:
        raise ValidationError({name: [_("A whole number from 0.")]})
    return number


def _form_answers(raw: Any) -> dict[str, Any]:
    """The ``data`` part: a JSON object of the form's answers (none: an empty form)."""
    if raw in (None, ""):
        return {}
    try:
        values = json.loads(raw) if isinstance(raw, str | bytes) else raw
    except ValueError:
        values = None
    if not isinstance(values, dict):
        raise ValidationError({"data": [_("The form's answers must be a JSON object.")]})
    return values


def _component_files(request: Request) -> list[tuple[services.Slot, UploadedFile]]:
    """((component position, row), file) of every ``component_<n>`` or ``component_<n>_<row>``
    part, in the order sent."""
    uploads: list[tuple[services.Slot, UploadedFile]] = []
    for name in request.FILES:
        parts = name.removeprefix(COMPONENT_PART).split("_")
        if (
            not name.startswith(COMPONENT_PART)
            or len(parts) > 2
            or not all(part.isdigit() for part in parts)
        ):
            raise ValidationError(
                {name: [_("Name each file part component_0, component_1 … by its document.")]}
            )
        slot = (int(parts[0]), int(parts[1]) if len(parts) == 2 else None)
        uploads += [(slot, upload) for upload in request.FILES.getlist(name)]
    return uploads


@extend_schema(
    parameters=[
        OpenApiParameter("list", str, enum=list(selectors.WORKLISTS)),
        OpenApiParameter("sort", str, enum=list(selectors.SORTS)),
    ]
)
class Worklist(generics.ListAPIView):
    """An officer's worklist: only dossiers of their agencies."""

    serializer_class = DossierSerializer
    permission_classes = [IsVerifiedOfficer]

    def get_queryset(self) -> QuerySet[Dossier]:
        params = self.request.query_params
        errors = {}
        for parameter, default, allowed in (
            ("list", "to_receive", selectors.WORKLISTS),
            ("sort", "due", selectors.SORTS),
        ):
            if params.get(parameter, default) not in allowed:
                errors[parameter] = [
                    _("“%(value)s” is not one of: %(allowed)s.")
                    % {"value": params[parameter][:50], "allowed": ", ".join(allowed)}
                ]
        if errors:
            raise ValidationError(errors)
        return selectors.worklist(
            _user(self.request), params.get("list", "to_receive"), sort=params.get("sort", "due")
        )


def visible_dossier(request: Request, code: str) -> Dossier:
    dossier = Dossier.objects.filter(code=code).first()
    if dossier is None or not access.can_view(_user(request), dossier):
        raise NotFound
    return dossier


class DossierDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=DossierDetailSerializer)
    def get(self, request: Request, code: str) -> Response:
        return Response(DossierDetailSerializer(visible_dossier(request, code)).data)


class DossierAction(APIView):
    """Make a lifecycle transition (applicant: supplement, withdraw; officers: the rest)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=DossierActionSerializer, responses=DossierSerializer)
    def post(self, request: Request, code: str) -> Response:
        dossier = visible_dossier(request, code)
        action = DossierActionSerializer(data=payload(request))
        action.is_valid(raise_exception=True)
        transition = action.validated_data["transition"]
        officer_action = transition not in (Transition.SUPPLEMENT, Transition.WITHDRAW)
        if officer_action and not IsVerifiedOfficer().has_permission(request, self):
            raise NotFound
        to_unit = None
        if action.validated_data.get("to_unit"):
            to_unit = Agency.objects.filter(code=action.validated_data["to_unit"]).first()
            if to_unit is None:
                raise ValidationError({"to_unit": [_("No agency has this code.")]})
        dossier = services.act(
            dossier=dossier,
            user=_user(request),
            transition=transition,
            reason=action.validated_data["reason"],
            to_unit=to_unit,
            apology=action.validated_data["apology"],
        )
        return Response(DossierSerializer(dossier).data)


class DraftCreate(generics.CreateAPIView):
    """Start a draft for a procedure (eligibility is checked first)."""

    serializer_class = DraftSerializer
    permission_classes = [IsAuthenticated]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        draft = services.start_draft(
            user=_user(request),
            procedure=serializer.validated_data["procedure"],
            acting_for=acting_business(request),
            case_position=serializer.validated_data.get("case_position", 0),
            initial=serializer.validated_data.get("data") or {},
        )
        # A new draft has no attachments: answer without querying for them.
        draft._prefetched_objects_cache = {"attachments": Attachment.objects.none()}  # type: ignore[attr-defined]
        return Response(DraftSerializer(draft).data, status=status.HTTP_201_CREATED)


def own_draft(request: Request, draft_id: int) -> DossierDraft:
    try:
        return services.draft_for(_user(request), draft_id)
    except services.NotAllowed:
        raise NotFound from None  # the generic 404: whose draft it is is not disclosed


class DraftDetail(APIView):
    """Read or save a draft (``data`` is merged into what was saved)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=DraftSerializer)
    def get(self, request: Request, draft_id: int) -> Response:
        return Response(DraftSerializer(own_draft(request, draft_id)).data)

    @extend_schema(request=DraftAnswersSerializer, responses={200: DraftSerializer, 409: SUBMITTED})
    def patch(self, request: Request, draft_id: int) -> Response:
        draft = own_draft(request, draft_id)
        answers = DraftAnswersSerializer(data=payload(request))
        answers.is_valid(raise_exception=True)
        services.save_draft(draft=draft, user=_user(request), values=answers.validated_data["data"])
        return Response(DraftSerializer(draft).data)


class DraftAttachment(APIView):
    parser_classes = [MultiPartParser, FormParser]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=DraftUploadSerializer, responses={201: AttachmentSerializer, 409: SUBMITTED}
    )
    def post(self, request: Request, draft_id: int) -> Response:
        draft = own_draft(request, draft_id)
        upload = DraftUploadSerializer(data=payload(request))
        upload.is_valid(raise_exception=True)
        try:
            attachment = services.attach(
                draft=draft,
                user=_user(request),
                component_position=upload.validated_data["component"],
                upload=upload.validated_data["file"],
                row=upload.validated_data["row"],
            )
        except UploadRefused as exc:
            raise ValidationError({"file": [str(exc)]}) from exc
        except services.DossierError as exc:
            if isinstance(exc, Conflict):
                raise  # submitted already (409): a file would belong to no dossier
            raise ValidationError({"component": [str(exc)]}) from exc
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class DraftSubmit(APIView):
    """File the draft. Calling it again returns the same dossier."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: DossierSerializer})
    def post(self, request: Request, draft_id: int) -> Response:
        draft = own_draft(request, draft_id)
        schema = selectors.draft_case(draft).eform_schema
        errors = validate_document(schema, draft.data, person=_user(request)) if schema else {}
        try:
            dossier = services.submit(
                draft=draft,
                user=_user(request),
                form_errors=errors,
                declaration=_declaration(request.data),
            )
        except services.DossierError as exc:
            raise ValidationError({"detail": str(exc), "form": errors}) from exc
        return Response(DossierSerializer(dossier).data, status=status.HTTP_201_CREATED)


class PublicLookup(APIView):
    """Status by dossier code and the receipt's lookup code; no sign-in, no personal data."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        parameters=[
            OpenApiParameter("code", str, required=True),
            OpenApiParameter("secret", str, required=True),
        ],
        responses=inline_serializer(
            "DossierStatus",
            fields={
                "code": serializers.CharField(),
                "status": serializers.IntegerField(),
                "status_label": serializers.CharField(),
                "due_at": serializers.DateTimeField(allow_null=True),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        # Room for the spaces a code may be typed with (``selectors.normalised``).
        code = str(request.query_params.get("code", ""))[:60]
        secret = str(request.query_params.get("secret", ""))[:32]
        dossier = selectors.public_status(code, secret)
        if dossier is None:
            raise NotFound
        return Response(
            {
                "code": dossier.code,
                "status": dossier.status,
                "status_label": dossier.get_status_display(),
                "due_at": dossier.due_at,
            }
        )
