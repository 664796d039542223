"""Every page of the histories is the right one, however it is read: the filing order's
arithmetic (deep pages without reading what comes before), the pages read from an index, the
searches without accents or case, and the totals (stored, computed, counted or estimated)."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework import lists
from casework.services import case_move
from partners import selectors as partner_selectors
from partners.catalogue import Service
from partners.models import ConventionCounter, PartnerRequest
from requests_app.services import member_request_submit
from tests.factories import PERSON, make_partner_request

pytestmark = pytest.mark.django_db

PARTNERS = "/partenaires/historique/"
MEMBERS = "/demandes/"


def _text(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def _numbers(page: str) -> list[str]:
    """The request numbers listed, in the order shown (each card links to its detail)."""
    return re.findall(r'href="/partenaires/historique/(\d{10})/"', page)


def _shown_numbers(client, query) -> list[str]:
    return _numbers(_text(client.get(PARTNERS, query)))


@pytest.fixture
def filed(technician, organism, convention):
    """23 requests filed a day apart (the oldest 23 days ago), every 4th one cancelled."""
    requests = []
    now = timezone.now()
    for day in range(23, 0, -1):
        request = make_partner_request(technician=technician, organism=organism)
        PartnerRequest.objects.filter(pk=request.pk).update(
            created_at=now - datetime.timedelta(days=day)
        )
        requests.append(request)
    for request in requests[1::4]:
        case_move(case=request, move="cancel", by=technician, reason="autre")
    return [r for r in requests if r not in requests[1::4]]


def test_filing_numbers_the_requests_one_after_the_other(filed, convention):
    everything = PartnerRequest.objects.filter(structure=convention.structure)
    assert sorted(everything.values_list("position", flat=True)) == list(range(1, 24))
    counter = ConventionCounter.objects.get(convention=convention)
    assert (counter.filed_requests, counter.listed_requests) == (23, 17)


# Pages near the top are read from the index in order; deeper ones by counting the cancelled
# requests (`direct_up_to=0` takes that path at this test's size).
@pytest.mark.parametrize("direct_up_to", [1000, 0], ids=["read-in-order", "counted"])
@pytest.mark.parametrize("size", [10, 25])
@pytest.mark.parametrize("order", ["desc", "asc"])
def test_every_page_of_the_filing_order_skips_the_cancelled_requests(
    partner_client, filed, size, order, direct_up_to, monkeypatch
):
    monkeypatch.setattr(partner_selectors, "DIRECT_UP_TO", direct_up_to)
    expected = [r.number for r in (filed[::-1] if order == "desc" else filed)]
    shown = []
    for page in range(1, (len(filed) + size - 1) // size + 1):
        shown += _shown_numbers(partner_client, {"taille": size, "ordre": order, "page": page})
    assert shown == expected


def test_a_request_cancelled_between_two_visits_leaves_the_deep_pages_at_once(
    partner_client, filed, technician, monkeypatch
):
    # The cancelled requests' positions are kept in the cache: a cancel must change what the
    # next visit reads, not an hour later.
    monkeypatch.setattr(partner_selectors, "DIRECT_UP_TO", 0)
    ascending = {"taille": 10, "ordre": "asc", "page": 2}
    descending = {"taille": 10, "ordre": "desc", "page": 2}
    assert _shown_numbers(partner_client, ascending) == [r.number for r in filed[10:]]
    assert _shown_numbers(partner_client, descending) == [r.number for r in filed[::-1][10:]]

    # One near each end of the list: either end may be the one counted from.
    for gone in (filed[1], filed[-2]):
        case_move(case=gone, move="cancel", by=technician, reason="autre")

    remaining = [r for r in filed if r not in (filed[1], filed[-2])]
    assert _shown_numbers(partner_client, ascending) == [r.number for r in remaining[10:]]
    assert _shown_numbers(partner_client, descending) == [r.number for r in remaining[::-1][10:]]


@pytest.mark.parametrize("direct_up_to", [1000, 0], ids=["read-in-order", "counted"])
def test_a_period_is_counted_and_paged_by_the_filing_order(
    partner_client, filed, direct_up_to, monkeypatch
):
    monkeypatch.setattr(partner_selectors, "DIRECT_UP_TO", direct_up_to)
    today = timezone.localdate()
    start = (today - datetime.timedelta(days=15)).strftime("%d/%m/%Y")
    end = (today - datetime.timedelta(days=4)).strftime("%d/%m/%Y")
    inside = [
        r
        for r in filed
        if today - datetime.timedelta(days=15)
        <= timezone.localdate(PartnerRequest.objects.get(pk=r.pk).created_at)
        <= today - datetime.timedelta(days=4)
    ]

    first = _text(partner_client.get(PARTNERS, {"du": start, "au": end, "taille": 10}))
    ascending = _shown_numbers(partner_client, {"du": start, "au": end, "ordre": "asc"})

    assert len(inside) == 9
    assert f"{len(inside)} demandes" in first
    assert _numbers(first) == [r.number for r in inside[::-1]]
    assert ascending == [r.number for r in inside]


@pytest.mark.parametrize("direct_up_to", [1000, 0], ids=["direct", "keyed"])
def test_other_sorts_and_filters_read_their_pages_from_their_index(
    partner_client, technician, organism, convention, monkeypatch, direct_up_to
):
    monkeypatch.setattr(lists, "DIRECT_UP_TO", direct_up_to)
    names = ["ZOLA", "ABADIE", "MARTIN", "DURAND", "BERNARD", "PETIT"] * 3
    for i, name in enumerate(names):
        make_partner_request(
            technician=technician, organism=organism, service=Service.CASE_STUDY,
            motif="etude_c2s", person={**PERSON, "last_name": name, "first_name": f"Anne{i:02d}"},
        )  # fmt: skip
    wanted = sorted(
        PartnerRequest.objects.filter(structure=convention.structure).values_list(
            "last_name", "position", "number"
        )
    )
    shown = []
    for page in (1, 2):
        shown += _shown_numbers(
            partner_client, {"tri": "personne", "ordre": "asc", "taille": 10, "page": page}
        )
    assert shown == [number for _name, _position, number in wanted]


def test_the_person_is_found_without_accents_or_case(
    partner_client, technician, organism, convention
):
    josephine = make_partner_request(
        technician=technician, organism=organism,
        person={**PERSON, "last_name": "TUTU", "first_name": "Joséphine"},
    )  # fmt: skip
    make_partner_request(
        technician=technician, organism=organism,
        person={**PERSON, "last_name": "PRINCE", "first_name": "Marius"},
    )  # fmt: skip

    for typed in ("josephine", "JOSÉPHINE", "tutu joséphine", "Tutu"):
        assert _shown_numbers(partner_client, {"personne": typed}) == [josephine.number]


def test_a_person_search_in_a_period_is_paged_and_counted(partner_client, filed):
    # Every request of `filed` concerns the same person: searched within a period, the pages
    # are those of the period, the cancelled requests left out, both ways.
    today = timezone.localdate()
    start = (today - datetime.timedelta(days=20)).strftime("%d/%m/%Y")
    inside = [
        r.number
        for r in filed
        if timezone.localdate(PartnerRequest.objects.get(pk=r.pk).created_at)
        >= today - datetime.timedelta(days=20)
    ]
    query = {"personne": "Josephine", "du": start, "taille": 10}

    first = _text(partner_client.get(PARTNERS, query))
    newest_first = _numbers(first) + _shown_numbers(partner_client, {**query, "page": 2})
    oldest_first = _shown_numbers(partner_client, {**query, "ordre": "asc"}) + _shown_numbers(
        partner_client, {**query, "ordre": "asc", "page": 2}
    )

    assert len(inside) == 15
    assert f"{len(inside)} demandes" in first
    assert newest_first == inside[::-1]
    assert oldest_first == inside


def test_the_person_search_follows_each_request_filed_cancelled_or_deleted(
    partner_client, technician, organism, convention
):
    def filed_for(last_name, first_name):
        return make_partner_request(
            technician=technician, organism=organism,
            person={**PERSON, "last_name": last_name, "first_name": first_name},
        )  # fmt: skip

    def searched(typed):
        page = _text(partner_client.get(PARTNERS, {"personne": typed}))
        return _numbers(page), page

    twice = filed_for("MARTIN", "Martine")  # two words beginning with "mart": found once
    other = filed_for("MARTINEZ", "Paul")
    filed_for("TUTU", "Joséphine")

    found, page = searched("mart")
    assert found == [other.number, twice.number]
    assert "2 demandes" in page

    case_move(case=twice, move="cancel", by=technician, reason="autre")
    assert searched("mart")[0] == [other.number]

    other.delete()
    found, page = searched("mart")
    assert found == []
    assert "Aucune demande ne correspond à vos critères." in page

    # Written in one statement (a bulk load): found as well.
    latest = PartnerRequest.objects.get(last_name="TUTU")
    PartnerRequest.objects.bulk_create(
        [
            PartnerRequest(
                **{
                    field.attname: getattr(latest, field.attname)
                    for field in PartnerRequest._meta.concrete_fields
                    if field.attname
                    not in ("id", "number", "position", "last_name", "person_search")
                },
                number=f"{latest.number[:-1]}9",
                position=latest.position + 1,
                last_name="MARTINO",
                person_search="martino josephine",
            )
        ]
    )
    assert searched("martino")[0] == [f"{latest.number[:-1]}9"]


def _member_references(client, query) -> list[str]:
    page = _text(client.get(MEMBERS, query))
    return list(dict.fromkeys(re.findall(r"DEM-\d{4}-\d{6}", page)))


def test_a_members_search_ignores_accents_and_case(client, member):
    from tests.test_access_matrix import _sign_in

    soft = member_request_submit(
        member=member, kind="soft_medicine", by=member.user, topic_label="Ostéopathie",
        message="Séance du 3 mars.",
    )  # fmt: skip
    member_request_submit(member=member, kind="question", by=member.user, message="Ma carte")
    _sign_in(client, member.user)

    for typed in ("osteopathie", "OSTÉOPATHIE", "seance du 3", soft.reference.lower()):
        assert _member_references(client, {"recherche": typed}) == [soft.reference], typed
    assert _member_references(client, {"recherche": "osteo"}) == [soft.reference]
    page = _text(client.get("/messagerie/", {"recherche": "ostéopathie"}))
    assert soft.reference in page


@pytest.mark.parametrize("direct_up_to", [1000, 0], ids=["direct", "keyed"])
def test_a_members_filtered_pages_are_read_from_their_index(
    client, member, monkeypatch, direct_up_to
):
    from tests.test_access_matrix import _sign_in

    monkeypatch.setattr(lists, "DIRECT_UP_TO", direct_up_to)
    sent = [
        member_request_submit(member=member, kind="question", by=member.user, message=f"n{i}")
        for i in range(15)
    ]
    _sign_in(client, member.user)

    shown = _member_references(client, {"statut": "new", "page": 1}) + _member_references(
        client, {"statut": "new", "page": 2}
    )
    assert shown == [r.reference for r in sent[::-1]]


def test_a_members_last_page_is_the_oldest_requests(client, member):
    from tests.test_access_matrix import _sign_in

    sent = [
        member_request_submit(member=member, kind="question", by=member.user, message=f"n{i}")
        for i in range(23)
    ]
    _sign_in(client, member.user)

    assert _member_references(client, {"page": 3}) == [r.reference for r in sent[2::-1]]
    assert _member_references(client, {"page": 2, "taille": 10}) == [
        r.reference for r in sent[12:2:-1]
    ]


def test_a_large_filtered_total_is_an_estimate_and_says_so(
    partner_client, technician, organism, convention, monkeypatch
):
    # More than a page (a first page holding the whole answer needs no count at all).
    for _ in range(12):
        make_partner_request(technician=technician, organism=organism)
    monkeypatch.setattr(lists, "EXACT_UP_TO", 3)

    page = _text(partner_client.get(PARTNERS, {"statut": "new"}))

    if connection.vendor == "postgresql":
        assert re.search(r"environ \d+ demandes", page)
    else:
        # Without a planner to ask, the rows are counted.
        assert "12 demandes" in page and "environ" not in page


def test_a_search_that_fits_one_page_is_not_counted_and_a_filter_is_counted_with_its_rows(
    partner_client, technician, organism, convention
):
    for _ in range(12):
        make_partner_request(technician=technician, organism=organism)
    wanted = make_partner_request(technician=technician, organism=organism)

    with CaptureQueriesContext(connection) as one_page:
        found = _text(partner_client.get(PARTNERS, {"numero": wanted.number[-6:]}))
    with CaptureQueriesContext(connection) as two_pages:
        listed = _text(partner_client.get(PARTNERS, {"statut": "new"}))

    def requests_read(captured) -> list[str]:
        return [
            query["sql"].upper()
            for query in captured.captured_queries
            if "PARTNERS_PARTNERREQUEST" in query["sql"].upper()
        ]

    assert _numbers(found) == [wanted.number]
    assert "1 demande" in found
    # The search read its rows (one more than a page, or up to EXACT_UP_TO counted with them
    # on PostgreSQL) and nothing else.
    assert len(requests_read(one_page)) == 1
    # A longer answer is counted too, up to EXACT_UP_TO, by the first page's query itself.
    assert "13 demandes" in listed and len(_numbers(listed)) == 10
    (filtered,) = requests_read(two_pages)
    assert "COUNT(" in filtered


def test_a_search_longer_than_a_page_is_counted(partner_client, technician, organism, convention):
    wanted = [
        make_partner_request(
            technician=technician,
            organism=organism,
            person={**PERSON, "last_name": "LÉGER", "first_name": f"Anne{i:02d}"},
        )  # fmt: skip
        for i in range(13)
    ]
    make_partner_request(technician=technician, organism=organism)

    first = _text(partner_client.get(PARTNERS, {"personne": "leger", "taille": 10}))
    second = _text(partner_client.get(PARTNERS, {"personne": "leger", "taille": 10, "page": 2}))
    by_person = _text(
        partner_client.get(PARTNERS, {"personne": "leger", "tri": "personne", "ordre": "asc"})
    )

    assert "13 demandes" in first and "environ" not in first
    assert _numbers(first) + _numbers(second) == [r.number for r in wanted[::-1]]
    assert _numbers(by_person) == [r.number for r in wanted[:10]]


# The sorts whose keys never change read a deep page from the landmark before it (every
# LANDMARK_STEP-th request of their order, kept in the cache): 3 here, so that the 14 requests
# below have several, and every page past the first row is read that way.
LANDMARK_SORTS = {
    "numero": ["number"],
    "ods": ["service_rank"],
    "motif": ["motif_rank"],
    "demandeur": ["requester_name"],
    "personne": ["last_name", "first_name"],
}


@pytest.fixture
def landmarked(technician, organism, convention, monkeypatch):
    """14 requests of three ODS and a few people (some alike), two of them cancelled, read from
    landmarks 3 requests apart."""
    monkeypatch.setattr(partner_selectors, "DIRECT_UP_TO", 0)
    monkeypatch.setattr(partner_selectors, "LANDMARK_STEP", 3)
    names = ["ZOLA", "abadie", "MARTIN", "Émery", "MARTIN", "DURAND", "BERNARD"] * 2
    services = [Service.CASE_STUDY, Service.DIFFICULTY, Service.DOCUMENT]
    requests = [
        make_partner_request(
            technician=technician,
            organism=organism,
            service=services[i % 3],
            person={**PERSON, "last_name": name, "first_name": f"Anne{i % 4}"},
        )  # fmt: skip
        for i, name in enumerate(names)
    ]
    for request in (requests[2], requests[9]):
        case_move(case=request, move="cancel", by=technician, reason="autre")
    return requests


def _listed_in_order(structure, keys) -> list[str]:
    listed = PartnerRequest.objects.filter(structure=structure).exclude(status="cancelled")
    return list(listed.order_by(*keys, "position").values_list("number", flat=True))


def _every_page(client, query, size) -> list[str]:
    """The numbers of pages 1 and 2 (the whole list at these sizes)."""
    shown = []
    for page in (1, 2):
        shown += _shown_numbers(client, {**query, "taille": size, "page": page})
    return shown


@pytest.mark.parametrize("sort", LANDMARK_SORTS)
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_deep_pages_of_a_sort_are_read_from_its_landmarks(
    partner_client, landmarked, convention, sort, order
):
    expected = _listed_in_order(convention.structure, LANDMARK_SORTS[sort])
    if order == "desc":
        expected = expected[::-1]

    assert len(expected) == 12
    assert _every_page(partner_client, {"tri": sort, "ordre": order}, 10) == expected
    # The last page holds only what is left, from either end.
    assert (
        _shown_numbers(partner_client, {"tri": sort, "ordre": order, "taille": 5, "page": 3})
        == expected[10:]
    )


def test_a_request_filed_or_cancelled_between_two_visits_moves_the_landmarks_at_once(
    partner_client, landmarked, technician, organism, convention
):
    query = {"tri": "personne", "ordre": "asc"}
    keys = LANDMARK_SORTS["personne"]
    assert _every_page(partner_client, query, 10) == _listed_in_order(convention.structure, keys)

    case_move(case=landmarked[0], move="cancel", by=technician, reason="autre")
    make_partner_request(
        technician=technician, organism=organism,
        person={**PERSON, "last_name": "AARON", "first_name": "Paul"},
    )  # fmt: skip

    expected = _listed_in_order(convention.structure, keys)
    assert landmarked[0].number not in expected
    assert _every_page(partner_client, query, 10) == expected


def test_a_members_search_matches_percent_and_underscore_as_typed(client, member):
    from tests.test_access_matrix import _sign_in

    def sent(message):
        return member_request_submit(
            member=member, kind="question", by=member.user, message=message
        )

    discount = sent("Remise de 100% sur la facture")
    sent("Remise de 1000 euros")
    code = sent("Le code a_b est refusé")
    sent("Le code axb est accepté")
    _sign_in(client, member.user)

    # Neither "%" nor "_" is a wildcard for the person searching.
    assert _member_references(client, {"recherche": "100%"}) == [discount.reference]
    assert _member_references(client, {"recherche": "a_b"}) == [code.reference]


def _member_requests_read(captured) -> list[str]:
    return [
        query["sql"]
        for query in captured.captured_queries
        if "requests_app_memberrequest" in query["sql"].replace('"', "")
        and "UPDATE" not in query["sql"]
    ]


@pytest.mark.parametrize(
    "query",
    [{"page": 2}, {"page": 3}, {"statut": "new", "page": 2}, {"recherche": "suivi", "page": 2}],
    ids=["page", "last-page", "filtered", "searched"],
)
def test_a_members_page_reads_its_rows_and_its_total_in_one_query(client, member, query):
    from tests.test_access_matrix import _sign_in

    sent = [
        member_request_submit(member=member, kind="question", by=member.user, message=f"suivi {i}")
        for i in range(23)
    ]
    _sign_in(client, member.user)

    with CaptureQueriesContext(connection) as captured:
        page = _text(client.get(MEMBERS, query))
    requests_read = _member_requests_read(captured)  # before the next page resets the log

    expected = [r.reference for r in sent[::-1]][(query["page"] - 1) * 10 :][:10]
    assert _member_references(client, query) == expected
    assert "23 demandes" in page
    assert len(requests_read) == 1, requests_read


def test_a_members_page_past_the_last_shows_the_last_with_a_notice(client, member):
    from tests.test_access_matrix import _sign_in

    sent = [
        member_request_submit(member=member, kind="question", by=member.user, message=f"n{i}")
        for i in range(12)
    ]
    _sign_in(client, member.user)

    for query in ({"page": 7}, {"statut": "new", "page": 7}):
        page = _text(client.get(MEMBERS, query))
        assert "La page demandée n'existe pas : voici la page 2." in page
        assert _member_references(client, query) == [r.reference for r in sent[1::-1]]


def test_a_members_large_filtered_total_is_an_estimate_and_says_so(client, member, monkeypatch):
    from requests_app import selectors as member_selectors
    from tests.test_access_matrix import _sign_in

    for i in range(12):
        member_request_submit(member=member, kind="question", by=member.user, message=f"n{i}")
    monkeypatch.setattr(lists, "EXACT_UP_TO", 3)
    monkeypatch.setattr(member_selectors, "EXACT_UP_TO", 3)
    _sign_in(client, member.user)

    page = _text(client.get(MEMBERS, {"statut": "new"}))

    if connection.vendor == "postgresql":
        assert re.search(r"environ \d+ demandes", page)
    else:
        # Without a planner to ask, the requests are counted.
        assert "12 demandes" in page and "environ" not in page
