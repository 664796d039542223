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
    aide aidez allo bjr cest deja doisje dois est-ce estce falloir faudrait info
    information jai jamais mutuelle complementaire question renseignement rien sante slt
    stp toujours vais vraiment ya dernier derniere
    serai sera serais serait seront sommes etais aurai aura aurais va vas allons allez vont
    arrive arriver narrive peut-etre quelqu quelquun
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
    "100 % sante": "centpoursante",
    "100% sante": "centpoursante",
    "100 sante": "centpoursante",
    "100 pour cent": "centpoursante",
    "reste a charge zero": "centpoursante",
    "medecine douce": "medecinedouce",
    "medecines douces": "medecinedouce",
    "medecine alternative": "medecinedouce",
    "medecines alternatives": "medecinedouce",
    "prise en charge": "priseencharge",
    "pris en charge": "priseencharge",
    "prises en charge": "priseencharge",
    "reste a charge": "resteacharge",
    "adresse mail": "email",
    "adresse e mail": "email",
    "adresse email": "email",
    "e mail": "email",
    "toujours rien recu": "pasrecu",
    "toujours pas recu": "pasrecu",
    "pas recu": "pasrecu",
    "rien recu": "pasrecu",
    "toujours pas": "pasrecu",
    "toujours rien": "pasrecu",
    "pas encore": "pasrecu",
    "lentilles de contact": "lentille",
    "lentille de contact": "lentille",
    "par mois": "cotisation",
    "marche plus": "fonctionnepas",
    "marche pas": "fonctionnepas",
    "fonctionne pas": "fonctionnepas",
    "fonctionne plus": "fonctionnepas",
    "ne fonctionne": "fonctionnepas",
    "medecin en ligne": "teleconsultation",
    "consultation video": "teleconsultation",
    "consultation a distance": "teleconsultation",
    "changer de mutuelle": "resiliation",
    "mettre fin": "resiliation",
    "chambre seule": "chambreparticuliere",
    "chambre individuelle": "chambreparticuliere",
    "chambre particuliere": "chambreparticuliere",
    "forfait journalier": "forfaitjournalier",
    "carte mutuelle": "carte",
    "carte de mutuelle": "carte",
    "attestation de tiers payant": "carte",
    "attestation de tiers-payant": "carte",
    "attestation tiers payant": "carte",
    "numero d adherent": "identifiant",
    "numero adherent": "identifiant",
    "double authentification": "codeconnexion",
    "aide auditive": "audio",
    "aides auditives": "audio",
    "appareil auditif": "audio",
    "appareils auditifs": "audio",
    "appareil dentaire": "dentaire",
    "soins dentaires": "dentaire",
    "parler a quelqu un": "contact",
    "au telephone": "contact",
    "par telephone": "contact",
}

