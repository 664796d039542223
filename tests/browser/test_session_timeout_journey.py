"""Issue 14, time limits, in Chromium at 375 px: a form filled with two files whose session
ended on the server comes back filled, files included, after signing in again; and the
warning dialog extends the session by keyboard alone."""

import re

import pytest
from django.contrib.sessions.models import Session

from tests.browser.conftest import open_signed_in
from tests.browser.test_upload_widget import _attached_ids, _drop
from tests.helpers.axe import assert_no_violation
from tests.test_uploads import image_bytes, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = "/demandes/envoyer-un-document/"
phone_only = pytest.mark.parametrize("viewport", ["phone"], indirect=True)


@phone_only
def test_a_form_sent_after_the_session_ended_comes_back_filled_with_its_files(
    new_page, live_server, member, password, outbox
):
    page = open_signed_in(new_page, live_server, member.user, URL)
    page.get_by_label("Type de demande").select_option(label="Facture")
    page.get_by_label("Type de soins").select_option(label="Pharmacie")
    page.get_by_label("Bénéficiaire concerné").select_option(label="Lucas MARTIN")
    page.get_by_label("Date des soins").fill("02/11/2026")
    page.get_by_label("Montant de la facture (€)").fill("42,80")
    page.get_by_label("Informations complémentaires").fill("La facture de la pharmacie du centre.")
    _drop(
        page,
        ("facture-pharmacie.pdf", "application/pdf", pdf_bytes()),
        ("ordonnance.jpg", "image/jpeg", image_bytes("JPEG")),
    )
    page.get_by_role("button", name="Retirer « facture-pharmacie.pdf »").wait_for()
    page.get_by_role("button", name="Retirer « ordonnance.jpg »").wait_for()
    files = sorted(_attached_ids(page))
    assert len(files) == 2

    # The session ends on the server while the member reads the form over.
    Session.objects.all().delete()
    # A third file dropped now is refused with the session's message, not "vérifiez votre
    # connexion" (the bug of uploader.js), and the two files already kept stay.
    _drop(page, ("note.pdf", "application/pdf", pdf_bytes()))
    page.get_by_text(
        "Le fichier « note.pdf » n'a pas été joint : votre session a expiré."
    ).wait_for()
    assert page.get_by_text("Vérifiez votre connexion").count() == 0
    assert sorted(_attached_ids(page)) == files
    page.get_by_role("button", name="Vérifier le résumé").click()
    page.wait_for_url(re.compile(r"/compte/connexion/"))
    assert page.get_by_text("Votre session a expiré. Reconnectez-vous").is_visible()

    page.get_by_label("Identifiant").fill(member.member_number)
    page.get_by_label(re.compile(r"^Mot de passe\b")).fill(password)
    page.get_by_role("button", name="Me connecter").click()
    page.get_by_label(re.compile("Email à")).check()
    page.get_by_role("button", name="Envoyer le code").click()
    page.get_by_label("Code de sécurité").fill(outbox.last("email").code())
    page.get_by_role("button", name="Continuer").click()

    # Back on the same form, filled, with both files, and told why.
    page.wait_for_url(re.compile(re.escape(URL) + "$"))
    notice = "Votre session avait expiré : votre saisie a été conservée."
    assert page.get_by_text(notice).is_visible()
    assert page.get_by_label("Montant de la facture (€)").input_value() == "42,80"
    assert page.get_by_label("Date des soins").input_value() == "02/11/2026"
    assert page.get_by_label("Informations complémentaires").input_value() == (
        "La facture de la pharmacie du centre."
    )
    assert page.get_by_role("button", name="Retirer « facture-pharmacie.pdf »").is_visible()
    assert page.get_by_role("button", name="Retirer « ordonnance.jpg »").is_visible()
    assert sorted(_attached_ids(page)) == files

    page.get_by_role("button", name="Vérifier le résumé").click()
    page.get_by_role("heading", name="Vérifier le résumé").wait_for()
    assert page.get_by_text("42,80 €").is_visible()
    assert page.get_by_text("ordonnance.jpg").first.is_visible()


@phone_only
def test_the_warning_dialog_extends_the_session_by_keyboard_alone(
    new_page, live_server, member, settings
):
    settings.SESSION_COOKIE_AGE = 123  # the dialog opens 3 seconds after the page
    page = open_signed_in(new_page, live_server, member.user, URL)
    dialog = page.get_by_role("alertdialog", name="Votre session va bientôt expirer")
    dialog.wait_for()
    assert "déconnecté dans 2 minutes" in dialog.inner_text()
    # Focus is in the dialog, on "Rester connecté"; Tab stays inside it.
    focused = "document.activeElement.textContent.trim()"
    assert page.evaluate(focused) == "Rester connecté"
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == "Se déconnecter"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(focused) == "Rester connecté"
    assert_no_violation(page)

    before = Session.objects.get().expire_date
    page.wait_for_timeout(1100)  # so that the new limit is later by whole seconds
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden")
    assert Session.objects.get().expire_date > before
    # Still signed in: the form is there, not the sign-in page.
    page.reload()
    assert page.get_by_label("Montant de la facture (€)").is_visible()
