"""Issue 14, time limits: a form sent after the session ended is kept, and given back filled
(files included) after the sign-in; the upload script is told the session ended; "Rester
connecté" moves the idle limit."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from accounts.models import CodeDevice
from accounts.remember import cookie_write
from partners.catalogue import SERVICES
from partners.models import PartnerRequest, Service, StructureMembership
from requests_app.models import MemberRequest
from tests.test_access_matrix import _sign_in
from tests.test_partner_ods import upload, valid
from tests.test_request_document import (
    URL,
    a_pdf,
    a_png,
    hidden_inputs,
    invoice,
    kept_file_ids,
    page_of,
    review,
)
from tests.test_request_history import submit

pytestmark = pytest.mark.django_db

KEPT_NOTICE = "Votre session avait expiré : votre saisie a été conservée."
SIGNIN_NOTICE = "Votre session a expiré. Reconnectez-vous"


def _expire_session(client) -> None:
    """The session ends on the server (idle limit), the browser still sends its cookie."""
    Session.objects.all().delete()


def test_a_summary_asked_after_the_session_ended_comes_back_filled_after_the_sign_in(
    client, member
):
    _sign_in(client, member.user)
    summary = review(client, invoice(member, message="Facture du 15 janvier, merci."),
                     [a_pdf(), a_png()])  # fmt: skip
    posted = hidden_inputs(summary)
    files = kept_file_ids(summary)
    assert len(files) == 2
    _expire_session(client)

    refused = client.post(URL, {**posted, "_action": "review"}, follow=True)
    assert refused.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert SIGNIN_NOTICE in page_of(refused)

    _sign_in(client, member.user)
    page = page_of(client.get(URL))
    assert KEPT_NOTICE in page
    assert "Facture du 15 janvier, merci." in page
    assert 'value="12,50"' in page
    assert "facture.pdf" in page and "ordonnance.png" in page
    for file_id in files:
        assert f'value="{file_id}"' in page
    assert MemberRequest.objects.count() == 0
    # Given back once: the next visit is a fresh form.
    assert KEPT_NOTICE not in page_of(client.get(URL))


def test_a_kept_form_is_not_given_to_another_account(client, member, other_member):
    _sign_in(client, member.user)
    summary = review(client, invoice(member, message="Texte de Marie."), [a_pdf()])
    _expire_session(client)
    client.post(URL, {**hidden_inputs(summary), "_action": "review"})

    _sign_in(client, other_member.user)
    page = page_of(client.get(URL))
    assert KEPT_NOTICE not in page
    assert "Texte de Marie." not in page


def test_an_ods_sent_after_the_session_ended_comes_back_filled_on_its_organism(
    partner_client, technician, convention
):
    StructureMembership.objects.filter(user=technician).update(last_organism=convention.organism_id)
    url = reverse("partners:new", args=[SERVICES[Service.CASE_STUDY].slug])
    file_id = upload(partner_client, "PJ1.pdf")
    data = valid(Service.CASE_STUDY, comment="Dossier de Mme Pain, à compléter.")
    _expire_session(partner_client)

    refused = partner_client.post(url, {**data, "files": [file_id]}, follow=True)
    assert refused.redirect_chain[-1][0].startswith(reverse("accounts:login"))

    _sign_in(partner_client, technician)
    response = partner_client.get(url)
    assert response.status_code == 200
    page = page_of(response)
    assert KEPT_NOTICE in page
    assert "Dossier de Mme Pain, à compléter." in page
    assert "PJ1.pdf" in page and f'value="{file_id}"' in page
    assert PartnerRequest.objects.count() == 0


def test_an_upload_after_the_session_ended_is_told_so(client, member):
    _sign_in(client, member.user)
    _expire_session(client)
    response = client.post(
        reverse("documents:upload", args=["envoi"]),
        {"file": a_pdf()},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 401
    assert response.json() == {"signed_out": True}


def test_staying_signed_in_moves_the_idle_limit(client, member, settings):
    settings.SESSION_COOKIE_AGE = 600
    _sign_in(client, member.user)
    page = page_of(client.get("/"))
    assert 'role="alertdialog"' in page and "Rester connecté" in page
    assert 'data-warn-after="480"' in page
    # Eight minutes later, one minute is left.
    one_minute_left = timezone.now() + timedelta(seconds=60)
    Session.objects.update(expire_date=one_minute_left)

    response = client.post(reverse("accounts:session_extend"))
    assert response.status_code == 200
    assert response.json() == {"idle_seconds": 600, "warn_after": 480}
    assert Session.objects.get().expire_date >= one_minute_left + timedelta(seconds=500)


def test_staying_signed_in_after_the_end_says_so(client, member):
    _sign_in(client, member.user)
    _expire_session(client)
    response = client.post(reverse("accounts:session_extend"))
    assert response.status_code == 401


def test_a_form_without_files_goes_back_to_the_account_this_browser_remembers(
    client, member, other_member
):
    _sign_in(client, member.user)
    remembered = HttpResponse()
    device = CodeDevice.objects.filter(user=member.user).first()
    cookie_write(remembered, user=member.user, key="k", device=device)
    client.cookies[settings.REMEMBER_BROWSER_COOKIE] = remembered.cookies[
        settings.REMEMBER_BROWSER_COOKIE
    ].value
    _expire_session(client)
    client.post(
        URL, {**invoice(member, message="Texte de Marie, sans fichier."), "_action": "review"}
    )

    _sign_in(client, other_member.user)
    assert "Texte de Marie, sans fichier." not in page_of(client.get(URL))

    _expire_session(client)
    client.post(
        URL, {**invoice(member, message="Texte de Marie, sans fichier."), "_action": "review"}
    )
    _sign_in(client, member.user)
    page = page_of(client.get(URL))
    assert KEPT_NOTICE in page and "Texte de Marie, sans fichier." in page


def test_a_message_written_after_the_session_ended_comes_back_on_the_request_page(client, member):
    sent = submit(member)
    _sign_in(client, member.user)
    detail = f"/demandes/{sent.reference}/"
    token = hidden_inputs(client.get(detail))["token"][0]
    _expire_session(client)
    client.post(detail, {"text": "J'oubliais : la séance était le 3 mars.", "token": token})

    _sign_in(client, member.user)
    page = page_of(client.get(detail))
    assert KEPT_NOTICE in page
    assert "J'oubliais : la séance était le 3 mars." in page
    assert f'value="{token}"' in page  # sent again, it counts once
    assert "Vous · Message ajouté" not in page  # nothing was recorded while signed out
