"""Choosing the organism (guide 001, chapter II), the home page and the header (chapter III).

Dates go through the data: conventions are dated relative to today (Europe/Paris), so "today"
is never mocked.
"""

import datetime
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from casework.services import case_move
from partners.catalogue import SERVICES, Service
from partners.conventions import State, situation_of, today
from partners.models import PartnerRequest, StructureMembership
from partners.selectors import SESSION_ORGANISM
from tests.factories import (
    ConventionFactory,
    OrganismFactory,
    StructureFactory,
    make_partner_request,
)
from tests.test_access_matrix import _sign_in
from tests.test_signin import sign_in

pytestmark = pytest.mark.django_db

CHOOSE = reverse("partners:choose")
HOME = reverse("partners:home")
HISTORY = reverse("partners:history")
PARIS = ZoneInfo("Europe/Paris")
ENDED_TEXT = (
    "Vous ne pouvez plus déposer de nouvelles demandes d'Offres de Services mais vous pouvez "
    "continuer à consulter le suivi de vos demandes via l'historique des demandes."
)


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def ddmmyyyy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=PARIS)


@pytest.fixture
def tech_client(client, technician):
    """The technician signed in with the second factor, no organism chosen yet."""
    _sign_in(client, technician)
    return client


def convention_at(structure, name, code, *, start=-365, end=365, services=None):
    organism = OrganismFactory(name=name, code=code, services=services)
    return ConventionFactory(
        structure=structure,
        organism=organism,
        start_date=days(start),
        end_date=days(end) if end is not None else None,
    )


def resolved_request(technician, convention, *, on: datetime.date, manager):
    """A request filed while the convention ran, resolved on the day `on`."""
    request = make_partner_request(technician=technician, organism=convention.organism)
    case_move(case=request, move="take", by=manager)
    case_move(case=request, move="resolve", by=manager, text="Réponse de l'organisme")
    PartnerRequest.objects.filter(pk=request.pk).update(resolved_at=noon(on))
    return request


def choose(client, convention):
    return client.post(CHOOSE, {"organism": convention.organism_id})


def page(response) -> str:
    """The page as a person reads it (entities such as ' turned back into text)."""
    return unescape(response.content.decode())


def options(text: str) -> list[tuple[str, str, str]]:
    """(value, attributes, text) of each <option> of the organism select."""
    select = re.search(r'<select name="organism".*?</select>', text, re.S)
    assert select, "no organism select on the page"
    return re.findall(r'<option value="([^"]*)"([^>]*)>([^<]*)</option>', select.group(0))


# -- The five situations at their boundary dates (situation_of) ------------------------------
def test_a_convention_is_upcoming_the_day_before_its_start_and_active_on_its_start(
    structure, organism
):
    convention = ConventionFactory(
        structure=structure, organism=organism, start_date=days(10), end_date=days(400)
    )
    assert situation_of(convention, on=days(9)).state is State.UPCOMING
    assert situation_of(convention, on=days(10)).state is State.ACTIVE


def test_an_end_thirty_days_away_is_active_and_twenty_nine_days_away_is_ending(convention):
    end = convention.end_date
    assert situation_of(convention, on=end - datetime.timedelta(days=30)).state is State.ACTIVE
    assert situation_of(convention, on=end - datetime.timedelta(days=29)).state is State.ENDING


def test_the_end_day_itself_is_still_ending(convention):
    assert situation_of(convention, on=convention.end_date).state is State.ENDING


def test_the_day_after_the_end_with_an_open_request_is_ended_open(convention, technician, organism):
    make_partner_request(technician=technician, organism=organism)
    after = convention.end_date + datetime.timedelta(days=1)
    assert situation_of(convention, on=after).state is State.ENDED_OPEN


def test_an_ended_convention_stays_readable_thirty_days_after_the_last_resolution(
    convention, technician, organism, organism_manager
):
    last = convention.end_date + datetime.timedelta(days=5)
    resolved_request(technician, convention, on=last, manager=organism_manager)
    thirtieth = last + datetime.timedelta(days=30)
    situation = situation_of(convention, on=thirtieth)
    assert situation.state is State.ENDED_RESOLVED
    assert situation.access_until == thirtieth
    assert situation_of(convention, on=thirtieth + datetime.timedelta(days=1)).state is (
        State.CLOSED
    )


# -- The chooser page --------------------------------------------------------------------------
def test_the_chooser_lists_the_structures_organisms_with_the_guides_wording(
    tech_client, structure, technician
):
    convention_at(structure, "CPAM GIRONDE", "331")
    convention_at(structure, "CPAM COTE D'OPALE", "622")
    convention_at(StructureFactory(name="Autre structure"), "CPAM LANDES", "401")
    html = page(tech_client.get(CHOOSE))
    assert "Sélectionner l'organisme sur lequel vous souhaitez vous connecter." in html
    assert ">Valider<" in html
    texts = [text for _value, _attrs, text in options(html)]
    assert texts == ["Sélectionner un organisme", "CPAM COTE D'OPALE", "CPAM GIRONDE"]


