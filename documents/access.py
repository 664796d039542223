"""Who may see a stored file.

A file waiting in an unsent form is its uploader's alone. Once sent, it is readable only through
the rules the apps that link files to something (requests, answers, partner requests) register:
each rule says who may read the file through what it belongs to, so this module never needs to
know those apps, and no role (an insurer manager included) reads a file outside the scope it has
on what the file belongs to.
"""

from collections.abc import Callable

from django.http import Http404
from django.shortcuts import get_object_or_404

from documents.models import StoredFile

DownloadRule = Callable[[object, StoredFile], bool]
_rules: list[DownloadRule] = []
_read_listeners: list[Callable[[object, StoredFile], None]] = []


def register_download_rule(rule: DownloadRule) -> DownloadRule:
    """Add `rule(user, stored_file) -> bool`: True lets that user read that sent file."""
    if rule not in _rules:
        _rules.append(rule)
    return rule


def register_read_listener(listener: Callable[[object, StoredFile], None]) -> None:
    """Add `listener(user, stored_file)`, told each time a file is served (the access journal)."""
    if listener not in _read_listeners:
        _read_listeners.append(listener)


def file_served(user, stored_file: StoredFile) -> None:
    for listener in _read_listeners:
        listener(user, stored_file)


def can_download(user, stored_file: StoredFile) -> bool:
    """The uploader while the file is not sent yet (the "eye" before sending), and nobody else;
    once sent, whom a registered rule lets through.

    Once sent, a file is readable by whom its app's rule says: a partner's sent files, for
    instance, are not readable by the partner any more ("le contenu des PJ déposées n'est pas
    consultable"), and a manager reads the files of the requests they may read, no others.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if stored_file.attached_at is None:
        return stored_file.uploaded_by_id is not None and stored_file.uploaded_by_id == user.pk
    return any(rule(user, stored_file) for rule in _rules)


def get_stored_file_for_download_or_404(user, pk) -> StoredFile:
    """The file if `user` may download it; 404 otherwise, so a stranger learns nothing."""
    stored_file = get_object_or_404(StoredFile, pk=pk)
    if not can_download(user, stored_file):
        raise Http404
    return stored_file
