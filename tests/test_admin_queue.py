"""The managers' daily tool in the admin (issue 20, points 1-4): the dashboard, the queues'
shortcuts, bulk assignment and search, internal notes, answer templates and target delays."""

import json
import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from casework.admin import working_days_before
from casework.models import AnswerTemplate, CaseEvent, TargetDelay
from casework.services import case_move
from partners.models import PartnerRequest
from requests_app.models import MemberRequest, RequestKind
from requests_app.services import member_request_submit
from tests.factories import (
    ConventionFactory,
    MemberFactory,
    OrganismFactory,
    UserFactory,
    make_member_account,
    make_partner_request,
)
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db

HOME = "/gestion/"
MEMBER_QUEUE = "/gestion/requests_app/memberrequest/"
PARTNER_QUEUE = "/gestion/partners/partnerrequest/"


def _submit(member, *, kind=RequestKind.QUESTION, days_ago=0, **fields):
    request = member_request_submit(member=member, kind=kind, by=member.user, **fields)
    if days_ago:
        MemberRequest.objects.filter(pk=request.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
        request.refresh_from_db()
    return request


def _filed(technician, organism, *, days_ago=0, **kwargs):
    request = make_partner_request(technician=technician, organism=organism, **kwargs)
    if days_ago:
        PartnerRequest.objects.filter(pk=request.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
        request.refresh_from_db()
    return request


def _listed(client, queue, query=""):
    response = client.get(f"{queue}{query}")
    assert response.status_code == 200
    return [str(row) for row in response.context["cl"].result_list]


def _page(response) -> str:
    return unescape(response.content.decode())


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _member_manager(**names):
    """An insurer manager allowed to work the member requests only (no organism)."""
    user = UserFactory(role="insurer_manager", is_staff=True, **names)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_memberrequest", "change_memberrequest"],
        )
    )
    return user


@pytest.fixture
def manager_client(client, insurer_manager):
    _sign_in(client, insurer_manager)
    return client


@pytest.fixture
def member_manager_client():
    client = Client()
    _sign_in(client, _member_manager(first_name="Anne", last_name="ADHÉRENTS"))
    return client


@pytest.fixture
def cpam_client(organism_manager):
    client = Client()
    _sign_in(client, organism_manager)
    return client


# -- Tableau de bord ----------------------------------------------------------------------------
def test_the_dashboard_counts_open_requests_and_each_figure_links_to_its_queue(
    manager_client, member, other_member, insurer_manager
):
    old = _submit(member, kind=RequestKind.REFUND, days_ago=12)
    case_move(case=old, move="take", by=insurer_manager)
    _submit(other_member, kind=RequestKind.QUESTION, days_ago=1)
    resolved = _submit(member, kind=RequestKind.QUESTION)
    case_move(case=resolved, move="take", by=insurer_manager)
    case_move(case=resolved, move="resolve", by=insurer_manager, text="Voici.")

    response = manager_client.get(HOME)
    page = _page(response)
    board = response.context["dashboards"][0]

    assert "Tableau de bord" in page
    assert board["total"] == 2  # the resolved one is not counted
    assert board["late"] == 1  # 12 days > 5 working days
    assert {label: n for label, n, _url in board["by_age"]} == {
        "Moins de 2 jours": 1,
        "2 à 7 jours": 0,
        "Plus de 7 jours": 1,
    }
    refund = next(row for row in board["by_type"] if row["label"] == "Demande de remboursement")
    assert (refund["count"], refund["late"]) == (1, 1)
    assert f'href="{MEMBER_QUEUE}?retard=1&amp;kind__exact=refund"' in response.content.decode()
    assert _listed(manager_client, MEMBER_QUEUE, "?retard=1&kind__exact=refund") == [old.reference]
    new_link = next(url for label, _n, url in board["by_status"] if label == "Nouveau")
    assert _listed(manager_client, new_link) == [str(MemberRequest.objects.get(status="new"))]


def test_an_organism_manager_sees_only_their_organisms_on_the_dashboard_and_queue(
    cpam_client, technician, structure, convention, organism
):
    landes = OrganismFactory(name="CPAM LANDES", code="401")
    ConventionFactory(structure=structure, organism=landes)
    mine = _filed(technician, organism)
    theirs = _filed(technician, landes)

    response = cpam_client.get(HOME)
    boards = response.context["dashboards"]

    assert [board["total"] for board in boards] == [1]  # no member queue, one request
    assert _listed(cpam_client, PARTNER_QUEUE) == [mine.number]
    assert _listed(cpam_client, PARTNER_QUEUE, "?status__exact=all") == [mine.number]
    assert _listed(cpam_client, PARTNER_QUEUE, f"?organism__id__exact={landes.pk}") == []
    assert _listed(cpam_client, PARTNER_QUEUE, f"?q={theirs.number}") == []
    assert cpam_client.get(f"{PARTNER_QUEUE}{theirs.pk}/change/").status_code == 404
    assert "CPAM LANDES" not in _page(cpam_client.get(PARTNER_QUEUE))
    assert cpam_client.get(MEMBER_QUEUE).status_code in (403, 404)


