"""Demo compliance pages for `make run`, written for Guichet, in French and English, and the
demo insurer's publisher and host. Idempotent: a page already there (by kind and language) or a
branding field already filled is left as it is, so a manager's edits survive a second run."""

from django.db import transaction

from portal.models import Branding
from privacy.models import LegalPage

Kind = LegalPage.Kind

# kind -> {language: (title, body)}
PAGES = {
    Kind.ACCESSIBILITY: {
        "fr": (
            "Déclaration d'accessibilité",
            "Mutuelle Démo s'engage à rendre ses services en ligne accessibles, conformément à "
            "l'article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration "
            "d'accessibilité s'applique au portail Guichet : l'espace adhérent, l'Espace "
            "Partenaires et les pages publiques.\n\n"
            "État de conformité\n"
            "Aucun audit de conformité au RGAA 4.1.2 n'a encore été réalisé : le portail est "
            "donc déclaré non conforme. Un audit complet est prévu au premier semestre de "
            "l'année prochaine ; cette déclaration sera mise à jour avec ses résultats.\n\n"
            "Date de la déclaration\n"
            "Cette déclaration a été établie le 2 janvier 2026, sur la base d'une "
            "auto-évaluation.\n\n"
            "Pages évaluées\n"
            "Accueil, Se connecter, Créer mon espace, Mes remboursements, Échanger avec nous "
            "(historique et détail d'une demande), Envoyer un document, Mes informations "
            "personnelles, Mes données, et, dans l'Espace Partenaires : Sélectionner "
            "l'organisme, Historique des demandes, formulaire d'une offre de service.\n\n"
            "Non-conformités connues\n"
            "- Les relevés de prestations et la carte de tiers payant au format PDF ne sont pas "
            "balisés pour les lecteurs d'écran ; leurs informations sont aussi données sur les "
            "pages « Mes remboursements » et « Ma carte de tiers payant ».\n"
            "- Le graphique « Focus remboursements » est une image : ses chiffres figurent dans "
            "le tableau placé juste en dessous.\n"
            "- Le dépôt de fichiers par glisser-déposer n'a pas d'équivalent au clavier autre "
            "que le bouton « Parcourir », qui reste toujours présent.\n\n"
            "Dérogations pour charge disproportionnée\n"
            "Aucune.\n\n"
            "Contenus non soumis à l'obligation d'accessibilité\n"
            "Les documents que vous nous envoyez et ceux de nos partenaires.\n\n"
            "Retour d'information et contact\n"
            "Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez-nous depuis "
            "la page « Contact » ou appelez nos conseillers : nous vous transmettrons "
            "l'information sous une autre forme.\n\n"
            "Voies de recours\n"
            "Si vous nous avez signalé un défaut d'accessibilité qui vous empêche d'accéder à "
            "un contenu ou à un service et que vous n'avez pas obtenu de réponse satisfaisante, "
            "vous pouvez saisir le Défenseur des droits :\n"
            "- par le formulaire en ligne : https://formulaire.defenseurdesdroits.fr/\n"
            "- en contactant le délégué du Défenseur des droits de votre région : "
            "https://www.defenseurdesdroits.fr/carte-des-delegues\n"
            "- par courrier gratuit, sans affranchissement : Défenseur des droits, Libre "
            "réponse 71120, 75342 Paris CEDEX 07.",
        ),
        "en": (
            "Accessibility statement",
            "Mutuelle Démo is committed to making its online services accessible, in "
            "accordance with article 47 of French law no. 2005-102 of 11 February 2005. This "
            "accessibility statement applies to the Guichet portal: the member space, the "
            "Partner space and the public pages.\n\n"
            "Compliance status\n"
            "No RGAA 4.1.2 compliance audit has been carried out yet: the portal is therefore "
            "declared non-compliant. A full audit is planned for the first half of next year; "
            "this statement will be updated with its results.\n\n"
            "Date of the statement\n"
            "This statement was drawn up on 2 January 2026, based on a self-assessment.\n\n"
            "Pages assessed\n"
            "Home, Sign in, Create my space, My reimbursements, Contact us (history and detail "
            "of a request), Send a document, My personal information, My data, and, in the "
            "Partner space: Select the organisation, Request history, a service offer form.\n\n"
            "Known non-compliance\n"
            "- Benefit statements and the third-party payment card in PDF are not tagged for "
            'screen readers; their information is also given on the "My reimbursements" '
            'and "My third-party payment card" pages.\n'
            '- The "Reimbursements at a glance" chart is an image: its figures are in the '
            "table right below it.\n"
            '- Drag-and-drop file upload has no keyboard equivalent other than the "Browse" '
            "button, which is always there.\n\n"
            "Exemptions for disproportionate burden\n"
            "None.\n\n"
            "Content not subject to the accessibility obligation\n"
            "Documents you send us and those of our partners.\n\n"
            "Feedback and contact\n"
            'If you cannot access some content or a service, write to us from the "Contact" '
            "page or call our advisers: we will give you the information in another form.\n\n"
            "Remedies\n"
            "If you told us about an accessibility defect that prevents you from accessing "
            "some content or a service and did not get a satisfactory answer, you may refer "
            "the matter to the Défenseur des droits (French rights ombudsman):\n"
            "- with the online form: https://formulaire.defenseurdesdroits.fr/\n"
            "- through the ombudsman's delegate in your region: "
            "https://www.defenseurdesdroits.fr/carte-des-delegues\n"
            "- by free post, no stamp needed: Défenseur des droits, Libre réponse 71120, "
            "75342 Paris CEDEX 07.",
        ),
    },
    Kind.MULTI_YEAR_PLAN: {
        "fr": (
            "Schéma pluriannuel de mise en accessibilité 2026-2028",
            "Ce schéma décrit comment Mutuelle Démo rend ses services en ligne accessibles sur "
            "trois ans. Il est décliné chaque année en un plan d'actions.\n\n"
            "Organisation\n"
            "Un référent accessibilité, rattaché à la direction des services aux adhérents, "
            "suit les actions, la formation des équipes et le traitement des demandes des "
            "personnes en situation de handicap.\n\n"
            "Plan d'actions 2026\n"
            "- Audit complet du portail Guichet au regard du RGAA 4.1.2 et publication de ses "
            "résultats dans la déclaration d'accessibilité.\n"
            "- Correction des non-conformités bloquantes relevées par l'audit.\n"
            "- Tests automatiques d'accessibilité de chaque nouvelle page avant sa mise en "
            "ligne.\n\n"
            "Plan d'actions 2027\n"
            "- Relevés de prestations et carte de tiers payant en PDF balisés.\n"
            "- Formation des gestionnaires à la rédaction de contenus accessibles (FAQ, pages "
            "de services).\n\n"
            "Plan d'actions 2028\n"
            "- Nouvel audit et mise à jour de la déclaration.\n"
            "- Tests avec des utilisateurs de technologies d'assistance.",
        ),
        "en": (
            "Multi-year accessibility plan 2026-2028",
            "This plan describes how Mutuelle Démo makes its online services accessible over "
            "three years. It is broken down each year into an action plan.\n\n"
            "Organisation\n"
            "An accessibility lead, reporting to the member services department, follows the "
            "actions, the training of the teams and the requests of people with "
            "disabilities.\n\n"
            "Action plan 2026\n"
            "- Full audit of the Guichet portal against RGAA 4.1.2 and publication of its "
            "results in the accessibility statement.\n"
            "- Fixing the blocking issues the audit finds.\n"
            "- Automated accessibility tests of every new page before it goes live.\n\n"
            "Action plan 2027\n"
            "- Tagged PDF benefit statements and third-party payment cards.\n"
            "- Training managers to write accessible content (FAQ, service pages).\n\n"
            "Action plan 2028\n"
            "- New audit and updated statement.\n"
            "- Tests with users of assistive technologies.",
        ),
    },
    Kind.LEGAL_NOTICE: {
        "fr": (
            "Mentions légales",
            "Le portail Guichet est édité par l'organisme dont l'identité figure ci-dessus. "
            "Il est hébergé par l'hébergeur indiqué, certifié pour l'hébergement de données de "
            "santé (article L. 1111-8 du code de la santé publique).\n\n"
            "Propriété intellectuelle\n"
            "Guichet est un logiciel libre. Les textes, logos et marques de l'organisme restent "
            "sa propriété.\n\n"
            "Liens\n"
            "Le portail peut renvoyer vers d'autres sites (site public de l'organisme, "
            "Défenseur des droits, CNIL), dont l'organisme n'est pas responsable.",
        ),
        "en": (
            "Legal notice",
            "The Guichet portal is published by the organisation whose identity is given "
            "above. It is hosted by the host named there, certified for hosting health data "
            "(article L. 1111-8 of the French public health code).\n\n"
            "Intellectual property\n"
            "Guichet is free software. The organisation's texts, logos and trademarks remain "
            "its property.\n\n"
            "Links\n"
            "The portal may link to other sites (the organisation's public site, the "
            "Défenseur des droits, the CNIL), for which the organisation is not responsible.",
        ),
    },
    Kind.PERSONAL_DATA: {
        "fr": (
            "Données personnelles",
            "Mutuelle Démo, responsable de traitement, traite vos données dans le portail "
            "Guichet pour les finalités suivantes.\n\n"
            "Finalités et bases légales\n"
            "- Gérer votre espace en ligne et votre connexion sécurisée (exécution de votre "
            "contrat).\n"
            "- Vous montrer vos garanties, vos remboursements et votre carte de tiers payant "
            "(exécution de votre contrat).\n"
            "- Traiter vos demandes et vos messages, y compris les justificatifs de santé que "
            "vous nous envoyez (exécution du contrat ; pour les données de santé, article 9.2.h "
            "du RGPD : gestion des systèmes de protection sociale).\n"
            "- Pour l'Espace Partenaires : traiter les demandes des structures partenaires "
            "conventionnées (mission d'intérêt public).\n"
            "- Assurer la sécurité du portail : historique des connexions, codes de "
            "vérification (intérêt légitime et obligation de sécurité).\n\n"
            "Destinataires\n"
            "Les gestionnaires habilités de l'organisme, et ses sous-traitants techniques "
            "(hébergeur certifié HDS, envoi des emails et des SMS), tenus à la "
            "confidentialité. Vos données ne sont ni vendues ni transférées hors de l'Union "
            "européenne.\n\n"
            "Vos droits\n"
            "Vous disposez d'un droit d'accès, de rectification, d'effacement, de limitation, "
            "de portabilité et d'opposition. Depuis votre espace, « Mes données » vous permet "
            "de télécharger toutes vos données (article 15 du RGPD) et de demander la clôture "
            "de votre espace. Vous pouvez aussi écrire à notre délégué à la protection des "
            "données. Si vous estimez que vos droits ne sont pas respectés, vous pouvez "
            "adresser une réclamation à la CNIL : https://www.cnil.fr/fr/plaintes\n\n"
            "Combien de temps vos données sont conservées\n"
            "Le tableau ci-dessous donne les durées appliquées par le portail.",
        ),
        "en": (
            "Personal data",
            "Mutuelle Démo, as data controller, processes your data in the Guichet portal for "
            "the following purposes.\n\n"
            "Purposes and legal bases\n"
            "- Running your online space and your secure sign-in (performance of your "
            "contract).\n"
            "- Showing your cover, your reimbursements and your third-party payment card "
            "(performance of your contract).\n"
            "- Handling your requests and messages, including the health documents you send us "
            "(performance of the contract; for health data, GDPR article 9.2.h: management of "
            "social protection systems).\n"
            "- For the Partner space: handling the requests of partner structures under "
            "agreement (public interest task).\n"
            "- Keeping the portal secure: sign-in history, verification codes (legitimate "
            "interest and security obligation).\n\n"
            "Recipients\n"
            "The organisation's authorised managers, and its technical processors (HDS-"
            "certified host, email and SMS delivery), bound by confidentiality. Your data is "
            "neither sold nor transferred outside the European Union.\n\n"
            "Your rights\n"
            "You have the rights of access, rectification, erasure, restriction, portability "
            'and objection. From your space, "My data" lets you download all your data '
            "(GDPR article 15) and ask for your space to be closed. You may also write to our "
            "data protection officer. If you believe your rights are not respected, you may "
            "lodge a complaint with the CNIL: https://www.cnil.fr/fr/plaintes\n\n"
            "How long your data is kept\n"
            "The table below gives the periods the portal applies.",
        ),
    },
    Kind.COOKIES: {
        "fr": (
            "Cookies",
            "Un cookie est un petit fichier déposé par un site dans votre navigateur. Le portail "
            "Guichet n'en dépose que quatre, tous nécessaires au service que vous demandez : "
            "vous garder connecté, protéger vos formulaires, reconnaître un navigateur où vous "
            "avez déjà saisi un code, retenir votre langue.\n\n"
            "Pourquoi aucun consentement ne vous est demandé\n"
            "La loi (article 82 de la loi Informatique et Libertés) dispense de consentement "
            "les cookies strictement nécessaires à un service demandé par l'utilisateur ou "
            "ayant pour seule finalité de sécuriser la connexion. C'est le cas des quatre "
            "cookies ci-dessous : c'est pourquoi aucun bandeau ne s'affiche. Aucun cookie de "
            "mesure d'audience, de publicité ou de réseau social n'est utilisé.\n\n"
            "Vous pouvez les supprimer à tout moment depuis les réglages de votre navigateur : "
            "vous devrez alors vous reconnecter.",
        ),
        "en": (
            "Cookies",
            "A cookie is a small file a site places in your browser. The Guichet portal places "
            "only four, all needed for the service you ask for: keeping you signed in, "
            "protecting your forms, recognising a browser where you already entered a code, "
            "remembering your language.\n\n"
            "Why you are not asked for consent\n"
            "French law (article 82 of the Informatique et Libertés act) exempts from consent "
            "the cookies strictly necessary to a service the user asked for or whose only "
            "purpose is to secure the connection. The four cookies below are such cookies: "
            "that is why no banner is shown. No audience measurement, advertising or social "
            "network cookie is used.\n\n"
            "You may delete them at any time in your browser's settings: you will then need to "
            "sign in again.",
        ),
    },
}

