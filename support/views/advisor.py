"""The virtual advisor (guide 003): questions answered from the FAQ, with a link to the page
that does the thing. A plain page without JavaScript (the conversation kept in the session);
static/js/advisor.js posts to the same URL with `Accept: application/json` from the panel that
every page of the member space carries (support/partials/advisor.html)."""

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse

from accounts.decorators import member_required
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
    elif "question" in request.GET:
        # A question asked from a link or a GET form: answered, then a fresh field.
        asked = AdvisorForm(request.GET)
        if asked.is_valid():
            services.advisor_ask(session=request.session, question=asked.cleaned_data["question"])
        else:
            form = asked
    return render(
        request,
        "support/advisor.html",
        {"form": form, "exchanges": services.advisor_conversation(request.session)},
    )


urlpatterns = [
    path("aide/conseiller/", advisor, name="advisor"),
]
