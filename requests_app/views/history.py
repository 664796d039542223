"""Following requests: "Échanger avec nous" (history), the detail, "Historique des mails"."""

from django.shortcuts import render
from django.urls import path

from accounts.decorators import member_required
from requests_app.selectors import get_member_request_or_404, member_requests


@member_required
def history(request, member):
    requests = member_requests(member)[:10]
    return render(request, "requests_app/history.html", {"requests": requests})


@member_required
def detail(request, member, reference):
    shown = get_member_request_or_404(member, reference)
    return render(request, "requests_app/detail.html", {"shown": shown})


urlpatterns = [
    path("demandes/", history, name="history"),
    path("demandes/<str:reference>/", detail, name="detail"),
]
