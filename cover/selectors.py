"""What a member may read of their cover. Every lookup is scoped to the member: another
member's contract, payment, beneficiary or card is a 404, whatever the URL."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Beneficiary, Member
from cover.models import Contract, PayeeKind, Payment, Reimbursement
from cover.money import CENT

# The member themself in URLs and forms that choose a person ("la vôtre ou celle d'un de vos
# bénéficiaires"); a beneficiary is their primary key.
MEMBER_KEY = "adherent"


@dataclass(frozen=True)
class Person:
    """Someone covered through the member's contract: the member or one of their beneficiaries."""

    key: str
    member: Member
    beneficiary: Beneficiary | None = None

    @property
    def record(self):
        return self.beneficiary or self.member

    @property
    def full_name(self) -> str:
        return self.record.full_name

    @property
    def is_member(self) -> bool:
        return self.beneficiary is None

    def covered_on(self, day) -> bool:
        """Not removed from the contract on `day` (the contract's own dates are checked apart)."""
        end = self.beneficiary.cover_end if self.beneficiary else None
        return end is None or day <= end


def member_people(member: Member) -> list[Person]:
    """The member first, then their beneficiaries (oldest first)."""
    people = [Person(MEMBER_KEY, member)]
    people += [Person(str(b.pk), member, b) for b in member.beneficiaries.all()]
    return people


def person_or_404(member: Member, key: str) -> Person:
    """The member (`adherent`) or one of *their* beneficiaries; anything else is a 404."""
    if key == MEMBER_KEY:
        return Person(MEMBER_KEY, member)
    if not str(key).isdigit():
        raise Http404
    beneficiary = get_object_or_404(Beneficiary, pk=int(key), member=member)
    return Person(str(beneficiary.pk), member, beneficiary)


def member_contracts(member: Member):
    """The member's contracts, the current one first, with their formule and options."""
    return (
        Contract.objects.filter(member=member)
        .select_related("product")
        .prefetch_related("product__guarantees", "options")
        .order_by("end_date", "-start_date")
    )


def current_contract(member: Member, day=None) -> Contract | None:
    """The contract covering the member on `day` (today by default), if any."""
    day = day or timezone.localdate()
    for contract in member_contracts(member):
        if contract.covers_on(day):
            return contract
    return None


def contract_or_404(member: Member, number: str) -> Contract:
    return get_object_or_404(member_contracts(member), number=number)


def member_payments(member: Member, *, third_party: bool = False):
    """Payments to the member ("Consultation"), or to professionals ("Remboursements aux
    tiers"), newest first."""
    kind = PayeeKind.PROFESSIONAL if third_party else PayeeKind.MEMBER
    return Payment.objects.filter(member=member, payee_kind=kind).order_by("-payment_date", "-pk")


def payment_or_404(member: Member, number: str) -> Payment:
    """One of the member's payments (either payee), with its lines and their beneficiaries."""
    return get_object_or_404(
        Payment.objects.filter(member=member).prefetch_related("lines__beneficiary"),
        number=number,
    )


def _line_conditions(person: Person | None, care_type: str) -> dict:
    """What a searched payment must have a line of: the person cared for, the type of care."""
    conditions = {}
    if person is not None:
        if person.is_member:
            conditions["beneficiary__isnull"] = True
        else:
            conditions["beneficiary"] = person.beneficiary
    if care_type:
        conditions["care_type"] = care_type
    return conditions


def payments_searched(
    member: Member,
    *,
    start,
    end,
    third_party: bool = False,
    person: Person | None = None,
    care_type: str = "",
):
    """The member's payments of a period; a person or a type of care keeps the payments with
    at least one such line (each payment once)."""
    payments = member_payments(member, third_party=third_party).filter(
        payment_date__range=(start, end)
    )
    if conditions := _line_conditions(person, care_type):
        lines = Reimbursement.objects.filter(member=member, **conditions)
        payments = payments.filter(pk__in=lines.values("payment_id"))
    return payments


