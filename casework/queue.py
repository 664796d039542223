"""What keeps a queue page fast at a million requests: a paginator that never counts the table.

`QueuePaginator` counts a filtered queue exactly up to a few hundred rows and asks PostgreSQL's
planner beyond (`casework.lists.total_of`; the page then says "environ"); a page past the
first thousand rows is read by its keys from the index that orders the queue
(`casework.lists.keyed_rows`), and a page in the second half of the queue is read from its end
(the queue's order reversed), so the last page costs what the first does.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from casework.lists import Total, keyed_rows, total_of


class QueuePaginator(Paginator):
    @cached_property
    def total(self) -> Total:
        return total_of(self.object_list)

    @cached_property
    def count(self) -> int:
        return self.total.count

    @property
    def count_is_estimate(self) -> bool:
        return not self.total.exact

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        if number == self.num_pages and self.count_is_estimate:
            # The real end of the queue, however far the estimate is from it.
            rows = list(queryset.reverse()[: max(top - bottom, 1)])[::-1]
        elif number > 1 and bottom > self.count // 2 and queryset.ordered:
            rows = keyed_rows(queryset.reverse(), "pk", self.count - top, top - bottom)[::-1]
        else:
            rows = keyed_rows(queryset, "pk", bottom, top - bottom)
        return self._get_page(rows, number, self)
