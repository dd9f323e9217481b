from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "motcua.opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from .datastore import drop_stored_rows
        from .models import DatastoreTable

        def forget_rows(sender: object, instance: DatastoreTable, **kwargs: object) -> None:
            # A table deleted (replaced, or along with its resource) takes its PostgreSQL table
            # with it.
            drop_stored_rows(instance)

        post_delete.connect(forget_rows, sender=DatastoreTable, weak=False)
