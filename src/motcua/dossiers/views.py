"""Dossier pages: filing (e-form steps, drafts, attachments), my dossiers, officer desk, lookup."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.accounts import access as accounts_access
from motcua.accounts.access import officer_required
from motcua.accounts.acting import acting_business
from motcua.accounts.models import AssuranceLevel, Business, User
from motcua.agencies.models import Agency
from motcua.catalog.models import FeeBasis, PaymentTiming
from motcua.catalog.rules import CaseRules, ComponentRule
from motcua.catalog.selectors import published_procedures
from motcua.eforms.display import answer_sections
from motcua.eforms.forms import EForm, finish_document, initial_from_document, merge_documents
from motcua.eforms.prefill import Applicant, Prefilled, as_document, prefill_values, still_prefilled
from motcua.eforms.summary import summary
from motcua.eforms.validation import validate_document
from motcua.errors import DomainError
from motcua.security import file_response

from . import (
    access,
    checklist,
    coordination,
    documents,
    lifecycle,
    panels,
    selectors,
    services,
    sources,
)
from .deadlines import send_apology
from .forms import (
    ActionForm,
    ApologyForm,
    ChecklistForm,
    ConsultationAnswerForm,
    ConsultationForm,
    LookupForm,
    ReviewForm,
    SupplementUploadForm,
    UploadForm,
    WithdrawForm,
)
from .lifecycle import Actor, Status, Transition
from .models import ApologyLetter, Attachment, Consultation, Delivery, Dossier, DossierDraft


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _schema(draft: DossierDraft) -> dict[str, Any]:
    schema: dict[str, Any] = draft.procedure.cases.all()[draft.case_position].eform_schema
    return schema


def _profile(user: User) -> dict[str, object]:
    return {
        "full_name": user.full_name,
        "date_of_birth": user.date_of_birth,
        "personal_id": user.personal_id or "",
        "phone": user.phone,
        "email": user.email,
        "address": user.current_street or user.permanent_street,
        "sex": user.sex,
    }


_FROM_EID = ("full_name", "date_of_birth", "personal_id", "address", "sex")


def _prefilled(
    schema: dict[str, Any], user: User, business: Business | None
) -> dict[str, Prefilled]:
    """The e-form's first values for this applicant, with where each came from: the account
    (its identity from the e-ID when the e-ID vouched for it) and every ``x-prefill`` source."""
    if not schema:
        return {}
    eid = user.assurance_level > AssuranceLevel.UNVERIFIED
    origins = {
        key: str(_("your e-ID (VNeID)") if eid and key in _FROM_EID else _("your account"))
        for key in (*_FROM_EID, "phone", "email")
    }
    return prefill_values(
        schema,
        applicant=Applicant(user, business),
        profile=_profile(user),
        profile_origins=origins,
    )


# --- filing ---------------------------------------------------------------------------------


@login_required
@require_POST
def start(request: HttpRequest, code: str) -> HttpResponse:
    procedure = get_object_or_404(published_procedures(), code=code)
    user = _user(request)
    cases = list(procedure.cases.all())
    try:
        case_position = int(request.POST.get("case", "0"))
    except ValueError:
        case_position = -1
    if not 0 <= case_position < len(cases):
        messages.error(request, _("This procedure has no such case."))
        return redirect("catalog:apply", code=code)
    schema = cases[case_position].eform_schema
    acting_for = acting_business(request)
    try:
        # a new draft only: pre-filled values are first answers, never over the citizen's own
        prefilled = _prefilled(schema, user, acting_for)
        draft = services.start_draft(
            user=user,
            procedure=procedure,
            acting_for=acting_for,
            case_position=case_position,
            initial=(
                finish_document(
                    schema, as_document({name: p.value for name, p in prefilled.items()})
                )
                if prefilled
                else {}
            ),
        )
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("catalog:apply", code=code)
    return redirect("dossiers:draft", draft_id=draft.pk, step=0)


@login_required
@require_http_methods(["GET", "POST"])
def draft_step(request: HttpRequest, draft_id: int, step: int) -> HttpResponse:
    """One step of the e-form. Every valid step is saved at once; nothing typed is lost."""
    try:
        draft = services.draft_for(_user(request), draft_id)
    except services.NotAllowed:
        raise Http404 from None  # not 403: whose draft it is is not disclosed
    if Dossier.objects.filter(draft=draft).exists():
        return redirect("dossiers:detail", code=Dossier.objects.get(draft=draft).code)
    schema = _schema(draft)
    steps = EForm.steps(schema)
    if step >= len(steps):
        return redirect("dossiers:review", draft_id=draft.pk)
    status = 200
    if request.method == "POST":
        form = EForm(
            schema, data=request.POST, step=step, answers=draft.data, person=_user(request)
        )
        if form.rows_changed:
            # a row of a repeating group was added or removed: shown again, nothing saved yet
            return render(
                request,
                "dossiers/draft_step.html",
                {
                    "draft": draft,
                    "form": form,
                    "steps": steps,
                    "step": step,
                    "step_count": len(steps),
                },
            )
        if form.is_valid():
            services.save_draft(
                draft=draft,
                user=_user(request),
                # answers an earlier choice now rules out leave the draft with it, and the
                # values the server computes are computed again
                values=finish_document(schema, merge_documents(draft.data, form.to_json())),
                step=step,
            )
            if request.POST.get("action") == "save":
                messages.success(request, _("Your draft is saved. You can continue later."))
                return redirect("dossiers:draft", draft_id=draft.pk, step=step)
            return redirect("dossiers:draft", draft_id=draft.pk, step=step + 1)
        status = 400
    else:
        initial = initial_from_document(schema, draft.data)
        form = EForm(
            schema,
            initial=initial,
            step=step,
            answers=draft.data,
            person=_user(request),
            prefilled=still_prefilled(
                _prefilled(schema, _user(request), draft.on_behalf_of), initial
            ),
        )
    return render(
        request,
        "dossiers/draft_step.html",
        {"draft": draft, "form": form, "steps": steps, "step": step, "step_count": len(steps)},
        status=status,
    )


def _dong(amount: int) -> str:
    """Integer đồng as Vietnamese writes it (``8.000``)."""
    return f"{amount:,}".replace(",", ".")


def _fee_summary(rules: CaseRules | None, answers: dict[str, Any]) -> dict[str, object]:
    """The fee this dossier will owe, as the review step shows it (the case's own rules)."""
    if rules is None:
        return {"amount": 0, "shown": "0"}
    per_copy = rules.fee_basis == FeeBasis.PER_COPY
    return {
        "amount": rules.fee_for(answers),
        "shown": _dong(rules.fee_for(answers)),
        "per_copy": per_copy,
        "unit": _dong(rules.fee),
        "copies": rules.copies(answers) if per_copy else None,
        "description": rules.fee_description,
        "at_result": rules.payment_timing == PaymentTiming.AT_RESULT,
    }


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, draft_id: int) -> HttpResponse:
    """The last step: every answer and file, the receiving agency, the fee, how the result is
    received and the declaration to tick; submitting twice files one dossier."""
    user = _user(request)
    try:
        draft = services.draft_for(user, draft_id)
    except services.NotAllowed:
        raise Http404 from None  # not 403: whose draft it is is not disclosed
    existing = Dossier.objects.filter(draft=draft).first()
    if existing is not None:
        return redirect("dossiers:detail", code=existing.code)
    schema = _schema(draft)
    case = draft.procedure.cases.all()[draft.case_position]
    upload_form = UploadForm()
    review_form = ReviewForm(initial={"delivery_address": _profile(user)["address"]}, person=user)
    problems: list[str] = []
    status = 200
    if request.method == "POST" and request.POST.get("action") == "upload":
        upload_form = UploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            try:
                services.attach(
                    draft=draft,
                    user=user,
                    component_position=upload_form.cleaned_data["component"],
                    upload=upload_form.cleaned_data["file"],
                    row=upload_form.cleaned_data["row"],
                )
            except DomainError as exc:
                problems.append(str(exc))
                status = 400
            else:
                return redirect("dossiers:review", draft_id=draft.pk)
        else:
            problems.extend(str(e) for errors in upload_form.errors.values() for e in errors)
            status = 400
    errors = validate_document(schema, draft.data, person=user) if schema else {}
    if request.method == "POST" and request.POST.get("action") == "submit":
        review_form = ReviewForm(request.POST, person=user)  # kept as typed when refused
        if review_form.is_valid():
            try:
                dossier = services.submit(
                    draft=draft,
                    user=user,
                    form_errors=errors,
                    declaration=services.Declaration(
                        delivery=review_form.cleaned_data["delivery"],
                        address=review_form.cleaned_data["delivery_address"],
                        declared=review_form.cleaned_data["declared"],
                    ),
                )
            except DomainError as exc:
                problems.append(str(exc))
                status = 400
            else:
                messages.success(request, _("Your dossier was submitted."))
                return redirect("dossiers:detail", code=dossier.code)
        else:
            status = 400
    attached = {(a.component_position, a.row): a for a in draft.attachments.all()}
    in_case = list(case.components.all())
    rules = [
        ComponentRule(
            name=c.name,
            mandatory=c.mandatory,
            document_type=c.document_type,
            per_row_of=c.per_row_of,
            fetched_by_agency=c.fetched_by_agency,
        )
        for c in in_case
    ]
    # what registered sources (the personal data store …) offer instead of an upload
    offers = sources.registry.offers(draft, user, rules)
    components = []
    for i, c in enumerate(in_case):
        proved = rules[i].proved_by_eid(user.assurance_level)
        if not c.per_row_of:
            components.append(
                {
                    "position": i,
                    "component": c,
                    "file": attached.get((i, None)),
                    "proved": proved,
                    "offers": offers.get(i, []),
                }
            )
            continue
        rows = draft.data.get(c.per_row_of)
        # one document for each row of the group the form asks it for
        components.extend(
            {
                "position": i,
                "component": c,
                "row": row,
                "row_label": services.row_label(draft.data, c.per_row_of, row),
                "file": attached.get((i, row)),
                "proved": proved,
            }
            for row in range(len(rows) if isinstance(rows, list) else 0)
        )
    return render(
        request,
        "dossiers/review.html",
        {
            "draft": draft,
            "answers": list(summary(schema, draft.data)) if schema else [],
            "agency": draft.receiving_agency,
            "fee": _fee_summary(selectors.latest_rules(draft), draft.data),
            "components": components,
            "errors": errors,
            "problems": problems,
            "review_form": review_form,
            "post": Delivery.POST.value,
            "step_count": len(EForm.steps(schema)) if schema else 0,
        },
        status=status,
    )


