"""The demo FAQ: the everyday questions of a complementary health insurer's members, in the
guides' words where they have some. Each entry: (question, answer, page that does the thing,
link label, other wordings). The other wordings ("autres formulations") are how members ask
the same thing; the advisor reads them like the question, the FAQ page does not show them."""

from support.models import FaqLink

CARD = "Carte de tiers payant"
REFUNDS = "Remboursements"
QUOTES = "Devis, optique, dentaire et 100 % Santé"
HOSPITAL = "Hospitalisation"
SOFT = "Médecine douce et téléconsultation"
CONTRACT = "Affiliation et contrat"
CONTRIBUTIONS = "Cotisations"
BENEFICIARIES = "Télétransmission"
BENEFICIARY_CHANGES = "Bénéficiaires"
SPACE = "Mon espace"

# theme -> [(question, answer, link, link label, other wordings)]
FAQ = [
    (
        CARD,
        [
            (
                "Comment obtenir ma carte de tiers payant ?",
                "Depuis votre espace, rubrique « Ma carte de tiers payant », vous pouvez "
                "télécharger et imprimer à tout moment votre carte, sur laquelle figurent, le cas "
                "échéant, vos bénéficiaires.\n\n"
                "Cette carte a la même valeur que celle que nous vous adressons par courrier.",
                FaqLink.CARD,
                "Télécharger ma carte",
                "télécharger imprimer ma carte mutuelle ; où trouver ma carte de tiers payant ; "
                "avoir ma carte ; recevoir ma carte",
            ),
            (
                "À quoi sert la carte de tiers payant ?",
                "La carte de tiers payant vous permet d'éviter d'avancer les frais lors d'une "
                "dépense de santé (consultation médicale, hospitalisation, pharmacie...). Ces "
                "dépenses sont prises en charge directement par l'Assurance Maladie et par "
                "votre complémentaire.\n\n"
                "Présentez-la au professionnel de santé avec votre carte Vitale.",
                FaqLink.CARD,
                "Afficher ma carte",
                "pas avancer les frais ; éviter d'avancer l'argent ; utilité de la carte",
            ),
            (
                "J'ai perdu ma carte de tiers payant, que faire ?",
                "En cas de perte ou de vol, vous pouvez de nouveau l'imprimer depuis votre "
                "espace : choisissez la carte souhaitée (la vôtre ou celle d'un de vos "
                "bénéficiaires) puis téléchargez-la.",
                FaqLink.CARD,
                "Télécharger ma carte",
                "carte perdue ; carte volée ; vol de ma carte ; égarée ; plus de carte ; "
                "nouvelle carte ; réimprimer ma carte ; duplicata",
            ),
            (
                "Mon pharmacien refuse ma carte de tiers payant, pourquoi ?",
                "Vérifiez que la carte présentée est en cours de validité (la période est en haut "
                "à gauche du cadre normalisé) et qu'elle porte le bénéficiaire des soins. Le "
                "pharmacien lit sur la carte notre numéro AMC, le type de convention et le code "
                "« PHAR » ; en cas de doute, il peut appeler la ligne des professionnels de santé "
                "imprimée au dos.\n\n"
                "Si le refus persiste, réglez la dépense et envoyez-nous la facture : nous vous "
                "rembourserons.",
                FaqLink.CARD,
                "Afficher ma carte",
                "pharmacie refuse la carte ; carte refusée ; pharmacien ne prend pas ma mutuelle ; "
                "carte pas acceptée ; tiers payant refusé",
            ),
            (
                "Quand vais-je recevoir ma nouvelle carte de tiers payant ?",
                "La carte est valable pour une période imprimée en haut à gauche, en général "
                "l'année civile. La nouvelle carte est disponible dans votre espace dès le début "
                "de la nouvelle période, en même temps que son envoi par courrier.",
                FaqLink.CARD,
                "Ma carte de tiers payant",
                "carte expirée ; carte périmée ; validité de la carte ; date de fin de la carte ; "
                "renouvellement de la carte ; carte de l'année prochaine",
            ),
            (
                "Mes enfants figurent-ils sur ma carte de tiers payant ?",
                "Oui : la carte porte tous les bénéficiaires couverts par votre contrat, avec leur "
                "numéro de sécurité sociale et leur rang de naissance. Vous pouvez aussi "
                "télécharger la carte d'un seul bénéficiaire, par exemple pour un enfant étudiant.",
                FaqLink.CARD,
                "Ma carte de tiers payant",
                "carte pour mon fils ; carte de ma fille ; carte de mon conjoint ; carte d'un "
                "bénéficiaire ; carte au nom de mon enfant",
            ),
            (
                "Quelle différence entre la carte Vitale et la carte de tiers payant ?",
                "La carte Vitale vous est délivrée par l'Assurance Maladie ; nous ne "
                "pouvons pas la remplacer. Pour une carte Vitale perdue ou à mettre à jour, "
                "adressez-vous à votre caisse d'assurance maladie.\n\n"
                "La carte de tiers payant est celle de votre complémentaire : vous la téléchargez "
                "dans votre espace.",
                FaqLink.CARD,
                "Ma carte de tiers payant",
                "carte vitale perdue ; mettre à jour ma carte vitale ; carte vitale",
            ),
        ],
    ),
    (
        REFUNDS,
        [
            (
                "Quels sont les délais de remboursement ?",
                "Lorsque la télétransmission (NOEMIE) est activée, votre remboursement "
                "complémentaire est en général versé quelques jours après celui de "
                "l'Assurance Maladie, sans démarche de votre part.\n\n"
                "Si vous nous envoyez une facture, le remboursement suit son traitement par nos "
                "gestionnaires. Vous suivez chaque paiement dans « Mes remboursements ».",
                FaqLink.REIMBURSEMENTS,
                "Voir mes remboursements",
                "combien de temps pour être remboursé ; quand serai-je remboursé ; délai de "
                "paiement ; attendre le remboursement ; rapidité",
            ),
            (
                "Comment télécharger mes relevés de prestations (décomptes) ?",
                "Dans « Mes remboursements », lancez une recherche sur la période souhaitée : "
                "vous pouvez télécharger le relevé d'un paiement avec « Imprimer ce paiement », "
                "ou tous les relevés de la période en une seule fois.",
                FaqLink.REIMBURSEMENTS,
                "Mes remboursements",
                "relevé ; décompte ; imprimer un paiement ; justificatif de remboursement ; "
                "historique des remboursements ; pdf des remboursements",
            ),
            (
                "Comment me faire rembourser une facture ?",
                "Envoyez-nous la facture acquittée depuis « Envoyer un document » : choisissez le "
                "type de soins et le bénéficiaire concerné, joignez la facture (5 fichiers au "
                "maximum, de 5 Mo chacun, en JPEG, JPG, PNG ou PDF) puis validez.",
                FaqLink.DOCUMENT,
                "Envoyer une facture",
                "envoyer une facture ; transmettre une facture ; feuille de soins papier ; "
                "note d'honoraires ; j'ai payé, comment récupérer l'argent",
            ),
            (
                "Comment modifier mes coordonnées bancaires (RIB) ?",
                "Vos remboursements sont versés sur le compte dont vous nous avez donné le RIB "
                "(voir « Mes remboursements », rubrique RIB). Pour en changer, déclarez un "
                "changement de coordonnées bancaires et joignez votre nouveau relevé d'identité "
                "bancaire.",
                FaqLink.CHANGE,
                "Déclarer un changement de RIB",
                "changer de banque ; nouveau compte ; nouvel IBAN ; changer de compte bancaire",
            ),
            (
                "Qu'est-ce qu'un remboursement aux tiers ?",
                "Lorsque vous utilisez votre carte de tiers payant, nous payons directement le "
                "professionnel de santé. Ces paiements figurent dans « Remboursements aux "
                "tiers ».",
                FaqLink.THIRD_PARTY,
                "Remboursements aux tiers",
                "paiement au professionnel ; payé directement au pharmacien ; paiement à "
                "l'opticien ; versé au médecin",
            ),
            (
                "Je n'ai pas reçu mon remboursement, que faire ?",
                "Vérifiez d'abord dans « Mes remboursements » si le paiement apparaît, et sur "
                "quel compte il a été versé. Si vous avez payé le professionnel et que la "
                "télétransmission n'est pas active, envoyez-nous la facture ou le décompte de "
                "l'Assurance Maladie.\n\n"
                "Sans paiement trois semaines après le remboursement de l'Assurance Maladie, "
                "écrivez-nous en précisant la date des soins.",
                FaqLink.REIMBURSEMENTS,
                "Voir mes remboursements",
                "toujours pas remboursé ; remboursement pas reçu ; pas touché l'argent ; rien "
                "reçu ; remboursement manquant ; pas encore remboursé",
            ),
            (
                "Combien vais-je être remboursé pour un soin ?",
                "Le montant dépend de votre formule : le tableau des garanties, dans « Mon "
                "contrat », indique pour chaque type de soins notre remboursement, en "
                "pourcentage de la base de remboursement de la Sécurité sociale ou en euros.\n\n"
                "Pour une dépense importante (optique, dentaire, audio, hospitalisation), "
                "transmettez-nous un devis : nous vous indiquons ce qui restera à votre charge.",
                FaqLink.CONTRACT,
                "Voir mes garanties",
                "montant du remboursement ; taux de remboursement ; quel remboursement ; "
                "combien je touche ; pourcentage ; niveau de remboursement",
            ),
            (
                "Qu'est-ce que le reste à charge ?",
                "Le reste à charge est la part de la dépense qui n'est remboursée ni par "
                "l'Assurance Maladie ni par nous : dépassements d'honoraires au-delà de votre "
                "garantie, participation forfaitaire de 2 € sur les consultations, franchises "
                "médicales.\n\n"
                "Votre page d'accueil montre, sur 12 mois, les frais réels, la part de la "
                "Sécurité sociale, la nôtre et le reste à charge.",
                FaqLink.REIMBURSEMENTS,
                "Mes remboursements",
                "ce que je paie de ma poche ; reste à payer ; participation forfaitaire ; "
                "franchise médicale ; pourquoi je paie encore",
            ),
            (
                "Les dépassements d'honoraires sont-ils remboursés ?",
                "Oui, dans la limite de votre garantie : le tableau des garanties indique le "
                "pourcentage de la base de remboursement pris en charge. Il est plus élevé chez "
                "un médecin adhérent à l'OPTAM (contrat responsable).",
                FaqLink.CONTRACT,
                "Voir mes garanties",
                "dépassement ; honoraires ; secteur 2 ; spécialiste cher ; médecin qui dépasse",
            ),
            (
                "Comment se faire rembourser une consultation chez le médecin ?",
                "Présentez votre carte Vitale : l'Assurance Maladie rembourse sa part et, si la "
                "télétransmission est active, nous transmet la dépense ; notre part suit sans "
                "démarche. Sinon, envoyez-nous le décompte de l'Assurance Maladie.",
                FaqLink.REIMBURSEMENTS,
                "Mes remboursements",
                "consultation généraliste ; rendez-vous chez le docteur ; visite chez le "
                "médecin ; spécialiste ; pédiatre ; gynécologue",
            ),
            (
                "Comment sont remboursés les médicaments ?",
                "En pharmacie, présentez votre carte Vitale et votre carte de tiers payant : vous "
                "n'avancez pas les frais des médicaments remboursables. Les médicaments non "
                "remboursés par l'Assurance Maladie ne le sont que si votre formule prévoit un "
                "forfait (voir vos garanties).",
                FaqLink.CONTRACT,
                "Voir mes garanties",
                "pharmacie ; médicament ; ordonnance ; traitement ; vaccin ; médicament non "
                "remboursé",
            ),
            (
                "Comment envoyer une demande de remboursement en ligne ?",
                "Choisissez « Demande de remboursement » : l'objet de votre remboursement, les "
                "documents demandés, un message si besoin, puis « Transmettre ma demande de "
                "remboursement ».",
                FaqLink.REFUND,
                "Demande de remboursement",
                "demander un remboursement ; faire une demande de remboursement ; formulaire de "
                "remboursement",
            ),
        ],
    ),
    (
        QUOTES,
        [
            (
                "Comment transmettre un devis ?",
                "Dans « Transmettre un devis », choisissez l'objet (optique, audio, appareillage, "
                "hospitalisation, dentaire), joignez vos devis (4 au maximum, de 3 Mo chacun), "
                "écrivez votre message puis cliquez sur « Transmettre ma demande de devis ». "
                "Nous vous répondons avec le montant de notre remboursement.",
                FaqLink.QUOTE,
                "Transmettre un devis",
                "envoyer un devis ; faire étudier un devis ; estimation ; simulation de "
                "remboursement",
            ),
            (
                "Comment sont remboursées mes lunettes ?",
                "Vos lunettes (monture et verres) sont remboursées selon votre garantie optique, "
                "en général une paire tous les deux ans pour un adulte, chaque année pour un "
                "enfant ou si la vue change. Avec l'offre 100 % Santé, certaines lunettes n'ont "
                "aucun reste à charge.\n\n"
                "Avant d'acheter, transmettez-nous le devis de l'opticien : nous vous disons ce "
                "qui sera remboursé.",
                FaqLink.QUOTE,
                "Transmettre un devis optique",
                "lunettes ; optique ; opticien ; verres ; monture ; devis lunettes ; "
                "renouvellement des lunettes",
            ),
            (
                "Les lentilles de contact sont-elles remboursées ?",
                "Les lentilles prescrites sont remboursées par l'Assurance Maladie sur une base "
                "réduite ; votre formule peut prévoir un forfait annuel en plus (voir vos "
                "garanties). Envoyez-nous la facture et la prescription.",
                FaqLink.CONTRACT,
                "Voir mes garanties",
                "lentilles ; lentille de contact ; forfait lentilles",
            ),
            (
                "Comment sont remboursés les soins dentaires et les prothèses ?",
                "Les soins courants sont remboursés à partir de la télétransmission. Pour une "
                "couronne, un bridge, un implant ou de l'orthodontie, demandez un devis à votre "
                "chirurgien-dentiste et transmettez-le nous avant les soins : nous vous indiquons "
                "notre remboursement et votre reste à charge.",
                FaqLink.QUOTE,
                "Transmettre un devis dentaire",
                "dentiste ; dents ; couronne ; implant ; bridge ; orthodontie ; appareil "
                "dentaire ; prothèse dentaire",
            ),
            (
                "Comment sont remboursées les aides auditives ?",
                "Les aides auditives sont remboursées selon votre garantie audiologie, une fois "
                "tous les quatre ans par oreille. Avec l'offre 100 % Santé, certains appareils "
                "n'ont aucun reste à charge. Transmettez-nous le devis de l'audioprothésiste "
                "avant l'achat.",
                FaqLink.QUOTE,
                "Transmettre un devis audio",
                "appareil auditif ; audioprothésiste ; prothèse auditive ; audition ; oreille ; "
                "sourd ; entendre",
            ),
            (
                "Qu'est-ce que le 100 % Santé ?",
                "Le 100 % Santé est une offre de lunettes, de prothèses dentaires et d'aides "
                "auditives sans reste à charge : l'Assurance Maladie et votre complémentaire "
                "(contrat responsable) remboursent la totalité du prix. Demandez le devis "
                "« 100 % Santé » à votre professionnel : il doit vous le proposer.",
                FaqLink.QUOTE,
                "Transmettre un devis",
                "100 % santé ; reste à charge zéro ; panier sans reste à charge ; offre 100 "
                "pour cent",
            ),
            (
                "Quel est le délai de réponse à un devis ?",
                "Nous étudions votre devis dès sa réception et vous répondons en général sous "
                "48 heures ouvrées. Vous suivez la demande et lisez notre réponse dans "
                "« Échanger avec nous ».",
                FaqLink.HISTORY,
                "Suivre ma demande de devis",
                "réponse au devis ; devis en attente ; pas de réponse à mon devis",
            ),
            (
                "Une chambre particulière à l'hôpital est-elle remboursée ?",
                "Oui, si votre formule la prévoit : le tableau des garanties indique le montant "
                "par jour et le nombre de jours pris en charge. Demandez une prise en charge "
                "avant votre entrée : l'établissement est alors payé directement.",
                FaqLink.CONTRACT,
                "Voir mes garanties",
                "chambre seule ; chambre individuelle ; chambre particulière",
            ),
        ],
    ),
    (
        HOSPITAL,
        [
            (
                "Comment obtenir une prise en charge pour une hospitalisation ?",
                "Avant une hospitalisation programmée, demandez-nous une prise en charge : "
                "transmettez le devis ou le bulletin de situation de l'établissement depuis "
                "« Transmettre un devis », objet « Hospitalisation ». Nous envoyons l'accord à "
                "l'établissement, qui est alors payé directement.",
                FaqLink.QUOTE,
                "Demander une prise en charge",
                "prise en charge hospitalière ; entrée à l'hôpital ; clinique ; opération ; "
                "chirurgie ; se faire opérer ; accord de prise en charge",
            ),
            (
                "Le forfait journalier hospitalier est-il remboursé ?",
                "Oui : le forfait journalier facturé par l'hôpital ou la clinique est pris en "
                "charge sans limite de durée en médecine et en chirurgie (contrat responsable).",
                FaqLink.CONTRACT,
                "Voir mes garanties",
                "forfait journalier ; frais de séjour ; jours à l'hôpital",
            ),
            (
                "Que faire après une hospitalisation ?",
                "Si l'établissement n'a pas été payé directement, envoyez-nous la facture "
                "acquittée et le bulletin de situation. Selon votre contrat, une aide à "
                "domicile ou la garde de vos enfants peuvent être organisées à votre retour : "
                "voir « Mes services ».",
                FaqLink.SERVICES,
                "Mes services",
                "sortie d'hôpital ; retour à la maison ; aide à domicile ; après l'opération",
            ),
            (
                "Ma maternité est-elle prise en charge ?",
                "Les frais d'accouchement sont pris en charge par l'Assurance Maladie ; votre "
                "formule peut prévoir la chambre particulière et un forfait naissance. Pensez à "
                "ajouter votre enfant comme bénéficiaire dès sa naissance.",
                FaqLink.CONTRACT,
                "Voir mes garanties",
                "accouchement ; grossesse ; enceinte ; forfait naissance ; maternité",
            ),
        ],
    ),
    (
        SOFT,
        [
            (
                "La médecine douce est-elle remboursée (ostéopathe, chiropracteur...) ?",
                "Selon votre formule, les séances d'ostéopathie, de chiropraxie, d'acupuncture, "
                "de sophrologie ou de naturopathie sont remboursées dans la limite d'un forfait "
                "annuel (voir vos garanties). Le praticien doit être diplômé et enregistré.",
                FaqLink.CONTRACT,
                "Voir mes garanties",
                "ostéopathe ; ostéo ; chiropracteur ; acupuncteur ; sophrologue ; naturopathe ; "
                "étiopathe ; médecines alternatives ; séances",
            ),
            (
                "Comment me faire rembourser une séance de médecine douce ?",
                "Le formulaire de médecine douce est un formulaire à part : choisissez le type de "
                "soins et le bénéficiaire, joignez la facture du praticien (5 fichiers au "
                "maximum, de 5 Mo chacun) puis validez.",
                FaqLink.SOFT_MEDICINE,
                "Formulaire de médecine douce",
                "facture ostéopathe ; envoyer la facture de l'ostéo ; remboursement séance ; "
                "facture acupuncture ; facture naturopathe",
            ),
            (
                "La téléconsultation est-elle remboursée ?",
                "Oui : une téléconsultation avec un médecin est remboursée comme une consultation "
                "au cabinet, par l'Assurance Maladie puis par nous, si elle respecte le parcours "
                "de soins.\n\n"
                "Selon votre contrat, un service de téléconsultation est aussi inclus : voir "
                "« Mes services ».",
                FaqLink.SERVICES,
                "Mes services",
                "consultation vidéo ; consultation à distance ; médecin en ligne ; visio avec "
                "un médecin ; télémédecine",
            ),
            (
                "Les consultations de psychologue sont-elles remboursées ?",
                "Les séances chez un psychologue partenaire du dispositif « Mon soutien psy » "
                "sont remboursées par l'Assurance Maladie et par nous. Les autres séances le sont "
                "si votre formule prévoit un forfait (voir vos garanties).",
                FaqLink.CONTRACT,
                "Voir mes garanties",
                "psychologue ; psy ; mon soutien psy ; thérapie ; séances de psy",
            ),
            (
                "Les vaccins et la prévention sont-ils remboursés ?",
                "Les vaccins prescrits et remboursés par l'Assurance Maladie le sont aussi par "
                "nous. Des actions de prévention sont proposées dans « Mes services ».",
                FaqLink.SERVICES,
                "Mes services",
                "vaccination ; prévention ; dépistage ; bilan de santé",
            ),
        ],
    ),
    (
        CONTRACT,
        [
            (
                "Comment obtenir mon certificat d'affiliation ?",
                "Dans « Mon contrat », téléchargez votre certificat d'affiliation (et, si votre "
                "contrat a pris fin, votre certificat de radiation) au format PDF.",
                FaqLink.CONTRACT,
                "Télécharger mon certificat",
                "attestation de mutuelle ; attestation d'adhésion ; justificatif de mutuelle ; "
                "preuve que je suis couvert ; attestation pour mon employeur",
            ),
            (
                "Quelles sont mes garanties ?",
                "« Mon contrat » vous donne accès à l'ensemble des données liées à votre "
                "contrat : votre date d'entrée, vos garanties et le tableau des garanties à "
                "consulter ou télécharger.",
                FaqLink.CONTRACT,
                "Voir mon contrat",
                "tableau des garanties ; ce qui est couvert ; niveau de couverture ; ma formule",
            ),
            (
                "Comment ajouter un bénéficiaire à mon contrat ?",
                "Déclarez l'ajout d'un bénéficiaire (conjoint, enfant) depuis « Déclarer un "
                "changement » en joignant les justificatifs demandés.\n\n"
                "Attention : si vous avez souscrit un contrat collectif, adressez-vous à votre "
                "employeur pour toute modification de votre contrat.",
                FaqLink.CHANGE,
                "Déclarer un changement",
                "ajouter mon conjoint ; ajouter mon enfant ; rattacher ; inscrire mon bébé ; "
                "naissance ; mariage ; pacs",
            ),
            (
                "Comment résilier mon contrat ?",
                "Après un an de contrat, vous pouvez le résilier à tout moment, sans frais : la "
                "résiliation prend effet un mois après que nous l'avons reçue. Faites-en la "
                "demande depuis « Déclarer un changement » ou par la messagerie ; si vous "
                "rejoignez une autre complémentaire, elle peut s'en charger pour vous.\n\n"
                "Un contrat collectif se termine avec votre contrat de travail : adressez-vous à "
                "votre employeur.",
                FaqLink.CHANGE,
                "Déclarer un changement",
                "résiliation ; arrêter ma mutuelle ; quitter la mutuelle ; changer de mutuelle ; "
                "mettre fin au contrat ; annuler mon contrat ; partir",
            ),
            (
                "Comment obtenir mon certificat de radiation ?",
                "Lorsque votre contrat a pris fin, votre certificat de radiation est "
                "téléchargeable dans « Mon contrat ». Votre nouvelle complémentaire peut vous "
                "le demander.",
                FaqLink.CONTRACT,
                "Télécharger mon certificat",
                "attestation de fin de contrat ; radiation ; preuve de résiliation",
            ),
            (
                "Comment ajouter une option facultative ?",
                "Dans « Mon contrat », choisissez « Ajout d'une option facultative » : votre "
                "demande est transmise à nos gestionnaires, qui vous confirment la date d'effet "
                "et la nouvelle cotisation.",
                FaqLink.CONTRACT,
                "Mon contrat",
                "renfort ; surcomplémentaire ; option ; améliorer ma couverture",
            ),
            (
                "Comment changer de formule ?",
                "Vous pouvez changer de formule à la date anniversaire de votre contrat. "
                "Déclarez le changement souhaité : nous vous envoyons la nouvelle cotisation et "
                "le nouveau tableau des garanties.",
                FaqLink.CHANGE,
                "Déclarer un changement",
                "changer de niveau ; monter en gamme ; baisser ma garantie ; formule supérieure "
                "; formule inférieure",
            ),
            (
                "J'ai un contrat collectif d'entreprise : à qui m'adresser ?",
                "Pour toute modification de coordonnées ou de contrat, sollicitez votre "
                "employeur. Vos remboursements, votre carte et vos demandes restent accessibles "
                "dans votre espace.",
                FaqLink.CONTRACT,
                "Mon contrat",
                "contrat d'entreprise ; mutuelle de l'entreprise ; employeur ; salarié",
            ),
            (
                "Que devient ma mutuelle d'entreprise si je quitte mon emploi ?",
                "Si vous avez droit à l'assurance chômage, vous gardez gratuitement votre "
                "couverture (portabilité) pendant la durée de votre dernier contrat de travail, "
                "12 mois au plus. Votre employeur nous signale votre départ.",
                FaqLink.CONTRACT,
                "Mon contrat",
                "portabilité ; licenciement ; chômage ; fin de contrat de travail ; démission",
            ),
            (
                "Qu'est-ce qu'un contrat responsable ?",
                "Un contrat responsable respecte les règles fixées par la loi : il rembourse le "
                "forfait journalier et le 100 % Santé, et encourage le parcours de soins. La "
                "lettre « R » sur votre carte de tiers payant l'indique.",
                FaqLink.CARD,
                "Ma carte de tiers payant",
                "contrat solidaire et responsable ; lettre R ; parcours de soins",
            ),
        ],
    ),
    (
        CONTRIBUTIONS,
        [
            (
                "Quel est le montant de ma cotisation ?",
                "Le montant de votre cotisation figure sur votre échéancier, envoyé en début "
                "d'année et à chaque changement de formule. Pour en recevoir un nouvel "
                "exemplaire, écrivez-nous.",
                FaqLink.CONTACT,
                "Nous contacter",
                "prix de la mutuelle ; combien je paie ; tarif ; montant mensuel ; échéancier",
            ),
            (
                "Comment changer le mode ou la date de paiement de ma cotisation ?",
                "Vos cotisations sont prélevées chaque mois, par défaut le 5. Pour changer de "
                "compte de prélèvement, déclarez un changement de coordonnées bancaires ; pour "
                "passer au trimestre ou changer de date, écrivez-nous.",
                FaqLink.CHANGE,
                "Déclarer un changement",
                "prélèvement ; date de prélèvement ; payer par trimestre ; mensualisation ; "
                "compte de prélèvement",
            ),
            (
                "Que se passe-t-il si je ne paie pas ma cotisation ?",
                "Un prélèvement rejeté vous est signalé par courrier. Sans régularisation, vos "
                "garanties peuvent être suspendues 30 jours après une mise en demeure, puis le "
                "contrat résilié 10 jours plus tard. Écrivez-nous dès que possible si vous "
                "rencontrez des difficultés : un échéancier peut être trouvé.",
                FaqLink.CONTACT,
                "Nous contacter",
                "impayé ; retard de paiement ; rejet ; je ne peux pas payer ; "
                "difficultés financières",
            ),
            (
                "Comment obtenir une attestation de paiement de mes cotisations ?",
                "Nous vous adressons chaque année l'attestation des cotisations versées, utile "
                "pour votre déclaration de revenus si vous êtes travailleur indépendant (loi "
                "Madelin). Écrivez-nous pour en recevoir une copie.",
                FaqLink.CONTACT,
                "Nous contacter",
                "attestation fiscale ; impôts ; déclaration de revenus ; Madelin ; cotisations "
                "payées",
            ),
            (
                "Puis-je bénéficier de la Complémentaire santé solidaire ?",
                "La Complémentaire santé solidaire est attribuée par l'Assurance Maladie selon "
                "vos ressources. Si vous l'obtenez, vous pouvez résilier votre contrat sans "
                "attendre : envoyez-nous l'attestation de droits.",
                FaqLink.DOCUMENT,
                "Envoyer un document",
                "CSS ; CMU ; aide pour payer la mutuelle ; faibles revenus",
            ),
        ],
    ),
    (
        BENEFICIARIES,
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
                "liaison avec la sécu ; lien avec la CPAM ; transmission automatique",
            ),
            (
                "Comment activer la télétransmission pour un bénéficiaire ?",
                "Dans « Mes bénéficiaires », vous pouvez activer ou déconnecter la "
                "télétransmission de chacun de vos bénéficiaires, avec son numéro de sécurité "
                "sociale et son organisme d'assurance maladie.",
                FaqLink.BENEFICIARIES,
                "Mes bénéficiaires",
                "mettre en place la télétransmission ; activer NOEMIE ; connecter à la CPAM",
            ),
            (
                "Pourquoi ma télétransmission ne fonctionne-t-elle pas ?",
                "La liaison s'arrête si vous avez une autre complémentaire déclarée à la caisse, "
                "si votre numéro de sécurité sociale a changé ou si vous avez changé de caisse. "
                "Vérifiez votre situation dans « Mes bénéficiaires » et réactivez-la ; sinon, "
                "envoyez-nous vos décomptes.",
                FaqLink.BENEFICIARIES,
                "Mes bénéficiaires",
                "télétransmission désactivée ; NOEMIE ne marche pas ; la sécu ne transmet pas ; "
                "plus de télétransmission",
            ),
            (
                "Je change de caisse d'assurance maladie : que faire ?",
                "Après un déménagement ou un changement de régime, envoyez-nous votre nouvelle "
                "attestation de droits à l'Assurance Maladie : nous mettons à jour votre "
                "organisme et la télétransmission.",
                FaqLink.DOCUMENT,
                "Envoyer mon attestation",
                "nouvelle CPAM ; changement de caisse ; changer de régime ; MSA ; attestation "
                "de droits ; attestation vitale",
            ),
        ],
    ),
    (
        BENEFICIARY_CHANGES,
        [
            (
                "Comment retirer un bénéficiaire de mon contrat ?",
                "Dans « Mes bénéficiaires », demandez la suppression du bénéficiaire (un enfant "
                "qui a son propre contrat, un divorce...) avec la date souhaitée.",
                FaqLink.BENEFICIARIES,
                "Mes bénéficiaires",
                "supprimer un bénéficiaire ; enlever mon ex ; divorce ; séparation ; enfant qui "
                "travaille ; enlever mon enfant",
            ),
            (
                "Jusqu'à quel âge mes enfants sont-ils couverts ?",
                "Vos enfants sont couverts jusqu'à 20 ans, et jusqu'à 26 ans s'ils poursuivent "
                "des études, sont en apprentissage ou cherchent un premier emploi : envoyez-nous "
                "chaque année le justificatif.",
                FaqLink.DOCUMENT,
                "Envoyer un justificatif",
                "âge limite ; enfant étudiant ; certificat de scolarité ; 26 ans ; apprenti",
            ),
            (
                "Mon bénéficiaire peut-il avoir son propre espace ?",
                "L'espace est celui de l'adhérent : il regroupe les demandes et les "
                "remboursements de tous les bénéficiaires. Un bénéficiaire majeur peut avoir "
                "sa propre carte de tiers payant, téléchargeable depuis votre espace.",
                FaqLink.BENEFICIARIES,
                "Mes bénéficiaires",
                "compte pour mon conjoint ; espace séparé ; accès pour mon enfant",
            ),
        ],
    ),
    (
        SPACE,
        [
            (
                "Comment modifier mon adresse, mon e-mail ou mon téléphone ?",
                "Dans « Mes informations personnelles », modifiez votre adresse, votre e-mail ou "
                "votre téléphone. Un code de confirmation vous est envoyé pour valider un "
                "nouvel e-mail ou un nouveau numéro de téléphone.",
                FaqLink.PROFILE,
                "Mes informations personnelles",
                "déménagement ; nouvelle adresse ; changer de mail ; nouveau numéro de portable "
                "; changer mes coordonnées",
            ),
            (
                "Comment changer mon mot de passe ?",
                "Dans « Mes informations personnelles », choisissez « Modifier mon mot de "
                "passe » : saisissez votre mot de passe actuel puis le nouveau.",
                FaqLink.PASSWORD_CHANGE,
                "Modifier mon mot de passe",
                "nouveau mot de passe ; modifier mon mot de passe ; changer le mot de passe",
            ),
            (
                "J'ai oublié mon mot de passe, que faire ?",
                "Sur la page de connexion, cliquez sur « Mot de passe oublié ? » et saisissez "
                "votre numéro d'adhérent ou votre e-mail : vous recevez un lien, valable 30 "
                "minutes, pour choisir un nouveau mot de passe.",
                FaqLink.PASSWORD_RESET,
                "Mot de passe oublié",
                "mot de passe oublié ; mot de passe perdu ; je n'arrive plus à me connecter ; je "
                "ne me souviens plus de mon mot de "
                "passe ; réinitialiser ; récupérer mon mot de passe",
            ),
            (
                "Je ne reçois pas le code de connexion, que faire ?",
                "Le code, à 6 chiffres, est valable 5 minutes ; vous pouvez en demander un "
                "nouveau après 60 secondes avec « Renvoyer le code ». Vérifiez vos courriers "
                "indésirables, ou choisissez l'autre canal (SMS ou e-mail). Un numéro de "
                "téléphone à jour se modifie dans « Mes informations personnelles ».",
                FaqLink.PROFILE,
                "Mes informations personnelles",
                "code SMS pas reçu ; double authentification ; code de sécurité ; code de "
                "validation ; pas de SMS",
            ),
            (
                "Pourquoi me demande-t-on un code à la connexion ?",
                "La double authentification protège vos données de santé. Elle est demandée "
                "lors d'un changement de navigateur, d'un changement d'adresse IP et après "
                "3 mois sans connexion. Vous pouvez aussi utiliser une application "
                "d'authentification.",
                FaqLink.PROFILE,
                "Mes informations personnelles",
                "double authentification ; sécurité ; pourquoi un code ; application "
                "d'authentification",
            ),
            (
                "Quel est mon identifiant de connexion ?",
                "Votre identifiant est votre numéro d'adhérent, imprimé sur votre carte de tiers "
                "payant, ou l'e-mail de votre espace.",
                FaqLink.CARD,
                "Ma carte de tiers payant",
                "numéro d'adhérent ; login ; identifiant oublié ; numéro de membre ; je ne "
                "connais pas mon numéro",
            ),
            (
                "Comment suivre mes demandes ?",
                "« Échanger avec nous » regroupe vos demandes et celles de vos bénéficiaires, "
                "avec leur statut. Vous recevez un e-mail à chaque étape et nos réponses "
                "arrivent dans « Mes documents ».",
                FaqLink.HISTORY,
                "Voir mes demandes",
                "historique des demandes ; où en est ma demande ; statut ; suivi",
            ),
            (
                "Où trouver les réponses de vos gestionnaires ?",
                "Nos réponses sont dans « Mes documents », rubrique « Historique des mails » : "
                "vous pouvez les consulter ou les télécharger.",
                FaqLink.ANSWERS,
                "Historique des mails",
                "réponse reçue ; mails reçus ; courrier de la mutuelle ; documents reçus",
            ),
            (
                "Comment vous contacter ?",
                "Par téléphone, sur votre ligne dédiée aux horaires indiqués sur la page "
                "« Contact », ou par e-mail depuis cette même page : vous recevrez notre réponse "
                "directement dans votre boîte mail personnelle.",
                FaqLink.CONTACT,
                "Nous contacter",
                "numéro de téléphone ; appeler un conseiller ; parler à quelqu'un ; joindre ; "
                "horaires",
            ),
            (
                "Comment faire une réclamation ?",
                "Écrivez-nous depuis la messagerie en précisant l'objet de votre réclamation : "
                "nous accusons réception sous 10 jours et répondons sous 2 mois au plus. Sans "
                "accord, vous pouvez saisir le médiateur indiqué dans les mentions légales.",
                FaqLink.MESSAGE,
                "Écrire un message",
                "plainte ; pas content ; mécontent ; litige ; médiateur ; contester",
            ),
            (
                "Comment poser une question à vos gestionnaires ?",
                "Choisissez « Poser une question », sélectionnez l'objet de la question puis "
                "précisez votre demande : la réponse arrive dans « Mes documents ».",
                FaqLink.QUESTION,
                "Poser une question",
                "question à un gestionnaire ; écrire à la mutuelle ; envoyer un message",
            ),
            (
                "Comment trouver un professionnel de santé pratiquant le tiers payant ?",
                "« Localiser un professionnel de santé » cherche par spécialité, code postal ou "
                "ville, ou autour de vous, et peut n'afficher que les professionnels pratiquant "
                "le tiers payant.",
                FaqLink.LOCATOR,
                "Localiser un professionnel de santé",
                "trouver un médecin ; dentiste près de chez moi ; opticien partenaire ; "
                "annuaire ; chercher un kiné",
            ),
            (
                "Comment supprimer mon espace et obtenir mes données ?",
                "Dans « Mes données », téléchargez vos données, ou demandez la clôture de votre "
                "espace : nos gestionnaires la confirment.",
                FaqLink.MY_DATA,
                "Mes données",
                "supprimer mon compte ; fermer mon espace ; RGPD ; mes données personnelles",
            ),
        ],
    ),
]
