"""The organisms' managers work partner requests in the admin (/gestion/): each manager sees the
requests of their own organisms only, takes them in charge and resolves them (the casework
core's queue, `casework.admin.CaseAdmin`, scoped by `partners.admin.PartnerRequestAdmin`)."""

import datetime
import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from casework.models import CaseEvent, CaseMessage
from casework.services import case_move
from documents.models import StoredFile
from documents.rules import ANSWER, PARTNER_REQUEST
from documents.services import stored_file_create
from partners.catalogue import SAISINE, Service
from partners.models import Convention, OrganismService, PartnerRequest, PartnerRequestStatus
from partners.services import partner_request_complete
from tests.factories import ConventionFactory, OrganismFactory, UserFactory, make_partner_request
from tests.test_access_matrix import _sign_in
from tests.test_uploads import pdf_bytes

pytestmark = pytest.mark.django_db

QUEUE = "/gestion/partners/partnerrequest/"


def _change_url(request):
    return f"{QUEUE}{request.pk}/change/"


def _take_url(request):
    return f"{QUEUE}{request.pk}/prendre-en-charge/"


def _resolve_url(request):
    return f"{QUEUE}{request.pk}/resoudre/"


def _listed(client, query=""):
    response = client.get(f"{QUEUE}{query}")
    assert response.status_code == 200
    return [request.number for request in response.context["cl"].result_list]


def _page(response) -> str:
    return unescape(response.content.decode())


def _words(response) -> str:
    """The page's text as read on screen, without its tags."""
    return re.sub(r"<[^>]+>", "", _page(response))


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _file(user, name="piece.pdf", rules=PARTNER_REQUEST):
    return stored_file_create(
        uploaded=SimpleUploadedFile(name, pdf_bytes(), "application/pdf"), rules=rules, by=user
    )


def _take(request, manager):
    return case_move(case=request, move="take", by=manager)


def _resolve(request, manager, text="Fait."):
    """Taken in charge, then answered (a new request cannot be resolved straight away)."""
    _take(request, manager)
    return case_move(case=request, move="resolve", by=manager, text=text)


def _cancel(request, technician, reason):
    return case_move(case=request, move="cancel", by=technician, reason=reason)


def _answer(request) -> CaseMessage:
    """The organism's answer: the message of the "resolve" event."""
    return request.case_events.get(action="resolve").message


