"""Finding FAQ answers in what a member types, accent- and case-insensitive, in Python.

Why in Python rather than in the database: the FAQ is small (dozens of entries, a few hundred
at most) and read whole in one query; ranking by words, with French stop words, plurals and a
few synonyms, cannot be expressed portably in SQL anyway; and the result is the same on SQLite
and PostgreSQL (no `unaccent` extension, no stored search column to keep in step when managers
edit entries in the admin).

A text becomes a list of *terms*: lower case, accents removed, "œ" spelled "oe", a few phrases
glued into one word ("tiers payant" -> "tierspayant"), French stop words dropped, a plural
"s"/"x" dropped, and each word mapped to its synonym group when it has one ("rembourser",
"remboursements" -> "rembours"; "attestation" -> "carte").
"""

import bisect
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from portal.text import folded

# Words that say nothing about the subject of a question.
_STOP_WORDS = """
    a ai aie ait alors as au aucun aucune aussi autre aux avec avez avoir avons bonjour
    bonsoir ca car ce ceci cela celle celui ces cet cette chez ci comme comment dans de des
    dois doit donc dont du elle elles en encore est et etait ete etre eu fait faire faut
    il ils je jusqu la le les leur leurs lui ma madame mais me merci mes moi mon monsieur ne
    ni nos notre nous on ont ou oui par pas peu peut peux plus pour pourquoi pourrais
    pourriez pouvez puis puisje qu quand que quel quelle quelles quels qui quoi sa sans se
    ses si sil soit son sont sur svp ta te tes toi ton tous tout toute toutes tres tu un une
    vos votre vous voudrais voulez voulons veux y
    aimerais avais avait besoin bien cordialement dire etes fais faites salutations savoir
    souhaite souhaiterais suis
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

# Phrases read as one word before anything else (on accent-free, lower-case text whose
# apostrophes are spaces).
PHRASES = {
    "tiers payant": "tierspayant",
    "tiers-payant": "tierspayant",
    "carte vitale": "cartevitale",
    "mot de passe": "motdepasse",
    "ayant droit": "ayantdroit",
    "ayants droit": "ayantdroit",
    "ayants droits": "ayantdroit",
    "securite sociale": "securitesociale",
    "assurance maladie": "securitesociale",
    "coordonnees bancaires": "rib",
    "combien de temps": "delai",
    "mettre a jour": "modifier",
    "releve d identite bancaire": "rib",
}

# Synonym groups: a word starting with any of these prefixes stands for the group's name.
# Longer prefixes are tried first ("cartevitale" before "carte").
SYNONYMS = {
    "carte": ("carte", "tierspayant", "attestation"),
    # The Assurance Maladie's card, not the insurer's: its own word.
    "cartevitale": ("cartevitale",),
    "rembours": ("rembours", "prestation", "decompte"),
    "obtenir": ("obtenir", "obtien", "telecharg", "imprim", "recevoir", "recoi", "recu"),
    "teletransmission": ("teletransmission", "noemie", "teletransmis"),
    "rib": ("rib", "iban", "bancaire", "banque"),
    "affiliation": ("affili", "adhesion"),
    "radiation": ("radiation", "radie", "resili"),
    "beneficiaire": ("beneficiaire", "ayantdroit", "enfant", "conjoint", "fils", "fille"),
    "delai": ("delai",),
    "adresse": ("adresse", "demenag"),
    "motdepasse": ("motdepasse", "identifiant"),
    "contrat": ("contrat", "garantie"),
    "devis": ("devis",),
    "modifier": ("modifi", "change"),
    "contact": ("contact", "joindre", "telephon", "appeler"),
    "professionnel": ("professionnel", "medecin", "dentiste", "opticien", "praticien"),
}
_PREFIXES = sorted(
    ((prefix, group) for group, prefixes in SYNONYMS.items() for prefix in prefixes),
    key=lambda item: -len(item[0]),
)
_WORD = re.compile(r"[a-z0-9]+")
_SHORTEST = 2  # words of one letter are noise ("l'", "d'")


def normalise(text: str) -> str:
    """Lower case, no accents, "œ"/"æ" spelled out: "Télétransmission" -> "teletransmission"."""
    return folded(text)


def _stem(word: str) -> str:
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def _group(word: str) -> str | None:
    for prefix, group in _PREFIXES:
        if word.startswith(prefix):
            return group
    return None


def _words(text: str) -> list[str]:
    text = normalise(text).replace("'", " ").replace("’", " ")
    for phrase, word in PHRASES.items():
        text = text.replace(phrase, word)
    return _WORD.findall(text)


def _term(word: str) -> str | None:
    if len(word) < _SHORTEST or word in STOP_WORDS:
        return None
    stem = _stem(word)
    return _group(word) or _group(stem) or stem


def terms(text: str) -> list[str]:
    """The meaningful words of `text`, normalised, in order (repeats kept)."""
    return [term for word in _words(text) if (term := _term(word))]


# A long message is judged on its first words: enough to find its subject, bounded work.
MAX_QUERY_TERMS = 40


@dataclass(frozen=True)
class Query:
    """What is searched for: distinct terms, and the one the person may still be typing."""

    terms: tuple[str, ...]
    # The last word when the text does not end after it (no space or punctuation yet): it
    # also matches the words it begins ("rembour" finds "remboursement").
    partial: str | None = None


def parse(text: str) -> Query:
    words = _words(text)
    found = list(dict.fromkeys(t for w in words if (t := _term(w))))[:MAX_QUERY_TERMS]
    partial = None
    normalised = normalise(text)
    if words and normalised and normalised[-1].isalnum():
        last = _term(words[-1])
        # A word already taken for a synonym group is complete enough.
        if last is not None and last not in SYNONYMS and last in found:
            partial = last
    return Query(tuple(found), partial)


def query_terms(text: str) -> list[str]:
    """The distinct terms of a question, in order (the first `MAX_QUERY_TERMS`)."""
    return list(parse(text).terms)


_PARTIAL_MIN = 3  # a shorter beginning of a word is not taken for the word


class Indexed:
    """One searchable document (a FAQ entry): its terms, the question's apart."""

    __slots__ = ("item", "title_terms", "all_terms", "_title_sorted", "_all_sorted")

    def __init__(self, item, title_terms: Iterable[str], body_terms: Iterable[str]):
        self.item = item
        self.title_terms = frozenset(title_terms)
        self.all_terms = self.title_terms | frozenset(body_terms)
        self._title_sorted = sorted(self.title_terms)
        self._all_sorted = sorted(self.all_terms)

    def has(self, term: str, *, partial: bool = False) -> bool:
        """Whether the document holds `term` (or, `partial`, a word `term` begins)."""
        return term in self.all_terms or (partial and _starts_one(self._all_sorted, term))

    def in_title(self, term: str, *, partial: bool = False) -> bool:
        return term in self.title_terms or (partial and _starts_one(self._title_sorted, term))


