"""Template tags of the member space: its navigation, and the rows and cards of its lists."""

import functools
import html

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import date_format, get_format
from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from casework.lifecycle import STATUS_MARKS
from portal.templatetags.filter_bar import select_options
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


# Django date-format letters that say a number the same way in every language, as the fields
# of a date or time they read (zero-padded).
_NUMERIC = {
    "d": "{0.day:02d}",
    "m": "{0.month:02d}",
    "Y": "{0.year:04d}",
    "H": "{0.hour:02d}",
    "i": "{0.minute:02d}",
    "s": "{0.second:02d}",
}


def _numeric(django_format: str) -> bool:
    """Every letter of the format says a number (no month names)."""
    return "\\" not in django_format and all(
        char in _NUMERIC or not char.isalpha() for char in django_format
    )


def date_formatter(django_format: str):
    """A function formatting a date as `django_format` does (the active language's
    SHORT_DATE_FORMAT): read from the date's fields when every letter is a number (d/m/Y,
    m/d/Y, ...), Django's own formatter otherwise. Reading the fields is ten times faster than
    Django's formatter, and a table formats two dates per row."""
    if _numeric(django_format):
        pattern = "".join(
            _NUMERIC.get(char, char.replace("{", "{{").replace("}", "}}")) for char in django_format
        )
        return pattern.format
    return lambda value: dateformat.format(value, django_format)


