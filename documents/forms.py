"""Attachments on any form of the portal: one field, one widget, one way to keep files.

A form with an `AttachmentsField` mixes in `AttachmentsFormMixin` and is built with `user=`.
Files reach the server two ways that end the same:
- with JavaScript, the widget uploads each file as soon as it is chosen (progress bar) to the
  upload endpoint, which stores it as a *pending* `StoredFile`, and posts only its id;
- without JavaScript, the files come with the form (`<name>_files`) and are stored as pending
  files when the form is cleaned, whether or not the rest of the form is valid.
Either way the form's data then holds the ids of every accepted file, so a page shown again for
an error elsewhere (or after "Retour" from the summary) lists them: nobody uploads twice.
"""

import uuid

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.models import StoredFile
from documents.rules import UploadRules
from documents.services import pending_upload_remove, stored_file_create
from documents.validation import UploadRejected


def pending_files_of(user, ids) -> dict[str, StoredFile]:
    """The pending uploads of `user` among `ids`, by id; anything else is ignored."""
    valid = []
    for value in ids:
        try:
            valid.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    if not valid or user is None or not user.is_authenticated:
        return {}
    files = StoredFile.objects.filter(
        pk__in=valid, uploaded_by=user, attached_at__isnull=True, deleted_at__isnull=True
    )
    return {str(stored.pk): stored for stored in files}


class AttachmentsWidget(forms.Widget):
    template_name = "documents/widgets/attachments.html"
    # Set by AttachmentsFormMixin.
    user = None
    rules: UploadRules | None = None

    def value_from_datadict(self, data, files, name):
        return [value for value in data.getlist(name) if value]

    def value_omitted_from_data(self, data, files, name):
        return False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        found = pending_files_of(self.user, value or [])
        rules = self.rules
        context["widget"].update(
            {
                "files": [found[str(v)] for v in value or [] if str(v) in found],
                "rules": rules,
                "upload_url": reverse("documents:upload", args=[rules.key]),
                "file_input_name": f"{name}_files",
                "remove_name": f"{name}_remove",
            }
        )
        return context


class AttachmentsField(forms.Field):
    """Pièces jointes: the cleaned value is the list of pending `StoredFile`s, in order."""

    widget = AttachmentsWidget
    default_error_messages = {
        "required": gettext_lazy("Joignez au moins un fichier."),
        "gone": gettext_lazy(
            "Un fichier joint n'est plus disponible : joignez-le de nouveau, s'il vous plaît."
        ),
    }

    def __init__(self, *, rules: UploadRules, **kwargs):
        self.rules = rules
        kwargs.setdefault("label", gettext_lazy("Pièces jointes"))
        super().__init__(**kwargs)
        self.widget.rules = rules
        self.user = None

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.rules = self.rules
        return result

    def clean(self, value):
        ids = [str(v) for v in value or []]
        if not ids:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        found = pending_files_of(self.user, ids)
        if any(i not in found for i in ids):
            raise forms.ValidationError(self.error_messages["gone"], code="gone")
        if len(ids) > self.rules.max_files:
            raise forms.ValidationError(
                _("Vous pouvez joindre au maximum %(count)s fichiers.")
                % {"count": self.rules.max_files},
                code="too_many",
            )
        return [found[i] for i in dict.fromkeys(ids)]


class AttachmentsFormMixin:
    """For forms with `AttachmentsField`s; build them with `user=` (the uploader)."""

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self._upload_errors: dict[str, list[str]] = {}
        for _name, field in self.attachment_fields():
            field.user = user
            field.widget.user = user
            field.widget.rules = field.rules

    def attachment_fields(self):
        return [(n, f) for n, f in self.fields.items() if isinstance(f, AttachmentsField)]

    def full_clean(self):
        if self.is_bound:
            self._store_uploads()
        super().full_clean()
        for name, errors in self._upload_errors.items():
            for error in errors:
                self.add_error(name, error)

    def _store_uploads(self):
        """Store the files sent with the form and remove those ticked "Retirer", then point the
        form's data at the kept ids. Valid files are kept even when others are refused."""
        data = self.data.copy()
        files = self.files.copy() if self.files else None
        for name, field in self.attachment_fields():
            key = self.add_prefix(name)
            ids = [v for v in data.getlist(key) if v]
            for removed in data.getlist(f"{key}_remove"):
                stored = pending_files_of(self.user, [removed]).get(str(removed))
                if stored is not None:
                    pending_upload_remove(stored_file=stored, by=self.user)
                ids = [v for v in ids if v != removed]
            errors = []
            new_files = files.getlist(f"{key}_files") if files else []
            for uploaded in new_files:
                if len(ids) >= field.rules.max_files:
                    errors.append(
                        _(
                            "Le fichier « %(name)s » n'a pas été joint : vous pouvez joindre au "
                            "maximum %(count)s fichiers."
                        )
                        % {"name": uploaded.name, "count": field.rules.max_files}
                    )
                    continue
                if pending_upload_count(self.user) >= settings.UPLOAD_PENDING_LIMIT:
                    errors.append(
                        _(
                            "Le fichier « %(name)s » n'a pas été joint : trop de fichiers sont en "
                            "attente d'envoi. Envoyez ou abandonnez vos autres demandes."
                        )
                        % {"name": uploaded.name}
                    )
                    continue
                try:
                    stored = stored_file_create(uploaded=uploaded, rules=field.rules, by=self.user)
                except UploadRejected as rejected:
                    errors.append(rejected.message)
                    continue
                ids.append(str(stored.pk))
            data.setlist(key, ids)
            data.pop(f"{key}_remove", None)
            if files is not None:
                files.pop(f"{key}_files", None)
            if errors:
                self._upload_errors[name] = errors
        self.data = data
        if files is not None:
            self.files = files


def pending_upload_count(user) -> int:
    return StoredFile.objects.filter(
        uploaded_by=user, attached_at__isnull=True, deleted_at__isnull=True
    ).count()
