from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """French unless the person chose another language with the switcher (a cookie).

    Django's LocaleMiddleware would also follow the browser's Accept-Language; a French
    insurer's portal stays French until the person asks otherwise.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def replica_header_middleware(get_response):
    """`X-Guichet-Replica: <GUICHET_REPLICA>` on every response when the variable is set: which
    web replica behind the load balancer answered (scripts/cluster, the scale profile)."""
    name = settings.REPLICA_NAME

    def middleware(request):
        response = get_response(request)
        if name:
            response["X-Guichet-Replica"] = name
        return response

    return middleware
