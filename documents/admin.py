from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from documents.models import StoredFile


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    """Read-only: files enter through the upload services and leave through the checked view."""

    list_display = ["original_name", "content_type", "size", "uploaded_by", "created_at"]
    list_filter = ["content_type", "created_at"]
    search_fields = ["original_name", "sha256"]
    list_select_related = ["uploaded_by"]
    fields = [
        "original_name",
        "download_link",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "created_at",
        "expires_at",
        "deleted_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("téléchargement"))
    def download_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("documents:download", args=[obj.pk]), _("Télécharger")
        )
