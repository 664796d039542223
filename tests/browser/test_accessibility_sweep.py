"""axe-core on every page of the member and partner spaces, at 375 px and on desktop (issue 14).

The pages are those of the URLconfs, resolved with the demo data (`load_demo`: a policyholder
with contracts, payments, requests and answers; a partner structure with a request in each
status): one signed-in browser per role and width goes from page to page. A guard fails when a
member or partner URL pattern is neither swept here nor listed, with its reason, in EXCLUDED.
The error state of every form is tested in test_accessibility_forms.py."""

from collections.abc import Callable

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.browser.conftest import open_partner_space
from tests.helpers.axe import axe_violations, readable
from tests.helpers.sweep import demo_objects, open_member_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The URL names of the member and partner spaces and of the anonymous pages before them, built
# from the demo data (`o`, see demo_objects): name -> the paths to open (one or several).
Paths = Callable[[dict], list[str]]


def _one(name: str, **kwargs: Callable[[dict], object]) -> tuple[str, Paths]:
    return name, lambda o: [reverse(name, kwargs={k: f(o) for k, f in kwargs.items()})]


MEMBER_PAGES: dict[str, Paths] = dict(
    [
        _one("home"),
        _one("accounts:profile"),
        _one("accounts:profile_address"),
        # The three pages of what protects the account, after the re-authentication.
        _one("accounts:profile_email"),
        _one("accounts:profile_phone"),
        _one("accounts:profile_password"),
        _one("accounts:totp_setup"),
        _one("accounts:reauth"),
        _one("accounts:devices"),
        _one("cover:contract"),
        _one("cover:contract_terms"),
        _one("cover:guarantees_html", number=lambda o: o["contract"].number),
        _one("cover:affiliation_html", number=lambda o: o["contract"].number),
        _one("cover:radiation_html", number=lambda o: o["ended_contract"].number),
        _one("cover:card"),
        _one("cover:card_html", key=lambda o: "adherent"),
        _one("cover:beneficiaries"),
        _one("cover:reimbursements"),
        _one("cover:third_party"),
        _one("cover:bank_details"),
        _one("cover:statements_html"),
        _one("cover:statements_export", pk=lambda o: o["statement_export"].pk),
        _one("cover:payment", number=lambda o: o["payment"].number),
        _one("cover:payment_html", number=lambda o: o["payment"].number),
        (  # the search, then its results
            "directory:search",
            lambda o: [
                reverse("directory:search"),
                reverse("directory:search") + "?specialite=general_practitioner&code_postal=33000",
            ],
        ),
        _one("support:follow_up"),
        ("support:faq", lambda o: [reverse("support:faq"), reverse("support:faq") + "?q=carte"]),
        _one("support:advisor"),
        _one("support:contact"),
        _one("support:contact_sent", reference=lambda o: o["requests"][0].reference),
        _one("support:services"),
        (
            "support:service",
            lambda o: [reverse("support:service", args=[slug]) for slug in o["service_slugs"]],
        ),
        _one("requests_app:sent", reference=lambda o: o["requests"][0].reference),
        _one("requests_app:question"),
        _one("requests_app:document"),
        _one("requests_app:soft_medicine"),
        _one("requests_app:refund"),
        _one("requests_app:quote"),
        _one("requests_app:message"),
        _one("requests_app:change"),
        (
            "requests_app:change_step",
            lambda o: [
                reverse("requests_app:change_step", args=[slug]) for slug in o["change_slugs"]
            ],
        ),
        _one("requests_app:history"),
        (
            "requests_app:detail",
            lambda o: [reverse("requests_app:detail", args=[r.reference]) for r in o["requests"]],
        ),
        _one("requests_app:cancel", reference=lambda o: o["cancellable_request"].reference),
        _one("requests_app:mailbox"),
        _one("requests_app:documents"),
        _one("requests_app:answers"),
        _one("privacy:my_data"),
        _one("privacy:export", pk=lambda o: o["member_data_export"].pk),
        _one("privacy:closure"),
    ]
)

