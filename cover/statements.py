"""Relevés de prestations (décomptes) as PDFs: one payment ("Imprimer ce paiement"), or every
payment of a searched period in one file (guide 002: "télécharger en une seule fois tous les
relevés de prestations de la période sélectionnée").

Each payment is a section: its number, date, payee and amount, then its lines (date of care,
person, care and act, practitioner, frais réels, base de remboursement, part Sécurité sociale,
part complémentaire, reste à charge) and their totals.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, PageBreak, Table, TableStyle

from accounts.models import Member
from cover.models import CareType, Payment, Reimbursement
from cover.pdf import Document, day, euros, text

ZERO = Decimal("0.00")
# The amounts of a line (and of the totals), in the order of the columns.
AMOUNT_FIELDS = ("real_cost", "ss_base", "ss_share", "insurer_share", "remaining")

# A4 portrait leaves 174 mm between the margins. Each amount column is just wide enough for
# "12 345,67 €" and for the longest word of its header ("complémentaire") in small type; the
# care, its act and the practitioner share one column, one under the other.
_WIDTHS = [16.5 * mm, 18 * mm, 37 * mm, *[20.5 * mm] * len(AMOUNT_FIELDS)]
_PADDING = 2
_GRID = colors.HexColor("#b8c2cc")
_ZEBRA = colors.HexColor("#f2f5f8")


@dataclass(frozen=True)
class Totals:
    real_cost: Decimal = ZERO
    ss_base: Decimal = ZERO
    ss_share: Decimal = ZERO
    insurer_share: Decimal = ZERO
    remaining: Decimal = ZERO

    @classmethod
    def of(cls, lines) -> "Totals":
        lines = list(lines)
        return cls(
            **{name: sum((getattr(line, name) for line in lines), ZERO) for name in AMOUNT_FIELDS}
        )


def person_name(member: Member, line: Reimbursement) -> str:
    """Who received the care: the beneficiary, or the member when the line names nobody."""
    return (line.beneficiary or member).full_name


def care_label(line: Reimbursement) -> str:
    try:
        return str(CareType(line.care_type).label)
    except ValueError:  # a value the import once allowed and the choices no longer list
        return line.care_type


def statement_filters(person, care_type: str) -> list[tuple[str, str]]:
    """The filter of a search, as the period's statements print it ("Bénéficiaire : Lucas
    MARTIN", "Type de soins : Optique")."""
    filters = []
    if person is not None:
        filters.append((_("Bénéficiaire"), person.full_name))
    if care_type:
        try:
            filters.append((_("Type de soins"), str(CareType(care_type).label)))
        except ValueError:
            filters.append((_("Type de soins"), care_type))
    return filters


def with_lines(payments):
    """Payments with their lines and the lines' beneficiaries in two more queries, whatever
    their number."""
    return payments.prefetch_related(
        Prefetch("lines", queryset=Reimbursement.objects.select_related("beneficiary"))
    )


class _Statements:
    """Writes payments into a document: the styles of the lines table are made once."""

    def __init__(self, document: Document, member: Member):
        self.document = document
        self.member = member
        base = document.styles.cell
        self.cell = ParagraphStyle("statement_cell", parent=base, fontSize=8, leading=9.5)
        self.muted = ParagraphStyle(
            "statement_muted", parent=self.cell, textColor=colors.HexColor("#444444")
        )
        # Whole words in the header: a narrow column wraps between words, never inside one.
        self.head = ParagraphStyle(
            "statement_head",
            parent=document.styles.cell_head,
            fontSize=7,
            leading=8.5,
            splitLongWords=False,
        )

    def member_facts(self):
        """Who the statement is for: name and address, member number, the social security
        references when known (the NIR masked, as on every screen), the account credited."""
        member = self.member
        address = ", ".join(
            part
            for part in (
                member.address_line1,
                member.address_line2,
                f"{member.postcode} {member.city}".strip(),
            )
            if part
        )
        facts = [(_("Adhérent"), f"{member.get_civility_display()} {member.full_name}")]
        if address:
            facts.append((_("Adresse"), address))
        facts.append((_("Numéro d'adhérent"), member.member_number))
        if member.nir and len(member.nir) == 15:
            facts.append(
                (
                    _("N° de sécurité sociale"),
                    f"{member.nir[0]} {member.nir[1:3]} {member.nir[3:5]} •• ••• ••• ••",
                )
            )
        if member.organism_code:
            facts.append((_("Caisse d'assurance maladie"), member.organism_code))
        bank = getattr(member, "bank_details", None)
        if bank is not None:
            facts.append((_("Compte crédité"), bank.iban_masked))
        self.document.facts(facts)

    def printed_on(self):
        self.document.paragraph(
            _("Édité le %(date)s") % {"date": day(timezone.localdate())},
            self.document.styles.small,
        )

    def payment(self, payment: Payment, *, identity: bool = True):
        """The payment's facts, then the table of its lines. Without `identity`, the number
        and the date are left to the section's heading and the rest fits on one line."""
        if identity:
            self.document.facts(
                [
                    (_("Numéro de paiement"), payment.number),
                    (_("Date de paiement"), day(payment.payment_date)),
                    (_("Payé à"), payment.payee_name),
                    (_("Montant payé"), euros(payment.amount)),
                ]
            )
        else:
            self.document.paragraph(
                _("Payé à : %(payee)s · Montant payé : %(amount)s")
                % {"payee": payment.payee_name, "amount": euros(payment.amount)}
            )
        self.document.spacer(2 * mm)
        title = _("Paiement n° %(number)s du %(date)s") % {
            "number": payment.number,
            "date": day(payment.payment_date),
        }
        self.lines_table(list(payment.lines.all()), title=title)

    def lines_table(self, lines: list[Reimbursement], *, title: str = ""):
        header = [
            _("Date des soins"),
            _("Bénéficiaire"),
            _("Soins et professionnel de santé"),
            _("Frais réels"),
            _("Base de remboursement"),
            _("Part Sécurité sociale"),
            _("Part complémentaire"),
            _("Reste à charge"),
        ]
        # Dates and amounts never wrap: plain strings, set by the table style, draw fastest
        # (a period's PDF holds hundreds of these tables).
        data = [[text(label, self.head) for label in header]]
        for line in lines:
            care = [text(f"{care_label(line)} : {line.act}", self.cell)]
            if line.practitioner:
                care.append(text(line.practitioner, self.muted))
            data.append(
                [
                    day(line.care_date),
                    text(person_name(self.member, line), self.cell),
                    care,
                    *[euros(getattr(line, name)) for name in AMOUNT_FIELDS],
                ]
            )
        totals = Totals.of(lines)
        data.append([_("Total"), "", "", *[euros(getattr(totals, name)) for name in AMOUNT_FIELDS]])
        plain = [
            [
                day(line.care_date),
                person_name(self.member, line),
                "\n".join(
                    part for part in (f"{care_label(line)} : {line.act}", line.practitioner) if part
                ),
                *[euros(getattr(line, name)) for name in AMOUNT_FIELDS],
            ]
            for line in lines
        ]
        plain.append(
            [_("Total"), "", "", *[euros(getattr(totals, name)) for name in AMOUNT_FIELDS]]
        )
        self.document.blocks.append(("table", [str(label) for label in header], plain))
        commands = [
            ("BACKGROUND", (0, 0), (-1, 0), self.document.brand.primary),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("GRID", (0, 0), (-1, -1), 0.25, _GRID),
            ("LEFTPADDING", (0, 0), (-1, -1), _PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), _PADDING),
            ("FONTNAME", (0, 1), (-1, -1), "Helvetica"),
            ("FONTSIZE", (0, 1), (-1, -1), self.cell.fontSize),
            ("LEADING", (0, 1), (-1, -1), self.cell.leading),
            ("ALIGN", (3, 1), (-1, -1), "RIGHT"),
            ("SPAN", (0, -1), (2, -1)),
            ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
            ("LINEABOVE", (0, -1), (-1, -1), 1, self.document.brand.primary),
            # The total never starts a page alone: it goes with the last line.
            ("NOSPLIT", (0, -2), (-1, -1)),
        ]
        commands += [("BACKGROUND", (0, i), (-1, i), _ZEBRA) for i in range(2, len(data) - 1, 2)]
        table = ContinuedTable(data, colWidths=_WIDTHS, repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle(commands))
        if title:
            table.continued = (
                _("%(title)s (suite)") % {"title": title},
                self.document.styles.heading,
            )
        self.document.story.append(table)


