"""Helpers of the shared form partials (templates/partials/)."""

from django import template

register = template.Library()


@register.filter
def error_anchor(field) -> str:
    """The id the error summary links to: the field's own control, or for a radio group (or any
    group of checkboxes, whose <fieldset> has no id) its first choice."""
    if field.id_for_label:
        return field.id_for_label
    for choice in field.subwidgets:
        if choice.id_for_label:
            return choice.id_for_label
    return field.auto_id or ""


@register.filter
def marks_required(form) -> bool:
    """Whether the form shows a `*` (a visible required field), so its top explains it."""
    return any(
        field.field.required and field.widget_type != "checkbox" for field in form.visible_fields()
    )
