from django.core.cache import cache

from portal.models import Branding

BRANDING_CACHE_KEY = "portal:branding"


def branding(request):
    value = cache.get(BRANDING_CACHE_KEY)
    if value is None:
        value = Branding.current()
        cache.set(BRANDING_CACHE_KEY, value, 300)
    return {"branding": value}
