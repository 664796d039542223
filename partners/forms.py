"""The five ODS forms of the partner space (guide 001, chapter IV): one form, built for a service.

`PartnerRequestForm(data, files, info=..., offered=..., user=...)` keeps only the fields of the
service `info` (a `catalogue.ServiceInfo`) with the motifs (or documents) the organism keeps
(`offered`, an `OrganismService`). It validates and normalises what was typed, field by field,
with the guide's rules ("Nom : 30 caractères maximum... La saisie se transforme en majuscules");
`submission()` gives the keyword arguments of `partner_request_submit`. The rules the browser
helps with (static/js/partner_forms.js) are read from the widgets' data attributes, so they are
written once, here.
"""

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Civility
from documents.forms import AttachmentsField, AttachmentsFormMixin
from documents.rules import PARTNER_REQUEST
from partners.catalogue import (
    APPOINTMENT_MODES,
    CONSENT_TEXT,
    RENUNCIATION_CAUSES,
    RENUNCIATION_DURATIONS,
    RENUNCIATION_REASONS,
    SAISINE,
    SUPPORT_REASONS,
    UNPERFORMED_CARE,
    Service,
    ServiceInfo,
)
from partners.models import OrganismService
from portal.forms import ChoiceRadios, LongTextField, ToggleCheckboxes

COMMENT_MAX_LENGTH = 5000
LAST_NAME_MAX_LENGTH = 30
FIRST_NAME_MAX_LENGTH = 20
BIRTH_PLACE_MAX_LENGTH = 30

# "alpha": the letters of the Latin alphabets, accented ones included (characters, not escapes:
# the same class is handed to the browser's RegExp through a data attribute).
LETTERS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
# "+ les caractères spéciaux suivants (apostrophe, tiret, espace)".
NAME_CHARACTERS = LETTERS + "' -"
PLACE_CHARACTERS = LETTERS + "0-9' -"
# Typographic apostrophes are what phones and word processors type for "'".
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
# What people put between the pairs of digits of a phone number.
_PHONE_NOISE = re.compile(r"[\s.\-/()]")
# +33 or 0033 then the nine digits after the 0 (a "(0)" typed after +33 is dropped too).
_PHONE_INTERNATIONAL = re.compile(r"(?:\+33|0033)0?(\d{9})")
# A French number: 0 then a digit from 1 to 9 (01-05 fixed, 06-07 mobile, 08-09).
_PHONE_FRENCH = re.compile(r"0[1-9]\d{8}")
# Typed jj/mm/aaaa (or with dashes, dots, or digits only); ISO from a browser's date picker.
BIRTH_DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d%m%Y", "%Y-%m-%d"]
BIRTH_DATE_MIN = datetime.date(1900, 1, 1)

CHOOSE_ANSWERS = _("Sélectionnez la ou les réponses")
CHOOSE_ANSWER = _("Sélectionnez la réponse")


def _first_letter_upper(value: str) -> str:
    """ "Prénom": "Majuscule pour la 1ère lettre, Minuscules pour les lettres suivantes"."""
    for index, char in enumerate(value):
        if char.isalpha():
            return value[:index] + char.upper() + value[index + 1 :].lower()
    return value


class PersonTextField(forms.CharField):
    """Nom, Prénom, Lieu de naissance: a set of characters, a length, and a case applied.

    Spaces are trimmed and runs of spaces become one; typographic apostrophes become "'". The
    length is checked on the value as it will be stored (after the case is applied).
    """

    def __init__(self, *, characters: str, characters_message, case=None, **kwargs):
        self.characters = characters
        self.pattern = re.compile(f"[{characters}]*")
        self.characters_message = characters_message
        self.case = case
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        value = " ".join(value.translate(_APOSTROPHES).split())
        return self.case(value) if self.case and value else value

    def validate(self, value):
        super().validate(value)
        if not value:
            return
        if not self.pattern.fullmatch(value):
            raise forms.ValidationError(self.characters_message, code="characters")
        if not any(char.isalnum() for char in value):
            raise forms.ValidationError(self.characters_message, code="characters")

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(
            {
                "data-characters": self.characters,
                "data-characters-message": self.characters_message,
                "autocomplete": "off",
                "spellcheck": "false",
            }
        )
        if self.case is str.upper:
            attrs["data-case"] = "upper"
        elif self.case is _first_letter_upper:
            attrs["data-case"] = "first"
        return attrs


class PhoneInput(forms.TextInput):
    """Shows ten digits the guide's way, "06.00.00.00.00"; anything else as typed."""

    input_type = "tel"

    def format_value(self, value):
        value = super().format_value(value)
        if value and re.fullmatch(r"0[1-9]\d{8}", value):
            return ".".join(value[i : i + 2] for i in range(0, 10, 2))
        return value


