"""The managers edit the FAQ (themes with their questions) and the "Mes services" pages."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from portal.admin_forms import LabelledListEditableMixin
from portal.history import ReferenceHistoryAdmin
from support.models import FaqEntry, FaqTheme, ServiceAction, ServicePage, UnansweredQuestion


class FaqEntryInline(admin.StackedInline):
    model = FaqEntry
    extra = 0
    fields = ["question", "answer", "keywords", ("link_url_name", "link_label"),
              ("published", "position")]  # fmt: skip


@admin.register(FaqTheme)
class FaqThemeAdmin(LabelledListEditableMixin, ReferenceHistoryAdmin):
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
class FaqEntryAdmin(LabelledListEditableMixin, ReferenceHistoryAdmin):
    list_display = ["question", "theme", "published", "position", "link_url_name"]
    list_filter = ["theme", "published"]
    list_editable = ["published", "position"]
    search_fields = ["question", "answer"]
    fields = ["theme", "question", "answer", "keywords", ("link_url_name", "link_label"),
              "published", "position"]  # fmt: skip


@admin.register(UnansweredQuestion)
class UnansweredQuestionAdmin(admin.ModelAdmin):
    """The questions the virtual advisor could not answer, most asked first: what to write new
    FAQ entries (or other wordings of existing ones) about. Read only; delete a row once the
    FAQ answers it."""

    list_display = ["text", "count", "last_asked", "first_asked"]
    ordering = ["-count", "-last_asked"]
    search_fields = ["text"]
    date_hierarchy = "last_asked"
    readonly_fields = ["text", "key", "count", "first_asked", "last_asked"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ServiceActionInline(admin.StackedInline):
    """A phone number, a request form with its topic chosen, or a guide (PDF) to download."""

    model = ServiceAction
    extra = 0
    fields = ["kind", "label", "phone", ("request_form", "topic"), "guide", "position"]


@admin.register(ServicePage)
class ServicePageAdmin(LabelledListEditableMixin, admin.ModelAdmin):
    inlines = [ServiceActionInline]
    list_display = ["title", "slug", "published", "position"]
    list_editable = ["published", "position"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "summary", "body"]
    fields = ["title", "slug", "summary", "body", "published", "position"]
