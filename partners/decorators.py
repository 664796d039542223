"""Who may open a partner view, declared on the view."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache

from accounts.decorators import keep_signed_out_post
from accounts.form_resume import form_resume_waiting
from partners.selectors import SESSION_ORGANISM, membership_of, space_for


def partner_required(view=None, *, filing: bool = False):
    """Technicians and partner managers with a usable organism chosen in this session.

    The view receives the `PartnerSpace` after the request: `view(request, space, ...)`.
    Without a chosen organism, the person is sent to choose one (unless a form kept from an
    expired session waits for this page: then the organism last chosen); anyone not a partner
    gets a 404, and so does a filing view (`filing=True`) once the convention no longer allows
    new requests.
    """

    def decorate(view):
        @keep_signed_out_post
        @login_required
        @never_cache
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            membership = membership_of(request.user)
            if membership is None:
                raise Http404
            space = space_for(request, membership)
            if space is None and membership.last_organism_id and form_resume_waiting(request):
                # Back from an expired session to a kept form: the organism it was typed for
                # (the last one chosen), if it may still be used.
                request.session[SESSION_ORGANISM] = membership.last_organism_id
                space = space_for(request, membership)
            if space is None:
                return redirect("partners:choose")
            if filing and not space.situation.may_file:
                raise Http404
            return view(request, space, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def partner_manager_required(view):
    """Gestionnaires Partenaire only; the view receives their `StructureMembership`."""

    @login_required
    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        membership = membership_of(request.user)
        if membership is None or request.user.role != "partner_manager":
            raise Http404
        return view(request, membership, *args, **kwargs)

    return wrapper
