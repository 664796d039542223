"""Historique des demandes (guide 001, VI.1): the structure's requests at the selected organism,
the filter bar (count, pages, page size, filters, sorts) and what bad parameters do."""

import datetime
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from casework.services import case_move
from partners.catalogue import Service, motif_ranks, service_ranks
from partners.models import Convention, ConventionCounter, PartnerRequest, PartnerRequestStatus
from tests.factories import (
    PERSON,
    ConventionFactory,
    OrganismFactory,
    make_partner_request,
    make_partner_user,
)

pytestmark = pytest.mark.django_db

URL = "/partenaires/historique/"
PARIS = ZoneInfo("Europe/Paris")


# -- Helpers ------------------------------------------------------------------------------------
def page_text(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def numbers_in(page: str) -> list[str]:
    """The request numbers listed, in the order shown (each card links to its detail)."""
    return re.findall(r'href="/partenaires/historique/(\d{10})/"', page)


def field_error(page: str, name: str) -> str:
    match = re.search(rf'<ul class="errors" id="id_{name}_error">(.*?)</ul>', page, re.S)
    return match.group(1) if match else ""


def filed(technician, organism, *, at=None, person=None, **kwargs):
    """A request filed through the service, then dated `at` (Europe/Paris) if given."""
    if person is not None:
        kwargs["person"] = {**PERSON, **person}
    request = make_partner_request(technician=technician, organism=organism, **kwargs)
    if at is not None:
        when = at.replace(tzinfo=PARIS)
        PartnerRequest.objects.filter(pk=request.pk).update(created_at=when, status_changed_at=when)
        renumber(request.structure_id, request.organism_id)
        request.refresh_from_db()
    return request


def renumber(structure_id, organism_id):
    """Dated behind the services' back: the filing order follows the dates again, as filing
    would have made it."""
    mine = PartnerRequest.objects.filter(structure_id=structure_id, organism_id=organism_id)
    mine.update(position=F("position") + 1_000_000)
    for rank, pk in enumerate(mine.order_by("created_at", "pk").values_list("pk", flat=True), 1):
        PartnerRequest.objects.filter(pk=pk).update(position=rank)


def take(request, manager):
    case_move(case=request, move="take", by=manager)


def resolve(request, manager, text="C'est fait."):
    """Taken in charge, then answered (a new request cannot be resolved straight away)."""
    take(request, manager)
    case_move(case=request, move="resolve", by=manager, text=text)


def bulk_requests(technician, organism, count):
    """`count` requests written at once (numbers 9900000001...), for the pages' tests."""
    now = timezone.now()
    convention = Convention.objects.get(
        structure=technician.partner_membership.structure, organism=organism
    )
    ConventionCounter.objects.get_or_create(convention=convention)
    filed_before = ConventionCounter.objects.get(convention=convention).filed_requests
    PartnerRequest.objects.bulk_create(
        PartnerRequest(
            number=f"99{organism.code}{i:05d}",
            organism=organism,
            structure=technician.partner_membership.structure,
            requester=technician,
            requester_name=f"{technician.last_name.upper()} {technician.first_name}",
            service=Service.CASE_STUDY,
            service_rank=service_ranks()[Service.CASE_STUDY],
            motif="ame",
            motif_rank=motif_ranks()[(Service.CASE_STUDY, "ame")],
            civility="MME",
            last_name=f"PERSONNE{i:03d}",
            first_name="Anne",
            person_search=f"personne{i:03d} anne",
            # The oldest first: i counts back in time.
            position=filed_before + count + 1 - i,
            comment="Un long commentaire. " * 50,
            status=PartnerRequestStatus.NEW,
            created_at=now - datetime.timedelta(minutes=i),
            status_changed_at=now - datetime.timedelta(minutes=i),
        )
        for i in range(1, count + 1)
    )
    # Written behind the services' back: keep the convention's counts as they would.
    ConventionCounter.objects.filter(convention=convention).update(
        listed_requests=F("listed_requests") + count, filed_requests=F("filed_requests") + count
    )


# -- The list -----------------------------------------------------------------------------------
def test_it_lists_the_structures_requests_newest_first(partner_client, technician, organism):
    first = filed(technician, organism, at=datetime.datetime(2024, 1, 10, 9, 0))
    third = filed(technician, organism, at=datetime.datetime(2024, 3, 10, 9, 0))
    second = filed(technician, organism, at=datetime.datetime(2024, 2, 10, 9, 0))

    page = page_text(partner_client.get(URL))

    assert numbers_in(page) == [third.number, second.number, first.number]


def test_it_includes_the_requests_of_the_other_technicians_of_the_structure(
    partner_client, technician, partner_manager, organism
):
    mine = filed(technician, organism)
    colleague = filed(partner_manager, organism)

    page = page_text(partner_client.get(URL))

    assert set(numbers_in(page)) == {mine.number, colleague.number}


def test_it_leaves_out_other_structures_other_organisms_and_cancelled_requests(
    partner_client, technician, other_technician, structure, organism
):
    shown = filed(technician, organism)
    ConventionFactory(structure=other_technician.partner_membership.structure, organism=organism)
    theirs = filed(other_technician, organism)
    elsewhere = OrganismFactory(name="CPAM LANDES", code="401")
    ConventionFactory(structure=structure, organism=elsewhere)
    other_organism = filed(technician, elsewhere)
    cancelled = filed(technician, organism)
    case_move(case=cancelled, move="cancel", by=technician, reason="autre")

    page = page_text(partner_client.get(URL))

    assert numbers_in(page) == [shown.number]
    for hidden in (theirs, other_organism, cancelled):
        assert hidden.number not in page
    assert "1 demande" in page


def test_each_card_follows_the_guide(partner_client, technician, organism):
    technician.last_name, technician.first_name = "Chausson", "Victor"
    technician.save()
    request = filed(technician, organism, at=datetime.datetime(2022, 2, 2, 16, 26))

    page = page_text(partner_client.get(URL))

    card = re.search(r'<li class="ph-card">.*?</li>', page, re.S).group(0)
    assert "Soumettre une demande d'étude de dossier" in card
    assert re.search(r'class="badge badge-new">.*Nouveau</span>', card)
    assert "ph-icon-star" in card and request.number in card  # ★
    assert "ph-icon-clock" in card and "02/02/2022 16h26min" in card, "the date is in Paris time"
    assert "Demandeur : CHAUSSON Victor" in card
    assert "Personne concernée : Madame TUTU Joséphine" in card
    assert f'href="/partenaires/historique/{request.number}/"' in card
    assert "Consulter le détail" in card


def test_a_request_without_a_person_concerned_shows_none(partner_client, technician, organism):
    filed(technician, organism, service=Service.CONTACT)

    page = page_text(partner_client.get(URL))

    assert "Contacter votre organisme d'assurance Maladie" in page
    assert "Personne concernée :" not in page


def test_the_total_and_the_pages_are_shown_above_and_below(partner_client, technician, organism):
    bulk_requests(technician, organism, 12)

    page = page_text(partner_client.get(URL))

    assert page.count("12 demandes") == 2
    assert page.count("Page 1 sur 2") == 2
    assert len(numbers_in(page)) == 10
    second = page_text(partner_client.get(URL, {"page": "2"}))
    assert len(numbers_in(second)) == 2
    assert "Page 2 sur 2" in second


def test_the_pages_keep_the_filters(partner_client, technician, organism):
    bulk_requests(technician, organism, 30)

    page = page_text(partner_client.get(URL, {"statut": "new", "taille": "25"}))

    assert "?statut=new&taille=25&page=2" in page
    assert "Page 1 sur 2" in page


@pytest.mark.parametrize("size", [10, 25, 50, 100])
def test_the_page_size_can_be_chosen(partner_client, technician, organism, size):
    bulk_requests(technician, organism, 101)

    page = page_text(partner_client.get(URL, {"taille": str(size)}))

    assert len(numbers_in(page)) == size
    assert "101 demandes" in page


def test_an_empty_history_says_so(partner_client):
    page = page_text(partner_client.get(URL))

    assert "Aucune demande n'a encore été déposée par votre structure auprès de cet organisme." in (
        page
    )
    assert numbers_in(page) == []


def test_the_history_stays_readable_once_the_convention_ended_with_open_requests(
    partner_client, technician, organism, convention
):
    request = filed(technician, organism)
    convention.start_date = timezone.localdate() - datetime.timedelta(days=400)
    convention.end_date = timezone.localdate() - datetime.timedelta(days=2)
    convention.save()

    page = page_text(partner_client.get(URL))

    assert numbers_in(page) == [request.number]


def test_the_history_stays_readable_after_the_end_while_the_answers_may_be_read(
    partner_client, technician, organism, convention, organism_manager
):
    request = filed(technician, organism)
    resolve(request, organism_manager)
    convention.start_date = timezone.localdate() - datetime.timedelta(days=400)
    convention.end_date = timezone.localdate() - datetime.timedelta(days=2)
    convention.save()

    page = page_text(partner_client.get(URL))

    assert numbers_in(page) == [request.number]


# -- Filters ------------------------------------------------------------------------------------
def test_it_filters_by_status(partner_client, technician, organism, organism_manager):
    new = filed(technician, organism)
    taken = filed(technician, organism)
    take(taken, organism_manager)
    resolved = filed(technician, organism)
    resolve(resolved, organism_manager)
    awaiting = filed(technician, organism)
    take(awaiting, organism_manager)
    case_move(case=awaiting, move="ask", by=organism_manager, text="Il manque le RIB.")

    assert '<option value="awaiting">En attente de complément</option>' in page_text(
        partner_client.get(URL)
    )
    assert numbers_in(page_text(partner_client.get(URL, {"statut": "new"}))) == [new.number]
    assert numbers_in(page_text(partner_client.get(URL, {"statut": "awaiting"}))) == [
        awaiting.number
    ]
    assert numbers_in(page_text(partner_client.get(URL, {"statut": "in_progress"}))) == [
        taken.number
    ]
    assert numbers_in(page_text(partner_client.get(URL, {"statut": "resolved"}))) == [
        resolved.number
    ]


def test_it_filters_by_offer_of_service(partner_client, technician, organism):
    study = filed(technician, organism, service=Service.CASE_STUDY)
    document = filed(technician, organism, service=Service.DOCUMENT)

    page = page_text(partner_client.get(URL, {"ods": str(Service.DOCUMENT.value)}))

    assert numbers_in(page) == [document.number]
    assert study.number not in page


def test_it_filters_by_motif_within_its_offer_of_service(partner_client, technician, organism):
    c2s = filed(technician, organism, service=Service.CASE_STUDY, motif="etude_c2s")
    filed(technician, organism, service=Service.CASE_STUDY, motif="ame")
    filed(technician, organism, service=Service.APPOINTMENT, motif="c2s")

    page = page_text(partner_client.get(URL, {"motif": "4-etude_c2s"}))

    assert numbers_in(page) == [c2s.number]


def test_the_motif_filter_finds_every_document_asked_for(partner_client, technician, organism):
    both = filed(
        technician, organism, service=Service.DOCUMENT, documents=["attestation_droits", "ceam"]
    )
    filed(technician, organism, service=Service.DOCUMENT, documents=["carte_vitale"])

    page = page_text(partner_client.get(URL, {"motif": "5-ceam"}))

    assert numbers_in(page) == [both.number]


def test_it_filters_by_requester(partner_client, technician, partner_manager, organism):
    filed(technician, organism)
    theirs = filed(partner_manager, organism)

    page = page_text(partner_client.get(URL, {"demandeur": str(partner_manager.pk)}))

    assert numbers_in(page) == [theirs.number]
    assert f'<option value="{technician.pk}">' in page, "every account of the structure is offered"


def test_the_requesters_offered_follow_the_structures_accounts(
    partner_client, technician, partner_manager, structure, organism
):
    def offered() -> list[str]:
        page = page_text(partner_client.get(URL))
        start = page.index('name="demandeur"')
        select = page[start : page.index("</select>", start)]
        return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)

    filed(technician, organism)
    first = offered()
    partner_manager.last_name = "Zumsteeg"
    partner_manager.save()
    renamed = offered()
    newcomer = make_partner_user(
        User.Role.TECHNICIAN, structure, first_name="Yann", last_name="Abgrall"
    )
    joined = offered()
    newcomer.partner_membership.delete()

    assert "ZUMSTEEG Hélène" not in first
    assert (len(renamed), renamed[-1]) == (len(first), "ZUMSTEEG Hélène")
    assert joined[0] == "ABGRALL Yann"
    assert "ABGRALL Yann" not in offered()