def test_with_no_previous_choice_the_list_stays_on_select_an_organism(tech_client, structure):
    convention_at(structure, "CPAM GIRONDE", "331")
    found = options(page(tech_client.get(CHOOSE)))
    assert found[0][0] == "" and found[0][2] == "Sélectionner un organisme"
    assert [value for value, attrs, _text in found if "selected" in attrs] == [""]


def test_the_organism_of_the_last_connection_is_preselected(tech_client, structure, technician):
    convention_at(structure, "CPAM GIRONDE", "331")
    opale = convention_at(structure, "CPAM COTE D'OPALE", "622")
    StructureMembership.objects.filter(user=technician).update(last_organism=opale.organism)
    found = options(page(tech_client.get(CHOOSE)))
    selected = [value for value, attrs, _text in found if "selected" in attrs]
    assert selected == [str(opale.organism_id)]


def test_a_last_organism_no_longer_offered_is_not_preselected(tech_client, structure, technician):
    convention_at(structure, "CPAM GIRONDE", "331")
    landes = convention_at(structure, "CPAM LANDES", "401", start=-400, end=-100)
    StructureMembership.objects.filter(user=technician).update(last_organism=landes.organism)
    found = options(page(tech_client.get(CHOOSE)))
    assert "CPAM LANDES" not in [text for _value, _attrs, text in found]
    assert [value for value, attrs, _text in found if "selected" in attrs] == [""]


def test_a_last_organism_whose_convention_has_not_started_is_not_preselected(
    tech_client, structure, technician
):
    convention_at(structure, "CPAM GIRONDE", "331")
    dordogne = convention_at(structure, "CPAM DORDOGNE", "241", start=60, end=800)
    StructureMembership.objects.filter(user=technician).update(last_organism=dordogne.organism)
    found = options(page(tech_client.get(CHOOSE)))
    assert "CPAM DORDOGNE *" in [text for _value, _attrs, text in found]
    assert [value for value, attrs, _text in found if "selected" in attrs] == [""]


def test_organisms_in_a_particular_situation_are_red_with_an_asterisk_and_a_legend(
    tech_client, structure
):
    convention_at(structure, "CPAM GIRONDE", "331")
    convention_at(structure, "CPAM LOT ET GARONNE", "471", end=20)
    convention_at(structure, "CPAM DORDOGNE", "241", start=60, end=800)
    html = page(tech_client.get(CHOOSE))
    found = {text: attrs for _value, attrs, text in options(html)}
    assert found["CPAM LOT ET GARONNE *"] == ' class="organism-flagged"'
    assert found["CPAM DORDOGNE *"] == ' class="organism-flagged"'
    assert found["CPAM GIRONDE"] == ""
    assert "sont signalés en rouge + un astérisque" in html
    assert 'aria-describedby="id_organism_helptext"' in html
    assert "relevant d'une situation particulière" in html


def test_without_a_particular_situation_there_is_no_legend(tech_client, structure):
    convention_at(structure, "CPAM GIRONDE", "331")
    assert "signalés en rouge" not in page(tech_client.get(CHOOSE))


def test_validating_without_choosing_says_so_next_to_the_field(tech_client, structure):
    convention_at(structure, "CPAM GIRONDE", "331")
    response = tech_client.post(CHOOSE, {"organism": ""})
    assert response.status_code == 200
    html = page(response)
    assert 'id="id_organism_error"' in html
    assert "Sélectionnez l'organisme sur lequel vous souhaitez vous connecter." in html
    assert SESSION_ORGANISM not in tech_client.session


def test_an_organism_of_another_structure_cannot_be_chosen(
    tech_client, structure, other_technician
):
    convention_at(structure, "CPAM GIRONDE", "331")
    other = convention_at(other_technician.partner_membership.structure, "CPAM LANDES", "401")
    response = choose(tech_client, other)
    assert response.status_code == 200
    assert "Cet organisme n'est plus proposé" in page(response)
    assert SESSION_ORGANISM not in tech_client.session


def test_an_active_convention_opens_the_home_page_and_is_remembered(
    tech_client, structure, technician
):
    gironde = convention_at(structure, "CPAM GIRONDE", "331", end=30)
    response = choose(tech_client, gironde)
    assert response.status_code == 302 and response.url == HOME
    assert tech_client.session[SESSION_ORGANISM] == gironde.organism_id
    technician.partner_membership.refresh_from_db()
    assert technician.partner_membership.last_organism == gironde.organism


