import datetime
from html import unescape
from io import StringIO

import pytest
from django.core import serializers
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Member, User
from casework.lifecycle import case_type_of
from casework.models import CaseEvent, CaseMessage, Side
from partners.conventions import State, situation_of, today
from partners.models import (
    Convention,
    Organism,
    OrganismService,
    PartnerRequest,
    StructureMembership,
)
from portal.management.commands.load_demo import DEMO_PASSWORD
from requests_app.models import MemberRequest
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db


def _snapshot() -> str:
    objects = [
        *User.objects.order_by("pk"),
        *Member.objects.order_by("pk"),
        *MemberRequest.objects.order_by("pk"),
        *Organism.objects.order_by("pk"),
        *OrganismService.objects.order_by("pk"),
        *Convention.objects.order_by("pk"),
        *StructureMembership.objects.order_by("pk"),
        *PartnerRequest.objects.order_by("pk"),
        *CaseEvent.objects.order_by("pk"),
        *CaseMessage.objects.order_by("pk"),
    ]
    return serializers.serialize("json", objects)


def test_it_loads_the_personas_of_the_readme():
    call_command("load_demo", stdout=StringIO())
    marie = Member.objects.get(member_number="100001")
    assert marie.beneficiaries.count() == 2
    assert marie.user.check_password(DEMO_PASSWORD)
    assert Member.objects.get(member_number="100002").is_activated
    assert not Member.objects.get(member_number="100003").is_activated
    assert User.objects.get(username="technicien").partner_membership.structure.name
    assert User.objects.get(username="gestionnaire.partenaire").role == "partner_manager"
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.role == "insurer_manager"


def test_marie_has_a_history_with_a_complement_asked_and_an_answer_and_nobody_is_emailed(
    outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())
    marie = Member.objects.get(member_number="100001")
    requests = MemberRequest.objects.filter(member=marie)
    assert set(requests.values_list("status", flat=True)) == {"new", "awaiting", "resolved"}
    quote = requests.get(kind="quote")
    assert quote.get_status_display() == "En attente de votre réponse"
    asked = CaseMessage.objects.get(case_type=case_type_of(quote).content_type(), case_id=quote.pk)
    assert (asked.side, asked.action) == (Side.INSURER, "ask")
    answer = _answer_of(requests.get(status="resolved"))
    assert answer.side == Side.INSURER and answer.text
    assert answer.attachments.get().is_available()
    # Nobody is emailed about demo data, even once the jobs queued at commit have run.
    assert outbox.count("email") == 0


def test_running_it_twice_changes_nothing():
    call_command("load_demo", stdout=StringIO())
    first = _snapshot()
    call_command("load_demo", stdout=StringIO())
    assert _snapshot() == first


def _answer_of(case) -> CaseMessage:
    """The answer of a resolved case: the insurer message of its "resolve" event."""
    return CaseEvent.objects.get(
        case_type=case_type_of(case).content_type(), case_id=case.pk, action="resolve"
    ).message


def _situations() -> dict:
    return {
        convention.organism.name: situation_of(convention)
        for convention in Convention.objects.filter(structure__name="CCAS de Bordeaux")
    }


def test_the_demo_structure_meets_the_five_situations_of_the_chooser():
    call_command("load_demo", stdout=StringIO())
    situations = _situations()
    assert {name: situation.state for name, situation in situations.items()} == {
        "CPAM GIRONDE": State.ACTIVE,
        "CPAM COTE D'OPALE": State.ACTIVE,
        "CPAM LOT ET GARONNE": State.ENDING,
        "CPAM DORDOGNE": State.UPCOMING,
        "CPAM LANDES": State.ENDED_OPEN,
    }
    conventions = {name: situation.convention for name, situation in situations.items()}
    assert (conventions["CPAM LOT ET GARONNE"].end_date - today()).days == 20
    assert conventions["CPAM DORDOGNE"].start_date > today()
    assert (today() - conventions["CPAM LANDES"].end_date).days == 10
    codes = dict(Organism.objects.values_list("name", "code"))
    assert codes == {
        "CPAM GIRONDE": "331",
        "CPAM COTE D'OPALE": "622",
        "CPAM LOT ET GARONNE": "471",
        "CPAM DORDOGNE": "241",
        "CPAM LANDES": "401",
    }
    assert Organism.objects.get(code="331").services.count() == 5
    assert Organism.objects.get(code="622").services.count() == 3


