"""The insurer's side of the partner space, in the admin (/gestion/).

- Configuration: organisms (their ODS and the motifs each keeps), partner structures (their
  conventions and members), conventions. Edited by whoever holds the model permissions.
- The queue of partner requests, worked by the organisms' managers. A manager sees the requests
  of the organisms they manage (`Organism.managers`) and nothing else (404); a superuser sees all.
  Nothing the technician entered is editable here: the buttons ("Prendre en charge",
  "Résoudre") call the same services as everything else, so the transition rules, the audit
  trail and the technician's emails are the same whoever changes a status.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.postgres.fields import ArrayField
from django.db import connections, models
from django.db.models import F, Func, TextField
from django.http import Http404
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.admin import (
    CaseAdmin,
    CaseAgeFilter,
    CaseAssigneeFilter,
    CaseLateFilter,
    CaseStatusFilter,
    person,
)
from casework.search import words_match, words_of
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
    PartnerRequestStatus,
    Structure,
    StructureMembership,
)
from portal.admin_forms import LabelledInlineMixin
from portal.history import ReferenceHistoryAdmin

TEMPLATES = "admin/partners/partnerrequest"
_person = person


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
class OrganismAdmin(ReferenceHistoryAdmin):
    list_display = ["name", "code", "public_site_url", "services_column", "managers_column"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    search_fields = ["name", "code"]
    # A plain multiple choice: the admin's two-list widget labels its search icons in a way
    # axe-core refuses, and select2's search field has no label (a few dozen managers).
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
class ConventionInline(LabelledInlineMixin, admin.TabularInline):
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


class MembershipInline(LabelledInlineMixin, admin.TabularInline):
    model = StructureMembership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role_column", "last_organism"]
    readonly_fields = ["role_column"]

    @admin.display(description=gettext_lazy("rôle"))
    def role_column(self, obj):
        return obj.user.get_role_display() if obj.user_id else "—"


@admin.register(Structure)
class StructureAdmin(ReferenceHistoryAdmin):
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
class ConventionAdmin(ReferenceHistoryAdmin):
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


class OrganismFilter(admin.SimpleListFilter):
    """The organisms of the manager's scope (no query over the requests to find them)."""

    title = gettext_lazy("organisme")
    parameter_name = "organism__id__exact"

    def lookups(self, request, model_admin):
        organisms = _organisms_of(request)
        listed = Organism.objects.order_by("name")
        if organisms is not _EVERY_ORGANISM:
            listed = listed.filter(pk__in=organisms)
        return [(str(o.pk), o.name) for o in listed]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(organism_id=int(value))
        return queryset


