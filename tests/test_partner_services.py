"""The partner services' rules: what may be filed, completed, cancelled, taken and resolved.

Filing and completing are `partners.services`; every status change is a move of the casework
core (`casework.services.case_move`) with the moves `partners.cases` declares."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casework.models import CaseEvent, CaseMessage
from casework.services import CaseError, case_move
from documents.rules import PARTNER_REQUEST
from documents.services import stored_file_create
from partners.catalogue import SAISINE, Service
from partners.models import OrganismService, PartnerRequestStatus
from partners.services import partner_request_complete, partner_request_submit
from tests.factories import PERSON, ConventionFactory, OrganismFactory, make_partner_request
from tests.test_uploads import pdf_bytes

pytestmark = pytest.mark.django_db


def uploads(user, count):
    return [
        stored_file_create(
            uploaded=SimpleUploadedFile(f"piece{i}.pdf", pdf_bytes(), "application/pdf"),
            rules=PARTNER_REQUEST,
            by=user,
        )
        for i in range(count)
    ]


def test_a_request_is_numbered_year_code_and_sequence(technician, convention, organism):
    first = make_partner_request(technician=technician, organism=organism)
    second = make_partner_request(technician=technician, organism=organism)
    year = timezone.localdate().year % 100
    assert first.number == f"{year:02d}33100001"
    assert second.number == f"{year:02d}33100002"
    assert first.status == PartnerRequestStatus.NEW
    assert first.requester_name == f"{technician.last_name.upper()} {technician.first_name}"


def test_the_first_status_is_in_the_audit_trail(technician, convention, organism):
    request = make_partner_request(technician=technician, organism=organism)
    event = request.case_events.get()
    assert (event.action, event.from_status, event.to_status, event.by) == (
        "submit",
        "",
        PartnerRequestStatus.NEW,
        technician,
    )
    # Guide 001: the technician is emailed when the request is taken and resolved, not filed.
    assert event.notification == ""


def test_it_refuses_a_motif_the_organism_does_not_keep(technician, convention, organism):
    offered = organism.services.get(service=Service.APPOINTMENT)
    offered.motifs = ["ame", "c2s"]
    offered.save()
    with pytest.raises(CaseError):
        make_partner_request(
            technician=technician, organism=organism, service=Service.APPOINTMENT,
            motif="capital_deces",
        )  # fmt: skip
    request = make_partner_request(
        technician=technician, organism=organism, service=Service.APPOINTMENT, motif="c2s"
    )
    assert request.motif == "c2s"


def test_it_refuses_a_service_the_organism_does_not_offer(technician, structure):
    organism = OrganismFactory(services=[Service.CONTACT])
    ConventionFactory(structure=structure, organism=organism)
    with pytest.raises(CaseError, match="ne propose pas"):
        make_partner_request(technician=technician, organism=organism, service=Service.DOCUMENT)
    assert not OrganismService.objects.filter(organism=organism, service=Service.DOCUMENT).exists()


def test_it_refuses_filing_before_the_convention_starts(technician, structure):
    organism = OrganismFactory()
    ConventionFactory(
        structure=structure,
        organism=organism,
        start_date=timezone.localdate() + datetime.timedelta(days=1),
        end_date=None,
    )
    with pytest.raises(CaseError, match="ne pouvez plus déposer"):
        make_partner_request(technician=technician, organism=organism)


def test_it_refuses_filing_once_the_convention_ended(technician, structure):
    organism = OrganismFactory()
    convention = ConventionFactory(structure=structure, organism=organism)
    make_partner_request(technician=technician, organism=organism)
    convention.start_date = timezone.localdate() - datetime.timedelta(days=400)
    convention.end_date = timezone.localdate() - datetime.timedelta(days=1)
    convention.save()
    with pytest.raises(CaseError):
        make_partner_request(technician=technician, organism=organism)


def test_it_refuses_a_structure_without_convention(other_technician, organism, convention):
    with pytest.raises(CaseError):
        make_partner_request(technician=other_technician, organism=organism)


def test_it_refuses_files_on_a_service_without_files(technician, convention, organism):
    with pytest.raises(CaseError, match="pièces jointes"):
        make_partner_request(
            technician=technician, organism=organism, service=Service.APPOINTMENT,
            attachments=uploads(technician, 1),
        )  # fmt: skip


def test_it_refuses_a_ninth_file(technician, convention, organism):
    with pytest.raises(CaseError, match="8"):
        make_partner_request(
            technician=technician, organism=organism, attachments=uploads(technician, 9)
        )


def test_it_refuses_someone_elses_upload(technician, partner_manager, convention, organism):
    with pytest.raises(CaseError, match="plus disponible"):
        make_partner_request(
            technician=technician, organism=organism, attachments=uploads(partner_manager, 1)
        )


def test_it_requires_the_person_for_the_services_about_an_insured(technician, convention, organism):
    with pytest.raises(CaseError, match="personne concernée"):
        make_partner_request(
            technician=technician, organism=organism, person={**PERSON, "phone": ""}
        )


def test_the_saisine_answers_are_kept_only_for_that_motif(technician, convention, organism):
    answers = {"consent": True, "reasons": ["numerique"]}
    saisine = make_partner_request(
        technician=technician, organism=organism, service=Service.DIFFICULTY, motif=SAISINE,
        saisine=answers,
    )  # fmt: skip
    other = make_partner_request(
        technician=technician, organism=organism, service=Service.DIFFICULTY, motif="urgence",
        saisine=answers,
    )  # fmt: skip
    assert saisine.saisine == answers
    assert other.saisine == {}


def test_a_document_request_keeps_each_document_asked(technician, convention, organism):
    request = make_partner_request(
        technician=technician, organism=organism, service=Service.DOCUMENT,
        documents=["ceam", "carte_vitale", "ceam"],
    )  # fmt: skip
    assert request.documents == ["ceam", "carte_vitale"]
    assert request.motif == "ceam"


def test_completing_adds_files_within_eight_in_all(technician, convention, organism):
    request = make_partner_request(
        technician=technician, organism=organism, attachments=uploads(technician, 4)
    )
    with pytest.raises(CaseError, match="4"):
        partner_request_complete(
            request=request, by=technician, comment="Plus", attachments=uploads(technician, 5)
        )
    partner_request_complete(
        request=request,
        by=technician,
        comment="Hospitalisation en cours. Factures jointes.",
        attachments=uploads(technician, 4),
    )
    request.refresh_from_db()
    assert request.attachments.count() == 8
    assert request.comment == "Hospitalisation en cours. Factures jointes."
    completion = request.case_events.get(action="complete")
    assert completion.data["previous_comment"] == "Hospitalisation en cours"
    assert completion.data["added_files"] == 4
    assert completion.by == technician


def test_cancelling_needs_a_motif_of_the_list(technician, convention, organism):
    request = make_partner_request(technician=technician, organism=organism)
    with pytest.raises(CaseError, match="motif"):
        case_move(case=request, move="cancel", by=technician, reason="pas envie")
    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.NEW
    assert not request.case_events.filter(action="cancel").exists()

    event = case_move(case=request, move="cancel", by=technician, reason="autre_canal")

    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.CANCELLED
    assert request.cancel_reason == "autre_canal"
    assert (event.by, event.from_status, event.to_status, event.data) == (
        technician,
        PartnerRequestStatus.NEW,
        PartnerRequestStatus.CANCELLED,
        {"reason": "autre_canal"},
    )


def test_neither_complete_nor_cancel_once_taken_in_charge(
    technician, convention, organism, organism_manager
):
    request = make_partner_request(technician=technician, organism=organism)
    case_move(case=request, move="take", by=organism_manager)
    with pytest.raises(CaseError, match="Pris en charge"):
        partner_request_complete(request=request, by=technician, comment="Encore")
    with pytest.raises(CaseError, match="Pris en charge"):
        case_move(case=request, move="cancel", by=technician, reason="autre")
    request.refresh_from_db()
    assert request.comment == "Hospitalisation en cours"
    assert request.status == PartnerRequestStatus.IN_PROGRESS


def test_take_then_resolve_records_who_and_when(technician, convention, organism, organism_manager):
    request = make_partner_request(technician=technician, organism=organism)
    case_move(case=request, move="take", by=organism_manager)
    resolve = case_move(
        case=request, move="resolve", by=organism_manager, text="Prise en charge faite"
    )
    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.RESOLVED
    assert request.resolved_at == resolve.at
    assert request.assignee == organism_manager
    # The answer is the organism's message of the "resolve" event.
    assert (resolve.message.side, resolve.message.text, resolve.message.author) == (
        "insurer",
        "Prise en charge faite",
        organism_manager,
    )
    moves = list(request.case_events.values_list("action", "from_status", "to_status", "by"))
    assert moves == [
        ("submit", "", "new", technician.pk),
        ("take", "new", "in_progress", organism_manager.pk),
        ("resolve", "in_progress", "resolved", organism_manager.pk),
    ]
    with pytest.raises(CaseError):
        case_move(case=request, move="take", by=organism_manager)
    assert request.case_events.count() == 3


def test_resolving_needs_an_answer(technician, convention, organism, organism_manager):
    request = make_partner_request(technician=technician, organism=organism)
    case_move(case=request, move="take", by=organism_manager)
    with pytest.raises(CaseError, match="réponse"):
        case_move(case=request, move="resolve", by=organism_manager, text="  ")
    request.refresh_from_db()
    assert request.status == PartnerRequestStatus.IN_PROGRESS
    assert not CaseMessage.objects.exists()


def test_a_new_request_must_be_taken_in_charge_before_it_is_resolved(
    technician, convention, organism, organism_manager
):
    request = make_partner_request(technician=technician, organism=organism)

    with pytest.raises(CaseError) as refused:
        case_move(case=request, move="resolve", by=organism_manager, text="Prise en charge faite")

    assert refused.value.message == (
        f"La demande {request.number} est « Nouveau » : elle ne peut pas passer à « Résolu »."
    )
    request.refresh_from_db()
    assert (request.status, request.resolved_at, request.assignee) == (
        PartnerRequestStatus.NEW,
        None,
        None,
    )
    assert list(request.case_events.values_list("action", flat=True)) == ["submit"]
    assert not CaseMessage.objects.exists()


def test_a_cancelled_request_cannot_be_taken(technician, convention, organism, organism_manager):
    request = make_partner_request(technician=technician, organism=organism)
    case_move(case=request, move="cancel", by=technician, reason="plus_justifiee")
    with pytest.raises(CaseError, match="Annulé"):
        case_move(case=request, move="take", by=organism_manager)
    assert CaseEvent.objects.filter(action="take").count() == 0


def test_a_filed_request_starts_the_retention_of_its_files(technician, convention, organism):
    files = uploads(technician, 2)
    request = make_partner_request(technician=technician, organism=organism, attachments=files)
    for stored in request.attachments.all():
        assert stored.attached_at is not None
        # PARTNER_FILE_RETENTION: 15 days by default.
        assert stored.expires_at == stored.attached_at + datetime.timedelta(days=15)


def test_submit_goes_through_the_keyword_only_service(technician, convention, organism):
    request = partner_request_submit(
        by=technician,
        structure=technician.partner_membership.structure,
        organism=organism,
        service=Service.CONTACT,
        motif="convention",
        appointment_modes=["distance", "physique"],
        comment="Je souhaite un rdv pour fixer les modalités de renouvellement.",
    )
    assert request.appointment_modes == ["distance", "physique"]
    assert request.last_name == ""


def test_the_history_count_follows_filing_and_cancelling(technician, convention, organism):
    from partners.selectors import SESSION_ORGANISM, partner_history, space_for

    first = make_partner_request(technician=technician, organism=organism)
    make_partner_request(technician=technician, organism=organism)
    # A convention saved from an old copy (admin, job) must not undo the count.
    convention.technician_cap = 8
    convention.save()
    case_move(case=first, move="cancel", by=technician, reason="autre")

    request = type("Request", (), {"user": technician, "session": {SESSION_ORGANISM: organism.pk}})
    assert partner_history(space_for(request)).total().count == 1