def test_a_convention_starting_tomorrow_shows_its_start_date_and_only_logout(
    tech_client, structure, technician
):
    dordogne = convention_at(structure, "CPAM DORDOGNE", "241", start=1, end=800)
    response = choose(tech_client, dordogne)
    assert response.status_code == 200
    html = page(response)
    assert (
        f"Le conventionnement avec l'organisme CPAM DORDOGNE débutera le "
        f"{ddmmyyyy(days(1))}." in html
    )
    assert "Se déconnecter" in html
    assert reverse("accounts:logout") in html
    for elsewhere in (HOME, HISTORY, reverse("partners:identity"), ">Continuer<"):
        assert elsewhere not in html
    assert SESSION_ORGANISM not in tech_client.session
    assert tech_client.get(HOME).url == CHOOSE
    technician.partner_membership.refresh_from_db()
    assert technician.partner_membership.last_organism == dordogne.organism


def test_choosing_an_upcoming_organism_leaves_the_one_chosen_before(tech_client, structure):
    gironde = convention_at(structure, "CPAM GIRONDE", "331")
    dordogne = convention_at(structure, "CPAM DORDOGNE", "241", start=1, end=800)
    choose(tech_client, gironde)
    choose(tech_client, dordogne)
    response = tech_client.get(HOME)
    assert response.status_code == 302 and response.url == CHOOSE


def test_a_convention_starting_today_opens_the_home_page(tech_client, structure):
    started = convention_at(structure, "CPAM DORDOGNE", "241", start=0, end=800)
    assert choose(tech_client, started).url == HOME


def test_an_end_in_twenty_nine_days_warns_with_the_date_then_continues(tech_client, structure):
    ending = convention_at(structure, "CPAM LOT ET GARONNE", "471", end=29)
    response = choose(tech_client, ending)
    assert response.status_code == 200
    html = page(response)
    assert (
        f"Le conventionnement arrive à échéance le {ddmmyyyy(days(29))} - Veuillez contacter "
        "l'organisme concerné." in html
    )
    assert f'href="{HOME}">Continuer</a>' in html
    home = tech_client.get(HOME)
    assert home.status_code == 200
    assert "Nouvelle demande" in page(home)


def test_an_end_today_still_warns(tech_client, structure):
    ending = convention_at(structure, "CPAM LOT ET GARONNE", "471", end=0)
    html = page(choose(tech_client, ending))
    assert f"arrive à échéance le {ddmmyyyy(today())}" in html


def test_the_day_after_the_end_with_an_open_request_offers_the_history_only(
    tech_client, structure, technician
):
    landes = convention_at(structure, "CPAM LANDES", "401")
    make_partner_request(technician=technician, organism=landes.organism)
    landes.end_date = days(-1)
    landes.save()
    html = page(choose(tech_client, landes))
    assert (
        f"Le conventionnement s'est terminé le {ddmmyyyy(days(-1))} mais il reste des "
        "demandes en cours de traitement." in html
    )
    assert ">Continuer<" in html
    home = page(tech_client.get(HOME))
    assert "Nouvelle demande" not in home
    assert ENDED_TEXT in home
    assert f'class="button" href="{HISTORY}"' in home
    new = reverse("partners:new", args=[SERVICES[Service.CASE_STUDY].slug])
    assert new not in home


def test_thirty_days_after_the_last_resolution_the_history_is_still_readable(
    tech_client, structure, technician, organism_manager
):
    landes = convention_at(structure, "CPAM LANDES", "401")
    resolved_request(technician, landes, on=days(-30), manager=organism_manager)
    landes.end_date = days(-40)
    landes.start_date = days(-400)
    landes.save()
    html = page(choose(tech_client, landes))
    assert (
        f"Le conventionnement s'est terminé le {ddmmyyyy(days(-40))}. Vous disposez "
        "d'un délai supplémentaire pour consulter les réponses apportées à vos demandes." in html
    )
    home = page(tech_client.get(HOME))
    assert "Nouvelle demande" not in home
    assert ENDED_TEXT in home
    assert f"jusqu'au {ddmmyyyy(today())} inclus" in home
    assert f'class="button" href="{HISTORY}"' in home


def test_thirty_one_days_after_the_last_resolution_the_organism_is_gone(
    tech_client, structure, technician, organism_manager, convention
):
    landes = convention_at(structure, "CPAM LANDES", "401")
    resolved_request(technician, landes, on=days(-31), manager=organism_manager)
    landes.end_date = days(-40)
    landes.start_date = days(-400)
    landes.save()
    texts = [text for _value, _attrs, text in options(page(tech_client.get(CHOOSE)))]
    assert "CPAM LANDES *" not in texts and "CPAM LANDES" not in texts
    response = choose(tech_client, landes)
    assert "Cet organisme n'est plus proposé" in page(response)
    # A session that had chosen it before can no longer use it.
    session = tech_client.session
    session[SESSION_ORGANISM] = landes.organism_id
    session.save()
    for url in (HOME, HISTORY):
        response = tech_client.get(url)
        assert response.status_code == 302 and response.url == CHOOSE


