"""Partners' requests closed more than 5 years ago go too (frozen clock), with their files; the
structure's history at the organism is renumbered, so that every page of it stays exact
however it is read, and `retention_report` lists them first."""

import io
import os
import re
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from casework.models import STATUS_RANKS
from documents.models import StoredFile
from partners import selectors as partner_selectors
from partners.models import ConventionCounter, PartnerRequest
from privacy.retention import retention_apply
from tests.factories import make_partner_request

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 3, 30, tzinfo=ZoneInfo("Europe/Paris"))
HISTORY = "/partenaires/historique/"
# Filing order (1 = first filed) of the requests closed long ago, and of those cancelled lately.
OLD_RESOLVED = {1, 2, 5, 9, 16}
OLD_CANCELLED = {3}
RECENTLY_CANCELLED = {4, 12}
FILED = 22


def _years_ago(years, days=0):
    return NOW.replace(year=NOW.year - years) - timedelta(days=days)


def _close(request, status, at):
    PartnerRequest.objects.filter(pk=request.pk).update(
        status=status, status_rank=STATUS_RANKS[status], status_changed_at=at,
        resolved_at=at if status == "resolved" else None,
    )  # fmt: skip


@pytest.fixture
def history(monkeypatch, technician, organism, convention):
    """22 requests filed a day apart over six years; those in OLD_* closed more than five years
    ago (one with a file), others resolved four years ago or cancelled lately. Then the clock
    stops at NOW."""
    requests = []
    for position in range(1, FILED + 1):
        request = make_partner_request(technician=technician, organism=organism)
        filed_at = _years_ago(6) + timedelta(days=position)
        PartnerRequest.objects.filter(pk=request.pk).update(created_at=filed_at)
        if position in OLD_RESOLVED:
            _close(request, "resolved", _years_ago(5, days=1))
        elif position in OLD_CANCELLED:
            _close(request, "cancelled", _years_ago(5, days=30))
        elif position in RECENTLY_CANCELLED:
            _close(request, "cancelled", _years_ago(0, days=3))
        elif position % 3 == 0:
            _close(request, "resolved", _years_ago(4))
        requests.append(PartnerRequest.objects.get(pk=request.pk))
    listed = FILED - len(OLD_CANCELLED | RECENTLY_CANCELLED)
    ConventionCounter.objects.filter(convention=convention).update(listed_requests=listed)
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return requests


def _attach_file(request) -> StoredFile:
    stored = StoredFile.objects.create(
        original_name="justificatif.pdf", size=3, content_type="application/pdf", sha256="0" * 64
    )
    stored.file.save("justificatif.pdf", ContentFile(b"pdf"), save=True)
    request.attachments.add(stored)
    return stored


def _shown(client, query) -> list[str]:
    response = client.get(HISTORY, query)
    assert response.status_code == 200
    page = unescape(response.content.decode())
    return re.findall(r'href="/partenaires/historique/(\d{10})/"', page)


def _listed_after_retention(history) -> list[str]:
    """The numbers the history lists once the retention ran, in filing order."""
    gone = OLD_RESOLVED | OLD_CANCELLED | RECENTLY_CANCELLED
    return [r.number for r in history if r.position not in gone]


def _pages(client, query, count) -> list[str]:
    """The numbers of pages 1 to `count` of the history for `query`, 10 a page."""
    shown = []
    for page in range(1, count + 1):
        shown += _shown(client, {**query, "taille": 10, "page": page})
    return shown


def test_old_partner_requests_are_listed_then_deleted_with_their_files(history):
    old = [r for r in history if r.position in OLD_RESOLVED | OLD_CANCELLED]
    young = [r for r in history if r not in old]
    old_file, young_file = _attach_file(old[0]), _attach_file(young[-1])
    path = old_file.file.path

    report = io.StringIO()
    call_command("retention_report", stdout=report)
    for request in old:
        assert request.number in report.getvalue()
    for request in young:
        assert request.number not in report.getvalue()
    assert PartnerRequest.objects.count() == FILED  # a dry run

    done = retention_apply()
    assert done["closed_requests"]["partner_requests"] == len(old)
    assert set(PartnerRequest.objects.values_list("number", flat=True)) == {r.number for r in young}
    assert not StoredFile.objects.filter(pk=old_file.pk).exists()
    assert not os.path.exists(path)
    with StoredFile.objects.get(pk=young_file.pk).file.open("rb") as kept:
        assert kept.read() == b"pdf"


def test_the_remaining_requests_are_renumbered_in_order_and_counted(history, convention):
    young = [r for r in history if r.position not in OLD_RESOLVED | OLD_CANCELLED]
    retention_apply()
    assert list(
        PartnerRequest.objects.filter(structure=convention.structure)
        .order_by("position")
        .values_list("number", "position")
    ) == [(r.number, rank) for rank, r in enumerate(young, start=1)]
    counter = ConventionCounter.objects.get(convention=convention)
    listed = [r for r in young if r.position not in RECENTLY_CANCELLED]
    assert (counter.filed_requests, counter.listed_requests) == (len(young), len(listed))
    # The next request filed follows on.
    filed = make_partner_request(technician=history[0].requester, organism=history[0].organism)
    assert filed.position == len(young) + 1


@pytest.mark.parametrize("direct_up_to", [1000, 0], ids=["read-in-order", "counted"])
@pytest.mark.parametrize("order", ["desc", "asc"])
def test_every_page_of_the_history_is_exact_after_the_deletion(
    partner_client, history, order, direct_up_to, monkeypatch
):
    monkeypatch.setattr(partner_selectors, "DIRECT_UP_TO", direct_up_to)
    retention_apply()
    listed = _listed_after_retention(history)
    expected = listed[::-1] if order == "desc" else listed
    assert _pages(partner_client, {"ordre": order}, (len(listed) + 9) // 10) == expected
    first = _shown(partner_client, {"ordre": order})
    assert first == expected[: len(first)]


def test_positions_cached_before_the_renumbering_are_never_read_after_it(
    partner_client, history, convention, monkeypatch
):
    # Within the hour before, the history may have had the very counts the renumbering gives
    # it, with the cancelled requests elsewhere: what the cache kept under them is forgotten.
    monkeypatch.setattr(partner_selectors, "DIRECT_UP_TO", 0)
    young = [r for r in history if r.position not in OLD_RESOLVED | OLD_CANCELLED]
    listed = [r.number for r in young if r.position not in RECENTLY_CANCELLED]
    key = partner_selectors.cancelled_positions_key(
        convention.structure_id, convention.organism_id, len(young), len(listed)
    )
    cache.set(key, [1, 2, 3])

    retention_apply()

    assert _pages(partner_client, {"ordre": "asc"}, 2) == listed


@pytest.mark.parametrize("order", ["desc", "asc"])
def test_a_person_search_is_exact_after_the_renumbering(partner_client, history, order):
    # Every request concerns the same person: the search lists them all, page after page, in
    # the new filing order (on PostgreSQL its words follow the requests' new positions).
    retention_apply()
    listed = _listed_after_retention(history)
    expected = listed[::-1] if order == "desc" else listed

    assert _pages(partner_client, {"personne": "tutu jose", "ordre": order}, 2) == expected
    page = unescape(partner_client.get(HISTORY, {"personne": "tutu"}).content.decode())
    assert f"{len(listed)} demandes" in page
