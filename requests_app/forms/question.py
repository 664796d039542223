"""Poser une question (guide 000): an object chosen in a list, then the question itself."""

from django import forms
from django.utils.translation import gettext_lazy as _

from requests_app.forms.base import RequestForm, message_field

QUESTION_TOPICS = [
    ("", _("Sélectionnez l'objet de votre question")),
    ("reimbursement", _("Mes remboursements")),
    ("contribution", _("Mes cotisations")),
    ("contract", _("Mon contrat et mes garanties")),
    ("card", _("Ma carte de tiers payant")),
    ("quote", _("Un devis")),
    ("space", _("Mon espace adhérent")),
    ("other", _("Autre question")),
]


class QuestionForm(RequestForm):
    topic = forms.ChoiceField(label=_("Objet de la question"), choices=QUESTION_TOPICS)
    message = message_field(
        label=_("Votre question"),
        required=True,
        rows=8,
        help_text=_("Renseignez votre demande plus précisément (5000 caractères au maximum)."),
    )
