"""Who may download a stored file. Later issues extend `can_download` (requests, answers)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from documents.models import StoredFile


def can_download(user, stored_file: StoredFile) -> bool:
    """The uploader, or an insurer manager with access to the admin."""
    if not user.is_authenticated or not user.is_active:
        return False
    if stored_file.uploaded_by_id is not None and stored_file.uploaded_by_id == user.pk:
        return True
    return bool(user.is_staff and user.is_insurer_manager)


def get_stored_file_for_download_or_404(user, pk) -> StoredFile:
    """The file if `user` may download it; 404 otherwise, so a stranger learns nothing."""
    stored_file = get_object_or_404(StoredFile, pk=pk)
    if not can_download(user, stored_file):
        raise Http404
    return stored_file
