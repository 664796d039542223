"""Who may see a stored file.

The uploader and the insurer's managers always may. Each app that links files to something
(requests, answers, partner requests) registers a rule saying who else may, so this module never
needs to know those apps.
"""

from collections.abc import Callable

from django.http import Http404
from django.shortcuts import get_object_or_404

from documents.models import StoredFile

DownloadRule = Callable[[object, StoredFile], bool]
_rules: list[DownloadRule] = []


def register_download_rule(rule: DownloadRule) -> DownloadRule:
    """Add `rule(user, stored_file) -> bool`: True lets that user read that file."""
    if rule not in _rules:
        _rules.append(rule)
    return rule


def can_download(user, stored_file: StoredFile) -> bool:
    """The uploader, an insurer manager with access to the admin, or a registered rule."""
    if not user.is_authenticated or not user.is_active:
        return False
    if stored_file.uploaded_by_id is not None and stored_file.uploaded_by_id == user.pk:
        return True
    if user.is_staff and user.is_insurer_manager:
        return True
    return any(rule(user, stored_file) for rule in _rules)


def get_stored_file_for_download_or_404(user, pk) -> StoredFile:
    """The file if `user` may download it; 404 otherwise, so a stranger learns nothing."""
    stored_file = get_object_or_404(StoredFile, pk=pk)
    if not can_download(user, stored_file):
        raise Http404
    return stored_file
