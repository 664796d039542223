"""Reimbursements: one line per reimbursed act, keyed by external_id, grouped into payments.

A line already loaded (its external_id is known) is counted as such and left untouched: a file
can be sent again, or sent again after its rejected lines were fixed, and only what is new
loads. Payments are created from their first line; every other line of a payment must agree on
its member, date and payee. Each payment touched gets its `amount` recomputed as the sum of its
lines' insurer shares (`payment_amounts_refresh`, which the admin calls too).

Built for files of 100,000 lines and more: the file is read once, the members, beneficiaries,
payments and known lines it names are fetched in a few queries (never one per line), the lines
are checked in Python, then inserted with bulk_create in batches.

Each batch is its own transaction, and a payment is never split across two batches: a member
never sees a payment with part of its lines or a stale amount, and an import stopped midway
(server restart, lost connection) keeps what it committed; running the file again loads the
rest, since loaded lines are recognised by their external_id. One transaction for the whole
file would hold its locks for the whole run and, after a failure at line 90,000, redo all of
it. Inserts ignore conflicts on external_id, so two runs of the same file at once load each
line once.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

from django.db import transaction
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Beneficiary, Member
from cover.imports.base import Column, Importer, Report, Row, choices_by_text, chunks
from cover.models import CareType, PayeeKind, Payment, Reimbursement
from cover.pdf import day, euros

# Lines per transaction (bulk_create statement size too). Larger batches gain little.
BATCH = 5000
# Keys per IN (...) lookup.
LOOKUP = 5000

COLUMNS = [
    Column("external_id", gettext_lazy("identifiant de ligne")),
    Column("payment_number", gettext_lazy("numéro de paiement")),
    Column("payment_date", gettext_lazy("date de paiement")),
    Column("payee_kind", gettext_lazy("bénéficiaire du paiement")),
    Column("payee_name", gettext_lazy("payé à")),
    Column("member_number", gettext_lazy("numéro d'adhérent")),
    Column("beneficiary_ref", gettext_lazy("identifiant bénéficiaire")),
    Column("care_date", gettext_lazy("date des soins")),
    Column("care_type", gettext_lazy("type de soins")),
    Column("act", gettext_lazy("acte")),
    Column("practitioner", gettext_lazy("professionnel de santé")),
    Column("real_cost", gettext_lazy("frais réels")),
    Column("ss_base", gettext_lazy("base de remboursement")),
    Column("ss_share", gettext_lazy("part Sécurité sociale")),
    Column("insurer_share", gettext_lazy("part complémentaire")),
]
CARE_TYPES = choices_by_text(CareType)
PAYEE_KINDS = {
    **choices_by_text(PayeeKind),
    "adherent": PayeeKind.MEMBER,
    "adhérent": PayeeKind.MEMBER,
    "professionnel": PayeeKind.PROFESSIONAL,
}


def line_problems(
    *,
    real_cost: Decimal | None,
    ss_base: Decimal | None,
    ss_share: Decimal | None,
    insurer_share: Decimal | None,
    care_date: date | None,
    payment_date: date | None,
) -> list[str]:
    """What makes a reimbursement line inconsistent, in French (the import and the admin).
    A rule whose values are missing (None: unreadable, already reported) is skipped."""
    problems = []
    if ss_share is not None and ss_base is not None and ss_share > ss_base:
        problems.append(
            _("part Sécurité sociale (%(share)s) supérieure à la base de remboursement (%(base)s)")
            % {"share": euros(ss_share), "base": euros(ss_base)}
        )
    if None not in (ss_share, insurer_share, real_cost) and ss_share + insurer_share > real_cost:
        problems.append(
            _(
                "parts Sécurité sociale et complémentaire (%(shares)s) supérieures "
                "aux frais réels (%(cost)s)"
            )
            % {"shares": euros(ss_share + insurer_share), "cost": euros(real_cost)}
        )
    if care_date and payment_date and care_date > payment_date:
        problems.append(
            _("date des soins (%(care)s) postérieure à la date de paiement (%(paid)s)")
            % {"care": day(care_date), "paid": day(payment_date)}
        )
    return problems


def payment_amounts_refresh(payment_ids) -> None:
    """Set each payment's amount to the sum of its lines' insurer shares (0 without lines)."""
    lines_total = (
        Reimbursement.objects.filter(payment=OuterRef("pk"))
        .order_by()
        .values("payment")
        .annotate(total=Sum("insurer_share"))
        .values("total")
    )
    zero = Value(Decimal("0.00"), output_field=DecimalField(max_digits=10, decimal_places=2))
    for chunk in chunks(sorted(set(payment_ids)), LOOKUP):
        Payment.objects.filter(pk__in=chunk).update(amount=Coalesce(Subquery(lines_total), zero))


@dataclass
class PlannedPayment:
    """A payment as the file describes it (pk set when it is already in the database)."""

    member_id: int
    member_number: str
    payment_date: date
    payee_kind: str
    payee_name: str
    pk: int | None = None
    line: int | None = None  # the line that described it first (None: from the database)


class ReimbursementImporter(Importer):
    columns = COLUMNS

    def check(self, rows: list[Row], report: Report) -> list[tuple]:
        external_ids = {row.raw("external_id") for row in rows}
        known_lines = self._known_lines(external_ids)
        members = self._members({row.raw("member_number") for row in rows})
        beneficiaries = self._beneficiaries(member_id for member_id, _name in members.values())
        self.payments = payments = self._payments({row.raw("payment_number") for row in rows})
        items = []
        seen: dict[str, int] = {}
        for row in rows:
            if row.errors:
                report.reject(row.line, row.errors)
                continue
            external_id = row.text("external_id", required=True, max_length=40)
            if external_id:
                earlier = seen.setdefault(external_id, row.line)
                if earlier != row.line:
                    row.error(
                        _("identifiant de ligne %(id)s déjà présent ligne %(line)s")
                        % {"id": external_id, "line": earlier}
                    )
                    report.reject(row.line, row.errors)
                    continue
                if external_id in known_lines:
                    report.unchanged += 1
                    continue
            number = row.text("payment_number", required=True, max_length=30)
            payment_date = row.date("payment_date", required=True)
            payee_kind = row.choice("payee_kind", PAYEE_KINDS)
            payee_name = row.text("payee_name", max_length=160)
            member_number = row.text("member_number", required=True)
            beneficiary_ref = row.raw("beneficiary_ref")
            care_date = row.date("care_date", required=True)
            care_type = row.choice("care_type", CARE_TYPES)
            act = row.text("act", required=True, max_length=160)
            practitioner = row.text("practitioner", max_length=160)
            real_cost = row.amount("real_cost", required=True)
            ss_base = row.amount("ss_base")
            ss_share = row.amount("ss_share")
            insurer_share = row.amount("insurer_share")

            member = members.get(member_number)
            member_id = beneficiary_id = None
            if member is None:
                if member_number:
                    row.error(_("adhérent %(number)s inconnu") % {"number": member_number})
            else:
                member_id = member[0]
                if beneficiary_ref:
                    beneficiary_id = beneficiaries.get((member_id, beneficiary_ref))
                    if beneficiary_id is None:
                        row.error(
                            _("bénéficiaire %(ref)s inconnu pour l'adhérent %(number)s")
                            % {"ref": beneficiary_ref, "number": member_number}
                        )
                if not payee_name and payee_kind == PayeeKind.MEMBER:
                    payee_name = member[1]
            if not payee_name and payee_kind == PayeeKind.PROFESSIONAL:
                row.missing("payee_name")
            row.errors.extend(
                line_problems(
                    real_cost=real_cost,
                    ss_base=ss_base,
                    ss_share=ss_share,
                    insurer_share=insurer_share,
                    care_date=care_date,
                    payment_date=payment_date,
                )
            )
            if row.errors:
                report.reject(row.line, row.errors)
                continue
            # Only a line otherwise valid may describe its payment.
            payment = payments.get(number)
            if payment is None:
                payments[number] = PlannedPayment(
                    member_id, member_number, payment_date, payee_kind, payee_name, line=row.line
                )
            else:
                self._check_payment(
                    row, number, payment, member_id, payment_date, payee_kind, payee_name
                )
                if row.errors:
                    report.reject(row.line, row.errors)
                    continue
            items.append(
                (
                    row.line,
                    number,
                    member_id,
                    beneficiary_id,
                    external_id,
                    care_date,
                    care_type,
                    act,
                    practitioner,
                    real_cost,
                    ss_base,
                    ss_share,
                    insurer_share,
                )
            )
        return items

    @staticmethod
    def _check_payment(row, number, payment, member_id, payment_date, payee_kind, payee_name):
        where = _("ligne %(line)s") % {"line": payment.line} if payment.line else _("déjà chargé")
        if payment.member_id != member_id:
            row.error(
                _("paiement %(number)s déjà attribué à l'adhérent %(owner)s (%(where)s)")
                % {"number": number, "owner": payment.member_number, "where": where}
            )
            return
        if payment.payment_date != payment_date:
            row.error(
                _("paiement %(number)s : date de paiement différente (%(day)s, %(where)s)")
                % {"number": number, "day": day(payment.payment_date), "where": where}
            )
        # Paid to the member: the name is theirs, whatever its spelling on the day.
        if payment.payee_kind != payee_kind or (
            payee_kind == PayeeKind.PROFESSIONAL and payment.payee_name != payee_name
        ):
            row.error(
                _("paiement %(number)s : payé à « %(payee)s » (%(where)s)")
                % {"number": number, "payee": payment.payee_name, "where": where}
            )

    # -- Lookups, a few queries whatever the number of lines ----------------------------------
    @staticmethod
    def _known_lines(external_ids: set[str]) -> set[str]:
        known = set()
        for chunk in chunks(sorted(external_ids), LOOKUP):
            known.update(
                Reimbursement.objects.filter(external_id__in=chunk).values_list(
                    "external_id", flat=True
                )
            )
        return known

    @staticmethod
    def _members(numbers: set[str]) -> dict[str, tuple[int, str]]:
        found = {}
        for chunk in chunks(sorted(numbers), LOOKUP):
            for number, pk, first_name, last_name in Member.objects.filter(
                member_number__in=chunk
            ).values_list("member_number", "pk", "first_name", "last_name"):
                found[number] = (pk, f"{first_name} {last_name}")
        return found

    @staticmethod
    def _beneficiaries(member_ids) -> dict[tuple[int, str], int]:
        found = {}
        for chunk in chunks(sorted(set(member_ids)), LOOKUP):
            for member_id, ref, pk in (
                Beneficiary.objects.filter(member_id__in=chunk)
                .exclude(external_ref="")
                .values_list("member_id", "external_ref", "pk")
            ):
                found[member_id, ref] = pk
        return found

    @staticmethod
    def _payments(numbers: set[str]) -> dict[str, PlannedPayment]:
        found = {}
        for chunk in chunks(sorted(numbers), LOOKUP):
            for number, pk, member_id, member_number, paid, kind, name in Payment.objects.filter(
                number__in=chunk
            ).values_list(
                "number",
                "pk",
                "member_id",
                "member__member_number",
                "payment_date",
                "payee_kind",
                "payee_name",
            ):
                found[number] = PlannedPayment(member_id, member_number, paid, kind, name, pk=pk)
        return found

    # -- Loading ------------------------------------------------------------------------------
    def load(self, items: list[tuple], report: Report) -> None:
        # Sorted by payment (stable: file order within one), so a payment's lines share a batch.
        items.sort(key=itemgetter(1))
        self.payments_created = 0
        self.payments_touched = 0
        batch: list[tuple] = []
        for _number, lines in groupby(items, key=itemgetter(1)):
            batch.extend(lines)
            if len(batch) >= BATCH:
                self._load_batch(batch, report)
                batch = []
        if batch:
            self._load_batch(batch, report)
        report.notes.append(
            _("Paiements — créés : %(created)s, montants recalculés : %(touched)s.")
            % {"created": self.payments_created, "touched": self.payments_touched}
        )

    def _load_batch(self, batch: list[tuple], report: Report) -> None:
        numbers = {item[1] for item in batch}
        with transaction.atomic():
            new = {n: self.payments[n] for n in numbers if self.payments[n].pk is None}
            Payment.objects.bulk_create(
                [
                    Payment(
                        number=number,
                        member_id=p.member_id,
                        payment_date=p.payment_date,
                        payee_kind=p.payee_kind,
                        payee_name=p.payee_name,
                    )
                    for number, p in new.items()
                ],
                batch_size=BATCH,
                ignore_conflicts=True,  # another run of the same file may have created it
            )
            owners = {n: (p.pk, p.member_id) for n, p in self.payments.items() if n in numbers}
            for chunk in chunks(sorted(new), LOOKUP):
                for number, pk, member_id in Payment.objects.filter(number__in=chunk).values_list(
                    "number", "pk", "member_id"
                ):
                    owners[number] = (pk, member_id)
                    self.payments[number].pk = pk
            lines = []
            for (
                line,
                number,
                member_id,
                beneficiary_id,
                external_id,
                care_date,
                care_type,
                act,
                practitioner,
                real_cost,
                ss_base,
                ss_share,
                insurer_share,
            ) in batch:
                payment_id, owner_id = owners[number]
                if owner_id != member_id:  # created meanwhile by another import, for another member
                    report.reject(
                        line,
                        [
                            _("paiement %(number)s attribué entre-temps à un autre adhérent")
                            % {"number": number}
                        ],
                    )
                    continue
                lines.append(
                    Reimbursement(
                        external_id=external_id,
                        payment_id=payment_id,
                        member_id=member_id,
                        beneficiary_id=beneficiary_id,
                        care_date=care_date,
                        care_type=care_type,
                        act=act,
                        practitioner=practitioner,
                        real_cost=real_cost,
                        ss_base=ss_base,
                        ss_share=ss_share,
                        insurer_share=insurer_share,
                    )
                )
            Reimbursement.objects.bulk_create(lines, batch_size=BATCH, ignore_conflicts=True)
            touched = {owners[number][0] for number in numbers}
            payment_amounts_refresh(touched)
        report.created += len(lines)
        self.payments_created += len(new)
        self.payments_touched += len(touched)
