"""The list kit: pages of cases whose total may come from a stored count."""

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _


class CountedPaginator(Paginator):
    """A paginator told its total (a stored count, or a function giving it) instead of running
    COUNT(*) over the rows' query."""

    def __init__(self, items, size, *, count):
        super().__init__(items, size)
        self._told_count = count

    @cached_property
    def count(self) -> int:
        told = self._told_count
        if told is None:
            return super().count
        return told() if callable(told) else told


def page_of(request, items, size: int, *, count=None) -> tuple[Page, str]:
    """The page `?page=` asks for, within the pages there are (the total first, then that
    page's rows only), and a notice when the number asked for was not one of them.

    `count` is the total when known (an int, or a function called only if needed); otherwise
    the rows are counted."""
    paginator = CountedPaginator(items, size, count=count)
    asked = request.GET.get("page", "")
    try:
        number = int(asked) if asked else 1
    except ValueError:
        number = 0
    shown = min(max(number, 1), paginator.num_pages)
    notice = ""
    if asked and shown != number:
        notice = _("La page demandée n'existe pas : voici la page %(number)s.") % {"number": shown}
    return paginator.page(shown), notice
