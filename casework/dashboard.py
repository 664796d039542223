"""Tableau de bord: the admin's home page for managers, the open requests of each queue they
may read counted by status, type, age and manager, and those past their type's target delay;
every figure links to the queue filtered the same way.

The figures are read from the queue's own queryset (`CaseAdmin.get_queryset`), so a manager
counts only what their queue shows: an organism manager, only their organisms' requests.
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from casework.admin import AGE_BUCKETS, CaseAdmin, late_condition, person
from casework.lifecycle import case_type_of
from casework.models import OPEN_STATUSES, Side


def install_dashboard(site) -> None:
    """Make `site`'s index page the managers' dashboard (above the usual list of models)."""
    index = site.index

    def dashboard_index(request, extra_context=None):
        extra_context = {**(extra_context or {}), "dashboards": queue_dashboards(request, site)}
        return index(request, extra_context)

    site.index = dashboard_index
    site.index_template = "admin/casework/index.html"
    # The home page lists the models; the sidebar repeating it on every page cost each queue
    # page a permission check per model and its rendering.
    site.enable_nav_sidebar = False


# The figures are counted over every open request (tens of thousands at production size):
# kept this long for each manager, the page says when they were counted.
CACHE_SECONDS = 60


def queue_dashboards(request, site) -> list[dict]:
    boards = []
    for model_admin in site._registry.values():
        if not (isinstance(model_admin, CaseAdmin) and model_admin.has_view_permission(request)):
            continue
        key = (
            f"casework:dashboard:{model_admin.model._meta.label_lower}:{request.user.pk}:"
            f"{get_language()}"
        )
        board = cache.get(key)
        if board is None:
            board = queue_dashboard(request, site, model_admin)
            cache.set(key, board, CACHE_SECONDS)
        boards.append(board)
    return boards


def _link(queue: str, **params) -> str:
    return f"{queue}?{urlencode(params)}" if params else queue


def queue_dashboard(request, site, model_admin) -> dict:
    kind = case_type_of(model_admin.model)
    opts = model_admin.model._meta
    queue = reverse(f"{site.name}:{opts.app_label}_{opts.model_name}_changelist")
    open_ = model_admin.get_queryset(request).order_by().filter(status__in=OPEN_STATUSES)
    now = timezone.now()
    two_days_ago, seven_days_ago = now - timedelta(days=2), now - timedelta(days=7)
    late = late_condition(kind, now)
    totals = open_.aggregate(
        total=Count("pk"),
        reply=Count("pk", filter=Q(reply_pending_since__isnull=False)),
        lt2=Count("pk", filter=Q(created_at__gt=two_days_ago)),
        between=Count("pk", filter=Q(created_at__lte=two_days_ago, created_at__gte=seven_days_ago)),
        gt7=Count("pk", filter=Q(created_at__lt=seven_days_ago)),
        late=Count("pk", filter=late),
    )
    statuses = dict(open_.values_list("status").annotate(n=Count("pk")))
    by_status = [
        (kind.status_label(status, Side.INSURER), statuses.get(status, 0),
         _link(queue, status__exact=status))
        for status in OPEN_STATUSES
    ]  # fmt: skip
    replies = _link(queue, status__exact="reply")
    by_status.append((_("dont réponse reçue"), totals["reply"], replies))

    type_field = kind.type_field
    field = opts.get_field(type_field)
    types = dict(open_.values_list(type_field).annotate(n=Count("pk")))
    late_types = dict(open_.filter(late).values_list(type_field).annotate(n=Count("pk")))
    by_type = [
        {
            "label": str(label),
            "count": types.get(value, 0),
            "url": _link(queue, **{f"{type_field}__exact": value}),
            "late": late_types.get(value, 0),
            "late_url": _link(queue, retard=1, **{f"{type_field}__exact": value}),
        }
        for value, label in field.choices
        if types.get(value)
    ]
    age_counts = {"lt2": totals["lt2"], "2to7": totals["between"], "gt7": totals["gt7"]}
    by_age = [
        (str(label), age_counts[value], _link(queue, age=value)) for value, label in AGE_BUCKETS
    ]

    assignees = dict(open_.values_list("assignee").annotate(n=Count("pk")))
    names = {
        user.pk: person(user)
        for user in get_user_model().objects.filter(pk__in=[pk for pk in assignees if pk])
    }
    by_assignee = [(_("Non attribuées"), assignees.get(None, 0), _link(queue, assignee="none"))]
    if request.user.pk in assignees:
        by_assignee.append(
            (_("Mes demandes"), assignees[request.user.pk], _link(queue, assignee="me"))
        )
    by_assignee += sorted(
        (
            (names[pk], count, _link(queue, assignee=pk))
            for pk, count in assignees.items()
            if pk and pk != request.user.pk
        ),
        key=lambda row: row[0],
    )
    return {
        "counted_at": now,
        "title": str(opts.verbose_name_plural),
        "queue": queue,
        "total": totals["total"],
        "late": totals["late"],
        "late_url": _link(queue, retard=1),
        "by_status": by_status,
        "by_type": by_type,
        "type_label": str(field.verbose_name),
        "by_age": by_age,
        "by_assignee": by_assignee,
    }
