from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from documents.access import get_stored_file_for_download_or_404


@require_GET
@login_required
def download(request, pk):
    """Serve a stored file as an attachment, to those `can_download` lets through."""
    stored_file = get_stored_file_for_download_or_404(request.user, pk)
    if not stored_file.is_available():
        return render(request, "documents/expired.html", {"stored_file": stored_file}, status=404)
    try:
        handle = stored_file.file.open("rb")
    except FileNotFoundError:
        return render(request, "documents/expired.html", {"stored_file": stored_file}, status=404)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=stored_file.original_name,
        content_type=stored_file.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
