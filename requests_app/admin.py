"""The managers' side of member requests, in the admin (/gestion/).

Requests are never added or edited by hand here: the admin is a queue to read, and its moves
("Prendre en charge", "Demander un complément", "Résoudre") are the casework core's
(`casework.admin.CaseAdmin`), so the transition rules, the journal and the member's emails are
the same whoever changes a status.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.admin import CaseAdmin
from requests_app.models import MemberRequest

TEMPLATES = "admin/requests_app/memberrequest"


@admin.register(MemberRequest)
class MemberRequestAdmin(CaseAdmin):
    """The queue of member requests. Read-only: statuses change through the moves only.

    Working on the queue (taking a request, asking a complement, answering) needs the model's
    "change" permission and the insurer-manager role; the fields themselves are never editable.
    """

    list_display = [
        "reference",
        "created_at",
        "kind",
        "status_column",
        "member_column",
        "concerns_column",
        "assignee_column",
        "age",
    ]
    list_filter = [*CaseAdmin.list_filter, "kind"]
    search_fields = ["reference", "member__member_number", "member__last_name"]
    search_help_text = gettext_lazy(
        "Référence de la demande, numéro d'adhérent ou nom de l'adhérent."
    )
    list_select_related = ["member", "beneficiary", "assignee"]
    requester_noun = gettext_lazy("l'adhérent")
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "reference",
                    "status_column",
                    "kind",
                    "created_at",
                    "member_link",
                    "concerns",
                    "assignee_column",
                    "resolved_at",
                ]
            },
        ),
        (
            gettext_lazy("Ce que l'adhérent a envoyé"),
            {
                "fields": [
                    "topic_label",
                    "subject",
                    "details_list",
                    "message",
                    "amount",
                    "attachments_list",
                ]
            },
        ),
        (gettext_lazy("Échanges"), {"fields": ["thread_display"]}),
    ]
    readonly_fields = [name for _title, options in fieldsets for name in options["fields"]]

    def has_manage_permission(self, request) -> bool:
        """May take requests in charge, ask a complement and resolve them."""
        user = request.user
        return bool(
            user.is_active
            and user.is_insurer_manager
            and user.has_perm("requests_app.change_memberrequest")
        )

    def assignee_candidates(self, request):
        User = get_user_model()
        return User.objects.filter(
            Q(role=User.Role.INSURER_MANAGER, is_staff=True, is_active=True)
            | Q(assigned_memberrequests__isnull=False)
        )

    def case_facts(self, obj):
        return [
            (_("Adhérent"), f"{obj.member.member_number} · {obj.member.full_name}"),
            (_("Concerne"), obj.concerns),
            (
                _("Type de demande"),
                " · ".join(str(v) for v in (obj.get_kind_display(), obj.topic_label) if v),
            ),
            *([(_("Message"), obj.message)] if obj.message else []),
        ]

    def insurer_form_texts(self, obj, move):
        if move.name == "resolve":
            where = _(
                "L'adhérent la lira dans son espace, rubrique « Mes documents » > "
                "« Historique des mails »."
            )
            return (
                _("Réponse à l'adhérent"),
                f"{where} {self.email_notice(self.kind.may_email_text(obj))}",
                _("Écrivez la réponse à l'adhérent."),
            )
        return super().insurer_form_texts(obj, move)

    # -- Columns and fields -----------------------------------------------------------------
    @admin.display(description=gettext_lazy("adhérent"), ordering="member__last_name")
    def member_column(self, obj):
        return f"{obj.member.member_number} · {obj.member.full_name}"

    @admin.display(description=gettext_lazy("bénéficiaire"), ordering="beneficiary__first_name")
    def concerns_column(self, obj):
        return obj.concerns

    @admin.display(description=gettext_lazy("adhérent"))
    def member_link(self, obj):
        url = reverse(f"{self.admin_site.name}:accounts_member_change", args=[obj.member_id])
        return format_html(
            '<a href="{}">{} · {}</a>', url, obj.member.member_number, obj.member.full_name
        )

    @admin.display(description=gettext_lazy("concerne"))
    def concerns(self, obj):
        return obj.concerns

    @admin.display(description=gettext_lazy("détails"))
    def details_list(self, obj):
        return render_to_string(f"{TEMPLATES}/details.html", {"details": obj.details or []})
