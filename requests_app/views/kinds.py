"""The request forms of the member space, each a `RequestWizardView` (guides 000 and 003)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from requests_app.forms.document import DocumentForm
from requests_app.forms.message import MessageForm
from requests_app.forms.question import QuestionForm
from requests_app.forms.quote import QuoteForm
from requests_app.forms.refund import RefundForm
from requests_app.forms.soft_medicine import SoftMedicineForm
from requests_app.models import RequestKind
from requests_app.views.wizard import RequestWizardView

INTRO = "requests_app/intro/{}.html"


class QuestionView(RequestWizardView):
    kind = RequestKind.QUESTION
    form_class = QuestionForm
    title = _("Poser une question")
    submit_label = _("Envoyer ma question")


class DocumentView(RequestWizardView):
    """Envoyer un document (facture, devis, justificatif...) (guide 000)."""

    kind = RequestKind.DOCUMENT
    form_class = DocumentForm
    title = _("Envoyer un document (facture, devis, justificatif...)")
    intro_template = INTRO.format(RequestKind.DOCUMENT.value)
    submit_label = _("Envoyer la demande")


class SoftMedicineView(RequestWizardView):
    """Médecine douce, "un formulaire à part" (guide 000)."""

    kind = RequestKind.SOFT_MEDICINE
    form_class = SoftMedicineForm
    title = _("Médecine douce")
    intro_template = INTRO.format(RequestKind.SOFT_MEDICINE.value)
    submit_label = _("Envoyer la demande")


class RefundView(RequestWizardView):
    """Demande de remboursement (guide 003)."""

    kind = RequestKind.REFUND
    form_class = RefundForm
    title = _("Demande de remboursement")
    intro_template = INTRO.format(RequestKind.REFUND.value)
    submit_label = _("Transmettre ma demande de remboursement")


class QuoteView(RequestWizardView):
    """Transmettre un devis (guide 003)."""

    kind = RequestKind.QUOTE
    form_class = QuoteForm
    title = _("Transmettre un devis")
    intro_template = INTRO.format(RequestKind.QUOTE.value)
    submit_label = _("Transmettre ma demande de devis")


class MessageView(RequestWizardView):
    """Écrire un message, from the secure messaging (guide 003)."""

    kind = RequestKind.MESSAGE
    form_class = MessageForm
    title = _("Écrire un message")
    intro_template = INTRO.format(RequestKind.MESSAGE.value)
    submit_label = _("Envoyer le message")


urlpatterns = [
    path("demandes/poser-une-question/", QuestionView.as_view(), name="question"),
    path("demandes/envoyer-un-document/", DocumentView.as_view(), name="document"),
    path("demandes/medecine-douce/", SoftMedicineView.as_view(), name="soft_medicine"),
    path("demandes/remboursement/", RefundView.as_view(), name="refund"),
    path("demandes/devis/", QuoteView.as_view(), name="quote"),
    path("messagerie/ecrire/", MessageView.as_view(), name="message"),
]
