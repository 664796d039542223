from django.urls import path

from partners.views import history, ods, organism, technicians

app_name = "partners"

urlpatterns = [
    # Chapter II and III: choosing the organism, the home page, the identification card.
    path("", organism.choose, name="choose"),
    path("accueil/", organism.home, name="home"),
    path("identification/", organism.identity, name="identity"),
    path("manuel/", organism.manual, name="manual"),
    # Chapter IV and V: the five ODS forms and the confirmation with the number.
    path("demande/<slug:slug>/", ods.new_request, name="new"),
    path("demande/envoyee/<str:number>/", ods.submitted, name="submitted"),
    # Chapter VI: history, detail, complete, cancel.
    path("historique/", history.history, name="history"),
    path("historique/<str:number>/", history.detail, name="detail"),
    path("historique/<str:number>/completer/", history.complete, name="complete"),
    path("historique/<str:number>/annuler/", history.cancel, name="cancel"),
    # Partner managers: their structure's technicians.
    path("techniciens/", technicians.technician_list, name="technicians"),
    path("techniciens/nouveau/", technicians.technician_new, name="technician_new"),
    path(
        "techniciens/<int:pk>/desactiver/",
        technicians.technician_deactivate,
        name="technician_deactivate",
    ),
    path(
        "techniciens/<int:pk>/renvoyer-l-invitation/",
        technicians.technician_invitation_resend,
        name="technician_invitation_resend",
    ),
    path(
        "techniciens/<int:pk>/annuler-l-invitation/",
        technicians.technician_invitation_cancel,
        name="technician_invitation_cancel",
    ),
    path(
        "techniciens/<int:pk>/reactiver/",
        technicians.technician_reactivate,
        name="technician_reactivate",
    ),
]
