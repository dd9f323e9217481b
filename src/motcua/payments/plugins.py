"""The payments app's plugins: every gateway engine module registers itself on import."""

from motcua.plugins import import_submodules

import_submodules("motcua.payments.gateways")
