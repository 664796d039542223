"""Reads the support pages share: the published FAQ, searched and ranked, and the service pages.

Searching happens in Python over the published entries (see `support.matching` for why).
"""

from dataclasses import dataclass
from itertools import groupby

from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.text import Truncator

from support import matching
from support.models import (
    FaqEntry,
    FaqLink,
    FaqTheme,
    ServiceAction,
    ServiceActionKind,
    ServicePage,
    ServiceRequestForm,
)

# The virtual advisor answers only when the FAQ entry holds at least this share of the
# question's weight (see `matching.rank`): "changer de voiture" must not get the RIB entry.
ADVISOR_MIN_COVERAGE = 0.5
SUGGESTIONS_MAX = 5
EXCERPT_WORDS = 20


def published_entries() -> list[FaqEntry]:
    """Every published entry, by theme then position (one query)."""
    return list(FaqEntry.objects.filter(published=True).select_related("theme"))


def _indexed(entries: list[FaqEntry], *, with_keywords: bool = False) -> list[matching.Indexed]:
    """The entries as searchable documents; the advisor and the suggestions read the "autres
    formulations" like the question, the FAQ page's search (which shows what it found) does
    not."""
    if with_keywords:
        return matching.index(
            entries,
            title=lambda e: f"{e.question} {e.keywords}",
            body=lambda e: e.answer,
            question=lambda e: e.question,
        )
    return matching.index(entries, title=lambda e: e.question, body=lambda e: e.answer)


@dataclass
class ThemeGroup:
    theme: FaqTheme
    entries: list[FaqEntry]


def faq_groups(entries: list[FaqEntry]) -> list[ThemeGroup]:
    """`entries` (in theme order) grouped under their theme."""
    return [
        ThemeGroup(theme, list(items)) for theme, items in groupby(entries, key=lambda e: e.theme)
    ]


def faq_search(query: str, entries: list[FaqEntry] | None = None) -> list[FaqEntry]:
    """Published entries (or `entries`) holding every meaningful word of `query`, in the
    question or the answer, whatever the accents and the case ("teletransmission" finds
    "Télétransmission"); those with the words in their question first."""
    if entries is None:
        entries = published_entries()
    return [doc.item for doc in matching.filter_all(query, _indexed(entries))]


def faq_suggestions(text: str, *, limit: int = SUGGESTIONS_MAX) -> list[FaqEntry]:
    """The published entries that best match `text`, best first (at most `limit`)."""
    ranked = matching.rank(text, _indexed(published_entries(), with_keywords=True))
    return [m.item for m in ranked[:limit]]


@dataclass(frozen=True)
class AdvisorReply:
    """What the virtual advisor makes of a question: one entry (`entry`), or two it hesitates
    between (`choices`: "Votre question porte-t-elle sur… ?"), or nothing (both empty)."""

    entry: FaqEntry | None = None
    choices: tuple[FaqEntry, ...] = ()

    @property
    def found(self) -> bool:
        return self.entry is not None or bool(self.choices)


# The advisor asks which of two entries the member means when the second scores at least this
# share of the first: answering the first with confidence could be answering beside the point.
ADVISOR_CHOICE_RATIO = 0.75
ADVISOR_CHOICE_GAP = 0.2


def advisor_reply(question: str) -> AdvisorReply:
    """The entry the virtual advisor answers `question` with, the two it asks the member to
    choose between, or nothing when no entry holds enough of the question."""
    ranked = matching.rank(question, _indexed(published_entries(), with_keywords=True))
    if not ranked or ranked[0].coverage < ADVISOR_MIN_COVERAGE:
        return AdvisorReply()
    best = ranked[0]
    if len(ranked) > 1:
        second = ranked[1]
        # Only between two readings of the whole question: an entry that holds a smaller
        # part of it than the best one is no rival.
        if second.score >= ADVISOR_CHOICE_RATIO * best.score and second.coverage >= max(
            ADVISOR_MIN_COVERAGE, best.coverage - ADVISOR_CHOICE_GAP
        ):
            return AdvisorReply(choices=(best.item, second.item))
    return AdvisorReply(entry=best.item)


def advisor_answer(question: str) -> FaqEntry | None:
    """The entry the virtual advisor answers `question` with outright, or None."""
    return advisor_reply(question).entry


def has_meaning(text: str) -> bool:
    """Whether `text` holds a word worth searching for (not only "bonjour", "de", "la"...)."""
    return bool(matching.query_terms(text))


def excerpt(entry: FaqEntry, words: int = EXCERPT_WORDS) -> str:
    return Truncator(" ".join(entry.answer.split())).words(words)


@dataclass(frozen=True)
class Link:
    url: str
    label: str


def entry_link(entry: FaqEntry) -> Link | None:
    """The "do it" link of `entry`, or None when it has none or its page does not exist."""
    if not entry.link_url_name:
        return None
    try:
        url = reverse(entry.link_url_name)
    except NoReverseMatch:
        return None
    label = entry.link_label
    if not label:
        try:
            label = FaqLink(entry.link_url_name).label
        except ValueError:
            return None
    return Link(url=url, label=str(label))


def faq_entry_url(entry: FaqEntry) -> str:
    """The FAQ page with `entry` open and scrolled to."""
    return f"{reverse('support:faq')}?entree={entry.pk}#faq-{entry.pk}"


def published_service_pages():
    return ServicePage.objects.filter(published=True)


def service_page_or_404(slug: str) -> ServicePage:
    page = published_service_pages().filter(slug=slug).first()
    if page is None:
        raise Http404
    return page


def tel_href(number: str) -> str:
    """ "tel:+33144209780" for "01 44 20 97 80" (a French number unless it says otherwise)."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, "FR")
    except phonenumbers.NumberParseException:
        return "tel:" + "".join(c for c in number if c.isdigit() or c == "+")
    return "tel:" + phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@dataclass(frozen=True)
class ShownAction:
    label: str
    kind: str
    url: str
    detail: str = ""


def service_actions(page: ServicePage) -> list[ShownAction]:
    """The actions of a service page as links: a `tel:` link, the request form with its topic
    chosen (a field of the form's own: the member sees it and may change it), the guide's
    download. An action missing what it needs is left out."""
    shown = []
    for action in page.actions.all():
        if action.kind == ServiceActionKind.PHONE and action.phone:
            shown.append(
                ShownAction(action.label, action.kind, tel_href(action.phone), action.phone)
            )
        elif action.kind == ServiceActionKind.REQUEST and action.request_form:
            try:
                url = reverse(action.request_form)
            except NoReverseMatch:
                continue
            if action.topic:
                field = "objet" if action.request_form == ServiceRequestForm.CONTACT else "topic"
                url = f"{url}?{urlencode({field: action.topic})}"
            shown.append(ShownAction(action.label, action.kind, url))
        elif action.kind == ServiceActionKind.GUIDE and action.guide:
            url = reverse("support:service_guide", args=[page.slug, action.pk])
            shown.append(ShownAction(action.label, action.kind, url))
    return shown


def service_guide_or_404(slug: str, pk: int) -> ServiceAction:
    action = (
        ServiceAction.objects.filter(
            page__slug=slug, page__published=True, pk=pk, kind=ServiceActionKind.GUIDE
        )
        .exclude(guide="")
        .first()
    )
    if action is None:
        raise Http404
    return action
