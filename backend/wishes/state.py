"""The wish lifecycle: the one table of allowed transitions and the event types that cause them."""

from __future__ import annotations

STATUSES = (
    "pending_review",
    "rejected",
    "open",
    "dispatched",
    "accepted",
    "completed",
    "closed",
    "cancelled",
)

STATUS_LABELS = {
    "pending_review": "待审核",
    "rejected": "未通过",
    "open": "待认领",
    "dispatched": "已派单",
    "accepted": "已接单",
    "completed": "待确认",
    "closed": "已完成",
    "cancelled": "已取消",
}

# (from, to) -> event types that may cause it.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    ("pending_review", "open"): frozenset({"approved"}),
    ("pending_review", "rejected"): frozenset({"rejected"}),
    ("open", "dispatched"): frozenset({"dispatched"}),
    ("open", "accepted"): frozenset({"claimed"}),
    ("dispatched", "accepted"): frozenset({"accepted"}),
    ("dispatched", "open"): frozenset({"declined", "offer_expired"}),
    ("accepted", "completed"): frozenset({"completed"}),
    ("completed", "closed"): frozenset({"confirmed", "auto_closed"}),
    ("pending_review", "cancelled"): frozenset({"cancelled"}),
    ("open", "cancelled"): frozenset({"cancelled"}),
    ("dispatched", "cancelled"): frozenset({"cancelled"}),
    ("accepted", "cancelled"): frozenset({"cancelled"}),
}

# Events that record something without changing the status (from_status == to_status).
NOTE_EVENTS = frozenset({"contact_disclosed", "created"})

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
}

# Verbs for error messages: "心愿当前状态为「已完成」，不能<verb>".
ACTION_VERBS = {
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
}


def allowed(from_status: str, to_status: str, event: str) -> bool:
    return event in TRANSITIONS.get((from_status, to_status), frozenset())
