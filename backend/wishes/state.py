"""The wish lifecycle, declared once: statuses, the allowed transitions, labels and verbs.

pending_review ─approved→ open ─dispatched→ dispatched ─accepted→ accepted ─completed→ completed
      └─rejected→ rejected     └─claimed→ accepted   └─declined/offer_expired→ open
completed ─confirmed/auto_closed→ closed
cancelled: from pending_review, open, dispatched or accepted (by the requester)
"""

from __future__ import annotations

from enum import StrEnum

from backend.kernel.lifecycle import Lifecycle
from backend.wishes.models import Wish, WishEvent


class WishStatus(StrEnum):
    pending_review = "pending_review"
    rejected = "rejected"
    open = "open"
    dispatched = "dispatched"
    accepted = "accepted"
    completed = "completed"
    closed = "closed"
    cancelled = "cancelled"


S = WishStatus
STATUSES = tuple(S)
# a Party member holds the wish: its requester's identity is shown to the member and the branch
TAKEN = frozenset({S.accepted, S.completed, S.closed})
# a member holds it and has not finished: the requester may reach them (联系党员)
CONTACTABLE = frozenset({S.accepted, S.completed})
# offered to a member or taken by one: no longer on the wall
OFFERED_OR_TAKEN = frozenset({S.dispatched, *TAKEN})

STATUS_LABELS = {
    S.pending_review: "待审核",
    S.rejected: "未通过",
    S.open: "待认领",
    S.dispatched: "已派单",
    S.accepted: "服务中",
    S.completed: "待确认",
    S.closed: "已完成",
    S.cancelled: "已取消",
}

TRANSITIONS = [
    (S.pending_review, "approved", S.open),
    (S.pending_review, "rejected", S.rejected),
    (S.open, "dispatched", S.dispatched),
    (S.open, "claimed", S.accepted),
    (S.dispatched, "accepted", S.accepted),
    (S.dispatched, "declined", S.open),
    (S.dispatched, "offer_expired", S.open),
    (S.accepted, "completed", S.completed),
    (S.completed, "confirmed", S.closed),
    (S.completed, "auto_closed", S.closed),
    (S.pending_review, "cancelled", S.cancelled),
    (S.open, "cancelled", S.cancelled),
    (S.dispatched, "cancelled", S.cancelled),
    (S.accepted, "cancelled", S.cancelled),
]

# Events that record something without changing the status.
NOTE_EVENTS = frozenset({"contact_disclosed", "created", "callback_requested"})

EVENT_LABELS = {
    "created": "提交心愿",
    "approved": "审核通过",
    "rejected": "审核未通过",
    "dispatched": "派单",
    "claimed": "党员认领",
    "accepted": "党员接单",
    "declined": "党员婉拒",
    "offer_expired": "派单超时未响应",
    "completed": "党员完成服务",
    "confirmed": "居民确认评价",
    "auto_closed": "超时自动关闭",
    "cancelled": "居民取消",
    "contact_disclosed": "联系方式已向接单党员公开",
    "callback_requested": "居民请党员回电",
}

# Verbs for error messages: "心愿当前状态为「已完成」，不能<verb>".
VERBS = {
    "approved": "审核通过",
    "rejected": "驳回",
    "dispatched": "派单",
    "claimed": "认领",
    "accepted": "接单",
    "declined": "婉拒",
    "offer_expired": "超时退回",
    "completed": "提交完成",
    "confirmed": "确认评价",
    "auto_closed": "自动关闭",
    "cancelled": "取消",
    "callback_requested": "请党员回电",
}

WISH = Lifecycle(
    noun="心愿",
    model=Wish,
    statuses=WishStatus,
    transitions=TRANSITIONS,
    status_labels=STATUS_LABELS,
    event_labels=EVENT_LABELS,
    verbs=VERBS,
    note_events=NOTE_EVENTS,
    event_model=WishEvent,
    event_fk="wish_id",
)
