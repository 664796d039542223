"""Reads the partner views share; every one is scoped to a structure and an organism."""

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.http import Http404
from django.utils import timezone

from partners.catalogue import SERVICES, Service
from partners.conventions import Situation, State, situation_of
from partners.models import (
    Convention,
    PartnerRequest,
    PartnerRequestStatus,
    Structure,
    StructureMembership,
)

# Where the chosen organism is kept for the session (its primary key).
SESSION_ORGANISM = "partner_organism"


@dataclass(frozen=True)
class PartnerSpace:
    """Who is working, for which structure, with which organism, in which situation."""

    user: object
    membership: StructureMembership
    situation: Situation

    @property
    def structure(self) -> Structure:
        return self.membership.structure

    @property
    def organism(self):
        return self.situation.organism

    @property
    def convention(self) -> Convention:
        return self.situation.convention


def membership_of(user) -> StructureMembership | None:
    """The partner account's tie to its structure, or None for anyone else."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role not in ("technician", "partner_manager"):
        return None
    return (
        StructureMembership.objects.select_related("structure", "last_organism")
        .filter(user=user)
        .first()
    )


def space_for(request, membership: StructureMembership | None = None) -> PartnerSpace | None:
    """The space of the organism chosen in this session, if it may still be used."""
    membership = membership or membership_of(request.user)
    organism_id = request.session.get(SESSION_ORGANISM)
    if membership is None or organism_id is None:
        return None
    convention = (
        Convention.objects.select_related("organism", "counter")
        .filter(structure_id=membership.structure_id, organism_id=organism_id)
        .first()
    )
    if convention is None:
        return None
    situation = situation_of(convention)
    if situation.state in (State.UPCOMING, State.CLOSED):
        return None
    return PartnerSpace(user=request.user, membership=membership, situation=situation)


def partner_requests(space: PartnerSpace):
    """ "Historique des demandes": the structure's requests at the organism, cancelled ones
    left out (they stay in the admin)."""
    return PartnerRequest.objects.filter(
        structure_id=space.structure.pk, organism_id=space.organism.pk
    ).exclude(status=PartnerRequestStatus.CANCELLED)


def get_partner_request_or_404(space: PartnerSpace, number: str) -> PartnerRequest:
    """The request numbered `number` if it belongs to the space; 404 otherwise."""
    request = (
        partner_requests(space)
        .select_related("organism", "requester")
        .filter(number=number)
        .first()
    )
    if request is None:
        raise Http404
    return request


# -- "Historique des demandes" ---------------------------------------------------------------
# What a history card shows, and nothing more: the comment, the JSON answers and the answer can
# be long, and a page of 100 must cost what a page of 10 does (one query for the rows).
HISTORY_FIELDS = (
    "number", "service", "status", "created_at", "requester_name", "civility", "last_name",
    "first_name",
)  # fmt: skip


@dataclass(frozen=True)
class HistoryFilters:
    """The criteria of the history's filter bar (all optional), and its sort."""

    status: str = ""
    service: int | None = None
    # (service, motif code): a motif belongs to one ODS; for ODS 5 it is a document asked for.
    motif: tuple[int, str] | None = None
    requester_id: int | None = None
    person: str = ""
    date_from: date | None = None
    date_to: date | None = None
    number: str = ""
    sort: str = "date"
    descending: bool = True

    @property
    def active(self) -> bool:
        """True when some criterion narrows the list (the sort does not)."""
        return any(
            (
                self.status,
                self.service,
                self.motif,
                self.requester_id,
                self.person,
                self.date_from,
                self.date_to,
                self.number,
            )
        )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _rank(pairs) -> Case:
    """An expression giving each (condition, label) its rank in the labels' alphabetical
    order, so that a sort by a label follows the words shown, not the stored codes."""
    ordered = sorted(pairs, key=lambda pair: _sort_key(str(pair[1])))
    return Case(
        *[When(condition, then=Value(rank)) for rank, (condition, _label) in enumerate(ordered)],
        default=Value(len(ordered)),
        output_field=IntegerField(),
    )


