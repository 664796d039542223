"""Échanger avec nous: the member's and beneficiaries' requests, filters, search, pages;
and Ma messagerie, which lists the same requests with its own search."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.services import case_move
from documents.rules import ANSWER, SEND_DOCUMENT
from documents.services import stored_file_create
from requests_app.models import RequestKind, RequestStatus
from requests_app.services import member_request_submit
from tests.test_access_matrix import _sign_in
from tests.test_uploads import pdf_bytes

pytestmark = pytest.mark.django_db

URL = "/demandes/"
MAILBOX = "/messagerie/"


# -- Helpers shared by the request-following tests -------------------------------------------
def upload(user, name="facture.pdf", content=None, rules=SEND_DOCUMENT):
    """A pending upload of `user`, as the upload widget leaves it before the form is sent."""
    uploaded = SimpleUploadedFile(name, content if content is not None else pdf_bytes())
    return stored_file_create(uploaded=uploaded, rules=rules, by=user)


def submit(member, kind=RequestKind.QUESTION, **fields):
    """A request sent by the member through the service every form uses."""
    fields.setdefault("message", "Bonjour, voici ma demande.")
    return member_request_submit(member=member, kind=kind, by=member.user, **fields)


def take(request, manager):
    """ "Prendre en charge", as the managers' queue does it."""
    return case_move(case=request, move="take", by=manager)


def ask(request, manager, text="Merci de nous envoyer la facture détaillée."):
    """ "Demander un complément" (the request is taken in charge first if it is new); returns
    the message asked."""
    if request.status == RequestStatus.NEW:
        take(request, manager)
    return case_move(case=request, move="ask", by=manager, text=text).message


def resolve(request, manager, text="Votre demande est traitée.", files=()):
    """A manager's answer (the insurer message of the "resolve" event): the request is taken in
    charge first if it is new, the files are uploaded with the managers' rules."""
    if request.status == RequestStatus.NEW:
        take(request, manager)
    attachments = [upload(manager, name, rules=ANSWER) for name in files]
    event = case_move(case=request, move="resolve", by=manager, text=text, attachments=attachments)
    return event.message


