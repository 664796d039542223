"""The reference pages of the bench: what any member page, and any partner page, costs before
doing its own work."""

from django.shortcuts import render

from accounts.decorators import member_required
from partners.decorators import partner_required


@member_required
def bare(request, member):
    """Same stack as a member page (middleware, session, second factor, member lookup, base
    template with its header and footer), but a content block of one line and no query of its
    own."""
    return render(request, "bench/bare.html", {"member": member})


@partner_required
def partner_bare(request, space):
    """Same stack as a partner page (middleware, session, second factor, the structure
    membership, the organism chosen in the session and its convention's situation, the partner
    base template with its header, menu and footer), but a content block of one line and no
    query of its own."""
    return render(request, "bench/partner_bare.html", {"space": space})
