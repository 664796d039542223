"""`{{ value|reference }}`: a reference ("DEM-2026-000002") kept on one line. A browser may
break a line after each hyphen, and "DEM-2026-" / "000002" in a heading on a phone reads as two
things. Usable inside {% blocktranslate with %}: the span is safe, the reference escaped."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def reference(value):
    return format_html('<span class="reference">{}</span>', value)
