from io import StringIO

import pytest
from django.core import serializers
from django.core.management import call_command

from accounts.models import Member, User
from partners.conventions import State, situation_of, today
from partners.models import (
    Convention,
    Organism,
    OrganismService,
    PartnerRequest,
    PartnerRequestEvent,
    StructureMembership,
)
from portal.management.commands.load_demo import DEMO_PASSWORD
from requests_app.models import MemberRequest, RequestAnswer
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
        *PartnerRequestEvent.objects.order_by("pk"),
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


def test_marie_has_a_history_with_an_answer_and_nobody_is_emailed(outbox):
    call_command("load_demo", stdout=StringIO())
    marie = Member.objects.get(member_number="100001")
    statuses = set(MemberRequest.objects.filter(member=marie).values_list("status", flat=True))
    assert statuses == {"new", "in_progress", "resolved"}
    answer = RequestAnswer.objects.get(request__member=marie)
    assert answer.attachments.get().is_available()
    assert outbox.count("email") == 0


def test_running_it_twice_changes_nothing():
    call_command("load_demo", stdout=StringIO())
    first = _snapshot()
    call_command("load_demo", stdout=StringIO())
    assert _snapshot() == first


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


def test_cpam_gironde_has_a_manager_and_a_history_in_the_three_statuses(
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
    assert set(requests.values_list("status", flat=True)) == {"new", "in_progress", "resolved"}
    numbers = list(requests.values_list("number", flat=True))
    assert all(len(number) == 10 and number[2:5] == "331" for number in numbers)
    days_filed = {request.created_at.date() for request in requests}
    assert len(days_filed) > 3
    resolved = requests.filter(status="resolved").first()
    assert resolved.answer and resolved.answer_files.get().is_available()
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
