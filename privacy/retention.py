"""The retention policy (settings.RETENTION_POLICY) applied: one rule per key of the table,
each saying what it would touch today (`due`, for `retention_report`) and doing it (`apply`,
for the daily job). The job logs counts only, never who.

Rules applied elsewhere are reported here too, so the report covers the whole table: partner
and member files by documents' purge (every 15 minutes), remembered browsers by accounts'
purge (hourly), exports (data, statements, queues) by their hourly purge."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import AccountNotice, SignInRecord, TrustedBrowser, User
from casework.models import CaseMessage
from cover.models import StatementExport
from documents.models import StoredFile
from oversight.models import AccessEntry, QueueExport
from partners.models import Convention, ConventionCounter, PartnerRequest, PartnerRequestStatus
from partners.selectors import history_cache_keys
from privacy.models import DataExport, InactivityWarning
from privacy.notifications import inactivity_warning_send
from privacy.services import CLOSED_PREFIX, account_close
from requests_app.models import MemberRequest, MemberRequestCounter
from support.models import UnansweredQuestion

logger = logging.getLogger(__name__)


def years_before(moment: datetime, years: int) -> datetime:
    """The same day and time `years` earlier (28 February for a 29 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def years_after(moment: datetime, years: int) -> datetime:
    return years_before(moment, -years)


# -- Inactive spaces -----------------------------------------------------------------------
def _spaces():
    """Accounts of members and partners that can still sign in, with the moment their
    inactivity counts from (the last sign-in, else the account's creation)."""
    return (
        User.objects.filter(
            is_active=True,
            role__in=[User.Role.MEMBER, User.Role.TECHNICIAN, User.Role.PARTNER_MANAGER],
            is_staff=False,
        )
        .exclude(username__startswith=CLOSED_PREFIX)
        .annotate(inactive_since=Coalesce(F("last_login"), F("date_joined")))
    )


def inactive_spaces_due(now) -> dict[str, list]:
    """The accounts to warn (60 and 15 days before) and to close today."""
    years = settings.INACTIVE_SPACE_YEARS
    warnings = settings.INACTIVE_SPACE_WARNING_DAYS  # e.g. [60, 15]
    earliest = years_before(now + timedelta(days=max(warnings)), years)
    due = {f"warn_{days}": [] for days in warnings}
    due["close"] = []
    sent = {
        (w.user_id, w.inactive_since, w.days_before): w.sent_at
        for w in InactivityWarning.objects.filter(user__in=_spaces().filter(
            inactive_since__lte=earliest))
    }  # fmt: skip
    for user in _spaces().filter(inactive_since__lte=earliest).order_by("pk"):
        closes_at = years_after(user.inactive_since, years)
        left = closes_at - now
        last = min(warnings)
        last_sent = sent.get((user.pk, user.inactive_since, last))
        if left <= timedelta(0):
            # Closed only once the last warning is that old: nobody is closed unwarned.
            if last_sent and now - last_sent >= timedelta(days=last):
                due["close"].append(user)
            elif (user.pk, user.inactive_since, last) not in sent:
                due[f"warn_{last}"].append(user)
            continue
        # The latest warning whose day has come, if not sent yet (a first run inside the last
        # 15 days sends only the 15-day one).
        for days in sorted(warnings):
            if left <= timedelta(days=days):
                if (user.pk, user.inactive_since, days) not in sent:
                    due[f"warn_{days}"].append(user)
                break
    return due


def inactive_spaces_apply(now) -> dict[str, int]:
    due = inactive_spaces_due(now)
    done = {}
    for key, users in due.items():
        count = 0
        for user in users:
            if key == "close":
                count += account_close(user=user, now=now)
                continue
            days = int(key.removeprefix("warn_"))
            closes_at = max(years_after(user.inactive_since, settings.INACTIVE_SPACE_YEARS),
                            now + timedelta(days=days))  # fmt: skip
            with transaction.atomic():
                warning, created = InactivityWarning.objects.get_or_create(
                    user=user,
                    inactive_since=user.inactive_since,
                    days_before=days,
                    defaults={"closes_on": timezone.localdate(closes_at)},
                )
                if not created or warning.sent_at:
                    continue
                inactivity_warning_send(user=user, closes_on=warning.closes_on)
                InactivityWarning.objects.filter(pk=warning.pk).update(sent_at=now)
            count += 1
        done[key] = count
    return done


# -- Closed requests -----------------------------------------------------------------------
def _closed(queryset, now):
    """The requests resolved (or cancelled) more than CLOSED_REQUEST_YEARS ago."""
    limit = years_before(now, settings.CLOSED_REQUEST_YEARS)
    return queryset.filter(
        Q(status="resolved", resolved_at__lte=limit)
        | Q(status="cancelled", status_changed_at__lte=limit)
    ).order_by("pk")


def closed_requests_due(now):
    """Members' requests resolved (or cancelled) more than CLOSED_REQUEST_YEARS ago."""
    return _closed(MemberRequest.objects.all(), now)


def closed_partner_requests_due(now):
    """Partners' requests resolved (or cancelled) more than CLOSED_REQUEST_YEARS ago."""
    return _closed(PartnerRequest.objects.all(), now)


def closed_requests_apply(now) -> dict[str, int]:
    """Delete the due requests, members' and partners', with their journal, messages and files.
    The other requests of each history keep their order, renumbered without gaps, and its
    counter says so (the histories read pages by position)."""
    done = {"requests": 0, "partner_requests": 0, "files": 0}
    requests = list(closed_requests_due(now).only("pk", "member_id"))
    for member_id in sorted({r.member_id for r in requests}):
        ids = [r.pk for r in requests if r.member_id == member_id]
        with transaction.atomic():
            counter = MemberRequestCounter.objects.filter(member_id=member_id)
            counter.select_for_update().first()  # no request filed meanwhile
            done["files"] += _cases_delete(MemberRequest, ids, "member_requests")
            remaining = _renumber(MemberRequest.objects.filter(member_id=member_id))
            counter.update(requests=remaining)
        done["requests"] += len(ids)
    partner_requests = list(
        closed_partner_requests_due(now).only("pk", "structure_id", "organism_id")
    )
    for history in sorted({(r.structure_id, r.organism_id) for r in partner_requests}):
        ids = [r.pk for r in partner_requests if (r.structure_id, r.organism_id) == history]
        structure_id, organism_id = history
        with transaction.atomic():
            convention = Convention.objects.filter(structure_id=structure_id,
                                                   organism_id=organism_id).first()  # fmt: skip
            counter = ConventionCounter.objects.filter(convention=convention)
            counter.select_for_update().first()  # no request filed or cancelled meanwhile
            done["files"] += _cases_delete(PartnerRequest, ids, "partner_requests")
            kept = PartnerRequest.objects.filter(structure_id=structure_id, organism_id=organism_id)
            filed = _renumber(kept)
            listed = kept.exclude(status=PartnerRequestStatus.CANCELLED).count()
            counter.update(filed_requests=filed, listed_requests=listed)
            # Counts the history may have had within the hour, with other positions: nobody
            # reads them under the new numbering before this commits.
            cache.delete_many(history_cache_keys(structure_id, organism_id, filed, listed))
        done["partner_requests"] += len(ids)
    return done


def _cases_delete(model, ids, files_name) -> int:
    """Delete the cases `ids` of `model` with their journal and messages (generic relations)
    and the files sent with them or their messages (`files_name`: the files' relation to the
    cases); returns how many files went."""
    message_ids = CaseMessage.objects.filter(
        case_type__app_label=model._meta.app_label,
        case_type__model=model._meta.model_name,
        case_id__in=ids,
    ).values("pk")
    stored = list(
        StoredFile.objects.filter(
            Q(**{f"{files_name}__in": ids}) | Q(case_messages__in=message_ids)
        ).distinct()
    )
    for case in model.objects.filter(pk__in=ids):
        case.delete()
    for stored_file in stored:
        if stored_file.file:
            stored_file.file.delete(save=False)
        stored_file.delete()
    return len(stored)


def _renumber(history) -> int:
    """Number the requests of `history` (one member's, or one structure's at one organism)
    1, 2, 3... again, in the same order, after deletions; returns how many remain.

    Positions are unique within a history and checked row by row: the requests after the first
    gap move above every position first, then down to their new one, each one statement."""
    remaining = list(history.order_by("position").values_list("pk", "position"))
    moved = [(pk, new) for new, (pk, old) in enumerate(remaining, start=1) if new != old]
    if moved:
        above = remaining[-1][1]
        history.filter(pk__in=[pk for pk, _new in moved]).update(position=F("position") + above)
        model = history.model
        model.objects.bulk_update(
            [model(pk=pk, position=new) for pk, new in moved], ["position"], batch_size=1000
        )
    return len(remaining)


# -- Sign-in records -----------------------------------------------------------------------
def signin_records_due(now):
    return SignInRecord.objects.filter(at__lt=now - timedelta(days=settings.SIGNIN_RECORD_DAYS))


def signin_records_apply(now) -> dict[str, int]:
    deleted, _details = signin_records_due(now).delete()
    return {"records": deleted}


# -- Account notices, the access journal, the advisor's unanswered questions ------------------
def account_notices_due(now):
    # Counted from the send, or from the creation of one never sent (the catch-up gave up).
    limit = now - timedelta(days=settings.ACCOUNT_NOTICE_DAYS)
    return AccountNotice.objects.filter(
        Q(sent_at__lt=limit) | Q(sent_at__isnull=True, created_at__lt=limit)
    )


def access_journal_due(now):
    return AccessEntry.objects.filter(at__lt=now - timedelta(days=settings.ACCESS_JOURNAL_DAYS))


def unanswered_questions_due(now):
    limit = now - timedelta(days=settings.UNANSWERED_QUESTION_DAYS)
    return UnansweredQuestion.objects.filter(last_asked__lt=limit)


def _delete(queryset, name: str) -> dict[str, int]:
    deleted, _details = queryset.delete()
    return {name: deleted}


# -- The whole table -----------------------------------------------------------------------
def retention_report(now=None) -> list[tuple[str, dict[str, list[str]]]]:
    """What each rule of the table would touch today, rule by rule, as lists of identifiers
    (account numbers, request references, file ids): the dry run of `retention_report`."""
    now = now or timezone.now()
    report = []
    for rule in settings.RETENTION_POLICY:
        key = rule["key"]
        if key == "inactive_spaces":
            due = {
                what: [f"#{user.pk}" for user in users]
                for what, users in inactive_spaces_due(now).items()
            }
        elif key == "closed_requests":
            due = {
                "delete": list(closed_requests_due(now).values_list("reference", flat=True)),
                "delete_partner": list(
                    closed_partner_requests_due(now).values_list("number", flat=True)
                ),
            }
        elif key == "signin_records":
            due = {
                "delete": [f"#{pk}" for pk in signin_records_due(now).values_list("pk", flat=True)]
            }
        elif key == "account_notices":
            due = {
                "delete": [f"#{pk}" for pk in account_notices_due(now).values_list("pk", flat=True)]
            }
        elif key == "access_journal":
            due = {
                "delete": [f"#{pk}" for pk in access_journal_due(now).values_list("pk", flat=True)]
            }
        elif key == "unanswered_questions":
            due = {"delete": _ids(unanswered_questions_due(now))}
        elif key == "queue_exports":
            due = {"delete": _ids(QueueExport.objects.filter(expires_at__lte=now))}
        elif key == "remembered_browsers":
            limit = now - timedelta(days=settings.REMEMBER_BROWSER_DAYS)
            due = {"delete": [f"#{pk}" for pk in TrustedBrowser.objects.filter(
                verified_at__lt=limit).values_list("pk", flat=True)]}  # fmt: skip
        elif key == "data_exports":
            due = {"delete": _ids(DataExport.objects.filter(expires_at__lte=now))}
        elif key == "statement_exports":
            due = {"delete": _ids(StatementExport.objects.filter(expires_at__lte=now))}
        elif key in ("partner_files", "member_files"):
            sent = StoredFile.objects.filter(deleted_at__isnull=True, attached_at__isnull=False)
            due = {"delete": _ids(sent.filter(expires_at__lte=now))}
        else:  # pending uploads
            limit = now - settings.UPLOAD_ORPHAN_DELAY
            pending = StoredFile.objects.filter(deleted_at__isnull=True, attached_at__isnull=True)
            due = {"delete": _ids(pending.filter(created_at__lte=limit))}
        report.append((key, due))
    return report


def _ids(queryset) -> list[str]:
    return [str(pk) for pk in queryset.values_list("pk", flat=True)]


def retention_apply(now=None) -> dict[str, dict[str, int]]:
    """The daily job: warnings and closures of inactive spaces, deletion of old requests and
    sign-in records. Logs one line per rule, with counts only."""
    now = now or timezone.now()
    done = {
        "inactive_spaces": inactive_spaces_apply(now),
        "closed_requests": closed_requests_apply(now),
        "signin_records": signin_records_apply(now),
        "account_notices": _delete(account_notices_due(now), "notices"),
        "access_journal": _delete(access_journal_due(now), "entries"),
        "unanswered_questions": _delete(unanswered_questions_due(now), "questions"),
    }
    for rule, counts in done.items():
        logger.info(
            "retention rule=%s %s", rule, " ".join(f"{k}={v}" for k, v in sorted(counts.items()))
        )
    return done