# -- Home page and header ----------------------------------------------------------------------
def test_the_home_page_shows_only_the_ods_the_organism_offers(tech_client, structure):
    opale = convention_at(
        structure,
        "CPAM COTE D'OPALE",
        "622",
        services=[Service.CONTACT, Service.APPOINTMENT, Service.DOCUMENT],
    )
    choose(tech_client, opale)
    html = page(tech_client.get(HOME))
    assert html.count(">Nouvelle demande<") == 3
    for service in (Service.CONTACT, Service.APPOINTMENT, Service.DOCUMENT):
        info = SERVICES[service]
        assert str(info.card_title).replace("'", "'") in html
        assert reverse("partners:new", args=[info.slug]) in html
    for service in (Service.DIFFICULTY, Service.CASE_STUDY):
        assert reverse("partners:new", args=[SERVICES[service].slug]) not in html


def test_the_home_page_shows_the_five_ods_with_their_description(partner_client):
    html = page(partner_client.get(HOME))
    assert html.count(">Nouvelle demande<") == 5
    assert (
        "Vous souhaitez demander un rendez-vous pour un assuré (AME, arrêt de travail, C2S...)."
        in html
    )


def test_the_home_page_needs_a_chosen_organism(tech_client, convention):
    response = tech_client.get(HOME)
    assert response.status_code == 302 and response.url == CHOOSE


def test_the_header_shows_the_logo_the_organism_and_the_person(partner_client, technician):
    html = page(partner_client.get(HOME))
    assert f'class="partner-logo" href="{HOME}"' in html
    assert "Espace Partenaires" in html
    assert f'class="partner-organism" href="{CHOOSE}"' in html
    assert "CPAM GIRONDE" in html and "changer d'organisme" in html
    identity = reverse("partners:identity")
    assert f'class="partner-person" href="{identity}"' in html
    assert f"{technician.first_name.upper()} {technician.last_name.upper()}" in html
    assert f'href="{HISTORY}"' in html and "Historique des demandes" in html
    assert f'href="{reverse("partners:manual")}"' in html and "Manuel utilisateur" in html


def test_the_header_links_the_public_site_when_there_is_one(partner_client):
    from portal.models import Branding

    branding = Branding.current()
    branding.public_site_url = "https://www.example.org/"
    branding.save()
    html = page(partner_client.get(HOME))
    assert 'href="https://www.example.org/"' in html


def test_the_organism_in_the_header_leads_back_to_the_chooser_to_switch(
    partner_client, structure, convention
):
    opale = convention_at(structure, "CPAM COTE D'OPALE", "622")
    html = page(partner_client.get(CHOOSE))
    assert [value for value, _attrs, _text in options(html)] == [
        "",
        str(opale.organism_id),
        str(convention.organism_id),
    ]
    assert choose(partner_client, opale).url == HOME
    assert "CPAM COTE D'OPALE" in page(partner_client.get(HOME))


def test_the_identification_card_shows_the_name_the_structure_and_logout(
    partner_client, technician, structure
):
    html = page(partner_client.get(reverse("partners:identity")))
    assert "Fiche d'identification" in html
    assert technician.first_name in html
    assert technician.last_name.upper() in html
    assert structure.name in html
    assert reverse("accounts:logout") in html and "Se déconnecter" in html


def test_the_user_manual_summarises_the_guide(partner_client):
    html = page(partner_client.get(reverse("partners:manual")))
    for title in ("Sélection de l", "Page d", "Dépôt d", "Messages d", "Historique des demandes"):
        assert title in html


def test_a_member_gets_a_404_on_the_partner_pages(client, member, convention):
    _sign_in(client, member.user)
    for name in ("choose", "home", "identity", "manual"):
        assert client.get(reverse(f"partners:{name}")).status_code == 404


def test_the_choice_is_not_cached(tech_client, convention):
    assert "no-cache" in tech_client.get(CHOOSE)["Cache-Control"]


# -- Landing ---------------------------------------------------------------------------------
def test_a_technician_lands_on_the_chooser_after_signing_in(
    client, technician, password, outbox, convention
):
    response = sign_in(client, technician, password, outbox, channel="email")
    assert response.url == CHOOSE


def test_the_portal_home_sends_partner_users_to_the_chooser(tech_client, client, partner_manager):
    response = tech_client.get("/")
    assert response.status_code == 302 and response.url == CHOOSE
    client.logout()
    _sign_in(client, partner_manager)
    assert client.get("/").url == CHOOSE


def test_the_portal_home_still_greets_members(client, member):
    _sign_in(client, member.user)
    assert client.get("/").status_code == 200