@admin.register(PartnerRequest)
class PartnerRequestAdmin(CaseAdmin):
    """The queue of partner requests, scoped to the organisms the manager manages.

    Read-only: statuses change through the moves only (`casework.admin.CaseAdmin`). Working the
    queue needs the insurer-manager role; the fields themselves are never editable.
    """

    list_display = [
        "number",
        "kind_column",
        "concerns_column",
        "age",
        "status_column",
        "assignee_column",
    ]
    list_filter = [
        CaseStatusFilter,
        "service",
        OrganismFilter,
        CaseAgeFilter,
        CaseLateFilter,
        CaseAssigneeFilter,
    ]
    search_fields = ["number"]  # the search itself: get_search_results
    search_help_text = gettext_lazy(
        "Début du numéro de la demande, ou du nom et du prénom de la personne concernée, sans "
        "se soucier des accents ni des majuscules."
    )
    list_select_related = ["structure", "assignee"]
    requester_noun = gettext_lazy("le technicien")

    # -- Scope and permissions: a read-only record, worked only through the moves -----------
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

    def has_manage_permission(self, request) -> bool:
        """May work the requests of their organisms."""
        return _may_read_queue(request) and request.user.is_insurer_manager

    def assignee_candidates(self, request):
        """The managers of the organisms this manager manages (every manager for a
        superuser)."""
        User = get_user_model()
        organisms = _organisms_of(request)
        managers = User.objects.filter(
            role=User.Role.INSURER_MANAGER, is_staff=True, is_active=True
        )
        if organisms is _EVERY_ORGANISM:
            return managers
        return managers.filter(managed_organisms__in=organisms)

    def get_search_results(self, request, queryset, search_term):
        """A number by its beginning; otherwise the person concerned by the beginnings of the
        words of their name, without case or accents (the folded `person_search`, read from
        its trigram index on PostgreSQL)."""
        term = search_term.strip()
        if not term:
            return queryset, False
        compact = term.replace(" ", "")
        if compact.isdigit():
            return queryset.filter(number__startswith=compact), False
        words = words_of(term)
        if not words:
            return queryset.none(), False
        if connections[queryset.db].vendor == "postgresql":
            # Read from the index of the name's word beginnings keyed by organism
            # (migration 0012): only the matching requests of the manager's organisms.
            organisms = _organisms_of(request)
            if organisms is _EVERY_ORGANISM:
                organisms = list(Organism.objects.values_list("pk", flat=True))
            queryset = queryset.alias(
                person_keys=Func(
                    F("organism_id"),
                    F("person_search"),
                    function="partners_queue_person_keys",
                    output_field=ArrayField(TextField()),
                )
            )
            for word in words:
                keys = [f"{organism}:{word}" for organism in sorted(organisms)]
                queryset = queryset.filter(person_keys__overlap=keys)
            return queryset, False
        return queryset.filter(words_match("person_search", words)), False

    @admin.display(description=gettext_lazy("type"), ordering="service")
    def kind_column(self, obj):
        label = obj.get_service_display()
        motif = self.motif_column(obj)
        shown = f"{label} · {motif}" if motif != "—" else label
        return format_html('<span title="{}">{}</span>', shown, label)

    @admin.display(description=gettext_lazy("concerne"))
    def concerns_column(self, obj):
        shown = " · ".join(v for v in (obj.person_name, obj.structure.name) if v)
        return format_html('<span title="{}">{}</span>', shown, shown)

    def case_facts(self, obj):
        facts = [
            (_("Organisme"), obj.organism.name),
            (_("Structure"), f"{obj.structure} · {obj.requester_name}"),
            (_("Offre de service"), f"{obj.get_service_display()} · {self.motif_column(obj)}"),
        ]
        if obj.person_name:
            facts.append((_("Personne concernée"), obj.person_name))
        facts.append((_("Commentaire"), obj.comment))
        return facts

    def insurer_form_texts(self, obj, move):
        if move.name == "resolve":
            return (
                _("Réponse au partenaire"),
                _(
                    "Le technicien la lira dans Espace Partenaires, menu « Historique des "
                    "demandes ». L'email qui le prévient ne contient jamais la réponse."
                ),
                _("Écrivez la réponse au partenaire."),
            )
        if move.name == "ask":
            return (
                _("Complément demandé au partenaire"),
                _(
                    "Le technicien le lira en haut de la demande, dans Espace Partenaires, et "
                    "pourra y répondre avec des pièces jointes (8 en tout pour la demande). "
                    "L'email qui le prévient ne contient pas ce texte."
                ),
                str(move.empty_message),
            )
        return super().insurer_form_texts(obj, move)

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
            "organism_column",
            "structure_column",
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
        fieldsets.append((gettext_lazy("Échanges"), {"fields": ["resolved_at", "thread_display"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [
            name
            for _title, options in self.get_fieldsets(request, obj)
            for name in options["fields"]
        ]

    # Plain text: the admin would link these to pages an organism manager may not open (403).
    @admin.display(description=gettext_lazy("organisme"))
    def organism_column(self, obj):
        return obj.organism.name

    @admin.display(description=gettext_lazy("structure"))
    def structure_column(self, obj):
        return obj.structure.name

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
            # The guide's questions, as the technician read them (and the detail page shows).
            (
                _("Quels soins ne sont pas réalisés ?"),
                labels(UNPERFORMED_CARE, saisine.get("care")),
            ),
            (
                _("Depuis quand dure le renoncement ?"),
                labels(
                    RENUNCIATION_DURATIONS, [saisine["duration"]] if saisine.get("duration") else []
                ),
            ),
            (_("Quelles en sont les causes ?"), labels(RENUNCIATION_CAUSES, saisine.get("causes"))),
        ]
        return render_to_string(
            f"{TEMPLATES}/saisine.html", {"items": [(label, v) for label, v in items if v]}
        )

    @admin.display(description=gettext_lazy("PJ envoyée(s)"))
    def attachments_list(self, obj):
        return super().attachments_list(obj)

    @admin.display(description=gettext_lazy("statut"), ordering="status")
    def status_column(self, obj):
        shown = super().status_column(obj)
        if obj.status == PartnerRequestStatus.CANCELLED and obj.cancel_reason:
            return format_html("{} · {}", shown, self.cancel_reason_column(obj))
        return shown

    @admin.display(description=gettext_lazy("motif de l'annulation"))
    def cancel_reason_column(self, obj):
        return str(CANCEL_REASONS.get(obj.cancel_reason, obj.cancel_reason)) or "—"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._get_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._get_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)
