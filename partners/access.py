"""Who may read the files of partner requests (registered with `documents.access`)."""

from django.db.models import Q

from partners.models import PartnerRequest, PartnerRequestStatus


def partner_may_read_file(user, stored_file) -> bool:
    """A partner reads the files the organism joined to its answer, for a request of their
    structure (the files they sent are never readable again: names only)."""
    if getattr(user, "role", None) not in ("technician", "partner_manager"):
        return False
    membership = getattr(user, "partner_membership", None)
    if membership is None:
        return False
    return stored_file.partner_answers.filter(
        structure_id=membership.structure_id, status=PartnerRequestStatus.RESOLVED
    ).exists()


def manager_kept_from_file(user, stored_file) -> bool:
    """A partner request's files (sent or answered) are for its organism's managers only."""
    if user.is_superuser:
        return False
    linked = PartnerRequest.objects.filter(
        Q(attachments=stored_file) | Q(answer_files=stored_file)
    ).values_list("organism_id", flat=True)
    organisms = set(linked)
    if not organisms:
        return False
    return not user.managed_organisms.filter(pk__in=organisms).exists()
