"""Template tags of the partner space: its dates, and the history's cards.

The history is the most visited page of the space and shows up to 100 cards: its cards are
built here (every value escaped once) rather than by a template per card (its filter bar's
fields: `portal.templatetags.filter_bar`).
"""

from html import escape as _esc
from urllib.parse import urlsplit

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.lifecycle import STATUS_MARKS
from partners.catalogue import Service
from partners.models import PartnerRequestStatus

register = template.Library()


@register.filter
def partner_datetime(value) -> str:
    """ "02/02/2022 16h26min", in Europe/Paris, as the guide writes dates and times."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return _("%(day)s %(hours)sh%(minutes)smin") % {
        "day": local.strftime("%d/%m/%Y"),
        "hours": local.strftime("%H"),
        "minutes": local.strftime("%M"),
    }


# The guide's ★, ⌚ and 👤, drawn by partner_history.css.
_STAR = '<span class="ph-icon ph-icon-star" aria-hidden="true"></span>'
_CLOCK = '<span class="ph-icon ph-icon-clock" aria-hidden="true"></span>'
_PERSON_ICON = '<span class="ph-icon ph-icon-person" aria-hidden="true"></span>'
# The status as a shape as well as a colour: readable in black and white.


@register.simple_tag
def history_cards(rows) -> str:
    """The cards of a page of `selectors.partner_history` (dicts of HISTORY_FIELDS), as the
    guide draws them (VI.2.1): ODS and status, ★ number and ⌚ date, requester and person
    concerned, "Consulter le détail".

    Labels, badges, the time zone and the URL are looked up once per page; each value is
    escaped once (html.escape: the rows are plain strings)."""
    l_number = _esc(_("Numéro de demande"))
    l_date = _esc(_("Date de dépôt"))
    l_requester = _esc(_("Demandeur"))
    l_person = _esc(_("Personne concernée"))
    l_detail = _esc(_("Consulter le détail"))
    l_of_request = _esc(_("de la demande"))
    badges = {
        value: f'<span class="badge badge-{value}"><span class="badge-mark" aria-hidden="true">'
        f"{STATUS_MARKS.get(value, '●')}</span> {_esc(str(label))}</span>"
        for value, label in PartnerRequestStatus.choices
    }
    services = {value: _esc(str(label)) for value, label in Service.choices}
    civilities = {"MME": _esc(_("Madame")) + " ", "M": _esc(_("Monsieur")) + " "}
    # The detail's address with a placeholder number: one reverse() per page.
    base = _esc(reverse("partners:detail", args=["0"]))[:-2]
    zone = timezone.get_current_timezone()
    when_format = _("%(day)s %(hours)sh%(minutes)smin")
    cards = []
    for row in rows:
        created = row["created_at"].astimezone(zone)
        number = _esc(row["number"])
        person = ""
        if row["last_name"]:
            name = _esc(f"{row['last_name']} {row['first_name']}")
            person = (
                f' <span class="ph-person">{_PERSON_ICON} {l_person} : '
                f"{civilities.get(row['civility'], '')}{name}</span>"
            )
        cards.append(
            f'<li class="ph-card"><div class="ph-card-head"><h2 class="ph-card-title">'
            f"{services.get(row['service'], '')}</h2>{badges.get(row['status'], '')}</div>"
            f'<p class="ph-card-line"><span class="ph-number">{_STAR} '
            f'<span class="visually-hidden">{l_number} </span>{number}</span> '
            f'<span class="ph-date">{_CLOCK} '
            f'<span class="visually-hidden">{l_date} </span><time datetime="'
            f'{created.isoformat()}">'
            + when_format
            % {
                "day": f"{created.day:02d}/{created.month:02d}/{created.year}",
                "hours": f"{created.hour:02d}",
                "minutes": f"{created.minute:02d}",
            }
            + "</time></span></p>"
            f'<p class="ph-card-line"><span class="ph-person">{_PERSON_ICON} '
            f"{l_requester} : {_esc(row['requester_name'])}</span>{person}</p>"
            f'<a class="ph-detail" href="{base}{number}/">{l_detail}'
            f'<span class="visually-hidden"> {l_of_request} {number}</span></a></li>'
        )
    return mark_safe("".join(cards))  # noqa: S308 - every value above is escaped


def _bar(page, where: str, links: dict) -> str:
    paginator = page.paginator
    count = paginator.count
    if paginator.count_is_estimate:
        total = ngettext("environ %(counter)s demande", "environ %(counter)s demandes", count)
    else:
        total = ngettext("%(counter)s demande", "%(counter)s demandes", count)
    role = ' role="status"' if where == "top" else ""
    html = (
        f'<div class="ph-bar ph-bar-{where}">\n'
        f'  <p class="result-count"{role}>{_esc(total % {"counter": count})}</p>\n'
    )
    if paginator.num_pages > 1:
        label = _("Pages (haut de liste)") if where == "top" else _("Pages (bas de liste)")
        html += f'  <nav class="pagination ph-pagination" aria-label="{_esc(label)}">\n'
        position = _("Page %(number)s sur %(total)s") % {
            "number": page.number,
            "total": paginator.num_pages,
        }
        html += (
            links["previous"]
            + (f'    <p class="pagination-position">{_esc(position)}</p>\n')
            + links["next"]
            + "  </nav>\n"
        )
    return html + "</div>"


@register.simple_tag(takes_context=True)
def history_bars(context, page) -> tuple[str, str]:
    """The total and the pages, above and below the cards (guide 001, VI.1), as
    `partials/history_bar.html` drew them: the links' addresses built once for both."""
    if page.paginator.num_pages <= 1:
        links = {"previous": "", "next": ""}
    else:
        query = context["request"].GET
        hidden = f'<span class="visually-hidden"> {_esc(_("page"))}</span>'

        def href(number) -> str:
            params = query.copy()
            params["page"] = number
            return _esc(f"?{params.urlencode()}")

        def link(number, text, rel="") -> str:
            return (
                f'      <a class="button button-small"{rel} href="{href(number)}">'
                f"{_esc(text)}{hidden}</a>\n"
            )

        previous = nxt = ""
        if page.has_previous():
            previous = link(1, _("« Première")) + link(
                page.previous_page_number(), _("‹ Précédente"), ' rel="prev"'
            )
        if page.has_next():
            nxt = link(page.next_page_number(), _("Suivante ›"), ' rel="next"') + link(
                page.paginator.num_pages, _("Dernière »")
            )
        links = {"previous": previous, "next": nxt}
    return (
        mark_safe(_bar(page, "top", links)),  # noqa: S308 - every value is escaped
        mark_safe(_bar(page, "bottom", links)),  # noqa: S308 - every value is escaped
    )


@register.simple_tag(takes_context=True)
def public_site(context, space) -> dict | None:
    """The top bar's public site (guide 001: "ameli.fr | Manuel utilisateur"): the selected
    organism's, else the insurer's (branding); shown by its host name, "ameli.fr"."""
    url = getattr(getattr(space, "organism", None), "public_site_url", "") or ""
    if not url:
        branding = context.get("branding")
        url = getattr(branding, "public_site_url", "") or ""
    if not url:
        return None
    host = urlsplit(url).hostname or url
    return {"url": url, "label": host.removeprefix("www.")}
