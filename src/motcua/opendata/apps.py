from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "motcua.opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from .datastore import drop_indexes
        from .models import DatastoreTable

        def forget_indexes(sender: object, instance: DatastoreTable, **kwargs: object) -> None:
            # A table deleted along with its resource takes its per-column indexes with it.
            drop_indexes(instance)

        post_delete.connect(forget_indexes, sender=DatastoreTable, weak=False)
