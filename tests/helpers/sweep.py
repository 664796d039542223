"""What the accessibility sweeps (tests/browser/test_accessibility_*.py) stand on: the demo data
and the objects their pages' URLs name, and a member's browser ready for every page."""

import datetime

from django.core.management import call_command
from django.utils import timezone

from tests.helpers.reauth import reauthenticated


def demo_objects() -> dict:
    """Load the demo data; the objects the pages' URLs name."""
    from accounts.models import Member, User
    from cover.models import StatementExport
    from partners.catalogue import SERVICES_BY_SLUG
    from partners.models import PartnerRequest, PartnerRequestStatus
    from privacy.models import DataExport
    from requests_app.forms.change import CHANGES
    from requests_app.models import MemberRequest
    from support.models import ServicePage

    call_command("load_demo", verbosity=0)
    marie = Member.objects.get(member_number="100001")
    today = timezone.localdate()
    requests = list(MemberRequest.objects.filter(member=marie).order_by("pk"))
    partner_requests = list(PartnerRequest.objects.filter(organism__code="331").order_by("number"))
    # One request in each status: the detail differs by status, not by request.
    partner_requests = list({r.status: r for r in partner_requests}.values())
    return {
        "member_user": marie.user,
        "contract": marie.contracts.order_by("-start_date").first(),
        "ended_contract": marie.contracts.exclude(end_date=None).first() or marie.contracts.first(),
        "payment": marie.payments.order_by("-payment_date").first(),
        "statement_export": StatementExport.objects.create(
            member=marie,
            start=today - datetime.timedelta(days=400),
            end=today,
            expires_at=timezone.now() + datetime.timedelta(hours=1),
        ),
        "member_data_export": DataExport.objects.create(
            user=marie.user, expires_at=timezone.now() + datetime.timedelta(hours=1)
        ),
        "requests": requests,
        "cancellable_request": next(r for r in requests if r.status == "new"),
        "awaiting_request": next(r for r in requests if r.status == "awaiting"),
        "service_slugs": list(ServicePage.objects.values_list("slug", flat=True)),
        "change_slugs": list(CHANGES),
        "ods_slugs": list(SERVICES_BY_SLUG),
        "partner_requests": partner_requests,
        "partner_awaiting": next(
            r for r in partner_requests if r.status == PartnerRequestStatus.AWAITING
        ),
        "partner_new": next(r for r in partner_requests if r.status == PartnerRequestStatus.NEW),
        "partner_manager": User.objects.get(username="gestionnaire.partenaire"),
        "technician": User.objects.get(username="technicien"),
    }


def open_member_space(new_page, live_server, user):
    """A member's browser past the second factor and re-authenticated a moment ago (the pages of
    what protects the account open without "Confirmer votre identité")."""
    from django.conf import settings
    from django.test import Client

    from tests.test_access_matrix import _sign_in

    client = Client()
    _sign_in(client, user)
    reauthenticated(client)
    page = new_page("/compte/connexion/")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return page
