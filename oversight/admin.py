"""The access journal in the admin: read by the "délégué à la protection des données" role
(`oversight.view_accessentry`), each reader within their scope (`journal_visible`), filtered by
member or manager, exported to CSV or XLSX. Nobody adds, changes or deletes an entry here."""

from django.contrib import admin
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from casework.admin import person
from oversight.admin_exports import ChangelistExportMixin
from oversight.journal import journal_visible, may_read_journal
from oversight.models import AccessEntry


class ManagerFilter(admin.SimpleListFilter):
    """The managers who appear in the entries the reader may see."""

    title = gettext_lazy("gestionnaire")
    parameter_name = "manager__id__exact"

    def lookups(self, request, model_admin):
        from django.contrib.auth import get_user_model

        managers = get_user_model().objects.filter(
            pk__in=model_admin.get_queryset(request).values("manager_id")
        )
        return [(str(user.pk), person(user)) for user in managers.order_by("last_name", "pk")]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(manager_id=int(value))
        return queryset


class MemberFilter(admin.SimpleListFilter):
    """One member's entries: reached from the member's fiche ("Journal des consultations de
    l'adhérent"); the search finds a member by number."""

    title = gettext_lazy("adhérent")
    parameter_name = "member__id__exact"

    def lookups(self, request, model_admin):
        value = self.value()
        if value and value.isdigit():
            from accounts.models import Member

            member = Member.objects.filter(pk=int(value)).first()
            if member is not None:
                return [(value, f"{member.member_number} · {member.full_name}")]
        return []

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(member_id=int(value))
        return queryset


@admin.register(AccessEntry)
class AccessEntryAdmin(ChangelistExportMixin, admin.ModelAdmin):
    list_display = ["at", "manager_column", "kind", "member_column", "organism", "target", "reason"]
    list_filter = [ManagerFilter, MemberFilter, "kind", "at"]
    search_fields = ["member__member_number", "manager__username", "manager__last_name", "target"]
    search_help_text = gettext_lazy(
        "Numéro d'adhérent, identifiant ou nom du gestionnaire, objet consulté."
    )
    list_select_related = ["manager", "member", "organism"]
    date_hierarchy = "at"
    fields = ["at", "manager_column", "kind", "member_column", "organism", "target", "reason"]
    readonly_fields = fields
    list_per_page = 50

    def get_queryset(self, request):
        return journal_visible(request.user).select_related("manager", "member", "organism")

    def has_module_permission(self, request):
        return may_read_journal(request.user)

    def has_view_permission(self, request, obj=None):
        return may_read_journal(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not may_read_journal(request.user):
            raise Http404
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Outside the reader's scope reads as nonexistent (the admin would redirect instead).
        if not may_read_journal(request.user) or self.get_object(request, object_id) is None:
            raise Http404
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        raise Http404

    @admin.display(description=gettext_lazy("gestionnaire"), ordering="manager__last_name")
    def manager_column(self, obj):
        return f"{person(obj.manager)} ({obj.manager.get_username()})"

    @admin.display(description=gettext_lazy("adhérent"), ordering="member__member_number")
    def member_column(self, obj):
        if obj.member is None:
            return "—"
        url = reverse(f"{self.admin_site.name}:accounts_member_change", args=[obj.member_id])
        return format_html(
            '<a href="{}">{} · {}</a>', url, obj.member.member_number, obj.member.full_name
        )
