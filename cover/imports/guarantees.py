"""Formules and their tableau des garanties: one line per guarantee, keyed by product_code +
label. The formule is created or updated from its columns (every line of a formule must agree
on them); each guarantee line is created or updated.

Guarantees the file does not name are left as they are (a file may bring one formule, or one
new line). `position` orders the table; left empty, a line takes its rank among the formule's
lines in the file.
"""

from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cover.imports.base import (
    Column,
    Importer,
    Report,
    Row,
    apply_changes,
    choices_by_text,
    create_or_update,
    first_seen,
)
from cover.models import CareType, Guarantee, Product

COLUMNS = [
    Column("product_code", gettext_lazy("code de la formule")),
    Column("product_name", gettext_lazy("nom de la formule")),
    Column("product_level", gettext_lazy("niveau"), required=False),
    Column("product_description", gettext_lazy("description de la formule"), required=False),
    Column("care_type", gettext_lazy("type de soins")),
    Column("label", gettext_lazy("garantie")),
    Column("coverage", gettext_lazy("remboursement")),
    Column("terms", gettext_lazy("modalités de remboursement"), required=False),
    Column("card_code", gettext_lazy("code carte"), required=False),
    Column("card_value", gettext_lazy("mention carte"), required=False),
    Column("position", gettext_lazy("ordre"), required=False),
]
PRODUCT_FIELDS = {"product_name": "name", "product_level": "level"}
CARE_TYPES = choices_by_text(CareType)


class GuaranteeImporter(Importer):
    columns = COLUMNS

    def check(self, rows: list[Row], report: Report) -> list[tuple[int, str, str, dict]]:
        items = []
        products: dict[str, tuple[int, dict]] = {}  # code -> (first line, its fields)
        ranks: dict[str, int] = {}
        seen: dict[tuple[str, str], int] = {}
        for row in rows:
            if row.errors:
                report.reject(row.line, row.errors)
                continue
            code = row.text("product_code", required=True, max_length=20)
            product = {"name": row.text("product_name", required=True, max_length=120)}
            if row.has("product_level"):
                product["level"] = row.text("product_level", max_length=60)
            if row.has("product_description"):
                product["description"] = row.text("product_description")
            label = row.text("label", required=True, max_length=160)
            fields = {
                "care_type": row.choice("care_type", CARE_TYPES),
                "coverage": row.text("coverage", required=True, max_length=120),
            }
            for name, max_length in (("terms", None), ("card_code", 8), ("card_value", 20)):
                if row.has(name):
                    fields[name] = row.text(name, max_length=max_length)
            position = row.raw("position")
            if position and not position.isdigit():
                row.error(
                    _("ordre « %(value)s » invalide : un nombre attendu") % {"value": position}
                )
            if code and code in products and not row.errors:
                first_line, first = products[code]
                if first != product:
                    row.error(
                        _(
                            "formule %(code)s décrite autrement ligne %(line)s "
                            "(nom, niveau ou description)"
                        )
                        % {"code": code, "line": first_line}
                    )
            if code and label and (earlier := first_seen(seen, (code, label), row.line)):
                row.error(
                    _("garantie « %(label)s » de la formule %(code)s déjà présente ligne %(line)s")
                    % {"label": label, "code": code, "line": earlier}
                )
            if row.errors:
                report.reject(row.line, row.errors)
                continue
            products.setdefault(code, (row.line, product))
            rank = ranks.get(code, 0)
            ranks[code] = rank + 1
            fields["position"] = min(int(position), 32767) if position else rank
            items.append((row.line, code, label, fields))
        self.products = {code: fields for code, (_line, fields) in products.items()}
        return items

    @transaction.atomic
    def load(self, items: list[tuple[int, str, str, dict]], report: Report) -> None:
        products = Product.objects.in_bulk(list(self.products), field_name="code")
        made = changed = 0
        for code, fields in self.products.items():
            product = products.get(code)
            if product is None:
                products[code] = Product.objects.create(code=code, **fields)
                made += 1
            elif apply_changes(product, fields):
                product.save()
                changed += 1
        existing = {
            (guarantee.product_id, guarantee.label): guarantee
            for guarantee in Guarantee.objects.filter(product__code__in=list(self.products))
        }
        create_or_update(
            Guarantee,
            [
                (
                    (products[code].pk, label),
                    fields,
                    partial(Guarantee, product=products[code], label=label, **fields),
                )
                for _line, code, label, fields in items
            ],
            existing,
            report,
        )
        report.notes.append(
            _("Formules — créées : %(created)s, mises à jour : %(updated)s.")
            % {"created": made, "updated": changed}
        )
