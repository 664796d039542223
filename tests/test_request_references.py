"""Request references: readable, unique and gapless even when members submit at the same time."""

import threading

import pytest
from django.db import connection, transaction

from portal.sequences import SequenceExhausted, sequence_next
from requests_app.models import MemberRequest
from requests_app.services import member_request_submit


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_consecutive_references(member, other_member):
    members = [member, other_member] * 4
    errors = []
    barrier = threading.Barrier(len(members))

    def submit(who):
        try:
            barrier.wait(timeout=10)
            for _ in range(5):
                member_request_submit(member=who, kind="question", by=who.user, message="Bonjour")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(who,)) for who in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    references = sorted(MemberRequest.objects.values_list("reference", flat=True))
    assert len(references) == 40
    numbers = [int(ref.rsplit("-", 1)[1]) for ref in references]
    assert numbers == list(range(1, 41))


@pytest.mark.django_db
def test_a_rolled_back_submission_gives_its_number_back(member):
    first = member_request_submit(member=member, kind="question", by=member.user, message="A")
    with pytest.raises(RuntimeError), transaction.atomic():
        member_request_submit(member=member, kind="question", by=member.user, message="B")
        raise RuntimeError("the mail server fell over mid-way")
    second = member_request_submit(member=member, kind="question", by=member.user, message="C")
    assert int(second.reference[-6:]) == int(first.reference[-6:]) + 1


@pytest.mark.django_db
def test_a_counter_refuses_to_pass_its_maximum():
    with transaction.atomic():
        assert sequence_next("tiny", maximum=2) == 1
        assert sequence_next("tiny", maximum=2) == 2
    with pytest.raises(SequenceExhausted), transaction.atomic():
        sequence_next("tiny", maximum=2)
    with transaction.atomic():
        assert sequence_next("other") == 1