class PaymentsFound:
    """What "Mes remboursements" shows of a search: a page of payments at a time, how many
    payments there are and their total.

    A page is one query, written out: the period's payments come from `payment_member_date`
    (key, date and amount); for a person or a type of care, the member's matching lines from
    `reimbursement_search` are hashed once and each payment looked up there (a join would
    probe the payments one by one: the planner cannot know that one member has thousands of
    lines). The same query counts and sums every payment found, and reads the page's payments
    with the person and care of their lines."""

    def __init__(self, conditions: str, params: dict):
        self.conditions, self.params = conditions, params
        self._summary: tuple[int, Decimal | None] | None = None

    def rows(self, offset: int, limit: int) -> list["FoundPayment"]:
        """A page of the payments, each with the person and care of its lines."""
        sql = _PAYMENTS_PAGE.format(conditions=self.conditions)
        params = {**self.params, "limit": limit, "offset": offset}
        found = {}
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for row in cursor.fetchall():
                count, total, pk, number, payment_date, payee_name, amount, person, care = row
                payment = found.get(pk)
                if payment is None:
                    self._summary = (count, _money(total))
                    payment = found[pk] = FoundPayment(
                        pk, number, payment_date, payee_name, _money(amount)
                    )
                if care is not None:  # a payment without lines has one row, of None
                    payment.lines.append((person, care))
        return list(found.values())

    @property
    def count(self) -> int:
        return self.summary[0]

    @property
    def total(self) -> Decimal | None:
        """The sum of the payments found (None when there are none)."""
        return self.summary[1]

    @property
    def summary(self) -> tuple[int, Decimal | None]:
        """(how many, their total), as a page read them, or counted now."""
        if self._summary is None:
            sql = _PAYMENTS_SUMMARY.format(conditions=self.conditions)
            with connection.cursor() as cursor:
                cursor.execute(sql, self.params)
                count, total = cursor.fetchone()
            self._summary = (count, _money(total))
        return self._summary


def _money(value) -> Decimal | None:
    """An amount as the database gives it (SQLite: a float), in euros and cents."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(CENT)


_PAYMENTS_WHERE = """
    p.member_id = %(member)s AND p.payee_kind = %(payee_kind)s
    AND p.payment_date BETWEEN %(start)s AND %(end)s{lines}
"""
_PAYMENTS_PAGE = """
WITH found AS (
    SELECT p.id, COUNT(*) OVER () AS found, SUM(p.amount) OVER () AS total
    FROM cover_payment p
    WHERE {conditions}
    ORDER BY p.payment_date DESC, p.id DESC
    LIMIT %(limit)s OFFSET %(offset)s
)
SELECT f.found, f.total, p.id, p.number, p.payment_date, p.payee_name, p.amount,
    l.beneficiary_id, l.care_type
FROM found f
JOIN cover_payment p ON p.id = f.id
LEFT JOIN cover_reimbursement l ON l.payment_id = p.id
ORDER BY p.payment_date DESC, p.id DESC, l.care_date DESC, l.id
"""
_PAYMENTS_SUMMARY = "SELECT COUNT(*), SUM(p.amount) FROM cover_payment p WHERE {conditions}"
# "IS TRUE" keeps the lines' subquery a hashed lookup (PostgreSQL would turn a bare IN into
# a join, and plan it from the member's lines estimated at one).
_MATCHING_LINES = """
    AND (p.id IN (
        SELECT l.payment_id FROM cover_reimbursement l WHERE l.member_id = %(member)s{lines}
    )) IS TRUE"""


@dataclass
class FoundPayment:
    """A payment of a page of "Mes remboursements", with (beneficiary id, care type) of each of
    its lines, the latest care first."""

    pk: int
    number: str
    payment_date: object
    payee_name: str
    amount: Decimal
    lines: list = field(default_factory=list)


def payments_found(
    member: Member,
    *,
    start,
    end,
    third_party: bool = False,
    person: Person | None = None,
    care_type: str = "",
) -> PaymentsFound:
    """The search of `payments_searched`, read a page at a time (`PaymentsFound`)."""
    ops = connection.ops
    params = {
        "member": member.pk,
        "payee_kind": (PayeeKind.PROFESSIONAL if third_party else PayeeKind.MEMBER).value,
        "start": ops.adapt_datefield_value(start),
        "end": ops.adapt_datefield_value(end),
    }
    lines = []
    if person is not None:
        if person.is_member:
            lines.append("l.beneficiary_id IS NULL")
        else:
            lines.append("l.beneficiary_id = %(beneficiary)s")
            params["beneficiary"] = person.beneficiary.pk
    if care_type:
        lines.append("l.care_type = %(care_type)s")
        params["care_type"] = care_type
    matching = ""
    if lines:
        matching = _MATCHING_LINES.format(lines="".join(f" AND {line}" for line in lines))
    return PaymentsFound(_PAYMENTS_WHERE.format(lines=matching).strip(), params)