def _sort_key(text: str) -> str:
    """Accents and case left out, as a reader sorts ("Étude" with "Etude")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _history_order(sort: str, descending: bool) -> list:
    if sort == "number":
        keys = [F("number")]
    elif sort == "status":
        workflow = (
            PartnerRequestStatus.NEW,
            PartnerRequestStatus.IN_PROGRESS,
            PartnerRequestStatus.AWAITING,
            PartnerRequestStatus.RESOLVED,
        )
        keys = [
            Case(
                *[When(status=value, then=Value(rank)) for rank, value in enumerate(workflow)],
                default=Value(len(workflow)),
                output_field=IntegerField(),
            )
        ]
    elif sort == "service":
        keys = [_rank([(Q(service=service.value), service.label) for service in Service])]
    elif sort == "motif":
        keys = [
            _rank(
                [
                    (Q(service=service.value, motif=code), label)
                    for service, info in SERVICES.items()
                    for code, label in info.motifs.items()
                ]
            )
        ]
    elif sort == "requester":
        keys = [F("requester_name")]
    elif sort == "person":
        keys = [F("last_name"), F("first_name")]
    elif sort == "status_date":
        keys = [F("status_changed_at")]
    else:  # "date": the default, served by the partnerrequest_history index
        keys = [F("created_at")]
    ordered = [key.desc() if descending else key.asc() for key in keys]
    if sort == "date":
        return [*ordered, F("id").desc() if descending else F("id").asc()]
    # Within equal values, the newest first, as the default list.
    return [*ordered, F("created_at").desc(), F("id").desc()]


def partner_history(space: PartnerSpace, filters: HistoryFilters = HistoryFilters()):
    """The space's requests matching `filters`, in their order, as `.values()` rows of
    HISTORY_FIELDS (no model instances to build, no query per row)."""
    requests = partner_requests(space)
    if filters.status:
        requests = requests.filter(status=filters.status)
    if filters.service:
        requests = requests.filter(service=filters.service)
    if filters.motif:
        service, code = filters.motif
        if service == Service.DOCUMENT:
            # Every document asked for counts, not only the first (kept in `motif`).
            requests = requests.filter(
                Q(motif=code) | Q(documents__icontains=f'"{code}"'), service=service
            )
        else:
            requests = requests.filter(service=service, motif=code)
    if filters.requester_id:
        requests = requests.filter(requester_id=filters.requester_id)
    for word in filters.person.split():
        requests = requests.filter(Q(last_name__icontains=word) | Q(first_name__icontains=word))
    if filters.date_from:
        requests = requests.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        requests = requests.filter(created_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    if filters.number:
        if len(filters.number) == 10:
            requests = requests.filter(number=filters.number)
        else:
            requests = requests.filter(number__contains=filters.number)
    return requests.order_by(*_history_order(filters.sort, filters.descending)).values(
        *HISTORY_FIELDS
    )


def structure_requesters(structure_id: int) -> list[tuple[int, str]]:
    """ "Demandeur": the structure's accounts (technicians and managers, active or not: their
    requests stay), as (pk, "NOM Prénom") by name."""
    from accounts.models import User

    people = (
        User.objects.filter(partner_membership__structure_id=structure_id)
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", "last_name", "first_name", "username")
    )
    return [
        (pk, f"{last.upper()} {first}".strip() or username) for pk, last, first, username in people
    ]


def partner_history_count(space: PartnerSpace, filters: HistoryFilters = HistoryFilters()) -> int:
    """How many requests `partner_history(space, filters)` lists (the "N demandes").

    Unfiltered, it is the convention's `listed_requests`, kept by the services that file and
    cancel (counting 100,000 rows on each page would cost more than the rest of the page).
    Filtered lists are counted as they are."""
    if filters.active:
        return partner_history(space, filters).order_by().count()
    counter = getattr(space.convention, "counter", None)
    return counter.listed_requests if counter is not None else 0
