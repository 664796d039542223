from portal.models import Branding


def branding(request):
    """The insurer's identity for every page: one small query per request, never stale."""
    return {"branding": Branding.current()}
