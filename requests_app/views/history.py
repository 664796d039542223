"""Following requests: "Échanger avec nous" (history), the detail, "Ma messagerie",
"Mes documents" and its "Historique des mails"."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path, re_path

from accounts.decorators import member_required
from requests_app.forms.history import RequestFilterForm, RequestSearchForm
from requests_app.selectors import (
    get_member_request_detail_or_404,
    list_rows,
    member_answers,
    member_requests,
    member_requests_count,
)
from requests_app.services import request_answer_mark_read

ANSWERS_PAGE_SIZE = 10


class _CountedPaginator(Paginator):
    """A paginator told its total (a stored count) instead of running COUNT(*) over the rows."""

    def __init__(self, items, size, *, count: int):
        super().__init__(items, size)
        self.__dict__["count"] = count  # Paginator.count is a cached_property


def _page(request, items, size, member=None, count=None):
    """One page of `items`: the total (a COUNT unless `count` is given), then that page's rows."""
    if count is None:
        paginator = Paginator(items, size)
    else:
        paginator = _CountedPaginator(items, size, count=count)
    page = paginator.get_page(request.GET.get("page"))
    if member is not None:
        page.object_list = list_rows(page.object_list, member)
    return page


def _request_list(request, member, form_class, template):
    form = form_class(request.GET)
    form.is_valid()
    filtered = any(form.filters.values())
    # Unfiltered, the total is the member's stored count (no COUNT over thousands of rows).
    count = None if filtered else member_requests_count(member)
    page = _page(
        request, member_requests(member, **form.filters), form.page_size, member, count=count
    )
    return render(
        request, template, {"form": form, "page": page, "filtered": filtered, "member": member}
    )


@member_required
def history(request, member):
    """ "Échanger avec nous": the requests of the member and of their beneficiaries."""
    return _request_list(request, member, RequestFilterForm, "requests_app/history.html")


@member_required
def mailbox(request, member):
    """ "Ma messagerie": every request sent from the space, searchable by subject and text."""
    return _request_list(request, member, RequestSearchForm, "requests_app/mailbox.html")


@member_required
def detail(request, member, reference):
    """Everything sent, every answer and the status timeline; the answers count as read."""
    shown = get_member_request_detail_or_404(member, reference)
    answers = list(shown.answers.all())
    unread_ids = {answer.pk for answer in answers if answer.read_at is None}
    for answer in answers:
        if answer.pk in unread_ids:
            request_answer_mark_read(answer=answer)
    return render(
        request,
        "requests_app/detail.html",
        {
            "shown": shown,
            "answers": answers,
            "unread_ids": unread_ids,
            "changes": list(shown.status_changes.all()),
        },
    )


@member_required
def documents(request, member):
    """ "Mes documents": the tabs of the member's documents."""
    return render(request, "requests_app/documents_home.html")


@member_required
def answers(request, member):
    """ "Historique des mails": every answer received from the managers, newest first."""
    page = _page(request, member_answers(member), ANSWERS_PAGE_SIZE)
    return render(request, "requests_app/answers.html", {"page": page})


urlpatterns = [
    path("demandes/", history, name="history"),
    # Only what looks like a reference, so the forms' own addresses under /demandes/ never
    # land here whatever the order of the patterns.
    re_path(r"^demandes/(?P<reference>DEM-\d{4}-\d{6,})/$", detail, name="detail"),
    path("messagerie/", mailbox, name="mailbox"),
    path("mes-documents/", documents, name="documents"),
    path("mes-documents/historique-des-mails/", answers, name="answers"),
]
