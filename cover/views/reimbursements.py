"""Mes remboursements santé (guide 002): "Consultation" (payments to the member), the detail of
a payment and its statement ("Imprimer ce paiement"), every statement of the searched period in
one PDF, "Remboursements aux tiers" (payments to health professionals) and "RIB".

Every lookup goes through the member's own payments: another member's payment is a 404, and a
person the member does not cover is refused by the search form.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote

from django.contrib import messages
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.decorators import member_required
from casework.lists import page_of
from cover.collective import ChangeArea, employer_in_charge
from cover.forms import FIELDS, PaymentSearchForm
from cover.models import BankDetails, CareType, StatementExport
from cover.money import screen_euros as euros
from cover.pdf import day, pdf_response
from cover.selectors import payment_or_404, payments_found, payments_searched
from cover.services import statement_export_request
from cover.statements import (
    AMOUNT_FIELDS,
    Totals,
    care_label,
    payment_statement,
    payment_statement_document,
    period_statements,
    period_statements_document,
    person_name,
    statement_filters,
    with_lines,
)

PAGE_SIZE = 20
# One PDF of statements at most: beyond, the member is asked to narrow the period.
MAX_STATEMENTS = 500
# The list a statements download came from (`?liste=tiers`), to go back to it.
THIRD_PARTY_LIST = "tiers"
# The statements of a period up to a year come at once; a longer period is built by a job.
INLINE_PERIOD_DAYS = 366


@dataclass(frozen=True)
class PaymentRow:
    """One line of the list of payments, its values ready to show."""

    number: str
    payment_date: str
    payee: str
    people: str
    care_types: str
    amount: str
    url: str


@dataclass(frozen=True)
class LineRow:
    """One reimbursed act of a payment's detail."""

    care_date: str
    care_type: str
    act: str
    practitioner: str
    person: str
    real_cost: str
    ss_base: str
    ss_share: str
    insurer_share: str
    remaining: str


def _criteria(form: PaymentSearchForm, *, third_party: bool) -> dict:
    """The searched period, person and type of care, as the selectors take them."""
    return {
        "start": form.start,
        "end": form.end,
        "third_party": third_party,
        "person": form.person,
        "care_type": form.care_type,
    }


def _search(member, form: PaymentSearchForm, *, third_party: bool):
    """The member's payments of the searched period, person and type of care."""
    return payments_searched(member, **_criteria(form, third_party=third_party))


def _unique(values) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def _payment_rows(member, payments, query: str, people: list) -> list[PaymentRow]:
    """The rows of one page (`cover.selectors.FoundPayment`, read with the person and care of
    their lines: the names come from `people`, the member and their beneficiaries, whom every
    line names: the import finds a line's beneficiary among its member's)."""
    names = {
        (person.beneficiary.pk if person.beneficiary else None): person.full_name
        for person in people
    }
    care_labels = {value: str(label) for value, label in CareType.choices}  # translated once
    # The detail's address with a placeholder number: one reverse() per page.
    placeholder = "0"
    detail = reverse("cover:payment", args=[placeholder])[: -len(placeholder) - 1]
    suffix = f"?{query}" if query else ""
    rows = []
    for payment in payments:
        found = payment.lines
        rows.append(
            PaymentRow(
                number=payment.number,
                payment_date=day(payment.payment_date),
                payee=payment.payee_name,
                people=", ".join(_unique(names.get(b, "") for b, _care in found)),
                care_types=", ".join(_unique(care_labels.get(care, care) for _b, care in found)),
                amount=euros(payment.amount),
                url=f"{detail}{quote(payment.number)}/{suffix}",
            )
        )
    return rows


def _payment_list(request, member, *, third_party: bool):
    form = PaymentSearchForm(member, request.GET)
    context = {
        "form": form,
        "third_party": third_party,
        "page": None,
        "current": "third_party" if third_party else "consultation",
    }
    if form.is_valid():
        found = payments_found(member, **_criteria(form, third_party=third_party))
        page, notice = page_of(
            request, None, PAGE_SIZE, count=lambda: found.count, rows=found.rows, rows_first=True
        )
        # The detail's "Retourner à l'écran de recherche" comes back to this very page.
        row_query = form.query
        if page.number > 1:
            row_query += "&" + urlencode({"page": page.number})
        page.object_list = _payment_rows(
            member, page.object_list, row_query, list(form.people.values())
        )
        statements_query = form.query
        if third_party:
            statements_query += "&" + urlencode({"liste": THIRD_PARTY_LIST})
        context.update(
            page=page,
            page_notice=notice,
            total=euros(found.total),
            start=day(form.start),
            end=day(form.end),
            statements_query=statements_query,
        )
    return render(request, "cover/reimbursements/list.html", context)


