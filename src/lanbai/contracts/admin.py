from django.contrib import admin

from .models import ContractHistory, RegistrationSequence, TechContract


class HistoryInline(admin.TabularInline):
    model = ContractHistory
    extra = 0
    can_delete = False
    readonly_fields = ("action", "from_status", "to_status", "user", "at", "reason")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TechContract)
class TechContractAdmin(admin.ModelAdmin):
    """Read-only here: every change goes through the services (audited, with history)."""

    list_display = ("registration_number", "title", "contract_type", "status", "seller_name", "amount",
                    "registered_on", "is_simulated")
    list_filter = ("status", "contract_type", "seller_zone", "is_simulated")
    search_fields = ("title", "seller_name", "buyer_name", "registration_number", "seller_credit_code")
    inlines = [HistoryInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RegistrationSequence)
class RegistrationSequenceAdmin(admin.ModelAdmin):
    list_display = ("region", "year", "last")

    def has_change_permission(self, request, obj=None):
        return False
