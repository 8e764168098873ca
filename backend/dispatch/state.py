"""The order lifecycle, declared once. An order is a wish offered to one Party member (dispatch)
or claimed by one (claim); it has no timeline of its own (the wish's carries its events).

dispatch → offered ─accepted→ accepted ─completed→ completed
             ├─declined→ declined   └─cancelled→ cancelled
             ├─expired→ expired
             └─cancelled→ cancelled
claim → accepted
"""

from __future__ import annotations

from enum import StrEnum

from backend.dispatch.models import Order
from backend.kernel.lifecycle import Lifecycle


class OrderStatus(StrEnum):
    offered = "offered"
    accepted = "accepted"
    declined = "declined"
    expired = "expired"
    completed = "completed"
    cancelled = "cancelled"


class OrderKind(StrEnum):
    dispatch = "dispatch"  # 派单: offered by the Party branch, the member accepts or declines
    claim = "claim"  # 认领: taken from the wish wall, accepted at once


S = OrderStatus
STATUSES = tuple(S)
LIVE = (S.offered, S.accepted)  # at most one live order per wish (a partial unique index)
# an offer that stands taken: counted in the member's acceptance rate
TAKEN = frozenset({S.accepted, S.completed})

STATUS_LABELS = {
    S.offered: "待接单",
    S.accepted: "服务中",
    S.declined: "已婉拒",
    S.expired: "已超时",
    S.completed: "已完成",
    S.cancelled: "已取消",
}

TRANSITIONS = [
    (S.offered, "accepted", S.accepted),
    (S.offered, "declined", S.declined),
    (S.offered, "expired", S.expired),
    (S.offered, "cancelled", S.cancelled),
    (S.accepted, "completed", S.completed),
    (S.accepted, "cancelled", S.cancelled),
]

EVENT_LABELS = {
    "accepted": "接单",
    "declined": "婉拒",
    "expired": "超时未响应",
    "completed": "完成",
    "cancelled": "取消",
}

ORDER = Lifecycle(
    noun="订单",
    model=Order,
    statuses=OrderStatus,
    transitions=TRANSITIONS,
    status_labels=STATUS_LABELS,
    event_labels=EVENT_LABELS,
    verbs=EVENT_LABELS,
    versioned=False,
    touch=None,
)
