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


class SpaceClosureForm(forms.Form):
    """ "Clôturer l'espace" (managers, on a closure request): the answer to the member, and an
    explicit yes, since the closure cannot be undone."""

    text = forms.CharField(
        label=_("Réponse à l'adhérent"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        initial=_("Comme vous l'avez demandé, votre espace en ligne est clôturé."),
        help_text=_(
            "Elle est ajoutée à la demande et envoyée par email à l'adresse du dossier de "
            "l'adhérent, qui ne pourra plus se connecter pour la lire."
        ),
        error_messages={"required": _("Écrivez la réponse à l'adhérent.")},
    )
    confirm = forms.BooleanField(
        label=_(
            "Je confirme la clôture : la connexion est désactivée et les informations du compte "
            "sont effacées, sans retour possible."
        ),
        error_messages={"required": _("Cochez cette case pour confirmer la clôture.")},
    )
