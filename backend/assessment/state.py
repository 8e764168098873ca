"""The lifecycle of a community's entered indicator value, declared once.

entry:  pending ─approved→ approved        (the street accepts the value and its evidence)
        pending ─rejected→ rejected        (with a reason)
        rejected | approved ─reentered→ pending   (the community enters a new value)
"""

from __future__ import annotations

from enum import StrEnum

from backend.assessment.models import IndicatorEntry
from backend.kernel.lifecycle import Lifecycle


class EntryStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


E = EntryStatus
ENTRY = Lifecycle(
    noun="指标填报",
    model=IndicatorEntry,
    statuses=EntryStatus,
    transitions=[
        (E.pending, "approved", E.approved),
        (E.pending, "rejected", E.rejected),
        (E.rejected, "reentered", E.pending),
        (E.approved, "reentered", E.pending),
        (E.pending, "reentered", E.pending),
    ],
    status_labels={E.pending: "待审核", E.approved: "已通过", E.rejected: "未通过"},
    event_labels={"approved": "审核通过", "rejected": "退回", "reentered": "重新填报"},
    verbs={"approved": "审核通过", "rejected": "退回", "reentered": "重新填报"},
)
