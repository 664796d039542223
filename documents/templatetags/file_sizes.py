from django import template

from documents.sizes import file_size

register = template.Library()


@register.filter(name="file_size")
def file_size_filter(value) -> str:
    """`{{ stored.size|file_size }}`: "2,4 Ko"."""
    return file_size(value)
