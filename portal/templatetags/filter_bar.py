"""The fields of the lists' filter bars ("Historique des demandes", "Mes remboursements"...),
built in Python: these are the most visited pages, and a select drawn by Django's widget
templates costs a template per option.

`{% filter_bar_field form.x %}` draws the label, the select or text box, the help and the
field's errors next to it (described by, so a screen reader reads them with the field).
A form may name in `static_choices` the fields whose choices never change from one page to the
next: their options are built once per process and language.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


def _option_parts(choices) -> list[tuple[str | None, str, str]]:
    """(value, before, after) of each option, "selected" going between the two; `value` is
    None for optgroup tags."""
    parts = []
    for option, text in choices:
        if isinstance(text, list | tuple):  # an optgroup
            parts.append((None, f'<optgroup label="{escape(str(option))}">', ""))
            parts.extend(_option_parts(text))
            parts.append((None, "</optgroup>", ""))
            continue
        parts.append(
            (
                str(option),
                f'<option value="{escape(str(option))}"',
                f">{escape(str(text))}</option>",
            )
        )
    return parts


_STATIC_OPTIONS: dict[tuple, list] = {}


def select_options(field, value: str) -> str:
    """The <option>s of a choice field, `value` selected (a form's `static_choices` built once
    per process and language)."""
    static = field.name in getattr(field.form, "static_choices", ())
    key = (type(field.form), field.name, get_language()) if static else None
    parts = _STATIC_OPTIONS.get(key) if key else None
    if parts is None:
        parts = _option_parts(field.field.choices)
        if key:
            _STATIC_OPTIONS[key] = parts
    return "".join(
        f"{before} selected{after}" if option == value else f"{before}{after}"
        for option, before, after in parts
    )


@register.simple_tag
def filter_bar_field(field, box_class: str = "filter-field", name_prefix: str = "filter") -> str:
    """One field of a filter bar, in a box of the classes `box_class` and
    `<name_prefix>-<field name>`."""
    widget_id = escape(field.id_for_label)
    name = escape(field.html_name)
    value = field.value()
    value = "" if value is None else str(value)
    described = []
    after = ""
    if field.help_text:
        described.append(f"{widget_id}_helptext")
        after += f'<p class="help" id="{widget_id}_helptext">{escape(str(field.help_text))}</p>'
    invalid = ""
    errors = field.errors
    if errors:
        described.append(f"{widget_id}_error")
        invalid = ' aria-invalid="true"'
        items = "".join(f"<li>{escape(str(error))}</li>" for error in errors)
        after += f'<ul class="errors" id="{widget_id}_error">{items}</ul>'
    describedby = f' aria-describedby="{" ".join(described)}"' if described else ""
    if hasattr(field.field, "choices"):
        control = (
            f'<select name="{name}" id="{widget_id}"{describedby}{invalid}>'
            f"{select_options(field, value)}</select>"
        )
    else:
        attrs = field.field.widget.attrs
        extra = "".join(
            f' {key}="{escape(str(attrs[key]))}"'
            for key in ("placeholder", "inputmode", "autocomplete")
            if key in attrs
        )
        maxlength = getattr(field.field, "max_length", None)
        if maxlength:
            extra += f' maxlength="{int(maxlength)}"'
        control = (
            f'<input type="text" name="{name}" value="{escape(value)}" id="{widget_id}"'
            f"{extra}{describedby}{invalid}>"
        )
    css = f"{escape(box_class)} {escape(name_prefix)}-{escape(field.name)}"
    if errors:
        css += " field-invalid"
    label = f'<label for="{widget_id}">{escape(str(field.label))}</label>'
    return mark_safe(f'<div class="{css}">{label}{control}{after}</div>')  # noqa: S308