# --- my dossiers ----------------------------------------------------------------------------


@login_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page = selectors.my_dossiers_page(user, request.GET.get("page"))
    drafts = selectors.drafts_of(user)
    return render(request, "dossiers/my_dossiers.html", {"page": page, "drafts": drafts})


def _visible(request: HttpRequest, code: str) -> Dossier:
    dossier = get_object_or_404(
        Dossier.objects.select_related("procedure", "receiving_agency", "applicant"), code=code
    )
    if not access.can_view(_user(request), dossier):
        raise Http404  # not 403: whether a code exists is not disclosed
    return dossier


def _applicant_page(
    request: HttpRequest,
    dossier: Dossier,
    *,
    status: int = 200,
    problems: Sequence[str] = (),
    **forms: Form,
) -> HttpResponse:
    """The dossier as its applicant (or an officer) sees it, with the panels apps register.
    ``forms``: a refused action's form, bound to what was typed, in place of the blank one."""
    user = _user(request)
    roles = access.roles_for(user, dossier)  # once per page, given to every panel
    is_applicant = Actor.APPLICANT in roles
    return render(
        request,
        "dossiers/detail.html",
        {
            "dossier": dossier,
            "events": services.history(dossier),
            "attachments": dossier.attachments.all(),
            "is_applicant": is_applicant,
            "can_withdraw": is_applicant
            and dossier.status in lifecycle.RULES[Transition.WITHDRAW].sources,
            "problems": list(problems),
            "guided_to": services.guided_to(dossier),
            "next_action": selectors.next_action(dossier) if is_applicant else None,
            "components": dossier.rules.components,
            "page_url": reverse("dossiers:detail", kwargs={"code": dossier.code}),
            "upload_form": SupplementUploadForm(),
            "withdraw_form": WithdrawForm(),
            **forms,
            "panels": panels.registry.shown(panels.APPLICANT_PAGE, dossier, user, roles),
        },
        status=status,
    )


