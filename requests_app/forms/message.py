"""Écrire un message (guide 003, messagerie sécurisée): the beneficiary concerned, the category
and the object of the message chosen "grâce aux listes déroulantes", the message and any
documents, "Envoyer le message"."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from documents.forms import AttachmentsField
from documents.rules import SEND_DOCUMENT
from requests_app.forms.base import BeneficiaryField, RequestForm, message_field

MESSAGE_CATEGORIES = [
    ("", _("Sélectionnez la catégorie")),
    ("reimbursement", _("Remboursements")),
    ("contract", _("Contrat et garanties")),
    ("card", _("Carte de tiers payant")),
    ("contribution", _("Cotisations")),
    ("personal", _("Informations personnelles")),
    ("other", _("Autre")),
]

# The object of a message about a request already sent ("Écrire un nouveau message" on a
# request resolved more than 30 days ago preselects it, with the request's reference as text).
FOLLOW_UP = "other-follow-up"

# The objects of each category, in the order of the list; codes are unique across categories.
MESSAGE_OBJECTS = {
    "reimbursement": [
        ("reimbursement-status", _("Suivi d'un remboursement")),
        ("reimbursement-missing", _("Remboursement non reçu")),
        ("reimbursement-amount", _("Contestation d'un montant remboursé")),
        ("reimbursement-statement", _("Relevé de prestations")),
    ],
    "contract": [
        ("contract-guarantees", _("Mes garanties")),
        ("contract-change", _("Changement de formule ou d'option")),
        ("contract-certificate", _("Attestation d'affiliation ou de radiation")),
        ("contract-termination", _("Résiliation")),
    ],
    "card": [
        ("card-not-received", _("Carte non reçue")),
        ("card-lost", _("Carte perdue ou volée")),
        ("card-beneficiary", _("Ajout d'un bénéficiaire sur la carte")),
        ("card-error", _("Erreur sur la carte")),
    ],
    "contribution": [
        ("contribution-schedule", _("Échéancier de cotisations")),
        ("contribution-debit", _("Prélèvement des cotisations")),
        ("contribution-certificate", _("Attestation de paiement")),
    ],
    "personal": [
        ("personal-address", _("Changement d'adresse")),
        ("personal-contact", _("Téléphone ou adresse email")),
        ("personal-bank", _("Coordonnées bancaires")),
        ("personal-family", _("Situation familiale")),
    ],
    "other": [
        (FOLLOW_UP, _("Suite à une demande déjà envoyée")),
        ("other-question", _("Autre question")),
    ],
}


def object_choices() -> list:
    """The object list: one group per category, so that without JavaScript each object still
    shows its category (the script keeps only the chosen category's group)."""
    labels = dict(MESSAGE_CATEGORIES)
    return [
        ("", _("Sélectionnez l'objet du message")),
        *((labels[category], objects) for category, objects in MESSAGE_OBJECTS.items()),
    ]


OBJECT_LABELS = {code: label for objects in MESSAGE_OBJECTS.values() for code, label in objects}


class MessageForm(RequestForm):
    beneficiary = BeneficiaryField(placeholder=_("Sélectionnez le bénéficiaire concerné"))
    topic = forms.ChoiceField(label=_("Catégorie"), choices=MESSAGE_CATEGORIES)
    subject = forms.ChoiceField(label=_("Objet du message"), choices=object_choices)
    message = message_field(
        label=_("Votre message"),
        required=True,
        help_text=_("5000 caractères au maximum."),
    )
    files = AttachmentsField(rules=SEND_DOCUMENT, required=False, label=_("Documents"))

    def clean(self):
        data = super().clean()
        category, chosen = data.get("topic"), data.get("subject")
        if category and chosen and chosen not in dict(MESSAGE_OBJECTS.get(category, ())):
            self.add_error(
                "subject",
                _("Choisissez un objet de la catégorie « %(category)s ».")
                % {"category": dict(MESSAGE_CATEGORIES)[category]},
            )
        return data

    def display_value(self, name: str) -> str:
        if name == "subject":
            chosen = self.cleaned_data.get("subject")
            return str(OBJECT_LABELS.get(chosen, "")) if chosen else ""
        return super().display_value(name)

    def submission(self) -> dict:
        result = super().submission()
        # Stored as the managers read it: the object's French label, not its code.
        with override("fr"):
            result["subject"] = self.display_value("subject")
        return result
