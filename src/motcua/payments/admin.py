from django.contrib import admin, messages

from .gateways.registry import configured
from .models import Payment, PaymentEvent, SandboxTransaction


class EventInline(admin.TabularInline):
    model = PaymentEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "action", "source", "from_state", "to_state", "code", "detail")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Read-only: payments change only through their services (the log says who and why)."""

    list_display = ["order_ref", "dossier", "amount", "state", "gateway", "created_at"]
    list_filter = ["state", "gateway"]
    search_fields = ["order_ref", "dossier__code", "gateway_transaction_no"]
    inlines = [EventInline]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return [field.name for field in Payment._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def changelist_view(self, request, extra_context=None):  # type: ignore[no-untyped-def]
        # What is configured and what each gateway's check_config() says, on top of the list.
        if request.method == "GET":
            for name, problems in configured().items():
                level = messages.WARNING if problems else messages.INFO
                text = "; ".join(problems) if problems else "ready"
                self.message_user(request, f"Gateway {name}: {text}", level=level)
        return super().changelist_view(request, extra_context)


@admin.register(SandboxTransaction)
class SandboxTransactionAdmin(admin.ModelAdmin):
    list_display = ["txn_ref", "amount", "transaction_status", "response_code", "created_at"]
