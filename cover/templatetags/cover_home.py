"""The home page's "Focus remboursements": the 12-month chart, its table, the last payments.

The chart is an inline SVG drawn here, on the server: no JavaScript, no chart library. Each
share has a fill pattern as well as a colour (solid, stripes, dots), so it reads in black and
white, and a legend with the same patterns; the same figures follow in a table.

The home page is the most visited of all: like requests_app's history rows, these pieces are
built here rather than by template loops, which cost several times more (`make bench`,
member_home). Every value is escaped; amounts are formatted once each.
"""

from decimal import Decimal
from functools import lru_cache
from html import escape
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cover import pdf
from cover.money import screen_euros
from cover.summary import YearSummary

register = template.Library()

# Drawing units of the viewBox: the SVG is 100 % wide and scales with it, about 1:1 on a
# 375 px phone (where the 14-unit text is then about 13 px).
WIDTH = 340
LABEL_HEIGHT = 20
BAR_HEIGHT = 22
ROW_GAP = 14
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP

# The CSS class of each share, left to right; its pattern is "<class>-fill".
_SS, _INSURER, _LEFT = "rb-ss", "rb-insurer", "rb-left"
_SHARES = (_SS, _INSURER, _LEFT)

_DEFS = (
    "<defs>"
    # Part Sécurité sociale: solid.
    f'<pattern id="{_SS}-fill" width="8" height="8" patternUnits="userSpaceOnUse">'
    '<rect class="rb-ink" width="8" height="8" fill="#0b5394"/></pattern>'
    # Part complémentaire: diagonal stripes on a pale ground.
    f'<pattern id="{_INSURER}-fill" width="8" height="8" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)">'
    '<rect class="rb-pale" width="8" height="8" fill="#dbe7f3"/>'
    '<rect class="rb-ink" width="3.5" height="8" fill="#0b5394"/></pattern>'
    # Reste à charge: dots on white.
    f'<pattern id="{_LEFT}-fill" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<rect width="6" height="6" fill="#fff"/>'
    '<circle cx="3" cy="3" r="1.3" fill="#1d1d1f"/></pattern>'
    "</defs>"
)
_SWATCH = (
    '<svg class="rb-swatch" viewBox="0 0 24 16" width="24" height="16" aria-hidden="true" '
    'focusable="false"><rect x="0.5" y="0.5" width="23" height="15" '
    'fill="url(#{share}-fill)" stroke="#1d1d1f"/></svg>'
)

# "1 234,50 €" ("€1,234.50" in English): the same amounts appear in the chart, the table and
# the totals.
_euros = screen_euros


@register.filter
def euros(value) -> str:
    """1234.5 -> "1 234,50 €", as on the statements."""
    if value in (None, ""):
        return ""
    return _euros(Decimal(value))


@register.filter
def day(value) -> str:
    """A date as jj/mm/aaaa."""
    return pdf.day(value)


@lru_cache(maxsize=64)
def _labels(language: str | None) -> dict[str, str]:
    """The words of the chart, the table and the payments, escaped, once per language."""
    words = {
        _SS: _("Part Sécurité sociale"),
        # One name for the insurer's share on every page (the detail table, the statements).
        _INSURER: _("Part complémentaire"),
        _LEFT: _("Reste à charge"),
        "real": _("Frais réels"),
        "type": _("Type de soins"),
        "caption": _("Synthèse de vos remboursements sur les 12 derniers mois"),
        "more": _("Voir le détail"),
    }
    return {key: escape(value) for key, value in words.items()}


@register.simple_tag
def reimbursement_chart(summary: YearSummary, insurer_name: str) -> str:
    """A legend and one horizontal stacked bar per type of care (Sécurité sociale, the
    insurer, what is left to pay), scaled on the largest; empty when there is nothing to draw."""
    if not summary or summary.is_empty:
        return ""
    labels = _labels(get_language())
    total = summary.total
    description = _(
        "Graphique de vos remboursements sur les 12 derniers mois, par type de soins. "
        "Au total : frais réels %(real)s, part Sécurité sociale %(ss)s, %(insurer_label)s "
        "%(insurer)s, reste à charge %(left)s. Le tableau qui suit détaille ces montants."
    ) % {
        "real": _euros(total.real_cost),
        "ss": _euros(total.ss_share),
        "insurer_label": _("part complémentaire"),
        "insurer": _euros(total.insurer_share),
        "left": _euros(total.remaining),
    }
    largest = max(
        max(row.real_cost, row.ss_share + row.insurer_share + row.remaining) for row in summary.rows
    )
    scale = (WIDTH - 2) / float(largest) if largest > 0 else 0.0
    parts = []
    for index, row in enumerate(summary.rows):
        top = index * ROW_HEIGHT
        parts.append(
            f'<text class="rb-label" x="0" y="{top + 15}">{escape(row.label)}</text>'
            f'<text class="rb-value" x="{WIDTH}" y="{top + 15}" text-anchor="end">'
            f"{_euros(row.real_cost)}</text>"
        )
        x = 1.0
        for share, amount in zip(
            _SHARES, (row.ss_share, row.insurer_share, row.remaining), strict=True
        ):
            width = float(amount) * scale
            if width <= 0:
                continue
            parts.append(
                f'<rect class="{share}" x="{x:.2f}" y="{top + LABEL_HEIGHT}" '
                f'width="{width:.2f}" height="{BAR_HEIGHT}" fill="url(#{share}-fill)" '
                f'stroke="#1d1d1f" stroke-width="1"><title>{labels[share]} : '
                f"{_euros(amount)}</title></rect>"
            )
            x += width
    height = len(summary.rows) * ROW_HEIGHT - ROW_GAP + 2
    legend = "".join(
        f'<li class="rb-legend-item">{_SWATCH.format(share=share)}<span>{labels[share]}</span></li>'
        for share in _SHARES
    )
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'<div class="rb-figure"><ul class="rb-legend" aria-hidden="true">{legend}</ul>'
        f'<svg class="rb-chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="rb-chart-title" preserveAspectRatio="xMinYMin meet">'
        f'<title id="rb-chart-title">{escape(description)}</title>{_DEFS}'
        f"{''.join(parts)}</svg></div>"
    )


