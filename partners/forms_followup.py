"""Forms of "Historique des demandes" (guide 001, chapter VI): the filter bar, "Compléter la
demande" and "Annuler la demande". Validation and normalisation only; the writes are services.

The filter bar is a GET form whose parameter names are the French words shown in the address
bar. A value nobody could choose (a date "31/02/2024", a page size of 7) gets a message next to
its field and is left out: the list still shows, with the other criteria.
"""

import datetime
import re
from dataclasses import replace

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from documents.forms import AttachmentsField, AttachmentsFormMixin
from documents.rules import PARTNER_REQUEST
from partners.catalogue import CANCEL_REASONS, SERVICES, Service
from partners.forms import comment_field
from partners.models import PartnerRequestStatus
from partners.selectors import HistoryFilters
from portal.forms import DATE_ERRORS, DATE_FORMATS, DATE_HELP, date_widget
from portal.text import folded

PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = PAGE_SIZES[0]
PERSON_MAX_LENGTH = 60
# Earlier or later days cannot be requests' and would overflow once made aware.
FIRST_YEAR, LAST_YEAR = 2000, 2999
DATE_OUT_OF_RANGE = _("Saisissez une date entre le 01/01/2000 et le 31/12/2999.")

SORTS = {
    "date": _("Date de dépôt"),
    "numero": _("Numéro de demande"),
    "statut": _("Statut"),
    "ods": _("Offre de service"),
    "motif": _("Motif"),
    "demandeur": _("Demandeur"),
    "personne": _("Personne concernée"),
    "date_statut": _("Date statut"),
}
# The parameter (French, in the address bar) -> the selector's sort key.
SORT_KEYS = {
    "date": "date",
    "numero": "number",
    "statut": "status",
    "ods": "service",
    "motif": "motif",
    "demandeur": "requester",
    "personne": "person",
    "date_statut": "status_date",
}
ORDERS = {
    "desc": _("Décroissant (Z-A, du plus récent au plus ancien)"),
    "asc": _("Croissant (A-Z, du plus ancien au plus récent)"),
}


def motif_choices() -> list:
    """Every motif of the catalogue, grouped by ODS; values "<ODS>-<code>" (a code alone may
    belong to two ODS, "AME" for instance)."""
    return [
        ("", _("Tous les motifs")),
        *[
            (
                info.service.label,
                [(f"{service.value}-{code}", label) for code, label in info.motifs.items()],
            )
            for service, info in SERVICES.items()
        ],
    ]


class DayField(forms.DateField):
    """A day typed jj/mm/aaaa (ISO accepted too, as autofill may send it)."""

    default_error_messages = {**DATE_ERRORS, "out_of_range": DATE_OUT_OF_RANGE}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", date_widget())
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", DATE_HELP)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if isinstance(value, datetime.date) and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise forms.ValidationError(self.error_messages["out_of_range"], code="out_of_range")


