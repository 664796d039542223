"""The footer's accessibility mention."""

from django import template

from privacy.pages import conformity_level

register = template.Library()


@register.simple_tag
def accessibility_level() -> str:
    """ "non conforme", "partiellement conforme" or "totalement conforme"."""
    return conformity_level()
