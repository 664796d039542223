"""Adhérents: one line per member, keyed by member_number, created or updated.

An optional column left out of the file leaves that field as it is; present but empty, it
empties it. A member's space (account, activation) is never touched here.
"""

from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Member
from cover.imports.base import (
    Column,
    Importer,
    Report,
    Row,
    chunks,
    create_or_update,
    first_seen,
)

BATCH = 2000

COLUMNS = [
    Column("member_number", gettext_lazy("numéro d'adhérent")),
    Column("civility", gettext_lazy("civilité")),
    Column("last_name", gettext_lazy("nom")),
    Column("first_name", gettext_lazy("prénom")),
    Column("birth_date", gettext_lazy("date de naissance")),
    Column("email", gettext_lazy("email"), required=False),
    Column("phone", gettext_lazy("téléphone"), required=False),
    Column("address_line1", gettext_lazy("adresse"), required=False),
    Column("address_line2", gettext_lazy("complément d'adresse"), required=False),
    Column("postcode", gettext_lazy("code postal"), required=False),
    Column("city", gettext_lazy("ville"), required=False),
    Column("nir", gettext_lazy("numéro de sécurité sociale"), required=False),
    Column("organism_code", gettext_lazy("numéro d'organisme"), required=False),
    Column("teletransmission", gettext_lazy("télétransmission"), required=False),
    Column("collective", gettext_lazy("contrat collectif"), required=False),
]


def person_fields(row: Row, *, phone_field: str) -> dict:
    """The contact and social-security fields members and beneficiaries share, for the
    columns the file has."""
    readers = {
        "email": ("email", row.email),
        "phone": (phone_field, row.phone),
        "address_line1": ("address_line1", lambda: row.text("address_line1", max_length=120)),
        "address_line2": ("address_line2", lambda: row.text("address_line2", max_length=120)),
        "postcode": ("postcode", lambda: row.text("postcode", max_length=10)),
        "city": ("city", lambda: row.text("city", max_length=80)),
        "nir": ("nir", row.nir),
        "organism_code": ("organism_code", row.organism_code),
        "teletransmission": ("teletransmission", lambda: row.boolean("teletransmission")),
    }
    return {field: read() for column, (field, read) in readers.items() if row.has(column)}


class MemberImporter(Importer):
    columns = COLUMNS

    def check(self, rows: list[Row], report: Report) -> list[tuple[int, str, dict]]:
        items = []
        seen: dict[str, int] = {}
        for row in rows:
            if row.errors:
                report.reject(row.line, row.errors)
                continue
            number = row.text("member_number", required=True, max_length=20)
            fields = {
                "civility": row.civility(),
                "last_name": row.text("last_name", required=True, max_length=60),
                "first_name": row.text("first_name", required=True, max_length=60),
                "birth_date": row.birth_date(),
                **person_fields(row, phone_field="mobile_phone"),
            }
            if row.has("collective"):
                fields["collective_contract"] = row.boolean("collective")
            if number and (earlier := first_seen(seen, number, row.line)):
                row.error(
                    _("adhérent %(number)s déjà présent ligne %(line)s")
                    % {"number": number, "line": earlier}
                )
            if row.errors:
                report.reject(row.line, row.errors)
                continue
            items.append((row.line, number, fields))
        return items

    @transaction.atomic
    def load(self, items: list[tuple[int, str, dict]], report: Report) -> None:
        existing = {}
        for numbers in chunks([number for _line, number, _fields in items], BATCH):
            existing.update(Member.objects.in_bulk(numbers, field_name="member_number"))
        create_or_update(
            Member,
            [
                (number, fields, partial(Member, member_number=number, **fields))
                for _line, number, fields in items
            ],
            existing,
            report,
            batch=BATCH,
        )
