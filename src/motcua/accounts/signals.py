"""Sign-ins, failures, sign-outs and lockouts go to the audit log (no personal data)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditAction, User
from .services import audit


@receiver(user_logged_in)
def on_sign_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    method = getattr(request, "motcua_sign_in_method", "password")
    audit(AuditAction.SIGN_IN, actor=user, subject_user=user, method=method)


@receiver(user_logged_out)
def on_sign_out(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit(AuditAction.SIGN_OUT, actor=user, subject_user=user)


@receiver(user_login_failed)
def on_sign_in_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    # The typed user name may be someone's e-mail or ID number: it is not recorded.
    username = credentials.get("username") or ""
    known = User.objects.filter(username=username).first() if username else None
    audit(AuditAction.SIGN_IN_FAILED, actor=None, subject_user=known)


@receiver(user_locked_out)
def on_locked_out(sender: Any, request: Any, username: str = "", **kwargs: Any) -> None:
    known = User.objects.filter(username=username).first() if username else None
    audit(AuditAction.LOCKED_OUT, actor=None, subject_user=known)
