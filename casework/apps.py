from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Suivi des demandes")

    def ready(self):
        import casework.search  # noqa: F401  (registers the search functions on SQLite)
        from casework.access import manager_may_read_file, requester_may_read_file
        from documents.access import register_download_rule

        register_download_rule(requester_may_read_file)
        register_download_rule(manager_may_read_file)
