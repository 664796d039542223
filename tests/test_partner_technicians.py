"""Partner managers create, deactivate and reactivate their structure's technicians, within the
cap of active technicians set by the organisms."""

import datetime
import re
import threading
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from partners.conventions import today
from partners.models import StructureMembership
from partners.technicians import (
    TechnicianError,
    structure_technician_cap,
    technician_create,
    technician_deactivate,
    technician_reactivate,
)
from tests.factories import ConventionFactory, make_partner_user
from tests.test_access_matrix import _sign_in
from tests.test_signin import password_step, sign_in

pytestmark = pytest.mark.django_db

LIST = reverse("partners:technicians")
NEW = reverse("partners:technician_new")
CAP_MESSAGE = (
    "Votre structure a atteint le nombre maximum de techniciens actifs fixé par l'organisme ({})."
)


def deactivate_url(user):
    return reverse("partners:technician_deactivate", args=[user.pk])


def reactivate_url(user):
    return reverse("partners:technician_reactivate", args=[user.pk])


def page(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def manager_client(client, partner_manager, convention):
    _sign_in(client, partner_manager)
    return client


def set_cap(convention, cap):
    convention.technician_cap = cap
    convention.save()


def new_technician(client, email="luc.martin@example.org", **extra):
    data = {"first_name": "Luc", "last_name": "Martin", "email": email, **extra}
    return client.post(NEW, data)


# -- The cap ---------------------------------------------------------------------------------
def test_the_cap_is_the_smallest_among_the_conventions_not_closed(structure, convention):
    set_cap(convention, 5)
    ConventionFactory(structure=structure, technician_cap=3)
    ConventionFactory(
        structure=structure,
        technician_cap=4,
        start_date=today() + datetime.timedelta(days=60),
        end_date=today() + datetime.timedelta(days=800),
    )
    assert structure_technician_cap(structure=structure) == 3


def test_a_closed_convention_no_longer_sets_the_cap(structure, convention):
    set_cap(convention, 5)
    ConventionFactory(
        structure=structure,
        technician_cap=1,
        start_date=today() - datetime.timedelta(days=400),
        end_date=today() - datetime.timedelta(days=31),
    )
    assert structure_technician_cap(structure=structure) == 5


def test_a_structure_without_a_convention_may_have_no_active_technician(structure, partner_manager):
    assert structure_technician_cap(structure=structure) == 0
    with pytest.raises(TechnicianError):
        technician_create(
            by=partner_manager,
            structure=structure,
            first_name="Luc",
            last_name="Martin",
            email="luc@example.org",
        )


# -- Creating ---------------------------------------------------------------------------------
def test_a_manager_creates_a_technician_who_is_invited_to_choose_a_password(
    manager_client, structure, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = new_technician(manager_client, email="Luc.Martin@Example.org")
    assert response.status_code == 302 and response.url == LIST
    luc = User.objects.get(email__iexact="luc.martin@example.org")
    assert (luc.role, luc.first_name, luc.last_name, luc.is_active) == (
        User.Role.TECHNICIAN,
        "Luc",
        "MARTIN",
        True,
    )
    assert not luc.has_usable_password()
    assert StructureMembership.objects.get(user=luc).structure == structure
    email = outbox.last("email", to="Luc.Martin@example.org")
    assert email.subject == "Votre accès à l'Espace Partenaires"
    assert structure.name in email.text and structure.name in email.html
    assert "/compte/mot-de-passe-oublie/" in email.link()
    listed = page(manager_client.get(LIST))
    assert "MARTIN Luc" in listed and "Invitation envoyée à Luc.Martin@example.org" in listed


def test_the_invited_technician_chooses_a_password_then_signs_in_with_a_code(
    client, partner_manager, structure, convention, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        luc = technician_create(
            by=partner_manager,
            structure=structure,
            first_name="Luc",
            last_name="Martin",
            email="luc.martin@example.org",
        )
    link = outbox.last("email", to=luc.email).link()
    new_password = "un mot de passe bien long 2026"
    response = client.post(link, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302, page(response)[:3000]
    response = sign_in(
        client, luc, new_password, outbox, channel="email", identifier="luc.martin@example.org"
    )
    assert response.url == reverse("partners:choose")


def test_an_email_already_used_is_refused_whatever_its_case(
    manager_client, technician, django_capture_on_commit_callbacks
):
    response = new_technician(manager_client, email=technician.email.upper())
    assert response.status_code == 200
    html = page(response)
    assert 'id="id_email_error"' in html
    assert "Cette adresse email est déjà utilisée par un compte de votre structure." in html
    assert 'value="Luc"' in html  # nothing typed is lost
    assert User.objects.filter(email__iexact=technician.email).count() == 1


def test_the_service_refuses_a_duplicate_email_too(partner_manager, structure, convention):
    with pytest.raises(TechnicianError) as refused:
        technician_create(
            by=partner_manager,
            structure=structure,
            first_name="Sophie",
            last_name="Bis",
            email=partner_manager.email.upper(),
        )
    assert (
        refused.value.message
        == "Cette adresse email est déjà utilisée par un compte de votre structure."
    )


def test_missing_fields_are_shown_next_to_each_field(manager_client):
    html = page(manager_client.post(NEW, {"first_name": "", "last_name": "", "email": "nope"}))
    for field in ("first_name", "last_name", "email"):
        assert f'id="id_{field}_error"' in html
    assert "Saisissez une adresse email valide" in html


def test_creating_beyond_the_cap_is_refused_with_the_cap_in_the_message(
    manager_client, convention, technician
):
    set_cap(convention, 1)
    response = new_technician(manager_client)
    assert response.status_code == 200
    assert CAP_MESSAGE.format(1) in page(response)
    assert not User.objects.filter(email="luc.martin@example.org").exists()


def test_inactive_technicians_do_not_count_against_the_cap(manager_client, convention, technician):
    set_cap(convention, 1)
    User.objects.filter(pk=technician.pk).update(is_active=False)
    assert new_technician(manager_client).status_code == 302


def test_the_cap_holds_when_the_structure_was_read_before_another_creation(
    partner_manager, structure, convention
):
    """Two managers at once: the count is made after locking the structure row, so the second
    creation sees the first one (on PostgreSQL the second one waits for the first)."""
    set_cap(convention, 1)
    technician_create(by=partner_manager, structure=structure, first_name="A", last_name="A",
                      email="a@example.org")  # fmt: skip
    with pytest.raises(TechnicianError) as refused:
        technician_create(by=partner_manager, structure=structure, first_name="B",
                          last_name="B", email="b@example.org")  # fmt: skip
    assert refused.value.message == CAP_MESSAGE.format(1)


@pytest.mark.django_db(transaction=True)
def test_four_managers_at_once_cannot_pass_the_cap(structure):
    ConventionFactory(structure=structure, technician_cap=1)
    managers = [make_partner_user(User.Role.PARTNER_MANAGER, structure) for _ in range(4)]
    results, errors = [], []
    barrier = threading.Barrier(len(managers))

    def create(by, email):
        try:
            barrier.wait(timeout=10)
            technician_create(by=by, structure=structure, first_name="Luc", last_name="Martin",
                              email=email)  # fmt: skip
            results.append("created")
        except TechnicianError as refused:
            results.append(refused.message)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=create, args=(manager, f"luc{number}@example.org"))
        for number, manager in enumerate(managers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(results) == sorted(["created"] + [CAP_MESSAGE.format(1)] * 3)
    active = User.objects.filter(role=User.Role.TECHNICIAN, is_active=True)
    assert active.count() == 1


# -- Listing, deactivating, reactivating -----------------------------------------------------
def test_the_list_shows_active_and_inactive_technicians_with_their_action(
    manager_client, structure, technician, other_technician
):
    former = make_partner_user(User.Role.TECHNICIAN, structure, first_name="Ancien",
                               last_name="Collegue", is_active=False)  # fmt: skip
    html = page(manager_client.get(LIST))
    assert technician.email in html and former.email in html
    assert other_technician.email not in html
    assert deactivate_url(technician) in html and reactivate_url(former) in html
    assert "Désactiver" in html and "Réactiver" in html and "Désactivé" in html
    assert "Créer un technicien" in html


def test_deactivation_ends_the_technicians_session_and_sign_in(
    manager_client, technician, password
):
    technician_browser = Client()
    _sign_in(technician_browser, technician)
    assert technician_browser.get(reverse("partners:choose")).status_code == 200

    response = manager_client.post(deactivate_url(technician))
    assert response.status_code == 302 and response.url == LIST
    technician.refresh_from_db()
    assert not technician.is_active

    response = technician_browser.get(reverse("partners:choose"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    refused = password_step(Client(), technician.username, password)
    assert refused.status_code == 200
    assert "Identifiant ou mot de passe incorrect." in page(refused)


def test_reactivation_lets_the_technician_sign_in_again(manager_client, technician, password):
    manager_client.post(deactivate_url(technician))
    response = manager_client.post(reactivate_url(technician))
    assert response.status_code == 302
    technician.refresh_from_db()
    assert technician.is_active
    assert password_step(Client(), technician.username, password).url == (
        reverse("accounts:two_factor")
    )


def test_reactivating_beyond_the_cap_is_refused_with_the_cap_in_the_message(
    manager_client, convention, structure, technician
):
    former = make_partner_user(User.Role.TECHNICIAN, structure, is_active=False)
    set_cap(convention, 1)
    response = manager_client.post(reactivate_url(former), follow=True)
    assert CAP_MESSAGE.format(1) in page(response)
    former.refresh_from_db()
    assert not former.is_active


def test_the_deactivate_and_reactivate_actions_need_a_post(manager_client, technician):
    # "Désactiver" asks for a confirmation first.
    confirm = manager_client.get(deactivate_url(technician))
    assert confirm.status_code == 200
    html = page(confirm)
    assert f"Désactiver {technician.get_full_name()} ?" in html
    assert "Confirmer la désactivation" in html
    assert manager_client.get(reactivate_url(technician)).status_code == 405
    technician.refresh_from_db()
    assert technician.is_active


def test_a_manager_cannot_deactivate_themselves(manager_client, partner_manager):
    assert manager_client.post(deactivate_url(partner_manager)).status_code == 404
    with pytest.raises(TechnicianError):
        technician_deactivate(by=partner_manager, technician=partner_manager)
    partner_manager.refresh_from_db()
    assert partner_manager.is_active


def test_another_structures_technician_is_a_404(manager_client, other_technician):
    assert manager_client.post(deactivate_url(other_technician)).status_code == 404
    User.objects.filter(pk=other_technician.pk).update(is_active=False)
    assert manager_client.post(reactivate_url(other_technician)).status_code == 404
    other_technician.refresh_from_db()
    assert not other_technician.is_active


def test_the_services_refuse_another_structures_manager(partner_manager, other_technician):
    for change in (technician_deactivate, technician_reactivate):
        with pytest.raises(TechnicianError):
            change(by=partner_manager, technician=other_technician)


@pytest.mark.parametrize("url_name", ["technicians", "technician_new"])
def test_a_technician_gets_a_404_on_the_technicians_pages(client, technician, url_name):
    _sign_in(client, technician)
    assert client.get(reverse(f"partners:{url_name}")).status_code == 404


def test_a_technician_cannot_deactivate_a_colleague(client, technician, structure):
    colleague = make_partner_user(User.Role.TECHNICIAN, structure)
    _sign_in(client, technician)
    assert client.post(deactivate_url(colleague)).status_code == 404
    colleague.refresh_from_db()
    assert colleague.is_active


def test_the_menu_offers_the_technicians_page_to_managers_only(
    manager_client, client, technician, convention
):
    chooser = page(manager_client.get(reverse("partners:choose")))
    assert f'href="{LIST}"' in chooser
    _sign_in(client, technician)
    assert f'href="{LIST}"' not in page(client.get(reverse("partners:choose")))


def test_the_list_says_how_many_are_active_out_of_the_cap(manager_client, convention, technician):
    set_cap(convention, 4)
    html = page(manager_client.get(LIST))
    assert re.search(r"1 technicien actif sur 4 au maximum", html)


# -- Invitations (issue 16, point 6) ---------------------------------------------------------
def _invite(manager_client, django_capture_on_commit_callbacks, email="luc.martin@example.org"):
    with django_capture_on_commit_callbacks(execute=True):
        return new_technician(manager_client, email=email)


def test_an_invited_technician_shows_as_invitation_sent_with_its_date(
    manager_client, django_capture_on_commit_callbacks, technician
):
    _invite(manager_client, django_capture_on_commit_callbacks)
    luc = User.objects.get(email="luc.martin@example.org")
    html = page(manager_client.get(LIST))
    today = timezone.localdate().strftime("%d/%m/%Y")
    row = html[html.index("MARTIN Luc") :]
    assert f"Invitation envoyée le {today}" in row[: row.index("</tr>")]
    assert "Renvoyer l'invitation" in html and "Annuler l'invitation" in html
    assert reverse("partners:technician_invitation_cancel", args=[luc.pk]) in html
    # The pending invitation counts, and the page says so.
    assert "2 techniciens actifs sur 5" in html
    assert "Une invitation en attente compte parmi les techniciens actifs" in html
    # A technician who signed in is "Actif".
    before = html[html.index(technician.email) - 300 : html.index(technician.email) + 400]
    assert "Actif" in before


def test_a_manager_resends_an_invitation_and_the_old_link_stops_working(
    manager_client, django_capture_on_commit_callbacks, outbox, client
):
    _invite(manager_client, django_capture_on_commit_callbacks)
    luc = User.objects.get(email="luc.martin@example.org")
    first = outbox.last("email", to=luc.email).link()
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("partners:technician_invitation_resend", args=[luc.pk]), follow=True
        )
    assert "Une nouvelle invitation a été envoyée à luc.martin@example.org" in page(response)
    second = outbox.last("email", to=luc.email).link()
    assert second != first
    assert Client().get(first).status_code == 410  # the first link is dead
    assert Client().get(second, follow=True).status_code == 200


def test_a_manager_cancels_an_invitation_and_frees_its_place(
    manager_client, django_capture_on_commit_callbacks, convention
):
    set_cap(convention, 1)
    _invite(manager_client, django_capture_on_commit_callbacks)
    luc = User.objects.get(email="luc.martin@example.org")
    assert CAP_MESSAGE.format(1) in page(
        _invite(manager_client, django_capture_on_commit_callbacks, email="eve@example.org")
    )
    response = manager_client.post(
        reverse("partners:technician_invitation_cancel", args=[luc.pk]), follow=True
    )
    assert "L'invitation de Luc MARTIN est annulée." in page(response)
    assert not User.objects.filter(pk=luc.pk).exists()
    assert (
        _invite(manager_client, django_capture_on_commit_callbacks, "eve@example.org").status_code
        == 302
    )


def test_an_invitation_already_accepted_cannot_be_cancelled(manager_client, technician):
    response = manager_client.post(
        reverse("partners:technician_invitation_cancel", args=[technician.pk]), follow=True
    )
    assert "Ce technicien a déjà choisi son mot de passe." in page(response)
    assert User.objects.filter(pk=technician.pk).exists()


def test_creating_with_the_email_of_an_account_elsewhere_reveals_nothing(
    manager_client, django_capture_on_commit_callbacks, member, other_technician, outbox
):
    for email in [member.user.email.upper(), other_technician.email]:
        response = _invite(manager_client, django_capture_on_commit_callbacks, email=email)
        assert response.status_code == 302 and response.url == LIST
        listed = page(manager_client.get(LIST))
        assert f"Invitation envoyée à {email.split('@')[0]}@" in listed
        assert "déjà utilisée" not in listed
    assert User.objects.filter(role=User.Role.TECHNICIAN).count() == 1  # nobody created
    # The address's owner learns that someone tried, and why nothing was created.
    notice = outbox.last("email", to=other_technician.email)
    assert "aucun accès n'a été créé" in notice.text
