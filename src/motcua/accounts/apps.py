from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Tài khoản: users (citizens, businesses, officers)."""

    name = "motcua.accounts"
    verbose_name = _("Accounts")
