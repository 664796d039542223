"""A French address's postcode and city checked against the offline commune list (the one the
health-professional locator reads, directory/communes.py): a postcode that exists, a city it
serves. Shared by "Mes informations personnelles" and the "Changement d'adresse" request."""

from django import forms
from django.utils.translation import gettext as _

from directory import communes


def postcode_city_check(form: forms.Form, postcode: str, city: str) -> None:
    """Add the errors next to `postcode` or `city` when they do not go together."""
    if not postcode or not city:
        return
    served = communes.by_postcode(postcode)
    if not served:
        form.add_error("postcode", _("Ce code postal n'existe pas."))
        return
    if not any(commune.named(city) for commune in served):
        names = ", ".join(commune.name for commune in served[:8])
        form.add_error(
            "city",
            _(
                "Cette ville ne correspond pas au code postal %(postcode)s "
                "(communes de ce code postal : %(names)s)."
            )
            % {"postcode": postcode, "names": names},
        )