def test_a_member_request_manager_sees_no_partner_request_unless_given_the_role(
    member_manager_client, technician, convention, organism, member
):
    filed = _filed(technician, organism)
    _submit(member)

    assert member_manager_client.get(PARTNER_QUEUE).status_code == 404
    assert member_manager_client.get(f"{PARTNER_QUEUE}{filed.pk}/change/").status_code == 404
    boards = member_manager_client.get(HOME).context["dashboards"]
    assert [board["total"] for board in boards] == [1]

    manager = member_manager_client.get(HOME).context["user"]
    organism.managers.add(manager)
    assert member_manager_client.get(f"{PARTNER_QUEUE}{filed.pk}/change/").status_code == 200


def test_target_delays_count_working_days_and_are_set_per_request_type(manager_client, member):
    monday = date(2026, 12, 7)
    assert working_days_before(monday, 1) == date(2026, 12, 4)  # the Friday before
    assert working_days_before(monday, 5) == date(2026, 11, 30)
    six_days = _submit(member, kind=RequestKind.QUOTE, days_ago=9)
    assert _listed(manager_client, MEMBER_QUEUE, "?retard=1") == [six_days.reference]

    TargetDelay.objects.create(request_type="member_request:quote", working_days=15)
    assert _listed(manager_client, MEMBER_QUEUE, "?retard=1") == []


# -- The queue's shortcuts, bulk assignment, search ---------------------------------------------
def test_assign_to_me_then_mes_demandes_and_non_attribuees(manager_client, member, insurer_manager):
    first, second, third = (_submit(member) for _ in range(3))

    response = manager_client.post(
        MEMBER_QUEUE,
        {"action": "assign_to_me", "_selected_action": [first.pk, second.pk], "index": "0"},
        follow=True,
    )

    assert (
        f"2 demandes attribuées à {insurer_manager.get_full_name()} : {first.reference}, "
        f"{second.reference}." in _messages(response)
    )
    assert _listed(manager_client, MEMBER_QUEUE, "?assignee=me") == [
        first.reference,
        second.reference,
    ]
    assert _listed(manager_client, MEMBER_QUEUE, "?assignee=none") == [third.reference]
    first.refresh_from_db()
    assert first.status == "new", "assigning does not take in charge"
    event = CaseEvent.objects.get(action="assign", case_id=first.pk)
    assert (event.by, event.data["to"]) == (insurer_manager, insurer_manager.pk)
    page = _page(manager_client.get(MEMBER_QUEUE))
    assert "Mes demandes" in page and "Non attribuées" in page


def test_assign_to_a_colleague_asks_whom_then_gives_them_the_requests(manager_client, member):
    colleague = _member_manager(first_name="Paul", last_name="COLLÈGUE")
    request = _submit(member)

    chosen = manager_client.post(
        MEMBER_QUEUE, {"action": "assign_to", "_selected_action": [request.pk], "index": "0"}
    )
    assert chosen.status_code == 200
    assert "Paul COLLÈGUE" in _page(chosen)
    response = manager_client.post(
        MEMBER_QUEUE,
        {
            "action": "assign_to",
            "apply": "1",
            "_selected_action": [request.pk],
            "assignee": colleague.pk,
        },
        follow=True,
    )

    assert f"1 demande attribuée à Paul COLLÈGUE : {request.reference}." in _messages(response)
    request.refresh_from_db()
    assert request.assignee == colleague
    assert _listed(manager_client, MEMBER_QUEUE, f"?assignee={colleague.pk}") == [request.reference]


def test_taking_in_charge_in_bulk_assigns_and_emails(manager_client, member, insurer_manager):
    requests = [_submit(member), _submit(member)]

    manager_client.post(
        MEMBER_QUEUE,
        {"action": "take_in_charge", "_selected_action": [r.pk for r in requests], "index": "0"},
    )

    for request in requests:
        request.refresh_from_db()
        assert (request.status, request.assignee) == ("in_progress", insurer_manager)
        assert CaseEvent.objects.get(case_id=request.pk, action="take").notification == "taken"


