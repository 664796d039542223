"""Ayants droit: one line per beneficiary, keyed by member_number + external_ref (the person's
identifier in the insurer's files, which reimbursement lines name), created or updated.

The member must be known (load the members first). Optional columns left out of the file leave
those fields as they are. cover_end, the last day of cover, is how a beneficiary leaves the
contract: nobody is deleted by an import.
"""

from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Beneficiary, Member
from cover.imports.base import (
    Column,
    Importer,
    Report,
    Row,
    choices_by_text,
    chunks,
    create_or_update,
    first_seen,
)
from cover.imports.members import person_fields

BATCH = 2000

COLUMNS = [
    Column("member_number", gettext_lazy("numéro d'adhérent")),
    Column("external_ref", gettext_lazy("identifiant bénéficiaire")),
    Column("civility", gettext_lazy("civilité")),
    Column("last_name", gettext_lazy("nom")),
    Column("first_name", gettext_lazy("prénom")),
    Column("birth_date", gettext_lazy("date de naissance")),
    Column("relationship", gettext_lazy("lien")),
    Column("nir", gettext_lazy("numéro de sécurité sociale"), required=False),
    Column("organism_code", gettext_lazy("numéro d'organisme"), required=False),
    Column("teletransmission", gettext_lazy("télétransmission"), required=False),
    Column("email", gettext_lazy("email"), required=False),
    Column("phone", gettext_lazy("téléphone"), required=False),
    Column("address_line1", gettext_lazy("adresse"), required=False),
    Column("postcode", gettext_lazy("code postal"), required=False),
    Column("city", gettext_lazy("ville"), required=False),
    Column("cover_end", gettext_lazy("fin de couverture"), required=False),
]

RELATIONSHIPS = {
    **choices_by_text(Beneficiary.Relationship),
    "conjointe": Beneficiary.Relationship.SPOUSE,
    "époux": Beneficiary.Relationship.SPOUSE,
    "épouse": Beneficiary.Relationship.SPOUSE,
}


def member_ids(numbers) -> dict[str, int]:
    """member_number -> primary key, for the numbers that exist (a few queries in all)."""
    found = {}
    for chunk in chunks(sorted(set(numbers)), BATCH):
        found.update(
            Member.objects.filter(member_number__in=chunk).values_list("member_number", "pk")
        )
    return found


class BeneficiaryImporter(Importer):
    columns = COLUMNS

    def check(self, rows: list[Row], report: Report) -> list[tuple[int, int, str, dict]]:
        members = member_ids(row.raw("member_number") for row in rows)
        items = []
        seen: dict[tuple[str, str], int] = {}
        for row in rows:
            if row.errors:
                report.reject(row.line, row.errors)
                continue
            number = row.text("member_number", required=True)
            ref = row.text("external_ref", required=True, max_length=30)
            fields = {
                "civility": row.civility(),
                "last_name": row.text("last_name", required=True, max_length=60),
                "first_name": row.text("first_name", required=True, max_length=60),
                "birth_date": row.birth_date(),
                "relationship": row.choice("relationship", RELATIONSHIPS),
                **person_fields(row, phone_field="phone"),
            }
            if row.has("cover_end"):
                fields["cover_end"] = row.date("cover_end")
            member_id = members.get(number)
            if number and member_id is None:
                row.error(_("adhérent %(number)s inconnu") % {"number": number})
            if number and ref and (earlier := first_seen(seen, (number, ref), row.line)):
                row.error(
                    _("bénéficiaire %(ref)s de l'adhérent %(number)s déjà présent ligne %(line)s")
                    % {"ref": ref, "number": number, "line": earlier}
                )
            if row.errors:
                report.reject(row.line, row.errors)
                continue
            items.append((row.line, member_id, ref, fields))
        return items

    @transaction.atomic
    def load(self, items: list[tuple[int, int, str, dict]], report: Report) -> None:
        existing = {}
        for chunk in chunks(sorted({member_id for _line, member_id, _ref, _f in items}), BATCH):
            for beneficiary in Beneficiary.objects.filter(member_id__in=chunk).exclude(
                external_ref=""
            ):
                existing[beneficiary.member_id, beneficiary.external_ref] = beneficiary
        create_or_update(
            Beneficiary,
            [
                (
                    (member_id, ref),
                    fields,
                    partial(Beneficiary, member_id=member_id, external_ref=ref, **fields),
                )
                for _line, member_id, ref, fields in items
            ],
            existing,
            report,
            batch=BATCH,
        )
