"""The rows of the locator's results, built in Python: the page's hot loop (20 rows), as the
requests' history does (requests_app/templatetags/member_space.py), every value escaped."""

import functools
import html

import phonenumbers
from django import template
from django.utils.formats import get_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

_ROW = (
    '<tr class="locator-row">'
    '<td data-label="{l_name}"><span><strong class="pro-name">{name}</strong>'
    '<span class="muted sub-line">{specialty}</span></span></td>'
    '<td data-label="{l_address}"><span>{address}<span class="sub-line">{postcode} {city}</span>'
    "</span></td>"
    '<td data-label="{l_phone}">{phone}</td>'
    '<td data-label="{l_tiers_payant}">{tiers_payant}</td>'
    "{distance}</tr>"
)


@functools.lru_cache(maxsize=8)
def _texts(language: str) -> tuple[dict, str, str, str, str, str]:
    """Per language: the column labels, the two tiers-payant marks (a word and a shape, never
    a colour alone), "not given", the decimal separator and the distance cell."""
    labels = {
        "l_name": _("Professionnel"),
        "l_address": _("Adresse"),
        "l_phone": _("Téléphone"),
        "l_tiers_payant": _("Tiers payant"),
    }
    labels = {key: html.escape(value) for key, value in labels.items()}
    yes = (
        '<span class="badge badge-tp-yes"><span aria-hidden="true">✓</span> '
        f"{html.escape(_('Tiers payant'))}</span>"
    )
    no = (
        '<span class="badge badge-tp-no"><span aria-hidden="true">✗</span> '
        f"{html.escape(_('Pas de tiers payant'))}</span>"
    )
    unknown_phone = f'<span class="muted">{html.escape(_("Non communiqué"))}</span>'
    distance = (
        f'<td data-label="{html.escape(_("Distance"))}" class="distance">'
        + html.escape(_("%(km)s km")).replace("%(km)s", "{km}")
        + "</td>"
    )
    return labels, yes, no, unknown_phone, get_format("DECIMAL_SEPARATOR"), distance


@functools.lru_cache(maxsize=4096)
def phone_display(phone: str) -> str:
    """ "05 56 12 34 56" for a French number, the international form otherwise."""
    try:
        number = phonenumbers.parse(phone, "FR")
    except phonenumbers.NumberParseException:
        return phone
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 33
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


@register.simple_tag
def professional_rows(professionals, specialty_label, with_distance) -> str:
    """The rows of the results table (directory/search.html); `specialty_label` is the one
    searched (every row has it)."""
    labels, yes, no, unknown_phone, decimal, distance_cell = _texts(get_language())
    escape = html.escape
    specialty = escape(str(specialty_label))
    rows = []
    for pro in professionals:
        if pro.phone:
            phone = (
                f'<a href="tel:{escape(pro.phone)}" class="pro-phone">'
                f"{escape(phone_display(pro.phone))}</a>"
            )
        else:
            phone = unknown_phone
        distance = ""
        if with_distance:
            distance = distance_cell.format(km=f"{pro.distance_km:.1f}".replace(".", decimal))
        rows.append(
            _ROW.format(
                name=escape(pro.name),
                specialty=specialty,
                address=escape(pro.address),
                postcode=escape(pro.postcode),
                city=escape(pro.city),
                phone=phone,
                tiers_payant=yes if pro.tiers_payant else no,
                distance=distance,
                **labels,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped
