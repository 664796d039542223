"""Forms of the partner space around the requests: choosing the organism, adding a technician.

Validation and normalisation only; the writes are in partners.technicians and the views.
"""

from django import forms
from django.contrib.auth.base_user import BaseUserManager
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partners.conventions import Situation

# Marks, in the text of the option, an organism in a particular situation: colour alone would
# not reach everyone.
FLAG_MARK = " *"


class OrganismSelect(forms.Select):
    """A select whose options of organisms in a particular situation carry a class (red)."""

    flagged: frozenset = frozenset()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.flagged:
            option["attrs"]["class"] = "organism-flagged"
        return option


class OrganismChoiceForm(forms.Form):
    """ "Sélectionner l'organisme sur lequel vous souhaitez vous connecter." (guide 001, II)."""

    organism = forms.ChoiceField(
        label=_("Sélectionner l'organisme sur lequel vous souhaitez vous connecter."),
        widget=OrganismSelect,
        error_messages={
            "required": _("Sélectionnez l'organisme sur lequel vous souhaitez vous connecter."),
            "invalid_choice": _(
                "Cet organisme n'est plus proposé : sélectionnez-en un dans la liste."
            ),
        },
    )

    def __init__(self, *args, situations: list[Situation], **kwargs):
        super().__init__(*args, **kwargs)
        self.situations = {str(situation.organism.pk): situation for situation in situations}
        field = self.fields["organism"]
        field.choices = [("", gettext("Sélectionner un organisme"))] + [
            (pk, situation.organism.name + (FLAG_MARK if situation.flagged else ""))
            for pk, situation in self.situations.items()
        ]
        field.widget.flagged = frozenset(
            pk for pk, situation in self.situations.items() if situation.flagged
        )
        if field.widget.flagged:
            # Shown under the list and tied to it (aria-describedby) when an organism is marked.
            field.help_text = _(
                "NB : sont signalés en rouge + un astérisque (*) les organismes relevant d'une "
                "situation particulière (convention à venir, arrivant à échéance ou terminée)."
            )

    @property
    def situation(self) -> Situation:
        """The situation of the organism chosen (after `is_valid()`)."""
        return self.situations[self.cleaned_data["organism"]]


class TechnicianForm(forms.Form):
    """ "Créer un technicien": who they are and where their invitation goes."""

    first_name = forms.CharField(
        label=_("Prénom"), max_length=60, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    last_name = forms.CharField(
        label=_("Nom"), max_length=60, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    email = forms.EmailField(
        label=_("Adresse email"),
        # The address is also the technician's identifier (a username of 150 characters).
        max_length=150,
        help_text=_(
            "Le technicien reçoit à cette adresse un lien pour choisir son mot de passe ; "
            "elle lui sert ensuite d'identifiant."
        ),
        error_messages={"invalid": _("Saisissez une adresse email valide, ex. : nom@exemple.fr")},
        widget=forms.EmailInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )

    def clean_email(self):
        # Whether the address has an account is the service's business: it tells only about
        # the manager's own structure (technician_create).
        return BaseUserManager.normalize_email(self.cleaned_data["email"].strip())