def test_it_searches_the_person_concerned_by_name_or_first_name(
    partner_client, technician, organism
):
    tutu = filed(technician, organism, person={"last_name": "TUTU", "first_name": "Joséphine"})
    prince = filed(technician, organism, person={"last_name": "PRINCE", "first_name": "Marius"})

    assert numbers_in(page_text(partner_client.get(URL, {"personne": "prince"}))) == [prince.number]
    assert numbers_in(page_text(partner_client.get(URL, {"personne": "José"}))) == [tutu.number]
    assert numbers_in(page_text(partner_client.get(URL, {"personne": "Marius PRINCE"}))) == [
        prince.number
    ]


def test_the_person_search_keeps_to_the_structure_and_the_organism(
    partner_client, technician, other_technician, structure, organism
):
    # The same person everywhere: searched, only this history's request comes back (the
    # search's index is keyed by structure and organism, and the query has no other scope).
    person = {"last_name": "TUTU", "first_name": "Joséphine"}
    shown = filed(technician, organism, person=person)
    ConventionFactory(structure=other_technician.partner_membership.structure, organism=organism)
    theirs = filed(other_technician, organism, person=person)
    elsewhere = OrganismFactory(name="CPAM LANDES", code="401")
    ConventionFactory(structure=structure, organism=elsewhere)
    other_organism = filed(technician, elsewhere, person=person)
    cancelled = filed(technician, organism, person=person)
    case_move(case=cancelled, move="cancel", by=technician, reason="autre")

    page = page_text(partner_client.get(URL, {"personne": "tutu"}))

    assert numbers_in(page) == [shown.number]
    for hidden in (theirs, other_organism, cancelled):
        assert hidden.number not in page


