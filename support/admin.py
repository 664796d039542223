"""The managers edit the FAQ (themes with their questions) and the "Mes services" pages."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from portal.history import ReferenceHistoryAdmin
from support.models import FaqEntry, FaqTheme, ServicePage


class FaqEntryInline(admin.StackedInline):
    model = FaqEntry
    extra = 0
    fields = ["question", "answer", ("link_url_name", "link_label"), ("published", "position")]


@admin.register(FaqTheme)
class FaqThemeAdmin(ReferenceHistoryAdmin):
    list_display = ["name", "position", "entry_count"]
    list_editable = ["position"]
    search_fields = ["name"]
    inlines = [FaqEntryInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(entry_total=Count("entries"))

    @admin.display(description=_("questions"), ordering="entry_total")
    def entry_count(self, theme):
        return theme.entry_total


@admin.register(FaqEntry)
class FaqEntryAdmin(ReferenceHistoryAdmin):
    list_display = ["question", "theme", "published", "position", "link_url_name"]
    list_filter = ["theme", "published"]
    list_editable = ["published", "position"]
    search_fields = ["question", "answer"]
    fields = ["theme", "question", "answer", ("link_url_name", "link_label"), "published",
              "position"]  # fmt: skip


@admin.register(ServicePage)
class ServicePageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "published", "position"]
    list_editable = ["published", "position"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "summary", "body"]
    fields = ["title", "slug", "summary", "body", "published", "position"]
