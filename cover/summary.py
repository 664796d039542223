"""What the member's home page shows of their reimbursements (guide 003 "Focus remboursements",
guide 002 "vos trois derniers remboursements").

Two queries, whatever the history's length: one aggregate over the 12 months (GROUP BY type of
care, on the (member, care_date) index) and the last three payments (LIMIT 3).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Member
from cover.models import CareType, PayeeKind, Payment, Reimbursement

ZERO = Decimal("0.00")
LAST_PAYMENTS = 3


@dataclass(frozen=True)
class CareTotals:
    """The sums of one type of care (or of all of them): frais réels, part Sécurité sociale,
    part complémentaire and reste à charge."""

    care_type: str
    label: str
    real_cost: Decimal
    ss_share: Decimal
    insurer_share: Decimal
    remaining: Decimal

    @property
    def reimbursed(self) -> Decimal:
        return self.ss_share + self.insurer_share


@dataclass(frozen=True)
class YearSummary:
    """The member's and their beneficiaries' reimbursements from `start` to `end` (included)."""

    start: date
    end: date
    rows: list[CareTotals]
    total: CareTotals

    @property
    def is_empty(self) -> bool:
        return not self.rows


def twelve_months_before(day: date) -> date:
    """The same day one year earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


# The one aggregate of the summary, by type of care, on the (member, care_date) index. Written
# in SQL rather than built by the ORM: the home page is the most visited of all, and building
# this query cost twice as long as running it (`make bench`, member_home). Portable SQL (CASE
# rather than GREATEST, which SQLite lacks).
_SUMMARY_SQL = (
    "SELECT care_type, SUM(real_cost), SUM(ss_share), SUM(insurer_share), "
    "SUM(CASE WHEN real_cost - ss_share - insurer_share > 0 "
    "THEN real_cost - ss_share - insurer_share ELSE 0.00 END) "
    "FROM {table} WHERE member_id = %s AND care_date >= %s AND care_date <= %s{person} "
    "GROUP BY care_type"
)
# `year_summary(person=...)`: the policyholder's own care (no beneficiary).
POLICYHOLDER = "adherent"
# The newest payments of one payee kind read the (member, payee_kind, -payment_date) index in
# order and stop at the LIMIT; the newest of both kinds are the newest of those (a merge of
# two short lists rather than a sort of the member's whole history).
_PAYMENTS_OF_KIND_SQL = (
    "SELECT * FROM (SELECT id, number, payment_date, payee_kind, payee_name, amount "
    "FROM {table} WHERE member_id = %s AND payee_kind = %s "
    "ORDER BY payment_date DESC, id DESC LIMIT %s) AS {alias}"
)


def year_summary(member: Member, *, today: date | None = None, person=None) -> YearSummary:
    """The 12-month summary by type of care, in the order of `CareType`, and its totals: of
    the member and all their beneficiaries, or of one person (`POLICYHOLDER`, or one of the
    member's `Beneficiary` rows: guide 003, "vos remboursements ou ceux de vos bénéficiaires").

    The reste à charge is summed line by line and never negative on a line (a line whose
    shares exceed its real cost leaves nothing to pay, it does not lower another line's)."""
    end = today or timezone.localdate()
    start = twelve_months_before(end)
    with connection.cursor() as cursor:
        params = [member.pk, start, end]
        if person is None:
            condition = ""
        elif person == POLICYHOLDER:
            condition = " AND beneficiary_id IS NULL"
        else:
            condition = " AND beneficiary_id = %s"
            params.append(person.pk)
        cursor.execute(
            _SUMMARY_SQL.format(table=Reimbursement._meta.db_table, person=condition), params
        )
        sums = cursor.fetchall()
    order = {value: position for position, value in enumerate(CareType.values)}
    labels = dict(CareType.choices)
    rows = [
        CareTotals(
            care_type=care_type,
            label=str(labels.get(care_type, care_type)),
            real_cost=_cents(real),
            ss_share=_cents(ss),
            insurer_share=_cents(insurer),
            remaining=_cents(left),
        )
        for care_type, real, ss, insurer, left in sorted(
            sums, key=lambda row: order.get(row[0], len(order))
        )
    ]
    total = CareTotals(
        care_type="",
        label=str(_("Total")),
        real_cost=sum((row.real_cost for row in rows), ZERO),
        ss_share=sum((row.ss_share for row in rows), ZERO),
        insurer_share=sum((row.insurer_share for row in rows), ZERO),
        remaining=sum((row.remaining for row in rows), ZERO),
    )
    return YearSummary(start=start, end=end, rows=rows, total=total)


@dataclass(frozen=True)
class PaymentLine:
    """One of the last payments, as the home page lists it."""

    number: str
    payment_date: date
    payee_kind: str
    payee_name: str
    amount: Decimal

    @property
    def is_third_party(self) -> bool:
        return self.payee_kind == PayeeKind.PROFESSIONAL


def last_payments(member: Member, *, count: int = LAST_PAYMENTS) -> list[PaymentLine]:
    """The member's newest payments, to them or to professionals (tiers payant), newest
    first: one query, written in SQL for the reasons given above."""
    kinds = PayeeKind.values
    sql = " UNION ALL ".join(
        _PAYMENTS_OF_KIND_SQL.format(table=Payment._meta.db_table, alias=f"kind{index}")
        for index in range(len(kinds))
    )
    params = [value for kind in kinds for value in (member.pk, kind, count)]
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY payment_date DESC, id DESC LIMIT %s", [*params, count])
        rows = cursor.fetchall()
    return [
        PaymentLine(number, _day(paid_on), kind, payee, _cents(amount))
        for _id, number, paid_on, kind, payee, amount in rows
    ]


def _cents(value) -> Decimal:
    if isinstance(value, Decimal):  # PostgreSQL: exact, with the columns' two places
        return value
    # SQLite hands amounts back as floats: through str, 0.1 + 0.2 stays 0.30.
    return Decimal(str(value)).quantize(ZERO)


def _day(value) -> date:
    # SQLite hands raw dates back as text.
    return value if isinstance(value, date) else date.fromisoformat(value)
