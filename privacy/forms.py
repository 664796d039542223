from django import forms
from django.utils.translation import gettext_lazy as _


class ClosureForm(forms.Form):
    """ "Demander la clôture de mon espace": a word to the managers, and an explicit yes."""

    reason = forms.CharField(
        label=_("Message (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("Je comprends qu'une fois mon espace fermé, je ne pourrai plus m'y connecter."),
        error_messages={
            "required": _("Cochez cette case pour confirmer votre demande de clôture.")
        },
    )
