from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormBuilderConfig(AppConfig):
    name = "motcua.formbuilder"
    label = "formbuilder"
    verbose_name = _("E-form builder")
