"""The managers' queue pages shared by member requests and partner requests.

"Prendre en charge" (a button and a bulk action) and "Résoudre" (a page with the answer's text
and files) work the same way for every kind of request: the admin class says which services do
the work and what the messages say, and this mixin does the rest.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ProcessingQueueMixin:
    """For a `ModelAdmin` of requests that managers take in charge and resolve.

    The admin class sets `answer_form_class` (an attachments form with a `text` field),
    `queue_templates` (the folder of its `resolve.html`), `refusals` (the services' error classes,
    each with a French `message`), and implements `has_manage_permission`, `request_take`,
    `request_resolve`, `may_take`, `may_resolve` and the messages below.
    """

    answer_form_class = None
    queue_templates = ""
    refusals: tuple[type[Exception], ...] = ()

    # -- What each kind of request says --------------------------------------------------------
    def request_take(self, *, obj, by):
        raise NotImplementedError

    def request_resolve(self, *, obj, by, text, attachments):
        raise NotImplementedError

    def may_take(self, obj) -> bool:
        raise NotImplementedError

    def may_resolve(self, obj) -> bool:
        raise NotImplementedError

    def taken_message(self, obj) -> str:
        raise NotImplementedError

    def taken_many_message(self, taken: list) -> str:
        raise NotImplementedError

    def resolved_message(self, obj) -> str:
        raise NotImplementedError

    def not_resolvable_message(self, obj) -> str:
        raise NotImplementedError

    def resolve_title(self, obj) -> str:
        raise NotImplementedError

    def resolve_context(self, obj) -> dict:
        """More for the "Résoudre" page's template."""
        return {}

    # -- Pages ---------------------------------------------------------------------------------
    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/prendre-en-charge/",
                wrap(self.take_view),
                name=f"{info}_take",
            ),
            path("<path:object_id>/resoudre/", wrap(self.resolve_view), name=f"{info}_resolve"),
            *super().get_urls(),
        ]

    def _url(self, name: str, obj) -> str:
        return reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{name}",
            args=[obj.pk],
        )

    def _get_manageable_or_404(self, request, object_id):
        """The request if this manager may see it and work on it; 404 otherwise."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_manage_permission(request):
            raise Http404
        return obj

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if obj is not None and self.has_manage_permission(request):
            extra_context.update(
                {
                    "can_take": self.may_take(obj),
                    "can_resolve": self.may_resolve(obj),
                    "take_url": self._url("take", obj),
                    "resolve_url": self._url("resolve", obj),
                }
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def _take(self, request, obj) -> bool:
        try:
            self.request_take(obj=obj, by=request.user)
        except self.refusals as refused:
            self.message_user(request, refused.message, messages.ERROR)
            return False
        return True

    def take_view(self, request, object_id):
        """The "Prendre en charge" button of the change page (POST only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._get_manageable_or_404(request, object_id)
        if self._take(request, obj):
            self.message_user(request, self.taken_message(obj), messages.SUCCESS)
        return HttpResponseRedirect(self._url("change", obj))

    def resolve_view(self, request, object_id):
        """ "Résoudre": write the answer (text and files) and mark the request "Résolu"."""
        obj = self._get_manageable_or_404(request, object_id)
        change_url = self._url("change", obj)
        if request.method == "POST":
            form = self.answer_form_class(request.POST, request.FILES, user=request.user)
            if form.is_valid():
                try:
                    self.request_resolve(
                        obj=obj,
                        by=request.user,
                        text=form.cleaned_data["text"],
                        attachments=form.cleaned_data["attachments"],
                    )
                except self.refusals as refused:
                    # The form is shown again as typed, with its files, so nothing is lost.
                    self.message_user(request, refused.message, messages.ERROR)
                else:
                    self.message_user(request, self.resolved_message(obj), messages.SUCCESS)
                    return HttpResponseRedirect(change_url)
        else:
            if not self.may_resolve(obj):
                self.message_user(request, self.not_resolvable_message(obj), messages.WARNING)
                return HttpResponseRedirect(change_url)
            form = self.answer_form_class(user=request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "form": form,
            "change_url": change_url,
            "title": self.resolve_title(obj),
            "media": self.media + form.media,
            **self.resolve_context(obj),
        }
        return TemplateResponse(request, f"{self.queue_templates}/resolve.html", context)

    # -- Actions on the selected rows ----------------------------------------------------------
    @admin.action(description=gettext_lazy("Prendre en charge"), permissions=["manage"])
    def take_in_charge(self, request, queryset):
        taken = [obj for obj in queryset.order_by("created_at", "id") if self._take(request, obj)]
        if taken:
            self.message_user(request, self.taken_many_message(taken), messages.SUCCESS)

    @admin.action(description=gettext_lazy("Résoudre"), permissions=["manage"])
    def resolve_selected(self, request, queryset):
        # An answer is written for one request at a time.
        selected = list(queryset[:2])
        if len(selected) != 1:
            self.message_user(
                request, _("Sélectionnez une seule demande à résoudre."), messages.WARNING
            )
            return None
        return HttpResponseRedirect(self._url("resolve", selected[0]))
