"""`partner_submit`: 500 ODS requests filed at the same time to one organism, then every number
checked.

    partner_submit n=500 seconds=… duplicates=… missing=…

- n: submissions, made by THREADS threads at once (each its own PostgreSQL connection, as
  gunicorn workers have), each thread a technician of another structure, through
  `partners.services.partner_request_submit` (the code the ODS forms call), all to the data
  set's submission organism (999, no other request);
- seconds: wall time from the start signal to the last submission committed;
- duplicates: numbers given more than once: found twice in the table, or refused by its unique
  constraint (a submission handed a number already taken fails with an IntegrityError);
- missing: numbers of the range 1..n that no request holds (a failed submission leaves one).
  Target: 0 and 0.

The organism's requests and counter are deleted before and after, so every run starts at 1.
"""

import threading
import time
from datetime import date

from django.db import IntegrityError, connection
from django.utils import timezone

from accounts.models import User
from bench.data import log, partners_dataset
from bench.measure import format_line
from partners.catalogue import SERVICES, Service
from partners.models import ConventionCounter, Organism, PartnerRequest
from partners.services import partner_request_submit
from portal.models import Sequence

NAME = "partner_submit"
SUBMISSIONS = 500
THREADS = 25
PERSON = {
    "civility": "MME",
    "last_name": "TUTU",
    "first_name": "Joséphine",
    "birth_date": date(1971, 10, 10),
    "birth_place": "44",
    "phone": "0700000000",
}


def run() -> str:
    data = partners_dataset()
    organism = Organism.objects.get(pk=data.submit_organism_id)
    _clear(organism)
    technicians = list(
        User.objects.filter(pk__in=data.submit_technician_ids).select_related(
            "partner_membership__structure"
        )
    )
    threads = min(THREADS, len(technicians))
    errors: list[BaseException] = []
    ended: list[float] = []
    started = []
    barrier = threading.Barrier(threads, action=lambda: started.append(time.perf_counter()))

    def work(index: int) -> None:
        technician = technicians[index]
        try:
            barrier.wait(timeout=30)
            for number in range(index, SUBMISSIONS, threads):
                try:
                    _submit(technician, organism, number)
                except Exception as exc:  # noqa: BLE001 - counted below, the first ones named
                    errors.append(exc)
        finally:
            ended.append(time.perf_counter())
            connection.close()

    workers = [threading.Thread(target=work, args=(index,)) for index in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = max(ended) - started[0]
    # The unique constraint turns a number handed out twice into a failed submission.
    refused = [e for e in errors if isinstance(e, IntegrityError) and "number" in str(e)]
    for error in errors[:5]:
        log(f"  submission failed: {error!r}")
    numbers = list(
        PartnerRequest.objects.filter(organism=organism).values_list("number", flat=True)
    )
    prefix = f"{timezone.localdate().year % 100:02d}{organism.code}"
    malformed = [n for n in numbers if len(n) != 10 or not n.isdigit() or not n.startswith(prefix)]
    sequences = [int(n[5:]) for n in numbers if n not in malformed]
    beyond = sorted(set(sequences) - set(range(1, SUBMISSIONS + 1)))
    if errors or malformed or beyond:
        log(
            f"  {len(errors)} failed, {len(malformed)} malformed ({malformed[:3]}), "
            f"{len(beyond)} past {SUBMISSIONS} ({beyond[:3]})"
        )
    _clear(organism)
    return format_line(
        NAME,
        n=SUBMISSIONS,
        seconds=seconds,
        duplicates=len(refused) + len(sequences) - len(set(sequences)),
        missing=len(set(range(1, SUBMISSIONS + 1)) - set(sequences)),
    )


def _submit(technician, organism, number: int) -> PartnerRequest:
    """One request, of each of the five services in turn, as the forms file them."""
    service = Service.values[number % len(Service.values)]
    info = SERVICES[Service(service)]
    motif = list(info.motifs)[number % len(info.motifs)]
    return partner_request_submit(
        by=technician,
        structure=technician.partner_membership.structure,
        organism=organism,
        service=service,
        comment=f"Demande de charge numéro {number + 1}",
        motif="" if service == Service.DOCUMENT else motif,
        documents=[motif] if service == Service.DOCUMENT else (),
        appointment_modes=["distance"] if service == Service.CONTACT else (),
        person=dict(PERSON) if info.has_person else None,
    )


def _clear(organism: Organism) -> None:
    """The submission organism without requests and without counters: numbers start at 1, and
    its conventions list no request."""
    PartnerRequest.objects.filter(organism=organism).delete()
    Sequence.objects.filter(name__startswith=f"partner-{organism.code}-").delete()
    ConventionCounter.objects.filter(convention__organism=organism).delete()
