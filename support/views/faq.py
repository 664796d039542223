"""La FAQ (guide 002, "Suivi"): questions by theme, a search, and the suggestions the request
forms show while the member writes."""

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_POST

from accounts.decorators import member_required
from support import selectors
from support.forms import FaqSearchForm

# What the suggestions endpoint reads of a long message (the rest does not change the answer).
SUGGEST_MAX_CHARS = 1000


@member_required
def faq(request, member):
    """Every published entry under its theme; with `q`, the entries holding its words."""
    form = FaqSearchForm(request.GET)
    query = form.query()
    entries = selectors.published_entries()
    results = selectors.faq_search(query, entries) if query else None
    opened = request.GET.get("entree", "")
    return render(
        request,
        "support/faq.html",
        {
            "form": form,
            "query": query,
            "searched": "q" in request.GET,
            "results": results,
            "groups": selectors.faq_groups(entries),
            "opened": int(opened) if opened.isdigit() else None,
        },
    )


@require_POST
@member_required
def faq_suggest(request, member):
    """The FAQ entries matching what the member is writing (JSON, best first, at most 5).

    POST only: what the member types (a name, a diagnosis, an IBAN...) never goes into a URL,
    so never into an access log."""
    text = request.POST.get("q", "")[:SUGGEST_MAX_CHARS]
    entries = selectors.faq_suggestions(text)
    results = []
    for entry in entries:
        link = selectors.entry_link(entry)
        results.append(
            {
                "question": entry.question,
                "answer": selectors.excerpt(entry),
                "url": selectors.faq_entry_url(entry),
                "link": {"url": link.url, "label": link.label} if link else None,
            }
        )
    return JsonResponse({"results": results})


@member_required
def follow_up(request, member):
    """ "Suivi": the FAQ and the history of the member's requests."""
    return render(request, "support/follow_up.html")


urlpatterns = [
    path("suivi/", follow_up, name="follow_up"),
    path("aide/faq/", faq, name="faq"),
    path("aide/faq/suggestions/", faq_suggest, name="faq_suggest"),
]
