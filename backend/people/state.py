"""The lifecycle of a Party member's reporting-in (双报到 registration): pending → approved | rejected,
decided by the compound's dispatcher or the community admin. No timeline table: the row keeps
who decided and when."""

from __future__ import annotations

from enum import StrEnum

from backend.kernel.lifecycle import Lifecycle
from backend.people.models import MemberRegistration, ResidentVerification


class RegistrationStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


S = RegistrationStatus
STATUS_LABELS = {S.pending: "待审核", S.approved: "已通过", S.rejected: "未通过"}
EVENT_LABELS = {"approved": "通过", "rejected": "驳回"}

REGISTRATION = Lifecycle(
    noun="报到申请",
    model=MemberRegistration,
    statuses=RegistrationStatus,
    transitions=[(S.pending, "approved", S.approved), (S.pending, "rejected", S.rejected)],
    status_labels=STATUS_LABELS,
    event_labels=EVENT_LABELS,
    verbs=EVENT_LABELS,
    versioned=False,
    touch=None,
    conflict_code="registration_decided",
    changed_code="registration_decided",
    changed_message="该报到申请已被他人处理",
)


# ---- 住户认证: a claim to a household -----------------------------------------------------------


class VerificationStatus(StrEnum):
    pending = "pending"
    verified = "verified"
    rejected = "rejected"
    withdrawn = "withdrawn"  # the account claimed another household, or another compound
    left = "left"  # 迁出: the verified resident left the household (or moved)


V = VerificationStatus
VERIFICATION = Lifecycle(
    noun="住户认证",
    model=ResidentVerification,
    statuses=VerificationStatus,
    transitions=[
        (V.pending, "phone_matched", V.verified),
        (V.pending, "approved", V.verified),
        (V.pending, "rejected", V.rejected),
        (V.pending, "withdrawn", V.withdrawn),
        (V.verified, "left", V.left),
    ],
    status_labels={
        V.pending: "待审核",
        V.verified: "已认证",
        V.rejected: "未通过",
        V.withdrawn: "已撤回",
        V.left: "已迁出",
    },
    event_labels={
        "phone_matched": "手机号认证",
        "approved": "通过",
        "rejected": "不通过",
        "withdrawn": "撤回",
        "left": "迁出",
    },
    versioned=False,
    touch=None,
    conflict_code="already_decided",
    changed_code="already_decided",
    changed_message="这条认证已经处理过了",
)
SHOWN = frozenset({V.pending, V.verified, V.rejected})  # the claim /me shows (a withdrawn or left one is history)
