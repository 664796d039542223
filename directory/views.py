""" "Localiser un professionnel de santé" (guides 002 "Mes outils", 003): choose a specialty,
type a postcode and/or a city, or use the browser's position ("Autour de moi"), then
"Rechercher". The results say whether each professional practises tiers payant, with address,
phone and, when a position is known, the distance (nearest first).

A plain GET form: it works without JavaScript, which only adds "Autour de moi"
(static/js/locator.js).
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.decorators import member_required
from directory.forms import RADII_KM, LocatorForm
from directory.models import Specialty
from directory.selectors import professionals_in

PAGE_SIZE = 20


class _CountedPaginator(Paginator):
    """A paginator told its total instead of running COUNT(*)."""

    def __init__(self, items, size, *, count: int):
        super().__init__(items, size)
        self.__dict__["count"] = count  # Paginator.count is a cached_property


def _page(request, found):
    """The requested page of `found`. The first page (what most searches show) is read with
    one more row than it holds: when that row is missing, the rows are the total and no
    COUNT(*) runs."""
    number = request.GET.get("page", "1")
    if number != "1":
        return Paginator(found, PAGE_SIZE).get_page(number)
    first = list(found[: PAGE_SIZE + 1])
    if len(first) <= PAGE_SIZE:
        return _CountedPaginator(first, PAGE_SIZE, count=len(first)).page(1)
    page = _CountedPaginator(found, PAGE_SIZE, count=found.count()).page(1)
    page.object_list = first[:PAGE_SIZE]
    return page


def _search_url(**params) -> str:
    return f"{reverse('directory:search')}?{urlencode(params)}"


def _empty_result(form: LocatorForm) -> tuple[str, str, str]:
    """When nothing is found: the message, and a wider search to offer (url, label) if any."""
    data = form.cleaned_data
    place = form.place
    specialty = Specialty(data["specialite"]).label
    tiers_payant = data.get("tiers_payant")
    params = {"specialite": data["specialite"]}
    if tiers_payant:
        params["tiers_payant"] = "on"
    if place.is_position:
        radius = place.area.radius_km
        if tiers_payant:
            message = _(
                "Aucun professionnel « %(specialty)s » pratiquant le tiers payant à moins de "
                "%(radius)s km de votre position."
            )
        else:
            message = _(
                "Aucun professionnel « %(specialty)s » à moins de %(radius)s km de votre position."
            )
        message %= {"specialty": specialty, "radius": radius}
        wider = [r for r in RADII_KM if r > radius]
        if not wider:
            return message, "", ""
        latitude, longitude = place.area.origin
        # A position stays rounded to about a kilometre in every URL (locator.js rounds it).
        url = _search_url(**params, lat=f"{latitude:.2f}", lon=f"{longitude:.2f}", rayon=wider[0])
        return message, url, _("Chercher à moins de %(radius)s km") % {"radius": wider[0]}
    if tiers_payant:
        message = _("Aucun professionnel « %(specialty)s » pratiquant le tiers payant à %(place)s.")
    else:
        message = _("Aucun professionnel « %(specialty)s » à %(place)s.")
    message %= {"specialty": specialty, "place": place.label}
    if place.area.origin is None:
        return message, "", ""
    latitude, longitude = place.area.origin
    radius = RADII_KM[2]
    url = _search_url(**params, lat=f"{latitude:.5f}", lon=f"{longitude:.5f}", rayon=radius)
    label = _("Chercher à moins de %(radius)s km de %(place)s") % {
        "radius": radius,
        "place": place.label,
    }
    return message, url, label


@member_required
def search(request, member):
    form = LocatorForm(request.GET or None)
    context = {"form": form, "page": None, "title": _("Localiser un professionnel de santé")}
    if form.is_bound and form.is_valid():
        place = form.place
        found = professionals_in(
            place.area,
            specialty=form.cleaned_data["specialite"],
            tiers_payant_only=form.cleaned_data["tiers_payant"],
        )
        page = _page(request, found)
        context.update(
            searched=True,
            page=page,
            place=place,
            with_distance=place.area.origin is not None,
            specialty_label=Specialty(form.cleaned_data["specialite"]).label,
        )
        if not page.paginator.count:
            message, wider_url, wider_label = _empty_result(form)
            context.update(empty_message=message, wider_url=wider_url, wider_label=wider_label)
    return render(request, "directory/search.html", context)
