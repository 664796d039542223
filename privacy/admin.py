"""The managers edit the compliance pages (one row per page and language) and see the data
exports in progress (nothing of their content)."""

from django.contrib import admin

from privacy.models import DataExport, LegalPage


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "language", "updated_at"]
    list_filter = ["kind", "language"]
    search_fields = ["title", "body"]
    fields = ["kind", "language", "title", "body"]


@admin.register(DataExport)
class DataExportAdmin(admin.ModelAdmin):
    list_display = ["user", "state", "created_at", "expires_at", "notified_at"]
    list_filter = ["state"]
    fields = ["user", "state", "parts_done", "parts", "created_at", "finished_at", "expires_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
