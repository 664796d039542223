"""Attachments on any form of the portal: one field, one widget, one way to keep files.

A form with an `AttachmentsField` mixes in `AttachmentsFormMixin` and is built with `user=`.
Files reach the server two ways that end the same:
- with JavaScript (static/js/uploader.js), the widget uploads each file as soon as it is chosen
  or dropped (progress bar) to the upload endpoint, which stores it as a *pending* `StoredFile`,
  and the form posts only its id;
- without JavaScript, the files come with the form (`<name>_files`) and are stored as pending
  files when the form is cleaned, whether or not the rest of the form is valid.
Either way the form's data then holds the ids of every accepted file, so a page shown again for
an error elsewhere (or after "Retour" from the summary) lists them: nobody uploads twice.
"""

import datetime
import json
import uuid

from django import forms
from django.conf import settings
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.models import StoredFile
from documents.rules import UploadRules
from documents.services import pending_upload_remove, stored_file_create
from documents.validation import UploadRejected, extension_of

# Left in the messages handed to the browser, which puts the file's name there.
NAME_PLACEHOLDER = "%(name)s"


def _getlist(data, key) -> list:
    """`data.getlist(key)` for a QueryDict, and something sensible for a plain dict."""
    getlist = getattr(data, "getlist", None)
    if getlist is not None:
        return getlist(key)
    value = data.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def pending_files_of(user, ids) -> dict[str, StoredFile]:
    """The pending uploads of `user` among `ids`, by id; anything else is ignored (another
    person's files, files already sent, removed or past their orphan delay, malformed ids)."""
    valid = []
    for value in ids:
        try:
            valid.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    if not valid or user is None or not user.is_authenticated:
        return {}
    files = StoredFile.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()),
        pk__in=valid,
        uploaded_by=user,
        attached_at__isnull=True,
        deleted_at__isnull=True,
    )
    return {str(stored.pk): stored for stored in files}


# Only the uploads of the last hours count against settings.UPLOAD_PENDING_LIMIT: forms left
# unsent earlier in the day (closed tabs) must not block today's work until the orphan purge.
PENDING_COUNT_HOURS = 3


def pending_upload_count(user) -> int:
    """How many pending uploads `user` made in the last PENDING_COUNT_HOURS hours (capped by
    settings.UPLOAD_PENDING_LIMIT)."""
    since = timezone.now() - datetime.timedelta(hours=PENDING_COUNT_HOURS)
    return StoredFile.objects.filter(
        uploaded_by=user, attached_at__isnull=True, deleted_at__isnull=True, created_at__gte=since
    ).count()


def too_many_pending_message(name: str, *, with_link: bool = False) -> str:
    """The refusal, with (in a page) the link to the "Fichiers en attente" page that frees
    them; the upload widget adds that link itself from its JSON."""
    message = _(
        "Le fichier « %(name)s » n'a pas été joint : trop de fichiers sont en attente "
        "d'envoi. Envoyez ou abandonnez vos autres demandes."
    ) % {"name": name}
    if not with_link:
        return message
    return format_html(
        '{} <a href="{}" target="_blank" rel="noopener">{}</a>',
        message,
        reverse("documents:pending"),
        discard_link_label(),
    )


def discard_link_label() -> str:
    return _("Abandonner les fichiers en attente (nouvel onglet)")


def too_many_files_message(name: str, rules: UploadRules) -> str:
    return _(
        "Le fichier « %(name)s » n'a pas été joint : vous pouvez joindre au maximum "
        "%(count)s fichiers."
    ) % {"name": name, "count": rules.max_files}


def browser_messages(rules: UploadRules) -> dict[str, str]:
    """The texts the upload script shows, translated here (the script has no catalogue).

    The refusals are the server's own messages, so a file refused in the browser reads the
    same as one refused by the server; `%(name)s` is left for the script to fill in.
    """
    name = {"name": NAME_PLACEHOLDER}
    return {
        "drop": _("Glissez-déposez vos fichiers ici ou"),
        "browse": _("Parcourir…"),
        "view": _("Voir"),
        "remove": _("Retirer"),
        "cancel": _("Annuler l'envoi"),
        "progress": _("Envoi de « %(name)s »") % name,
        "added": _("Le fichier « %(name)s » a été joint.") % name,
        "removed": _("Le fichier « %(name)s » a été retiré.") % name,
        "cancelled": _("L'envoi du fichier « %(name)s » a été annulé.") % name,
        "busy": _("Patientez : l'envoi des fichiers n'est pas terminé."),
        "too_many": too_many_files_message(NAME_PLACEHOLDER, rules),
        "too_large": _("Le fichier « %(name)s » dépasse la taille maximale de %(size)s Mo.")
        % {**name, "size": rules.max_megabytes},
        "empty": _("Le fichier « %(name)s » est vide.") % name,
        "not_accepted": _("Le fichier « %(name)s » n'est pas d'un type accepté (%(types)s).")
        % {**name, "types": rules.extensions_label},
        "failed": _(
            "L'envoi du fichier « %(name)s » a échoué. Vérifiez votre connexion et réessayez."
        )
        % name,
        "session": _(
            "Le fichier « %(name)s » n'a pas été joint : votre session a expiré. "
            "Reconnectez-vous, s'il vous plaît."
        )
        % name,
        "remove_failed": _("Le fichier « %(name)s » n'a pas pu être retiré. Réessayez.") % name,
    }


