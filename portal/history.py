"""Who changed what and when on the insurer's reference data (issue 20, point 7), with
django-simple-history: each tracked model gets `history = HistoricalRecords()` (a historical
table written on every save and delete made through the ORM, with the signed-in manager from
`HistoryRequestMiddleware`), and its admin extends `ReferenceHistoryAdmin`, whose "Historique"
page lists the versions with their author, date and changed fields.

Bulk loads (`bulk_create`, `bulk_update`: the imports, the bench loaders) send no signal: the
imports record their versions in bulk themselves (`cover.imports.base.create_or_update`), and
nothing is written row by row."""

from simple_history.admin import SimpleHistoryAdmin


class ReferenceHistoryAdmin(SimpleHistoryAdmin):
    """The history of an object is read, never reverted from the admin: a correction is a new
    change, itself recorded."""

    def revert_disabled(self, request, obj=None):
        return True
