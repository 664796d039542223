"""What a member's fiche shows a manager (fiche adhérent): identity and contacts, contracts and
options, beneficiaries, the last reimbursements, the requests, sign-in channels and remembered
browsers. Reads only; the NIR stays masked unless `show_nir` (which the view journals), and no
secret (code hash, TOTP key, browser key) ever leaves its row."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.codes import mask_target
from accounts.models import CodeDevice, Member, TrustedBrowser
from casework.lifecycle import case_type_of
from casework.models import Side
from cover.models import Contract, OptionalCover, Reimbursement
from requests_app.models import MemberRequest

HIDDEN = "•"
LAST_REIMBURSEMENTS = 10
LAST_REQUESTS = 50


def nir_masked(nir: str) -> str:
    """The sex digit and the key only (as the member's own "Mes bénéficiaires" page shows it)."""
    compact = "".join((nir or "").split())
    if len(compact) != 15:
        return HIDDEN * 3 if compact else ""
    return " ".join([compact[0], *(HIDDEN * size for size in (2, 2, 2, 3, 3)), compact[-2:]])


def nir_spaced(nir: str) -> str:
    compact = "".join((nir or "").split())
    if len(compact) != 15:
        return compact
    cuts = [0, 1, 3, 5, 7, 10, 13, 15]
    return " ".join(compact[a:b] for a, b in zip(cuts, cuts[1:], strict=False))


@dataclass
class Fiche:
    member: Member
    nir: str
    contracts: list
    beneficiaries: list
    reimbursements: list
    requests: list
    requests_total: int
    channels: list = field(default_factory=list)
    browsers: list = field(default_factory=list)
    last_login: object = None


def member_fiche(member: Member, *, show_nir: bool) -> Fiche:
    shown = nir_spaced if show_nir else nir_masked
    contracts = list(
        Contract.objects.filter(member=member)
        .select_related("product")
        .prefetch_related(Prefetch("options", queryset=OptionalCover.objects.order_by("position")))
        .order_by("-start_date")
    )
    beneficiaries = [
        {"person": b, "nir": shown(b.nir)} for b in member.beneficiaries.order_by("birth_date")
    ]
    reimbursements = list(
        Reimbursement.objects.filter(member=member)
        .select_related("payment", "beneficiary")
        .order_by("-care_date", "-pk")[:LAST_REIMBURSEMENTS]
    )
    requests = MemberRequest.objects.filter(member=member)
    fiche = Fiche(
        member=member,
        nir=shown(member.nir),
        contracts=contracts,
        beneficiaries=beneficiaries,
        reimbursements=reimbursements,
        requests=[
            {
                "request": case,
                "status": case_type_of(case).status_label(case.status, Side.INSURER),
            }
            for case in requests.select_related("member", "beneficiary", "assignee").order_by(
                "-created_at"
            )[:LAST_REQUESTS]
        ],
        requests_total=requests.count(),
    )
    user = member.user
    if user is not None:
        fiche.last_login = user.last_login
        fiche.channels = [
            {
                "label": device.get_channel_display(),
                "target": mask_target(device),
                "confirmed": device.confirmed,
                "last_used_at": device.last_used_at,
            }
            for device in CodeDevice.objects.filter(user=user).order_by("channel", "pk")
        ]
        fiche.channels += [
            {
                "label": "TOTP",
                "target": "",
                "confirmed": device.confirmed,
                "last_used_at": device.last_used_at,
            }
            for device in TOTPDevice.objects.filter(user=user).order_by("pk")
        ]
        fiche.browsers = list(
            TrustedBrowser.objects.filter(user=user)
            .order_by("-verified_at")
            .values("created_at", "verified_at", "last_ip")
        )
    return fiche
