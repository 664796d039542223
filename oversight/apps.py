from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    """What managers read and take out of the back office, and the trace of it: the member's
    fiche, the access journal (who opened which member, request or file, when and why), the
    exports of the queues. The journal is written from hooks the other apps offer (casework's
    case pages, documents' downloads), registered here so that they never import this app."""

    name = "oversight"
    verbose_name = _("Consultations et exports")

    def ready(self):
        from casework.admin import register_case_opened_listener
        from documents.access import register_read_listener
        from oversight.journal import case_opened_record, file_read_record

        register_case_opened_listener(case_opened_record)
        register_read_listener(file_read_record)
