"""The managers' side of member requests, in the admin (/gestion/).

Requests are never added or edited by hand here: the admin is a queue to read, and its moves
("Prendre en charge", "Demander un complément", "Résoudre") are the casework core's
(`casework.admin.CaseAdmin`), so the transition rules, the journal and the member's emails are
the same whoever changes a status.
"""

import re

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Member
from casework.admin import CaseAdmin
from casework.search import member_name, words_match, words_of
from casework.services import CaseError, case_can
from privacy.forms import SpaceClosureForm
from privacy.services import closure_request_close
from requests_app.models import MemberRequest, RequestKind

TEMPLATES = "admin/requests_app/memberrequest"


@admin.register(MemberRequest)
class MemberRequestAdmin(CaseAdmin):
    """The queue of member requests. Read-only: statuses change through the moves only.

    Working on the queue (taking a request, asking a complement, answering) needs the model's
    "change" permission and the insurer-manager role; the fields themselves are never editable.
    """

    list_display = [
        "reference",
        "kind_column",
        "concerns_column",
        "age",
        "status_column",
        "assignee_column",
    ]
    list_filter = [*CaseAdmin.list_filter, "kind"]
    search_fields = ["reference"]  # the search itself: get_search_results
    search_help_text = gettext_lazy(
        "Début de la référence (DEM-2026-…), du numéro d'adhérent, ou du nom et du prénom, "
        "sans se soucier des accents ni des majuscules."
    )
    list_select_related = ["member", "beneficiary", "assignee"]
    requester_noun = gettext_lazy("l'adhérent")
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "reference",
                    "status_column",
                    "kind",
                    "created_at",
                    "member_link",
                    "concerns",
                    "assignee_column",
                    "resolved_at",
                ]
            },
        ),
        (
            gettext_lazy("Ce que l'adhérent a envoyé"),
            {
                "fields": [
                    "topic_label",
                    "subject",
                    "details_list",
                    "message",
                    "amount",
                    "attachments_list",
                ]
            },
        ),
        (gettext_lazy("Échanges"), {"fields": ["thread_display"]}),
    ]
    readonly_fields = [name for _title, options in fieldsets for name in options["fields"]]

    def has_manage_permission(self, request) -> bool:
        """May take requests in charge, ask a complement and resolve them."""
        user = request.user
        return bool(
            user.is_active
            and user.is_insurer_manager
            and user.has_perm("requests_app.change_memberrequest")
        )

    def get_search_results(self, request, queryset, search_term):
        """A reference by its beginning ("DEM-2026-0001"); otherwise the requests of the
        members whose number begins with the term or whose names' words begin with its words
        (no case, no accents), read from the members' indexes first."""
        term = search_term.strip()
        if not term:
            return queryset, False
        if re.fullmatch(r"DEM(-[0-9-]*)?", term.upper()):
            return queryset.filter(reference__startswith=term.upper()), False
        found = Q(member_number__startswith=term)
        words = words_of(term)
        if words:
            found |= words_match("name", words)
        members = Member.objects.alias(name=member_name()).filter(found)
        return queryset.filter(member__in=members.values("pk")), False

    def case_facts(self, obj):
        return [
            (_("Adhérent"), f"{obj.member.member_number} · {obj.member.full_name}"),
            (_("Concerne"), obj.concerns),
            (
                _("Type de demande"),
                " · ".join(str(v) for v in (obj.get_kind_display(), obj.topic_label) if v),
            ),
            *([(_("Message"), obj.message)] if obj.message else []),
        ]

    def insurer_form_texts(self, obj, move):
        if move.name == "resolve":
            where = _(
                "L'adhérent la lira dans son espace, rubrique « Mes documents » > "
                "« Historique des mails »."
            )
            return (
                _("Réponse à l'adhérent"),
                f"{where} {self.email_notice(self.kind.may_email_text(obj))}",
                _("Écrivez la réponse à l'adhérent."),
            )
        return super().insurer_form_texts(obj, move)

    # -- "Clôturer l'espace", on a closure request ------------------------------------------
    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        close = path(
            "<path:object_id>/cloturer-espace/",
            self.admin_site.admin_view(self.close_space_view),
            name=f"{info}_close_space",
        )
        return [close, *super().get_urls()]

    def may_close_space(self, request, obj) -> bool:
        """A closure request this manager may resolve, of a member who still has a space."""
        return bool(
            obj.kind == RequestKind.CLOSURE
            and obj.member.user_id
            and self.has_manage_permission(request)
            and case_can(obj, "resolve")
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.may_close_space(request, obj):
            extra_context["case_tools"] = [
                {"label": _("Clôturer l'espace"), "url": self.move_url("close_space", obj)}
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def close_space_view(self, request, object_id):
        """The confirmation page: the answer to the member, a yes, then the closure."""
        obj = self._get_manageable_or_404(request, object_id)
        change_url = self.change_url(obj)
        if obj.kind != RequestKind.CLOSURE:
            raise Http404
        if not self.may_close_space(request, obj):
            self.message_user(
                request,
                _(
                    "La demande %(reference)s ne peut pas clôturer l'espace : prenez-la en "
                    "charge d'abord, ou l'espace est déjà clôturé."
                )
                % {"reference": obj.reference},
                messages.WARNING,
            )
            return HttpResponseRedirect(change_url)
        form = SpaceClosureForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                closure_request_close(request=obj, by=request.user, text=form.cleaned_data["text"])
            except CaseError as refused:
                self.message_user(request, refused.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    _(
                        "L'espace de l'adhérent %(number)s est clôturé et la demande "
                        "%(reference)s résolue : la réponse lui est envoyée par email."
                    )
                    % {"number": obj.member.member_number, "reference": obj.reference},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "form": form,
            "change_url": change_url,
            "move": {"label": _("Clôturer l'espace")},
            "title": _("Clôturer l'espace : demande %(reference)s") % {"reference": obj.reference},
            "facts": self.case_facts(obj),
            "thread": self.thread_display(obj),
            "media": self.media + form.media,
        }
        return TemplateResponse(request, f"{TEMPLATES}/close_space.html", context)

    # -- Columns and fields -----------------------------------------------------------------
    @admin.display(description=gettext_lazy("type"), ordering="kind")
    def kind_column(self, obj):
        return obj.get_kind_display()

    @admin.display(description=gettext_lazy("concerne"))
    def concerns_column(self, obj):
        shown = f"{obj.member.member_number} · {obj.member.full_name}"
        if obj.beneficiary_id:
            shown = _("%(member)s, pour %(beneficiary)s") % {
                "member": shown,
                "beneficiary": obj.beneficiary.full_name,
            }
        return format_html('<span title="{}">{}</span>', shown, shown)

    @admin.display(description=gettext_lazy("adhérent"))
    def member_link(self, obj):
        url = reverse(f"{self.admin_site.name}:accounts_member_change", args=[obj.member_id])
        fiche = reverse(f"{self.admin_site.name}:accounts_member_fiche", args=[obj.member_id])
        return format_html(
            '<a href="{}">{} · {}</a> · <a href="{}">{}</a>',
            url,
            obj.member.member_number,
            obj.member.full_name,
            fiche,
            _("Fiche adhérent"),
        )

    @admin.display(description=gettext_lazy("concerne"))
    def concerns(self, obj):
        return obj.concerns

    @admin.display(description=gettext_lazy("détails"))
    def details_list(self, obj):
        return render_to_string(f"{TEMPLATES}/details.html", {"details": obj.details or []})
