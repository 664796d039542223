import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Types a browser displays safely inline (served sandboxed, with nosniff); others download.
PREVIEWABLE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})


class StoredFile(models.Model):
    """An uploaded file (pièce jointe), kept under a random name in the default storage.

    The storage is never served directly: the file leaves only through the checked download view.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    file = models.FileField(_("fichier"), max_length=255)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    content_type = models.CharField(_("type détecté"), max_length=127)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déposé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uploaded_files",
    )
    created_at = models.DateTimeField(_("déposé le"), default=timezone.now)
    # Set when the file joins something sent (a request, an answer); until then it is a pending
    # upload, removable by its uploader and purged as an orphan after UPLOAD_ORPHAN_DELAY.
    attached_at = models.DateTimeField(_("joint le"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("supprimé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("fichier déposé")
        verbose_name_plural = _("fichiers déposés")
        indexes = [
            models.Index(fields=["created_at"]),
            # The purge reads only live files: what is due, never the rows of files long gone.
            models.Index(
                fields=["expires_at"],
                condition=models.Q(deleted_at__isnull=True),
                name="storedfile_due",
            ),
            models.Index(
                fields=["created_at"],
                condition=models.Q(attached_at__isnull=True, deleted_at__isnull=True),
                name="storedfile_pending",
            ),
        ]

    def __str__(self):
        return self.original_name

    @property
    def is_pending(self) -> bool:
        return self.attached_at is None and self.deleted_at is None

    @property
    def is_previewable(self) -> bool:
        """Shown in the browser (the "eye") rather than only downloaded."""
        return self.content_type in PREVIEWABLE_TYPES

    def is_available(self, now=None) -> bool:
        """False once the file was deleted or its retention period is over."""
        now = now or timezone.now()
        return self.deleted_at is None and (self.expires_at is None or self.expires_at > now)