def test_a_person_typed_as_punctuation_only_gets_a_message(partner_client, technician, organism):
    filed(technician, organism)

    page = page_text(partner_client.get(URL, {"personne": "- ' -"}))

    assert "Saisissez au moins une lettre du nom ou du prénom." in page
    assert 'name="personne" value="- \' -"' in page  # what was typed stays in the box


def test_the_person_search_finds_the_beginnings_of_words(partner_client, technician, organism):
    compound = filed(
        technician, organism, person={"last_name": "DE LA FONTAINE", "first_name": "Jean-Pierre"}
    )
    filed(technician, organism, person={"last_name": "MARTIN", "first_name": "Pierrette"})

    def found(typed):
        return numbers_in(page_text(partner_client.get(URL, {"personne": typed})))

    assert found("fontaine") == [compound.number]
    assert found("jean-pierre") == [compound.number]
    assert found("pierre fontaine") == [compound.number]
    assert found("font jea") == [compound.number]
    # A word is found from its beginning, not from its middle.
    assert found("ontaine") == []
    assert len(found("pierre")) == 2


def test_it_filters_by_days_of_filing_in_europe_paris(partner_client, technician, organism):
    # 00h30 on the 10th in Paris is still the 9th in UTC: the days are Paris's.
    late = filed(technician, organism, at=datetime.datetime(2024, 1, 9, 23, 30))
    early = filed(technician, organism, at=datetime.datetime(2024, 1, 10, 0, 30))
    later = filed(technician, organism, at=datetime.datetime(2024, 1, 20, 12, 0))

    def listed(**params):
        return numbers_in(page_text(partner_client.get(URL, params)))

    assert listed(du="10/01/2024") == [later.number, early.number]
    assert listed(au="09/01/2024") == [late.number]
    assert listed(du="10/01/2024", au="10/01/2024") == [early.number]
    assert listed(du="2024-01-20") == [later.number], "ISO days (autofill) are read too"


