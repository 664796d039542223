"""Export buttons for an admin list ("Exporter (CSV)", "Exporter (XLSX)"): a `ModelAdmin`
mixin. The export holds what the changelist's current filters, search and order select, within
what the manager may read (the admin's own queryset), and is journalled like a read. Up to
QUEUE_EXPORT_DIRECT_ROWS (5,000) rows the file is the answer; above, a job builds it and a
page follows it."""

import io
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from oversight.exports import (
    CONTENT_TYPES,
    export_filename,
    export_status,
    export_write,
)
from oversight.journal import managed_organisms
from oversight.models import QueueExport
from oversight.services import export_record, queue_export_request
from portal.exports import kept_file_response


class ChangelistExportMixin:
    """Adds `…/export/<csv|xlsx>/` (the filtered list), `…/export/<id>/` (a large export's
    progress) and `…/export/<id>/fichier/` (its file) to a ModelAdmin."""

    export_formats = (QueueExport.Format.CSV, QueueExport.Format.XLSX)

    def get_changelist(self, request, **kwargs):
        changelist = super().get_changelist(request, **kwargs)
        if not getattr(request, "_oversight_export", False):
            return changelist

        class ExportChangeList(changelist):
            # An export reads the queryset only: none of the page's counts.
            def get_results(self, request):
                self.result_count = self.full_result_count = 0
                self.result_list = []
                self.can_show_all = False
                self.multi_page = False
                self.paginator = None

        return ExportChangeList

    def _export_info(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}"

    def get_urls(self):
        info = self._export_info()
        wrap = self.admin_site.admin_view
        return [
            path(
                "export/<uuid:export_id>/fichier/",
                wrap(self.export_file_view),
                name=f"{info}_export_file",
            ),
            path(
                "export/<uuid:export_id>/",
                wrap(self.export_progress_view),
                name=f"{info}_export_progress",
            ),
            path("export/<str:format>/", wrap(self.export_view), name=f"{info}_export"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if self.has_view_permission(request):
            url = reverse(f"{self.admin_site.name}:{self._export_info()}_export", args=["csv"])
            extra_context["export_links"] = [
                {
                    "label": _("Exporter (%(format)s)") % {"format": fmt.upper()},
                    "url": url.replace("/csv/", f"/{fmt}/"),
                }
                for fmt in self.export_formats
            ]
        return super().changelist_view(request, extra_context)

    def _export_organism(self, request):
        """The organism a partner export is about, for the journal's scope: the one filtered,
        or the manager's only organism."""
        if not any(field.name == "organism" for field in self.opts.fields):
            return None
        organisms = managed_organisms(request.user)
        chosen = request.GET.get("organism__id__exact", "")
        if chosen.isdigit() and (organisms is None or int(chosen) in organisms):
            return int(chosen)
        if organisms is not None and len(organisms) == 1:
            return next(iter(organisms))
        return None

    def export_view(self, request, format):
        if not self.has_view_permission(request) or format not in self.export_formats:
            raise Http404
        changelist_url = reverse(f"{self.admin_site.name}:{self._export_info()}_changelist")
        query = request.GET.urlencode()
        try:
            from oversight.exports import changelist_queryset

            queryset = changelist_queryset(self, request)
        except IncorrectLookupParameters:
            self.message_user(
                request, _("Ces filtres ne peuvent pas être exportés."), messages.ERROR
            )
            return HttpResponseRedirect(changelist_url)
        total = queryset.count()
        organism_id = self._export_organism(request)
        if total > settings.QUEUE_EXPORT_DIRECT_ROWS:
            export = queue_export_request(
                by=request.user,
                model=self.model,
                query=query,
                format=format,
                rows_total=total,
                organism_id=organism_id,
            )
            return HttpResponseRedirect(
                reverse(
                    f"{self.admin_site.name}:{self._export_info()}_export_progress",
                    args=[export.pk],
                )
            )
        out = io.BytesIO()
        rows = export_write(out, model=self.model, queryset=queryset, format=format)
        export_record(
            by=request.user,
            model=self.model,
            rows=rows,
            format=format,
            query=query,
            organism_id=organism_id,
        )
        response = HttpResponse(out.getvalue(), content_type=CONTENT_TYPES[format])
        filename = export_filename(self.model, format)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

    def _own_export_or_404(self, request, export_id: uuid.UUID, **filters) -> QueueExport:
        if not self.has_view_permission(request):
            raise Http404
        return get_object_or_404(
            QueueExport,
            pk=export_id,
            requested_by=request.user,
            model=self.opts.label_lower,
            **filters,
        )

    def export_progress_view(self, request, export_id):
        export = self._own_export_or_404(request, export_id)
        download = ""
        if export.state == QueueExport.State.READY and export.expires_at > timezone.now():
            download = reverse(
                f"{self.admin_site.name}:{self._export_info()}_export_file", args=[export.pk]
            )
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse(
                {"state": export.state, "status": export_status(export), "download": download}
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Export de la liste : %(list)s") % {"list": self.opts.verbose_name_plural},
            "export": export,
            "status": export_status(export),
            "download": download,
            "progress_url": request.path,
            "changelist_url": reverse(f"{self.admin_site.name}:{self._export_info()}_changelist"),
            "expires_at": export.expires_at,
        }
        return TemplateResponse(request, "admin/oversight/export_progress.html", context)

    def export_file_view(self, request, export_id):
        export = self._own_export_or_404(
            request,
            export_id,
            state=QueueExport.State.READY,
            expires_at__gt=timezone.now(),
        )
        return kept_file_response(
            export.file,
            filename=export_filename(self.model, export.format, at=export.created_at),
            content_type=CONTENT_TYPES[export.format],
        )
