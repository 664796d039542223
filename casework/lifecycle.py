"""How each case type moves: its statuses, its moves, who makes them, what they announce.

An app declares its case type by subclassing `CaseType` and registering it from its
`AppConfig.ready()`; the services, the notifications, the admin kit and the file rules then
read the declaration, so a workflow change is one edit in one place.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from casework.models import Case, CaseStatus, Side
from documents.rules import UploadRules

NONE, OPTIONAL, REQUIRED = "none", "optional", "required"

# A shape beside each status's words, so that a badge reads without its colour.
STATUS_MARKS = {"new": "●", "in_progress": "◐", "awaiting": "○", "resolved": "✓", "cancelled": "✕"}


@dataclass(frozen=True)
class Move:
    """One step a case may take.

    `target` None keeps the status (a message added to an open request). `side` says who may
    make it; `message` whether it carries text and files; `notification` names the email it
    sends the requester (looked up in the case type's `notice`), "" for none.
    """

    name: str
    sources: frozenset
    target: str | None
    side: str
    label: Promise
    message: str = NONE
    notification: str = ""
    # For the admin's pages: the address piece of the move ("resoudre").
    slug: str = ""
    # Allowed only this many days after the case was resolved (re-opening).
    within_days_of_resolution: int | None = None
    # Said when the text is missing.
    empty_message: Promise = field(default=_("Écrivez votre message."))


def move(name, sources, target, side, label, **options) -> Move:
    return Move(name=name, sources=frozenset(sources), target=target, side=side, label=label,
                **options)  # fmt: skip


N, P, A, R, C = (
    CaseStatus.NEW,
    CaseStatus.IN_PROGRESS,
    CaseStatus.AWAITING,
    CaseStatus.RESOLVED,
    CaseStatus.CANCELLED,
)

# The moves both case types share; each type adds or replaces what differs.
SUBMIT = move("submit", [""], N, Side.REQUESTER, _("Envoyer"))
TAKE = move("take", [N], P, Side.INSURER, _("Prendre en charge"), notification="taken",
            slug="prendre-en-charge")  # fmt: skip
ASK = move(
    "ask", [P], A, Side.INSURER, _("Demander un complément"), message=REQUIRED,
    notification="asked", slug="demander-un-complement",
    empty_message=_("Écrivez ce qui manque pour traiter la demande."),
)  # fmt: skip
REPLY = move("reply", [A], P, Side.REQUESTER, _("Répondre"), message=REQUIRED,
             empty_message=_("Écrivez votre réponse."))  # fmt: skip
RESOLVE = move(
    "resolve", [P, A], R, Side.INSURER, _("Résoudre"), message=REQUIRED,
    notification="resolved", slug="resoudre", empty_message=_("Écrivez la réponse."),
)  # fmt: skip
CANCEL = move("cancel", [N], C, Side.REQUESTER, _("Annuler la demande"))
REMIND = move("remind", [A], None, "system", _("Relance"), notification="reminder")


@dataclass
class Notice:
    """An email to send: to whom, its subject, its templates (`.txt` and `.html`), context."""

    to: str
    subject: str
    template: str
    context: dict


class CaseType:
    """The declaration of one kind of case. Subclasses set the class attributes and implement
    the methods that raise NotImplementedError."""

    key: str = ""
    model: type[Case]
    # The status labels the requester reads (`model.status` choices); the managers' queue may
    # word some differently (`insurer_labels`).
    statuses: type = CaseStatus
    insurer_labels: dict = {}
    moves: tuple[Move, ...] = ()
    # The requester's message files: the most one message may carry comes from `file_rules`,
    # the most the requester may send for one case in all (first sending included) is this.
    max_requester_files: int = 8
    # Whether the requester may open the files they sent (the partners' guide says no).
    requester_reads_own_files: bool = True
    # Reasons offered to cancel (code -> label).
    cancel_reasons: dict = {}
    # The model field whose choices are the case's request types (answer templates and target
    # delays are set per type, the dashboard counts by type).
    type_field: str = "kind"

    def __init__(self):
        self._moves = {m.name: m for m in self.moves}

    # -- The declaration ------------------------------------------------------------------------
    def move(self, name: str) -> Move:
        return self._moves[name]

    def has_move(self, name: str) -> bool:
        return name in self._moves

    def insurer_moves(self) -> list[Move]:
        return [m for m in self.moves if m.side == Side.INSURER]

    def status_label(self, status: str, side: str = Side.REQUESTER) -> str:
        if side == Side.INSURER and status in self.insurer_labels:
            return str(self.insurer_labels[status])
        try:
            return str(self.statuses(status).label)
        except ValueError:
            return status

    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model)

    # -- What each type says about its cases ----------------------------------------------------
    def reference(self, case) -> str:
        raise NotImplementedError

    def party_id(self, case) -> int:
        """The requester side's owner of the case (a member, a structure)."""
        raise NotImplementedError

    def file_rules(self, case) -> UploadRules | None:
        """What one requester message may carry (the rules of the form the case came from);
        None when the case takes no files."""
        raise NotImplementedError

    def file_retention(self, side: str) -> timedelta | None:
        """How long files sent on this case type stay (None: as long as the space exists)."""
        raise NotImplementedError

    def requester_cases(self, user) -> QuerySet | None:
        """The cases `user` may read as a requester (None: none)."""
        raise NotImplementedError

    def insurer_cases(self, user) -> QuerySet | None:
        """The cases `user` may read as an insurer manager (None: none)."""
        raise NotImplementedError

    def notice(self, event, case, message) -> Notice | None:
        """The email an event announces (its `notification`), or None when nobody can get it."""
        raise NotImplementedError

    def request_type(self, case) -> str:
        """ "member_request:document": the key answer templates and target delays use."""
        return f"{self.key}:{getattr(case, self.type_field)}"

    def addressee(self, case) -> tuple[str, str, str]:
        """(civilité, prénom, nom) of the person an answer speaks to, for answer templates."""
        return ("", "", "")

    def may_email_text(self, case) -> bool:
        """Whether the managers may send their message's text by email as well."""
        return False

    def email_text_by_default(self, case) -> bool:
        return False

    def on_moved(self, case, move: Move, event, **data) -> list[str]:
        """Side effects of a move inside its transaction (counters, fields of the app's own).
        Returns the names of other fields of `case` to save."""
        return []


_by_model: dict[type[Model], CaseType] = {}


def register(case_type: CaseType) -> CaseType:
    """Declare a case type (from its app's `AppConfig.ready()`)."""
    _by_model[case_type.model] = case_type
    return case_type


def case_type_of(case_or_model) -> CaseType:
    model = case_or_model if isinstance(case_or_model, type) else type(case_or_model)
    model = model._meta.concrete_model
    return _by_model[model]


def case_type_for(content_type_id: int) -> CaseType:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return _by_model[model]


def case_types() -> list[CaseType]:
    return list(_by_model.values())
