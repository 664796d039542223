"""The insurer's side of the partner space, in the admin (/gestion/).

- Configuration: organisms (their ODS and the motifs each keeps), partner structures (their
  conventions and members), conventions. Edited by whoever holds the model permissions.
- The queue of partner requests, worked by the organisms' managers. A manager sees the requests
  of the organisms they manage (`Organism.managers`) and nothing else (404); a superuser sees all.
  Nothing the technician entered is editable here: the buttons ("Prendre en charge",
  "Résoudre") call the same services as everything else, so the transition rules, the audit
  trail and the technician's emails are the same whoever changes a status.
"""

from datetime import timedelta

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.db.models import Case, Q, Value, When
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from documents.forms import AttachmentsField, AttachmentsFormMixin
from documents.rules import ANSWER
from partners.catalogue import (
    APPOINTMENT_MODES,
    CANCEL_REASONS,
    RENUNCIATION_CAUSES,
    RENUNCIATION_DURATIONS,
    SERVICES,
    SUPPORT_REASONS,
    UNPERFORMED_CARE,
    Service,
    motif_label,
)
from partners.conventions import State, situation_of
from partners.models import (
    Convention,
    Organism,
    OrganismService,
    PartnerRequest,
    PartnerRequestEvent,
    PartnerRequestStatus,
    Structure,
    StructureMembership,
)
from partners.services import (
    PartnerRequestError,
    partner_request_can_move,
    partner_request_resolve,
    partner_request_take,
)
from portal.admin_queue import ProcessingQueueMixin

TEMPLATES = "admin/partners/partnerrequest"
ANSWER_MAX_LENGTH = 10000


