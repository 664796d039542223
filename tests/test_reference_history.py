"""Who changed what and when on the reference data (issue 20, point 7): conventions,
organisms and their managers, structures, branding, members, contracts, guarantees and the FAQ
keep their versions (django-simple-history), shown in each object's admin history with the
manager who made the change; imports record theirs in bulk."""

import datetime
import io
from html import unescape

import pytest
from django.test import Client

from accounts.models import Member
from partners.models import Convention, Organism
from portal.models import Branding
from support.models import FaqEntry, FaqTheme
from tests.factories import UserFactory
from tests.test_access_matrix import _sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(insurer_manager):
    client = Client()
    _sign_in(client, insurer_manager)
    return client


def _history(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_a_conventions_end_date_change_shows_who_changed_it(
    admin_client, insurer_manager, convention
):
    url = f"/gestion/partners/convention/{convention.pk}/change/"
    response = admin_client.post(
        url,
        {
            "structure": convention.structure_id,
            "organism": convention.organism_id,
            "start_date": convention.start_date.isoformat(),
            "end_date": "2031-12-31",
            "technician_cap": 5,
        },
    )
    assert response.status_code == 302
    convention.refresh_from_db()
    assert convention.end_date == datetime.date(2031, 12, 31)
    latest = Convention.history.filter(id=convention.pk).latest("history_date")
    assert latest.history_user == insurer_manager
    assert latest.history_type == "~"
    page = _history(admin_client, f"/gestion/partners/convention/{convention.pk}/history/")
    assert "gestionnaire" in page  # the author (username)
    assert "2031" in page  # the new end date, among the changes
    # Read, never reverted from the admin.
    assert "Revert" not in page and "Rétablir" not in page


def test_an_organisms_managers_changes_are_recorded(admin_client, insurer_manager, organism):
    colleague = UserFactory(username="collegue", role="insurer_manager", is_staff=True)
    response = admin_client.post(
        f"/gestion/partners/organism/{organism.pk}/change/",
        {
            "name": organism.name,
            "code": organism.code,
            "managers": [colleague.pk],
            "services-TOTAL_FORMS": 0,
            "services-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = Organism.history.filter(id=organism.pk).latest("history_date")
    assert latest.history_user == insurer_manager
    assert [m.user_id for m in latest.managers.all()] == [colleague.pk]
    page = _history(admin_client, f"/gestion/partners/organism/{organism.pk}/history/")
    assert "gestionnaire" in page


def test_branding_members_and_faq_keep_their_versions(admin_client, insurer_manager, member):
    Branding.current()
    branding = Branding.objects.get()
    branding.contact_phone = "05 00 00 00 00"
    branding.save()
    member.city = "Pessac"
    member.save()
    theme = FaqTheme.objects.create(name="Remboursements")
    entry = FaqEntry.objects.create(theme=theme, question="Quand ?", answer="Sous 48 h.")
    assert Branding.history.filter(id=branding.pk).count() >= 1
    assert Member.history.filter(id=member.pk).latest("history_date").city == "Pessac"
    assert FaqEntry.history.filter(id=entry.pk).count() == 1
    page = _history(admin_client, f"/gestion/accounts/member/{member.pk}/history/")
    assert "Pessac" in page
    _history(admin_client, f"/gestion/portal/branding/{branding.pk}/history/")
    _history(admin_client, f"/gestion/support/faqentry/{entry.pk}/history/")


def test_an_import_records_its_versions_in_bulk(tmp_path, django_assert_max_num_queries):
    from django.core.management import call_command

    header = "member_number;civility;last_name;first_name;birth_date;email\n"
    lines = "".join(
        f"{200000 + n};MME;DURAND{n};Anne;01/02/1980;anne{n}@example.org\n" for n in range(300)
    )
    path = tmp_path / "members.csv"
    path.write_text(header + lines, encoding="utf-8")
    with django_assert_max_num_queries(40):
        call_command("import_members", str(path), stdout=io.StringIO())
    assert Member.objects.count() == 300
    versions = Member.history.all()
    assert versions.count() == 300
    assert {v.history_change_reason for v in versions} == {"import"}


def test_a_formules_history_lists_its_guarantees_versions(admin_client, insurer_manager):
    from cover.models import Guarantee
    from tests.factories import ProductFactory

    product = ProductFactory(guarantees=[])
    guarantee = Guarantee.objects.create(
        product=product, care_type="optics", label="Lunettes", coverage="250 € par an"
    )
    guarantee.coverage = "300 € par an"
    guarantee.save()
    page = _history(admin_client, f"/gestion/cover/product/{product.pk}/history/")
    section = page.split("Versions des garanties de la formule")[1]
    assert "300 € par an" in section and "250 € par an" in section
