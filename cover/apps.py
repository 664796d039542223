from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverConfig(AppConfig):
    """The insurer's data shown to the member: contracts and guarantees, the cover of each
    beneficiary, bank details, reimbursements and the documents made from them (PDFs)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "cover"
    verbose_name = _("Couverture santé")