def page_text(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def references_in(page: str) -> list[str]:
    """The references listed, in the order shown (each row has one eye link)."""
    return re.findall(r'href="/demandes/(DEM-\d{4}-\d+)/"', page)


# -- The list ------------------------------------------------------------------------------
def test_it_lists_the_members_requests_newest_first(client, member):
    first = submit(member, subject="Première")
    second = submit(member, subject="Deuxième")
    third = submit(member, subject="Troisième")
    _sign_in(client, member.user)

    page = page_text(client.get(URL))

    assert references_in(page) == [third.reference, second.reference, first.reference]


def test_it_includes_the_requests_about_the_beneficiaries(client, member):
    lucas = member.beneficiaries.get(first_name="Lucas")
    about_lucas = submit(member, beneficiary=lucas)
    about_marie = submit(member)
    _sign_in(client, member.user)

    page = page_text(client.get(URL))

    assert set(references_in(page)) == {about_lucas.reference, about_marie.reference}
    assert lucas.full_name in page
    assert member.full_name in page


def test_it_never_lists_another_members_requests(client, member, other_member):
    mine = submit(member, message="La mienne")
    theirs = submit(other_member, message="Pas la mienne")
    _sign_in(client, member.user)

    page = page_text(client.get(URL))
    searched = page_text(client.get(URL, {"recherche": theirs.reference}))

    assert references_in(page) == [mine.reference]
    assert theirs.reference not in page
    assert references_in(searched) == []
    assert "Aucune demande ne correspond à votre recherche." in searched


def test_each_row_shows_status_reference_dates_kind_and_an_eye_to_the_detail(
    client, member, insurer_manager
):
    sent = submit(member, kind=RequestKind.DOCUMENT, topic="invoice", topic_label="Facture")
    take(sent, insurer_manager)
    _sign_in(client, member.user)

    page = page_text(client.get(URL))

    assert "Pris en charge" in page
    assert "Envoyer un document" in page
    assert "Facture" in page
    day = sent.created_at.astimezone().strftime("%d/%m/%Y")
    assert page.count(day) >= 2  # sent on, updated on
    assert f'aria-label="Voir le détail de la demande {sent.reference}"' in page, (
        "the eye link names the request it opens"
    )
    # The status is words (readable without colour), not only a coloured dot.
    assert re.search(r'class="badge badge-in_progress">.*Pris en charge</span>', page)


def test_it_filters_by_status(client, member, insurer_manager):
    new = submit(member)
    taken = submit(member)
    take(taken, insurer_manager)
    done = submit(member)
    resolve(done, insurer_manager)
    waiting = submit(member)
    ask(waiting, insurer_manager)
    _sign_in(client, member.user)

    assert references_in(page_text(client.get(URL, {"statut": "new"}))) == [new.reference]
    assert references_in(page_text(client.get(URL, {"statut": "in_progress"}))) == [taken.reference]
    awaiting_page = page_text(client.get(URL, {"statut": "awaiting"}))
    assert references_in(awaiting_page) == [waiting.reference]
    assert "En attente de votre réponse" in awaiting_page
    resolved_page = page_text(client.get(URL, {"statut": "resolved"}))
    assert references_in(resolved_page) == [done.reference]
    assert '<option value="resolved" selected>' in resolved_page  # the filter stays chosen


def test_it_filters_by_kind(client, member):
    question = submit(member, kind=RequestKind.QUESTION)
    document = submit(member, kind=RequestKind.DOCUMENT)
    _sign_in(client, member.user)

    assert references_in(page_text(client.get(URL, {"type": "question"}))) == [question.reference]
    assert references_in(page_text(client.get(URL, {"type": "document"}))) == [document.reference]


def test_it_searches_the_reference_the_subject_and_the_text(client, member):
    glasses = submit(member, subject="Lunettes de Lucas")
    dentist = submit(member, message="Le devis du dentiste est joint.")
    other = submit(member, message="Rien à voir")
    _sign_in(client, member.user)

    assert references_in(page_text(client.get(URL, {"recherche": "lunettes"}))) == [
        glasses.reference
    ]
    assert references_in(page_text(client.get(URL, {"recherche": "DENTISTE"}))) == [
        dentist.reference
    ]
    assert references_in(page_text(client.get(URL, {"recherche": other.reference}))) == [
        other.reference
    ]


def test_a_value_nobody_could_choose_is_ignored(client, member):
    sent = submit(member)
    _sign_in(client, member.user)

    page = page_text(client.get(URL, {"statut": "deleted", "type": "x", "taille": "7"}))

    assert references_in(page) == [sent.reference]


def test_it_shows_ten_requests_a_page_and_keeps_the_filters_across_pages(client, member):
    sent = [submit(member, kind=RequestKind.QUESTION) for _ in range(23)]
    submit(member, kind=RequestKind.DOCUMENT)  # filtered out
    newest_first = [r.reference for r in reversed(sent)]
    _sign_in(client, member.user)

    first = page_text(client.get(URL, {"type": "question"}))
    assert references_in(first) == newest_first[:10]
    assert "Page 1 sur 3" in first
    assert "23 demandes" in first
    next_link = re.search(r'<a [^>]*rel="next" href="([^"]+)"', first).group(1)
    assert "type=question" in next_link
    assert "Page précédente" not in first

    second = page_text(client.get(URL + next_link))
    assert references_in(second) == newest_first[10:20]
    assert "Page 2 sur 3" in second
    assert "Page précédente" in second and "Page suivante" in second

    last = page_text(client.get(URL, {"type": "question", "page": "3"}))
    assert references_in(last) == newest_first[20:]
    assert "Page suivante" not in last


def test_the_page_size_is_10_25_50_or_100_and_anything_else_means_10(client, member):
    for _ in range(60):
        submit(member)
    _sign_in(client, member.user)

    def rows(size):
        return len(references_in(page_text(client.get(URL, {"taille": size}))))

    assert rows("25") == 25
    assert rows("50") == 50
    assert rows("100") == 60
    assert rows("") == 10
    assert rows("12") == 10
    assert rows("1000") == 10
    assert rows("abc") == 10
    page = page_text(client.get(URL, {"taille": "25", "page": "2"}))
    assert "Page 2 sur 3" in page
    assert '<option value="25" selected>' in page
    assert "taille=25" in re.search(r'rel="next" href="([^"]+)"', page).group(1)


def test_a_page_number_out_of_range_shows_the_last_page_and_says_so(client, member):
    for _ in range(12):
        submit(member)
    _sign_in(client, member.user)

    page = page_text(client.get(URL, {"page": "99"}))

    assert "Page 2 sur 2" in page
    assert len(references_in(page)) == 2
    assert "La page demandée n'existe pas : voici la page 2." in page


def test_one_page_costs_the_same_number_of_queries_whatever_its_size(
    client, member, insurer_manager
):
    beneficiaries = list(member.beneficiaries.all())
    for number in range(105):
        sent = submit(member, beneficiary=[None, *beneficiaries][number % 3])
        if number % 4 == 0:
            take(sent, insurer_manager)
    _sign_in(client, member.user)
    client.get(URL)  # warm the session and the caches alike for both measures

    counts = {}
    for size in ("10", "100"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"taille": size})
        assert len(references_in(page_text(response))) == int(size)
        counts[size] = len(queries.captured_queries)

    assert counts["10"] == counts["100"]