# One row of the requests table. The rows are the history page's hot loop (up to 100 of them):
# built here (every value escaped) they cost a fraction of a template loop.
_ROW = (
    '<tr role="row" class="request-row">'
    '<td role="cell" data-label="{l_status}">{badge}</td>'
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
_BADGE = (
    '<span class="badge badge-{status}"><span class="badge-mark" aria-hidden="true">{mark}'
    "</span> {label}</span>"
)


class _Kept(dict):
    """Leaves the placeholders it has no value for as they are (`str.format_map`)."""

    def __missing__(self, key):
        return "{" + key + "}"


@functools.lru_cache(maxsize=8)
def _row_texts(language: str) -> tuple[str, dict, dict, str, object]:
    """What every row of a table shares, per language: the row with its labels written in
    (escaped once), the status and kind labels, the history's address and the date
    formatter."""
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
    # A label's braces would read as placeholders in the row: doubled, they stay braces.
    labels = {
        key: html.escape(value).replace("{", "{{").replace("}", "}}")
        for key, value in labels.items()
    }
    row = _ROW.format_map(_Kept(labels))
    badges = {
        value: _BADGE.format(
            status=html.escape(value),
            mark=STATUS_MARKS.get(value, "●"),
            label=html.escape(str(label)),
        )
        for value, label in RequestStatus.choices
    }
    kinds = {value: html.escape(str(label)) for value, label in RequestKind.choices}
    date_format = get_format("SHORT_DATE_FORMAT")
    short_date = date_formatter(date_format)
    # Figures and the format's own separators need no escaping; anything else (month names,
    # a separator HTML would read) is escaped.
    if not _numeric(date_format) or html.escape(date_format) != date_format:
        formatter = short_date

        def short_date(value):
            return html.escape(formatter(value))

    return row, badges, kinds, html.escape(reverse("requests_app:history")), short_date


@register.simple_tag
def request_rows(requests) -> str:
    """The rows of the member's requests table (see partials/request_list.html), from
    `selectors.list_rows`.

    Labels and formats are looked up once per language, and each value is escaped once
    (`html.escape`, what Django's `escape` does without its lazy-string wrapper)."""
    row, badges, kinds, base, short_date = _row_texts(get_language())
    escape = html.escape
    zone = timezone.get_current_timezone()
    rows = []
    for item in requests:
        created = item["created_at"].astimezone(zone)
        updated = item["status_changed_at"].astimezone(zone)
        reference = escape(item["reference"])
        topic = (
            f'<span class="muted sub-line">{escape(item["topic_label"])}</span>'
            if item["topic_label"]
            else ""
        )
        rows.append(
            row.format(
                badge=badges.get(item["status"], ""),
                reference=reference,
                created_iso=created.isoformat(),
                created=short_date(created),
                updated_iso=updated.isoformat(),
                updated=short_date(updated),
                kind=kinds.get(item["kind"], ""),
                topic=topic,
                concerns=escape(item["concerns"]),
                href=f"{base}{reference}/",
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
    if hasattr(field.field, "choices"):
        control = f'<select name="{name}" id="{widget_id}">{select_options(field, value)}</select>'
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


@register.simple_tag(takes_context=True)
def pagination(context, page) -> str:
    """ "Page précédente", "Page N sur M", "Page suivante": the links keep the other parameters
    of the address (filters, page size), as `{% querystring %}` would, built in Python like
    the rows."""
    if not page.paginator.count:
        return ""
    query = context["request"].GET.copy()

    def link(number, rel, text):
        query["page"] = number
        return (
            f'<a class="button button-secondary" rel="{rel}" '
            f'href="?{escape(query.urlencode())}">{escape(text)}</a>'
        )

    parts = [f'<nav class="pagination" aria-label="{escape(_("Pagination"))}">']
    if page.has_previous():
        parts.append(link(page.previous_page_number(), "prev", _("Page précédente")))
    position = _("Page %(number)s sur %(total)s") % {
        "number": page.number,
        "total": page.paginator.num_pages,
    }
    parts.append(f'<p class="pagination-position">{escape(position)}</p>')
    if page.has_next():
        parts.append(link(page.next_page_number(), "next", _("Page suivante")))
    parts.append("</nav>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


@register.simple_tag
def answer_items(answers, unread_ids, member) -> str:
    """The cards of "Historique des mails" (see answers.html): what the managers wrote, its
    request, "Consulter" and its files. Built here like the rows of the history: ten cards of
    translated sentences cost a template more than the page's queries."""
    consult = html.escape(_("Consulter"))
    kinds = dict(RequestKind.choices)
    member_name = member.full_name
    unread = f'<span class="badge badge-unread">{html.escape(_("Non lu"))}</span>'
    eye = render_to_string("partials/eye_icon.html")
    # The detail's address with a placeholder reference: one reverse() per page.
    placeholder = "DEM-0000-000000"
    detail = reverse("requests_app:detail", args=[placeholder])
    items = []
    for answer in answers:
        when = date_format(timezone.localtime(answer.created_at), "DATETIME_FORMAT")
        if answer.action == "ask":
            title = _("Complément demandé le %(date)s") % {"date": when}
        else:
            title = _("Réponse du %(date)s") % {"date": when}
        is_unread = answer.pk in unread_ids
        badge = f" {unread}" if is_unread else ""
        head = f'<h2 class="answer-title">{html.escape(title)}{badge}</h2>'
        actions = ""
        reference = answer.request_reference
        if reference is not None:
            line = _("Demande %(reference)s · %(kind)s · %(concerns)s") % {
                "reference": reference,
                "kind": kinds.get(answer.request_kind, answer.request_kind),
                "concerns": (
                    f"{answer.request_beneficiary_first_name} "
                    f"{answer.request_beneficiary_last_name}"
                    if answer.request_beneficiary_last_name is not None
                    else member_name
                ),
            }
            head += f'<p class="muted">{html.escape(line)}</p>'
            label = _("Consulter la réponse à la demande %(reference)s") % {"reference": reference}
            href = detail.replace(placeholder, reference) + f"#message-{answer.pk}"
            actions = (
                f'<div class="actions"><a class="button" href="{html.escape(href)}" '
                f'aria-label="{html.escape(label)}">{eye} {consult}</a></div>'
            )
        files = list(answer.attachments.all()) if answer.has_files else []
        listed = render_to_string("casework/files.html", {"files": files}) if files else ""
        items.append(
            f'<li class="card answer-item{" is-unread" if is_unread else ""}">'
            f'<div class="answer-head">{head}</div>'
            f'<div class="answer-text">{linebreaks(answer.text, autoescape=True)}</div>'
            f"{actions}{listed}</li>"
        )
    return mark_safe("".join(items))  # noqa: S308 - every value above is escaped


# The change requests each cover page recalls while they are open (guide 003: a change takes
# effect once the managers have processed it).
CHANGES_SHOWN = {
    "bank_details": ("coordonnees-bancaires",),
    "beneficiaries": ("ajout-beneficiaire", "retrait-beneficiaire", "teletransmission"),
}


@register.inclusion_tag("requests_app/partials/changes_in_progress.html")
def changes_in_progress(member, page: str) -> dict:
    """ "Une demande de modification est en cours": the member's open change requests that
    concern the page (`CHANGES_SHOWN`), newest first, with a link to each."""
    from casework.models import OPEN_STATUSES
    from requests_app.models import MemberRequest

    requests = MemberRequest.objects.filter(
        member=member,
        kind=RequestKind.CHANGE,
        topic__in=CHANGES_SHOWN.get(page, ()),
        status__in=OPEN_STATUSES,
    ).order_by("-created_at")
    return {"requests": list(requests)}
