"""Member requests: the forms, the history ("Échanger avec nous"), "Mes documents" and the
secure messaging. Each views module exposes its own `urlpatterns`."""

from django.urls import path

from requests_app.views import change, history, kinds, wizard

app_name = "requests_app"

urlpatterns = [
    path("demandes/<str:reference>/envoyee/", wizard.request_sent, name="sent"),
    *kinds.urlpatterns,
    *change.urlpatterns,
    *history.urlpatterns,
]
