from django.contrib import admin

from .models import ProcedureAudio


@admin.register(ProcedureAudio)
class ProcedureAudioAdmin(admin.ModelAdmin):
    """Recordings are made, never edited: the admin shows them and may delete one to redo it."""

    list_display = ["version", "voice", "synthesiser", "generated_at", "failure"]
    list_filter = ["voice", "synthesiser"]
    search_fields = ["version__procedure__code", "version__procedure__name"]
    readonly_fields = [
        "version",
        "voice",
        "transcript",
        "audio",
        "content_type",
        "synthesiser",
        "failure",
        "requested_at",
        "generated_at",
    ]

    def has_add_permission(self, request: object) -> bool:
        return False
