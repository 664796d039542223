"""Contact (guides 002, 003): "Joignez-nous par e-mail ou par téléphone. Pour toute demande par
e-mail, vous recevrez notre réponse directement dans votre boîte mail personnelle." """

from django.shortcuts import redirect, render
from django.urls import path

from accounts.decorators import member_required
from casework.services import CaseError
from requests_app.selectors import get_member_request_or_404
from requests_app.views.wizard import PREFILL_SESSION_KEY
from support.forms import CONTACT_TOPICS, ContactForm
from support.services import contact_message_send


def _personal_email(member) -> str:
    """Where the answer's email goes (as requests_app sends it)."""
    return (member.user.email if member.user_id else "") or member.email


@member_required
def contact(request, member):
    if request.method == "POST":
        form = ContactForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                sent = contact_message_send(
                    member=member,
                    by=request.user,
                    topic=form.cleaned_data["topic"],
                    topic_label=form.topic_label(),
                    message=form.cleaned_data["message"],
                    attachments=form.cleaned_data["files"],
                )
            except CaseError as error:
                form.add_error(None, error.message)
            else:
                return redirect("support:contact_sent", reference=sent.reference)
    else:
        # The advisor's "write to us" link brings the question along (in the session).
        handed = request.session.pop(PREFILL_SESSION_KEY, None) or {}
        initial = {"message": str(handed.get("message", ""))[:1000]}
        if request.GET.get("objet") in dict(CONTACT_TOPICS):
            initial["topic"] = request.GET["objet"]
        form = ContactForm(initial=initial, user=request.user)
    return render(request, "support/contact.html", {"form": form, "email": _personal_email(member)})


@member_required
def contact_sent(request, member, reference):
    sent = get_member_request_or_404(member, reference)
    return render(
        request, "support/contact_sent.html", {"sent": sent, "email": _personal_email(member)}
    )


urlpatterns = [
    path("contact/", contact, name="contact"),
    path("contact/envoye/<str:reference>/", contact_sent, name="contact_sent"),
]
