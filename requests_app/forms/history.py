"""The GET forms that filter the lists of requests ("Échanger avec nous", "Ma messagerie").

Parameter names are the French words shown in the address bar. A value nobody could choose
(a forged status, a page size of 7) is ignored rather than refused: the list still shows.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from requests_app.models import RequestKind, RequestStatus

PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = PAGE_SIZES[0]
QUERY_MAX_LENGTH = 100


class RequestSearchForm(forms.Form):
    """ "Ma messagerie": words searched in the reference, subject and text, and a page size."""

    recherche = forms.CharField(
        label=_("Rechercher dans vos messages"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        help_text=_("Une référence, un objet ou des mots de votre message."),
    )
    taille = forms.TypedChoiceField(
        label=_("Demandes par page"),
        choices=[(size, str(size)) for size in PAGE_SIZES],
        coerce=int,
        required=False,
        empty_value=DEFAULT_PAGE_SIZE,
    )

    # The choices that are the same on every page: the filter tag builds their options once.
    static_choices = frozenset({"statut", "type", "taille"})

    def __init__(self, data=None, **kwargs):
        super().__init__(data if data is not None else {}, **kwargs)

    def value(self, name, default=""):
        """The cleaned value of a field, or `default` when it is missing or not a choice."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value

    @property
    def filters(self) -> dict:
        """Keyword arguments for the `member_requests` selector."""
        return {"query": self.value("recherche")}

    @property
    def page_size(self) -> int:
        return self.value("taille", DEFAULT_PAGE_SIZE)


class RequestFilterForm(RequestSearchForm):
    """ "Échanger avec nous": the search, plus a status and a kind of request."""

    statut = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("", _("Tous les statuts")), *RequestStatus.choices],
    )
    type = forms.ChoiceField(
        label=_("Type de demande"),
        required=False,
        choices=[("", _("Tous les types")), *RequestKind.choices],
    )

    field_order = ["statut", "type", "recherche", "taille"]

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["recherche"].label = _("Rechercher dans vos demandes")

    @property
    def filters(self) -> dict:
        return {
            "status": self.value("statut"),
            "kind": self.value("type"),
            "query": self.value("recherche"),
        }
