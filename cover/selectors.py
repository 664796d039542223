"""What a member may read of their cover. Every lookup is scoped to the member: another
member's contract, payment, beneficiary or card is a 404, whatever the URL."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Beneficiary, Member
from cover.models import Contract, PayeeKind, Payment, Reimbursement

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


@dataclass(frozen=True)
class PaymentsFound:
    """What "Mes remboursements" shows of a search: how many payments, their total, and a
    page of them at a time."""

    keys: list[int]  # in the list's order
    total: Decimal | None

    def rows(self, offset: int, limit: int) -> list["FoundPayment"]:
        """A page of the payments, each with the person and care of its lines, in one query."""
        keys = self.keys[offset : offset + limit]
        if not keys:
            return []
        found = {}
        values = (
            Payment.objects.filter(pk__in=keys)
            .order_by("pk", "-lines__care_date", "lines__pk")
            .values_list(
                "pk", "number", "payment_date", "payee_name", "amount",
                "lines__beneficiary_id", "lines__care_type",
            )
        )  # fmt: skip
        for pk, number, payment_date, payee_name, amount, beneficiary_id, care_type in values:
            payment = found.get(pk)
            if payment is None:
                payment = found[pk] = FoundPayment(pk, number, payment_date, payee_name, amount)
            if care_type is not None:  # a payment without lines has one row, of None
                payment.lines.append((beneficiary_id, care_type))
        return [found[key] for key in keys if key in found]


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
    """The search of `payments_searched`, read from two indexes only: the period's payments
    (`payment_member_date`: key and amount) and, for a person or a type of care, the member's
    matching lines (`reimbursement_search`: their payment). A member's payments of five years
    are a few hundred: they are matched here rather than by a join whose plan would probe the
    payments one by one."""
    listed = member_payments(member, third_party=third_party).filter(
        payment_date__range=(start, end)
    )
    found = list(listed.values_list("pk", "amount"))
    if conditions := _line_conditions(person, care_type):
        # From the index alone (its columns and the payment it includes), in no order.
        lines = Reimbursement.objects.filter(member=member, **conditions).order_by()
        wanted = set(lines.values_list("payment_id", flat=True))
        found = [(pk, amount) for pk, amount in found if pk in wanted]
    total = sum((amount for _pk, amount in found), Decimal("0.00")) if found else None
    return PaymentsFound(keys=[pk for pk, _amount in found], total=total)
