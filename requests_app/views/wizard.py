"""The guided form every request kind goes through: form -> "Vérifier le résumé" -> sent.

Stateless: the summary page carries what was typed as hidden fields (attachments as the ids of
files already stored), so "Retour" shows the form exactly as it was left, the back button of the
browser does no harm, and nothing is kept on the server for a form never sent but its pending
uploads (purged after a day). Works without JavaScript.
"""

import uuid

from django.forms.utils import ErrorDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View

from accounts.decorators import member_required
from accounts.form_resume import form_resume_take
from casework.services import CaseError
from documents.forms import AttachmentsField
from requests_app.forms.base import RequestForm
from requests_app.selectors import get_member_request_or_404
from requests_app.services import member_request_submit

# Initial values another page hands to the next request form (the virtual advisor's question),
# kept in the session so that what a member typed never travels in a URL (nor an access log).
PREFILL_SESSION_KEY = "requests_app.prefill"

# The hidden field of the form's one-time token.
SUBMISSION_FIELD = "_submission"

# The step a POST asks for: check and show the summary, go back to the form, or send.
REVIEW, BACK, CONFIRM = "review", "back", "confirm"


@method_decorator(member_required, name="dispatch")
class RequestWizardView(View):
    """Subclasses set `kind`, `form_class`, `title` and `submit_label` (the last button)."""

    kind: str = ""
    form_class: type[RequestForm] = RequestForm
    title = ""
    # Shown above the form: the guide's instructions or warnings for this kind.
    intro_template = ""
    submit_label = _("Valider")
    template_name = "requests_app/request_form.html"
    summary_template_name = "requests_app/request_summary.html"

    def get_form_kwargs(self, member):
        return {"member": member, "user": self.request.user}

    def get_form(self, member, data=None, files=None):
        return self.form_class(data, files, **self.get_form_kwargs(member))

    def submission_token(self) -> uuid.UUID:
        """The form page's one-time token: made when the form is first shown, then carried by
        the form and the summary, so that sending the same form twice makes one request."""
        try:
            return uuid.UUID(self.request.POST.get(SUBMISSION_FIELD, ""))
        except ValueError:
            return uuid.uuid4()

    def get_context(self, member, **context):
        return {
            "submission_field": SUBMISSION_FIELD,
            "submission_token": self.submission_token(),
            "title": self.title,
            "intro_template": self.intro_template,
            "submit_label": self.submit_label,
            "kind": self.kind,
            "member": member,
            **context,
        }

    def get(self, request, member, **kwargs):
        self.member = member
        kept = form_resume_take(request)
        if kept is not None:
            # Signed in again after the session expired on "Vérifier le résumé": the form as it
            # was sent, files included, without error messages (as "Retour" shows it).
            form = self.get_form(member, kept)
            form.is_valid()
            form._errors = ErrorDict()
            return render(request, self.template_name, self.get_context(member, form=form))
        form = self.get_form(member)
        # A link may preselect fields ("Supprimer ce bénéficiaire" names the beneficiary):
        # only as initial values, which the member sees and can change before sending.
        # Never files: those are chosen by the member, not by a link.
        form.initial.update(
            {
                name: request.GET[name]
                for name, field in form.fields.items()
                if name in request.GET and not isinstance(field, AttachmentsField)
            }
        )
        handed = request.session.pop(PREFILL_SESSION_KEY, None) or {}
        form.initial.update({name: value for name, value in handed.items() if name == "message"})
        return render(request, self.template_name, self.get_context(member, form=form))

    def post(self, request, member, **kwargs):
        self.member = member
        step = request.POST.get("_action", REVIEW)
        form = self.get_form(member, request.POST, request.FILES)
        valid = form.is_valid()  # also stores files sent without JavaScript
        if step == BACK:
            # Back from the summary: the form as it was left, without error messages.
            form._errors = ErrorDict()
            return render(request, self.template_name, self.get_context(member, form=form))
        if not valid:
            return render(request, self.template_name, self.get_context(member, form=form))
        if step == CONFIRM:
            try:
                sent = member_request_submit(
                    member=member,
                    kind=self.kind,
                    by=request.user,
                    submission_token=self.submission_token(),
                    **form.submission(),
                )
            except CaseError as error:
                form.add_error(None, error.message)
                return render(request, self.template_name, self.get_context(member, form=form))
            return redirect("requests_app:sent", reference=sent.reference)
        return render(
            request,
            self.summary_template_name,
            self.get_context(member, form=form, hidden=_hidden_items(form)),
        )


def _hidden_items(form) -> list[tuple[str, str]]:
    """The form's data (uploads already replaced by their ids) as hidden (name, value)."""
    skip = {"csrfmiddlewaretoken", "_action", SUBMISSION_FIELD}
    return [
        (name, value) for name, values in form.data.lists() if name not in skip for value in values
    ]


@member_required
def request_sent(request, member, reference):
    """ "La demande a bien été envoyée ! Il n'y a rien de plus à faire." """
    sent = get_member_request_or_404(member, reference)
    return render(
        request,
        "requests_app/request_sent.html",
        {"sent": sent, "history_url": reverse("requests_app:history")},
    )
