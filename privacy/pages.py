"""What the compliance pages say that the code knows: the accessibility mention, the retention
table, the cookies, the publisher and host. Read by the pages and the footer; never written."""

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from privacy.models import LegalPage

CONFORMITY = {
    "none": _("non conforme"),
    "partial": _("partiellement conforme"),
    "full": _("totalement conforme"),
}

OUTCOMES = {
    "deleted": _("supprimé"),
    "anonymised": _("anonymisé : connexion impossible, données du compte effacées"),
    "archived": _("archivé"),
}


def conformity_level() -> str:
    """ "non conforme", "partiellement conforme" or "totalement conforme" (RGAA), from
    ACCESSIBILITY_CONFORMITY."""
    return str(CONFORMITY[settings.ACCESSIBILITY_CONFORMITY])


def period_text(period: dict) -> str:
    """ "3 ans", "15 jours", "24 heures"."""
    if period.get("years"):
        count = period["years"]
        return ngettext("%(count)d an", "%(count)d ans", count) % {"count": count}
    if period.get("days"):
        count = period["days"]
        return ngettext("%(count)d jour", "%(count)d jours", count) % {"count": count}
    count = period["hours"]
    return ngettext("%(count)d heure", "%(count)d heures", count) % {"count": count}


@dataclass(frozen=True)
class RetentionRow:
    data: str
    period: str
    counted_from: str
    outcome: str


def retention_rows() -> list[RetentionRow]:
    """RETENTION_POLICY as the "Données personnelles" page shows it."""
    return [
        RetentionRow(
            data=str(rule["data"]),
            period=period_text(rule["period"]),
            counted_from=str(rule["from"]),
            outcome=str(OUTCOMES[rule["outcome"]]),
        )
        for rule in settings.RETENTION_POLICY
    ]


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str
    lifetime: str


def cookies() -> list[Cookie]:
    """The four cookies the portal sets, with the names and lifetimes of the settings. None
    of them needs consent: each is strictly necessary to a service the person asked for."""
    idle_minutes = settings.SESSION_COOKIE_AGE // 60
    max_hours = settings.SESSION_MAX_AGE_SECONDS // 3600
    csrf_days = settings.CSRF_COOKIE_AGE // 86400
    return [
        Cookie(
            settings.SESSION_COOKIE_NAME,
            str(_("Vous garder connecté d'une page à l'autre (session).")),
            str(
                _("%(idle)d minutes sans activité, %(max)d heures au plus")
                % {"idle": idle_minutes, "max": max_hours}
            ),
        ),
        Cookie(
            settings.CSRF_COOKIE_NAME,
            str(_("Protéger vos formulaires contre leur envoi par un autre site (sécurité).")),
            str(ngettext("%(count)d jour", "%(count)d jours", csrf_days) % {"count": csrf_days}),
        ),
        Cookie(
            settings.REMEMBER_BROWSER_COOKIE,
            str(
                _(
                    "Reconnaître ce navigateur après un code de vérification : pour ne pas vous "
                    "le redemander si vous avez coché « Se souvenir de ce navigateur », et pour "
                    "vous prévenir par email d'une connexion depuis un navigateur inconnu."
                )
            ),
            str(
                ngettext("%(count)d jour", "%(count)d jours", settings.REMEMBER_BROWSER_DAYS)
                % {"count": settings.REMEMBER_BROWSER_DAYS}
            ),
        ),
        Cookie(
            settings.LANGUAGE_COOKIE_NAME,
            str(_("Retenir la langue que vous avez choisie.")),
            str(_("jusqu'à la fermeture du navigateur"))
            if settings.LANGUAGE_COOKIE_AGE is None
            else str(
                ngettext("%(count)d jour", "%(count)d jours", settings.LANGUAGE_COOKIE_AGE // 86400)
                % {"count": settings.LANGUAGE_COOKIE_AGE // 86400}
            ),
        ),
    ]


def legal_page(kind: str) -> tuple[str, LegalPage | None]:
    """The title and the admin-written page of `kind` in the current language (French when
    it has no translation yet); 404 for a kind that does not exist. The page may be None
    (not written yet): the generated parts still show."""
    if kind not in LegalPage.Kind.values:
        raise Http404
    pages = {page.language: page for page in LegalPage.objects.filter(kind=kind)}
    page = pages.get(get_language()) or pages.get(settings.LANGUAGE_CODE)
    title = page.title if page else str(LegalPage.Kind(kind).label)
    return title, page