@member_required
def reimbursements(request, member):
    """ "Consultation": the payments made to the member, searched by period, person and care."""
    return _payment_list(request, member, third_party=False)


@member_required
def third_party(request, member):
    """ "Remboursements aux tiers": the payments made directly to health professionals."""
    return _payment_list(request, member, third_party=True)


def _search_query(request) -> str:
    """The search the member came from, to go back to it."""
    return urlencode(
        {name: value for name in (*FIELDS, "page") if (value := request.GET.get(name, "").strip())}
    )


@member_required
def payment_detail(request, member, number):
    """The detail of one payment, to the member or to a professional."""
    shown = payment_or_404(member, number)
    lines = list(shown.lines.all())
    rows = [
        LineRow(
            care_date=day(line.care_date),
            care_type=care_label(line),
            act=line.act,
            practitioner=line.practitioner,
            person=person_name(member, line),
            real_cost=euros(line.real_cost),
            ss_base=euros(line.ss_base),
            ss_share=euros(line.ss_share),
            insurer_share=euros(line.insurer_share),
            remaining=euros(line.remaining),
        )
        for line in lines
    ]
    totals = Totals.of(lines)
    back = reverse("cover:third_party" if shown.is_third_party else "cover:reimbursements")
    query = _search_query(request)
    return render(
        request,
        "cover/reimbursements/detail.html",
        {
            "payment": shown,
            "third_party": shown.is_third_party,
            "current": "third_party" if shown.is_third_party else "consultation",
            "payment_date": day(shown.payment_date),
            "amount": euros(shown.amount),
            "rows": rows,
            "totals": {name: euros(getattr(totals, name)) for name in AMOUNT_FIELDS},
            "back_url": f"{back}?{query}" if query else back,
        },
    )


@member_required
def payment_pdf(request, member, number):
    """ "Imprimer ce paiement": the relevé de prestations of one payment."""
    shown = payment_or_404(member, number)
    # The number comes from the insurer's files: only safe characters reach the header.
    safe_number = re.sub(r"[^A-Za-z0-9_-]", "-", shown.number)
    return pdf_response(payment_statement(member, shown), f"releve-{safe_number}.pdf")


@member_required
def payment_html(request, member, number):
    """The statement of one payment as a page: the accessible alternative of its PDF."""
    from cover.views.contract import document_page

    shown = payment_or_404(member, number)
    return document_page(
        request,
        payment_statement_document(member, shown),
        pdf_url=reverse("cover:payment_pdf", args=[shown.number]),
        back_url=reverse("cover:payment", args=[shown.number]),
        back_label=_("Détail du paiement"),
    )


@member_required
def statements_pdf(request, member):
    """Every statement of the searched period in one PDF. A search that cannot be downloaded
    (wrong dates, nothing found, too many payments) goes back to the search with why."""
    third_party = request.GET.get("liste") == THIRD_PARTY_LIST
    form = PaymentSearchForm(member, request.GET)
    back = reverse("cover:third_party" if third_party else "cover:reimbursements")
    back = f"{back}?{form.query}" if form.query else back
    if not form.is_valid():
        messages.error(
            request,
            _("Les relevés n'ont pas pu être téléchargés : corrigez votre recherche ci-dessous."),
        )
        return redirect(back)
    if (form.end - form.start).days > INLINE_PERIOD_DAYS:
        # Longer than a year: built in the background, followed on its own page.
        export = statement_export_request(
            member=member,
            start=form.start,
            end=form.end,
            third_party=third_party,
            person_key=form.person.key if form.person else "",
            care_type=form.care_type,
        )
        return redirect("cover:statements_export", pk=export.pk)
    payments = _search(member, form, third_party=third_party)
    count = payments.count()
    if count == 0:
        messages.info(
            request,
            _("Aucun paiement sur cette période : il n'y a pas de relevé à télécharger."),
        )
        return redirect(back)
    if count > MAX_STATEMENTS:
        messages.error(
            request,
            _(
                "Cette période compte %(count)d paiements : les relevés se téléchargent par "
                "%(max)d au plus. Choisissez une période plus courte."
            )
            % {"count": count, "max": MAX_STATEMENTS},
        )
        return redirect(back)
    content = period_statements(
        member,
        with_lines(payments),
        start=form.start,
        end=form.end,
        third_party=third_party,
        filters=statement_filters(form.person, form.care_type),
    )
    prefix = "releves-tiers" if third_party else "releves"
    return pdf_response(content, f"{prefix}-{form.start:%Y-%m-%d}-{form.end:%Y-%m-%d}.pdf")


