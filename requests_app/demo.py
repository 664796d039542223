"""Demo requests for `make run`: a member's history with each status, an answer with a file."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from casework.demo import case_backdate, case_emails_silence
from casework.services import case_move
from documents.rules import ANSWER, SEND_DOCUMENT
from documents.services import stored_file_create
from requests_app.models import MemberRequest, RequestKind
from requests_app.services import member_request_submit


def _pdf(text: str) -> bytes:
    """A one-page PDF saying `text` (ASCII), enough for any viewer."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R>>>>"
        b"/Contents 5 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj" % number + body + b"endobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _png(text: str) -> bytes:
    image = Image.new("RGB", (420, 240), "white")
    ImageDraw.Draw(image).text((20, 100), text, fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def demo_requests_load(*, member, manager) -> int:
    """Give `member` a few requests (once): new, waiting for a complement the managers asked,
    resolved with an answer and its file."""
    if MemberRequest.objects.filter(member=member).exists():
        return 0
    user = member.user
    child = member.beneficiaries.order_by("-birth_date").first()
    with transaction.atomic():
        invoice = stored_file_create(
            uploaded=SimpleUploadedFile(
                "facture-pharmacie.png", _png("Facture pharmacie 42,80 EUR")
            ),
            rules=SEND_DOCUMENT,
            by=user,
        )
        member_request_submit(
            member=member, kind=RequestKind.DOCUMENT, by=user, beneficiary=child,
            topic="invoice", topic_label="Facture", amount="42.80",
            message="Facture de pharmacie pour Lucas.",
            details=[{"label": "Type de demande", "value": "Facture"},
                     {"label": "Type de soins", "value": "Pharmacie"}],
            attachments=[invoice],
        )  # fmt: skip
        quote = member_request_submit(
            member=member, kind=RequestKind.QUOTE, by=user, topic="optique",
            topic_label="Optique",
            message="Devis pour des lunettes, merci de me dire le reste à charge.",
            details=[{"label": "Objet de la demande de devis", "value": "Optique"}],
        )  # fmt: skip
        case_move(case=quote, move="take", by=manager)
        case_move(
            case=quote, move="ask", by=manager,
            text="Bonjour, pour étudier votre devis, merci de nous envoyer le devis détaillé "
                 "de l'opticien (verres et monture), avec les codes LPP.",
        )  # fmt: skip
        question = member_request_submit(
            member=member, kind=RequestKind.QUESTION, by=user, topic="card",
            topic_label="Ma carte de tiers payant",
            message="Comment obtenir une nouvelle carte de tiers payant ?",
            details=[{"label": "Objet de la question", "value": "Ma carte de tiers payant"}],
        )  # fmt: skip
        letter = stored_file_create(
            uploaded=SimpleUploadedFile("reponse-carte-tiers-payant.pdf", _pdf("Votre carte")),
            rules=ANSWER,
            by=manager,
        )
        case_move(case=question, move="take", by=manager)
        case_move(
            case=question, move="resolve", by=manager, attachments=[letter],
            text="Bonjour, votre carte est téléchargeable depuis votre espace. "
                 "Vous la trouverez aussi en pièce jointe.",
        )  # fmt: skip
        case_emails_silence(MemberRequest.objects.filter(member=member))
        # Spread the dates so the history reads like a few weeks of use.
        now = timezone.now()
        for age, request in enumerate(MemberRequest.objects.filter(member=member)):
            filed_at = now - timedelta(days=3 * age + 1)
            case_backdate(request, filed_at=filed_at, handled_at=filed_at + timedelta(hours=20))
    return MemberRequest.objects.filter(member=member).count()
