"""Administrators manage officers (agency roles) here; every role change is audited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import get_application_admin_class, get_application_model

from .models import AgencyMembership, AuditAction, AuditEvent, Business, BusinessMembership, User
from .oauth import application_problem
from .second_factor import issue_enrolment_code
from .services import audit


class AgencyMembershipInline(admin.TabularInline):
    model = AgencyMembership
    fk_name = "user"
    extra = 0
    fields = ("agency", "desk", "role", "title", "granted_at", "granted_by", "revoked_at")
    readonly_fields = ("granted_at", "granted_by")
    raw_id_fields = ("agency", "desk")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (
            _("Identity"),
            {
                "fields": (
                    "full_name",
                    "personal_id",
                    "date_of_birth",
                    "sex",
                    "phone",
                    "assurance_level",
                    "eid_subject",
                    "phone_verified_at",
                    "email_verified_at",
                )
            },
        ),
    )
    readonly_fields = ("eid_subject", "phone_verified_at", "email_verified_at")
    list_display = ("username", "full_name", "assurance_level", "is_staff")
    list_filter = ("assurance_level", "is_staff", "agency_memberships__role")
    search_fields = ("username", "full_name", "email", "personal_id")
    inlines = [AgencyMembershipInline]
    actions = ["issue_enrolment_codes"]

    @admin.action(description=_("Issue a one-time code to enrol the second factor"))
    def issue_enrolment_codes(self, request: HttpRequest, queryset: Any) -> None:
        """Shown once here; the administrator hands each code over (in person, by phone)."""
        actor = request.user if isinstance(request.user, User) else None
        link = request.build_absolute_uri(reverse("accounts:second_factor"))
        for user in queryset:
            code = issue_enrolment_code(user=user, issued_by=actor)
            self.message_user(
                request,
                _("Enrolment code for %(user)s: %(code)s (link: %(link)s?enrol=%(code)s)")
                % {"user": user.username, "code": code, "link": link},
                messages.WARNING,
            )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not AgencyMembership:
            super().save_formset(request, form, formset, change)
            return
        actor = request.user if isinstance(request.user, User) else None
        memberships = formset.save(commit=False)
        for membership in memberships:
            is_new = membership.pk is None
            if is_new:
                membership.granted_by = actor
            membership.save()
            if is_new:
                action = AuditAction.ROLE_GRANTED
            elif membership.revoked_at:
                action = AuditAction.ROLE_REVOKED
            else:
                continue
            audit(
                action,
                actor=actor,
                subject_user=membership.user,
                role=membership.role,
                agency=membership.agency.code,
            )
        for deleted in formset.deleted_objects:
            # Deleting a role is recorded as revoking it; the row stays for the record.
            deleted.revoked_at = deleted.revoked_at or timezone.now()
            deleted.save(update_fields=["revoked_at"])
            audit(
                AuditAction.ROLE_REVOKED,
                actor=actor,
                subject_user=deleted.user,
                role=deleted.role,
                agency=deleted.agency.code,
            )
        formset.save_m2m()


class BusinessMembershipInline(admin.TabularInline):
    model = BusinessMembership
    fk_name = "business"
    extra = 0
    raw_id_fields = ("user", "granted_by", "revoked_by")
    readonly_fields = ("granted_at", "granted_by", "revoked_at", "revoked_by")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Roles are granted by the business's representative, in the citizen portal.
        return False


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ("tax_code", "name", "representative_name")
    search_fields = ("tax_code", "name")
    inlines = [BusinessMembershipInline]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "action", "actor", "subject_user", "on_behalf_of")
    list_filter = ("action",)
    date_hierarchy = "created_at"
    readonly_fields = ("created_at", "action", "actor", "subject_user", "on_behalf_of", "detail")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- OAuth2 applications: registered by administrators only, within the server's rules --------

Application = get_application_model()


class ApplicationForm(forms.ModelForm):
    """The admin's form of an application (its fields as DOT's admin lists them), checked
    against what this server offers."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problem = application_problem(
            client_type=data.get("client_type", ""),
            grant_type=data.get("authorization_grant_type", ""),
            has_owner=data.get("user") is not None,
        )
        if problem:
            raise forms.ValidationError(problem)
        return data


admin.site.unregister(Application)


@admin.register(Application)
class MotcuaApplicationAdmin(get_application_admin_class()):  # type: ignore[misc]
    form = ApplicationForm
