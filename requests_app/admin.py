"""The managers' side of member requests, in the admin (/gestion/).

Requests are never added or edited by hand here: the admin is a queue to read, and its buttons
("Prendre en charge", "Résoudre") call the same services as everything else, so the transition
rules, the audit trail and the member's emails are the same whoever changes a status.
"""

from datetime import timedelta

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Case, Q, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portal.admin_queue import ProcessingQueueMixin
from requests_app.forms.answer import AnswerForm
from requests_app.models import MemberRequest, RequestAnswer, RequestStatus, RequestStatusChange
from requests_app.services import (
    RequestError,
    member_request_resolve,
    member_request_take,
    request_can_move,
)

TEMPLATES = "admin/requests_app/memberrequest"


def _person(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


class AgeFilter(admin.SimpleListFilter):
    """How long the request has been waiting since the member sent it."""

    title = gettext_lazy("ancienneté")
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [
            ("lt2", gettext_lazy("Moins de 2 jours")),
            ("2to7", gettext_lazy("2 à 7 jours")),
            ("gt7", gettext_lazy("Plus de 7 jours")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        two_days_ago, seven_days_ago = now - timedelta(days=2), now - timedelta(days=7)
        value = self.value()
        if value == "lt2":
            return queryset.filter(created_at__gt=two_days_ago)
        if value == "2to7":
            return queryset.filter(created_at__lte=two_days_ago, created_at__gte=seven_days_ago)
        if value == "gt7":
            return queryset.filter(created_at__lt=seven_days_ago)
        return queryset


class AssigneeFilter(admin.SimpleListFilter):
    title = gettext_lazy("gestionnaire")
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        User = get_user_model()
        managers = (
            User.objects.filter(
                Q(role=User.Role.INSURER_MANAGER, is_staff=True, is_active=True)
                | Q(assigned_requests__isnull=False)
            )
            .exclude(pk=request.user.pk)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        return [
            ("none", gettext_lazy("Non attribuée")),
            ("me", gettext_lazy("Moi")),
            *[(str(user.pk), _person(user)) for user in managers],
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value == "me":
            return queryset.filter(assignee=request.user)
        if value and value.isdigit():
            return queryset.filter(assignee_id=int(value))
        return queryset


class StatusChangeInline(admin.TabularInline):
    """The audit trail: who moved the request from which status to which, and when."""

    model = RequestStatusChange
    fields = ["at", "who", "from_status", "to_status", "notified_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = gettext_lazy("changement de statut")
    verbose_name_plural = gettext_lazy("Historique des statuts")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("request", "by")

    @admin.display(description=gettext_lazy("par"))
    def who(self, obj):
        return _person(obj.by)

    def has_view_permission(self, request, obj=None):
        # Whoever may read the request may read its history.
        return request.user.has_perm("requests_app.view_memberrequest")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MemberRequest)
class MemberRequestAdmin(ProcessingQueueMixin, admin.ModelAdmin):
    """The queue of member requests. Read-only: statuses change through the services only.

    Working on the queue (taking a request, answering it) needs the model's "change" permission
    and the insurer-manager role; the fields themselves are never editable.
    """

    list_display = [
        "reference",
        "created_at",
        "kind",
        "status",
        "member_column",
        "concerns_column",
        "assignee_column",
        "age",
    ]
    list_filter = ["status", "kind", AgeFilter, AssigneeFilter]
    search_fields = ["reference", "member__member_number", "member__last_name"]
    search_help_text = gettext_lazy(
        "Référence de la demande, numéro d'adhérent ou nom de l'adhérent."
    )
    list_select_related = ["member", "beneficiary", "assignee"]
    # A queue is worked first in, first out: open requests ("Nouveau", "Pris en charge") come
    # before resolved ones, and among them the one waiting longest comes first, so that the
    # oldest request is never the one nobody scrolls down to.
    ordering = [
        Case(When(status=RequestStatus.RESOLVED, then=Value(1)), default=Value(0)).asc(),
        "created_at",
        "id",
    ]
    actions = ["take_in_charge", "resolve_selected"]
    answer_form_class = AnswerForm
    queue_templates = TEMPLATES
    refusals = (RequestError,)
    inlines = [StatusChangeInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "reference",
                    "status",
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
        (gettext_lazy("Réponses"), {"fields": ["answers_list"]}),
    ]
    readonly_fields = [name for _title, options in fieldsets for name in options["fields"]]

    # -- Permissions: a read-only record, worked only through the buttons -------------------
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_manage_permission(self, request) -> bool:
        """May take requests in charge and resolve them."""
        user = request.user
        return bool(
            user.is_active
            and user.is_insurer_manager
            and user.has_perm("requests_app.change_memberrequest")
        )

    # -- Columns and fields -----------------------------------------------------------------
    @admin.display(description=gettext_lazy("adhérent"), ordering="member__last_name")
    def member_column(self, obj):
        return f"{obj.member.member_number} · {obj.member.full_name}"

    @admin.display(description=gettext_lazy("bénéficiaire"), ordering="beneficiary__first_name")
    def concerns_column(self, obj):
        return obj.concerns

    @admin.display(description=gettext_lazy("gestionnaire"), ordering="assignee__last_name")
    def assignee_column(self, obj):
        if obj.assignee is None:
            return _("Non attribuée")
        return _person(obj.assignee)

    @admin.display(description=gettext_lazy("âge"), ordering="-created_at")
    def age(self, obj):
        waited = timezone.now() - obj.created_at
        if waited < timedelta(days=1):
            return _("%(hours)s h") % {"hours": int(waited.total_seconds() // 3600)}
        return _("%(days)s j") % {"days": waited.days}

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

    @admin.display(description=gettext_lazy("pièces jointes"))
    def attachments_list(self, obj):
        files = obj.attachments.order_by("created_at")
        return render_to_string(f"{TEMPLATES}/files.html", {"files": files})

    @admin.display(description=gettext_lazy("réponses"))
    def answers_list(self, obj):
        answers = obj.answers.select_related("author").prefetch_related("attachments")
        return render_to_string(
            f"{TEMPLATES}/answers.html",
            {"answers": [(answer, _person(answer.author)) for answer in answers]},
        )

    # -- "Prendre en charge" and "Résoudre" (portal.admin_queue) --------------------------------
    def request_take(self, *, obj, by):
        member_request_take(request=obj, by=by)

    def request_resolve(self, *, obj, by, text, attachments):
        member_request_resolve(request=obj, by=by, text=text, attachments=attachments)

    def may_take(self, obj) -> bool:
        return request_can_move(obj, RequestStatus.IN_PROGRESS)

    def may_resolve(self, obj) -> bool:
        return request_can_move(obj, RequestStatus.RESOLVED)

    def taken_message(self, obj) -> str:
        return _("La demande %(reference)s est prise en charge par vous.") % {
            "reference": obj.reference
        }

    def taken_many_message(self, taken: list) -> str:
        return ngettext(
            "%(count)s demande prise en charge : %(references)s.",
            "%(count)s demandes prises en charge : %(references)s.",
            len(taken),
        ) % {"count": len(taken), "references": ", ".join(o.reference for o in taken)}

    def resolved_message(self, obj) -> str:
        return _(
            "La demande %(reference)s est résolue : l'adhérent est prévenu "
            "par email qu'une réponse l'attend."
        ) % {"reference": obj.reference}

    def not_resolvable_message(self, obj) -> str:
        return _("La demande %(reference)s est déjà résolue.") % {"reference": obj.reference}

    def resolve_title(self, obj) -> str:
        return _("Résoudre la demande %(reference)s") % {"reference": obj.reference}


@admin.register(RequestAnswer)
class RequestAnswerAdmin(admin.ModelAdmin):
    """Answers sent to members, read-only (they are written with "Résoudre")."""

    list_display = ["request", "created_at", "author_column", "read_at"]
    list_filter = [("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["request__reference", "request__member__member_number"]
    list_select_related = ["request", "author"]
    fields = ["request_link", "created_at", "author_column", "text", "files", "read_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("gestionnaire"))
    def author_column(self, obj):
        return _person(obj.author)

    @admin.display(description=gettext_lazy("demande"))
    def request_link(self, obj):
        url = reverse(
            f"{self.admin_site.name}:requests_app_memberrequest_change", args=[obj.request_id]
        )
        return format_html('<a href="{}">{}</a>', url, obj.request.reference)

    @admin.display(description=gettext_lazy("pièces jointes"))
    def files(self, obj):
        return render_to_string(
            f"{TEMPLATES}/files.html", {"files": obj.attachments.order_by("created_at")}
        )
