"""The managers' side of member requests, in the admin (/gestion/).

Requests are never added or edited by hand here: the admin is a queue to read, and its buttons
("Prendre en charge", "Résoudre") call the same services as everything else, so the transition
rules, the audit trail and the member's emails are the same whoever changes a status.
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.db.models import Case, Q, Value, When
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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
class MemberRequestAdmin(admin.ModelAdmin):
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

    # -- Pages -------------------------------------------------------------------------------
    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/prendre-en-charge/",
                wrap(self.take_view),
                name=f"{info}_take",
            ),
            path("<path:object_id>/resoudre/", wrap(self.resolve_view), name=f"{info}_resolve"),
            *super().get_urls(),
        ]

    def _url(self, name: str, obj) -> str:
        return reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{name}",
            args=[obj.pk],
        )

    def _get_manageable_or_404(self, request, object_id) -> MemberRequest:
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_manage_permission(request):
            raise Http404
        return obj

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if obj is not None and self.has_manage_permission(request):
            extra_context.update(
                {
                    "can_take": request_can_move(obj, RequestStatus.IN_PROGRESS),
                    "can_resolve": request_can_move(obj, RequestStatus.RESOLVED),
                    "take_url": self._url("take", obj),
                    "resolve_url": self._url("resolve", obj),
                }
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def _take(self, request, obj: MemberRequest) -> bool:
        try:
            member_request_take(request=obj, by=request.user)
        except RequestError as refused:
            self.message_user(request, refused.message, messages.ERROR)
            return False
        return True

    def take_view(self, request, object_id):
        """The "Prendre en charge" button of the change page (POST only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._get_manageable_or_404(request, object_id)
        if self._take(request, obj):
            self.message_user(
                request,
                _("La demande %(reference)s est prise en charge par vous.")
                % {"reference": obj.reference},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(self._url("change", obj))

    def resolve_view(self, request, object_id):
        """ "Résoudre": write the answer (text and files) and mark the request "Résolu"."""
        obj = self._get_manageable_or_404(request, object_id)
        change_url = self._url("change", obj)
        if request.method == "POST":
            form = AnswerForm(request.POST, request.FILES, user=request.user)
            if form.is_valid():
                try:
                    member_request_resolve(
                        request=obj,
                        by=request.user,
                        text=form.cleaned_data["text"],
                        attachments=form.cleaned_data["attachments"],
                    )
                except RequestError as refused:
                    # The form is shown again as typed, with its files, so nothing is lost.
                    self.message_user(request, refused.message, messages.ERROR)
                else:
                    self.message_user(
                        request,
                        _(
                            "La demande %(reference)s est résolue : l'adhérent est prévenu "
                            "par email qu'une réponse l'attend."
                        )
                        % {"reference": obj.reference},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(change_url)
        else:
            if not request_can_move(obj, RequestStatus.RESOLVED):
                self.message_user(
                    request,
                    _("La demande %(reference)s est déjà résolue.") % {"reference": obj.reference},
                    messages.WARNING,
                )
                return HttpResponseRedirect(change_url)
            form = AnswerForm(user=request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "form": form,
            "change_url": change_url,
            "title": _("Résoudre la demande %(reference)s") % {"reference": obj.reference},
            "media": self.media + form.media,
        }
        return TemplateResponse(request, f"{TEMPLATES}/resolve.html", context)

    # -- Actions on the selected rows --------------------------------------------------------
    @admin.action(description=gettext_lazy("Prendre en charge"), permissions=["manage"])
    def take_in_charge(self, request, queryset):
        taken = [obj for obj in queryset.order_by("created_at", "id") if self._take(request, obj)]
        if taken:
            self.message_user(
                request,
                ngettext(
                    "%(count)s demande prise en charge : %(references)s.",
                    "%(count)s demandes prises en charge : %(references)s.",
                    len(taken),
                )
                % {"count": len(taken), "references": ", ".join(o.reference for o in taken)},
                messages.SUCCESS,
            )

    @admin.action(description=gettext_lazy("Résoudre"), permissions=["manage"])
    def resolve_selected(self, request, queryset):
        # An answer is written for one request at a time.
        selected = list(queryset[:2])
        if len(selected) != 1:
            self.message_user(
                request, _("Sélectionnez une seule demande à résoudre."), messages.WARNING
            )
            return None
        return HttpResponseRedirect(self._url("resolve", selected[0]))


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
