from django.contrib import admin
from django.urls import include, path

from accounts.admin_site import require_second_factor
from casework.dashboard import install_dashboard
from portal import views
from portal.admin import brand_admin_site

# Insurer managers reach the admin only after a second factor (set before the admin's URLs).
require_second_factor(admin.site)
brand_admin_site(admin.site)
install_dashboard(admin.site)

portal_patterns = (
    [
        path("logo/", views.logo, name="logo"),
        path("csp-report/", views.csp_report, name="csp_report"),
    ],
    "portal",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("portail/", include(portal_patterns)),
    path("compte/", include("accounts.urls")),
    path("documents/", include("documents.urls")),
    path("partenaires/", include("partners.urls")),
    path("", include("cover.urls")),
    path("", include("directory.urls")),
    path("", include("support.urls")),
    path("", include("requests_app.urls")),
    path("", include("privacy.urls")),
    path("gestion/", admin.site.urls),
]

# A database outage gets the French 503 page, whatever failed (a view, a middleware, the
# session's save); other errors keep their pages.
handler400 = "portal.views.bad_request"
handler500 = "portal.views.server_error"
