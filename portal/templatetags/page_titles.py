"""The words put before a page's own <title>: "Erreur – " when a form on it comes back with
errors, "Étape 2 sur 3 – " on a wizard step, "12 résultats – " on a results page, so that a
screen reader user hears the state of the page first."""

from django import template
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def _has_errors(value) -> bool:
    if isinstance(value, BaseForm | BaseFormSet):
        if not value.is_bound:
            return False
        if isinstance(value, BaseFormSet):
            return bool(value.non_form_errors()) or any(value.errors)
        return bool(value.errors)
    return False


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    """ "Erreur – " when any bound form of the page has errors, else ""."""
    if any(_has_errors(value) for value in context.flatten().values()):
        return _("Erreur – ")
    return ""


@register.simple_tag
def step_title_prefix(step: int, steps: int) -> str:
    return _("Étape %(step)s sur %(steps)s – ") % {"step": step, "steps": steps}


@register.simple_tag
def results_title_prefix(page, estimate: bool = False) -> str:
    """ "12 résultats – " for the paginator of a results page ("Aucun résultat – " when empty)."""
    count = page.paginator.count if page is not None else 0
    if not count:
        return _("Aucun résultat – ")
    values = {"count": count}
    if estimate or getattr(page.paginator, "count_is_estimate", False):
        return (
            ngettext("environ %(count)s résultat – ", "environ %(count)s résultats – ", count)
            % values
        )
    return ngettext("%(count)s résultat – ", "%(count)s résultats – ", count) % values
