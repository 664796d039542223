from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from documents import rules as upload_rules
from documents.access import file_served, get_stored_file_for_download_or_404
from documents.forms import (
    discard_link_label,
    pending_files_of,
    pending_upload_count,
    too_many_pending_message,
)
from documents.models import StoredFile
from documents.services import (
    pending_upload_remove,
    pending_uploads_discard,
    pending_uploads_release,
    stored_file_create,
)
from documents.sizes import file_size
from documents.validation import UploadNotStored, UploadRejected
from portal.storage import STORAGE_ERRORS, open_stream


def _serve(request, pk, *, as_attachment: bool):
    stored_file = get_stored_file_for_download_or_404(request.user, pk)
    if not as_attachment and not stored_file.is_previewable:
        as_attachment = True
    if not stored_file.is_available():
        return render(request, "documents/expired.html", {"stored_file": stored_file}, status=404)
    try:
        handle = open_stream(stored_file.file)
    except (FileNotFoundError, ValueError):
        return render(request, "documents/expired.html", {"stored_file": stored_file}, status=404)
    except STORAGE_ERRORS:  # the storage does not answer: say so, the file is not lost
        response = render(request, "503.html", status=503)
        response["Retry-After"] = "30"
        return response
    file_served(request.user, stored_file)
    # Streamed through this view rather than by a pre-signed URL: the access check holds for
    # every byte, no link that works without the session ever leaves (history, logs, a
    # forwarded email), and the storage need not be reachable from the Internet.
    response = FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=stored_file.original_name,
        content_type=stored_file.content_type,
    )
    response["Content-Length"] = str(stored_file.size)
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
        "size_label": file_size(stored.size),
        # Every file may be opened ("Voir", guide 001 shows it for a .docx): the view serves
        # what a browser cannot show as a download.
        "preview_url": reverse("documents:view", args=[stored.pk]),
        "previewable": stored.is_previewable,
        "remove_url": reverse("documents:remove", args=[stored.pk]),
    }


def _may_use_rules(user, rules) -> bool:
    """Files for managers' answers (larger, Office files) are uploaded by managers only."""
    if rules is upload_rules.ANSWER:
        return user.is_staff and user.is_insurer_manager
    return True


def _signed_in_or_401(view):
    """For the widget's requests: a browser whose session ended gets a 401 the script reads
    as "votre session a expiré", not a redirect to the sign-in page it cannot tell apart from
    a network failure."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"signed_out": True}, status=401)
        return view(request, *args, **kwargs)

    return wrapper


@never_cache
@require_POST
@_signed_in_or_401
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
        return JsonResponse(
            {
                "error": too_many_pending_message(uploaded.name),
                "discard_url": reverse("documents:pending"),
                "discard_label": discard_link_label(),
            },
            status=400,
        )
    try:
        stored = stored_file_create(uploaded=uploaded, rules=rules, by=request.user)
    except UploadNotStored as not_stored:
        return JsonResponse({"error": not_stored.message}, status=503)
    except UploadRejected as rejected:
        return JsonResponse({"error": rejected.message}, status=400)
    return JsonResponse(_file_json(stored), status=201)


@never_cache
@require_POST
@_signed_in_or_401
def remove(request, pk):
    """The widget's remove button: a pending file of the person leaves the form."""
    stored = pending_files_of(request.user, [pk]).get(str(pk))
    if stored is None:
        raise Http404
    pending_upload_remove(stored_file=stored, by=request.user)
    return JsonResponse({"removed": str(pk)})


@never_cache
@require_POST
@login_required
def abandon(request):
    """A form's "Annuler" button posts the form here: the files it holds that are still pending
    are deleted, then the person goes where the link went (`next`, on this site only)."""
    ids = [value for key in request.POST for value in request.POST.getlist(key)]
    pending_uploads_release(by=request.user, ids=ids)
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return redirect(target)


@never_cache
@login_required
def pending(request):
    """ "Fichiers en attente": how many files wait in forms never sent, and a button that
    deletes them all (offered by the message that refuses an upload past the limit)."""
    if request.method == "POST":
        count = pending_uploads_discard(by=request.user)
        messages.success(
            request,
            _(
                "%(count)s fichier(s) en attente supprimé(s). Vous pouvez de nouveau joindre des "
                "fichiers."
            )
            % {"count": count},
        )
        return redirect("documents:pending")
    waiting = StoredFile.objects.filter(
        uploaded_by=request.user, attached_at__isnull=True, deleted_at__isnull=True
    ).count()
    return render(request, "documents/pending.html", {"waiting": waiting})
