"""The English translation: complete, faithful to placeholders, compiled, and served on request."""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"

# %(name)s-style placeholders, {name}-style ones, and HTML tags must survive translation.
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifrx]|\{\w*\}|<[^>]+>")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    def __str__(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def parse_po(path: Path) -> list[Entry]:
    """Read the active entries of a .po file (obsolete `#~` entries are skipped)."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None

    def finish() -> None:
        if current is not None and (current.msgid or current.msgstr):
            entries.append(current)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current is not None and target is not None and target[0] == "msgstr":
                finish()
                current, target = None, None
            if line.startswith("#,"):
                current = current or Entry(line=number)
                current.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        keyword, _space, rest = line.partition(" ")
        if line.startswith('"'):
            assert current is not None and target is not None, f"stray string at line {number}"
            text = ast.literal_eval(line)
        else:
            text = ast.literal_eval(rest)
            if keyword in ("msgctxt", "msgid") and target is not None and target[0] == "msgstr":
                finish()
                current = None
            current = current or Entry(line=number)
            if keyword.startswith("msgstr["):
                target = ("msgstr", int(keyword[7:-1]))
                current.msgstr[target[1]] = ""
            elif keyword == "msgstr":
                target = ("msgstr", 0)
                current.msgstr[0] = ""
            else:
                target = (keyword, None)
                setattr(current, keyword, "")
        name, index = target
        if name == "msgstr":
            current.msgstr[index] += text
        else:
            setattr(current, name, getattr(current, name) + text)
    finish()
    return [entry for entry in entries if entry.msgid]  # the header has an empty msgid


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    found = parse_po(PO_PATH)
    assert len(found) > 100, "the English .po looks empty: run makemessages -l en"
    return found


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_every_entry_is_translated(entries):
    untranslated = [str(e) for e in entries if not all(e.msgstr.values()) or not e.msgstr]
    assert untranslated == []


def test_no_entry_is_left_fuzzy(entries):
    assert [str(e) for e in entries if "fuzzy" in e.flags] == []


def test_translations_keep_the_placeholders_and_html(entries):
    wrong = []
    for e in entries:
        for index, text in e.msgstr.items():
            source = e.msgid if index == 0 or e.msgid_plural is None else e.msgid_plural
            if placeholders(text) != placeholders(source):
                wrong.append(f"{e} -> {text!r}")
    assert wrong == []


def test_plural_entries_have_both_english_forms(entries):
    plurals = [e for e in entries if e.msgid_plural is not None]
    assert [str(e) for e in plurals if sorted(e.msgstr) != [0, 1]] == []


def test_the_compiled_catalogue_matches_the_po_file(entries):
    with MO_PATH.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = []
    for e in entries:
        if e.msgid_plural is not None:
            got = {
                0: catalogue.npgettext(e.msgctxt, e.msgid, e.msgid_plural, 1)
                if e.msgctxt
                else catalogue.ngettext(e.msgid, e.msgid_plural, 1),
                1: catalogue.npgettext(e.msgctxt, e.msgid, e.msgid_plural, 2)
                if e.msgctxt
                else catalogue.ngettext(e.msgid, e.msgid_plural, 2),
            }
        else:
            got = {
                0: catalogue.pgettext(e.msgctxt, e.msgid)
                if e.msgctxt
                else catalogue.gettext(e.msgid)
            }
        if got != e.msgstr:
            stale.append(str(e))
    assert stale == [], "run: manage.py compilemessages -l en"


def _choose_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_public_home_page_is_french_by_default(client):
    page = client.get("/").content.decode()

    assert '<html lang="fr">' in page
    assert "Me connecter" in page
    assert "Créer mon espace" in page
    assert "Create my account space" not in page


@pytest.mark.django_db
def test_the_public_home_page_turns_english_once_chosen(client):
    _choose_english(client)

    page = client.get("/").content.decode()

    assert '<html lang="en">' in page
    assert "Sign in" in page
    assert "Create my account space" in page
    assert "Me connecter" not in page
    assert "Créer mon espace" not in page


@pytest.mark.django_db
def test_the_sign_in_page_is_french_by_default(client):
    page = client.get("/compte/connexion/").content.decode()

    assert "Renseignez votre identifiant et votre mot de passe." in page
    assert "Mot de passe oublié ?" in page
    assert "Forgotten your password?" not in page


@pytest.mark.django_db
def test_the_sign_in_page_and_its_form_turn_english_once_chosen(client):
    _choose_english(client)

    page = client.get("/compte/connexion/").content.decode()

    assert "Enter your username and your password." in page
    assert "Forgotten your password?" in page
    assert "Username" in page  # a form label, translated in Python
    assert "Renseignez votre identifiant et votre mot de passe." not in page
    assert "Mot de passe oublié ?" not in page
