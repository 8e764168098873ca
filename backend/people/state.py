"""The lifecycle of a Party member's reporting-in (双报到 registration): pending → approved | rejected,
decided by the compound's dispatcher or the community admin. No timeline table: the row keeps
who decided and when."""

from __future__ import annotations

from enum import StrEnum

from backend.kernel.lifecycle import Lifecycle
from backend.people.models import MemberRegistration


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
