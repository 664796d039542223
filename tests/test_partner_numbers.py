"""Partner request numbers: two-digit year + the organism's 3-digit code + a 5-digit sequence per
organism and year; never malformed, unique and consecutive when technicians file at the same
time."""

import re
import threading

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import User
from casework.models import CaseEvent
from casework.services import CaseError
from partners.catalogue import Service
from partners.models import PartnerRequest
from partners.services import request_number
from portal.models import Sequence
from tests.factories import (
    ConventionFactory,
    OrganismFactory,
    StructureFactory,
    make_partner_request,
    make_partner_user,
)

EXHAUSTED = (
    "L'organisme a atteint le nombre maximum de demandes pour cette année (99999) : la demande "
    "n'a pas été enregistrée. Contactez l'organisme."
)


def this_year() -> int:
    return timezone.localdate().year


def prefix(code: str) -> str:
    """What every number of this year at organism `code` starts with."""
    return f"{this_year() % 100:02d}{code}"


def test_a_number_is_the_year_the_organism_code_and_a_five_digit_sequence():
    assert request_number(year=2022, organism_code="331", sequence=11) == "2233100011"
    assert request_number(year=2005, organism_code="064", sequence=1) == "0506400001"
    assert request_number(year=2030, organism_code="999", sequence=99999) == "3099999999"


@pytest.mark.django_db
def test_each_organism_numbers_its_requests_from_1(technician, convention, organism):
    landes = OrganismFactory(name="CPAM LANDES", code="401")
    ConventionFactory(structure=technician.partner_membership.structure, organism=landes)

    first = make_partner_request(technician=technician, organism=organism)
    elsewhere = make_partner_request(technician=technician, organism=landes)
    second = make_partner_request(technician=technician, organism=organism)

    assert first.number == f"{prefix('331')}00001"
    assert second.number == f"{prefix('331')}00002"
    assert elsewhere.number == f"{prefix('401')}00001"


@pytest.mark.django_db
def test_the_structures_of_an_organism_share_its_sequence(
    technician, other_technician, convention, organism
):
    ConventionFactory(structure=other_technician.partner_membership.structure, organism=organism)

    ours = make_partner_request(technician=technician, organism=organism)
    theirs = make_partner_request(technician=other_technician, organism=organism)

    assert [ours.number, theirs.number] == [f"{prefix('331')}00001", f"{prefix('331')}00002"]


@pytest.mark.django_db
def test_each_year_has_its_own_sequence(technician, convention, organism):
    Sequence.objects.create(name=f"partner-331-{this_year() - 1}", value=4242)

    first = make_partner_request(technician=technician, organism=organism)

    assert first.number == f"{prefix('331')}00001"
    assert Sequence.objects.get(name=f"partner-331-{this_year() - 1}").value == 4242
    assert Sequence.objects.get(name=f"partner-331-{this_year()}").value == 1


@pytest.mark.django_db
def test_numbering_continues_from_the_years_counter(technician, convention, organism):
    Sequence.objects.create(name=f"partner-331-{this_year()}", value=41)

    request = make_partner_request(technician=technician, organism=organism)

    assert request.number == f"{prefix('331')}00042"


@pytest.mark.django_db
def test_the_99999th_request_of_a_year_is_the_last(technician, convention, organism):
    Sequence.objects.create(name=f"partner-331-{this_year()}", value=99_998)

    last = make_partner_request(technician=technician, organism=organism)

    assert last.number == f"{prefix('331')}99999"


@pytest.mark.django_db
def test_a_year_past_99999_is_refused_and_leaves_no_request(technician, convention, organism):
    Sequence.objects.create(name=f"partner-331-{this_year()}", value=99_999)

    with pytest.raises(CaseError) as refused:
        make_partner_request(technician=technician, organism=organism, service=Service.DOCUMENT)

    assert refused.value.message == EXHAUSTED
    assert not PartnerRequest.objects.exists()
    assert not CaseEvent.objects.exists()
    assert Sequence.objects.get(name=f"partner-331-{this_year()}").value == 99_999


@pytest.mark.django_db
def test_an_exhausted_organism_does_not_stop_the_others(technician, convention, organism):
    Sequence.objects.create(name=f"partner-331-{this_year()}", value=99_999)
    landes = OrganismFactory(name="CPAM LANDES", code="401")
    ConventionFactory(structure=technician.partner_membership.structure, organism=landes)

    with pytest.raises(CaseError):
        make_partner_request(technician=technician, organism=organism)
    filed = make_partner_request(technician=technician, organism=landes)

    assert filed.number == f"{prefix('401')}00001"
    assert list(PartnerRequest.objects.values_list("number", flat=True)) == [filed.number]


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_consecutive_numbers(structure, organism, convention):
    """200 submissions at once, from technicians of two structures, each thread with its own
    database connection (as gunicorn workers have). On PostgreSQL 25 at a time; on SQLite, whose
    writes are serialised by its lock anyway, 8."""
    total = 200
    threads = 25 if connection.vendor == "postgresql" else 8
    other = StructureFactory(name="CCAS de Pau")
    ConventionFactory(structure=other, organism=organism)
    technicians = [
        make_partner_user(User.Role.TECHNICIAN, structure if index % 2 else other)
        for index in range(threads)
    ]
    services = list(Service)
    errors = []
    barrier = threading.Barrier(threads)

    def submit(index):
        try:
            barrier.wait(timeout=30)
            for number in range(index, total, threads):
                make_partner_request(
                    technician=technicians[index],
                    organism=organism,
                    service=services[number % len(services)],
                )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=submit, args=(index,)) for index in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)

    assert errors == []
    numbers = list(PartnerRequest.objects.values_list("number", flat=True))
    assert len(numbers) == total
    assert all(re.fullmatch(rf"{prefix('331')}\d{{5}}", number) for number in numbers)
    assert sorted(int(number[5:]) for number in numbers) == list(range(1, total + 1))
    assert Sequence.objects.get(name=f"partner-331-{this_year()}").value == total
    assert CaseEvent.objects.filter(action="submit").count() == total
    assert CaseEvent.objects.count() == total
