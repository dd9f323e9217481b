from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Tài khoản: citizens, businesses, officers, the national e-ID sign-in, the audit log."""

    name = "motcua.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from . import api_auth, signals  # noqa: F401  (api_auth: token-cache invalidation)
