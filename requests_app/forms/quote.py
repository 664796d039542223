"""Transmettre un devis (guide 003): the object of the quote, the quotes themselves (4 files of
3 Mo at most), a message, "Transmettre ma demande de devis"."""

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.forms import AttachmentsField
from documents.rules import QUOTE_REQUEST
from requests_app.forms.base import BeneficiaryField, RequestForm, message_field

# Guide 003: "optique, audio, appareillage, hospitalisation, dentaire".
QUOTE_OBJECTS = [
    ("", _("Choisissez l'objet de votre demande de devis")),
    ("optical", _("Optique")),
    ("hearing", _("Audio")),
    ("equipment", _("Appareillage")),
    ("hospital", _("Hospitalisation")),
    ("dental", _("Dentaire")),
]


class QuoteForm(RequestForm):
    topic = forms.ChoiceField(label=_("Objet de la demande de devis"), choices=QUOTE_OBJECTS)
    beneficiary = BeneficiaryField(placeholder=_("Sélectionnez le bénéficiaire concerné"))
    files = AttachmentsField(
        rules=QUOTE_REQUEST, required=True, label=_("Justificatifs de vos devis")
    )
    message = message_field(label=_("Message"), help_text=_("Écrivez votre message"))