class AttachmentsWidget(forms.Widget):
    template_name = "documents/widgets/attachments.html"

    class Media:
        # The admin renders its forms' media; the portal's base.html loads it with the nonce.
        js = ["js/uploader.js"]

    # Set by AttachmentsField and AttachmentsFormMixin.
    user = None
    rules: UploadRules | None = None
    texts: dict | None = None

    def value_from_datadict(self, data, files, name):
        return [value for value in _getlist(data, name) if value]

    def value_omitted_from_data(self, data, files, name):
        return False

    def format_value(self, value):
        if value in (None, ""):
            return []
        if isinstance(value, str | uuid.UUID | StoredFile):
            value = [value]
        return [str(getattr(v, "pk", v)) for v in value]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        ids = list(dict.fromkeys(context["widget"]["value"]))
        found = pending_files_of(self.user, ids)
        rules = self.rules
        texts = self.texts or {}
        messages = browser_messages(rules)
        messages.update({key: str(texts[key]) for key in ("drop", "browse") if key in texts})
        context["widget"].update(
            {
                "files": [found[i] for i in ids if i in found],
                "rules": rules,
                "upload_url": reverse("documents:upload", args=[rules.key]),
                "file_input_name": f"{name}_files",
                "remove_name": f"{name}_remove",
                "messages_json": json.dumps(messages, ensure_ascii=False),
                "hint": texts.get("hint", ""),
                "title": texts.get("title", ""),
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

    def __init__(self, *, rules: UploadRules, texts: dict | None = None, **kwargs):
        """`texts` lets a form word the widget as its guide does: "hint" replaces the rules
        line, "title" labels the drop zone, "drop" and "browse" the enhanced zone's text and
        button. Missing keys keep the portal's wording."""
        self.rules = rules
        self.texts = dict(texts or {})
        kwargs.setdefault("label", gettext_lazy("Pièces jointes"))
        super().__init__(**kwargs)
        self.widget.rules = rules
        self.widget.texts = self.texts
        self.user = None

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.rules = self.rules
        result.widget.texts = self.texts
        return result

    def clean(self, value):
        if isinstance(value, str):
            value = [value]
        ids = list(dict.fromkeys(str(v) for v in value or [] if v))
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
        files = [found[i] for i in ids]
        # A file checked against another form's rules (uploaded with another rules key) must
        # still fit this form's.
        refusals = [message for f in files if (message := self.rules_refusal(f))]
        if refusals:
            raise forms.ValidationError(refusals, code="rules")
        return files

    def rules_refusal(self, stored: StoredFile) -> str:
        """Why `stored` does not fit this field's rules, or ""."""
        if stored.size > self.rules.max_bytes:
            return _("Le fichier « %(name)s » dépasse la taille maximale de %(size)s Mo.") % {
                "name": stored.original_name,
                "size": self.rules.max_megabytes,
            }
        accepted = self.rules.allowed.get(extension_of(stored.original_name), ())
        if stored.content_type not in accepted:
            return _("Le fichier « %(name)s » n'est pas d'un type accepté (%(types)s).") % {
                "name": stored.original_name,
                "types": self.rules.extensions_label,
            }
        return ""


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
            field.widget.texts = field.texts

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
        form's data at the kept ids. Valid files are kept even when others are refused.

        Runs once: the files are taken out of the form's data as they are stored.
        """
        data = _mutable_copy(self.data)
        files = self.files.copy() if self.files else None
        for name, field in self.attachment_fields():
            key = self.add_prefix(name)
            ids = list(dict.fromkeys(v for v in _getlist(data, key) if v))
            removed_ids = [v for v in _getlist(data, f"{key}_remove") if v]
            for stored in pending_files_of(self.user, removed_ids).values():
                pending_upload_remove(stored_file=stored, by=self.user)
            ids = [v for v in ids if v not in removed_ids]
            errors = self._upload_errors.setdefault(name, [])
            for uploaded in files.getlist(f"{key}_files") if files else []:
                if not uploaded.name and not uploaded.size:
                    continue  # an empty file input some browsers send as a nameless part
                if len(ids) >= field.rules.max_files:
                    errors.append(too_many_files_message(uploaded.name, field.rules))
                    continue
                if pending_upload_count(self.user) >= settings.UPLOAD_PENDING_LIMIT:
                    errors.append(too_many_pending_message(uploaded.name, with_link=True))
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
            if not errors:
                del self._upload_errors[name]
        self.data = data
        if files is not None:
            self.files = files


def _mutable_copy(data) -> QueryDict | MultiValueDict:
    if isinstance(data, MultiValueDict):
        return data.copy()
    copied = MultiValueDict()
    for key, value in (data or {}).items():
        copied.setlist(key, list(value) if isinstance(value, list | tuple) else [value])
    return copied
