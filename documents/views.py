from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from documents import rules as upload_rules
from documents.access import file_served, get_stored_file_for_download_or_404
from documents.forms import pending_files_of, pending_upload_count, too_many_pending_message
from documents.services import pending_upload_remove, stored_file_create
from documents.validation import UploadNotStored, UploadRejected


def _serve(request, pk, *, as_attachment: bool):
    stored_file = get_stored_file_for_download_or_404(request.user, pk)
    if not as_attachment and not stored_file.is_previewable:
        as_attachment = True
    if not stored_file.is_available():
        return render(request, "documents/expired.html", {"stored_file": stored_file}, status=404)
    try:
        handle = stored_file.file.open("rb")
    except (FileNotFoundError, ValueError):
        return render(request, "documents/expired.html", {"stored_file": stored_file}, status=404)
    except OSError:  # the storage does not answer: say so, the file is not lost
        response = render(request, "503.html", status=503)
        response["Retry-After"] = "30"
        return response
    file_served(request.user, stored_file)
    response = FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=stored_file.original_name,
        content_type=stored_file.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if not as_attachment and stored_file.content_type.startswith("image/"):
        # An image shown alone: nothing in it may run or load anything.
        response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response


@require_GET
@login_required
def download(request, pk):
    """Serve a stored file as an attachment, to those `can_download` lets through."""
    return _serve(request, pk, as_attachment=True)


@require_GET
@login_required
def view(request, pk):
    """The "eye": show an image or PDF in the browser; other types are downloaded."""
    return _serve(request, pk, as_attachment=False)


def _file_json(stored):
    return {
        "id": str(stored.pk),
        "name": stored.original_name,
        "size": stored.size,
        "size_label": filesizeformat(stored.size),
        "preview_url": reverse("documents:view", args=[stored.pk]) if stored.is_previewable else "",
        "remove_url": reverse("documents:remove", args=[stored.pk]),
    }


def _may_use_rules(user, rules) -> bool:
    """Files for managers' answers (larger, Office files) are uploaded by managers only."""
    if rules is upload_rules.ANSWER:
        return user.is_staff and user.is_insurer_manager
    return True


@never_cache
@require_POST
@login_required
def upload(request, rules_key):
    """One file from the upload widget: checked with the form's rules, kept as pending.

    Answers JSON: 201 with the file, or 400 with the French message to show next to the field.
    The form itself checks the number of files again when it is sent.
    """
    rules = upload_rules.BY_KEY.get(rules_key)
    if rules is None or not _may_use_rules(request.user, rules):
        raise Http404
    uploaded = request.FILES.get("file")
    if uploaded is None:
        return JsonResponse({"error": _("Aucun fichier n'a été reçu.")}, status=400)
    if pending_upload_count(request.user) >= settings.UPLOAD_PENDING_LIMIT:
        return JsonResponse({"error": too_many_pending_message(uploaded.name)}, status=400)
    try:
        stored = stored_file_create(uploaded=uploaded, rules=rules, by=request.user)
    except UploadNotStored as not_stored:
        return JsonResponse({"error": not_stored.message}, status=503)
    except UploadRejected as rejected:
        return JsonResponse({"error": rejected.message}, status=400)
    return JsonResponse(_file_json(stored), status=201)


@never_cache
@require_POST
@login_required
def remove(request, pk):
    """The widget's remove button: a pending file of the person leaves the form."""
    stored = pending_files_of(request.user, [pk]).get(str(pk))
    if stored is None:
        raise Http404
    pending_upload_remove(stored_file=stored, by=request.user)
    return JsonResponse({"removed": str(pk)})
