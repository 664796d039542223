"""Contracts: one line per contract, keyed by number, created or updated.

The member and the formule must be known (load members and guarantees first); options are the
codes of optional covers, separated by `,` or `|` (the column left out leaves them as they
are; present and empty removes them). A collective contract names its company. A contract
never changes member through an import.
"""

import re

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret

from cover.imports.base import (
    Column,
    Importer,
    Report,
    Row,
    apply_changes,
    bulk_save,
    choices_by_text,
    chunks,
    first_seen,
)
from cover.imports.beneficiaries import member_ids
from cover.models import Contract, ContractKind, OptionalCover, Product
from cover.services import member_collective_flags_sync

BATCH = 2000
OPTION_SEPARATORS = re.compile(r"[,|]")

COLUMNS = [
    Column("number", gettext_lazy("numéro de contrat")),
    Column("member_number", gettext_lazy("numéro d'adhérent")),
    Column("product_code", gettext_lazy("code de la formule")),
    Column("kind", gettext_lazy("type de contrat")),
    Column("company_name", gettext_lazy("société"), required=False),
    Column("company_siret", gettext_lazy("SIRET de la société"), required=False),
    Column("start_date", gettext_lazy("date d'entrée")),
    Column("end_date", gettext_lazy("date de radiation"), required=False),
    Column("options", gettext_lazy("options"), required=False),
]
KINDS = {
    **choices_by_text(ContractKind),
    "individuelle": ContractKind.INDIVIDUAL,
    "collective": ContractKind.COLLECTIVE,
}


class ContractImporter(Importer):
    columns = COLUMNS

    def check(self, rows: list[Row], report: Report) -> list[tuple[int, str, dict, list | None]]:
        members = member_ids(row.raw("member_number") for row in rows)
        products = dict(Product.objects.values_list("code", "pk"))
        options = dict(OptionalCover.objects.values_list("code", "pk"))
        owners = self._owners(row.raw("number") for row in rows)
        items = []
        seen: dict[str, int] = {}
        for row in rows:
            if row.errors:
                report.reject(row.line, row.errors)
                continue
            number = row.text("number", required=True, max_length=30)
            member_number = row.text("member_number", required=True)
            product_code = row.text("product_code", required=True)
            fields = {
                "kind": row.choice("kind", KINDS),
                "start_date": row.date("start_date", required=True),
            }
            for name, max_length in (("company_name", 160),):
                if row.has(name):
                    fields[name] = row.text(name, max_length=max_length)
            if row.has("company_siret"):
                fields["company_siret"] = self._siret(row)
            if row.has("end_date"):
                fields["end_date"] = row.date("end_date")
            member_id = members.get(member_number)
            if member_number and member_id is None:
                row.error(_("adhérent %(number)s inconnu") % {"number": member_number})
            product_id = products.get(product_code)
            if product_code and product_id is None:
                row.error(_("formule %(code)s inconnue") % {"code": product_code})
            start, end = fields["start_date"], fields.get("end_date")
            if start and end and end < start:
                row.error(_("date de radiation antérieure à la date d'entrée"))
            if fields["kind"] == ContractKind.COLLECTIVE and not fields.get("company_name"):
                row.error(_("société manquante pour un contrat collectif"))
            option_ids = None
            if row.has("options"):
                option_ids = []
                for code in filter(
                    None, (c.strip() for c in OPTION_SEPARATORS.split(row.raw("options")))
                ):
                    if code in options:
                        option_ids.append(options[code])
                    else:
                        row.error(_("option %(code)s inconnue") % {"code": code})
            owner = owners.get(number)
            if owner is not None and member_id is not None and owner[0] != member_id:
                row.error(
                    _("contrat %(number)s déjà attribué à l'adhérent %(owner)s")
                    % {"number": number, "owner": owner[1]}
                )
            if number and (earlier := first_seen(seen, number, row.line)):
                row.error(
                    _("contrat %(number)s déjà présent ligne %(line)s")
                    % {"number": number, "line": earlier}
                )
            if row.errors:
                report.reject(row.line, row.errors)
                continue
            fields.update(member_id=member_id, product_id=product_id)
            if option_ids is not None:
                option_ids = list(dict.fromkeys(option_ids))
            items.append((row.line, number, fields, option_ids))
        return items

    @staticmethod
    def _owners(numbers) -> dict[str, tuple[int, str]]:
        found = {}
        for chunk in chunks(sorted(set(numbers)), BATCH):
            for number, member_id, member_number in Contract.objects.filter(
                number__in=chunk
            ).values_list("number", "member_id", "member__member_number"):
                found[number] = (member_id, member_number)
        return found

    @staticmethod
    def _siret(row: Row) -> str:
        value = row.raw("company_siret")
        if not value:
            return ""
        try:
            return siret.validate(value)
        except StdnumError:
            row.error(_("SIRET invalide (« %(value)s »)") % {"value": value})
            return ""

    @transaction.atomic
    def load(self, items: list[tuple[int, str, dict, list | None]], report: Report) -> None:
        existing = {}
        for chunk in chunks([number for _line, number, _f, _o in items], BATCH):
            existing.update(
                Contract.objects.prefetch_related("options").in_bulk(chunk, field_name="number")
            )
        created, updated, changed_fields, new_options = [], [], set(), []
        for _line, number, fields, option_ids in items:
            contract = existing.get(number)
            if contract is None:
                contract = Contract(number=number, **fields)
                created.append(contract)
                new_options.append((contract, option_ids or []))
                continue
            changes = apply_changes(contract, fields)
            if option_ids is not None and set(option_ids) != {
                option.pk for option in contract.options.all()
            }:
                contract.options.set(option_ids)
                changes.append("options")
            if changes:
                updated.append(contract)
                changed_fields.update(name for name in changes if name != "options")
            else:
                report.unchanged += 1
        bulk_save(Contract, created, [], [], batch=BATCH)
        Through = Contract.options.through
        Through.objects.bulk_create(
            [
                Through(contract_id=contract.pk, optionalcover_id=option_id)
                for contract, option_ids in new_options
                for option_id in option_ids
            ],
            batch_size=BATCH,
        )
        if changed_fields:
            bulk_save(Contract, [], updated, sorted(changed_fields), batch=BATCH)
        report.created += len(created)
        report.updated += len(updated)
        member_collective_flags_sync(
            member_ids={contract.member_id for contract in [*created, *updated]}
        )