def test_the_member_queue_searches_a_reference_a_member_number_or_a_name_without_accents(
    manager_client, member
):
    helene = make_member_account(
        MemberFactory(member_number="700123", last_name="LÉGER", first_name="Hélène")
    )
    hers = _submit(helene)
    marie = _submit(member)

    assert _listed(manager_client, MEMBER_QUEUE, "?q=helene") == [hers.reference]
    assert _listed(manager_client, MEMBER_QUEUE, "?q=LEGER h") == [hers.reference]
    assert _listed(manager_client, MEMBER_QUEUE, "?q=7001") == [hers.reference]
    assert _listed(manager_client, MEMBER_QUEUE, f"?q={marie.reference.lower()}") == [
        marie.reference
    ]
    assert _listed(manager_client, MEMBER_QUEUE, "?q=lene") == [], "beginnings of words only"
    demarle = _submit(make_member_account(MemberFactory(last_name="DEMARLE", first_name="Luc")))
    assert _listed(manager_client, MEMBER_QUEUE, "?q=demarle") == [demarle.reference]
    hyphen = _submit(
        make_member_account(MemberFactory(last_name="N'DIAYE", first_name="Anne-Sophie"))
    )
    assert _listed(manager_client, MEMBER_QUEUE, "?q=sophie ndi") == []
    assert _listed(manager_client, MEMBER_QUEUE, "?q=sophie diaye") == [hyphen.reference]


def test_the_queue_rows_hold_six_columns_and_no_filter_counts(manager_client, member):
    _submit(member)

    response = manager_client.get(MEMBER_QUEUE + "?_facets=True")

    headers = response.context["cl"].list_display
    assert headers == [
        "action_checkbox",
        "reference",
        "kind_column",
        "concerns_column",
        "age",
        "status_column",
        "assignee_column",
    ]
    assert response.context["cl"].paginator.count == 1
    assert "(1)" not in _page(response)


# -- Working a request: notes, templates ------------------------------------------------------
def test_an_internal_note_is_shown_to_managers_and_never_to_the_member(manager_client, member):
    request = _submit(member, subject="Ma question")
    change = f"{MEMBER_QUEUE}{request.pk}/change/"

    empty = manager_client.post(f"{MEMBER_QUEUE}{request.pk}/note/", {"text": "  "}, follow=True)
    response = manager_client.post(
        f"{MEMBER_QUEUE}{request.pk}/note/",
        {"text": "Appeler le centre de gestion avant de répondre."},
        follow=True,
    )

    assert "Écrivez la note." in _messages(empty)
    assert response.redirect_chain[-1][0] == change + "#notes"
    assert "Appeler le centre de gestion avant de répondre." in _page(response)
    member_client = Client()
    _sign_in(member_client, member.user)
    member_page = _page(member_client.get(f"/demandes/{request.reference}/"))
    assert request.reference in member_page
    assert "Appeler le centre de gestion" not in member_page


def test_answer_templates_fill_their_placeholders_for_the_request(
    manager_client, member, insurer_manager
):
    request = _submit(member, kind=RequestKind.REFUND)
    case_move(case=request, move="take", by=insurer_manager)
    template = AnswerTemplate.objects.create(
        request_type="member_request:refund",
        title="Remboursement effectué",
        text="Bonjour {civilite} {prenom} {nom}, votre demande {reference} du {date} est payée.",
    )
    AnswerTemplate.objects.create(
        request_type="member_request:quote", title="Devis reçu", text="Devis."
    )
    today = timezone.localdate().strftime("%d/%m/%Y")
    expected = (
        f"Bonjour Madame Marie MARTIN, votre demande {request.reference} du {today} est payée."
    )

    page = _page(manager_client.get(f"{MEMBER_QUEUE}{request.pk}/resoudre/"))
    script = re.search(r'<script id="answer-template-texts"[^>]*>(.*?)</script>', page, re.S)
    inserted = manager_client.get(f"{MEMBER_QUEUE}{request.pk}/resoudre/?modele={template.pk}")

    assert "Remboursement effectué" in page
    assert "Devis reçu" not in page
    assert json.loads(script.group(1)) == {str(template.pk): expected}  # what "Insérer" puts
    assert inserted.context["form"].initial["text"] == expected
    assert "answer_templates.js" in page


def test_page_2_and_the_last_page_hold_the_right_rows_in_order(manager_client, member):
    sent = [_submit(member, days_ago=40 - n) for n in range(30)]  # oldest first
    references = [request.reference for request in sent]

    first = manager_client.get(MEMBER_QUEUE)
    second = _listed(manager_client, MEMBER_QUEUE, "?p=2")

    assert [str(r) for r in first.context["cl"].result_list] == references[:25]
    assert second == references[25:], "read from the end of the queue, in the queue's order"
    assert "30 demandes d'adhérents" in _page(first)
    assert _listed(manager_client, MEMBER_QUEUE, "?p=2&o=-1") == sorted(references)[:5][::-1]
