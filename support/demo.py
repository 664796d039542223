"""Demo FAQ and "Mes services" pages for `make run`, in the spirit of the guides. Idempotent:
a theme, an entry (by its question) or a page (by its slug) already there is left as it is,
so a manager's edits survive a second run."""

import io

from django.core.files.base import ContentFile
from django.db import transaction
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from portal.models import Branding
from support.demo_faq import FAQ
from support.models import FaqEntry, FaqTheme, ServiceAction, ServicePage

ADVISOR_NAME = "Camille"

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


# slug -> [(kind, label, phone, request form, topic, guide title)]: what each page lets one do.
SERVICE_ACTIONS = {
    "professionnels-de-sante": [
        ("phone", "Parler à un médecin", "01 23 45 67 90", "", "", ""),
        ("request", "Poser une question", "", "requests_app:question", "other", ""),
    ],
    "prevention": [
        ("guide", "Guide de la prévention", "", "", "", "Guide de la prévention"),
    ],
    "aides": [
        ("request", "Présenter une demande d'aide", "", "requests_app:message", "other", ""),
        ("phone", "Joindre le service d'action sociale", "01 23 45 67 91", "", "", ""),
    ],
    "hospitalisation": [
        ("request", "Demander une prise en charge", "", "requests_app:quote", "hospital", ""),
        ("phone", "Appeler l'assistance", "01 23 45 67 92", "", "", ""),
        ("guide", "Guide de l'hospitalisation", "", "", "", "Guide de l'hospitalisation"),
    ],
}


def _guide_pdf(title: str) -> bytes:
    """A one-page demo guide."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, lang="fr-FR")
    canvas.setTitle(title)
    canvas.setFont("Helvetica-Bold", 18)
    canvas.drawString(72, A4[1] - 96, title)
    canvas.setFont("Helvetica", 11)
    canvas.drawString(72, A4[1] - 130, "Guide de démonstration de Mutuelle Démo.")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@transaction.atomic
def demo_support_load() -> int:
    """Load the demo FAQ and service pages; returns how many rows were created."""
    created = 0
    for theme_position, (theme_name, entries) in enumerate(FAQ, start=1):
        theme, made = FaqTheme.objects.get_or_create(
            name=theme_name, defaults={"position": theme_position}
        )
        created += made
        for position, (question, answer, link, label, keywords) in enumerate(entries, start=1):
            _entry, made = FaqEntry.objects.get_or_create(
                question=question,
                defaults={
                    "theme": theme,
                    "answer": answer,
                    "keywords": keywords,
                    "position": position,
                    "link_url_name": link,
                    "link_label": label,
                },
            )
            created += made
    branding = Branding.current()
    if not branding.advisor_name:
        branding.advisor_name = ADVISOR_NAME
        branding.save(update_fields=["advisor_name"])
    for position, (slug, title, summary, body) in enumerate(SERVICES, start=1):
        _page, made = ServicePage.objects.get_or_create(
            slug=slug,
            defaults={"title": title, "summary": summary, "body": body, "position": position},
        )
        created += made
        if made or not _page.actions.exists():
            for index, (kind, label, phone, form, topic, guide) in enumerate(
                SERVICE_ACTIONS.get(slug, []), start=1
            ):
                action = ServiceAction(
                    page=_page,
                    kind=kind,
                    label=label,
                    phone=phone,
                    request_form=form,
                    topic=topic,
                    position=index,
                )
                if guide:
                    action.guide.save(f"{slug}.pdf", ContentFile(_guide_pdf(guide)), save=False)
                action.save()
                created += 1
    return created