def test_it_finds_a_request_by_its_number_or_part_of_it(partner_client, technician, organism):
    first = filed(technician, organism)
    second = filed(technician, organism)

    assert numbers_in(page_text(partner_client.get(URL, {"numero": second.number}))) == [
        second.number
    ]
    assert numbers_in(page_text(partner_client.get(URL, {"numero": first.number[-5:]}))) == [
        first.number
    ]
    spaced = f"{first.number[:5]} {first.number[5:]}"
    assert numbers_in(page_text(partner_client.get(URL, {"numero": spaced}))) == [first.number]


def test_a_part_of_a_number_finds_only_this_historys_requests(
    partner_client, technician, other_technician, organism
):
    mine = [filed(technician, organism) for _ in range(3)]
    ConventionFactory(structure=other_technician.partner_membership.structure, organism=organism)
    theirs = filed(other_technician, organism)

    def found(typed):
        return numbers_in(page_text(partner_client.get(URL, {"numero": typed})))

    # The organism's code and the year: every request of the organism has them.
    assert found(mine[0].number[:5]) == [r.number for r in mine[::-1]]
    assert found(mine[1].number[-3:]) == [mine[1].number]
    assert found(mine[2].number[-2:]) == [mine[2].number]
    assert theirs.number not in " ".join(found(theirs.number[-5:]))


