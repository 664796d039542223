"""The reference page of the bench: what any member page costs before doing its own work."""

from django.shortcuts import render

from accounts.decorators import member_required


@member_required
def bare(request, member):
    """Same stack as a member page (middleware, session, second factor, member lookup, base
    template with its header and footer), but a content block of one line and no query of its
    own."""
    return render(request, "bench/bare.html", {"member": member})
