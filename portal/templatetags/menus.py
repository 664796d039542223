"""The space menus of `portal.menus`, ready to draw: each entry's URL, label, badge and
whether it is the page being shown."""

from django import template
from django.urls import reverse

from portal.menus import (
    MEMBER_ACCOUNT_MENU,
    MEMBER_ACTIONS,
    MEMBER_MENU,
    PARTNER_MENU,
    PARTNER_TOPBAR,
)

register = template.Library()

MENUS = {
    "member": MEMBER_MENU,
    "member_account": MEMBER_ACCOUNT_MENU,
    "member_actions": MEMBER_ACTIONS,
    "partner": PARTNER_MENU,
    "partner_topbar": PARTNER_TOPBAR,
}


@register.simple_tag(takes_context=True)
def space_menu(context, name: str) -> list[dict]:
    """The entries of the menu `name` this person sees on this page."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    user = context.get("user")
    role = getattr(user, "role", "")
    entries = []
    for item in MENUS[name]:
        if item.audience == "space" and not context.get("space"):
            continue
        if item.audience == "partner_manager" and role != "partner_manager":
            continue
        entries.append(
            {
                "label": item.label,
                "url": reverse(item.url_name),
                "current": view_name in item.current,
                "badge": item.badge,
                "icon": item.icon,
                "hint": item.hint,
            }
        )
    return entries