class PhoneField(forms.CharField):
    """Téléphone: a French number of 10 digits, typed with or without dots, spaces or dashes,
    or in the international form (+33 6 12 34 56 78, 0033 6...); stored as the 10 digits."""

    widget = PhoneInput
    default_error_messages = {
        "invalid": _(
            "Le numéro de téléphone doit comporter 10 chiffres, par exemple 06.00.00.00.00."
        ),
        "not_french": _(
            "Saisissez un numéro de téléphone français : 10 chiffres commençant par 0 "
            "(06.00.00.00.00) ou +33 suivi de 9 chiffres."
        ),
    }

    def to_python(self, value):
        value = _PHONE_NOISE.sub("", super().to_python(value))
        international = _PHONE_INTERNATIONAL.fullmatch(value)
        if international:
            return "0" + international.group(1)
        return value

    def validate(self, value):
        super().validate(value)
        if not value:
            return
        if value.startswith(("+", "00")):
            raise forms.ValidationError(self.error_messages["not_french"], code="not_french")
        if not re.fullmatch(r"\d{10}", value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if not _PHONE_FRENCH.fullmatch(value):
            raise forms.ValidationError(self.error_messages["not_french"], code="not_french")

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", _("10 chiffres, avec ou sans points, par exemple 06.00.00.00.00.")
        )
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                # "0033 6 12 34 56 78" is the longest way of typing a French number.
                "maxlength": "20",
                "inputmode": "tel",
                "autocomplete": "off",
                "placeholder": "xx.xx.xx.xx.xx",
                "data-phone": "",
                "data-phone-message": self.error_messages["invalid"],
                "data-phone-foreign-message": self.error_messages["not_french"],
            }
        )


class BirthDateField(forms.DateField):
    """Date de naissance: jj/mm/aaaa, typed or picked in a calendar, not after today (Paris)."""

    default_error_messages = {
        "invalid": _(
            "Saisissez la date de naissance au format jj/mm/aaaa, par exemple 05/10/1970."
        ),
        "future": _("La date de naissance ne peut pas être dans le futur."),
        "too_old": _("Vérifiez l'année : la date de naissance doit être après le 01/01/1900."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Au format jj/mm/aaaa, par exemple 05/10/1970."))
        kwargs.setdefault("input_formats", BIRTH_DATE_FORMATS)
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                format="%d/%m/%Y",
                attrs={
                    "placeholder": _("jj/mm/aaaa"),
                    "inputmode": "numeric",
                    "autocomplete": "off",
                    "maxlength": "10",
                    "data-birth-date": "",
                },
            ),
        )
        super().__init__(**kwargs)
        # The browser says the same as the server (lazy: in the page's language).
        self.widget.attrs["data-invalid-message"] = self.error_messages["invalid"]
        self.widget.attrs["data-future-message"] = self.error_messages["future"]

    def validate(self, value):
        super().validate(value)
        if isinstance(value, datetime.date):
            if value > timezone.localdate():
                raise forms.ValidationError(self.error_messages["future"], code="future")
            if value < BIRTH_DATE_MIN:
                raise forms.ValidationError(self.error_messages["too_old"], code="too_old")


def comment_field(*, counter: bool = False) -> LongTextField:
    """ "Commentaires * (5000 caractères maximum)", on the ODS forms and "Compléter la demande"."""
    attrs = {"rows": 8}
    if counter:
        attrs["data-counter"] = ""
    return LongTextField(
        label=_("Commentaires"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs=attrs),
        error_messages={
            "required": _("Saisissez un commentaire."),
            "max_length": _(
                "Le commentaire ne doit pas dépasser 5000 caractères "
                "(vous en avez saisi %(show_value)d)."
            ),
        },
    )


def _toggles() -> forms.CheckboxSelectMultiple:
    """Choices shown as buttons that turn blue when chosen ("apparaissent en bleu")."""
    return ToggleCheckboxes(attrs={"class": "toggle-input"})