def _person(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


def _day(value) -> str:
    return date_format(value, "d/m/Y") if value else "—"


# -- Organisms -------------------------------------------------------------------------------
def _motif_value(service: int, code: str) -> str:
    # Codes repeat across services ("ame", "autre"): a checkbox names its service too.
    return f"{int(service)}:{code}"


class OrganismServiceForm(forms.ModelForm):
    """One ODS an organism offers, its motifs ticked among the catalogue's (none = all)."""

    motifs = forms.MultipleChoiceField(
        label=gettext_lazy("motifs proposés"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Aucune case cochée : l'organisme propose tous les motifs de cette offre "
            "(pour « Demander un document », tous les documents)."
        ),
    )

    class Meta:
        model = OrganismService
        fields = ["service", "motifs"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk and instance.service:
            # An existing row lists its own service's motifs only.
            services = [Service(instance.service)]
            self.initial["motifs"] = [
                _motif_value(instance.service, code) for code in instance.motifs or []
            ]
        else:
            services = list(Service)
        self.fields["motifs"].choices = [
            (
                service.label,
                [
                    (_motif_value(service, code), label)
                    for code, label in SERVICES[service].motifs.items()
                ],
            )
            for service in services
        ]

    def clean_motifs(self):
        ticked = self.cleaned_data.get("motifs") or []
        service = self.cleaned_data.get("service")
        if not service:
            return []
        prefix = f"{int(service)}:"
        if any(not value.startswith(prefix) for value in ticked):
            raise forms.ValidationError(
                _("Cochez uniquement des motifs de l'offre de services choisie.")
            )
        codes = {value.removeprefix(prefix) for value in ticked}
        # Stored in the guide's order.
        return [code for code in SERVICES[Service(service)].motifs if code in codes]


class OrganismServiceInline(admin.StackedInline):
    model = OrganismService
    form = OrganismServiceForm
    extra = 1
    max_num = len(Service)


@admin.register(Organism)
class OrganismAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "services_column", "managers_column"]
    search_fields = ["name", "code"]
    filter_horizontal = ["managers"]
    inlines = [OrganismServiceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("services", "managers")

    @admin.display(description=gettext_lazy("offres de services"))
    def services_column(self, obj):
        return ", ".join(str(service.service) for service in obj.services.all()) or "—"

    @admin.display(description=gettext_lazy("gestionnaires"))
    def managers_column(self, obj):
        return ", ".join(_person(user) for user in obj.managers.all()) or "—"


# -- Structures and conventions --------------------------------------------------------------
class ConventionInline(admin.TabularInline):
    model = Convention
    extra = 0
    fields = [
        "organism",
        "start_date",
        "end_date",
        "technician_cap",
        "reminder_sent_for",
        "closed_at",
    ]
    readonly_fields = ["reminder_sent_for", "closed_at"]


class MembershipInline(admin.TabularInline):
    model = StructureMembership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role_column", "last_organism"]
    readonly_fields = ["role_column"]

    @admin.display(description=gettext_lazy("rôle"))
    def role_column(self, obj):
        return obj.user.get_role_display() if obj.user_id else "—"


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    inlines = [ConventionInline, MembershipInline]


class ConventionStateFilter(admin.SimpleListFilter):
    """The guide's situations (chapter II), as of today in Europe/Paris."""

    title = gettext_lazy("situation")
    parameter_name = "situation"

    def lookups(self, request, model_admin):
        return [(state.value, _state_label(state)) for state in State]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if value not in {state.value for state in State}:
            return queryset.none()
        # Ended conventions depend on their requests: computed here, for a list of hundreds.
        matching = [c.pk for c in queryset if situation_of(c).state is State(value)]
        return queryset.filter(pk__in=matching)


def _state_label(state: State) -> str:
    return {
        State.UPCOMING: _("À venir"),
        State.ACTIVE: _("En cours"),
        State.ENDING: _("Se termine dans moins de 30 jours"),
        State.ENDED_OPEN: _("Terminée, demandes en cours"),
        State.ENDED_RESOLVED: _("Terminée, consultation des réponses"),
        State.CLOSED: _("Accès fermé"),
    }[state]


@admin.register(Convention)
class ConventionAdmin(admin.ModelAdmin):
    list_display = [
        "structure",
        "organism",
        "start_date",
        "end_date",
        "technician_cap",
        "situation_column",
        "reminder_sent_for",
        "closed_at",
    ]
    list_filter = [ConventionStateFilter, ("organism", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["structure__name", "organism__name", "organism__code"]
    list_select_related = ["structure", "organism"]
    fields = [
        "structure",
        "organism",
        "start_date",
        "end_date",
        "technician_cap",
        "situation_column",
        "reminder_sent_for",
        "closed_at",
    ]
    readonly_fields = ["situation_column", "reminder_sent_for", "closed_at"]

    @admin.display(description=gettext_lazy("situation"))
    def situation_column(self, obj):
        if obj.pk is None:
            return "—"
        return _state_label(situation_of(obj).state)


# -- The queue of partner requests ------------------------------------------------------------
_EVERY_ORGANISM = None


def _organisms_of(request):
    """The pks of the organisms whose requests the user may read; None for every organism."""
    if not hasattr(request, "_partner_organisms"):
        user = request.user
        if user.is_superuser:
            request._partner_organisms = _EVERY_ORGANISM
        elif user.is_insurer_manager:
            request._partner_organisms = frozenset(
                user.managed_organisms.values_list("pk", flat=True)
            )
        else:
            request._partner_organisms = frozenset()
    return request._partner_organisms


def _may_read_queue(request) -> bool:
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    organisms = _organisms_of(request)
    return organisms is _EVERY_ORGANISM or bool(organisms)


class AgeFilter(admin.SimpleListFilter):
    """How long the request has been waiting since the technician filed it."""

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
        organisms = _organisms_of(request)
        if organisms is _EVERY_ORGANISM:
            colleagues = User.objects.filter(
                Q(role=User.Role.INSURER_MANAGER, is_staff=True, is_active=True)
                | Q(assigned_partner_requests__isnull=False)
            )
        else:
            colleagues = User.objects.filter(
                Q(managed_organisms__in=organisms)
                | Q(assigned_partner_requests__organism__in=organisms)
            )
        colleagues = (
            colleagues.exclude(pk=request.user.pk)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        return [
            ("none", gettext_lazy("Non attribuée")),
            ("me", gettext_lazy("Moi")),
            *[(str(user.pk), _person(user)) for user in colleagues],
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


class _EventInline(admin.TabularInline):
    """The audit trail, read-only, for whoever may read the request."""

    model = PartnerRequestEvent
    extra = 0
    can_delete = False
    kind = None

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind=self.kind).select_related("request", "by")

    @admin.display(description=gettext_lazy("par"))
    def who(self, obj):
        return _person(obj.by)

    def has_view_permission(self, request, obj=None):
        return _may_read_queue(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StatusEventInline(_EventInline):
    kind = PartnerRequestEvent.Kind.STATUS
    fields = ["at", "who", "from_status", "to_status", "notified_at"]
    readonly_fields = fields
    verbose_name = gettext_lazy("changement de statut")
    verbose_name_plural = gettext_lazy("Historique des statuts")


class CompletionEventInline(_EventInline):
    kind = PartnerRequestEvent.Kind.COMPLETED
    fields = ["at", "who", "previous_comment", "added_files"]
    readonly_fields = fields
    verbose_name = gettext_lazy("complément")
    verbose_name_plural = gettext_lazy("Compléments apportés par le partenaire")


class PartnerAnswerForm(AttachmentsFormMixin, forms.Form):
    """ "Résoudre": the organism's answer to the partner. Built with `user=` (the manager, who
    uploads the files). Files sent with the form are kept as pending uploads even when the text
    is missing, so nothing has to be chosen again."""

    text = forms.CharField(
        label=gettext_lazy("Réponse au partenaire"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 80}),
        error_messages={"required": gettext_lazy("Écrivez la réponse au partenaire.")},
        help_text=gettext_lazy(
            "Le technicien la lira dans Espace Partenaires, menu « Historique des demandes ». "
            "L'email qui le prévient ne contient jamais la réponse."
        ),
    )
    attachments = AttachmentsField(rules=ANSWER, required=False)


@admin.register(PartnerRequest)
class PartnerRequestAdmin(ProcessingQueueMixin, admin.ModelAdmin):
    """The queue of partner requests, scoped to the organisms the manager manages.

    Read-only: statuses change through the services only. Taking and resolving need the
    insurer-manager role; the fields themselves are never editable.
    """

    list_display = [
        "number",
        "created_at",
        "organism",
        "structure",
        "service_column",
        "motif_column",
        "person_column",
        "status_column",
        "assignee_column",
    ]
    list_filter = [
        "status",
        "service",
        ("organism", admin.RelatedOnlyFieldListFilter),
        AgeFilter,
        AssigneeFilter,
    ]
    search_fields = ["number", "last_name", "first_name", "structure__name", "requester_name"]
    search_help_text = gettext_lazy(
        "Numéro de la demande, nom ou prénom de la personne concernée, structure ou demandeur."
    )
    list_select_related = ["organism", "structure", "assignee"]
    # Worked first in, first out: open requests before resolved and cancelled ones, and among
    # them the one waiting longest first.
    ordering = [
        Case(
            When(status=PartnerRequestStatus.RESOLVED, then=Value(1)),
            When(status=PartnerRequestStatus.CANCELLED, then=Value(2)),
            default=Value(0),
        ).asc(),
        "created_at",
        "id",
    ]
    actions = ["take_in_charge", "resolve_selected"]
    answer_form_class = PartnerAnswerForm
    queue_templates = TEMPLATES
    refusals = (PartnerRequestError,)
    inlines = [StatusEventInline, CompletionEventInline]

    # -- Scope and permissions: a read-only record, worked only through the buttons ---------
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        organisms = _organisms_of(request)
        if organisms is not _EVERY_ORGANISM:
            queryset = queryset.filter(organism_id__in=organisms)
        return queryset

    def has_module_permission(self, request):
        return _may_read_queue(request)

    def has_view_permission(self, request, obj=None):
        if not _may_read_queue(request):
            return False
        organisms = _organisms_of(request)
        return obj is None or organisms is _EVERY_ORGANISM or obj.organism_id in organisms

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_manage_permission(self, request) -> bool:
        """May take requests of their organisms in charge and resolve them."""
        return _may_read_queue(request) and request.user.is_insurer_manager

    def _get_or_404(self, request, object_id) -> PartnerRequest:
        # Out of scope reads as nonexistent: a manager never learns another organism's requests.
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        return obj

    # -- The detail: what the technician entered -----------------------------------------------
    def get_fieldsets(self, request, obj=None):
        request_fields = [
            "number",
            "status_column",
            "created_at",
            "status_changed_at",
            "organism",
            "structure",
            "requester_name",
            "assignee_column",
        ]
        if obj is not None and obj.status == PartnerRequestStatus.CANCELLED:
            request_fields.insert(2, "cancel_reason_column")
        entered = ["service_column", "motif_column"]
        if obj is not None:
            service = Service(obj.service)
            if service == Service.DOCUMENT:
                entered = ["service_column", "documents_column"]
            if service == Service.CONTACT:
                entered.append("modes_column")
            if SERVICES[service].has_person:
                entered += ["person_column", "birth_date_column", "birth_place", "phone_column"]
            if obj.saisine:
                entered.append("saisine_column")
        entered += ["comment", "attachments_list"]
        fieldsets = [
            (None, {"fields": request_fields}),
            (gettext_lazy("Ce que le partenaire a saisi"), {"fields": entered}),
        ]
        if obj is not None and obj.status == PartnerRequestStatus.RESOLVED:
            fieldsets.append(
                (
                    gettext_lazy("Réponse de l'organisme"),
                    {"fields": ["resolved_at", "answer", "answer_files_list"]},
                )
            )
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [
            name
            for _title, options in self.get_fieldsets(request, obj)
            for name in options["fields"]
        ]

    @admin.display(description=gettext_lazy("offre de service"), ordering="service")
    def service_column(self, obj):
        return obj.get_service_display()

    @admin.display(description=gettext_lazy("motif"), ordering="motif")
    def motif_column(self, obj):
        if obj.service == Service.DOCUMENT:
            return self.documents_column(obj)
        return motif_label(obj.service, obj.motif) if obj.motif else "—"

    @admin.display(description=gettext_lazy("documents demandés"))
    def documents_column(self, obj):
        codes = obj.documents or ([obj.motif] if obj.motif else [])
        return ", ".join(motif_label(obj.service, code) for code in codes) or "—"

    @admin.display(description=gettext_lazy("modalités de rendez-vous"))
    def modes_column(self, obj):
        return ", ".join(str(APPOINTMENT_MODES.get(c, c)) for c in obj.appointment_modes) or "—"

    @admin.display(description=gettext_lazy("personne concernée"), ordering="last_name")
    def person_column(self, obj):
        return obj.person_name or "—"

    @admin.display(description=gettext_lazy("date de naissance"))
    def birth_date_column(self, obj):
        return _day(obj.birth_date)

    @admin.display(description=gettext_lazy("téléphone"))
    def phone_column(self, obj):
        return obj.phone_display or "—"

    @admin.display(description=gettext_lazy("saisine mission accompagnement santé"))
    def saisine_column(self, obj):
        saisine = obj.saisine or {}

        def labels(catalogue, codes):
            return [str(catalogue.get(code, code)) for code in codes or []]

        items = [
            (
                _("Consentement de l'assuré"),
                [_("Oui") if saisine.get("consent") else _("Non")],
            ),
            (
                _("Accompagnement santé sollicité dans le cadre de"),
                labels(SUPPORT_REASONS, saisine.get("reasons")),
            ),
            (_("Soins non réalisés"), labels(UNPERFORMED_CARE, saisine.get("care"))),
            (
                _("Renoncement depuis"),
                labels(
                    RENUNCIATION_DURATIONS, [saisine["duration"]] if saisine.get("duration") else []
                ),
            ),
            (_("Difficultés"), labels(RENUNCIATION_CAUSES, saisine.get("causes"))),
        ]
        return render_to_string(
            f"{TEMPLATES}/saisine.html", {"items": [(label, v) for label, v in items if v]}
        )

    @admin.display(description=gettext_lazy("PJ envoyée(s)"))
    def attachments_list(self, obj):
        return render_to_string(
            f"{TEMPLATES}/files.html", {"files": obj.attachments.order_by("created_at")}
        )

    @admin.display(description=gettext_lazy("PJ reçue(s)"))
    def answer_files_list(self, obj):
        return render_to_string(
            f"{TEMPLATES}/files.html", {"files": obj.answer_files.order_by("created_at")}
        )

    @admin.display(description=gettext_lazy("statut"), ordering="status")
    def status_column(self, obj):
        if obj.status == PartnerRequestStatus.CANCELLED and obj.cancel_reason:
            return f"{obj.get_status_display()} · {self.cancel_reason_column(obj)}"
        return obj.get_status_display()

    @admin.display(description=gettext_lazy("motif de l'annulation"))
    def cancel_reason_column(self, obj):
        return str(CANCEL_REASONS.get(obj.cancel_reason, obj.cancel_reason)) or "—"

    @admin.display(description=gettext_lazy("gestionnaire"), ordering="assignee__last_name")
    def assignee_column(self, obj):
        if obj.assignee is None:
            return _("Non attribuée")
        return _person(obj.assignee)

    # -- "Prendre en charge" and "Résoudre" (portal.admin_queue) --------------------------------
    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._get_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._get_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def request_take(self, *, obj, by):
        partner_request_take(request=obj, by=by)

    def request_resolve(self, *, obj, by, text, attachments):
        partner_request_resolve(request=obj, by=by, text=text, attachments=attachments)

    def may_take(self, obj) -> bool:
        return partner_request_can_move(obj, PartnerRequestStatus.IN_PROGRESS)

    def may_resolve(self, obj) -> bool:
        return partner_request_can_move(obj, PartnerRequestStatus.RESOLVED)

    def taken_message(self, obj) -> str:
        return _("La demande %(number)s est prise en charge par vous.") % {"number": obj.number}

    def taken_many_message(self, taken: list) -> str:
        return ngettext(
            "%(count)s demande prise en charge : %(numbers)s.",
            "%(count)s demandes prises en charge : %(numbers)s.",
            len(taken),
        ) % {"count": len(taken), "numbers": ", ".join(o.number for o in taken)}

    def resolved_message(self, obj) -> str:
        return _(
            "La demande %(number)s est résolue : le technicien est prévenu "
            "par email qu'une réponse l'attend."
        ) % {"number": obj.number}

    def not_resolvable_message(self, obj) -> str:
        return _("La demande %(number)s est « %(status)s » : elle ne peut plus être résolue.") % {
            "number": obj.number,
            "status": obj.get_status_display(),
        }

    def resolve_title(self, obj) -> str:
        return _("Résoudre la demande %(number)s") % {"number": obj.number}

    def resolve_context(self, obj) -> dict:
        return {"motif": self.motif_column(obj)}