PARTNER_PAGES: dict[str, Paths] = dict(
    [
        _one("partners:choose"),
        _one("partners:home"),
        _one("partners:identity"),
        _one("partners:manual"),
        (
            "partners:new",
            lambda o: [reverse("partners:new", args=[slug]) for slug in o["ods_slugs"]],
        ),
        _one("partners:submitted", number=lambda o: o["partner_requests"][0].number),
        (  # the whole history, then filtered
            "partners:history",
            lambda o: [reverse("partners:history"), reverse("partners:history") + "?statut=new"],
        ),
        (
            "partners:detail",
            lambda o: [reverse("partners:detail", args=[r.number]) for r in o["partner_requests"]],
        ),
        # "Compléter" and "Annuler" are offered while "Nouveau".
        _one("partners:complete", number=lambda o: o["partner_new"].number),
        _one("partners:cancel", number=lambda o: o["partner_new"].number),
        _one("partners:technicians"),
        _one("partners:technician_new"),
        _one("partners:technician_deactivate", pk=lambda o: o["technician"].pk),
    ]
)

# Anonymous pages of the accounts app (before the spaces) reachable by a plain GET; the legal
# pages and the site map are test_compliance_axe's.
ANONYMOUS_PAGES: dict[str, Paths] = dict(
    [
        _one("accounts:login"),
        _one("accounts:password_reset"),
        _one("accounts:password_reset_sent"),
        _one("accounts:signup"),
        _one("accounts:signup_sent"),
        _one("accounts:signup_resend"),
        _one("accounts:signup_resent"),
        _one("accounts:activate"),
    ]
)

# What is not swept here, and why. Every member or partner URL name is in one of the four.
EXCLUDED: dict[str, str] = {
    # Not pages of the spaces.
    "health": "a JSON health check",
    "set_language": "POST only (Django's language switch)",
    "portal:logo": "an image",
    "portal:csp_report": "POST only (CSP reports)",
    "privacy:sitemap": "anonymous, swept by test_compliance_axe",
    "privacy:page": "anonymous legal pages, swept by test_compliance_axe",
    "accounts:not_me": "reached from an email's link, swept by test_compliance_axe",
    # POST only: actions behind a button of a swept page.
    "accounts:logout": "POST only",
    "accounts:profile_email_cancel": "POST only",
    "accounts:profile_phone_cancel": "POST only",
    "accounts:device_forget": "POST only",
    "accounts:sessions_logout_others": "POST only",
    "accounts:session_extend": "POST only (the idle-limit dialog's script)",
    "support:faq_suggest": "POST only (the FAQ's suggestions, a fragment for its script)",
    "partners:technician_invitation_resend": "POST only",
    "partners:technician_invitation_cancel": "POST only",
    "partners:technician_reactivate": "POST only",
    "documents:remove": "POST only (the upload widget's script)",
    "documents:upload": "POST only (the upload widget's script)",
    "documents:abandon": "POST only (the upload widget's script)",
    "documents:pending": "JSON for the upload widget's script",
    # Downloads: files, not pages.
    "documents:download": "a file download",
    "documents:view": "a file shown inline (PDF or image), not a page",
    "cover:guarantees_pdf": "a PDF",
    "cover:affiliation_pdf": "a PDF",
    "cover:radiation_pdf": "a PDF",
    "cover:card_pdf": "a PDF",
    "cover:card_wallet_pdf": "a PDF",
    "cover:statements_pdf": "a PDF",
    "cover:statements_export_file": "a PDF",
    "cover:payment_pdf": "a PDF",
    "support:service_guide": "a PDF",
    "privacy:export_file": "a ZIP",
    # Redirects.
    "support:advisor_write": "a redirect to the contact or message form",
    # Steps of the sign-in, activation and reset flows: they need the state of the step before
    # (a session or an emailed secret); their error states are in test_accessibility_forms.
    "accounts:two_factor": "a step of the sign-in (test_accessibility_forms)",
    "accounts:signin_phone": "a step of the sign-in, swept by test_compliance_axe",
    "accounts:password_reset_confirm": "an emailed link (test_accessibility_forms)",
    "accounts:signup_confirm": "an emailed link (test_accessibility_forms)",
    "accounts:activate_channel": "a step of the activation (test_accessibility_forms)",
    "accounts:activate_code": "a step of the activation (test_accessibility_forms)",
    "accounts:activate_password": "a step of the activation (test_accessibility_forms)",
    "accounts:activate_done": "the activation's last step (test_accessibility_forms)",
    "accounts:profile_email_verify": "after a new address is sent (test_accessibility_forms)",
    "accounts:profile_phone_verify": "after a new number is sent (test_accessibility_forms)",
}