def test_an_empty_history_offers_ways_to_send_a_request(client, member):
    _sign_in(client, member.user)

    page = page_text(client.get(URL))

    assert "Vous n'avez encore envoyé aucune demande." in page
    assert 'href="/demandes/envoyer-un-document/"' in page
    assert 'href="/demandes/poser-une-question/"' in page
    assert 'href="/demandes/declarer-un-changement/"' in page
    assert "<table" not in page


def test_a_search_without_result_says_so_and_offers_to_clear_it(client, member):
    submit(member)
    _sign_in(client, member.user)

    page = page_text(client.get(URL, {"recherche": "introuvable"}))

    assert "Aucune demande ne correspond à votre recherche." in page
    assert "Effacer les filtres" in page
    assert "Vous n'avez encore envoyé aucune demande." not in page


# -- Ma messagerie -------------------------------------------------------------------------
def test_the_mailbox_lists_the_sent_requests_and_offers_to_write_a_message(client, member):
    sent = submit(member, subject="Changement de RIB")
    _sign_in(client, member.user)

    page = page_text(client.get(MAILBOX))

    assert (
        "Retrouvez toutes les demandes que vous avez réalisées depuis votre Espace Assuré" in page
    )
    assert "Recherchez facilement vos messages envoyés" in page
    assert references_in(page) == [sent.reference]
    assert re.search(r'<a class="button" href="/messagerie/ecrire/">\s*Écrire un message', page)


def test_the_mailbox_search_box_has_a_label_of_its_own_and_the_form_fields_look(client, member):
    _sign_in(client, member.user)

    page = page_text(client.get(MAILBOX))

    # A visible label that says what is searched, not the button's "Rechercher" again.
    assert re.search(r'<label for="id_recherche">Rechercher dans vos messages</label>', page)
    assert 'class="visually-hidden"' not in page.split('for="id_recherche"')[0][-80:]
    # The box is drawn like every other field (full width, dark 2 px border), not as the
    # browser's narrow default.
    stylesheet = re.search(r'href="(/static/css/guichet\.css)"', page).group(1)
    css = Path(finders.find(stylesheet.removeprefix("/static/"))).read_text()
    rule = re.search(r"([^{}]*input\[type=search\][^{}]*)\{([^}]*)\}", css)
    assert rule and "width: 100%" in rule.group(2) and "border: 2px solid #6b7280" in rule.group(2)
    assert ".filter-form" not in rule.group(1) and ".faq-search" not in rule.group(1)