# The demo insurer's publisher and host, for "Mentions légales" and "Données personnelles".
BRANDING = {
    "legal_name": "Mutuelle Démo, mutuelle régie par le livre II du Code de la mutualité",
    "registration": "SIREN 000 000 000 (exemple)",
    "publication_director": "Le directeur général de Mutuelle Démo",
    "postal_address": "1 place de la Bourse\n33000 Bordeaux",
    "host_name": "Hébergeur Démo SAS",
    "host_address": "10 rue des Serveurs\n75011 Paris",
    "host_hds_certification": "Certificat HDS n° HDS-0000 (exemple), hébergement et "
    "infogérance de données de santé",
    "dpo_contact": "dpo@mutuelle-demo.example",
}


@transaction.atomic
def demo_privacy_load() -> int:
    """Load the demo compliance pages (French and English) and fill the demo insurer's empty
    legal fields; returns how many pages were created."""
    created = 0
    for kind, languages in PAGES.items():
        for language, (title, body) in languages.items():
            _page, made = LegalPage.objects.get_or_create(
                kind=kind, language=language, defaults={"title": title, "body": body}
            )
            created += made
    branding = Branding.current()
    empty = {field: value for field, value in BRANDING.items() if not getattr(branding, field)}
    if empty:
        for field, value in empty.items():
            setattr(branding, field, value)
        branding.save()
    return created
