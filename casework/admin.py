"""The admin kit of cases: the managers' queue, driven by each case type's declared moves.

A `ModelAdmin` of cases extends `CaseAdmin` and says only what differs: who may work the queue
(`has_manage_permission`), the facts a move page recalls (`case_facts`) and how the forms speak
to its requesters (`requester_noun`, `insurer_form_texts`). The kit gives the rest:
- the change page shows every move the case may take now (a button for moves without a
  message, a page with text, files and, where the type allows it, "Envoyer aussi le texte de
  la réponse par email" for the others) and the whole thread; opening it marks the
  requester's messages read;
- the list shows the open requests, oldest first, 25 a page, without counting the table
  (`casework.queue.QueuePaginator`), with a status badge and an age column;
- status (open by default), age, target-delay and manager filters, shortcuts "Mes demandes" and
  "Non attribuées";
- "Prendre en charge", "M'attribuer", "Attribuer à…" and "Résoudre" for the selected rows;
- internal notes on the change page, answer templates on the move pages; the answer templates
  and target delays are edited here too.
Moves go through `casework.services.case_move`, so the rules, the journal and the emails are
the same whoever acts.
"""

import re
from datetime import datetime, time, timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from casework.forms import AssignForm, CaseNoteForm, InsurerMessageForm
from casework.lifecycle import NONE, case_type_of
from casework.models import (
    DEFAULT_TARGET_DAYS,
    OPEN_STATUSES,
    AnswerTemplate,
    CaseNote,
    CaseStatus,
    Side,
    TargetDelay,
    request_type_choices,
)
from casework.queue import QueuePaginator
from casework.selectors import case_thread
from casework.services import (
    CaseError,
    case_assign,
    case_can,
    case_messages_read,
    case_move,
    case_note_add,
    case_refusal,
    case_resolve,
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
    """Oldest first: the order of every index of the queue (`created_at`, then the key)."""
    return ["created_at", "id"]


def working_days_before(day, days: int):
    """The day `days` working days (Monday to Friday) before `day`."""
    while days > 0:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def late_condition(case_kind, now=None) -> Q:
    """Open requests past their type's target delay (`TargetDelay`, 5 working days when not
    set): sent before the start of the day that many working days ago."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    set_delays = {delay.request_type: delay.working_days for delay in TargetDelay.objects.all()}
    field = case_kind.model._meta.get_field(case_kind.type_field)
    condition = Q()
    for value, _label in field.choices:
        days = set_delays.get(f"{case_kind.key}:{value}", DEFAULT_TARGET_DAYS)
        limit = datetime.combine(
            working_days_before(today, days), time.min, tzinfo=timezone.get_current_timezone()
        )
        condition |= Q(**{case_kind.type_field: value, "created_at__lt": limit})
    return Q(status__in=OPEN_STATUSES) & condition


# -- Filters -----------------------------------------------------------------------------------
class CaseStatusFilter(admin.SimpleListFilter):
    """The statuses, as the managers word them. Without a choice: the open requests (new,
    taken, waiting for the requester)."""

    title = gettext_lazy("statut")
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        kind = case_type_of(model_admin.model)
        return [
            ("reply", gettext_lazy("Réponse reçue")),
            *[(s.value, kind.status_label(s.value, Side.INSURER)) for s in kind.statuses],
            ("all", gettext_lazy("Toutes, même résolues ou annulées")),
        ]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Ouvertes (nouvelles, prises en charge, en attente)"),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == "all":
            return queryset
        if value == "reply":
            return queryset.filter(status__in=OPEN_STATUSES, reply_pending_since__isnull=False)
        return queryset.filter(status=value)


class CaseAgeFilter(admin.SimpleListFilter):
    """How long the request has been waiting since it was sent."""

    title = gettext_lazy("ancienneté")
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return AGE_BUCKETS

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


AGE_BUCKETS = [
    ("lt2", gettext_lazy("Moins de 2 jours")),
    ("2to7", gettext_lazy("2 à 7 jours")),
    ("gt7", gettext_lazy("Plus de 7 jours")),
]


class CaseLateFilter(admin.SimpleListFilter):
    """Open requests past their type's target delay."""

    title = gettext_lazy("délai cible")
    parameter_name = "retard"

    def lookups(self, request, model_admin):
        return [("1", gettext_lazy("Délai cible dépassé"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(late_condition(case_type_of(queryset.model)))
        return queryset


def colleagues_of(request, model_admin) -> list[tuple[int, str]]:
    """(pk, name) of the managers the queue's requests may be given to, but the user; kept a
    minute (the users table holds every member's account: finding the managers reads it all)."""
    opts = model_admin.model._meta
    key = f"casework:colleagues:{opts.label_lower}:{request.user.pk}"
    colleagues = cache.get(key)
    if colleagues is None:
        users = (
            model_admin.assignee_candidates(request)
            .exclude(pk=request.user.pk)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        colleagues = [(user.pk, person(user)) for user in users]
        cache.set(key, colleagues, 60)
    return colleagues


class CaseAssigneeFilter(admin.SimpleListFilter):
    """Who works the request: nobody, me, or a colleague (those the admin lists)."""

    title = gettext_lazy("gestionnaire")
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        return [
            ("me", gettext_lazy("Mes demandes")),
            ("none", gettext_lazy("Non attribuées")),
            *[(str(pk), name) for pk, name in colleagues_of(request, model_admin)],
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
    actions = ["take_in_charge", "assign_to_me", "assign_to", "resolve_selected"]
    list_filter = [CaseStatusFilter, CaseAgeFilter, CaseLateFilter, CaseAssigneeFilter]
    # A million rows: no COUNT of the table, no counts per filter choice, and a paginator that
    # counts a few hundred rows at most (casework.queue).
    paginator = QueuePaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    # 25 rows: a screen at 1280 x 800, and half the rendering of 50 (rows cost more than queries)
    list_per_page = 25
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
        """The managers a request of this queue may be given to."""
        User = get_user_model()
        return User.objects.filter(role=User.Role.INSURER_MANAGER, is_staff=True, is_active=True)

    def changelist_view(self, request, extra_context=None):
        # A queue one may not read does not exist for them (404, not 403).
        if not self.has_view_or_change_permission(request):
            raise Http404
        asked = request.GET.urlencode()
        shortcuts = [
            (_("Demandes ouvertes"), ""),
            (_("Mes demandes"), "assignee=me"),
            (_("Non attribuées"), "assignee=none"),
            (_("Délai cible dépassé"), "retard=1"),
        ]
        extra_context = {
            **(extra_context or {}),
            "queue_shortcuts": [
                {"label": label, "query": query, "current": query == asked}
                for label, query in shortcuts
            ],
        }
        return super().changelist_view(request, extra_context)

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return self.paginator(queryset, per_page, orphans, allow_empty_first_page)

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
    def action_checkbox(self, obj):
        # The admin's own renders a form widget through a template for each row: on a queue
        # page that was a third of its time. The same markup, written once.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            admin.helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            _("Sélectionner la demande %(reference)s") % {"reference": self.kind.reference(obj)},
        )

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
        urls.append(path("<path:object_id>/note/", wrap(self.note_view), name=f"{info}_note"))
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
            extra_context["note_url"] = self.move_url("note", obj)
            extra_context["note_form"] = CaseNoteForm()
        extra_context["case_notes"] = case_notes(obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def note_view(self, request, object_id):
        """ "Ajouter la note": an internal note, posted from the change page."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._get_manageable_or_404(request, object_id)
        form = CaseNoteForm(request.POST)
        if form.is_valid():
            case_note_add(case=obj, text=form.cleaned_data["text"], by=request.user)
            self.message_user(
                request,
                _("Note interne ajoutée : le demandeur ne la voit pas."),
                messages.SUCCESS,
            )
        else:
            self.message_user(request, _("Écrivez la note."), messages.ERROR)
        return HttpResponseRedirect(self.change_url(obj) + "#notes")

    def _move(self, request, obj, name, **kwargs) -> bool:
        try:
            if name == "resolve":
                case_resolve(case=obj, by=request.user, **kwargs)
            else:
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
        # "Résoudre" a new request: it is taken in charge first, with its email.
        takes_first = name == "resolve" and obj.status == CaseStatus.NEW
        templates = answer_templates(obj, self.kind)
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
            refused = "" if takes_first else case_refusal(obj, name)
            if refused:
                self.message_user(request, refused, messages.WARNING)
                return HttpResponseRedirect(change_url)
            form = InsurerMessageForm(**form_kwargs)
            chosen = request.GET.get("modele", "")
            # Without JavaScript, "Insérer" reloads the page with the template in the text.
            for template in templates:
                if str(template["pk"]) == chosen:
                    form.initial["text"] = template["text"]
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
            "notes": case_notes(obj),
            "takes_first": takes_first,
            "answer_templates": templates,
            "answer_texts": {str(t["pk"]): t["text"] for t in templates},
            "requester_noun": self.requester_noun,
            "chosen_template": request.GET.get("modele", ""),
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

    def _assigned_message(self, request, given, assignee):
        if given:
            self.message_user(
                request,
                ngettext(
                    "%(count)s demande attribuée à %(person)s : %(references)s.",
                    "%(count)s demandes attribuées à %(person)s : %(references)s.",
                    len(given),
                )
                % {
                    "count": len(given),
                    "person": person(assignee),
                    "references": ", ".join(self.kind.reference(o) for o in given),
                },
                messages.SUCCESS,
            )

    def _assign(self, request, queryset, assignee):
        given = []
        for obj in queryset.order_by("created_at", "id"):
            try:
                if case_assign(case=obj, assignee=assignee, by=request.user):
                    given.append(obj)
            except CaseError as refused:
                self.message_user(request, refused.message, messages.ERROR)
        self._assigned_message(request, given, assignee)

    @admin.action(description=gettext_lazy("M'attribuer"), permissions=["manage"])
    def assign_to_me(self, request, queryset):
        self._assign(request, queryset, request.user)

    @admin.action(description=gettext_lazy("Attribuer à…"), permissions=["manage"])
    def assign_to(self, request, queryset):
        """Give the selected requests to a colleague: a page to choose whom, then back here."""
        candidates = self.assignee_candidates(request).distinct()
        form = AssignForm(request.POST if "apply" in request.POST else None, candidates=candidates)
        if form.is_valid():
            self._assign(request, queryset, form.cleaned_data["assignee"])
            return None
        selected = list(queryset.order_by("created_at", "id")[:500])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Attribuer les demandes sélectionnées"),
            "form": form,
            "selected": [(o.pk, self.kind.reference(o)) for o in selected],
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "select_across": request.POST.get("select_across", "0"),
            "query_string": request.GET.urlencode(),
        }
        return TemplateResponse(request, "admin/casework/assign.html", context)

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


def case_notes(case) -> list:
    """The internal notes of `case`, oldest first, with their authors."""
    kind = case_type_of(case)
    return list(
        CaseNote.objects.filter(case_type=kind.content_type(), case_id=case.pk)
        .select_related("author")
        .order_by("created_at", "id")
    )


PLACEHOLDER = re.compile(r"\{(civilite|prenom|nom|reference|date)\}")


def answer_templates(case, kind) -> list[dict]:
    """The answer templates of the case's request type, their placeholders filled in for this
    case: {civilite}, {prenom}, {nom}, {reference}, {date}."""
    civility, first_name, last_name = kind.addressee(case)
    values = {
        "civilite": civility,
        "prenom": first_name,
        "nom": last_name,
        "reference": kind.reference(case),
        "date": timezone.localdate().strftime("%d/%m/%Y"),
    }
    return [
        {"pk": template.pk, "title": template.title, "text": fill(template.text, values)}
        for template in AnswerTemplate.objects.filter(
            request_type=kind.request_type(case), active=True
        ).order_by("title")
    ]


def fill(text: str, values: dict) -> str:
    """`text` with its placeholders replaced; any other brace is left as written."""
    return PLACEHOLDER.sub(lambda found: values[found.group(1)], text)


def files_list(files) -> str:
    return render_to_string("admin/casework/files.html", {"files": list(files)})


# -- Reference data of the queues: answer templates and target delays ----------------------------
class RequestTypeForm(forms.ModelForm):
    """`request_type` chosen among the request types of every case type."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request_type"] = forms.ChoiceField(
            label=_("Type de demande"), choices=request_type_choices()
        )


class AnswerTemplateForm(RequestTypeForm):
    class Meta:
        model = AnswerTemplate
        fields = ["request_type", "title", "text", "active"]
        help_texts = {
            "text": gettext_lazy(
                "Remplacés pour chaque demande : {civilite}, {prenom}, {nom}, {reference}, "
                "{date} (la date du jour)."
            )
        }


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(admin.ModelAdmin):
    form = AnswerTemplateForm
    list_display = ["title", "request_type_label", "active"]
    list_filter = ["active"]
    search_fields = ["title", "text"]

    @admin.display(description=gettext_lazy("type de demande"), ordering="request_type")
    def request_type_label(self, obj):
        return dict(request_type_choices()).get(obj.request_type, obj.request_type)


class TargetDelayForm(RequestTypeForm):
    class Meta:
        model = TargetDelay
        fields = ["request_type", "working_days"]


@admin.register(TargetDelay)
class TargetDelayAdmin(admin.ModelAdmin):
    form = TargetDelayForm
    list_display = ["request_type_label", "working_days"]

    @admin.display(description=gettext_lazy("type de demande"), ordering="request_type")
    def request_type_label(self, obj):
        return dict(request_type_choices()).get(obj.request_type, obj.request_type)