class PartnerRequestForm(AttachmentsFormMixin, forms.Form):
    """One ODS request. Built with `info=` (the service), `offered=` (what the organism keeps)
    and `user=` (the technician, who uploads the files)."""

    motif = forms.ChoiceField(
        label=_("Motif de la demande"),
        error_messages={
            "required": _("Sélectionnez un motif."),
            "invalid_choice": _("Sélectionnez un motif proposé par l'organisme."),
        },
    )
    documents = forms.MultipleChoiceField(
        label=_("Documents"),
        widget=_toggles(),
        error_messages={
            "required": _("Sélectionnez un ou plusieurs documents."),
            "invalid_choice": _("Sélectionnez des documents proposés par l'organisme."),
        },
    )
    appointment_modes = forms.MultipleChoiceField(
        label=_("Modalités de rendez-vous"),
        choices=list(APPOINTMENT_MODES.items()),
        widget=_toggles(),
        error_messages={
            "required": _("Sélectionnez une ou plusieurs modalités de rendez-vous."),
            "invalid_choice": _("Sélectionnez une modalité de rendez-vous proposée."),
        },
    )
    # ODS 2, motif "Saisine mission accompagnement santé": required then, and only then
    # (see clean()); the renunciation blocks only count with a renunciation reason.
    consent = forms.BooleanField(
        label=_("Consentement de l'assuré"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "switch-input", "role": "switch"}),
    )
    reasons = forms.MultipleChoiceField(
        label=_("Accompagnement santé sollicité dans le cadre de"),
        choices=list(SUPPORT_REASONS.items()),
        required=False,
        widget=_toggles(),
        help_text=CHOOSE_ANSWERS,
    )
    care = forms.MultipleChoiceField(
        label=_("Quels soins ne sont pas réalisés ?"),
        choices=list(UNPERFORMED_CARE.items()),
        required=False,
        widget=_toggles(),
        help_text=CHOOSE_ANSWERS,
    )
    duration = forms.ChoiceField(
        label=_("Depuis quand dure le renoncement ?"),
        choices=list(RENUNCIATION_DURATIONS.items()),
        required=False,
        widget=ChoiceRadios(attrs={"class": "toggle-input", "data-deselectable": ""}),
        help_text=CHOOSE_ANSWER,
    )
    causes = forms.MultipleChoiceField(
        label=_("Quelles en sont les causes ?"),
        choices=list(RENUNCIATION_CAUSES.items()),
        required=False,
        widget=_toggles(),
        help_text=CHOOSE_ANSWERS,
    )
    # Personne concernée (ODS 2 to 5).
    civility = forms.ChoiceField(
        label=_("Civilité"),
        choices=Civility.choices,
        widget=ChoiceRadios(attrs={"class": "inline-choices"}),
        error_messages={
            "required": _("Sélectionnez la civilité : Madame ou Monsieur."),
            "invalid_choice": _("Sélectionnez la civilité : Madame ou Monsieur."),
        },
    )
    last_name = PersonTextField(
        label=_("Nom"),
        max_length=LAST_NAME_MAX_LENGTH,
        characters=NAME_CHARACTERS,
        characters_message=_(
            "Le nom ne peut contenir que des lettres, l'apostrophe, le tiret et l'espace."
        ),
        case=str.upper,
        error_messages={
            "required": _("Saisissez le nom."),
            "max_length": _(
                "Le nom ne doit pas dépasser 30 caractères (vous en avez saisi %(show_value)d)."
            ),
        },
    )
    first_name = PersonTextField(
        label=_("Prénom"),
        max_length=FIRST_NAME_MAX_LENGTH,
        characters=NAME_CHARACTERS,
        characters_message=_(
            "Le prénom ne peut contenir que des lettres, l'apostrophe, le tiret et l'espace."
        ),
        case=_first_letter_upper,
        error_messages={
            "required": _("Saisissez le prénom."),
            "max_length": _(
                "Le prénom ne doit pas dépasser 20 caractères (vous en avez saisi %(show_value)d)."
            ),
        },
    )
    birth_date = BirthDateField(
        label=_("Date de naissance"),
        error_messages={"required": _("Saisissez la date de naissance.")},
    )
    birth_place = PersonTextField(
        label=_("Lieu de naissance"),
        max_length=BIRTH_PLACE_MAX_LENGTH,
        characters=PLACE_CHARACTERS,
        characters_message=_(
            "Le lieu de naissance ne peut contenir que des lettres, des chiffres, "
            "l'apostrophe, le tiret et l'espace."
        ),
        help_text=_("(N° du Département de naissance ou Libellé du pays)"),
        error_messages={
            "required": _("Saisissez le lieu de naissance."),
            "max_length": _(
                "Le lieu de naissance ne doit pas dépasser 30 caractères "
                "(vous en avez saisi %(show_value)d)."
            ),
        },
    )
    phone = PhoneField(
        label=_("Téléphone"),
        error_messages={"required": _("Saisissez le numéro de téléphone.")},
    )
    files = AttachmentsField(
        rules=PARTNER_REQUEST,
        required=False,
        texts={
            "hint": _(
                "fichiers acceptés pdf, word (.doc, .docx), excel (.xls, .xlsx, .csv), tiff, "
                "png, jpeg. Taille de pièce jointe maximum 5 Mo, 8 pièces jointes maximum."
            ),
            "title": _("Télécharger vos fichiers"),
            "drop": _("Glisser/déposer ou cliquer ici pour ajouter vos fichiers."),
        },
    )
    comment = comment_field(counter=True)

    SAISINE_FIELDS = ("consent", "reasons", "care", "duration", "causes")
    PERSON_FIELDS = ("civility", "last_name", "first_name", "birth_date", "birth_place", "phone")

    def __init__(self, *args, info: ServiceInfo, offered: OrganismService, user, **kwargs):
        self.info = info
        self.offered_motifs = offered.offered_motifs()
        super().__init__(*args, user=user, **kwargs)
        service = info.service
        keep = {"comment"}
        if service == Service.DOCUMENT:
            keep.add("documents")
            self.fields["documents"].choices = list(self.offered_motifs.items())
        else:
            keep.add("motif")
            self.fields["motif"].choices = [
                ("", _("Sélectionner un motif")),
                *self.offered_motifs.items(),
            ]
        if service == Service.CONTACT:
            keep.add("appointment_modes")
        if self.has_saisine:
            keep.update(self.SAISINE_FIELDS)
        if info.has_person:
            keep.update(self.PERSON_FIELDS)
            # The calendar offers no day after today (Europe/Paris).
            self.fields["birth_date"].widget.attrs["data-max"] = timezone.localdate().isoformat()
        if info.has_files:
            keep.add("files")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

    @property
    def has_saisine(self) -> bool:
        """ODS 2 at an organism that keeps the motif "Saisine mission accompagnement santé"."""
        return self.info.service == Service.DIFFICULTY and SAISINE in self.offered_motifs

    # Read by the template: the texts around the Saisine blocks.
    consent_text = CONSENT_TEXT
    saisine_motif = SAISINE
    renunciation_reasons = RENUNCIATION_REASONS

    def renunciation_labels(self) -> list[str]:
        return [str(SUPPORT_REASONS[code]) for code in RENUNCIATION_REASONS]

    def clean(self):
        cleaned = super().clean()
        if self.has_saisine and cleaned.get("motif") == SAISINE:
            if not cleaned.get("consent"):
                self.add_error(
                    "consent",
                    forms.ValidationError(
                        _(
                            "Le consentement de l'assuré est obligatoire pour une saisine de "
                            "la Mission accompagnement santé."
                        ),
                        code="required",
                    ),
                )
            if not cleaned.get("reasons") and "reasons" not in self.errors:
                self.add_error(
                    "reasons",
                    forms.ValidationError(
                        _(
                            "Sélectionnez le cadre de l'accompagnement santé sollicité "
                            "(une ou plusieurs réponses)."
                        ),
                        code="required",
                    ),
                )
        return cleaned

    # -- Submission ----------------------------------------------------------------------
    def _saisine(self) -> dict:
        """The national form's answers, only those that apply: none unless the motif is the
        Saisine, and the renunciation blocks only with a renunciation reason."""
        data = self.cleaned_data
        if not self.has_saisine or data.get("motif") != SAISINE:
            return {}
        reasons = _in_order(data.get("reasons"), SUPPORT_REASONS)
        renunciation = any(code in RENUNCIATION_REASONS for code in reasons)
        return {
            "consent": bool(data.get("consent")),
            "reasons": reasons,
            "care": _in_order(data.get("care"), UNPERFORMED_CARE) if renunciation else [],
            "duration": (data.get("duration") or "") if renunciation else "",
            "causes": _in_order(data.get("causes"), RENUNCIATION_CAUSES) if renunciation else [],
        }

    def submission(self) -> dict:
        """Keyword arguments for `partner_request_submit` (by, structure, organism and service
        excepted)."""
        data = self.cleaned_data
        result = {
            "comment": data["comment"],
            "motif": data.get("motif", ""),
            "documents": _in_order(data.get("documents"), self.offered_motifs),
            "appointment_modes": _in_order(data.get("appointment_modes"), APPOINTMENT_MODES),
            "saisine": self._saisine(),
            "attachments": list(data.get("files") or []),
        }
        if self.info.has_person:
            result["person"] = {name: data[name] for name in self.PERSON_FIELDS}
        return result


def _in_order(values, catalogue) -> list[str]:
    """The chosen codes in the guide's order, each once."""
    chosen = set(values or ())
    return [code for code in catalogue if code in chosen]