# Synonym groups: a word starting with any of these prefixes stands for the group's name.
# Longer prefixes are tried first ("cartevitale" before "carte").
SYNONYMS = {
    "carte": ("carte", "tierspayant"),
    # The Assurance Maladie's card, not the insurer's: its own word.
    "cartevitale": ("cartevitale",),
    "rembours": ("rembours", "prestation"),
    "releve": ("releve", "decompte"),
    "envoyer": ("envoi", "envoy", "transmet", "transmis"),
    "paiement": ("paie", "paye", "payer", "paiement"),
    "montant": ("montant", "combien", "prix", "cout"),
    "obtenir": ("obtenir", "obtien", "telecharg", "imprim", "recevoir", "recoi", "recu"),
    "teletransmission": ("teletransmission", "noemie", "teletransmis"),
    "rib": ("rib", "iban", "bancaire", "banque"),
    "affiliation": ("affili", "adhesion", "adhere"),
    "radiation": ("radiation", "radie"),
    "resiliation": ("resili", "resigne"),
    "beneficiaire": (
        "beneficiaire",
        "ayantdroit",
        "enfant",
        "conjoint",
        "fils",
        "fille",
        "bebe",
        "epou",
        "mari",
        "concubin",
    ),
    "retirer": ("retir", "enlev", "supprim"),
    "delai": ("delai", "attend", "attente"),
    "adresse": ("adresse", "demenag"),
    "motdepasse": ("motdepasse", "password", "mdp"),
    "identifiant": ("identifiant", "login"),
    "oubli": ("oubli",),
    "contrat": ("contrat",),
    "garantie": ("garantie", "formule", "couvert", "couverture"),
    "devis": ("devis", "estimation"),
    "modifier": ("modifi", "change"),
    "contact": ("contact", "joindre", "telephon", "appeler", "appel", "conseiller"),
    "professionnel": ("professionnel", "medecin", "praticien", "docteur", "kine", "generaliste"),
    "optique": ("optique", "lunette", "opticien", "verre", "monture"),
    "lentille": ("lentille",),
    "audio": ("audio", "auditi", "audition", "sonotone", "oreille", "entendre", "sourd"),
    "dentaire": (
        "dentaire",
        "dentiste",
        "dent",
        "couronne",
        "implant",
        "bridge",
        "orthodont",
    ),
    "hospitalisation": ("hospitali", "hopital", "clinique", "operation", "opere", "chirurgi"),
    "medecinedouce": (
        "medecinedouce",
        "osteo",
        "chiropra",
        "acupunct",
        "naturopat",
        "sophrolog",
        "etiopat",
    ),
    "teleconsultation": ("teleconsult", "visio", "telemedecine", "video"),
    "connexion": ("connect", "connexion"),
    "psychologue": ("psycholog", "psy"),
    "cotisation": ("cotis", "echeanc", "mensualit", "tarif"),
    "prelevement": ("prelev",),
    "perdu": ("perdu", "perte", "egare", "vole"),
    "pharmacie": ("pharmac",),
    "medicament": ("medicament", "ordonnance"),
    "depassement": ("depass", "honoraire"),
    "naissance": ("naissance", "accouch", "maternite", "grossesse", "enceinte"),
    "reclamation": ("reclam", "plainte", "mecontent", "litige", "mediateur"),
    "expire": ("expir", "perime", "validite"),
    "refus": ("refus",),
    "etude": ("etude", "etudiant", "scolarite", "apprenti"),
    "codeconnexion": ("codeconnexion", "sms"),
    "portabilite": ("portabilite", "licenci", "chomage", "demission"),
    "fiscal": ("fiscal", "impot", "madelin"),
}
# Whole words read as a synonym group (too short to be taken as a prefix).
EXACT_WORDS = {"vol": "perdu", "osteo": "medecinedouce", "ex": "retirer", "mail": "email"}
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
    if word in EXACT_WORDS:
        return EXACT_WORDS[word]
    for prefix, group in _PREFIXES:
        if word.startswith(prefix):
            return group
    return None


# One pass over the text, longest phrase first, whole words only: a glued word is never read
# again as part of another phrase.
_PHRASE = re.compile(
    r"(?<![a-z0-9])(?:"
    + "|".join(re.escape(p) for p in sorted(PHRASES, key=len, reverse=True))
    + r")(?![a-z0-9])"
)


def _words(text: str) -> list[str]:
    text = normalise(text).replace("'", " ").replace("’", " ")
    text = _PHRASE.sub(lambda m: PHRASES[m.group(0)], text)
    return _WORD.findall(text)


def _term(word: str) -> str | None:
    # A number ("le 10 du mois", "22 ans") names no subject.
    if len(word) < _SHORTEST or word in STOP_WORDS or word.isdigit():
        return None
    stem = _stem(word)
    if stem in STOP_WORDS:  # "mois" is "moi" once its s is dropped
        return None
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
    """One searchable document (a FAQ entry): its terms, the title's apart, and among the
    title's those of the question itself (a title may add other wordings)."""

    __slots__ = (
        "item", "question_terms", "title_terms", "all_terms", "_title_sorted", "_all_sorted",
    )  # fmt: skip

    def __init__(
        self,
        item,
        title_terms: Iterable[str],
        body_terms: Iterable[str],
        question_terms: Iterable[str] | None = None,
    ):
        self.item = item
        self.title_terms = frozenset(title_terms)
        self.question_terms = (
            self.title_terms if question_terms is None else frozenset(question_terms)
        )
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


def index(items: Iterable, *, title, body, question=None) -> list[Indexed]:
    """Index `items`; `title(item)` and `body(item)` give their texts; `question(item)`, when
    given, the part of the title that is the question itself."""
    return [
        Indexed(
            item,
            terms(title(item)),
            terms(body(item)),
            terms(question(item)) if question is not None else None,
        )
        for item in items
    ]


