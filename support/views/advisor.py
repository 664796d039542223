"""The virtual advisor (guide 003): questions answered from the FAQ, with a link to the page
that does the thing. A plain page without JavaScript (the conversation kept in the session);
static/js/advisor.js posts to the same URL with `Accept: application/json` from the panel that
every page of the member space carries (support/partials/advisor.html)."""

from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse

from accounts.decorators import member_required
from requests_app.views.wizard import PREFILL_SESSION_KEY
from support import selectors, services
from support.forms import AdvisorForm

CLEAR = "clear"


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _exchange_json(request, exchange: services.Exchange) -> dict:
    entry = exchange.entry
    answer = None
    if entry is not None:
        link = selectors.entry_link(entry)
        answer = {
            "question": entry.question,
            "text": entry.answer,
            "faq_url": selectors.faq_entry_url(entry),
            "link": {"url": link.url, "label": link.label} if link else None,
        }
    return {
        "question": exchange.question,
        "found": entry is not None,
        "choices": [{"id": choice.pk, "question": choice.question} for choice in exchange.choices],
        "answer": answer,
        "html": render_to_string(
            "support/partials/advisor_exchange.html", {"exchange": exchange}, request=request
        ),
    }


@member_required
def advisor(request, member):
    form = AdvisorForm()
    if request.method == "POST":
        if request.POST.get("action") == CLEAR:
            services.advisor_forget(session=request.session)
            if _wants_json(request):
                return JsonResponse({"cleared": True})
            return redirect("support:advisor")
        if "choice" in request.POST:
            # "Votre question porte-t-elle sur… ?": one of the two entries offered.
            exchange = services.advisor_choose(
                session=request.session, entry_id=request.POST["choice"]
            )
            if exchange is None:
                raise Http404
            if _wants_json(request):
                return JsonResponse(_exchange_json(request, exchange))
            return redirect(reverse("support:advisor") + "#derniere-reponse")
        form = AdvisorForm(request.POST)
        if form.is_valid():
            exchange = services.advisor_ask(
                session=request.session, question=form.cleaned_data["question"]
            )
            if _wants_json(request):
                return JsonResponse(_exchange_json(request, exchange))
            return redirect(reverse("support:advisor") + "#derniere-reponse")
        if _wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    return render(
        request,
        "support/advisor.html",
        {"form": form, "exchanges": services.advisor_conversation(request.session)},
    )


@member_required
def advisor_write(request, member, to):
    """ "Écrire à nos conseillers" / "Écrire un message" after an unanswered question: the
    message form opens with the question, handed over in the session, never in the URL."""
    if to not in ("conseillers", "message"):
        raise Http404
    question = services.advisor_last_unanswered(request.session)
    if question:
        request.session[PREFILL_SESSION_KEY] = {"message": question}
    return redirect("support:contact" if to == "conseillers" else "requests_app:message")


urlpatterns = [
    path("aide/conseiller/", advisor, name="advisor"),
    path(
        "aide/conseiller/ecrire/<str:to>/",
        advisor_write,
        name="advisor_write",
    ),
]