# The chart's figures as a table (the existing responsive-table pattern: a card per type of
# care on a phone).
_TABLE = (
    '<table class="responsive-table request-table rb-table" role="table">'
    "<caption>{caption}</caption>"
    '<thead role="rowgroup"><tr role="row">'
    '<th scope="col" role="columnheader">{type}</th>'
    '<th scope="col" role="columnheader" class="amount">{real}</th>'
    '<th scope="col" role="columnheader" class="amount">{ss}</th>'
    '<th scope="col" role="columnheader" class="amount">{insurer}</th>'
    '<th scope="col" role="columnheader" class="amount">{left}</th>'
    "</tr></thead>"
    '<tbody role="rowgroup">{rows}</tbody>'
    '<tfoot role="rowgroup">{total}</tfoot></table>'
)
_TABLE_ROW = (
    '<tr role="row"{css}><th scope="row" role="rowheader">{label}</th>'
    '<td role="cell" class="amount" data-label="{l_real}">{real}</td>'
    '<td role="cell" class="amount" data-label="{l_ss}">{ss}</td>'
    '<td role="cell" class="amount" data-label="{l_insurer}">{insurer}</td>'
    '<td role="cell" class="amount" data-label="{l_left}">{left}</td></tr>'
)


@register.simple_tag
def summary_table(summary: YearSummary, insurer_name: str) -> str:
    """The table that follows the chart: a row per type of care, then the total."""
    if not summary or summary.is_empty:
        return ""
    labels = _labels(get_language())

    def row(totals, css=""):
        return _TABLE_ROW.format(
            css=css,
            label=escape(totals.label),
            real=_euros(totals.real_cost),
            ss=_euros(totals.ss_share),
            insurer=_euros(totals.insurer_share),
            left=_euros(totals.remaining),
            l_real=labels["real"],
            l_ss=labels[_SS],
            l_insurer=labels[_INSURER],
            l_left=labels[_LEFT],
        )

    return mark_safe(  # noqa: S308 - every value above is escaped (amounts are digits)
        _TABLE.format(
            caption=labels["caption"],
            type=labels["type"],
            real=labels["real"],
            ss=labels[_SS],
            insurer=labels[_INSURER],
            left=labels[_LEFT],
            rows="".join(row(totals) for totals in summary.rows),
            total=row(summary.total, css=' class="rb-total"'),
        )
    )


_PAYMENT = (
    '<li class="card rb-payment"><a href="{href}" class="rb-payment-link">'
    '<span class="rb-payment-amount">{amount}</span><span>{paid}</span>'
    '<span class="rb-payment-payee">{payee}</span>'
    '<span class="rb-payment-more">{more}<span class="visually-hidden"> {which}</span></span>'
    "</a></li>"
)
_NUMBER = "NUMBER"


@register.simple_tag
def payment_items(payments) -> str:
    """The last payments (guide 002 "vos trois derniers remboursements"), each a link to its
    detail: amount, date, and who was paid."""
    if not payments:
        return ""
    labels = _labels(get_language())
    # One reverse for all: the detail's URL with the number in its place.
    link = reverse("cover:payment", args=[_NUMBER])
    items = []
    for payment in payments:
        if payment.is_third_party:
            payee = _("à %(name)s (tiers payant)") % {"name": payment.payee_name}
        else:
            payee = _("à %(name)s") % {"name": payment.payee_name}
        items.append(
            _PAYMENT.format(
                href=escape(link.replace(_NUMBER, quote(payment.number, safe=""))),
                amount=_euros(payment.amount),
                paid=escape(_("payé le %(date)s") % {"date": pdf.day(payment.payment_date)}),
                payee=escape(payee),
                more=labels["more"],
                which=escape(_("du paiement %(number)s") % {"number": payment.number}),
            )
        )
    return mark_safe("".join(items))  # noqa: S308 - every value above is escaped
