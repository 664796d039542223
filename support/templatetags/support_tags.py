"""Template pieces of the support app: the advisor's conversation, FAQ links, suggestions."""

from django import template

from support import selectors, services

register = template.Library()


@register.simple_tag(takes_context=True)
def advisor_conversation(context) -> list:
    """The virtual advisor's conversation so far (kept in the session)."""
    request = context.get("request")
    session = getattr(request, "session", None)
    if session is None or not session.get(services.ADVISOR_SESSION_KEY):
        return []
    return services.advisor_conversation(session)


@register.filter
def faq_link(entry):
    """The "do it" link of a FAQ entry (`.url`, `.label`), or None."""
    return selectors.entry_link(entry)


@register.filter
def faq_url(entry) -> str:
    return selectors.faq_entry_url(entry)


@register.inclusion_tag("support/partials/faq_suggestions.html")
def faq_suggestions_box(text, limit=3):
    """The FAQ answers matching `text`, for a page without JavaScript (nothing when none)."""
    text = str(text or "")
    return {"entries": selectors.faq_suggestions(text, limit=limit) if text.strip() else []}
