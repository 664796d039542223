"""The managers' pages of this app, inside the admin (bound by the admins that show them): the
member's fiche. Each opening and each NIR shown is journalled (`oversight.journal`)."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Member
from oversight.fiche import member_fiche
from oversight.journal import access_record, may_read_journal, may_read_members
from oversight.models import AccessEntry


class ReasonForm(forms.Form):
    """Why the manager opens the fiche or shows the NIR: optional, kept in the journal."""

    motif = forms.CharField(
        label=gettext_lazy("Motif de la consultation (facultatif)"),
        max_length=300,
        required=False,
        error_messages={"max_length": gettext_lazy("Le motif tient en 300 caractères au plus.")},
    )
    entry = forms.IntegerField(required=False, widget=forms.HiddenInput)


def member_fiche_view(request, object_id, *, admin_site):
    """The fiche of one member (GET journals the opening; POST `nir` shows the NIR and journals
    it; POST `motif` records why the manager opened it, on their own entry)."""
    user = request.user
    if not may_read_members(user):
        raise Http404
    try:
        member = get_object_or_404(Member.objects.select_related("user"), pk=int(object_id))
    except ValueError as not_a_number:
        raise Http404 from not_a_number
    target = f"{member.member_number} · {member.full_name}"
    show_nir = False
    if request.method == "POST":
        form = ReasonForm(request.POST)
        action = request.POST.get("action")
        if not form.is_valid() or action not in ("nir", "motif"):
            # Shown again as typed, the message next to the field; nothing journalled.
            entry_id = form.data.get("entry") if form.data.get("entry", "").isdigit() else None
            if form.errors:
                form.fields["motif"].widget.attrs.update(
                    {"aria-describedby": "motif-error", "aria-invalid": "true"}
                )
        elif action == "nir":
            show_nir = True
            access_record(
                by=user,
                kind=AccessEntry.Kind.NIR,
                target=target,
                member_id=member.pk,
                reason=form.cleaned_data["motif"],
            )
            entry_id = form.cleaned_data["entry"]
            form = ReasonForm(initial={"entry": entry_id, "motif": form.cleaned_data["motif"]})
        else:
            entry_id = form.cleaned_data["entry"]
            reason = form.cleaned_data["motif"].strip()
            # The manager's own opening of this fiche, said once: the journal is not
            # rewritten afterwards.
            said = bool(reason) and AccessEntry.objects.filter(
                pk=entry_id,
                manager=user,
                member=member,
                kind=AccessEntry.Kind.FICHE,
                reason="",
            ).update(reason=reason)
            if said:
                messages.success(request, _("Le motif de la consultation est enregistré."))
            else:
                messages.warning(
                    request,
                    _(
                        "Le motif n'est pas enregistré : écrivez-le, une seule fois par "
                        "consultation."
                    ),
                )
            form = ReasonForm(initial={"entry": entry_id})
    else:
        entry_id = access_record(
            by=user,
            kind=AccessEntry.Kind.FICHE,
            target=target,
            member_id=member.pk,
            reason=request.GET.get("motif", ""),
        ).pk
        form = ReasonForm(initial={"entry": entry_id})
    fiche = member_fiche(member, show_nir=show_nir)
    site = admin_site.name
    context = {
        **admin_site.each_context(request),
        "title": _("Fiche adhérent : %(member)s") % {"member": target},
        "fiche": fiche,
        "member": member,
        "show_nir": show_nir,
        "form": form,
        "member_change_url": reverse(f"{site}:accounts_member_change", args=[member.pk]),
        "requests_url": reverse(f"{site}:requests_app_memberrequest_changelist"),
        "request_url_name": f"{site}:requests_app_memberrequest_change",
        "journal_url": (
            reverse(f"{site}:oversight_accessentry_changelist") + f"?member__id__exact={member.pk}"
            if may_read_journal(user)
            else ""
        ),
        "opts": Member._meta,
    }
    return TemplateResponse(request, "admin/oversight/fiche.html", context)
