from io import StringIO

import pytest
from django.core import serializers
from django.core.management import call_command

from accounts.models import Member, User
from portal.management.commands.load_demo import DEMO_PASSWORD
from requests_app.models import MemberRequest, RequestAnswer

pytestmark = pytest.mark.django_db


def _snapshot() -> str:
    objects = [
        *User.objects.order_by("pk"),
        *Member.objects.order_by("pk"),
        *MemberRequest.objects.order_by("pk"),
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
