"""Who may read the files of cases (registered with `documents.access` by casework's app config).

A file belongs to a case either as one of the files sent with it (`attachments`) or through a
message. For every case type:
- the requester reads the files the insurer sent, and their own only if the type allows it
  (partners may not: "le contenu des PJ déposées n'est pas consultable");
- an insurer manager reads a case's files only if they may read the case itself;
- nobody else reads them, staff included.
"""

from casework.lifecycle import case_type_for, case_types
from casework.models import CaseMessage, Side


def _links(stored_file):
    """(case type, case pk, side) for every case the file belongs to."""
    for kind in case_types():
        for pk in kind.model.objects.filter(attachments=stored_file).values_list("pk", flat=True):
            yield kind, pk, Side.REQUESTER
    messages = CaseMessage.objects.filter(attachments=stored_file).values_list(
        "case_type_id", "case_id", "side"
    )
    for case_type_id, case_id, side in messages:
        yield case_type_for(case_type_id), case_id, side


def file_cases(stored_file) -> list:
    """The cases `stored_file` belongs to (sent with them or with one of their messages)."""
    return [kind.model.objects.filter(pk=pk).first() for kind, pk, _side in _links(stored_file)]


def requester_may_read_file(user, stored_file) -> bool:
    for kind, pk, side in _links(stored_file):
        if side == Side.REQUESTER and not kind.requester_reads_own_files:
            continue
        cases = kind.requester_cases(user)
        if cases is not None and cases.filter(pk=pk).exists():
            return True
    return False


def manager_may_read_file(user, stored_file) -> bool:
    """True when the file belongs to a case the manager may read (an organism's manager: its
    partner requests; a manager of the member requests: theirs). A file linked to nothing the
    manager may read, or to nothing at all, stays out of reach."""
    for kind, pk, _side in _links(stored_file):
        cases = kind.insurer_cases(user)
        if cases is not None and cases.filter(pk=pk).exists():
            return True
    return False