def test_the_mailbox_searches_the_subject_and_the_text(client, member, other_member):
    rib = submit(member, subject="Changement de RIB")
    glasses = submit(member, message="Mes nouvelles lunettes")
    submit(other_member, subject="RIB de Jean")
    _sign_in(client, member.user)

    assert references_in(page_text(client.get(MAILBOX, {"recherche": "rib"}))) == [rib.reference]
    assert references_in(page_text(client.get(MAILBOX, {"recherche": "lunettes"}))) == [
        glasses.reference
    ]
    assert "Aucune demande ne correspond à votre recherche." in page_text(
        client.get(MAILBOX, {"recherche": "jean"})
    )


# -- Navigation ----------------------------------------------------------------------------
def test_the_home_page_leads_to_every_action_of_the_member_space(client, member):
    _sign_in(client, member.user)

    page = page_text(client.get("/"))

    for label, href in [
        ("Envoyer un document (facture, devis, justificatif...)", "/demandes/envoyer-un-document/"),
        ("Déclarer un changement", "/demandes/declarer-un-changement/"),
        ("Poser une question", "/demandes/poser-une-question/"),
        ("Demande de remboursement", "/demandes/remboursement/"),
        ("Transmettre un devis", "/demandes/devis/"),
        ("Médecine douce", "/demandes/medecine-douce/"),
        ("Ma messagerie", "/messagerie/"),
        ("Échanger avec nous", "/demandes/"),
        ("Mes documents", "/mes-documents/"),
    ]:
        assert re.search(rf'href="{href}"[^>]*>(<span[^>]*>)?{re.escape(label)}', page), label
    # The beneficiaries stay on the home page.
    assert "Lucas" in page and "Paul" in page


def test_the_header_leads_members_around_their_space(client, member):
    _sign_in(client, member.user)

    page = page_text(client.get(URL))
    header = re.search(r'<nav class="header-nav".*?</nav>', page, re.S).group(0)
    sections = re.search(r'<nav class="member-nav".*?</nav>', page, re.S).group(0)

    for label in ("Mon compte", "Se déconnecter"):
        assert label in header, label
    for label in (
        "Accueil",
        "Mon contrat",
        "Mes remboursements",
        "Échanger avec nous",
        "Mes documents",
        "Messagerie",
    ):
        assert label in sections, label
    assert re.search(r'href="/demandes/" aria-current="page"', sections)
    assert sections.count('aria-current="page"') == 1


def test_guide_002s_toolbar_entries_are_in_the_member_menu(client, member):
    """Guide 002's "barre d'outils": Contrat, Santé ("le détail des remboursements"),
    Documents, Suivi ("la FAQ ainsi que l'historique de vos demandes")."""
    _sign_in(client, member.user)

    page = page_text(client.get(URL))
    sections = re.search(r'<nav class="member-nav".*?</nav>', page, re.S).group(0)

    links = dict(
        re.findall(r'<a href="([^"]+)"[^>]*>\s*(?:<svg.*?</svg>\s*)?([^<]+)', sections, re.S)
    )
    assert links["/contrat/"].strip() == "Mon contrat"
    assert links["/remboursements/"].strip() == "Mes remboursements santé"
    assert links["/mes-documents/"].strip().startswith("Mes documents")
    assert links["/suivi/"].strip() == "Suivi"


def test_no_section_is_marked_current_on_a_page_that_does_not_exist(client, member):
    _sign_in(client, member.user)

    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    page = response.content.decode()
    sections = re.search(r'<nav class="member-nav".*?</nav>', page, re.S).group(0)

    assert 'aria-current="page"' not in sections


def test_the_header_of_other_personas_has_no_member_links(client, technician):
    _sign_in(client, technician)

    page = page_text(client.get("/", follow=True))

    assert 'href="/mes-documents/"' not in page
    assert "Se déconnecter" in page