def url_names() -> set[str]:
    """Every named URL of the portal but the back office's (`/gestion/`, the Django admin)."""
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"an unnamed URL pattern: {pattern.pattern}"
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_member_and_partner_url_is_swept_or_excluded_with_its_reason():
    listed = [*MEMBER_PAGES, *PARTNER_PAGES, *ANONYMOUS_PAGES, *EXCLUDED]
    assert len(listed) == len(set(listed)), "a URL name is listed twice"
    names = url_names()
    assert set(listed) - names == set(), "listed here but no longer a URL of the portal"
    assert names - set(listed) == set(), (
        "a new page: sweep it (MEMBER_PAGES, PARTNER_PAGES, ANONYMOUS_PAGES) or say in EXCLUDED"
        " why it is not a page"
    )


def sweep(page, pages: dict[str, Paths], objects: dict) -> tuple[int, list[str]]:
    """Open every page in the signed-in browser `page`; the number of pages and the reports."""
    reports = []
    count = 0
    for name, paths in pages.items():
        for path in paths(objects):
            response = page.goto(path)
            count += 1
            if response is None or response.status != 200 or not page.url.endswith(path):
                status = response.status if response else "no response"
                reports.append(f"{name} {path}: {status}, shown {page.url}")
                continue
            violations = axe_violations(page)
            if violations:
                reports.append(f"{name} " + readable(path, violations))
    return count, reports


def test_every_member_page_has_no_axe_violation(new_page, live_server):
    objects = demo_objects()
    page = open_member_space(new_page, live_server, objects["member_user"])
    count, reports = sweep(page, MEMBER_PAGES, objects)
    assert count >= len(MEMBER_PAGES)
    # A step that has no URL of its own: the summary of a request, before "Envoyer".
    page.goto(reverse("requests_app:question"))
    page.get_by_label("Objet de la question").select_option("reimbursement")
    page.locator("main form textarea").first.fill("Où en est le remboursement de mes lunettes ?")
    page.get_by_role("button", name="Vérifier le résumé").click()
    page.locator("form.summary-actions").wait_for()
    if violations := axe_violations(page):
        reports.append("the summary of a question " + readable(page.url, violations))
    assert reports == [], "\n".join(reports)


# The pages that change for a member of a collective contract (guide 002's profile, the demo's
# default): the employer's name and contact where the member cannot act himself.
COLLECTIVE_PAGES = [
    "home",
    "accounts:profile",
    "accounts:profile_address",
    "cover:contract",
    "cover:beneficiaries",
    "requests_app:change",
]


def test_the_pages_of_a_collective_member_have_no_axe_violation(new_page, live_server):
    from accounts.models import Member

    objects = demo_objects()
    page = open_member_space(new_page, live_server, Member.objects.get(member_number="100004").user)
    count, reports = sweep(page, {name: MEMBER_PAGES[name] for name in COLLECTIVE_PAGES}, objects)
    assert count == len(COLLECTIVE_PAGES)
    assert reports == [], "\n".join(reports)


def test_every_partner_page_has_no_axe_violation(new_page, live_server):
    from partners.models import Organism

    objects = demo_objects()
    page = open_partner_space(
        new_page, live_server, objects["partner_manager"], Organism.objects.get(code="331")
    )
    count, reports = sweep(page, PARTNER_PAGES, objects)
    assert count >= len(PARTNER_PAGES)
    assert reports == [], "\n".join(reports)


def test_every_anonymous_page_of_the_accounts_has_no_axe_violation(new_page):
    page = new_page("/")
    count, reports = sweep(page, ANONYMOUS_PAGES, {})
    assert count == len(ANONYMOUS_PAGES)
    assert reports == [], "\n".join(reports)
