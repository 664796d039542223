"""Demo FAQ and "Mes services" pages for `make run`, in the spirit of the guides. Idempotent:
a theme, an entry (by its question) or a page (by its slug) already there is left as it is,
so a manager's edits survive a second run."""

from django.db import transaction

from support.models import FaqEntry, FaqLink, FaqTheme, ServicePage

# theme -> [(question, answer, link, link label)]
FAQ = [
    (
        "Carte de tiers payant",
        [
            (
                "Comment obtenir ma carte de tiers payant ?",
                "Depuis votre espace, rubrique « Ma carte de tiers payant », vous pouvez "
                "télécharger et imprimer à tout moment votre carte, sur laquelle figurent, le cas "
                "échéant, vos bénéficiaires.\n\n"
                "Cette carte a la même valeur que celle que nous vous adressons par courrier.",
                FaqLink.CARD,
                "Télécharger ma carte",
            ),
            (
                "À quoi sert la carte de tiers payant ?",
                "La carte de tiers payant vous permet d'éviter d'avancer les frais lors d'une "
                "dépense de santé (consultation médicale, hospitalisation, pharmacie...). Ces "
                "dépenses sont prises en charge directement par votre assurance maladie et par "
                "votre complémentaire.\n\n"
                "Présentez-la au professionnel de santé avec votre carte Vitale.",
                FaqLink.CARD,
                "Afficher ma carte",
            ),
            (
                "J'ai perdu ma carte de tiers payant, que faire ?",
                "En cas de perte ou de vol, vous pouvez de nouveau l'imprimer depuis votre "
                "espace : choisissez la carte souhaitée (la vôtre ou celle d'un de vos "
                "bénéficiaires) puis téléchargez-la.",
                FaqLink.CARD,
                "Télécharger ma carte",
            ),
        ],
    ),
    (
        "Remboursements",
        [
            (
                "Quels sont les délais de remboursement ?",
                "Lorsque la télétransmission (NOEMIE) est activée, votre remboursement "
                "complémentaire est en général versé quelques jours après celui de "
                "l'assurance maladie, sans démarche de votre part.\n\n"
                "Si vous nous envoyez une facture, le remboursement suit son traitement par nos "
                "gestionnaires. Vous suivez chaque paiement dans « Mes remboursements ».",
                FaqLink.REIMBURSEMENTS,
                "Voir mes remboursements",
            ),
            (
                "Comment télécharger mes relevés de prestations (décomptes) ?",
                "Dans « Mes remboursements », lancez une recherche sur la période souhaitée : "
                "vous pouvez télécharger le relevé d'un paiement avec « Imprimer ce paiement », "
                "ou tous les relevés de la période en une seule fois.",
                FaqLink.REIMBURSEMENTS,
                "Mes remboursements",
            ),
            (
                "Comment me faire rembourser une facture ?",
                "Envoyez-nous la facture acquittée depuis « Envoyer un document » : choisissez le "
                "type de soins et le bénéficiaire concerné, joignez la facture (5 fichiers au "
                "maximum, de 5 Mo chacun, en JPEG, JPG, PNG ou PDF) puis validez.",
                FaqLink.DOCUMENT,
                "Envoyer une facture",
            ),
            (
                "Comment modifier mes coordonnées bancaires (RIB) ?",
                "Vos remboursements sont versés sur le compte dont vous nous avez donné le RIB "
                "(voir « Mes remboursements », rubrique RIB). Pour en changer, déclarez un "
                "changement de coordonnées bancaires et joignez votre nouveau relevé d'identité "
                "bancaire.",
                FaqLink.CHANGE,
                "Déclarer un changement de RIB",
            ),
            (
                "Qu'est-ce qu'un remboursement aux tiers ?",
                "Lorsque vous utilisez votre carte de tiers payant, nous payons directement le "
                "professionnel de santé. Ces paiements figurent dans « Remboursements aux "
                "tiers ».",
                FaqLink.REIMBURSEMENTS,
                "Mes remboursements",
            ),
        ],
    ),
    (
        "Affiliation et contrat",
        [
            (
                "Comment obtenir mon certificat d'affiliation ?",
                "Dans « Mon contrat », téléchargez votre certificat d'affiliation (et, si votre "
                "contrat a pris fin, votre certificat de radiation) au format PDF.",
                FaqLink.CONTRACT,
                "Télécharger mon certificat",
            ),
            (
                "Où consulter mes garanties ?",
                "« Mon contrat » vous donne accès à l'ensemble des données liées à votre "
                "contrat : votre date d'entrée, vos garanties et le tableau des garanties à "
                "consulter ou télécharger.",
                FaqLink.CONTRACT,
                "Voir mon contrat",
            ),
            (
                "Comment ajouter un bénéficiaire à mon contrat ?",
                "Déclarez l'ajout d'un bénéficiaire (conjoint, enfant) depuis « Déclarer un "
                "changement » en joignant les justificatifs demandés.\n\n"
                "Attention : si vous avez souscrit un contrat collectif, adressez-vous à votre "
                "employeur pour toute modification de votre contrat.",
                FaqLink.CHANGE,
                "Déclarer un changement",
            ),
        ],
    ),
    (
        "Mon espace",
        [
            (
                "Comment modifier mon adresse, mon e-mail ou mon téléphone ?",
                "Dans « Mes informations personnelles », modifiez votre adresse, votre e-mail ou "
                "votre téléphone. Un code de confirmation vous est envoyé pour valider un "
                "nouvel e-mail ou un nouveau numéro de téléphone.",
                FaqLink.PROFILE,
                "Mes informations personnelles",
            ),
            (
                "Comment changer mon mot de passe ?",
                "Dans « Mes informations personnelles », choisissez « Modifier mon mot de "
                "passe » : saisissez votre mot de passe actuel puis le nouveau.\n\n"
                "Si vous l'avez oublié, déconnectez-vous et cliquez sur « Mot de passe "
                "oublié ? » sur la page de connexion.",
                FaqLink.PROFILE,
                "Mes informations personnelles",
            ),
            (
                "Comment suivre mes demandes ?",
                "« Échanger avec nous » regroupe vos demandes et celles de vos bénéficiaires, "
                "avec leur statut. Vous recevez un e-mail à chaque étape et nos réponses "
                "arrivent dans « Mes documents ».",
                FaqLink.HISTORY,
                "Voir mes demandes",
            ),
        ],
    ),
    (
        "Télétransmission",
        [
            (
                "Qu'est-ce que la télétransmission NOEMIE ?",
                "La télétransmission (NOEMIE) permet à votre caisse d'assurance maladie de nous "
                "transmettre directement vos remboursements : vous n'avez plus à nous envoyer "
                "vos décomptes.\n\n"
                "Vous vérifiez votre situation et celle de vos bénéficiaires dans « Mes "
                "bénéficiaires ».",
                FaqLink.BENEFICIARIES,
                "Vérifier ma télétransmission",
            ),
            (
                "Comment activer la télétransmission pour un bénéficiaire ?",
                "Dans « Mes bénéficiaires », vous pouvez activer ou déconnecter la "
                "télétransmission de chacun de vos bénéficiaires, avec son numéro de sécurité "
                "sociale et son organisme d'assurance maladie.",
                FaqLink.BENEFICIARIES,
                "Mes bénéficiaires",
            ),
        ],
    ),
]

