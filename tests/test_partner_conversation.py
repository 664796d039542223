"""The conversation on a partner request: the organism's manager asks for a complement in the
admin ("Demander un complément"), the technician answers on the request's page, the organism
resolves; with the files each side may open, the emails, "Lu le ...", the weekly reminder and
who gets a 404 (casework core, declared for partners in `partners.cases`)."""

import datetime
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from casework.models import CaseEvent, CaseMessage
from casework.services import CaseError, case_move
from casework.tasks import send_reminders
from documents.models import StoredFile
from documents.rules import ANSWER, PARTNER_REQUEST
from documents.services import stored_file_create, stored_files_purge_expired
from partners.catalogue import SERVICES
from partners.models import PartnerRequest, PartnerRequestStatus
from partners.selectors import SESSION_ORGANISM
from tests.factories import ConventionFactory, OrganismFactory, UserFactory, make_partner_request
from tests.test_access_matrix import _sign_in
from tests.test_uploads import pdf_bytes

pytestmark = pytest.mark.django_db

QUEUE = "/gestion/partners/partnerrequest/"
HISTORY = "/partenaires/historique/"
ASKED = "Merci de joindre l'avis d'imposition 2025 de Madame TUTU."
REPLIED = "Voici l'avis d'imposition et le justificatif de domicile."
ANSWERED = "Le dossier est complet : la C2S est accordée."
SENT = "Votre complément a bien été envoyé à l'organisme."


# -- Helpers ------------------------------------------------------------------------------------
def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return unescape(response.content.decode())


