"""The escalation lifecycle: the one table of allowed transitions and the events that cause them.

open ─whistled→ whistled ─responded→ responded ─resolved→ resolved ─confirmed/auto_confirmed→ confirmed
  │                │  └──────────────resolved──────────────↗   │  └─reopened→ reopened (back to the department)
  └─grid_resolved→ resolved        whistled/responded/reopened ─returned→ returned ─whistled→ whistled
"""

from __future__ import annotations

CATEGORIES = {
    "hazard": "安全隐患",
    "dispute": "矛盾纠纷",
    "environment": "环境卫生",
    "facility": "设施损坏",
    "illegal_building": "违章搭建",
    "market": "市场秩序",
    "public_order": "治安问题",
    "other": "其他",
}
URGENCIES = {"urgent": "紧急", "normal": "一般"}

STATUSES = ("open", "whistled", "responded", "returned", "resolved", "reopened", "confirmed")
STATUS_LABELS = {
    "open": "待处理",
    "whistled": "已吹哨",
    "responded": "已响应",
    "returned": "已退回",
    "resolved": "已办结",
    "reopened": "已重新打开",
    "confirmed": "已确认",
}
LIVE = ("whistled", "responded", "reopened")  # a department is on the clock
AWAITING_RESPONSE = ("whistled", "reopened")

TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    ("open", "whistled"): frozenset({"whistled"}),
    ("returned", "whistled"): frozenset({"whistled"}),
    ("whistled", "responded"): frozenset({"responded"}),
    ("reopened", "responded"): frozenset({"responded"}),
    ("whistled", "returned"): frozenset({"returned"}),
    ("responded", "returned"): frozenset({"returned"}),
    ("reopened", "returned"): frozenset({"returned"}),
    ("whistled", "resolved"): frozenset({"resolved"}),
    ("responded", "resolved"): frozenset({"resolved"}),
    ("reopened", "resolved"): frozenset({"resolved"}),
    ("open", "resolved"): frozenset({"grid_resolved"}),
    ("resolved", "confirmed"): frozenset({"confirmed", "auto_confirmed"}),
    ("resolved", "reopened"): frozenset({"reopened"}),
}
# Events that record something without changing the status.
NOTE_EVENTS = frozenset(
    {"created", "response_reminder", "disposal_reminder", "response_overdue", "disposal_overdue", "escalated"}
)

EVENT_LABELS = {
    "created": "网格上报事件",
    "whistled": "网格吹哨",
    "responded": "部门响应报到",
    "returned": "部门退回",
    "resolved": "部门办结",
    "grid_resolved": "网格自行办结",
    "confirmed": "网格确认评价",
    "auto_confirmed": "超时未评价，系统自动确认（不计入满意）",
    "reopened": "重新打开",
    "response_reminder": "响应时限提醒",
    "disposal_reminder": "处置时限提醒",
    "response_overdue": "响应超时",
    "disposal_overdue": "处置超时",
    "escalated": "逐级上报",
}
ACTION_VERBS = {
    "whistled": "吹哨",
    "responded": "响应",
    "returned": "退回",
    "resolved": "办结",
    "grid_resolved": "办结",
    "confirmed": "确认评价",
    "auto_confirmed": "自动确认",
    "reopened": "重新打开",
}


def allowed(from_status: str, to_status: str, event: str) -> bool:
    return event in TRANSITIONS.get((from_status, to_status), frozenset())
