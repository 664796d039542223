"""Template tags of the member space's navigation."""

from django import template

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
