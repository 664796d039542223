"""The rows of "Mes remboursements" and "Remboursements aux tiers", built in Python (every value
escaped once): up to 20 rows of seven cells on one of the member space's most visited pages,
where a template loop cost more than the queries."""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def payment_rows(rows, third_party: bool) -> str:
    """The table rows of a page of `cover.views.reimbursements.PaymentRow`."""
    l_date = escape(_("Date de paiement"))
    l_number = escape(_("Numéro"))
    l_payee = escape(_("Payé à"))
    l_people = escape(_("Bénéficiaire(s)"))
    l_care = escape(_("Soins"))
    l_amount = escape(_("Montant payé"))
    l_view = escape(_("Voir le détail"))
    html = []
    for row in rows:
        url = escape(row.url)
        number = escape(row.number)
        payee = f'<td data-label="{l_payee}">{escape(row.payee)}</td>' if third_party else ""
        view_label = escape(_("Voir le détail du paiement %(number)s") % {"number": row.number})
        html.append(
            f'<tr class="payment-row"><td data-label="{l_date}">{escape(row.payment_date)}</td>'
            f'<td data-label="{l_number}" class="reference"><a href="{url}">{number}</a></td>'
            f"{payee}"
            f'<td data-label="{l_people}">{escape(row.people)}</td>'
            f'<td data-label="{l_care}">{escape(row.care_types)}</td>'
            f'<td data-label="{l_amount}" class="amount">{escape(row.amount)}</td>'
            f'<td class="row-action"><a class="eye-link eye-icon" href="{url}" '
            f'aria-label="{view_label}"><span>{l_view}</span></a></td></tr>'
        )
    return mark_safe("".join(html))  # noqa: S308 - every value above is escaped
