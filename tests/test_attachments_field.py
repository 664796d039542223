"""AttachmentsField + AttachmentsFormMixin: files sent with a form (no JavaScript) or as ids of
uploads made by the widget are kept across errors, "Retirer" works, strangers' ids do not."""

import re
from html import unescape

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from documents.forms import AttachmentsField, AttachmentsFormMixin
from documents.models import StoredFile
from documents.rules import MB, PARTNER_REQUEST, SEND_DOCUMENT
from documents.services import stored_file_create
from tests.helpers.storage import is_stored
from tests.test_uploads import image_bytes, office_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

GONE = "Un fichier joint n'est plus disponible : joignez-le de nouveau, s'il vous plaît."


class ClaimForm(AttachmentsFormMixin, forms.Form):
    """A small form as the request forms are: a required text and the attachments."""

    message = forms.CharField(label="Message")
    files = AttachmentsField(rules=SEND_DOCUMENT, required=False)


class ConventionForm(AttachmentsFormMixin, forms.Form):
    files = AttachmentsField(rules=PARTNER_REQUEST)


def _data(**values) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in values.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return data


def _files(*uploads, key="files_files") -> MultiValueDict:
    return MultiValueDict({key: list(uploads)})


def _pdf(name="facture.pdf", content=None):
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content)


def _stored(user, name="facture.pdf", rules=SEND_DOCUMENT, content=None):
    return stored_file_create(uploaded=_pdf(name, content), rules=rules, by=user)


def _hidden_ids(html: str) -> list[str]:
    return re.findall(r'<input type="hidden" name="files" value="([0-9a-f-]{36})">', html)


def test_files_sent_with_the_form_are_kept_when_another_field_is_invalid(member):
    upload = SimpleUploadedFile("ordonnance.png", image_bytes("PNG"))
    form = ClaimForm(_data(message=""), _files(_pdf(), upload), user=member.user)

    assert not form.is_valid()
    assert form.errors["message"] == ["Ce champ est obligatoire."]
    stored = list(StoredFile.objects.order_by("original_name"))
    assert [f.original_name for f in stored] == ["facture.pdf", "ordonnance.png"]
    assert all(f.is_pending and f.uploaded_by == member.user for f in stored)

    # The page shown again lists them by id, ready to be sent with the rest.
    html = str(form["files"])
    assert sorted(_hidden_ids(html)) == sorted(str(f.pk) for f in stored)
    assert "facture.pdf" in html and "ordonnance.png" in html

    again = ClaimForm(
        _data(message="Voici mes justificatifs", files=_hidden_ids(html)), user=member.user
    )
    assert again.is_valid(), again.errors
    assert [f.original_name for f in again.cleaned_data["files"]] == [
        "facture.pdf",
        "ordonnance.png",
    ]
    assert StoredFile.objects.count() == 2  # nothing uploaded twice


def test_the_widget_works_without_javascript(member):
    stored = _stored(member.user)
    html = unescape(str(ClaimForm(_data(files=str(stored.pk)), user=member.user)["files"]))

    assert '<input type="file" name="files_files"' in html
    assert f'<input type="checkbox" name="files_remove" value="{stored.pk}">' in html
    assert "Retirer" in html
    assert f'href="/documents/{stored.pk}/voir/"' in html
    assert "5 fichiers maximum, 5 Mo par fichier, en format JPEG, JPG, PNG, PDF." in html
    assert 'data-upload-url="/documents/televerser/envoi/"' in html
    assert 'data-max-files="5"' in html and f'data-max-bytes="{5 * MB}"' in html
    assert "css/uploader.css" in html
    # The script comes with the page (base.html, with the CSP nonce) or the admin's form media.
    assert "js/uploader.js" in str(ClaimForm(user=member.user).media)


def test_an_empty_list_says_so(member):
    html = unescape(str(ClaimForm(user=member.user)["files"]))
    assert "Liste des pièces jointes" in html
    assert "Aucune pièce jointe enregistrée." in html
    assert "data-upload-empty>" in html  # shown