class HistoryFilterForm(forms.Form):
    """The filter bar of "Historique des demandes" (always bound to request.GET)."""

    statut = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[
            ("", _("Tous les statuts")),
            *[
                (status.value, status.label)
                for status in (
                    PartnerRequestStatus.NEW,
                    PartnerRequestStatus.IN_PROGRESS,
                    PartnerRequestStatus.AWAITING,
                    PartnerRequestStatus.RESOLVED,
                )
            ],
        ],
    )
    ods = forms.TypedChoiceField(
        label=_("Offre de service"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Toutes les offres de service")), *Service.choices],
    )
    motif = forms.ChoiceField(label=_("Motif"), required=False, choices=motif_choices)
    demandeur = forms.TypedChoiceField(
        label=_("Demandeur"), required=False, coerce=int, empty_value=None
    )
    personne = forms.CharField(
        label=_("Personne concernée"),
        required=False,
        max_length=PERSON_MAX_LENGTH,
        help_text=_("Nom ou prénom"),
    )
    du = DayField(label=_("Déposée du"))
    au = DayField(label=_("au"))
    numero = forms.CharField(
        label=_("Numéro de demande"),
        required=False,
        max_length=20,  # spaces are taken out before the 10 digits are checked
    )
    tri = forms.ChoiceField(label=_("Trier par"), required=False, choices=list(SORTS.items()))
    ordre = forms.ChoiceField(label=_("Ordre"), required=False, choices=list(ORDERS.items()))
    taille = forms.TypedChoiceField(
        label=_("Demandes par page"),
        required=False,
        coerce=int,
        empty_value=DEFAULT_PAGE_SIZE,
        choices=[(size, str(size)) for size in PAGE_SIZES],
        error_messages={
            "invalid_choice": _("Choisissez 10, 25, 50 ou 100 demandes par page."),
        },
    )

    # The choices that are the same on every page (the requesters are the structure's): the
    # filter bar's template tag builds their options once.
    static_choices = frozenset({"statut", "ods", "motif", "tri", "ordre", "taille"})

    def __init__(self, data=None, *, requesters: list[tuple[int, str]] = (), **kwargs):
        super().__init__(data if data is not None else {}, **kwargs)
        self.fields["demandeur"].choices = [("", _("Tous les demandeurs")), *requesters]
        for name in ("statut", "ods", "motif", "demandeur", "tri", "ordre"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "Ce choix n'est pas proposé : choisissez dans la liste."
            )

    def clean_numero(self):
        number = re.sub(r"\s", "", self.cleaned_data.get("numero") or "")
        if number and not re.fullmatch(r"\d{1,10}", number):
            raise forms.ValidationError(
                _("Le numéro de demande est composé de chiffres uniquement (10 au maximum).")
            )
        return number

    def clean_personne(self):
        person = " ".join((self.cleaned_data.get("personne") or "").split())
        # The search reads the words of the name: punctuation alone would find everyone.
        if person and not re.search(r"[a-z0-9]", folded(person)):
            raise forms.ValidationError(_("Saisissez au moins une lettre du nom ou du prénom."))
        return person

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if start and end and end < start:
            self.add_error("au", _("La date de fin doit être égale ou postérieure au %(date)s.")
                           % {"date": start.strftime("%d/%m/%Y")})  # fmt: skip
        return cleaned

    def value(self, name, default=None):
        """The cleaned value of `name`, or `default` when it is missing or was refused."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value

    @property
    def filters(self) -> HistoryFilters:
        motif = self.value("motif")
        if motif:
            service, _sep, code = motif.partition("-")
            motif = (int(service), code)
        sort = self.value("tri", "date")
        return HistoryFilters(
            status=self.value("statut", ""),
            service=self.value("ods"),
            motif=motif or None,
            requester_id=self.value("demandeur"),
            person=self.value("personne", ""),
            date_from=self.value("du"),
            date_to=self.value("au"),
            number=self.value("numero", ""),
            sort=SORT_KEYS[sort],
            descending=self.value("ordre", "desc") == "desc",
        )

    @property
    def page_size(self) -> int:
        return self.value("taille", DEFAULT_PAGE_SIZE)


# -- "Compléter la demande" --------------------------------------------------------------------
def files_hint(count: int) -> str:
    """The guide's line under "Pièces jointes", with what is left of the 8 files."""
    return ngettext(
        "Fichiers acceptés pdf, word (.doc, .docx), excel (.xls, .xlsx, .csv), tiff, png, "
        "jpeg. Taille de pièce jointe maximum %(size)s Mo, %(count)s pièce jointe maximum.",
        "Fichiers acceptés pdf, word (.doc, .docx), excel (.xls, .xlsx, .csv), tiff, png, "
        "jpeg. Taille de pièce jointe maximum %(size)s Mo, %(count)s pièces jointes maximum.",
        count,
    ) % {"size": PARTNER_REQUEST.max_megabytes, "count": count}


def partner_files_worded(field, room: int) -> None:
    """The guide's wording on a files field of the partner space, with what is left of the 8
    files of the request."""
    field.texts = {
        **field.texts,
        "hint": files_hint(room),
        "title": _("Télécharger vos fichiers"),
        "drop": _("Glisser/déposer ou cliquer ici pour ajouter vos fichiers."),
    }
    field.widget.texts = field.texts


class CompleteForm(AttachmentsFormMixin, forms.Form):
    """ "Compléter la demande": the comment (prefilled, to complete) and more files, within the
    8 of the request in all. Built with `user=`, `service=` and `files_sent=`."""

    comment = comment_field()
    files = AttachmentsField(rules=PARTNER_REQUEST, required=False)

    def __init__(self, *args, service: int, files_sent: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.room = max(PARTNER_REQUEST.max_files - files_sent, 0)
        self.takes_files = SERVICES[Service(service)].has_files
        if not self.takes_files or self.room == 0:
            # ODS 3 and 5 take no file; a request with its 8 files takes no more.
            del self.fields["files"]
            return
        field = self.fields["files"]
        field.rules = replace(PARTNER_REQUEST, max_files=self.room)
        field.widget.rules = field.rules
        partner_files_worded(field, self.room)

    def clean_comment(self):
        comment = (self.cleaned_data.get("comment") or "").strip()
        if not comment:
            raise forms.ValidationError(self.fields["comment"].error_messages["required"])
        return comment

    @property
    def attachments(self) -> list:
        return list(self.cleaned_data.get("files") or [])


# -- "Annuler la demande" ----------------------------------------------------------------------
class CancelForm(forms.Form):
    """ "Annulation de la demande": a motif of the guide's list, and the confirmation toggle."""

    reason = forms.ChoiceField(
        label=_("Sélectionner le motif de l'annulation"),
        choices=[("", _("Sélectionner un motif")), *CANCEL_REASONS.items()],
        error_messages={
            "required": _("Sélectionnez le motif de l'annulation."),
            "invalid_choice": _("Sélectionnez un motif de la liste."),
        },
    )
    confirm = forms.BooleanField(
        label=_("Je confirme l'annulation"),
        widget=forms.CheckboxInput(attrs={"role": "switch", "class": "toggle"}),
        error_messages={
            "required": _("Activez « Je confirme l'annulation » pour annuler la demande."),
        },
    )
