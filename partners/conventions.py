"""The five situations of a convention (guide 001, chapter II), computed in Europe/Paris days.

- UPCOMING: before the start date; only "Se déconnecter".
- ACTIVE: full access.
- ENDING: the end date is less than 30 days away; a warning, then full access.
- ENDED_OPEN: ended, some requests still open; no new request, history only.
- ENDED_RESOLVED: ended, every request resolved; history only, until 30 days after the last
  resolution (counted from the end date at the earliest, so the message is always seen once).
- CLOSED: after that; the organism is no longer offered.
"""

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from casework.models import OPEN_STATUSES
from partners.models import Convention, PartnerRequest, PartnerRequestStatus

# "se terminant dans moins de 30 jours" and "jusqu'à 30 jours après votre dernière demande
# résolue".
ENDING_WARNING_DAYS = 30
GRACE_DAYS = 30


class State(enum.Enum):
    UPCOMING = "upcoming"
    ACTIVE = "active"
    ENDING = "ending"
    ENDED_OPEN = "ended_open"
    ENDED_RESOLVED = "ended_resolved"
    CLOSED = "closed"


# The states flagged in the list with a red asterisk ("situation particulière").
FLAGGED = {State.UPCOMING, State.ENDING, State.ENDED_OPEN, State.ENDED_RESOLVED}
# The states in which the organism's history may be read / new requests filed.
HISTORY_OPEN = {State.ACTIVE, State.ENDING, State.ENDED_OPEN, State.ENDED_RESOLVED}
FILING_OPEN = {State.ACTIVE, State.ENDING}


@dataclass(frozen=True)
class Situation:
    convention: Convention
    state: State
    # For ENDED_RESOLVED: the last day the history may be read.
    access_until: date | None = None

    @property
    def organism(self):
        return self.convention.organism

    @property
    def flagged(self) -> bool:
        return self.state in FLAGGED

    @property
    def may_file(self) -> bool:
        return self.state in FILING_OPEN

    @property
    def may_read_history(self) -> bool:
        return self.state in HISTORY_OPEN

    @property
    def message(self) -> str:
        """The guide's alert after "Valider", or "" when the home page opens directly."""
        convention = self.convention
        if self.state is State.UPCOMING:
            return _("Le conventionnement avec l'organisme %(organism)s débutera le %(date)s.") % {
                "organism": convention.organism.name,
                "date": _day(convention.start_date),
            }
        if self.state is State.ENDING:
            return _(
                "Le conventionnement arrive à échéance le %(date)s - Veuillez contacter "
                "l'organisme concerné."
            ) % {"date": _day(convention.end_date)}
        if self.state is State.ENDED_OPEN:
            return _(
                "Le conventionnement s'est terminé le %(date)s mais il reste des demandes en "
                "cours de traitement."
            ) % {"date": _day(convention.end_date)}
        if self.state is State.ENDED_RESOLVED:
            return _(
                "Le conventionnement s'est terminé le %(date)s. Vous disposez d'un délai "
                "supplémentaire pour consulter les réponses apportées à vos demandes."
            ) % {"date": _day(convention.end_date)}
        return ""


def _day(value: date) -> str:
    return date_format(value, "d/m/Y")


def today() -> date:
    """Today in the portal's time zone (Europe/Paris), whatever the server's clock zone."""
    return timezone.localdate()


def _open_and_last_resolution(convention: Convention) -> tuple[bool, date | None]:
    requests = PartnerRequest.objects.filter(
        structure_id=convention.structure_id, organism_id=convention.organism_id
    )
    summary = requests.aggregate(
        last=Max("resolved_at", filter=Q(status=PartnerRequestStatus.RESOLVED)),
    )
    has_open = requests.filter(status__in=OPEN_STATUSES).exists()
    last = summary["last"]
    return has_open, (timezone.localdate(last) if last else None)


def situation_of(convention: Convention, *, on: date | None = None) -> Situation:
    """The convention's situation on the day `on` (today in Europe/Paris by default)."""
    on = on or today()
    if on < convention.start_date:
        return Situation(convention, State.UPCOMING)
    end = convention.end_date
    if end is None or on <= end:
        if end is not None and (end - on).days < ENDING_WARNING_DAYS:
            return Situation(convention, State.ENDING)
        return Situation(convention, State.ACTIVE)
    has_open, last_resolution = _open_and_last_resolution(convention)
    if has_open:
        return Situation(convention, State.ENDED_OPEN)
    until = max(end, last_resolution or end) + timedelta(days=GRACE_DAYS)
    if on <= until:
        return Situation(convention, State.ENDED_RESOLVED, access_until=until)
    return Situation(convention, State.CLOSED)


def structure_situations(structure, *, on: date | None = None) -> list[Situation]:
    """Every organism the structure may still choose, by name, with its situation."""
    conventions = Convention.objects.filter(structure=structure).select_related("organism")
    situations = [situation_of(c, on=on) for c in conventions.order_by("organism__name")]
    return [s for s in situations if s.state is not State.CLOSED]
