"""Déclarer un changement (guides 000 and 002): one form per change, each with its own fields
and the documents or attestations it requires.

`CHANGES` maps the slug of each change (its URL and the request's `topic`) to its form; the
order is the order of the list the member chooses from.
"""

import calendar
import datetime

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import nir as stdnum_nir

from accounts.addresses import postcode_city_check
from accounts.models import Beneficiary, Civility
from cover.collective import ChangeArea
from cover.models import OptionalCover
from cover.pdf import euros
from cover.selectors import current_contract
from documents.forms import AttachmentsField
from documents.rules import SEND_DOCUMENT
from requests_app.forms.base import (
    DATE_ERRORS,
    DATE_FORMATS,
    BeneficiaryField,
    RequestForm,
    date_widget,
    message_field,
)

# How far from today a change may take effect: a year back at most (older changes are
# settled with the managers), three months ahead at most (a move or a new fund already known).
EFFECTIVE_DATE_MONTHS_BEFORE = 12
EFFECTIVE_DATE_MONTHS_AFTER = 3


def months_from(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by `months` (negative: back), on the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


class EffectiveDateField(forms.DateField):
    """The date the change takes effect: within a year before and three months after today."""

    def __init__(self, *, months_before: int = EFFECTIVE_DATE_MONTHS_BEFORE, **kwargs):
        # An option added to a contract starts today at the earliest: `months_before=0`.
        self.months_before = months_before
        kwargs.setdefault("label", gettext_lazy("Date d'effet du changement"))
        kwargs.setdefault(
            "error_messages",
            {**DATE_ERRORS, "required": gettext_lazy("Saisissez la date du changement.")},
        )
        super().__init__(input_formats=DATE_FORMATS, widget=date_widget(), **kwargs)

    @staticmethod
    def bounds(
        today: datetime.date | None = None, months_before: int = EFFECTIVE_DATE_MONTHS_BEFORE
    ) -> tuple[datetime.date, datetime.date]:
        today = today or timezone.localdate()
        return (
            months_from(today, -months_before),
            months_from(today, EFFECTIVE_DATE_MONTHS_AFTER),
        )

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        first, last = self.bounds(months_before=self.months_before)
        if value < first and self.months_before == 0:
            raise forms.ValidationError(
                _("La date d'effet ne peut pas être antérieure à aujourd'hui (%(first)s).")
                % {"first": first.strftime("%d/%m/%Y")},
                code="past",
            )
        if value < first:
            raise forms.ValidationError(
                _(
                    "La date ne peut pas être antérieure au %(first)s (un an au plus) : pour un "
                    "changement plus ancien, posez-nous une question."
                )
                % {"first": first.strftime("%d/%m/%Y")},
                code="too_old",
            )
        if value > last:
            raise forms.ValidationError(
                _(
                    "La date ne peut pas être postérieure au %(last)s (trois mois au plus) : "
                    "déclarez ce changement un peu plus tard."
                )
                % {"last": last.strftime("%d/%m/%Y")},
                code="too_far",
            )


class IbanField(forms.CharField):
    """IBAN typed with or without spaces, in any case; cleaned to its compact form."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        try:
            return stdnum_iban.validate(value)
        except StdnumError:
            raise forms.ValidationError(
                _(
                    "Cet IBAN n'est pas valide : vérifiez-le. Il commence par le code du pays "
                    "(FR76 pour un compte en France) et figure sur votre RIB."
                ),
                code="invalid",
            ) from None


class BicField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        try:
            return stdnum_bic.validate(value)
        except StdnumError:
            raise forms.ValidationError(
                _(
                    "Ce BIC n'est pas valide : il comporte 8 ou 11 lettres et chiffres, par "
                    "exemple BNPAFRPPXXX, et figure sur votre RIB."
                ),
                code="invalid",
            ) from None


class NirField(forms.CharField):
    """Numéro de sécurité sociale (NIR), 15 characters with its key; spaces are ignored."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        try:
            return stdnum_nir.validate(value)
        except StdnumError:
            raise forms.ValidationError(
                _(
                    "Ce numéro de sécurité sociale n'est pas valide : vérifiez les 13 chiffres "
                    "et les 2 chiffres de la clé, tels qu'ils figurent sur la carte Vitale."
                ),
                code="invalid",
            ) from None


class ChangeForm(RequestForm):
    """A change: its slug, its label in the list, and what it asks to attach."""

    slug = ""
    # Which insurer setting says who makes this change under a collective contract.
    collective_area: str = ""
    label = ""
    # Shown above the form: the documents or attestations this change requires.
    documents_help = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first, last = EffectiveDateField.bounds()
        for field in self.fields.values():
            if isinstance(field, EffectiveDateField) and not field.help_text:
                # The limits are said before the member types, not only in an error.
                field.help_text = _("Au format jj/mm/aaaa, entre le %(first)s et le %(last)s.") % {
                    "first": first.strftime("%d/%m/%Y"),
                    "last": last.strftime("%d/%m/%Y"),
                }

    @classmethod
    def unavailable_reason(cls, member) -> str:
        """Why this member cannot declare this change ("" when they can)."""
        return ""

    def summary_value(self, name, value) -> str | None:
        """A better way to show `value` in the summary, or None for the default."""
        return None

    def display_value(self, name: str) -> str:
        value = self.cleaned_data.get(name)
        if value not in (None, ""):
            shown = self.summary_value(name, value)
            if shown is not None:
                return shown
        return super().display_value(name)

    def submission(self) -> dict:
        result = super().submission()
        with override("fr"):
            label = str(self.label)
        result.update(topic=self.slug, topic_label=label, subject=label)
        return result


def _documents_field(label, help_text, *, required=True, required_message=None):
    error_messages = {"required": required_message} if required_message else {}
    return AttachmentsField(
        rules=SEND_DOCUMENT,
        label=label,
        help_text=help_text,
        required=required,
        error_messages=error_messages,
    )


def _message_field(label=None, required=False):
    return message_field(
        label=label or gettext_lazy("Informations complémentaires"),
        required=required,
        rows=4,
        help_text=gettext_lazy(
            "Toute information utile à nos services de gestion (5000 caractères au maximum)."
        ),
    )


# -- Changement d'adresse -------------------------------------------------------------------
class AddressChangeForm(ChangeForm):
    slug = "adresse"
    collective_area = ChangeArea.CONTACT_DETAILS
    label = gettext_lazy("Changement d'adresse")
    documents_help = gettext_lazy(
        "Vous pouvez joindre un justificatif de domicile de moins de trois mois (facture "
        "d'énergie, quittance de loyer…)."
    )

    address_line1 = forms.CharField(
        label=gettext_lazy("Nouvelle adresse"),
        max_length=120,
        error_messages={"required": gettext_lazy("Saisissez votre nouvelle adresse.")},
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
        help_text=gettext_lazy("Numéro et voie, par exemple 12 rue des Lilas."),
    )
    address_line2 = forms.CharField(
        label=gettext_lazy("Complément d'adresse"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
        help_text=gettext_lazy("Bâtiment, étage, lieu-dit… (facultatif)."),
    )
    postcode = forms.CharField(
        label=gettext_lazy("Code postal"),
        max_length=10,
        validators=[
            RegexValidator(
                r"^\d{5}$",
                gettext_lazy("Le code postal doit comporter 5 chiffres, par exemple 33000."),
            )
        ],
        error_messages={"required": gettext_lazy("Saisissez le code postal.")},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    city = forms.CharField(
        label=gettext_lazy("Ville"),
        max_length=80,
        error_messages={"required": gettext_lazy("Saisissez la ville.")},
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    effective_date = EffectiveDateField(label=gettext_lazy("Date du déménagement"))
    proof = _documents_field(
        gettext_lazy("Justificatif de domicile"),
        gettext_lazy("Facultatif."),
        required=False,
    )
    message = _message_field()

    def clean_postcode(self):
        return self.cleaned_data["postcode"].strip()

    def clean(self):
        cleaned = super().clean()
        postcode_city_check(self, cleaned.get("postcode", ""), cleaned.get("city", ""))
        return cleaned


# -- Changement de coordonnées bancaires ----------------------------------------------------
class BankDetailsChangeForm(ChangeForm):
    slug = "coordonnees-bancaires"
    collective_area = ChangeArea.BANK_DETAILS
    label = gettext_lazy("Changement de coordonnées bancaires (RIB)")
    documents_help = gettext_lazy(
        "Joignez le relevé d'identité bancaire (RIB) du nouveau compte : vos remboursements y "
        "seront versés."
    )

    account_holder = forms.CharField(
        label=gettext_lazy("Titulaire du compte"),
        max_length=120,
        error_messages={"required": gettext_lazy("Saisissez le nom du titulaire du compte.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    iban = IbanField(
        label=gettext_lazy("IBAN"),
        max_length=50,
        error_messages={"required": gettext_lazy("Saisissez l'IBAN du nouveau compte.")},
        help_text=gettext_lazy("Tel qu'il figure sur le RIB, par exemple FR76 3000 6000 0112 …"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    bic = BicField(
        label=gettext_lazy("BIC"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("Facultatif : 8 ou 11 caractères, par exemple BNPAFRPPXXX."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    effective_date = EffectiveDateField(label=gettext_lazy("Date d'effet"))
    rib = _documents_field(
        gettext_lazy("Relevé d'identité bancaire (RIB)"),
        gettext_lazy("Le RIB du nouveau compte, tel que votre banque le délivre."),
        required_message=gettext_lazy("Joignez le relevé d'identité bancaire (RIB) du compte."),
    )
    message = _message_field()

    def summary_value(self, name, value):
        if name == "iban":
            return stdnum_iban.format(value)
        return None


# -- Ajout d'un bénéficiaire ----------------------------------------------------------------
class BeneficiaryAddForm(ChangeForm):
    slug = "ajout-beneficiaire"
    collective_area = ChangeArea.BENEFICIARIES
    label = gettext_lazy("Ajout d'un bénéficiaire")
    documents_help = gettext_lazy(
        "Joignez un justificatif du lien avec la personne : livret de famille, acte de "
        "naissance, attestation de la Sécurité sociale…"
    )

    civility = forms.ChoiceField(
        label=gettext_lazy("Civilité"),
        choices=Civility.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Indiquez la civilité.")},
    )
    last_name = forms.CharField(
        label=gettext_lazy("Nom"),
        max_length=60,
        error_messages={"required": gettext_lazy("Saisissez le nom.")},
    )
    first_name = forms.CharField(
        label=gettext_lazy("Prénom"),
        max_length=60,
        error_messages={"required": gettext_lazy("Saisissez le prénom.")},
    )
    birth_date = forms.DateField(
        label=gettext_lazy("Date de naissance"),
        input_formats=DATE_FORMATS,
        widget=date_widget(),
        help_text=gettext_lazy("Au format jj/mm/aaaa, par exemple 17/05/2020."),
        error_messages={
            **DATE_ERRORS,
            "required": gettext_lazy("Saisissez la date de naissance."),
        },
    )
    relationship = forms.ChoiceField(
        label=gettext_lazy("Lien avec l'adhérent"),
        choices=[("", gettext_lazy("Sélectionnez le lien")), *Beneficiary.Relationship.choices],
        error_messages={"required": gettext_lazy("Indiquez le lien avec vous.")},
    )
    nir = NirField(
        label=gettext_lazy("Numéro de sécurité sociale"),
        max_length=25,
        required=False,
        help_text=gettext_lazy(
            "Facultatif : les 15 chiffres, clé comprise, par exemple 2 95 10 99 126 111 93."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    effective_date = EffectiveDateField(label=gettext_lazy("Date d'effet souhaitée"))
    documents = _documents_field(
        gettext_lazy("Justificatif"),
        gettext_lazy("Livret de famille, acte de naissance, attestation de la Sécurité sociale…"),
        required_message=gettext_lazy("Joignez un justificatif (livret de famille, attestation…)."),
    )
    message = _message_field()

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("La date de naissance ne peut pas être dans le futur."))
        return value

    def summary_value(self, name, value):
        if name == "nir":
            return stdnum_nir.format(value)
        return None


# -- Retrait d'un bénéficiaire --------------------------------------------------------------
class BeneficiaryChoiceField(forms.ModelChoiceField):
    """One of the member's own beneficiaries, and no one else's."""

    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.get_relationship_display()})"


REMOVAL_REASONS = [
    ("", gettext_lazy("Sélectionnez le motif")),
    ("other_contract", gettext_lazy("Couverture par un autre contrat")),
    ("separation", gettext_lazy("Séparation ou divorce")),
    ("left_home", gettext_lazy("Départ du foyer")),
    ("death", gettext_lazy("Décès")),
    ("other", gettext_lazy("Autre motif")),
]


class BeneficiaryRemoveForm(ChangeForm):
    slug = "retrait-beneficiaire"
    collective_area = ChangeArea.BENEFICIARIES
    label = gettext_lazy("Retrait d'un bénéficiaire")
    documents_help = gettext_lazy(
        "Vous pouvez joindre un justificatif (attestation d'un autre organisme, jugement, acte "
        "de décès…) : il accélère le traitement de votre demande."
    )

    beneficiary = BeneficiaryChoiceField(
        label=gettext_lazy("Bénéficiaire à retirer"),
        queryset=Beneficiary.objects.none(),
        empty_label=gettext_lazy("Sélectionnez le bénéficiaire"),
        error_messages={
            "required": gettext_lazy("Sélectionnez le bénéficiaire à retirer."),
            "invalid_choice": gettext_lazy(
                "Cette personne ne figure pas parmi les bénéficiaires de votre contrat."
            ),
        },
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("Motif du retrait"),
        choices=REMOVAL_REASONS,
        error_messages={"required": gettext_lazy("Sélectionnez le motif du retrait.")},
    )
    effective_date = EffectiveDateField(label=gettext_lazy("Date du retrait"))
    documents = _documents_field(
        gettext_lazy("Justificatif"), gettext_lazy("Facultatif."), required=False
    )
    message = _message_field(label=gettext_lazy("Précisions"))

    @classmethod
    def unavailable_reason(cls, member) -> str:
        if not member.beneficiaries.exists():
            return _(
                "Aucun bénéficiaire ne figure sur votre contrat : il n'y a personne à retirer."
            )
        return ""

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, member=member, **kwargs)
        self.fields["beneficiary"].queryset = member.beneficiaries.all()

    def clean(self):
        data = super().clean()
        if data.get("reason") == "other" and not data.get("message"):
            self.add_error("message", _("Précisez le motif du retrait."))
        return data

    def summary_value(self, name, value):
        if name == "beneficiary":
            return self.fields["beneficiary"].label_from_instance(value)
        return None


# -- Changement de situation familiale ------------------------------------------------------
FAMILY_SITUATIONS = [
    ("", gettext_lazy("Sélectionnez votre nouvelle situation")),
    ("single", gettext_lazy("Célibataire")),
    ("married", gettext_lazy("Marié(e)")),
    ("civil_union", gettext_lazy("Pacsé(e)")),
    ("cohabiting", gettext_lazy("Concubinage")),
    ("divorced", gettext_lazy("Divorcé(e)")),
    ("separated", gettext_lazy("Séparé(e)")),
    ("widowed", gettext_lazy("Veuf(ve)")),
]


class FamilySituationChangeForm(ChangeForm):
    slug = "situation-familiale"
    collective_area = ChangeArea.CONTACT_DETAILS
    label = gettext_lazy("Changement de situation familiale")
    documents_help = gettext_lazy(
        "Joignez un justificatif : acte de mariage, déclaration de PACS, attestation sur "
        "l'honneur de vie commune, jugement de divorce, acte de décès…"
    )

    situation = forms.ChoiceField(
        label=gettext_lazy("Nouvelle situation familiale"),
        choices=FAMILY_SITUATIONS,
        error_messages={"required": gettext_lazy("Sélectionnez votre nouvelle situation.")},
    )
    effective_date = EffectiveDateField(label=gettext_lazy("Date du changement de situation"))
    documents = _documents_field(
        gettext_lazy("Justificatif"),
        gettext_lazy("Acte de mariage, déclaration de PACS, jugement de divorce…"),
        required_message=gettext_lazy("Joignez un justificatif de votre nouvelle situation."),
    )
    message = _message_field()


# -- Changement de nom ----------------------------------------------------------------------
NAME_CHANGE_REASONS = [
    ("", gettext_lazy("Sélectionnez le motif")),
    ("marriage", gettext_lazy("Mariage")),
    ("divorce", gettext_lazy("Divorce")),
    ("usage", gettext_lazy("Nom d'usage")),
    ("decision", gettext_lazy("Décision administrative ou judiciaire")),
    ("other", gettext_lazy("Autre motif")),
]


class NameChangeForm(ChangeForm):
    slug = "nom"
    collective_area = ChangeArea.CONTACT_DETAILS
    label = gettext_lazy("Changement de nom (mariage, divorce…)")
    documents_help = gettext_lazy(
        "Joignez un justificatif : acte de mariage, jugement de divorce, pièce d'identité à "
        "votre nouveau nom…"
    )

    beneficiary = BeneficiaryField(label=gettext_lazy("Personne concernée"))
    new_last_name = forms.CharField(
        label=gettext_lazy("Nouveau nom"),
        max_length=60,
        error_messages={"required": gettext_lazy("Saisissez le nouveau nom.")},
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("Motif du changement de nom"),
        choices=NAME_CHANGE_REASONS,
        error_messages={"required": gettext_lazy("Sélectionnez le motif du changement de nom.")},
    )
    effective_date = EffectiveDateField(label=gettext_lazy("Date d'effet"))
    documents = _documents_field(
        gettext_lazy("Justificatif"),
        gettext_lazy("Acte de mariage, jugement de divorce, pièce d'identité…"),
        required_message=gettext_lazy("Joignez un justificatif de votre nouveau nom."),
    )
    message = _message_field()


# -- Changement de caisse d'assurance maladie -----------------------------------------------
class HealthFundChangeForm(ChangeForm):
    slug = "caisse-assurance-maladie"
    collective_area = ChangeArea.TELETRANSMISSION
    label = gettext_lazy("Changement de caisse d'assurance maladie (régime obligatoire)")
    documents_help = gettext_lazy(
        "Joignez l'attestation de droits délivrée par votre nouvelle caisse (téléchargeable "
        "depuis votre compte en ligne de l'Assurance Maladie)."
    )

    beneficiary = BeneficiaryField(label=gettext_lazy("Personne concernée"))
    fund_name = forms.CharField(
        label=gettext_lazy("Nouvelle caisse d'assurance maladie"),
        max_length=120,
        help_text=gettext_lazy("Par exemple CPAM de la Gironde, MSA Gironde…"),
        error_messages={"required": gettext_lazy("Saisissez le nom de la nouvelle caisse.")},
    )
    fund_code = forms.CharField(
        label=gettext_lazy("Code de la caisse"),
        max_length=20,
        required=False,
        help_text=gettext_lazy(
            "Facultatif : les 9 chiffres du code organisme, sur l'attestation de droits."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    effective_date = EffectiveDateField(label=gettext_lazy("Date d'affiliation"))
    attestation = _documents_field(
        gettext_lazy("Attestation de droits"),
        gettext_lazy("Délivrée par la nouvelle caisse, à jour."),
        required_message=gettext_lazy("Joignez l'attestation de droits de la nouvelle caisse."),
    )
    message = _message_field()

    def clean_fund_code(self):
        value = "".join(self.cleaned_data["fund_code"].split())
        if value and not (value.isdigit() and len(value) == 9):
            raise forms.ValidationError(
                _("Le code de la caisse comporte 9 chiffres, par exemple 013310000.")
            )
        return value


# -- Ajout d'une option facultative (guide 003 "Mes contrats") --------------------------------
class OptionalCoverChoiceField(forms.ModelChoiceField):
    """An option the insurer offers (active in the admin), with its description and price."""

    def label_from_instance(self, obj):
        price = _("%(price)s par mois") % {"price": euros(obj.monthly_price)}
        if obj.description:
            return format_html(
                '<strong>{}</strong> : {}<br><span class="muted">{}</span>',
                obj.name,
                price,
                obj.description,
            )
        return format_html("<strong>{}</strong> : {}", obj.name, price)


class OptionalCoverForm(ChangeForm):
    slug = "option-facultative"
    collective_area = ChangeArea.OPTIONS
    label = gettext_lazy("Ajout d'une option facultative")
    documents_help = gettext_lazy(
        "Choisissez l'option à ajouter à votre contrat : son prix mensuel s'ajoute à votre "
        "cotisation à partir de la date d'effet. Nos services de gestion vous confirmeront "
        "l'ajout."
    )

    option = OptionalCoverChoiceField(
        label=gettext_lazy("Option facultative"),
        queryset=OptionalCover.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": gettext_lazy("Choisissez l'option à ajouter à votre contrat."),
            "invalid_choice": gettext_lazy(
                "Cette option n'est pas proposée : choisissez une option dans la liste."
            ),
        },
    )
    effective_date = EffectiveDateField(
        label=gettext_lazy("Date d'effet souhaitée"), months_before=0
    )
    message = _message_field()

    @staticmethod
    def _offered(contract):
        """The active options the current contract does not have yet."""
        return OptionalCover.objects.filter(active=True).exclude(contracts=contract)

    @classmethod
    def unavailable_reason(cls, member) -> str:
        contract = current_contract(member)
        if contract is None:
            return _(
                "Aucun contrat ne vous couvre aujourd'hui : aucune option ne peut y être "
                "ajoutée. Pour toute question, contactez-nous."
            )
        if not cls._offered(contract).exists():
            return _(
                "Aucune option facultative ne peut être ajoutée à votre contrat pour le moment."
            )
        return ""

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, member=member, **kwargs)
        self.fields["option"].queryset = self._offered(current_contract(member))

    def summary_value(self, name, value):
        if name == "option":
            return _("%(name)s (%(price)s par mois)") % {
                "name": value.name,
                "price": euros(value.monthly_price),
            }
        return None


# -- Télétransmission NOEMIE (guide 003 "Mes bénéficiaires") ---------------------------------
TELETRANSMISSION_ACTIVATE = "activate"
TELETRANSMISSION_DISCONNECT = "disconnect"
TELETRANSMISSION_ACTIONS = [
    (TELETRANSMISSION_ACTIVATE, gettext_lazy("Activer la télétransmission")),
    (TELETRANSMISSION_DISCONNECT, gettext_lazy("Déconnecter la télétransmission")),
]


class TeletransmissionChangeForm(ChangeForm):
    slug = "teletransmission"
    collective_area = ChangeArea.TELETRANSMISSION
    label = gettext_lazy("Télétransmission NOEMIE")
    documents_help = gettext_lazy(
        "Avec la télétransmission (NOEMIE), l'Assurance Maladie nous transmet directement ses "
        "remboursements : vous n'avez plus à nous envoyer vos décomptes. Pour l'activer, "
        "joignez l'attestation de droits de l'Assurance Maladie de la personne concernée."
    )

    beneficiary = BeneficiaryField(
        label=gettext_lazy("Personne concernée"),
        placeholder=gettext_lazy("Sélectionnez la personne concernée"),
        error_messages={
            "required": gettext_lazy("Sélectionnez la personne concernée."),
            "invalid_choice": gettext_lazy(
                "Cette personne ne figure pas parmi les bénéficiaires de votre contrat."
            ),
        },
    )
    action = forms.ChoiceField(
        label=gettext_lazy("Votre demande"),
        choices=TELETRANSMISSION_ACTIONS,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy(
                "Indiquez s'il faut activer ou déconnecter la télétransmission."
            ),
        },
    )
    documents = _documents_field(
        gettext_lazy("Attestation de droits de l'Assurance Maladie"),
        gettext_lazy(
            "Obligatoire pour activer la télétransmission : l'attestation de droits à jour, "
            "téléchargeable depuis le compte ameli de la personne concernée."
        ),
        required=False,
    )
    message = _message_field()

    def clean(self):
        data = super().clean()
        action = data.get("action")
        documents_missing = not data.get("documents") and "documents" not in self.errors
        if action == TELETRANSMISSION_ACTIVATE and documents_missing:
            self.add_error(
                "documents",
                forms.ValidationError(
                    _(
                        "Joignez l'attestation de droits de l'Assurance Maladie : elle est "
                        "nécessaire pour activer la télétransmission."
                    ),
                    code="required",
                ),
            )
        if action and "beneficiary" in data:
            person = data["beneficiary"] or self.member
            if action == TELETRANSMISSION_ACTIVATE and person.teletransmission:
                self.add_error(
                    "action",
                    _("La télétransmission est déjà activée pour %(name)s.")
                    % {"name": person.full_name},
                )
            elif action == TELETRANSMISSION_DISCONNECT and not person.teletransmission:
                self.add_error(
                    "action",
                    _(
                        "La télétransmission n'est pas activée pour %(name)s : il n'y a rien à "
                        "déconnecter."
                    )
                    % {"name": person.full_name},
                )
        return data


CHANGE_FORMS: list[type[ChangeForm]] = [
    AddressChangeForm,
    BankDetailsChangeForm,
    BeneficiaryAddForm,
    BeneficiaryRemoveForm,
    FamilySituationChangeForm,
    NameChangeForm,
    HealthFundChangeForm,
    OptionalCoverForm,
    TeletransmissionChangeForm,
]
CHANGES: dict[str, type[ChangeForm]] = {form.slug: form for form in CHANGE_FORMS}


class ChangeChoiceForm(forms.Form):
    """Step 1: "Sélectionner le changement à déclarer dans la liste déroulante"."""

    change = forms.ChoiceField(
        label=gettext_lazy("Changement à déclarer"),
        error_messages={
            "required": gettext_lazy("Sélectionnez le changement à déclarer dans la liste."),
            "invalid_choice": gettext_lazy("Sélectionnez le changement à déclarer dans la liste."),
        },
    )

    def __init__(self, *args, offered=None, **kwargs):
        """`offered`: the slugs the member may declare here (all by default)."""
        super().__init__(*args, **kwargs)
        self.fields["change"].choices = [
            ("", _("Sélectionnez le changement à déclarer")),
            *[
                (form.slug, form.label)
                for form in CHANGE_FORMS
                if offered is None or form.slug in offered
            ],
        ]