@member_required
def statements_html(request, member):
    """The statements of the searched period as a page: the accessible alternative of their
    PDF, for a period of a year at most (a longer one is the background job's PDF)."""
    from cover.views.contract import document_page

    third_party = request.GET.get("liste") == THIRD_PARTY_LIST
    form = PaymentSearchForm(member, request.GET)
    back = reverse("cover:third_party" if third_party else "cover:reimbursements")
    back = f"{back}?{form.query}" if form.query else back
    if not form.is_valid() or (form.end - form.start).days > INLINE_PERIOD_DAYS:
        return redirect(back)
    payments = _search(member, form, third_party=third_party)
    if not 0 < payments.count() <= MAX_STATEMENTS:
        return redirect(back)
    document = period_statements_document(
        member,
        with_lines(payments),
        start=form.start,
        end=form.end,
        third_party=third_party,
        filters=statement_filters(form.person, form.care_type),
    )
    return document_page(
        request,
        document,
        pdf_url=f"{reverse('cover:statements_pdf')}?{request.GET.urlencode()}",
        back_url=back,
        back_label=_("Retour à la recherche"),
    )


@member_required
def statements_export(request, member, pk):
    """The statements of a long period being built: how far it got, then the download link.
    JSON for the page's script (`Accept: application/json`); a plain page without it."""
    export = get_object_or_404(StatementExport, pk=pk, member=member)
    download = (
        reverse("cover:statements_export_file", args=[export.pk])
        if export.state == StatementExport.State.READY
        else ""
    )
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {
                "state": export.state,
                "status": _export_status(export),
                "download": download,
            }
        )
    back = reverse("cover:third_party" if export.third_party else "cover:reimbursements")
    return render(
        request,
        "cover/reimbursements/statements_export.html",
        {
            "export": export,
            "status": _export_status(export),
            "download": download,
            "start": day(export.start),
            "end": day(export.end),
            "back": f"{back}?{urlencode({'du': day(export.start), 'au': day(export.end)})}",
            "current": "third_party" if export.third_party else "consultation",
        },
    )


def _export_status(export) -> str:
    State = StatementExport.State
    if export.state == State.READY:
        return _("Vos relevés sont prêts : %(count)d paiements.") % {"count": export.payments}
    if export.state == State.FAILED:
        return _(
            "Vos relevés n'ont pas pu être préparés. Réessayez, ou choisissez une période "
            "plus courte."
        )
    if export.state == State.RUNNING:
        return _("Préparation de vos relevés : %(count)d paiements, %(pages)d pages prêtes.") % {
            "count": export.payments,
            "pages": export.pages,
        }
    return _("Vos relevés vont être préparés dans un instant.")


@member_required
def statements_export_file(request, member, pk):
    """The PDF of a long period's statements, while it is kept."""
    export = get_object_or_404(
        StatementExport,
        pk=pk,
        member=member,
        state=StatementExport.State.READY,
        expires_at__gt=timezone.now(),
    )
    prefix = "releves-tiers" if export.third_party else "releves"
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"{prefix}-{export.start:%Y-%m-%d}-{export.end:%Y-%m-%d}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@member_required
def bank_details(request, member):
    """ "RIB": the account where reimbursements are paid (IBAN masked), and how to change it."""
    details = BankDetails.objects.filter(member=member).first()
    return render(
        request,
        "cover/reimbursements/bank_details.html",
        {
            "member": member,
            "details": details,
            "current": "bank_details",
            # Collective contract: the employer may be the one to ask (cover.collective).
            "employer": employer_in_charge(member, ChangeArea.BANK_DETAILS),
        },
    )


urlpatterns = [
    path("remboursements/", reimbursements, name="reimbursements"),
    path("remboursements/tiers/", third_party, name="third_party"),
    path("remboursements/rib/", bank_details, name="bank_details"),
    path("remboursements/releves.pdf", statements_pdf, name="statements_pdf"),
    path("remboursements/releves/", statements_html, name="statements_html"),
    path("remboursements/releves/<uuid:pk>/", statements_export, name="statements_export"),
    path(
        "remboursements/releves/<uuid:pk>/releves.pdf",
        statements_export_file,
        name="statements_export_file",
    ),
    path("remboursements/paiements/<str:number>/", payment_detail, name="payment"),
    path("remboursements/paiements/<str:number>/releve.pdf", payment_pdf, name="payment_pdf"),
    path("remboursements/paiements/<str:number>/releve/", payment_html, name="payment_html"),
]
