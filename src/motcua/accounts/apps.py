from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Tài khoản: citizens, businesses, officers, the national e-ID sign-in, the audit log."""

    name = "motcua.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # api_auth: token-cache invalidation; prefill: the "eid" source of e-form values
        from . import api_auth, prefill, signals  # noqa: F401
