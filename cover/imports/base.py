"""The shape every CSV import shares: read the file, check every line, load the valid ones, report.

A file is UTF-8 (with or without a BOM), fields separated by `;`, with a header row naming the
columns in any order. A column the import does not know, or a required one missing, stops the
import before anything loads (`ImportFileError`). Then each line is checked on its own: a line
with a problem is rejected with every reason found (`ligne 12 : ...`, the line number of the
file, header = line 1), the others are loaded. With `strict`, one rejected line loads nothing.

An import is an `Importer` subclass: its `columns`, `check()` turning the rows into what to load
(rejecting the others) and `load()` writing it. Values are read through `Row`, whose readers
accept what spreadsheets write: decimal comma or dot, dates jj/mm/aaaa or aaaa-mm-jj, oui/non.
"""

import csv
import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import nir as stdnum_nir

from accounts.models import Civility
from cover.pdf import day
from portal.forms import phone_e164

SEPARATOR = ";"
AMOUNT = re.compile(r"-?\d+(?:[.,]\d+)?")
CENT = Decimal("0.01")
# Amounts are stored in DecimalField(max_digits=10, decimal_places=2).
AMOUNT_LIMIT = Decimal("100000000")


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, wrong columns): nothing is loaded."""


@dataclass(frozen=True)
class Column:
    """A column of the file: its header name, what the reasons call it, whether the header
    must have it (a value may still be empty: each import says which ones it needs)."""

    name: str
    label: str
    required: bool = True


@dataclass
class Report:
    """What an import did, line by line and in total."""

    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # already loaded: same key, nothing to change
    rejections: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    loaded: bool = False

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    def reject(self, line: int, reasons: Iterable[str]) -> None:
        self.rejections.append((line, " ; ".join(reasons)))

    def rejection_lines(self) -> list[str]:
        return [
            _("ligne %(line)s : %(reason)s") % {"line": line, "reason": reason}
            for line, reason in sorted(self.rejections)
        ]

    def summary(self) -> str:
        """Bilan — lues : 120, créées : 100, mises à jour : 10, déjà chargées : 5, rejetées : 5.

        Counts come after their label, so that 0 and 1 read right whatever the plural rules."""
        return _(
            "Bilan — lues : %(read)s, créées : %(created)s, mises à jour : %(updated)s, "
            "déjà chargées : %(unchanged)s, rejetées : %(rejected)s."
        ) % {
            "read": self.read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }


# -- Values ------------------------------------------------------------------------------------
def parse_date(value: str) -> datetime.date:
    """jj/mm/aaaa (j/m/aaaa too) or aaaa-mm-jj; ValueError otherwise (31/02 included)."""
    if "/" in value:
        parts = value.split("/")
        if len(parts) == 3 and len(parts[2]) == 4:
            day_, month, year = parts
            if day_.isdigit() and month.isdigit() and year.isdigit():
                return datetime.date(int(year), int(month), int(day_))
    elif len(value) == 10 and value[4] == "-" and value[7] == "-":
        year, month, day_ = value[:4], value[5:7], value[8:]
        if year.isdigit() and month.isdigit() and day_.isdigit():
            return datetime.date(int(year), int(month), int(day_))
    raise ValueError(value)


def parse_amount(value: str) -> Decimal:
    """ "1 234,50", "1234.5", "12": a Decimal; ValueError when not a plain number."""
    compact = value.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if not AMOUNT.fullmatch(compact):
        raise ValueError(value)
    try:
        return Decimal(compact.replace(",", "."))
    except InvalidOperation:
        raise ValueError(value) from None


TRUE = {"oui", "o", "1", "vrai", "true", "yes", "x"}
FALSE = {"non", "n", "0", "faux", "false", "no", ""}
CIVILITIES = {
    "m": Civility.MONSIEUR,
    "m.": Civility.MONSIEUR,
    "mr": Civility.MONSIEUR,
    "monsieur": Civility.MONSIEUR,
    "mme": Civility.MADAME,
    "madame": Civility.MADAME,
}


def choices_by_text(choices) -> dict[str, str]:
    """A TextChoices' values and French labels, lower-cased, to its values: files may use
    either ("pharmacy" or "Pharmacie")."""
    found = {}
    for value, label in choices.choices:
        found[value.lower()] = value
        found[str(label).lower()] = value
    return found


class Row:
    """One line of the file: its fields, read by column name, and the problems found.

    The readers return the value (stripped), or None (or "") after noting a reason in
    `errors`, so that a line reports all its problems at once. The header's layout
    (`positions`: column name -> index, `labels`) is shared by every row of a file."""

    __slots__ = ("line", "fields", "positions", "labels", "errors")

    def __init__(
        self, line: int, fields: list[str], positions: dict[str, int], labels: dict[str, str]
    ):
        self.line = line
        self.fields = fields
        self.positions = positions
        self.labels = labels
        self.errors: list[str] = []

    def has(self, name: str) -> bool:
        """The file has this column (an optional column absent leaves the field untouched)."""
        return name in self.positions

    def raw(self, name: str) -> str:
        position = self.positions.get(name)
        if position is None or position >= len(self.fields):
            return ""
        return self.fields[position].strip()

    def error(self, reason: str) -> None:
        self.errors.append(reason)

    def missing(self, name: str) -> None:
        self.error(_("valeur manquante pour %(label)s") % {"label": self.labels[name]})

    def text(self, name: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.raw(name)
        if not value:
            if required:
                self.missing(name)
            return ""
        if max_length is not None and len(value) > max_length:
            self.error(
                _("%(label)s trop long (%(max)s caractères au plus)")
                % {"label": self.labels[name], "max": max_length}
            )
            return ""
        return value

    def date(self, name: str, *, required: bool = False) -> datetime.date | None:
        value = self.raw(name)
        if not value:
            if required:
                self.missing(name)
            return None
        try:
            return parse_date(value)
        except ValueError:
            self.error(
                _("date illisible pour %(label)s (« %(value)s ») : jj/mm/aaaa ou aaaa-mm-jj")
                % {"label": self.labels[name], "value": value}
            )
            return None

    def amount(self, name: str, *, required: bool = False) -> Decimal | None:
        """A non-negative amount in euros, 2 decimals at most; empty is 0 unless required."""
        value = self.raw(name)
        if not value:
            if required:
                self.missing(name)
                return None
            return Decimal("0.00")
        return self.checked_amount(name, value)

    def checked_amount(self, name: str, value: str) -> Decimal | None:
        label = self.labels[name]
        try:
            amount = parse_amount(value)
        except ValueError:
            self.error(
                _("montant illisible pour %(label)s (« %(value)s »)")
                % {"label": label, "value": value}
            )
            return None
        if amount < 0:
            self.error(_("montant négatif pour %(label)s") % {"label": label})
            return None
        if amount != amount.quantize(CENT):
            self.error(
                _("plus de deux décimales pour %(label)s (« %(value)s »)")
                % {"label": label, "value": value}
            )
            return None
        if amount >= AMOUNT_LIMIT:
            self.error(
                _("montant trop élevé pour %(label)s (« %(value)s »)")
                % {"label": label, "value": value}
            )
            return None
        return amount.quantize(CENT)

    def boolean(self, name: str) -> bool:
        value = self.raw(name).lower()
        if value in TRUE:
            return True
        if value not in FALSE:
            self.error(
                _("valeur « %(value)s » inconnue pour %(label)s (oui ou non attendu)")
                % {"value": self.raw(name), "label": self.labels[name]}
            )
        return False

    def choice(self, name: str, choices: dict[str, str], *, required: bool = True) -> str:
        """One of `choices` (see choices_by_text), matched without regard to case."""
        value = self.raw(name)
        if not value:
            if required:
                self.missing(name)
            return ""
        found = choices.get(value.lower())
        if found is None:
            self.error(
                _("valeur « %(value)s » inconnue pour %(label)s")
                % {"value": value, "label": self.labels[name]}
            )
            return ""
        return found

    def civility(self, name: str = "civility") -> str:
        value = self.raw(name)
        if not value:
            self.missing(name)
            return ""
        found = CIVILITIES.get(value.lower())
        if found is None:
            self.error(_("civilité « %(value)s » inconnue (M ou MME attendu)") % {"value": value})
            return ""
        return found

    def birth_date(self, name: str = "birth_date") -> datetime.date | None:
        born = self.date(name, required=True)
        if born is not None and born > timezone.localdate():
            self.error(_("date de naissance dans le futur (%(day)s)") % {"day": day(born)})
            return None
        return born

    def nir(self, name: str = "nir") -> str:
        """A numéro de sécurité sociale checked with its key (python-stdnum), stored compact."""
        value = self.raw(name)
        if not value:
            return ""
        try:
            return stdnum_nir.validate(value)
        except InvalidChecksum:
            self.error(
                _("clé du numéro de sécurité sociale invalide (NIR %(value)s)") % {"value": value}
            )
        except StdnumError:
            self.error(
                _(
                    "numéro de sécurité sociale invalide : 13 chiffres et 2 de clé attendus "
                    "(NIR %(value)s)"
                )
                % {"value": value}
            )
        return ""

    def organism_code(self, name: str = "organism_code") -> str:
        value = self.raw(name).replace(" ", "")
        if value and not (len(value) == 9 and value.isdigit()):
            self.error(
                _("numéro d'organisme invalide : 9 chiffres attendus (« %(value)s »)")
                % {"value": self.raw(name)}
            )
            return ""
        return value

    def email(self, name: str = "email") -> str:
        value = self.raw(name)
        if not value:
            return ""
        try:
            validate_email(value)
        except ValidationError:
            self.error(_("email invalide (« %(value)s »)") % {"value": value})
            return ""
        return value

    def phone(self, name: str = "phone") -> str:
        """A phone number, French when it has no country code, stored as +33..."""
        value = self.raw(name)
        if not value:
            return ""
        number = phone_e164(value)
        if number is None:
            self.error(_("téléphone invalide (« %(value)s »)") % {"value": value})
            return ""
        return number


# -- Files ---------------------------------------------------------------------------------------
def read_rows(path: Path | str, columns: list[Column]) -> Iterator[Row]:
    """The data lines of `path` as Rows (blank lines skipped), once the header is checked.

    Raises ImportFileError before the first row when the file cannot be read or its header
    lacks a required column or has one no import knows. A line with the wrong number of fields
    comes back with its reason already in `errors`."""
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ImportFileError(
            _("Fichier %(path)s illisible : %(error)s") % {"path": path, "error": exc.strerror}
        ) from None
    with handle:
        reader = csv.reader(handle, delimiter=SEPARATOR)
        try:
            header = next(reader, None)
            if header is None:
                raise ImportFileError(_("Le fichier est vide : la ligne d'en-tête manque."))
            names = _check_header(header, columns)
            labels = {column.name: column.label for column in columns}
            positions = {name: index for index, name in enumerate(names)}
            width = len(names)
            for fields in reader:
                if not fields or (len(fields) == 1 and not fields[0].strip()):
                    continue
                row = Row(reader.line_num, fields, positions, labels)
                if len(fields) != width:
                    row.error(
                        _(
                            "%(found)s champs au lieu de %(expected)s : vérifiez le séparateur "
                            "« ; » et les guillemets"
                        )
                        % {"found": len(fields), "expected": width}
                    )
                yield row
        except UnicodeDecodeError:
            raise ImportFileError(
                _(
                    "Le fichier n'est pas encodé en UTF-8 (vers la ligne %(line)s) : "
                    "enregistrez-le au format « CSV UTF-8 »."
                )
                % {"line": reader.line_num + 1}
            ) from None
        except csv.Error as exc:
            raise ImportFileError(
                _("Fichier CSV illisible ligne %(line)s : %(error)s")
                % {"line": reader.line_num, "error": exc}
            ) from None


def _check_header(header: list[str], columns: list[Column]) -> list[str]:
    names = [name.strip().lower() for name in header]
    known = {column.name for column in columns}
    problems = []
    if len(names) == 1 and ("," in names[0] or "\t" in names[0]):
        problems.append(_("les colonnes doivent être séparées par « ; »"))
    else:
        missing = [c.name for c in columns if c.required and c.name not in names]
        unknown = [name for name in names if name not in known]
        doubled = sorted({name for name in names if name and names.count(name) > 1})
        if missing:
            problems.append(
                _("colonne(s) manquante(s) : %(names)s") % {"names": ", ".join(missing)}
            )
        if unknown:
            problems.append(
                _("colonne(s) inconnue(s) : %(names)s")
                % {"names": ", ".join(name or _("(sans nom)") for name in unknown)}
            )
        if doubled:
            problems.append(_("colonne(s) en double : %(names)s") % {"names": ", ".join(doubled)})
    if problems:
        expected = SEPARATOR.join(column.name for column in columns)
        raise ImportFileError(
            _(
                "En-tête invalide, rien n'a été chargé : %(problems)s. "
                "Colonnes attendues : %(expected)s"
            )
            % {"problems": " ; ".join(problems), "expected": expected}
        )
    return names


def first_seen(seen: dict, key, line: int) -> int | None:
    """The line where `key` already appeared in this file, or None (and remember this one)."""
    earlier = seen.get(key)
    if earlier is None:
        seen[key] = line
    return earlier


# -- The import ----------------------------------------------------------------------------------
class Importer:
    """Check a file's lines, then load the valid ones. Subclasses set `columns` and write
    `check(rows, report) -> items` (rejecting lines through `report.reject`) and
    `load(items, report)` (counting what they create, update or leave as it was)."""

    columns: list[Column] = []

    def run(self, path: Path | str, *, strict: bool = False) -> Report:
        report = Report()
        rows = list(read_rows(path, self.columns))
        report.read = len(rows)
        items = self.check(rows, report)
        if strict and report.rejections:
            return report
        self.load(items, report)
        report.loaded = True
        return report

    def check(self, rows: list[Row], report: Report) -> list:
        raise NotImplementedError

    def load(self, items: list, report: Report) -> None:
        raise NotImplementedError


def chunks(values: list, size: int) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def apply_changes(obj, values: dict) -> list[str]:
    """Set `values` on `obj`; the names of the fields that actually changed."""
    changed = []
    for name, value in values.items():
        current = getattr(obj, name)
        if hasattr(current, "as_e164"):  # a PhoneNumber: files give +33... after `Row.phone`
            current = current.as_e164
        if current != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


IMPORT_REASON = "import"


def bulk_save(model, created: list, updated: list, fields: list[str], *, batch: int) -> None:
    """One `bulk_create` and one `bulk_update`; for a model whose changes are recorded
    (`portal.history`), its versions too, in bulk ("import" as the reason, no author)."""
    if getattr(model._meta, "simple_history_manager_attribute", None):
        if created:
            bulk_create_with_history(
                created, model, batch_size=batch, default_change_reason=IMPORT_REASON
            )
        if updated and fields:
            bulk_update_with_history(
                updated, model, fields, batch_size=batch, default_change_reason=IMPORT_REASON
            )
        return
    model.objects.bulk_create(created, batch_size=batch)
    if updated and fields:
        model.objects.bulk_update(updated, fields, batch_size=batch)


def create_or_update(model, items, existing: dict, report: Report, *, batch: int = 2000) -> None:
    """Save the lines of an import whose records are keyed: `items` are `(key, fields, new)`.

    The record of `key` found in `existing` gets `fields` (counted "mises à jour" when a value
    differs, "déjà chargées" otherwise); a key not there is created by `new()`. One
    `bulk_create` and one `bulk_update` of the fields that changed, whatever the volume."""
    created, updated, changed_fields = [], [], set()
    for key, fields, new in items:
        record = existing.get(key)
        if record is None:
            created.append(new())
            continue
        changed = apply_changes(record, fields)
        if changed:
            updated.append(record)
            changed_fields.update(changed)
        else:
            report.unchanged += 1
    bulk_save(model, created, updated, sorted(changed_fields), batch=batch)
    report.created += len(created)
    report.updated += len(updated)