class ContinuedTable(Table):
    """A table that, when it goes on over the next page, opens that page with its title
    followed by "(suite)" (then its repeated column heads)."""

    continued: tuple | None = None  # (title, paragraph style)

    def split(self, available_width, available_height):
        parts = super().split(available_width, available_height)
        if self.continued is not None and len(parts) == 2:
            parts[1].continued = self.continued
            return [parts[0], PageBreak(), text(*self.continued), parts[1]]
        return parts


def payment_statement_document(member: Member, payment: Payment) -> Document:
    """The relevé de prestations of one payment (its lines read from `payment.lines`)."""
    document = Document(
        _("Relevé de prestations"),
        subject=_("Paiement n° %(number)s") % {"number": payment.number},
    )
    writer = _Statements(document, member)
    writer.member_facts()
    writer.printed_on()
    document.heading(_("Paiement n° %(number)s") % {"number": payment.number})
    writer.payment(payment)
    return document


def payment_statement(member: Member, payment: Payment) -> bytes:
    """The relevé de prestations of one payment, as a PDF."""
    return payment_statement_document(member, payment).render()


def period_statements_document(
    member: Member,
    payments,
    *,
    start: datetime.date,
    end: datetime.date,
    on_page=None,
    third_party: bool = False,
    filters: list[tuple[str, str]] = (),
) -> Document:
    """Every payment of `payments` (use `with_lines`), one section each, in one document that
    opens with the period, the filter applied (`filters`: label, value), the number of
    payments and their total. `third_party`: the payments to professionals (tiers payant).
    `on_page(number)` is called as each page is drawn."""
    payments = list(payments)
    period = {"start": day(start), "end": day(end)}
    if third_party:
        title = _("Paiements aux professionnels de santé du %(start)s au %(end)s") % period
    else:
        title = _("Relevés de prestations du %(start)s au %(end)s") % period
    document = Document(title, subject=_("Relevés de prestations"))
    writer = _Statements(document, member)
    writer.member_facts()
    if third_party:
        document.paragraph(
            _(
                "Ces paiements ont été versés directement aux professionnels de santé (tiers "
                "payant) : vous n'avez pas avancé ces frais."
            )
        )
    document.facts(
        [
            (_("Période"), _("du %(start)s au %(end)s") % period),
            *filters,
            (_("Nombre de paiements"), str(len(payments))),
            (_("Total payé"), euros(sum((payment.amount for payment in payments), ZERO))),
        ]
    )
    writer.printed_on()
    for payment in payments:
        # A payment's heading never ends a page without the start of its table.
        document.story.append(CondPageBreak(45 * mm))
        document.heading(
            _("Paiement n° %(number)s du %(date)s")
            % {"number": payment.number, "date": day(payment.payment_date)}
        )
        writer.payment(payment, identity=False)
    document.on_page = on_page
    return document


def period_statements(member: Member, payments, **options) -> bytes:
    """`period_statements_document` as a PDF."""
    return period_statements_document(member, payments, **options).render()