# slug -> (title, summary, body): the four services of guide 003.
SERVICES = [
    (
        "professionnels-de-sante",
        "Des professionnels de santé à votre disposition",
        "Un réseau de professionnels de santé partenaires, et des conseils par téléphone.",
        "Grâce à votre complémentaire, vous bénéficiez d'un réseau de professionnels de santé "
        "partenaires (opticiens, audioprothésistes, chirurgiens-dentistes) qui pratiquent le "
        "tiers payant et des tarifs négociés.\n\n"
        "Des médecins et des diététiciens répondent aussi à vos questions de santé par "
        "téléphone, tous les jours.",
    ),
    (
        "prevention",
        "Des actions de prévention clés en main",
        "Dépistages, vaccination, activité physique : des actions pour rester en bonne santé.",
        "Nous vous proposons des actions de prévention clés en main : bilans de prévention, "
        "rappels de vaccination et de dépistage, ateliers sur le sommeil, la nutrition et "
        "l'activité physique.\n\n"
        "Certaines actions sont prises en charge par votre contrat : consultez vos garanties "
        "dans « Mon contrat ».",
    ),
    (
        "aides",
        "Des aides en cas de difficultés ou de maladie grave",
        "Un accompagnement social et des aides financières quand la vie se complique.",
        "En cas de difficultés financières, de maladie grave ou de perte d'autonomie, notre "
        "service d'action sociale peut vous accompagner : écoute, orientation, aides "
        "financières exceptionnelles.\n\n"
        "Pour présenter une demande, écrivez-nous depuis la messagerie en précisant votre "
        "situation.",
    ),
    (
        "hospitalisation",
        "En cas d'hospitalisation",
        "Prise en charge, aide à domicile, garde d'enfants : ce qui est prévu pour vous.",
        "Avant une hospitalisation programmée, demandez une prise en charge : l'établissement "
        "est alors payé directement.\n\n"
        "À votre retour, selon votre contrat, une aide à domicile, la garde de vos enfants ou "
        "la livraison de courses peuvent être organisées.",
    ),
]


@transaction.atomic
def demo_support_load() -> int:
    """Load the demo FAQ and service pages; returns how many rows were created."""
    created = 0
    for theme_position, (theme_name, entries) in enumerate(FAQ, start=1):
        theme, made = FaqTheme.objects.get_or_create(
            name=theme_name, defaults={"position": theme_position}
        )
        created += made
        for position, (question, answer, link, label) in enumerate(entries, start=1):
            _entry, made = FaqEntry.objects.get_or_create(
                theme=theme,
                question=question,
                defaults={
                    "answer": answer,
                    "position": position,
                    "link_url_name": link,
                    "link_label": label,
                },
            )
            created += made
    for position, (slug, title, summary, body) in enumerate(SERVICES, start=1):
        _page, made = ServicePage.objects.get_or_create(
            slug=slug,
            defaults={"title": title, "summary": summary, "body": body, "position": position},
        )
        created += made
    return created
