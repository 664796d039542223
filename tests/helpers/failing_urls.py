"""The portal's URLs plus one view that fails, to see the 500 page as a person would."""

from django.urls import path

from portal.urls import handler400, handler500
from portal.urls import urlpatterns as portal_urlpatterns


def _fails(request):
    raise RuntimeError("a bug")


urlpatterns = [path("panne/", _fails), *portal_urlpatterns]
__all__ = ["handler400", "handler500", "urlpatterns"]
