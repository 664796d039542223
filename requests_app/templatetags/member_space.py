"""Template tags of the member space's navigation."""

from django import template
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from requests_app.models import RequestKind, RequestStatus
from requests_app.selectors import user_unread_answers_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_answers_count(context) -> int:
    """Answers the signed-in member has not opened yet; counted once per page."""
    request = context.get("request")
    if request is None:  # pages rendered without a request (error pages)
        return 0
    cached = getattr(request, "_unread_answers_count", None)
    if cached is None:
        cached = user_unread_answers_count(request.user)
        request._unread_answers_count = cached
    return cached


# One row of the requests table. The rows are the history page's hot loop (up to 100 of them):
# built here (every value escaped) they cost a fraction of a template loop.
_ROW = (
    '<tr role="row" class="request-row">'
    '<td role="cell" data-label="{l_status}"><span class="badge badge-{status}">'
    '<span class="badge-mark" aria-hidden="true">{mark}</span> {status_label}</span></td>'
    '<td role="cell" data-label="{l_reference}" class="reference">{reference}</td>'
    '<td role="cell" data-label="{l_sent}"><time datetime="{created_iso}">{created}</time></td>'
    '<td role="cell" data-label="{l_updated}"><time datetime="{updated_iso}">{updated}</time>'
    "</td>"
    '<td role="cell" data-label="{l_kind}">{kind}{topic}</td>'
    '<td role="cell" data-label="{l_concerns}">{concerns}</td>'
    '<td role="cell" class="row-action"><a class="eye-link eye-icon" href="{href}" '
    'aria-label="{l_view_detail} {reference}"><span>{l_view}</span></a></td></tr>'
)
# The status as a shape as well as a colour: readable in black and white.
_MARKS = {"resolved": "✓", "in_progress": "◐", "new": "●"}


@register.simple_tag
def request_rows(requests) -> str:
    """The rows of the member's requests table (see partials/request_list.html), from
    `selectors.list_rows`.

    Labels and formats are looked up once per table, and each value is escaped once."""
    labels = {
        "l_status": _("Statut"),
        "l_reference": _("Référence"),
        "l_sent": _("Envoyée le"),
        "l_updated": _("Mise à jour le"),
        "l_kind": _("Type de demande"),
        "l_concerns": _("Bénéficiaire concerné"),
        "l_view": _("Voir"),
        "l_view_detail": _("Voir le détail de la demande"),
    }
    labels = {key: escape(value) for key, value in labels.items()}
    statuses = {value: escape(label) for value, label in RequestStatus.choices}
    kinds = {value: escape(label) for value, label in RequestKind.choices}
    short_date = get_format("SHORT_DATE_FORMAT")
    base = escape(reverse("requests_app:history"))
    rows = []
    for item in requests:
        created = timezone.localtime(item["created_at"])
        updated = timezone.localtime(item["updated_at"])
        reference = escape(item["reference"])
        topic = (
            f'<span class="muted sub-line">{escape(item["topic_label"])}</span>'
            if item["topic_label"]
            else ""
        )
        rows.append(
            _ROW.format(
                status=escape(item["status"]),
                mark=_MARKS.get(item["status"], "●"),
                status_label=statuses.get(item["status"], ""),
                reference=reference,
                created_iso=created.isoformat(),
                created=escape(dateformat.format(created, short_date)),
                updated_iso=updated.isoformat(),
                updated=escape(dateformat.format(updated, short_date)),
                kind=kinds.get(item["kind"], ""),
                topic=topic,
                concerns=escape(item["concerns"]),
                href=f"{base}{reference}/",
                **labels,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped


@register.simple_tag
def filter_field(field) -> str:
    """One field of a GET filter form (label, then a select or a search box), built here for
    the same reason as the rows: these pages are the most visited of the member space."""
    widget_id = escape(field.id_for_label)
    name = escape(field.html_name)
    label = f'<label for="{widget_id}">{escape(field.label)}</label>'
    value = field.value()
    value = "" if value is None else str(value)
    choices = getattr(field.field, "choices", None)
    if choices is not None:
        options = "".join(
            f'<option value="{escape(v)}"{" selected" if str(v) == value else ""}>'
            f"{escape(text)}</option>"
            for v, text in choices
        )
        control = f'<select name="{name}" id="{widget_id}">{options}</select>'
    else:
        described = ""
        help_html = ""
        if field.help_text:
            described = f' aria-describedby="{widget_id}_helptext"'
            help_html = f'<p class="help" id="{widget_id}_helptext">{escape(field.help_text)}</p>'
        maxlength = getattr(field.field, "max_length", None)
        limit = f' maxlength="{maxlength}"' if maxlength else ""
        control = (
            f'<input type="search" name="{name}" value="{escape(value)}" id="{widget_id}"'
            f"{limit}{described}>{help_html}"
        )
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'<div class="filter-field filter-{escape(field.name)}">{label}{control}</div>'
    )