@login_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    return _applicant_page(request, _visible(request, code))


@login_required
@require_POST
def supplement_upload(request: HttpRequest, code: str) -> HttpResponse:
    """The applicant uploads a file the supplement request asked for."""
    dossier = _visible(request, code)
    form = SupplementUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attach_supplement(
                dossier=dossier,
                user=_user(request),
                component_position=form.cleaned_data["component"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("dossiers:detail", code=dossier.code)
    return _applicant_page(request, dossier, status=400, problems=_errors(form), upload_form=form)


@login_required
@require_POST
def supplement_done(request: HttpRequest, code: str) -> HttpResponse:
    """The applicant confirms they provided what was asked: the clock runs again."""
    return _applicant_transition(request, code, Transition.SUPPLEMENT, Form(request.POST))


@login_required
@require_POST
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    """Withdrawing is final: refused without the reason (kept in the history) and the
    confirmation ticked, the page showing what was typed."""
    return _applicant_transition(
        request, code, Transition.WITHDRAW, WithdrawForm(request.POST, auto_id="withdraw-%s")
    )


def _applicant_transition(
    request: HttpRequest, code: str, transition: str, form: Form
) -> HttpResponse:
    dossier = _visible(request, code)
    if form.is_valid():
        try:
            services.act(
                dossier=dossier,
                user=_user(request),
                transition=transition,
                reason=form.cleaned_data.get("reason", ""),
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("dossiers:detail", code=dossier.code)
    forms = {"withdraw_form": form} if transition == Transition.WITHDRAW else {}
    return _applicant_page(request, dossier, status=400, problems=_errors(form), **forms)


def _errors(form: Form) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]


@login_required
def attachment(request: HttpRequest, code: str, attachment_id: int) -> FileResponse:
    dossier = _visible(request, code)
    item = get_object_or_404(Attachment, pk=attachment_id, dossier=dossier)
    # The type found in its bytes at upload, never its name; a download, never a page of ours.
    return file_response(
        item.file.open("rb"), filename=item.original_name, content_type=item.content_type
    )


@require_http_methods(["GET"])
def lookup(request: HttpRequest) -> HttpResponse:
    """Public status by code and receipt secret: no sign-in, status only, no personal data."""
    form = LookupForm(request.GET or None)
    dossier = None
    timeline: list[selectors.PublicStep] = []
    status = 200
    if request.GET:
        if form.is_valid():
            dossier, timeline = selectors.public_status_and_timeline(
                form.cleaned_data["code"], form.cleaned_data["secret"]
            )
            if dossier is None:
                form.add_error(None, _("No dossier matches this code and lookup code."))
                status = 404
        else:
            status = 400
    return render(
        request,
        "dossiers/lookup.html",
        {"form": form, "dossier": dossier, "timeline": timeline},
        status=status,
    )


# --- officers -------------------------------------------------------------------------------


@officer_required
def officer_worklist(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("list", "to_receive")
    if name not in selectors.WORKLISTS:
        name = "to_receive"
    sort = request.GET.get("sort", "due")
    query = request.GET.get("q", "")[:100].strip()
    user = _user(request)
    page = Paginator(selectors.worklist(user, name, sort=sort, query=query), 25).get_page(
        request.GET.get("page")
    )
    counts = selectors.worklist_counts(user, query=query)
    return render(
        request,
        "dossiers/officer_worklist.html",
        {
            "page": page,
            "current": name,
            "tabs": [(list_name, counts[list_name]) for list_name in selectors.WORKLISTS],
            "sort": sort,
            "query": query,
        },
    )


def _officer_target(request: HttpRequest, code: str) -> tuple[Dossier, User, set[str]]:
    """The dossier and the officer's roles on it (404 when they have none)."""
    dossier = _visible(request, code)
    user = _user(request)
    roles = access.roles_for(user, dossier) - {Actor.APPLICANT}
    if not roles:
        raise Http404
    return dossier, user, roles


def _officer_page(
    request: HttpRequest,
    dossier: Dossier,
    user: User,
    roles: set[str],
    *,
    status: int = 200,
    **forms: object,
) -> HttpResponse:
    """The officer's dossier page. ``forms``: a refused action's form, bound to what was
    typed, (and which letter or request it was for) in place of the blank one."""
    my_agencies = set(accounts_access.agency_ids(user))
    consultations = list(dossier.consultations.select_related("coordinating_agency"))
    rows = checklist.rows(dossier)
    context = {
        "dossier": dossier,
        "events": services.history(dossier),
        "attachments": dossier.attachments.all(),
        # as filed: a digital address corrected since is shown as it was then
        "answers": answer_sections(
            dossier.rules.eform, dossier.form_data, as_of=dossier.submitted_at
        ),
        "applicant": dossier.applicant,
        "business": dossier.on_behalf_of,
        "checklist": rows,
        "can_check": checklist.may_check(roles, dossier),
        "not_valid": checklist.mandatory_not_valid(rows),
        "supplement_reason": checklist.supplement_reason(rows),
        "actions": [
            (name, Transition(name).label, lifecycle.RULES[name].reason_required)
            for name in lifecycle.allowed(dossier.status, roles)
        ],
        "form": ActionForm(),
        "apology_form": ApologyForm(),
        "consult_form": ConsultationForm(initial={"working_days": "3"}),
        "answer_form": ConsultationAnswerForm(),
        "letters": dossier.apologies.filter(status="draft"),
        "is_late": dossier.is_late(),
        "guided_to": services.guided_to(dossier),
        "steps": list(dossier.steps.all()),
        "consultations": consultations,
        "to_answer": [
            c for c in consultations if c.is_open and c.coordinating_agency_id in my_agencies
        ],
        "can_consult": dossier.status == Status.PROCESSING
        and bool(roles & {Actor.PROCESSOR, Actor.APPROVER}),
        "agencies": Agency.objects.current().order_by("name"),
        "page_url": reverse("dossiers:officer_dossier", kwargs={"code": dossier.code}),
        **forms,
        "panels": panels.registry.shown(panels.OFFICER_PAGE, dossier, user, roles),
    }
    return render(request, "dossiers/officer_dossier.html", context, status=status)


def _done(request: HttpRequest, dossier: Dossier, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("dossiers:officer_dossier", code=dossier.code)


@officer_required
@require_GET
def officer_dossier(request: HttpRequest, code: str) -> HttpResponse:
    dossier, user, roles = _officer_target(request, code)
    return _officer_page(request, dossier, user, roles)


@officer_required
@require_POST
def officer_transition(request: HttpRequest, code: str) -> HttpResponse:
    """A lifecycle transition: accept, forward, decide, request a supplement …"""
    dossier, user, roles = _officer_target(request, code)
    # Ids as the page's form of this transition has them: the error summary links to its fields.
    transition = request.POST.get("transition", "")[:32]
    form = ActionForm(request.POST, auto_id=f"{transition}-%s")
    if form.is_valid():
        unchecked = (
            checklist.mandatory_not_valid(checklist.rows(dossier))
            if transition == Transition.ACCEPT and not form.cleaned_data["confirm_unchecked"]
            else []
        )
        if unchecked:
            # Asked, not refused: the law makes the receiving officer answer for the check,
            # and they may have checked the originals at the counter without ticking here. A
            # refusal would teach ticking boxes to get past the software; naming what is not
            # ticked and asking them to confirm keeps the decision theirs, and visible.
            form.add_error(
                None,
                _(
                    "These mandatory documents are not ticked valid in the checklist: "
                    "%(names)s. Tick them, or confirm that you checked them and accept."
                )
                % {"names": "; ".join(unchecked)},
            )
        else:
            try:
                services.act(
                    dossier=dossier,
                    user=user,
                    transition=form.cleaned_data["transition"],
                    reason=form.cleaned_data["reason"],
                    to_unit=form.cleaned_data["to_unit"],
                    apology=form.cleaned_data["apology"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                return _done(request, dossier, _("Done."))
    return _officer_page(request, dossier, user, roles, status=400, form=form)


@officer_required
@require_POST
def officer_checklist(request: HttpRequest, code: str) -> HttpResponse:
    """The receiving officer's ticks on the dossier's documents: valid, digitised."""
    dossier, user, roles = _officer_target(request, code)
    form = ChecklistForm(request.POST, count=len(dossier.rules.components))
    if form.is_valid():
        try:
            checklist.save(dossier=dossier, officer=user, ticks=form.ticks())
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            return _done(request, dossier, _("The checklist is saved."))
    return _officer_page(request, dossier, user, roles, status=400, checklist_form=form)


@officer_required
@require_POST
def officer_apology(request: HttpRequest, code: str, letter_id: int) -> HttpResponse:
    """Form 04: the apology and new appointment, sent to the applicant."""
    dossier, user, roles = _officer_target(request, code)
    letter = get_object_or_404(ApologyLetter, pk=letter_id, dossier=dossier)
    form = ApologyForm(request.POST, auto_id=f"apology-{letter.pk}-%s")
    if form.is_valid():
        try:
            send_apology(letter=letter, officer=user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error("reason", str(exc))
        else:
            return _done(request, dossier, _("The apology letter was sent."))
    return _officer_page(
        request, dossier, user, roles, status=400, apology_form=form, apology_letter=letter.pk
    )


@officer_required
@require_POST
def officer_consult(request: HttpRequest, code: str) -> HttpResponse:
    """Send a part of the dossier to a coordinating agency, with its time slice."""
    dossier, user, roles = _officer_target(request, code)
    form = ConsultationForm(request.POST, auto_id="consult-%s")
    if form.is_valid():
        try:
            coordination.request_part(
                dossier=dossier,
                officer=user,
                agency=form.cleaned_data["agency"],
                part=form.cleaned_data["part"],
                working_days=form.cleaned_data["working_days"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            return _done(request, dossier, _("Done."))
    return _officer_page(request, dossier, user, roles, status=400, consult_form=form)


@officer_required
@require_POST
def officer_answer(request: HttpRequest, code: str, consultation_id: int) -> HttpResponse:
    """A coordinating agency's answer to the lead agency."""
    dossier, user, roles = _officer_target(request, code)
    consultation = get_object_or_404(Consultation, pk=consultation_id, dossier=dossier)
    form = ConsultationAnswerForm(request.POST, auto_id=f"answer-{consultation.pk}-%s")
    if form.is_valid():
        try:
            coordination.answer_part(
                consultation=consultation, officer=user, answer=form.cleaned_data["answer"]
            )
        except DomainError as exc:
            form.add_error("answer", str(exc))
        else:
            return _done(request, dossier, _("Done."))
    return _officer_page(
        request,
        dossier,
        user,
        roles,
        status=400,
        answer_form=form,
        answer_consultation=consultation.pk,
    )


FORM_EVENTS = {
    "02": Transition.REQUEST_SUPPLEMENT,
    "03": Transition.REFUSE,
    "05": Transition.STOP,
}


@login_required
def document(request: HttpRequest, code: str, form: str) -> HttpResponse:
    """The one-stop forms of a dossier as PDF: 01 receipt, 02, 03, 04, 05, 06 control sheet."""
    dossier = _visible(request, code)
    roles = access.roles_for(_user(request), dossier)
    pdf: bytes
    if form == "01":
        if dossier.accepted_at is None:
            raise Http404
        lookup = (
            reverse("dossiers:lookup")
            + "?"
            + urlencode({"code": dossier.code, "secret": dossier.lookup_secret})
        )
        pdf = documents.receipt_pdf(dossier, tracking_url=request.build_absolute_uri(lookup))
    elif form in FORM_EVENTS:
        event = dossier.events.filter(transition=FORM_EVENTS[form]).last()
        if event is None:
            raise Http404
        if form == "02":
            pdf = documents.supplement_request_pdf(dossier, missing=event.reason)
        elif form == "03":
            pdf = documents.refusal_pdf(dossier, reason=event.reason)
        else:
            pdf = documents.stop_pdf(dossier, reason=event.reason)
    elif form == "04":
        letter = dossier.apologies.filter(status="sent").first()  # the latest sent
        if letter is None:
            raise Http404
        pdf = documents.apology_pdf(dossier, reason=letter.reason, new_due=letter.proposed_due_at)
    elif form == "06" and roles - {Actor.APPLICANT}:
        pdf = documents.control_sheet_pdf(dossier)
    else:
        raise Http404
    name = f"{dossier.code}-mau-{form}.pdf"
    return file_response(pdf, filename=name, content_type="application/pdf")
