from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("<uuid:pk>/", views.download, name="download"),
    path("<uuid:pk>/voir/", views.view, name="view"),
    path("<uuid:pk>/retirer/", views.remove, name="remove"),
    path("televerser/<slug:rules_key>/", views.upload, name="upload"),
    path("abandonner/", views.abandon, name="abandon"),
    path("en-attente/", views.pending, name="pending"),
]