def _starts_one(sorted_terms: list[str], prefix: str) -> bool:
    if len(prefix) < _PARTIAL_MIN:
        return False
    at = bisect.bisect_left(sorted_terms, prefix)
    return at < len(sorted_terms) and sorted_terms[at].startswith(prefix)


def index(items: Iterable, *, title, body) -> list[Indexed]:
    """Index `items`; `title(item)` and `body(item)` give their texts."""
    return [Indexed(item, terms(title(item)), terms(body(item))) for item in items]


@dataclass(frozen=True)
class Match:
    item: object
    score: float
    # Share of the question's weight found in the document (0 to 1).
    coverage: float


TITLE_WEIGHT = 3.0


def rank(text: str, documents: Sequence[Indexed]) -> list[Match]:
    """Documents holding at least one term of `text`, best first.

    A term weighs more when few documents hold it (so "voiture", unknown to the FAQ, weighs
    most and "modifier", everywhere, weighs little) and three times more when found in the
    question than in the answer. Ties keep the documents' order.
    """
    query = parse(text)
    if not query.terms or not documents:
        return []
    total = len(documents)
    weights = {}
    for term in query.terms:
        partial = term == query.partial
        holding = sum(1 for doc in documents if doc.has(term, partial=partial))
        weights[term] = math.log((total + 1) / (holding + 0.5))
    query_weight = sum(weights.values())
    ranked = []
    for position, doc in enumerate(documents):
        found = [t for t in query.terms if doc.has(t, partial=t == query.partial)]
        if not found:
            continue
        score = sum(
            weights[t] * (TITLE_WEIGHT if doc.in_title(t, partial=t == query.partial) else 1.0)
            for t in found
        )
        coverage = sum(weights[t] for t in found) / query_weight if query_weight > 0 else 1.0
        ranked.append((score, -position, Match(doc.item, score, coverage)))
    ranked.sort(key=lambda r: (r[0], r[1]), reverse=True)
    return [r[2] for r in ranked]


def filter_all(text: str, documents: Sequence[Indexed]) -> list[Indexed]:
    """Documents holding every term of `text` (the FAQ page's search): those holding more of
    them in their question first, then in the documents' order."""
    query = parse(text)
    if not query.terms:
        return []
    found = []
    for doc in documents:
        if all(doc.has(t, partial=t == query.partial) for t in query.terms):
            in_title = sum(doc.in_title(t, partial=t == query.partial) for t in query.terms)
            found.append((in_title, doc))
    found.sort(key=lambda pair: pair[0], reverse=True)  # stable: ties keep the FAQ's order
    return [doc for _count, doc in found]
