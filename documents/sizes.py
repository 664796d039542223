"""File sizes as French readers expect them: "545 octets", "2,4 Ko", "3,1 Mo" (Django's own
filter says "Kio" in French); "2.4 KB" in English."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def file_size(size) -> str:
    try:
        size = int(size)
    except (TypeError, ValueError):
        return ""
    if size < 1024:
        return ngettext("%(size)d octet", "%(size)d octets", size) % {"size": size}
    if size < 1024 * 1024:
        return _("%(size)s Ko") % {"size": number_format(size / 1024, 1)}
    return _("%(size)s Mo") % {"size": number_format(size / (1024 * 1024), 1)}
