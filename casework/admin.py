"""The admin kit of cases: the managers' queue, driven by each case type's declared moves.

A `ModelAdmin` of cases extends `CaseAdmin` and says only what differs: who may work the queue
(`has_manage_permission`), the facts a move page recalls (`case_facts`) and how the forms speak
to its requesters (`requester_noun`, `insurer_form_texts`). The kit gives the rest:
- the change page shows every move the case may take now (a button for moves without a
  message, a page with text, files and, where the type allows it, "Envoyer aussi le texte de
  la réponse par email" for the others) and the whole thread; opening it marks the
  requester's messages read;
- the list orders the queue (a requester's reply first, then open requests oldest first, then
  those waiting for their requester, then closed ones) with a status badge and an age column;
- status, age and manager filters;
- "Prendre en charge" for the selected rows.
Moves go through `casework.services.case_move`, so the rules, the journal and the emails are
the same whoever acts.
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.db.models import Case as Cases
from django.db.models import Value, When
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from casework.forms import InsurerMessageForm
from casework.lifecycle import NONE, case_type_of
from casework.models import CaseStatus, Side
from casework.selectors import case_thread
from casework.services import (
    CaseError,
    case_can,
    case_messages_read,
    case_move,
    case_refusal,
    requester_files_count,
)
from oversight.admin_exports import ChangelistExportMixin

# Who wants to know that a manager opened a case's page (the access journal registers itself
# from its app config, so this module never imports it): `listener(user, case)`.
_case_opened_listeners: list = []


def register_case_opened_listener(listener) -> None:
    if listener not in _case_opened_listeners:
        _case_opened_listeners.append(listener)


def person(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


def queue_order() -> list:
    """A reply from the requester first, then open requests, then those waiting for their
    requester, then resolved and cancelled ones; within each, the one waiting longest first."""
    open_ = (CaseStatus.NEW, CaseStatus.IN_PROGRESS, CaseStatus.AWAITING)
    rank = Cases(
        When(reply_pending_since__isnull=False, status__in=open_, then=Value(0)),
        When(status__in=(CaseStatus.NEW, CaseStatus.IN_PROGRESS), then=Value(1)),
        When(status=CaseStatus.AWAITING, then=Value(2)),
        When(status=CaseStatus.RESOLVED, then=Value(3)),
        default=Value(4),
    )
    return [rank.asc(), Coalesce("reply_pending_since", "created_at").asc(), "id"]


# -- Filters -----------------------------------------------------------------------------------
class CaseStatusFilter(admin.SimpleListFilter):
    """The statuses, as the managers word them."""

    title = gettext_lazy("statut")
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        kind = case_type_of(model_admin.model)
        return [(s.value, kind.status_label(s.value, Side.INSURER)) for s in kind.statuses]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(status=value) if value else queryset


class CaseAgeFilter(admin.SimpleListFilter):
    """How long the request has been waiting since it was sent."""

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


class CaseAssigneeFilter(admin.SimpleListFilter):
    """Who works the request: nobody, me, or a colleague (those the admin lists)."""

    title = gettext_lazy("gestionnaire")
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        colleagues = (
            model_admin.assignee_candidates(request)
            .exclude(pk=request.user.pk)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        return [
            ("none", gettext_lazy("Non attribuée")),
            ("me", gettext_lazy("Moi")),
            *[(str(user.pk), person(user)) for user in colleagues],
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


# -- The queue -----------------------------------------------------------------------------------
class CaseAdmin(ChangelistExportMixin, admin.ModelAdmin):
    """A queue of cases: read-only records, worked only through the declared moves. Exported
    to CSV and XLSX as filtered (`oversight.admin_exports`)."""

    change_form_template = "admin/casework/change_form.html"
    change_list_template = "admin/casework/change_list.html"
    actions = ["take_in_charge", "resolve_selected"]
    list_filter = [CaseStatusFilter, CaseAgeFilter, CaseAssigneeFilter]
    # Whom the forms and messages name: "l'adhérent", "le partenaire".
    requester_noun = gettext_lazy("le demandeur")

    @property
    def kind(self):
        return case_type_of(self.model)

    def get_ordering(self, request):
        return queue_order()

    # -- What each admin says ------------------------------------------------------------------
    def has_manage_permission(self, request) -> bool:
        """May make the insurer's moves."""
        raise NotImplementedError

    def case_facts(self, obj) -> list[tuple[str, str]]:
        """What a move page recalls of the request (label, value)."""
        return []

    def assignee_candidates(self, request):
        User = get_user_model()
        return User.objects.filter(role=User.Role.INSURER_MANAGER, is_staff=True, is_active=True)

    def insurer_form_texts(self, obj, move) -> tuple[str, str, str]:
        """(label, help text, message when empty) of the text of `move`'s page."""
        by_email = self.kind.may_email_text(obj)
        if move.name == "ask":
            help_text = _(
                "Le demandeur le lira en haut de sa demande et pourra y répondre, avec des "
                "fichiers."
            )
            label = _("Ce qu'il manque pour traiter la demande")
        else:
            help_text = _("Le demandeur la lira dans son espace.")
            label = _("Réponse")
        return label, f"{help_text} {self.email_notice(by_email)}", str(move.empty_message)

    def email_notice(self, by_email: bool) -> str:
        """What the requester's email holds, as the form's help says it."""
        if by_email:
            return _(
                "L'email qui le prévient ne contient pas ce texte, sauf si vous cochez la case "
                "ci-dessous."
            )
        return _("L'email qui le prévient ne contient jamais ce texte.")

    # -- Permissions: a read-only record --------------------------------------------------------
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # -- Columns and fields ------------------------------------------------------------------------
    @admin.display(description=gettext_lazy("statut"), ordering="status")
    def status_column(self, obj):
        label = self.kind.status_label(obj.status, Side.INSURER)
        if obj.reply_pending_since and obj.status in (CaseStatus.NEW, CaseStatus.IN_PROGRESS):
            return format_html(
                '<span class="case-badge case-badge-{}">{}</span> '
                '<span class="case-badge case-badge-reply">{}</span>',
                obj.status,
                label,
                _("Réponse reçue"),
            )
        return format_html('<span class="case-badge case-badge-{}">{}</span>', obj.status, label)

    @admin.display(description=gettext_lazy("gestionnaire"), ordering="assignee__last_name")
    def assignee_column(self, obj):
        if obj.assignee is None:
            return _("Non attribuée")
        return person(obj.assignee)

    @admin.display(description=gettext_lazy("âge"), ordering="-created_at")
    def age(self, obj):
        waited = timezone.now() - obj.created_at
        if waited < timedelta(days=1):
            return _("%(hours)s h") % {"hours": int(waited.total_seconds() // 3600)}
        return _("%(days)s j") % {"days": waited.days}

    @admin.display(description=gettext_lazy("échanges"))
    def thread_display(self, obj):
        return render_to_string(
            "admin/casework/thread.html",
            {"items": case_thread(obj, side=Side.INSURER, with_reminders=True)},
        )

    @admin.display(description=gettext_lazy("pièces jointes"))
    def attachments_list(self, obj):
        return files_list(obj.attachments.order_by("created_at"))

    # -- Pages ---------------------------------------------------------------------------------
    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        urls = []
        for move in self.kind.insurer_moves():
            if move.message == NONE:
                view = self._button_view(move.name)
            else:
                view = self._page_view(move.name)
            urls.append(
                path(f"<path:object_id>/{move.slug}/", wrap(view), name=f"{info}_{move.name}")
            )
        return [*urls, *super().get_urls()]

    def _button_view(self, name):
        def view(request, object_id):
            return self.button_view(request, object_id, name)

        return view

    def _page_view(self, name):
        def view(request, object_id):
            return self.move_view(request, object_id, name)

        return view

    def move_url(self, name: str, obj) -> str:
        return reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{name}",
            args=[obj.pk],
        )

    def change_url(self, obj) -> str:
        return reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[obj.pk],
        )

    def _get_manageable_or_404(self, request, object_id):
        """The case if this manager may see it and work on it; 404 otherwise."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_manage_permission(request):
            raise Http404
        return obj

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        extra_context = extra_context or {}
        if request.method == "GET":
            for listener in _case_opened_listeners:
                listener(request.user, obj)
        if self.has_manage_permission(request):
            if request.method == "GET":
                case_messages_read(case=obj, side=Side.INSURER, by=request.user)
            extra_context["case_moves"] = [
                {"move": move, "url": self.move_url(move.name, obj), "button": move.message == NONE}
                for move in self.kind.insurer_moves()
                if case_can(obj, move.name)
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def _move(self, request, obj, name, **kwargs) -> bool:
        try:
            case_move(case=obj, move=name, by=request.user, **kwargs)
        except CaseError as refused:
            self.message_user(request, refused.message, messages.ERROR)
            return False
        return True

    def button_view(self, request, object_id, name):
        """A move without a message ("Prendre en charge"): a POST from the change page."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._get_manageable_or_404(request, object_id)
        if self._move(request, obj, name):
            self.message_user(request, self.moved_message(obj, name), messages.SUCCESS)
        return HttpResponseRedirect(self.change_url(obj))

    def move_view(self, request, object_id, name):
        """A move with a message ("Demander un complément", "Résoudre"): text and files."""
        obj = self._get_manageable_or_404(request, object_id)
        move = self.kind.move(name)
        change_url = self.change_url(obj)
        label, help_text, required = self.insurer_form_texts(obj, move)
        email_text = None
        if self.kind.may_email_text(obj):
            email_text = self.kind.email_text_by_default(obj)
        form_kwargs = {
            "user": request.user,
            "label": label,
            "help_text": help_text,
            "required_message": required,
            "email_text": email_text,
            "email_label": (
                _("Envoyer aussi le texte de la réponse par email")
                if name == "resolve"
                else _("Envoyer aussi le texte de la demande de complément par email")
            ),
        }
        if request.method == "POST":
            form = InsurerMessageForm(request.POST, request.FILES, **form_kwargs)
            if form.is_valid():
                moved = self._move(
                    request,
                    obj,
                    name,
                    text=form.cleaned_data["text"],
                    attachments=form.cleaned_data["attachments"],
                    email_text=form.cleaned_data.get("email_text", False),
                    token=form.cleaned_data.get("token"),
                )
                if moved:
                    self.message_user(request, self.moved_message(obj, name), messages.SUCCESS)
                    return HttpResponseRedirect(change_url)
                # Refused: the form is shown again as typed, with its files.
        else:
            refused = case_refusal(obj, name)
            if refused:
                self.message_user(request, refused, messages.WARNING)
                return HttpResponseRedirect(change_url)
            form = InsurerMessageForm(**form_kwargs)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "form": form,
            "move": move,
            "change_url": change_url,
            "title": _("%(move)s : demande %(reference)s")
            % {"move": move.label, "reference": self.kind.reference(obj)},
            "facts": [
                *self.case_facts(obj),
                (_("Statut"), self.kind.status_label(obj.status, Side.INSURER)),
                (
                    _("Fichiers envoyés par le demandeur"),
                    _("%(count)s sur %(limit)s au plus")
                    % {
                        "count": requester_files_count(obj),
                        "limit": self.kind.max_requester_files,
                    },
                ),
            ],
            "attachments": files_list(obj.attachments.order_by("created_at")),
            "thread": self.thread_display(obj),
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/casework/move.html", context)

    def moved_message(self, obj, name) -> str:
        reference = self.kind.reference(obj)
        if name == "take":
            return _("La demande %(reference)s est prise en charge par vous.") % {
                "reference": reference
            }
        if name == "ask":
            return _(
                "Le complément est demandé pour la demande %(reference)s : %(requester)s est "
                "prévenu par email, et la demande est « %(status)s »."
            ) % {
                "reference": reference,
                "requester": self.requester_noun,
                "status": self.kind.status_label(CaseStatus.AWAITING, Side.INSURER),
            }
        return _(
            "La demande %(reference)s est résolue : %(requester)s est prévenu par email qu'une "
            "réponse l'attend."
        ) % {"reference": reference, "requester": self.requester_noun}

    # -- Actions on the selected rows --------------------------------------------------------------
    @admin.action(description=gettext_lazy("Prendre en charge"), permissions=["manage"])
    def take_in_charge(self, request, queryset):
        taken = [o for o in queryset.order_by("created_at", "id") if self._move(request, o, "take")]
        if taken:
            self.message_user(
                request,
                ngettext(
                    "%(count)s demande prise en charge : %(references)s.",
                    "%(count)s demandes prises en charge : %(references)s.",
                    len(taken),
                )
                % {
                    "count": len(taken),
                    "references": ", ".join(self.kind.reference(o) for o in taken),
                },
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
        return HttpResponseRedirect(self.move_url("resolve", selected[0]))


def files_list(files) -> str:
    return render_to_string("admin/casework/files.html", {"files": list(files)})