def test_ticking_retirer_removes_the_file(member):
    kept, removed = _stored(member.user, "garde.pdf"), _stored(member.user, "retire.pdf")
    path = removed.file.name
    form = ClaimForm(
        _data(
            message="Bonjour", files=[str(kept.pk), str(removed.pk)], files_remove=str(removed.pk)
        ),
        user=member.user,
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["files"] == [kept]
    assert not StoredFile.objects.filter(pk=removed.pk).exists()
    assert not is_stored(path)
    assert _hidden_ids(str(form["files"])) == [str(kept.pk)]


def test_ids_of_another_members_files_are_refused(member, other_member):
    theirs = _stored(other_member.user, "leur-facture.pdf")
    form = ClaimForm(_data(message="Bonjour", files=str(theirs.pk)), user=member.user)

    assert not form.is_valid()
    assert form.errors["files"] == [GONE]
    assert "leur-facture.pdf" not in str(form["files"])


def test_retirer_does_nothing_to_another_members_file(member, other_member):
    theirs = _stored(other_member.user, "leur-facture.pdf")
    form = ClaimForm(_data(message="Bonjour", files_remove=str(theirs.pk)), user=member.user)

    assert form.is_valid()
    assert StoredFile.objects.filter(pk=theirs.pk).exists()
    assert is_stored(theirs.file.name)


def test_ids_that_are_not_ids_are_refused_without_a_500(member):
    form = ClaimForm(_data(message="Bonjour", files="../../etc/passwd"), user=member.user)
    assert not form.is_valid()
    assert form.errors["files"] == [GONE]


def test_a_sixth_file_is_refused_and_named(member):
    ids = [str(_stored(member.user, f"page{n}.pdf").pk) for n in range(4)]
    form = ClaimForm(
        _data(message="Bonjour", files=ids),
        _files(_pdf("page4.pdf"), _pdf("sixieme.pdf")),
        user=member.user,
    )

    assert not form.is_valid()
    assert form.errors["files"] == [
        "Le fichier « sixieme.pdf » n'a pas été joint : vous pouvez joindre au maximum 5 fichiers."
    ]
    assert StoredFile.objects.count() == 5
    assert not StoredFile.objects.filter(original_name="sixieme.pdf").exists()
    assert len(_hidden_ids(str(form["files"]))) == 5


def test_six_ids_are_refused(member):
    ids = [str(_stored(member.user, f"page{n}.pdf").pk) for n in range(6)]
    form = ClaimForm(_data(message="Bonjour", files=ids), user=member.user)
    assert not form.is_valid()
    assert form.errors["files"] == ["Vous pouvez joindre au maximum 5 fichiers."]


def test_a_docx_zip_bomb_is_refused_and_the_other_file_kept(technician):
    bomb = office_bytes(extra=[("word/media/zeros.bin", b"\0" * (60 * MB))])
    form = ConventionForm(
        _data(),
        _files(
            SimpleUploadedFile("convention.docx", bomb),
            SimpleUploadedFile("annexe.docx", office_bytes()),
        ),
        user=technician,
    )

    assert not form.is_valid()
    assert form.errors["files"] == [
        "Le fichier « convention.docx » est trop volumineux une fois décompressé."
    ]
    assert [f.original_name for f in StoredFile.objects.all()] == ["annexe.docx"]


def test_a_refused_file_is_named_and_the_valid_ones_kept(member):
    form = ClaimForm(
        _data(message="Bonjour"),
        _files(_pdf("programme.pdf", b"MZ" + b"\x90\x00" * 100), _pdf("facture.pdf")),
        user=member.user,
    )

    assert not form.is_valid()
    assert form.errors["files"] == [
        "Le fichier « programme.pdf » n'est pas d'un type accepté (JPEG, JPG, PNG, PDF)."
    ]
    assert _hidden_ids(str(form["files"])) == [str(StoredFile.objects.get().pk)]


def test_a_file_uploaded_under_other_rules_must_fit_this_forms_rules(technician):
    # A Word file accepted by a partner form is not accepted by "Envoyer un document".
    docx = _stored(technician, "convention.docx", PARTNER_REQUEST, office_bytes())
    form = ClaimForm(_data(message="Bonjour", files=str(docx.pk)), user=technician)

    assert not form.is_valid()
    assert form.errors["files"] == [
        "Le fichier « convention.docx » n'est pas d'un type accepté (JPEG, JPG, PNG, PDF)."
    ]


def test_the_required_message_asks_for_a_file(technician):
    form = ConventionForm(_data(), user=technician)
    assert not form.is_valid()
    assert form.errors["files"] == ["Joignez au moins un fichier."]


def test_a_form_built_from_a_plain_dict_works(member):
    stored = _stored(member.user)
    form = ClaimForm({"message": "Bonjour", "files": [str(stored.pk)]}, user=member.user)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["files"] == [stored]


def test_cleaning_twice_stores_the_files_once(member):
    form = ClaimForm(_data(message=""), _files(_pdf()), user=member.user)
    form.full_clean()
    form.full_clean()
    assert StoredFile.objects.count() == 1
    assert len(form.data.getlist("files")) == 1
