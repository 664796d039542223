"""Déclarer un changement (guides 000 and 002): choose the change, then its own steps.

Step 1 is a plain GET form (works without JavaScript) that leads to step 2, the change's own
`RequestWizardView`: its form with the documents it requires, "Vérifier le résumé", then
"Valider la demande" ("Retour" keeps everything). A member whose contract is collective is sent
to their employer for the changes the insurer leaves to employers (`cover.collective`: all of
them in guide 002's profile): step 1 does not offer them, and their step 2 names the employer.
"""

from django.forms.utils import ErrorDict
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from accounts.decorators import member_required
from cover.collective import employer_in_charge, employers_in_charge
from requests_app.forms.change import CHANGE_FORMS, CHANGES, ChangeChoiceForm
from requests_app.models import RequestKind
from requests_app.views.wizard import RequestWizardView

TITLE = _("Déclarer un changement")


def _collective(request, member, title, employers):
    """The guide's warning, with the employer's name and contact, in place of the form."""
    return render(
        request,
        "requests_app/change_collective.html",
        {
            "title": title,
            "member": member,
            "employer": employers[0],
        },
    )


@member_required
def change_choice(request, member):
    """ "Sélectionner le changement à déclarer dans la liste déroulante"."""
    employers = employers_in_charge(member)
    offered = {form.slug for form in CHANGE_FORMS if employers[form.collective_area] is None}
    if not offered:
        return _collective(request, member, TITLE, [e for e in employers.values() if e])
    form = ChangeChoiceForm(request.GET if "change" in request.GET else None, offered=offered)
    if form.is_bound and form.is_valid():
        return redirect("requests_app:change_step", change=form.cleaned_data["change"])
    return render(request, "requests_app/change_choice.html", {"title": TITLE, "form": form})


# "Choisir un autre changement à déclarer" from a change's form keeps what was typed there.
CHOOSE_ANOTHER = "choose"
DRAFTS_SESSION_KEY = "requests_app.change_drafts"


class ChangeView(RequestWizardView):
    """The steps of one change, chosen by the slug in the URL (unknown: 404)."""

    kind = RequestKind.CHANGE
    intro_template = "requests_app/change_intro.html"
    submit_label = _("Valider la demande")

    def _select(self, change: str) -> None:
        form_class = CHANGES.get(change)
        if form_class is None:
            raise Http404
        self.form_class = form_class
        self.title = form_class.label

    def _blocked(self, request, member):
        """The page shown instead of the form when this member may not declare this change."""
        employer = employer_in_charge(member, self.form_class.collective_area)
        if employer is not None:
            return _collective(request, member, self.title, [employer])
        reason = self.form_class.unavailable_reason(member)
        if reason:
            return render(
                request,
                "requests_app/change_unavailable.html",
                {"title": self.title, "reason": reason},
            )
        return None

    def get(self, request, member, change):
        self._select(change)
        blocked = self._blocked(request, member)
        if blocked:
            return blocked
        draft = request.session.get(DRAFTS_SESSION_KEY, {}).pop(change, None)
        if draft is None:
            return super().get(request, member)
        # Back to this change after "Choisir un autre changement": as it was left.
        request.session.modified = True
        self.member = member
        data = QueryDict(mutable=True)
        for name, values in draft:
            data.setlist(name, values)
        form = self.get_form(member, data)
        form.is_valid()
        form._errors = ErrorDict()
        return render(request, self.template_name, self.get_context(member, form=form))

    def post(self, request, member, change):
        self._select(change)
        blocked = self._blocked(request, member)
        if blocked:
            return blocked
        if request.POST.get("_action") == CHOOSE_ANOTHER:
            # What was typed (and the files already kept) waits in the session for a return
            # to this change; the choice page opens with it selected.
            form = self.get_form(member, request.POST, request.FILES)
            form.is_valid()  # also stores files sent without JavaScript
            skip = {"csrfmiddlewaretoken", "_action"}
            drafts = request.session.get(DRAFTS_SESSION_KEY, {})
            drafts[change] = [(n, v) for n, v in form.data.lists() if n not in skip]
            request.session[DRAFTS_SESSION_KEY] = drafts
            return redirect(reverse("requests_app:change"))
        return super().post(request, member)


urlpatterns = [
    path("demandes/declarer-un-changement/", change_choice, name="change"),
    path(
        "demandes/declarer-un-changement/<slug:change>/", ChangeView.as_view(), name="change_step"
    ),
]
