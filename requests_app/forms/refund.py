"""Demande de remboursement (guide 003): choose the object, join the documents it asks for, add
a message if need be, "Transmettre ma demande de remboursement"."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _now
from django.utils.translation import gettext_lazy as _

from documents.forms import AttachmentsField
from documents.rules import SEND_DOCUMENT
from requests_app.forms.base import BeneficiaryField, RequestForm, message_field


@dataclass(frozen=True)
class RefundObject:
    code: str
    label: str
    # The documents this object asks for, shown before the files are chosen.
    documents: tuple


REFUND_OBJECTS = [
    RefundObject(
        "routine",
        _("Soins courants"),
        (
            _("La facture acquittée du professionnel de santé"),
            _("Le décompte de l'Assurance Maladie, si vos remboursements ne sont pas télétransmis"),
        ),
    ),
    RefundObject(
        "optical",
        _("Optique"),
        (
            _("La facture détaillée de l'opticien"),
            _("La prescription médicale (ordonnance)"),
        ),
    ),
    RefundObject(
        "dental",
        _("Dentaire"),
        (
            _("La facture détaillée du chirurgien-dentiste"),
            _("Le décompte de l'Assurance Maladie"),
        ),
    ),
    RefundObject(
        "hearing",
        _("Audioprothèse"),
        (
            _("La facture détaillée de l'audioprothésiste"),
            _("La prescription médicale (ordonnance)"),
            _("Le décompte de l'Assurance Maladie"),
        ),
    ),
    RefundObject(
        "hospital",
        _("Hospitalisation"),
        (
            _("Le bulletin de situation (dates d'entrée et de sortie)"),
            _("La facture de l'établissement"),
        ),
    ),
    RefundObject(
        "spa",
        _("Cure thermale"),
        (
            _("La facture de l'établissement thermal"),
            _("L'accord de prise en charge de l'Assurance Maladie"),
            _("Le décompte de l'Assurance Maladie"),
        ),
    ),
    RefundObject(
        "soft_medicine",
        _("Médecine douce"),
        (
            _(
                "La facture acquittée du praticien (nom, spécialité, numéro ADELI ou SIRET, "
                "date et nombre de séances)"
            ),
        ),
    ),
    RefundObject(
        "other",
        _("Autre"),
        (
            _("La facture acquittée"),
            _("Tout justificatif utile à l'étude de votre demande"),
        ),
    ),
]
REFUND_OBJECTS_BY_CODE = {obj.code: obj for obj in REFUND_OBJECTS}


class RefundForm(RequestForm):
    topic = forms.ChoiceField(
        label=_("Objet du remboursement"),
        choices=[
            ("", _("Choisissez l'objet de votre remboursement")),
            *[(obj.code, obj.label) for obj in REFUND_OBJECTS],
        ],
        help_text=_("Les documents à joindre dépendent de l'objet choisi."),
    )
    beneficiary = BeneficiaryField(placeholder=_("Sélectionnez le bénéficiaire concerné"))
    # "Joignez les éventuels documents annexes demandés" (guide 003): optional.
    files = AttachmentsField(
        rules=SEND_DOCUMENT, required=False, label=_("Documents annexes (facultatif)")
    )
    message = message_field(label=_("Message"), help_text=_("Ajoutez un message si besoin"))

    # Read by the intro template: every object and its documents.
    refund_objects = REFUND_OBJECTS

    def requested_documents(self) -> tuple:
        """The documents asked for the chosen object (none before a valid choice)."""
        chosen = REFUND_OBJECTS_BY_CODE.get(getattr(self, "cleaned_data", {}).get("topic"))
        return chosen.documents if chosen else ()

    def summary_items(self) -> list[tuple[str, str]]:
        items = super().summary_items()
        documents = self.requested_documents()
        if documents:
            # Right after the object, as a reminder of what the managers expect.
            position = next(
                (
                    i + 1
                    for i, (label, _v) in enumerate(items)
                    if label == str(self.fields["topic"].label)
                ),
                0,
            )
            items.insert(
                position, (_now("Documents demandés"), "\n".join(str(d) for d in documents))
            )
        return items