def test_cpam_gironde_has_a_manager_and_a_history_in_every_status_but_cancelled(
    outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())
    manager = User.objects.get(username="gestionnaire.cpam")
    assert manager.role == "insurer_manager" and manager.is_staff and not manager.is_superuser
    assert manager.check_password(DEMO_PASSWORD)
    assert list(manager.managed_organisms.values_list("code", flat=True)) == ["331"]
    requests = PartnerRequest.objects.filter(
        organism__code="331", structure__name="CCAS de Bordeaux"
    )
    assert set(requests.values_list("status", flat=True)) == {
        "new",
        "in_progress",
        "awaiting",
        "resolved",
    }
    urgence = requests.get(motif="urgence")
    assert urgence.status == "awaiting"
    assert urgence.get_status_display() == "En attente de complément"
    assert (timezone.now() - urgence.created_at).days == 12
    numbers = list(requests.values_list("number", flat=True))
    assert all(len(number) == 10 and number[2:5] == "331" for number in numbers)
    days_filed = {request.created_at.date() for request in requests}
    assert len(days_filed) > 3
    for resolved in requests.filter(status="resolved"):
        answer = _answer_of(resolved)
        assert answer.text
        answer_file = answer.attachments.get()
        assert answer_file.is_available()
        # The dates tell one story: the file was sent with the answer and is kept the
        # guide's 15 days from then, not from the day the demo was loaded.
        assert answer_file.attached_at == resolved.resolved_at == answer.created_at
        assert answer_file.expires_at == resolved.resolved_at + datetime.timedelta(days=15)
        assert (timezone.now() - resolved.resolved_at).days >= 3
    for sent_file in requests.get(motif="aide_financiere").attachments.all():
        assert sent_file.attached_at == requests.get(motif="aide_financiere").created_at
    landes = PartnerRequest.objects.get(organism__code="401")
    assert landes.status == "in_progress"
    assert landes.created_at.date() < Convention.objects.get(organism__code="401").end_date
    # Nobody is emailed about demo data, even once the jobs queued at commit have run.
    assert outbox.count("email") == 0


def test_the_demo_partner_accounts_land_on_the_chooser(client):
    call_command("load_demo", stdout=StringIO())
    technician = User.objects.get(username="technicien")
    assert technician.check_password(DEMO_PASSWORD)
    _sign_in(client, technician)
    page = client.get("/partenaires/").content.decode()
    for name in ("CPAM GIRONDE", "CPAM LOT ET GARONNE *", "CPAM DORDOGNE *", "CPAM LANDES *"):
        assert name in page


def test_the_files_of_maries_requests_carry_the_dates_of_their_requests():
    call_command("load_demo", stdout=StringIO())
    for request in MemberRequest.objects.filter(member__member_number="100001"):
        for stored in request.attachments.all():
            assert stored.attached_at == request.created_at
        for message in CaseMessage.objects.filter(
            case_type=case_type_of(request).content_type(), case_id=request.pk
        ):
            assert message.created_at >= request.created_at
            for stored in message.attachments.all():
                assert stored.attached_at == message.created_at


def test_hugo_leroy_shows_an_activation_by_sms_without_a_mobile(client):
    """The README's demo row: "Activer mon espace" by SMS for Hugo LEROY says no mobile is on
    file (issue 16, point 20)."""
    call_command("load_demo", stdout=StringIO())
    client.post(reverse("accounts:activate"), {"email": "hugo.leroy@example.org"})
    page = client.post(reverse("accounts:activate_channel"), {"channel": "sms"})
    assert "Aucun téléphone mobile n'est enregistré" in unescape(page.content.decode())