def _words(response) -> str:
    """The page's text as read on screen, without its tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", _page(response)))


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _block(page: str, label: str) -> str:
    """What the detail shows for the field `label` ("PJ reçue(s)", "PJ envoyée(s)")."""
    match = re.search(rf"{re.escape(label)}</dt>\s*<dd>(.*?)</dd>", page, re.S)
    assert match, f"no {label} block"
    return match.group(1)


def _day(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y")


def _upload(user, name, rules=PARTNER_REQUEST) -> StoredFile:
    """A pending upload of `user`, as the upload widget leaves it before the form is sent."""
    return stored_file_create(
        uploaded=SimpleUploadedFile(name, pdf_bytes(), "application/pdf"), rules=rules, by=user
    )


def _a_pdf(name) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


def _admin(request, move="change") -> str:
    slugs = {"take": "prendre-en-charge", "ask": "demander-un-complement", "resolve": "resoudre"}
    return f"{QUEUE}{request.pk}/{slugs.get(move, move)}/"


def _detail(request) -> str:
    return f"{HISTORY}{request.number}/"


def _filed(technician, organism, *, files=0, **kwargs):
    attachments = [_upload(technician, f"envoi{i}.pdf") for i in range(1, files + 1)]
    return make_partner_request(
        technician=technician, organism=organism, attachments=attachments, **kwargs
    )


def _asked(request, manager, *, text=ASKED, attachments=()):
    """Taken in charge, then a complement asked (through the services: the setting, not what
    the test is about)."""
    case_move(case=request, move="take", by=manager)
    return case_move(case=request, move="ask", by=manager, text=text, attachments=attachments)


def _requester_messages(request):
    return request.case_messages.filter(side="requester")


@pytest.fixture
def manager_client(organism_manager):
    """The manager of CPAM GIRONDE, in a browser of their own."""
    client = Client()
    _sign_in(client, organism_manager)
    return client


@pytest.fixture
def landes_manager(db, structure):
    """A manager of CPAM LANDES only, an organism the structure also works with."""
    landes = OrganismFactory(name="CPAM LANDES", code="401")
    ConventionFactory(structure=structure, organism=landes)
    manager = UserFactory(username="gestionnaire.landes", role="insurer_manager", is_staff=True)
    landes.managers.add(manager)
    return manager


# -- Demander un complément ---------------------------------------------------------------------
def test_asking_a_complement_emails_the_technician_once_without_what_was_asked(
    manager_client, technician, organism, organism_manager, convention, outbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    request = _filed(technician, organism)
    asked_file = _upload(organism_manager, "Modele-attestation.pdf", rules=ANSWER)
    with django_capture_on_commit_callbacks(execute=True):
        assert manager_client.post(_admin(request, "take")).status_code == 302
    form = manager_client.get(_admin(request, "ask"))
    assert "Complément demandé au partenaire" in _page(form)
    assert ANSWER.key in _page(form)  # the widget uploads with the answer rules

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            _admin(request, "ask"), {"text": ASKED, "attachments": [asked_file.pk]}, follow=True
        )

    assert response.redirect_chain[-1][0] == _admin(request)
    assert (
        f"Le complément est demandé pour la demande {request.number} : le technicien est "
        "prévenu par email, et la demande est « En attente du partenaire »." in _messages(response)
    )
    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.AWAITING
    assert request.awaiting_since is not None
    event = request.case_events.get(action="ask")
    assert (event.by, event.from_status, event.to_status) == (
        organism_manager,
        PartnerRequestStatus.IN_PROGRESS,
        PartnerRequestStatus.AWAITING,
    )
    assert (event.message.side, event.message.text) == ("insurer", ASKED)
    assert list(event.message.attachments.all()) == [asked_file]
    # One email for the taking in charge, exactly one for the complement.
    subjects = [email.subject.strip() for email in outbox.all()]
    assert subjects == [
        f"Votre demande {request.number} a été prise en charge",
        f"Votre demande {request.number} : l'organisme vous demande un complément",
    ]
    email = outbox.last("email")
    assert email.to == technician.email
    for body in (email.text, email.html):
        assert request.number in body
        assert "CPAM GIRONDE" in body
        assert "« Historique des demandes »" in body
        assert HISTORY in body
    everything = f"{email.subject}\n{email.text}\n{email.html}".lower()
    for private in ("avis d'imposition", "avis d&#x27;imposition", "tutu", "modele-attestation"):
        assert private not in everything, private
    # The queue words the status for the managers.
    assert "En attente du partenaire" in _words(manager_client.get(QUEUE))


def test_the_detail_shows_what_was_asked_at_the_top_with_its_file(
    partner_client, manager_client, technician, organism, organism_manager
):
    request = _filed(technician, organism)
    asked_file = _upload(organism_manager, "Modele-attestation.pdf", rules=ANSWER)
    manager_client.post(_admin(request, "take"))
    manager_client.post(_admin(request, "ask"), {"text": ASKED, "attachments": [asked_file.pk]})
    asked_file.refresh_from_db()
    assert asked_file.expires_at == asked_file.attached_at + datetime.timedelta(days=15)

    page = _page(partner_client.get(_detail(request)))

    callout = page.index("L'organisme CPAM GIRONDE vous demande un complément")
    assert callout < page.index("Numéro demande"), "what was asked comes first"
    top = page[callout : page.index("Numéro demande")]
    assert ASKED in top
    assert f'href="/documents/{asked_file.pk}/"' in top
    assert f"Disponible jusqu'au {_day(asked_file.expires_at)}" in top
    assert re.search(r"Statut de la demande</dt>\s*<dd>.*?En attente de complément", page, re.S)
    assert "statut « En attente de complément »" in page  # in the exchanges
    download = partner_client.get(f"/documents/{asked_file.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()
    history = _words(partner_client.get(HISTORY))
    assert request.number in history
    assert "En attente de complément" in history


# -- The technician's reply ---------------------------------------------------------------------
def test_the_technician_answers_with_a_comment_and_files_within_the_8_of_the_request(
    partner_client, manager_client, technician, organism, organism_manager
):
    request = _filed(technician, organism, files=6)
    _asked(request, organism_manager)
    form = _page(partner_client.get(_detail(request)))
    assert 'data-max-files="2"' in form, "6 files sent: 2 more at most"

    response = partner_client.post(
        _detail(request),
        {"text": REPLIED, "files_files": [_a_pdf("avis.pdf"), _a_pdf("domicile.pdf")]},
    )

    assert response.status_code == 302
    assert response["Location"] == _detail(request) + "#main"
    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.IN_PROGRESS
    assert request.awaiting_since is None
    event = request.case_events.get(action="reply")
    assert (event.by, event.from_status, event.to_status) == (
        technician,
        PartnerRequestStatus.AWAITING,
        PartnerRequestStatus.IN_PROGRESS,
    )
    reply = event.message
    assert (reply.side, reply.text) == ("requester", REPLIED)
    sent = list(reply.attachments.order_by("original_name"))
    assert [f.original_name for f in sent] == ["avis.pdf", "domicile.pdf"]
    page = _page(partner_client.get(response["Location"]))
    assert SENT in page
    assert re.search(r"Statut de la demande</dt>\s*<dd>.*?Pris en charge", page, re.S)
    assert "vous demande un complément</h2>" not in page, "nothing awaited any more"
    assert 'name="text"' not in page, "no reply form once answered"
    sent_block = _block(page, "PJ envoyée(s)")
    for name in [f"envoi{i}.pdf" for i in range(1, 7)] + ["avis.pdf", "domicile.pdf"]:
        assert name in sent_block, name
    # Names only: the technician never reads a file sent again; the organism does.
    for stored in sent:
        assert f"/documents/{stored.pk}/" not in page
        assert partner_client.get(f"/documents/{stored.pk}/").status_code == 404
        download = manager_client.get(f"/documents/{stored.pk}/")
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == pdf_bytes()
    admin = _page(manager_client.get(_admin(request)))
    assert REPLIED in admin
    assert f'href="/documents/{sent[0].pk}/"' in admin


def test_a_third_file_on_a_request_with_six_is_refused_and_nothing_is_written(
    partner_client, technician, organism, organism_manager
):
    request = _filed(technician, organism, files=6)
    _asked(request, organism_manager)

    response = partner_client.post(
        _detail(request),
        {"text": REPLIED, "files_files": [_a_pdf("a.pdf"), _a_pdf("b.pdf"), _a_pdf("c.pdf")]},
    )

    page = _page(response)
    assert (
        "Le fichier « c.pdf » n'a pas été joint : vous pouvez joindre au maximum 2 fichiers."
        in page
    )
    assert REPLIED in page, "what was typed is not lost"
    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.AWAITING
    assert not _requester_messages(request).exists()
    assert not request.case_events.filter(action="reply").exists()
    kept = list(StoredFile.objects.filter(original_name__in=["a.pdf", "b.pdf"]))
    assert len(kept) == 2
    assert all(stored.is_pending for stored in kept), "the two accepted stay to be sent again"

    # Three pending files sent by their ids (the upload widget's way) are refused as well.
    third = _upload(technician, "c.pdf")
    ids = [str(stored.pk) for stored in kept] + [str(third.pk)]
    page = _page(partner_client.post(_detail(request), {"text": REPLIED, "files": ids}))
    assert "Vous pouvez joindre au maximum 2 fichiers." in page
    assert not _requester_messages(request).exists()
    # And so does the service, whatever form is used.
    with pytest.raises(CaseError) as refused:
        case_move(
            case=request, move="reply", by=technician, text=REPLIED, attachments=[*kept, third]
        )
    assert refused.value.message == "Vous pouvez joindre au maximum 2 fichiers."
    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.AWAITING
    assert not _requester_messages(request).exists()
    still = StoredFile.objects.filter(pk__in=ids)
    assert still.count() == 3
    assert all(stored.is_pending for stored in still)


def test_a_request_with_its_8_files_takes_a_reply_without_files(
    partner_client, technician, organism, organism_manager
):
    request = _filed(technician, organism, files=8)
    _asked(request, organism_manager)

    page = _page(partner_client.get(_detail(request)))

    assert 'name="text"' in page
    assert 'name="files_files"' not in page
    assert "Cette demande compte déjà 8 pièces jointes, le maximum" in page
    response = partner_client.post(_detail(request), {"text": REPLIED})
    assert response.status_code == 302
    assert _requester_messages(request).get().attachments.count() == 0


@pytest.mark.parametrize(
    "service",
    [service for service, info in SERVICES.items() if not info.has_files],
    ids=lambda service: service.name.lower(),
)
def test_an_offer_without_files_has_no_file_field_in_the_reply(
    partner_client, technician, organism, organism_manager, service
):
    request = _filed(technician, organism, service=service)
    _asked(request, organism_manager)

    page = _page(partner_client.get(_detail(request)))

    assert 'name="text"' in page
    assert 'name="files_files"' not in page
    assert 'name="files"' not in page
    # A file forced into the form is not joined.
    forced = _upload(technician, "force.pdf")
    response = partner_client.post(_detail(request), {"text": REPLIED, "files": [str(forced.pk)]})
    assert response.status_code == 302
    assert _requester_messages(request).get().attachments.count() == 0
    forced.refresh_from_db()
    assert forced.is_pending


def test_a_complement_asked_is_answered_even_once_the_convention_ended(
    partner_client, technician, organism, organism_manager, convention
):
    request = _filed(technician, organism)
    _asked(request, organism_manager)
    convention.start_date = timezone.localdate() - datetime.timedelta(days=400)
    convention.end_date = timezone.localdate() - datetime.timedelta(days=1)
    convention.save()

    page = _page(partner_client.get(_detail(request)))
    assert 'name="text"' in page
    response = partner_client.post(_detail(request), {"text": REPLIED})

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.IN_PROGRESS
    assert _requester_messages(request).get().text == REPLIED


def test_an_empty_reply_is_refused_next_to_the_field(
    partner_client, technician, organism, organism_manager
):
    request = _filed(technician, organism)
    _asked(request, organism_manager)

    page = _page(partner_client.post(_detail(request), {"text": "   "}))

    assert "Saisissez votre complément." in page
    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.AWAITING
    assert not _requester_messages(request).exists()


# -- Who gets a 404 -----------------------------------------------------------------------------
def test_a_manager_of_another_organism_gets_a_404_on_the_change_page_and_every_move(
    client, technician, organism, organism_manager, convention, landes_manager
):
    new = _filed(technician, organism)
    awaiting = _filed(technician, organism)
    _asked(awaiting, organism_manager)
    before = CaseEvent.objects.count()
    _sign_in(client, landes_manager)

    for request in (new, awaiting):
        for url in (_admin(request), _admin(request, "ask"), _admin(request, "resolve")):
            assert client.get(url).status_code == 404, url
        assert client.get(f"{QUEUE}{request.pk}/history/").status_code == 404
        assert client.post(_admin(request, "take")).status_code == 404
        for move in ("ask", "resolve"):
            assert client.post(_admin(request, move), {"text": "Réponse"}).status_code == 404
    new.refresh_from_db()
    awaiting.refresh_from_db()
    assert (new.status, awaiting.status) == (
        PartnerRequestStatus.NEW,
        PartnerRequestStatus.AWAITING,
    )
    assert CaseEvent.objects.count() == before
    assert CaseMessage.objects.get().read_at is None, "not opened by the stranger either"


def test_another_structures_technician_gets_a_404_on_the_detail_and_on_post(
    client, technician, other_technician, organism, organism_manager, convention
):
    request = _filed(technician, organism)
    _asked(request, organism_manager)
    ConventionFactory(structure=other_technician.partner_membership.structure, organism=organism)
    _sign_in(client, other_technician)
    session = client.session
    session[SESSION_ORGANISM] = organism.pk
    session.save()

    assert client.get(_detail(request)).status_code == 404
    assert client.post(_detail(request), {"text": REPLIED}).status_code == 404

    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.AWAITING
    assert not _requester_messages(request).exists()
    assert CaseMessage.objects.get().read_at is None


# -- Résoudre after the reply -------------------------------------------------------------------
def test_the_answer_and_its_file_show_after_the_reply_until_the_file_expires(
    partner_client, manager_client, technician, organism, organism_manager, outbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    request = _filed(technician, organism)
    _asked(request, organism_manager)
    partner_client.post(_detail(request), {"text": REPLIED})
    answer_file = _upload(organism_manager, "Notification-C2S.pdf", rules=ANSWER)

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            _admin(request, "resolve"), {"text": ANSWERED, "attachments": [answer_file.pk]}
        )

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.RESOLVED
    answer = request.case_events.get(action="resolve").message
    assert (answer.text, list(answer.attachments.all())) == (ANSWERED, [answer_file])
    assert outbox.last("email").subject.strip() == (
        f"Une réponse a été apportée à votre demande {request.number}"
    )
    answer_file.refresh_from_db()
    until = _day(answer_file.expires_at)
    assert answer_file.expires_at == answer_file.attached_at + datetime.timedelta(days=15)

    page = _page(partner_client.get(_detail(request)))

    assert re.search(rf"Réponse</dt>\s*<dd[^>]*>{re.escape(ANSWERED)}", page)
    received = _block(page, "PJ reçue(s)")
    assert f'href="/documents/{answer_file.pk}/"' in received
    assert "Notification-C2S.pdf" in received
    assert f"jusqu'au {until}" in received
    assert REPLIED in page, "the exchanges stay on the page"
    download = partner_client.get(f"/documents/{answer_file.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()

    # On the 14th day the file is still there; the purge deletes it once its 15 days are over.
    assert stored_files_purge_expired(now=timezone.now() + datetime.timedelta(days=14)) == {
        "expired": 0,
        "orphans": 0,
    }
    download = partner_client.get(f"/documents/{answer_file.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()
    purged = stored_files_purge_expired(now=timezone.now() + datetime.timedelta(days=15, minutes=1))
    assert purged["expired"] == 1

    page = _page(partner_client.get(_detail(request)))

    received = _block(page, "PJ reçue(s)")
    assert "Notification-C2S.pdf" in received
    assert "Fichier expiré" in received
    assert f"/documents/{answer_file.pk}/" not in page
    assert re.search(rf"Réponse</dt>\s*<dd[^>]*>{re.escape(ANSWERED)}", page), "the text stays"
    assert partner_client.get(f"/documents/{answer_file.pk}/").status_code == 404


# -- Lu le ... ----------------------------------------------------------------------------------
def test_the_reply_reads_not_yet_read_until_the_manager_opens_the_request(
    partner_client, manager_client, technician, organism, organism_manager
):
    older = _filed(technician, organism)
    PartnerRequest.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=10)
    )
    request = _filed(technician, organism)
    _asked(request, organism_manager)
    partner_client.post(_detail(request), {"text": REPLIED})
    reply = _requester_messages(request).get()

    page = _page(partner_client.get(_detail(request)))
    mine = page[page.index(f'id="message-{reply.pk}"') :]
    assert "Pas encore lu" in mine[: mine.index("</li>")]
    # In the queue, the reply says so and has its filter; the list alone reads nothing.
    queue = manager_client.get(QUEUE + "?status__exact=reply")
    assert [r.number for r in queue.context["cl"].result_list] == [request.number]
    assert "case-badge-reply" in queue.content.decode()
    reply.refresh_from_db()
    assert reply.read_at is None

    manager_client.get(_admin(request))

    reply.refresh_from_db()
    assert reply.read_by == organism_manager
    assert request.case_events.filter(action="read", message=reply).count() == 1
    with override("fr"):
        read = date_format(timezone.localtime(reply.read_at), "DATETIME_FORMAT")
    page = _page(partner_client.get(_detail(request)))
    mine = page[page.index(f'id="message-{reply.pk}"') :]
    mine = mine[: mine.index("</li>")]
    assert f"Lu le {read}" in mine
    assert "Pas encore lu" not in mine
    queue = manager_client.get(QUEUE)
    assert "case-badge-reply" not in queue.content.decode()
    assert [r.number for r in queue.context["cl"].result_list] == [older.number, request.number]
    # Opened again: still read once.
    manager_client.get(_admin(request))
    assert request.case_events.filter(action="read", message=reply).count() == 1


# -- The reminder -------------------------------------------------------------------------------
def test_a_request_awaiting_for_7_days_gets_one_reminder_then_another_a_week_later(
    technician, organism, organism_manager, convention, outbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    request = _filed(technician, organism)
    _asked(request, organism_manager)
    now = timezone.now()

    def waiting_since(**ago):
        PartnerRequest.objects.filter(pk=request.pk).update(
            awaiting_since=now - datetime.timedelta(**ago)
        )

    def reminded(**ago):
        PartnerRequest.objects.filter(pk=request.pk).update(
            reminded_at=now - datetime.timedelta(**ago)
        )

    def remind():
        with django_capture_on_commit_callbacks(execute=True):
            return send_reminders.delay().get()

    def reminders():
        return [m for m in outbox.all() if m.subject.strip().startswith("Rappel")]

    waiting_since(days=6, hours=23)
    assert remind() == 0
    waiting_since(days=7)
    assert remind() == 1
    assert remind() == 0, "run twice: one email"

    sent = reminders()
    assert len(sent) == 1
    email = sent[0]
    assert email.to == technician.email
    assert (
        email.subject.strip() == f"Rappel : votre demande {request.number} attend votre complément"
    )
    for body in (email.text, email.html):
        assert request.number in body
        assert "CPAM GIRONDE" in body
        assert HISTORY in body
        assert "avis d" not in body.lower()
    event = request.case_events.get(action="remind")
    assert event.notified_at is not None

    reminded(days=6, hours=23)
    assert remind() == 0
    reminded(days=7)
    assert remind() == 1
    assert len(reminders()) == 2

    # Answered: no reminder any more.
    case_move(case=request, move="reply", by=technician, text=REPLIED)
    reminded(days=30)
    assert remind() == 0
    assert len(reminders()) == 2


# -- Posted twice ---------------------------------------------------------------------------------
def test_a_reply_posted_twice_with_the_same_token_records_one_message(
    partner_client, technician, organism, organism_manager
):
    request = _filed(technician, organism)
    _asked(request, organism_manager)
    form = _page(partner_client.get(_detail(request)))
    token = re.search(r'name="token" value="([^"]+)"', form).group(1)

    first = partner_client.post(_detail(request), {"text": REPLIED, "token": token})
    second = partner_client.post(_detail(request), {"text": REPLIED, "token": token}, follow=True)

    assert first.status_code == 302
    assert _requester_messages(request).count() == 1
    assert request.case_events.filter(action="reply").count() == 1
    assert _page(second).count(REPLIED) == 1, "the thread shows the reply once"


def test_a_reply_refused_because_the_request_moved_on_says_why_and_keeps_the_text(
    partner_client, technician, organism, organism_manager
):
    request = _filed(technician, organism)
    _asked(request, organism_manager)
    case_move(case=request, move="resolve", by=organism_manager, text=ANSWERED)

    response = partner_client.post(_detail(request), {"text": "Un complément tapé longuement"})

    page = _page(response)
    assert (
        f"La demande {request.number} est « Résolu » : elle ne peut pas passer à "
        "« Pris en charge »." in page
    )
    assert "Un complément tapé longuement" in page
    assert not _requester_messages(request).exists()


def test_an_ask_posted_twice_with_the_same_token_records_one_message(
    manager_client, technician, organism, organism_manager, convention
):
    request = _filed(technician, organism)
    case_move(case=request, move="take", by=organism_manager)
    form = _page(manager_client.get(_admin(request, "ask")))
    token = re.search(r'name="token" value="([^"]+)"', form).group(1)

    first = manager_client.post(_admin(request, "ask"), {"text": ASKED, "token": token})
    second = manager_client.post(_admin(request, "ask"), {"text": ASKED, "token": token})

    assert (first.status_code, second.status_code) == (302, 302)
    assert second["Location"] == _admin(request)
    assert request.case_messages.filter(side="insurer").count() == 1
    assert request.case_events.filter(action="ask").count() == 1


def test_a_completion_says_in_the_thread_what_it_added(
    manager_client, partner_client, technician, organism
):
    from partners.services import partner_request_complete

    request = _filed(technician, organism)
    partner_request_complete(
        request=request, by=technician, comment="Commentaire complété.",
        attachments=[_upload(technician, "ajout.pdf")],
    )  # fmt: skip

    thread = _page(manager_client.get(_admin(request)))

    assert "Demande complétée" in thread
    assert "Commentaire complété, 1 pièce jointe ajoutée." in thread
