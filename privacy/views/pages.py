"""The compliance pages of the footer, open to everyone: the admin-written text with what the
code knows (conformity level, publisher and host, retention table, cookies), and the site map
drawn from the spaces' menus."""

from django.conf import settings
from django.shortcuts import render
from django.urls import path

from portal.menus import (
    MEMBER_ACCOUNT_MENU,
    MEMBER_ACTIONS,
    MEMBER_MENU,
    PARTNER_CENTRAL,
    PARTNER_MENU,
    PARTNER_TOPBAR,
    PUBLIC_MENU,
)
from privacy.models import LegalPage
from privacy.pages import conformity_level, cookies, legal_page, retention_rows

Kind = LegalPage.Kind


def page(request, kind):
    title, written = legal_page(kind)
    context = {"kind": kind, "title": title, "page": written, "Kind": Kind}
    if kind == Kind.ACCESSIBILITY:
        context["level"] = conformity_level()
    elif kind == Kind.PERSONAL_DATA:
        context["retention"] = retention_rows()
    elif kind == Kind.COOKIES:
        context["cookies"] = cookies()
    return render(request, "privacy/page.html", context)


def _sitemap_sections(user) -> list:
    """The spaces a person can open: a signed-in member their own, a partner theirs (without
    "Techniciens" unless they manage the structure); a visitor (or a manager) sees them all,
    with the ways in. Links that could only answer "page introuvable" are left out."""
    member = ("member", [*MEMBER_MENU, *MEMBER_ACTIONS, *MEMBER_ACCOUNT_MENU])
    partner_entries = [*PARTNER_CENTRAL, *PARTNER_MENU, *PARTNER_TOPBAR]
    if user.is_authenticated and user.is_member:
        return [member]
    if user.is_authenticated and user.is_partner:
        if user.role != user.Role.PARTNER_MANAGER:
            partner_entries = [e for e in partner_entries if e.audience != "partner_manager"]
        return [("partner", partner_entries)]
    return [member, ("partner", partner_entries), ("public", PUBLIC_MENU)]


def sitemap(request):
    legal = [(str(label), value) for value, label in Kind.choices]
    return render(
        request,
        "privacy/sitemap.html",
        {
            "sections": _sitemap_sections(request.user),
            "legal": legal,
            "languages": settings.LANGUAGES,
        },
    )


urlpatterns = [
    path("plan-du-site/", sitemap, name="sitemap"),
    path("informations/<slug:kind>/", page, name="page"),
]