def _filed(technician, organism, *, days_ago=0, **kwargs):
    request = make_partner_request(technician=technician, organism=organism, **kwargs)
    if days_ago:
        PartnerRequest.objects.filter(pk=request.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
        request.refresh_from_db()
    return request


@pytest.fixture
def landes(structure):
    """A second organism, with its own manager, with which the structure also works."""
    organism = OrganismFactory(name="CPAM LANDES", code="401")
    ConventionFactory(structure=structure, organism=organism)
    manager = UserFactory(
        username="gestionnaire.landes",
        first_name="Luc",
        last_name="LANDAIS",
        role="insurer_manager",
        is_staff=True,
    )
    organism.managers.add(manager)
    organism.manager = manager
    return organism


@pytest.fixture
def manager_client(client, organism_manager):
    _sign_in(client, organism_manager)
    return client


@pytest.fixture
def superuser_client(insurer_manager):
    client = Client()
    _sign_in(client, insurer_manager)
    return client


# -- Scope -------------------------------------------------------------------------------------
def test_a_manager_sees_only_the_requests_of_their_organism(
    manager_client, technician, convention, organism, landes
):
    gironde = _filed(technician, organism)
    at_landes = _filed(technician, landes)

    assert _listed(manager_client) == [gironde.number]
    assert _listed(manager_client, f"?q={at_landes.number}") == []
    assert _listed(manager_client, f"?organism__id__exact={landes.pk}") == []
    page = _page(manager_client.get(QUEUE))
    assert "CPAM LANDES" not in page


def test_a_manager_gets_a_404_on_another_organisms_request(
    manager_client, technician, convention, landes
):
    at_landes = _filed(technician, landes)

    for url in (_change_url(at_landes), _resolve_url(at_landes), f"{QUEUE}{at_landes.pk}/history/"):
        assert manager_client.get(url).status_code == 404
    assert manager_client.post(_take_url(at_landes)).status_code == 404
    response = manager_client.post(_resolve_url(at_landes), {"text": "Réponse"})
    assert response.status_code == 404
    at_landes.refresh_from_db()
    assert at_landes.status == PartnerRequestStatus.NEW
    assert at_landes.case_events.count() == 1


def test_the_take_action_never_reaches_another_organisms_request(
    manager_client, technician, convention, organism, landes
):
    gironde = _filed(technician, organism)
    at_landes = _filed(technician, landes)

    manager_client.post(
        QUEUE,
        {"action": "take_in_charge", "_selected_action": [gironde.pk, at_landes.pk], "index": 0},
    )

    gironde.refresh_from_db()
    at_landes.refresh_from_db()
    assert gironde.status == PartnerRequestStatus.IN_PROGRESS
    assert at_landes.status == PartnerRequestStatus.NEW


def test_a_superuser_sees_every_organisms_requests(
    superuser_client, technician, convention, organism, landes
):
    gironde = _filed(technician, organism, days_ago=2)
    at_landes = _filed(technician, landes)

    assert _listed(superuser_client) == [gironde.number, at_landes.number]
    assert superuser_client.get(_change_url(at_landes)).status_code == 200


def test_a_manager_of_no_organism_has_no_queue(client, technician, convention, organism):
    request = _filed(technician, organism)
    stranger = UserFactory(role="insurer_manager", is_staff=True)
    _sign_in(client, stranger)

    assert client.get(QUEUE).status_code == 404
    assert client.get(_change_url(request)).status_code == 404
    assert client.post(_take_url(request)).status_code == 404


@pytest.mark.parametrize("persona", ["technician", "partner_manager"])
def test_partners_get_a_404_on_the_queue(
    client, request, persona, technician, convention, organism
):
    _sign_in(client, request.getfixturevalue(persona))
    target = _filed(technician, organism)

    for url in (QUEUE, _change_url(target), _resolve_url(target)):
        assert client.get(url, follow=True).status_code == 404
    assert client.post(_take_url(target), follow=True).status_code == 404
    target.refresh_from_db()
    assert target.status == PartnerRequestStatus.NEW


# -- The queue ---------------------------------------------------------------------------------
def test_each_row_shows_the_request_its_sender_and_its_manager(
    manager_client, technician, convention, organism, organism_manager
):
    organism_manager.first_name, organism_manager.last_name = "Claire", "GESTION"
    organism_manager.save()
    request = _filed(technician, organism, service=Service.CASE_STUDY, motif="etude_c2s")
    _take(request, organism_manager)

    page = _page(manager_client.get(QUEUE))

    assert request.number in page
    assert "CCAS de Bordeaux" in page
    assert "Soumettre une demande d'étude de dossier" in page
    assert "Etude de C2S" in page
    assert "Madame TUTU Joséphine" in page
    assert "Pris en charge" in page
    assert "Claire GESTION" in page


def test_the_queue_shows_open_requests_oldest_first_and_closed_ones_on_demand(
    manager_client, technician, convention, organism, organism_manager
):
    cancelled = _filed(technician, organism, days_ago=30)
    _cancel(cancelled, technician, "autre_canal")
    resolved = _filed(technician, organism, days_ago=20)
    _resolve(resolved, organism_manager)
    recent = _filed(technician, organism, days_ago=1)
    oldest = _filed(technician, organism, days_ago=9)

    assert _listed(manager_client) == [oldest.number, recent.number]
    assert _listed(manager_client, "?status__exact=all") == [
        cancelled.number,
        resolved.number,
        oldest.number,
        recent.number,
    ]


def test_a_reply_is_marked_and_has_its_own_filter(
    manager_client, technician, convention, organism, organism_manager
):
    awaiting = _filed(technician, organism, days_ago=20)
    _take(awaiting, organism_manager)
    case_move(case=awaiting, move="ask", by=organism_manager, text="Il manque le RIB.")
    replied = _filed(technician, organism, days_ago=3)
    _take(replied, organism_manager)
    case_move(case=replied, move="ask", by=organism_manager, text="Il manque le RIB.")
    case_move(case=replied, move="reply", by=technician, text="Le voici.")
    oldest = _filed(technician, organism, days_ago=9)
    resolved = _filed(technician, organism, days_ago=30)
    _resolve(resolved, organism_manager)

    assert _listed(manager_client) == [awaiting.number, oldest.number, replied.number]
    assert _listed(manager_client, "?status__exact=reply") == [replied.number]
    page = _words(manager_client.get(QUEUE))
    assert "Réponse reçue" in page
    assert "En attente du partenaire" in page
    assert _listed(manager_client, "?status__exact=awaiting") == [awaiting.number]


def test_the_queue_reads_each_page_in_a_fixed_number_of_queries(
    manager_client,
    technician,
    convention,
    organism,
    organism_manager,
    django_assert_max_num_queries,
):
    for _ in range(3):
        _take(_filed(technician, organism), organism_manager)
    with django_assert_max_num_queries(25) as few:
        manager_client.get(QUEUE)
    for _ in range(6):
        _take(_filed(technician, organism), organism_manager)
    with django_assert_max_num_queries(len(few.captured_queries)):
        manager_client.get(QUEUE)


def test_the_queue_filters_by_status_including_cancelled(
    manager_client, technician, convention, organism, organism_manager
):
    new = _filed(technician, organism)
    taken = _filed(technician, organism)
    _take(taken, organism_manager)
    resolved = _filed(technician, organism)
    _resolve(resolved, organism_manager)
    cancelled = _filed(technician, organism)
    _cancel(cancelled, technician, "plus_justifiee")

    assert "Annulé" in _page(manager_client.get(QUEUE))
    assert _listed(manager_client, "?status__exact=new") == [new.number]
    assert _listed(manager_client, "?status__exact=in_progress") == [taken.number]
    assert _listed(manager_client, "?status__exact=resolved") == [resolved.number]
    assert _listed(manager_client, "?status__exact=cancelled") == [cancelled.number]


def test_the_queue_filters_by_service_and_organism(
    superuser_client, technician, convention, organism, landes
):
    document = _filed(technician, organism, service=Service.DOCUMENT)
    contact = _filed(technician, organism, service=Service.CONTACT)
    at_landes = _filed(technician, landes, service=Service.CONTACT)

    assert _listed(superuser_client, f"?service__exact={Service.DOCUMENT}") == [document.number]
    assert _listed(superuser_client, f"?organism__id__exact={landes.pk}") == [at_landes.number]
    assert sorted(_listed(superuser_client, f"?organism__id__exact={organism.pk}")) == sorted(
        [document.number, contact.number]
    )


def test_the_queue_filters_by_age(manager_client, technician, convention, organism):
    today = _filed(technician, organism)
    five_days = _filed(technician, organism, days_ago=5)
    ten_days = _filed(technician, organism, days_ago=10)

    page = _page(manager_client.get(QUEUE))
    for label in ("Moins de 2 jours", "2 à 7 jours", "Plus de 7 jours"):
        assert label in page
    assert _listed(manager_client, "?age=lt2") == [today.number]
    assert _listed(manager_client, "?age=2to7") == [five_days.number]
    assert _listed(manager_client, "?age=gt7") == [ten_days.number]


def test_the_queue_filters_by_assignee(
    manager_client, technician, convention, organism, organism_manager
):
    colleague = UserFactory(
        first_name="Léa", last_name="COLLEGUE", role="insurer_manager", is_staff=True
    )
    organism.managers.add(colleague)
    unassigned = _filed(technician, organism)
    mine = _filed(technician, organism)
    _take(mine, organism_manager)
    theirs = _filed(technician, organism)
    _take(theirs, colleague)

    page = _page(manager_client.get(QUEUE))
    assert "Non attribuée" in page
    assert "Moi" in page
    assert "Léa COLLEGUE" in page
    assert _listed(manager_client, "?assignee=none") == [unassigned.number]
    assert _listed(manager_client, "?assignee=me") == [mine.number]
    assert _listed(manager_client, f"?assignee={colleague.pk}") == [theirs.number]


def test_the_queue_finds_a_request_by_number_or_person_without_accents(
    manager_client, technician, other_technician, convention, organism
):
    ConventionFactory(structure=other_technician.partner_membership.structure, organism=organism)
    tutu = _filed(technician, organism)
    prince = _filed(
        other_technician,
        organism,
        person={
            "civility": "M",
            "last_name": "PRINCE",
            "first_name": "Marius",
            "birth_date": datetime.date(1960, 5, 5),
            "birth_place": "27",
            "phone": "0700000000",
        },
    )

    assert _listed(manager_client, f"?q={prince.number}") == [prince.number]
    assert _listed(manager_client, "?q=tutu") == [tutu.number]
    assert _listed(manager_client, "?q=Marius") == [prince.number]
    assert _listed(manager_client, "?q=prince mar") == [prince.number]
    assert _listed(manager_client, "?q=josephine") == [tutu.number]
    assert _listed(manager_client, f"?q={prince.number[:9]}") == [tutu.number, prince.number]


def test_requests_are_never_added_edited_or_deleted_by_hand(
    manager_client, technician, convention, organism
):
    request = _filed(technician, organism)

    assert manager_client.get(f"{QUEUE}add/").status_code == 403
    response = manager_client.post(_change_url(request), {"comment": "Autre chose"})
    assert response.status_code == 403
    assert manager_client.post(f"{QUEUE}{request.pk}/delete/").status_code == 403
    request.refresh_from_db()
    assert request.comment == "Hospitalisation en cours"
    page = manager_client.get(_change_url(request)).content.decode()
    assert 'name="comment"' not in page
    assert 'name="last_name"' not in page


# -- The detail --------------------------------------------------------------------------------
def test_the_detail_shows_what_the_technician_entered_with_the_guides_labels(
    manager_client, technician, convention, organism
):
    sent = _file(technician, "BS.pdf")
    request = _filed(
        technician,
        organism,
        service=Service.DIFFICULTY,
        motif=SAISINE,
        attachments=[sent],
        saisine={
            "consent": True,
            "reasons": ["renoncement"],
            "care": ["pharmacie"],
            "duration": "plus_1_an",
            "causes": ["transport"],
        },
    )

    page = _page(manager_client.get(_change_url(request)))

    assert "Ce que le partenaire a saisi" in page
    assert "Signaler une situation de difficulté d'accès aux droits et aux soins" in page
    assert "Saisine mission accompagnement santé" in page
    assert "Madame TUTU Joséphine" in page
    assert "10/10/1971" in page
    assert "07.00.00.00.00" in page
    assert "Hospitalisation en cours" in page
    assert "Renoncement ou difficultés d'accès à des soins" in page
    assert "Pharmacie" in page
    assert "Plus d'1 an" in page
    assert "De transport" in page
    # The guide's questions, as the technician answered them.
    for question in (
        "Quels soins ne sont pas réalisés ?",
        "Depuis quand dure le renoncement ?",
        "Quelles en sont les causes ?",
    ):
        assert question in page
    # Organism and structure read as text: their admin pages are not the manager's (403).
    assert "/gestion/partners/organism/" not in page
    assert "/gestion/partners/structure/" not in page
    assert organism.name in page and technician.partner_membership.structure.name in page
    assert f'href="/documents/{sent.pk}/"' in page
    download = manager_client.get(f"/documents/{sent.pk}/")
    assert download.status_code == 200
    download.close()


def test_the_detail_names_the_documents_and_the_appointment_modes(
    manager_client, technician, convention, organism
):
    document = _filed(
        technician, organism, service=Service.DOCUMENT, documents=["ceam", "carte_vitale"]
    )
    contact = _filed(
        technician,
        organism,
        service=Service.CONTACT,
        motif="convention",
        appointment_modes=["distance", "physique"],
    )

    page = _page(manager_client.get(_change_url(document)))
    assert "Certificat provisoire CEAM, Formulaire carte vitale" in page
    page = _page(manager_client.get(_change_url(contact)))
    assert "Gérer la convention de partenariat" in page
    assert "Téléphonique / Visio, Physique" in page
    assert "Personne concernée" not in page


def test_another_organisms_manager_cannot_download_the_files_sent(
    client, technician, convention, organism, landes
):
    sent = _file(technician, "BS.pdf")
    _filed(technician, organism, attachments=[sent])
    _sign_in(client, landes.manager)

    assert client.get(f"/documents/{sent.pk}/").status_code == 404


def test_a_cancelled_request_stays_visible_with_its_reason(
    manager_client, technician, convention, organism
):
    request = _filed(technician, organism)
    _cancel(request, technician, "doublon_structure")

    page = _words(manager_client.get(QUEUE + "?status__exact=cancelled"))
    assert request.number in page
    assert "Annulé · La demande a déjà été faite par un membre de ma structure" in page
    page = _page(manager_client.get(_change_url(request)))
    assert "Annulé" in page
    assert "La demande a déjà été faite par un membre de ma structure" in page
    assert _take_url(request) not in page
    assert _resolve_url(request) not in page


def test_the_detail_shows_the_completions_and_the_exchanges(
    manager_client, technician, convention, organism, organism_manager
):
    organism_manager.first_name, organism_manager.last_name = "Claire", "GESTION"
    organism_manager.save()
    request = _filed(technician, organism, comment="Premier commentaire.")
    partner_request_complete(
        request=request,
        by=technician,
        comment="Premier commentaire. Factures jointes.",
        attachments=[_file(technician, "facture.pdf")],
    )
    _take(request, organism_manager)

    page = _page(manager_client.get(_change_url(request)))

    assert "Premier commentaire. Factures jointes." in page  # the comment now
    assert "facture.pdf" in page
    # The thread ("Échanges"): each move, who made it and the status it led to; the comment
    # a completion replaced is kept.
    thread = page[page.index('<ol class="case-thread">') :]
    sent = thread.index("Demande envoyée</strong> · par Sophie Durand · statut « Nouveau »")
    completed = thread.index("Demande complétée</strong> · par Sophie Durand")
    taken = thread.index(
        "Demande prise en charge</strong> · par Claire GESTION · statut « Pris en charge »"
    )
    assert sent < completed < taken
    assert re.search(r"<summary>Commentaire remplacé</summary><p>Premier commentaire\.</p>", thread)


# -- Prendre en charge --------------------------------------------------------------------------
def test_the_take_action_assigns_the_selected_requests_and_records_who_did_it(
    manager_client, technician, convention, organism, organism_manager
):
    first = _filed(technician, organism)
    second = _filed(technician, organism)
    untouched = _filed(technician, organism)

    response = manager_client.post(
        QUEUE,
        {"action": "take_in_charge", "_selected_action": [first.pk, second.pk], "index": "0"},
        follow=True,
    )

    assert "2 demandes prises en charge" in " ".join(_messages(response))
    for request in (first, second):
        request.refresh_from_db()
        assert request.status == PartnerRequestStatus.IN_PROGRESS
        assert request.assignee == organism_manager
        event = request.case_events.last()
        assert (event.action, event.by, event.from_status, event.to_status) == (
            "take",
            organism_manager,
            PartnerRequestStatus.NEW,
            PartnerRequestStatus.IN_PROGRESS,
        )
    untouched.refresh_from_db()
    assert untouched.status == PartnerRequestStatus.NEW


def test_the_take_button_of_the_detail_takes_the_request(
    manager_client, technician, convention, organism, organism_manager
):
    request = _filed(technician, organism)
    assert _take_url(request) in manager_client.get(_change_url(request)).content.decode()

    response = manager_client.post(_take_url(request))

    assert response.status_code == 302
    assert response["Location"] == _change_url(request)
    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.IN_PROGRESS
    assert request.assignee == organism_manager
    page = manager_client.get(response["Location"])
    assert f"La demande {request.number} est prise en charge par vous." in _messages(page)
    assert _take_url(request) not in page.content.decode()
    assert _resolve_url(request) in page.content.decode()


def test_taking_a_resolved_request_is_refused_with_a_message(
    manager_client, technician, convention, organism, organism_manager
):
    resolved = _filed(technician, organism)
    _resolve(resolved, organism_manager)
    open_one = _filed(technician, organism)

    response = manager_client.post(
        QUEUE + "?status__exact=all",
        {"action": "take_in_charge", "_selected_action": [resolved.pk, open_one.pk], "index": "0"},
        follow=True,
    )

    assert response.status_code == 200
    messages = " ".join(_messages(response))
    assert f"La demande {resolved.number} est « Résolu »" in messages
    assert "1 demande prise en charge" in messages
    response = manager_client.post(_take_url(resolved), follow=True)
    assert response.status_code == 200
    assert any("ne peut pas passer à « Pris en charge »" in m for m in _messages(response))
    assert list(resolved.case_events.values_list("action", flat=True)) == [
        "submit",
        "take",
        "resolve",
    ]


def test_the_take_url_does_nothing_on_a_get(manager_client, technician, convention, organism):
    request = _filed(technician, organism)
    assert manager_client.get(_take_url(request)).status_code == 405
    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.NEW


# -- Résoudre -----------------------------------------------------------------------------------
def test_resolving_with_a_file_lets_the_technician_download_it(
    manager_client, technician, other_technician, convention, organism, organism_manager
):
    organism_manager.first_name, organism_manager.last_name = "Claire", "GESTION"
    organism_manager.save()
    request = _filed(technician, organism)
    _take(request, organism_manager)
    form = manager_client.get(_resolve_url(request))
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.content.decode()
    assert "Réponse au partenaire" in _page(form)

    response = manager_client.post(
        _resolve_url(request),
        {
            "text": "Prise en charge faite",
            "attachments_files": SimpleUploadedFile("attestation.pdf", pdf_bytes()),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == _change_url(request)
    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.RESOLVED
    assert request.resolved_at is not None
    answer = _answer(request)
    assert (answer.side, answer.author, answer.text) == (
        "insurer",
        organism_manager,
        "Prise en charge faite",
    )
    answer_file = answer.attachments.get()
    assert answer_file.original_name == "attestation.pdf"
    event = request.case_events.last()
    assert (event.action, event.by, event.from_status, event.to_status) == (
        "resolve",
        organism_manager,
        PartnerRequestStatus.IN_PROGRESS,
        PartnerRequestStatus.RESOLVED,
    )
    page = manager_client.get(response["Location"])
    assert any(f"La demande {request.number} est résolue" in m for m in _messages(page))
    text = _page(page)
    assert "Réponse apportée</strong> · par Claire GESTION · statut « Résolu »" in text
    assert "Prise en charge faite" in text
    assert f'href="/documents/{answer_file.pk}/"' in text
    # The thread: who, when, from, to.
    assert text.count("Claire GESTION") >= 3  # two moves and the assignee
    assert timezone.localtime(event.at).strftime("%d/%m/%Y %H:%M") in text
    assert _resolve_url(request) not in text

    stranger = Client()
    _sign_in(stranger, other_technician)
    assert stranger.get(f"/documents/{answer_file.pk}/").status_code == 404
    owner = Client()
    _sign_in(owner, technician)
    download = owner.get(f"/documents/{answer_file.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()
    download.close()


def test_resolving_a_new_request_takes_it_in_charge_first_with_its_email(
    manager_client, technician, convention, organism, outbox, django_capture_on_commit_callbacks
):
    request = _filed(technician, organism)
    change_page = manager_client.get(_change_url(request)).content.decode()
    assert _take_url(request) in change_page
    assert _resolve_url(request) not in change_page, "Résoudre is offered from Pris en charge"

    opened = _page(manager_client.get(_resolve_url(request)))
    assert "vous la prenez d'abord en charge" in opened
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(_resolve_url(request), {"text": "Attestation envoyée."})

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.RESOLVED
    assert list(request.case_events.values_list("action", flat=True)) == [
        "submit",
        "take",
        "resolve",
    ]
    subjects = [m.subject.strip() for m in outbox.all() if m.kind == "email"]
    assert subjects == [
        f"Votre demande {request.number} a été prise en charge",
        f"Une réponse a été apportée à votre demande {request.number}",
    ]


def test_the_resolve_action_opens_the_answer_form_for_one_request(
    manager_client, technician, convention, organism, organism_manager
):
    request = _filed(technician, organism)
    _take(request, organism_manager)
    other = _filed(technician, organism)

    response = manager_client.post(
        QUEUE, {"action": "resolve_selected", "_selected_action": [request.pk], "index": "0"}
    )
    assert response.status_code == 302
    assert response["Location"] == _resolve_url(request)
    assert manager_client.get(response["Location"]).status_code == 200

    response = manager_client.post(
        QUEUE,
        {"action": "resolve_selected", "_selected_action": [request.pk, other.pk], "index": "0"},
        follow=True,
    )
    assert "Sélectionnez une seule demande à résoudre." in _messages(response)


def test_an_empty_answer_is_refused_next_to_the_field_and_the_file_is_kept(
    manager_client, technician, convention, organism, organism_manager
):
    request = _filed(technician, organism)
    _take(request, organism_manager)

    response = manager_client.post(
        _resolve_url(request),
        {"text": "   ", "attachments_files": SimpleUploadedFile("courrier.pdf", pdf_bytes())},
    )

    assert response.status_code == 200
    page = _page(response)
    assert 'id="id_text_error"' in page
    assert "Écrivez la réponse au partenaire." in page
    kept = StoredFile.objects.get(original_name="courrier.pdf")
    assert kept.is_pending
    assert kept.uploaded_by == organism_manager
    assert f'name="attachments" value="{kept.pk}"' in page
    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.IN_PROGRESS
    assert not CaseMessage.objects.exists()

    response = manager_client.post(
        _resolve_url(request), {"text": "Voici le courrier.", "attachments": [kept.pk]}
    )

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.RESOLVED
    assert list(_answer(request).attachments.all()) == [kept]


def test_resolving_twice_is_refused_with_a_message_and_the_text_kept(
    manager_client, technician, convention, organism, organism_manager
):
    request = _filed(technician, organism)
    _take(request, organism_manager)
    manager_client.post(_resolve_url(request), {"text": "Première réponse."})

    response = manager_client.post(_resolve_url(request), {"text": "Seconde réponse."})

    assert response.status_code == 200
    assert (
        f"La demande {request.number} est « Résolu » : « Résoudre » n'est plus possible."
        in _messages(response)
    )
    assert "Seconde réponse." in _page(response)
    request.refresh_from_db()
    assert _answer(request).text == "Première réponse."
    assert request.case_events.filter(action="resolve").count() == 1
    assert CaseMessage.objects.count() == 1


def test_the_answer_form_of_a_cancelled_request_leads_back_to_it(
    manager_client, technician, convention, organism
):
    request = _filed(technician, organism)
    _cancel(request, technician, "autre")

    response = manager_client.get(_resolve_url(request), follow=True)

    assert response.redirect_chain[-1][0] == _change_url(request)
    assert (
        f"La demande {request.number} est « Annulé » : elle ne peut pas passer à « Résolu »."
        in _messages(response)
    )


def test_a_superuser_without_the_manager_role_reads_but_does_not_work_the_queue(
    client, technician, convention, organism
):
    reader = UserFactory(role="partner_manager", is_staff=True, is_superuser=True)
    _sign_in(client, reader)
    target = _filed(technician, organism)

    assert client.get(QUEUE).status_code == 200
    assert client.post(_take_url(target)).status_code == 404
    assert client.get(_resolve_url(target)).status_code == 404
    assert _take_url(target) not in client.get(_change_url(target)).content.decode()
    target.refresh_from_db()
    assert target.status == PartnerRequestStatus.NEW


def test_answer_files_follow_the_answer_rules(
    manager_client, technician, convention, organism, organism_manager
):
    request = _filed(technician, organism)
    _take(request, organism_manager)

    response = manager_client.post(
        _resolve_url(request),
        {
            "text": "Voici le courrier.",
            "attachments_files": SimpleUploadedFile("script.pdf", b"#!/bin/sh\necho hi\n"),
        },
    )

    assert response.status_code == 200
    page = _page(response)
    assert 'id="id_attachments_error"' in page
    assert "Voici le courrier." in page
    assert ANSWER.key in page  # the widget uploads with the answer rules
    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.IN_PROGRESS
    assert not CaseMessage.objects.exists()


# -- Configuration ------------------------------------------------------------------------------
def _organism_form(name, code, services):
    data = {
        "name": name,
        "code": code,
        "services-TOTAL_FORMS": str(len(services)),
        "services-INITIAL_FORMS": "0",
        "services-MIN_NUM_FORMS": "0",
        "services-MAX_NUM_FORMS": "5",
    }
    for index, (service, motifs) in enumerate(services):
        data[f"services-{index}-service"] = str(service)
        data[f"services-{index}-motifs"] = motifs
    return data


def test_the_motifs_of_an_organism_are_ticked_among_the_catalogues(superuser_client):
    response = superuser_client.post(
        "/gestion/partners/organism/add/",
        _organism_form(
            "CPAM DORDOGNE",
            "241",
            [
                (Service.APPOINTMENT, [f"{Service.APPOINTMENT}:ame", f"{Service.APPOINTMENT}:c2s"]),
                (Service.DOCUMENT, []),
            ],
        ),
    )

    assert response.status_code == 302
    appointment = OrganismService.objects.get(organism__code="241", service=Service.APPOINTMENT)
    assert appointment.motifs == ["ame", "c2s"]
    assert list(appointment.offered_motifs()) == ["ame", "c2s"]
    document = OrganismService.objects.get(organism__code="241", service=Service.DOCUMENT)
    assert document.motifs == []
    assert len(document.offered_motifs()) == 5  # none ticked: all

    page = _page(
        superuser_client.get(f"/gestion/partners/organism/{appointment.organism_id}/change/")
    )
    assert 'type="checkbox"' in page
    assert f'value="{Service.APPOINTMENT}:ame"' in page
    assert "Capital décès" in page
    assert "Aucune case cochée" in page


def test_a_motif_of_another_service_is_refused(superuser_client):
    response = superuser_client.post(
        "/gestion/partners/organism/add/",
        _organism_form(
            "CPAM DORDOGNE", "241", [(Service.APPOINTMENT, [f"{Service.DOCUMENT}:ceam"])]
        ),
    )

    assert response.status_code == 200
    assert "Cochez uniquement des motifs de l'offre de services choisie." in _page(response)
    assert not OrganismService.objects.filter(organism__code="241").exists()


def test_conventions_are_listed_and_filtered_by_situation(
    superuser_client, structure, organism, landes
):
    today = timezone.localdate()
    ending = Convention.objects.get(structure=structure, organism=landes)
    ending.end_date = today + timedelta(days=10)
    ending.save()
    active = ConventionFactory(structure=structure, organism=organism)

    response = superuser_client.get("/gestion/partners/convention/?situation=ending")

    assert [c.pk for c in response.context["cl"].result_list] == [ending.pk]
    assert "Se termine dans moins de 30 jours" in _page(response)
    response = superuser_client.get("/gestion/partners/convention/?situation=active")
    assert [c.pk for c in response.context["cl"].result_list] == [active.pk]


def test_a_structure_shows_its_conventions_and_members(
    superuser_client, structure, convention, technician, partner_manager
):
    page = _page(superuser_client.get(f"/gestion/partners/structure/{structure.pk}/change/"))

    assert "CPAM GIRONDE" in page
    assert "Technicien partenaire" in page
    assert "Gestionnaire partenaire" in page
    assert "techniciens actifs maximum" in page.lower()


def test_the_completions_keep_every_earlier_comment(
    manager_client, technician, convention, organism
):
    request = _filed(technician, organism, comment="Demande de rééquilibrage budgétaire.")
    partner_request_complete(
        request=request, by=technician, comment="Je vous joins des factures supplémentaires."
    )

    page = _page(manager_client.get(_change_url(request)))

    assert "Demande de rééquilibrage budgétaire." in page
    assert "Je vous joins des factures supplémentaires." in page
    assert CaseEvent.objects.filter(action="complete").count() == 1