@dataclass(frozen=True)
class Match:
    item: object
    score: float
    # Share of the question's weight found in the document (0 to 1).
    coverage: float


TITLE_WEIGHT = 3.0


# A word no document holds (a typo aside) weighs like a word held by this share of them: it
# still lowers the coverage of every entry ("carte grise de ma voiture" is not about the card),
# but a member's filler word ("casse", "hier") does not drown the words that name the subject.
UNKNOWN_SHARE = 0.1


def _distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance of `a` and `b`, or `limit + 1` once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _tolerance(word: str) -> int:
    """How many typing errors a word of this length may carry and still be recognised."""
    if len(word) >= 9:
        return 2
    if len(word) >= 5:
        return 1
    return 0


def _corrected(term: str, vocabulary: set[str]) -> str:
    """`term`, or the known word it is a typo of ("lunetes" -> "optique", "remboursemnt" ->
    "rembours"): a synonym prefix the word begins with give or take one letter, else the
    nearest word of the documents."""
    limit = _tolerance(term)
    if term in vocabulary or term in SYNONYMS or not limit:
        return term
    for prefix, group in _PREFIXES:
        if len(prefix) < 5:
            continue
        for cut in (len(prefix) - 1, len(prefix), len(prefix) + 1):
            if cut <= len(term) and _distance(term[:cut], prefix, 1) <= 1:
                return group
    best, best_distance = term, limit + 1
    for known in vocabulary:
        distance = _distance(term, known, min(limit, best_distance - 1))
        if distance < best_distance:
            best, best_distance = known, distance
    if best != term:
        return best
    # Another form of a known word ("travail" / "travaille", "trouve" / "trouver").
    for known in sorted(vocabulary):
        shorter, longer = sorted((term, known), key=len)
        if len(shorter) >= 5 and longer.startswith(shorter) and len(longer) - len(shorter) <= 3:
            return known
    return term


def rank(text: str, documents: Sequence[Indexed]) -> list[Match]:
    """Documents holding at least one term of `text`, best first.

    A term weighs more when few documents hold it (so "voiture", unknown to the FAQ, weighs
    much and "modifier", everywhere, weighs little) and three times more when found in the
    question than in the answer. A word the documents do not hold is first read as the known
    word it is a typo of. Ties keep the documents' order.
    """
    query = parse(text)
    if not query.terms or not documents:
        return []
    vocabulary = set().union(*(doc.all_terms for doc in documents))
    terms_ = []
    for term in query.terms:
        fixed = term if term == query.partial else _corrected(term, vocabulary)
        if fixed not in terms_:
            terms_.append(fixed)
    total = len(documents)
    weights = {}
    for term in terms_:
        partial = term == query.partial
        holding = sum(1 for doc in documents if doc.has(term, partial=partial))
        weights[term] = math.log((total + 1) / ((holding or total * UNKNOWN_SHARE) + 0.5))
    query_weight = sum(weights.values())
    holders: dict[str, int] = {}

    def idf(term: str) -> float:
        if term not in holders:
            holders[term] = sum(1 for doc in documents if term in doc.all_terms)
        return math.log((total + 1) / (holders[term] + 0.5))

    ranked = []
    for position, doc in enumerate(documents):
        found = [t for t in terms_ if doc.has(t, partial=t == query.partial)]
        if not found:
            continue
        score = sum(
            weights[t] * (TITLE_WEIGHT if doc.in_title(t, partial=t == query.partial) else 1.0)
            for t in found
        )
        coverage = sum(weights[t] for t in found) / query_weight if query_weight > 0 else 1.0
        score *= _QUESTION_FLOOR + _question_coverage(doc, set(found), idf)
        ranked.append((score, -position, Match(doc.item, score, coverage)))
    ranked.sort(key=lambda r: (r[0], r[1]), reverse=True)
    return [r[2] for r in ranked]


# An entry whose question is mostly what was asked beats one that merely mentions it: the
# score is multiplied by this floor plus the share of the question's own words found.
_QUESTION_FLOOR = 0.5


def _question_coverage(doc: Indexed, found: set[str], idf) -> float:
    if not doc.question_terms:
        return 0.0
    total = sum(idf(t) for t in doc.question_terms)
    return sum(idf(t) for t in doc.question_terms if t in found) / total if total else 0.0


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
