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
_manager_restrictions: list[DownloadRule] = []
_read_listeners: list[Callable[[object, StoredFile], None]] = []


def register_download_rule(rule: DownloadRule) -> DownloadRule:
    """Add `rule(user, stored_file) -> bool`: True lets that user read that file."""
    if rule not in _rules:
        _rules.append(rule)
    return rule


def register_manager_restriction(rule: DownloadRule) -> DownloadRule:
    """Add `rule(user, stored_file) -> bool`: True keeps that insurer manager from the file
    (a partner request's files are for the managers of its organism only)."""
    if rule not in _manager_restrictions:
        _manager_restrictions.append(rule)
    return rule


def register_read_listener(listener: Callable[[object, StoredFile], None]) -> None:
    """Add `listener(user, stored_file)`, told each time a file is served (the access journal)."""
    if listener not in _read_listeners:
        _read_listeners.append(listener)


def file_served(user, stored_file: StoredFile) -> None:
    for listener in _read_listeners:
        listener(user, stored_file)


def can_download(user, stored_file: StoredFile) -> bool:
    """The uploader while the file is not sent yet (the "eye" before sending), an insurer
    manager with access to the admin unless a restriction keeps them out, or a registered rule.

    Once sent, a file is readable by whom its app's rule says: a partner's sent files, for
    instance, are not readable by the partner any more ("le contenu des PJ déposées n'est pas
    consultable").
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if (
        stored_file.uploaded_by_id is not None
        and stored_file.uploaded_by_id == user.pk
        and stored_file.attached_at is None
    ):
        return True
    if (
        user.is_staff
        and user.is_insurer_manager
        and not any(restricted(user, stored_file) for restricted in _manager_restrictions)
    ):
        return True
    return any(rule(user, stored_file) for rule in _rules)


def get_stored_file_for_download_or_404(user, pk) -> StoredFile:
    """The file if `user` may download it; 404 otherwise, so a stranger learns nothing."""
    stored_file = get_object_or_404(StoredFile, pk=pk)
    if not can_download(user, stored_file):
        raise Http404
    return stored_file
