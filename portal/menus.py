"""The menus of the member and partner spaces, declared once: the pages' navigation bars and
the "Plan du site" are drawn from these lists, so the site map cannot miss a page of a menu."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    # The views (namespaced names) in which this entry is the current one (aria-current).
    current: tuple[str, ...] = ()
    # Partner menu: who sees the entry ("space": once an organism is chosen; "partner_manager":
    # partner managers only); empty for everyone.
    audience: str = ""
    # A count shown next to the label ("unread_answers": unread answers of the member).
    badge: str = ""
    # A decorative icon before the label ("envelope": the messaging, as guide 003 draws it).
    icon: str = ""
    # A line under the label where there is room for it (the home page's tiles).
    hint: str = ""


MEMBER_MENU = (
    MenuItem(_("Accueil"), "home", ("home",)),
    MenuItem(
        _("Mon contrat"),
        "cover:contract",
        ("cover:contract", "cover:contract_terms", "cover:card", "cover:beneficiaries"),
    ),
    # Guide 002's toolbar says "Santé : le détail des remboursements" and titles the page
    # "Mes remboursements santé"; guide 003 says "rubrique remboursements": both words show.
    MenuItem(
        _("Mes remboursements santé"),
        "cover:reimbursements",
        (
            "cover:reimbursements",
            "cover:third_party",
            "cover:bank_details",
            "cover:payment",
            "requests_app:refund",
        ),
    ),
    MenuItem(_("Suivi"), "support:follow_up", ("support:follow_up", "support:faq")),
    MenuItem(
        _("Échanger avec nous"),
        "requests_app:history",
        ("requests_app:history", "requests_app:detail"),
    ),
    MenuItem(
        _("Mes documents"),
        "requests_app:documents",
        ("requests_app:documents", "requests_app:answers"),
        badge="unread_answers",
    ),
    MenuItem(_("Messagerie"), "requests_app:mailbox", ("requests_app:mailbox",), icon="envelope"),
    MenuItem(_("Mes outils"), "directory:search", ("directory:search",)),
    MenuItem(_("Mes services"), "support:services", ("support:services", "support:service")),
    MenuItem(_("Contact"), "support:contact", ("support:contact", "support:contact_sent")),
)

# The member's requests ("Démarche", guides 000 and 003): on the home page's first screen and in
# the menu of a phone, so that sending a document is never a long scroll away.
MEMBER_ACTIONS = (
    MenuItem(
        _("Envoyer un document (facture, devis, justificatif...)"),
        "requests_app:document",
        ("requests_app:document",),
    ),
    MenuItem(_("Poser une question"), "requests_app:question", ("requests_app:question",)),
    MenuItem(
        _("Déclarer un changement"),
        "requests_app:change",
        ("requests_app:change", "requests_app:change_step"),
        hint=_("Ma situation change : coordonnées, RIB, famille, contrat"),
    ),
    MenuItem(_("Demande de remboursement"), "requests_app:refund", ("requests_app:refund",)),
    MenuItem(_("Transmettre un devis"), "requests_app:quote", ("requests_app:quote",)),
    MenuItem(_("Médecine douce"), "requests_app:soft_medicine", ("requests_app:soft_medicine",)),
    MenuItem(_("Écrire un message"), "requests_app:message", ("requests_app:message",)),
)

# The member's pages of the header (beside "Se déconnecter").
MEMBER_ACCOUNT_MENU = (
    # "Mon compte" (guide 002) opens "Mes informations personnelles" (guide 003).
    MenuItem(
        _("Mon compte"),
        "accounts:profile",
        tuple(
            f"accounts:profile{page}"
            for page in (
                "",
                "_address",
                "_email",
                "_email_verify",
                "_phone",
                "_phone_verify",
                "_password",
            )
        ),  # fmt: skip
    ),
    MenuItem(_("Mes données"), "privacy:my_data", ("privacy:my_data", "privacy:export")),
)

# The partner space's central band: the organism's home, the organism chooser, the person.
PARTNER_CENTRAL = (
    MenuItem(_("Sélectionner l'organisme"), "partners:choose", ("partners:choose",)),
    MenuItem(_("Accueil de l'organisme"), "partners:home", ("partners:home",), audience="space"),
    MenuItem(_("Ma fiche d'identification"), "partners:identity", ("partners:identity",)),
)

# The partner space's menu band.
PARTNER_MENU = (
    MenuItem(
        _("Historique des demandes"),
        "partners:history",
        ("partners:history", "partners:detail", "partners:complete", "partners:cancel"),
        audience="space",
    ),
    MenuItem(
        _("Techniciens"),
        "partners:technicians",
        ("partners:technicians", "partners:technician_new"),
        audience="partner_manager",
    ),
)

# The partner space's top bar (beside the public site's link).
PARTNER_TOPBAR = (
    MenuItem(_("Mes données"), "privacy:my_data", ("privacy:my_data", "privacy:export")),
    MenuItem(_("Manuel utilisateur"), "partners:manual", ("partners:manual",)),
)

# The pages open to everyone, before signing in.
PUBLIC_MENU = (
    MenuItem(_("Se connecter"), "accounts:login"),
    MenuItem(_("Créer mon espace"), "accounts:signup"),
    MenuItem(_("Activer mon espace"), "accounts:activate"),
    MenuItem(_("Mot de passe oublié"), "accounts:password_reset"),
)
