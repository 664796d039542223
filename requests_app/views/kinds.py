"""The request forms of the member space, each a `RequestWizardView` (guides 000 and 003)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from requests_app.forms.question import QuestionForm
from requests_app.models import RequestKind
from requests_app.views.wizard import RequestWizardView


class QuestionView(RequestWizardView):
    kind = RequestKind.QUESTION
    form_class = QuestionForm
    title = _("Poser une question")
    submit_label = _("Envoyer ma question")


urlpatterns = [
    path("demandes/poser-une-question/", QuestionView.as_view(), name="question"),
]