def test_a_filter_without_result_says_so(partner_client, technician, organism):
    filed(technician, organism)

    page = page_text(partner_client.get(URL, {"personne": "Personne"}))

    assert numbers_in(page) == []
    assert "Aucune demande ne correspond à vos critères." in page
    assert "Effacer les filtres" in page


# -- Sorts --------------------------------------------------------------------------------------
@pytest.fixture
def three_requests(technician, partner_manager, organism, organism_manager):
    """Three requests whose every criterion sorts them differently from the date."""
    technician.last_name, technician.first_name = "Bernard", "Zoé"
    technician.save()
    partner_manager.last_name, partner_manager.first_name = "Abel", "Hélène"
    partner_manager.save()
    # Filed oldest to newest: a, b, c.
    a = filed(
        technician, organism, at=datetime.datetime(2024, 1, 1, 9, 0),
        service=Service.DIFFICULTY, motif="urgence", person={"last_name": "MARTIN"},
    )  # fmt: skip
    b = filed(
        partner_manager, organism, at=datetime.datetime(2024, 2, 1, 9, 0),
        service=Service.DOCUMENT, documents=["ceam"], person={"last_name": "DURAND"},
    )  # fmt: skip
    c = filed(
        technician, organism, at=datetime.datetime(2024, 3, 1, 9, 0),
        service=Service.CASE_STUDY, motif="aide_financiere", person={"last_name": "ZOLA"},
    )  # fmt: skip
    # Statuses: a resolved, b new, c taken in charge; status dates: c, then a, then b... set by
    # hand so they differ from the filing dates.
    resolve(a, organism_manager, "Fait.")
    take(c, organism_manager)
    for request, day in ((a, 20), (b, 25), (c, 15)):
        PartnerRequest.objects.filter(pk=request.pk).update(
            status_changed_at=datetime.datetime(2024, 4, day, 9, 0, tzinfo=PARIS)
        )
    # Numbers: b < c < a (given by hand: the sequence would follow the filing order).
    numbers = {"b": "9933100001", "c": "9933100002", "a": "9933100003"}
    for key, request in (("a", a), ("b", b), ("c", c)):
        PartnerRequest.objects.filter(pk=request.pk).update(number=numbers[key])
    return numbers


@pytest.mark.parametrize(
    ("sort", "ascending"),
    [
        ("date", "abc"),
        ("numero", "bca"),
        # Nouveau, Pris en charge, Résolu.
        ("statut", "bca"),
        # "Demander un document", "Signaler...", "Soumettre..." (A-Z of the words shown).
        ("ods", "bac"),
        # "Certificat provisoire CEAM", "Demande d'aide financière", "Situation d'urgence".
        ("motif", "bca"),
        # ABEL Hélène, then BERNARD Zoé (a and c: among equals, the order of filing, the
        # oldest first going up, as "Croissant (A-Z, du plus ancien au plus récent)" says).
        ("demandeur", "bac"),
        # DURAND, MARTIN, ZOLA.
        ("personne", "bac"),
        # 15 (c), 20 (a), 25 (b) April.
        ("date_statut", "cab"),
    ],
)
def test_each_criterion_sorts_both_ways(partner_client, three_requests, sort, ascending):
    expected = [three_requests[key] for key in ascending]

    up = numbers_in(page_text(partner_client.get(URL, {"tri": sort, "ordre": "asc"})))
    down = numbers_in(page_text(partner_client.get(URL, {"tri": sort, "ordre": "desc"})))

    assert up == expected
    assert down == expected[::-1]


def test_the_default_order_is_the_newest_first(partner_client, three_requests):
    page = page_text(partner_client.get(URL))

    assert numbers_in(page) == [three_requests[key] for key in "cba"]


