from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.urls import path
from django.utils.translation import gettext_lazy as _

from accounts.models import Beneficiary, CodeDevice, Member, User
from portal.history import ReferenceHistoryAdmin


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Rôle"), {"fields": ("role", "password_changed_at")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Rôle"), {"fields": ("email", "role")}),
    )
    readonly_fields = ("password_changed_at", "last_login", "date_joined")


class BeneficiaryInline(admin.StackedInline):
    model = Beneficiary
    extra = 0
    fieldsets = (
        (
            None,
            {"fields": (("civility", "last_name", "first_name"), ("birth_date", "relationship"))},
        ),
        (
            _("Sécurité sociale"),
            {"fields": (("nir", "organism_code"), "teletransmission", "external_ref", "cover_end")},
        ),
        (_("Coordonnées"), {"fields": (("email", "phone"), "address_line1", ("postcode", "city"))}),
    )


@admin.register(Member)
class MemberAdmin(ReferenceHistoryAdmin):
    list_display = (
        "member_number",
        "last_name",
        "first_name",
        "birth_date",
        "email",
        "collective_contract",
        "activated_at",
    )
    search_fields = ("member_number", "last_name", "first_name", "email")
    list_filter = (("activated_at", admin.EmptyFieldListFilter), "collective_contract")
    readonly_fields = ("user", "activated_at", "created_at")
    inlines = [BeneficiaryInline]
    # "Fiche adhérent" in the object tools.
    change_form_template = "admin/accounts/member/change_form.html"
    fieldsets = (
        (None, {"fields": ("member_number", "civility", "last_name", "first_name", "birth_date")}),
        (
            _("Coordonnées"),
            {
                "fields": (
                    "email",
                    "mobile_phone",
                    "address_line1",
                    "address_line2",
                    "postcode",
                    "city",
                )
            },
        ),
        (_("Sécurité sociale"), {"fields": ("nir", "organism_code", "teletransmission")}),
        (_("Contrat"), {"fields": ("collective_contract",)}),
        (_("Espace en ligne"), {"fields": ("user", "activated_at", "created_at")}),
    )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The record's page shows the NIR and the contacts: its opening is journalled too.
        from oversight.journal import member_record_opened

        if request.method == "GET":
            member = self.get_object(request, object_id)
            if member is not None:
                member_record_opened(request.user, member)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        from oversight.views import member_fiche_view

        def fiche(request, object_id):
            return member_fiche_view(request, object_id, admin_site=self.admin_site)

        fiche_url = path(
            "<path:object_id>/fiche/",
            self.admin_site.admin_view(fiche),
            name="accounts_member_fiche",
        )
        return [fiche_url, *super().get_urls()]


@admin.register(CodeDevice)
class CodeDeviceAdmin(admin.ModelAdmin):
    """Channels are shown, never their codes; managers can only switch one off."""

    list_display = ("user", "channel", "target", "confirmed", "last_used_at")
    list_filter = ("channel", "confirmed")
    search_fields = ("user__username", "user__email", "target")
    fields = ("user", "channel", "target", "confirmed", "last_used_at")
    readonly_fields = ("user", "channel", "target", "last_used_at")

    def has_add_permission(self, request):
        return False
