"""FAQ, virtual advisor, contact and services pages."""

from support.views import advisor, contact, faq, service_pages

app_name = "support"

urlpatterns = [
    *faq.urlpatterns,
    *advisor.urlpatterns,
    *contact.urlpatterns,
    *service_pages.urlpatterns,
]