# -- Bad parameters -----------------------------------------------------------------------------
def test_an_impossible_date_gets_a_message_next_to_the_field(partner_client, technician, organism):
    request = filed(technician, organism)

    page = page_text(partner_client.get(URL, {"du": "31/02/2024"}))

    assert "Saisissez une date valide au format jj/mm/aaaa." in field_error(page, "du")
    assert 'value="31/02/2024"' in page, "what was typed stays in the field"
    assert numbers_in(page) == [request.number], "the list still shows, without that criterion"
    assert "Certains critères ne sont pas valides" in page


@pytest.mark.parametrize("typed", ["01/01/0001", "31/12/9999", "9999-12-31", "hier", "0/0/0"])
def test_days_out_of_range_never_break_the_page(partner_client, technician, organism, typed):
    filed(technician, organism)

    page = page_text(partner_client.get(URL, {"du": typed, "au": typed}))

    assert field_error(page, "du") and field_error(page, "au")


def test_an_end_day_before_the_start_day_is_refused(partner_client, technician, organism):
    filed(technician, organism)

    page = page_text(partner_client.get(URL, {"du": "10/01/2024", "au": "09/01/2024"}))

    assert "La date de fin doit être égale ou postérieure au 10/01/2024." in field_error(page, "au")


def test_a_page_size_nobody_could_choose_falls_back_to_10(partner_client, technician, organism):
    bulk_requests(technician, organism, 12)

    page = page_text(partner_client.get(URL, {"taille": "7"}))

    assert "Choisissez 10, 25, 50 ou 100 demandes par page." in field_error(page, "taille")
    assert len(numbers_in(page)) == 10


@pytest.mark.parametrize(("asked", "shown"), [("9999", 2), ("0", 1), ("-3", 1), ("deux", 1)])
def test_a_page_that_does_not_exist_shows_the_nearest_one(
    partner_client, technician, organism, asked, shown
):
    bulk_requests(technician, organism, 12)

    page = page_text(partner_client.get(URL, {"page": asked}))

    assert f"La page demandée n'existe pas : voici la page {shown}." in page
    assert f"Page {shown} sur 2" in page


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("statut", "cancelled", "Ce choix n'est pas proposé"),
        ("ods", "9", "Ce choix n'est pas proposé"),
        ("motif", "4-inconnu", "Ce choix n'est pas proposé"),
        ("demandeur", "abc", "Ce choix n'est pas proposé"),
        ("tri", "comment", "Ce choix n'est pas proposé"),
        ("ordre", "sideways", "Ce choix n'est pas proposé"),
        ("numero", "22331-abc", "Le numéro de demande est composé de chiffres uniquement"),
        ("numero", "12345678901", "Le numéro de demande est composé de chiffres uniquement"),
        ("personne", "x" * 61, "60 caractères"),
    ],
)
def test_a_forged_parameter_gets_a_message_and_is_left_out(
    partner_client, technician, organism, name, value, message
):
    request = filed(technician, organism)

    page = page_text(partner_client.get(URL, {name: value}))

    assert message in field_error(page, name)
    assert numbers_in(page) == [request.number]


def test_a_requester_of_another_structure_is_not_a_choice(
    partner_client, technician, other_technician, organism
):
    filed(technician, organism)

    page = page_text(partner_client.get(URL, {"demandeur": str(other_technician.pk)}))

    assert "Ce choix n'est pas proposé" in field_error(page, "demandeur")


# -- Cost ---------------------------------------------------------------------------------------
def test_a_page_of_100_costs_the_queries_of_a_page_of_10(partner_client, technician, organism):
    bulk_requests(technician, organism, 101)
    partner_client.get(URL)  # warm-up: the session's first writes

    counts = {}
    for size in ("10", "100"):
        with CaptureQueriesContext(connection) as queries:
            response = partner_client.get(URL, {"taille": size})
        assert len(numbers_in(page_text(response))) == int(size)
        counts[size] = len(queries.captured_queries)

    assert counts["10"] == counts["100"]


def test_the_rows_never_read_the_long_columns(partner_client, technician, organism):
    bulk_requests(technician, organism, 3)

    with CaptureQueriesContext(connection) as queries:
        partner_client.get(URL)

    rows_query = next(
        sql
        for sql in (q["sql"].replace('"', "") for q in queries.captured_queries)
        if "FROM partners_partnerrequest" in sql and "LIMIT" in sql
    )
    selected = rows_query.split("WHERE")[0]
    assert "number" in selected
    for column in ("comment", "saisine", "documents"):
        assert not re.search(rf"\b{column}\b", selected)
