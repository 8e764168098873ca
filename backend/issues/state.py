"""The escalation lifecycle: the one table of allowed transitions and the events that cause them.

open ─whistled→ whistled ─responded→ responded ─resolved→ resolved ─confirmed/auto_confirmed→ confirmed
  │                │  └──────────────resolved──────────────↗   │  └─reopened→ reopened (back to the department)
  └─grid_resolved→ resolved        whistled/responded/reopened ─returned→ returned ─whistled→ whistled
"""

from __future__ import annotations

from enum import StrEnum

from backend.issues.models import GridIssue, IssueEvent
from backend.kernel.lifecycle import Lifecycle

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


class IssueStatus(StrEnum):
    open = "open"
    whistled = "whistled"
    responded = "responded"
    returned = "returned"
    resolved = "resolved"
    reopened = "reopened"
    confirmed = "confirmed"


S = IssueStatus
STATUSES = tuple(S)
STATUS_LABELS = {
    S.open: "待处理",
    S.whistled: "已吹哨",
    S.responded: "已响应",
    S.returned: "已退回",
    S.resolved: "已办结",
    S.reopened: "已重新打开",
    S.confirmed: "已确认",
}
LIVE = (S.whistled, S.responded, S.reopened)  # a department is on the clock
AWAITING_RESPONSE = (S.whistled, S.reopened)
# the grid still holds it: neither whistled nor resolved (the grid's own backlog)
WITH_GRID = (S.open, S.returned)

TRANSITIONS = [
    (S.open, "whistled", S.whistled),
    (S.returned, "whistled", S.whistled),
    (S.whistled, "responded", S.responded),
    (S.reopened, "responded", S.responded),
    (S.whistled, "returned", S.returned),
    (S.responded, "returned", S.returned),
    (S.reopened, "returned", S.returned),
    (S.whistled, "resolved", S.resolved),
    (S.responded, "resolved", S.resolved),
    (S.reopened, "resolved", S.resolved),
    (S.open, "grid_resolved", S.resolved),
    (S.resolved, "confirmed", S.confirmed),
    (S.resolved, "auto_confirmed", S.confirmed),
    (S.resolved, "reopened", S.reopened),
]
# Events that record something without changing the status.
NOTE_EVENTS = frozenset(
    {
        "created",
        "response_reminder",
        "disposal_reminder",
        "response_overdue",
        "disposal_overdue",
        "escalated",
        "grid_overdue",
        "grid_escalated",
    }
)
# with the grid past its disposal clock, these categories remind the grid worker, then the community admin
GRID_REMINDED = frozenset({"hazard", "dispute"})

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
    "grid_overdue": "超过网格处置时限",
    "grid_escalated": "网格超时未处置，提醒社区",
}
VERBS = {
    "whistled": "吹哨",
    "responded": "响应",
    "returned": "退回",
    "resolved": "办结",
    "grid_resolved": "办结",
    "confirmed": "确认评价",
    "auto_confirmed": "自动确认",
    "reopened": "重新打开",
}


ISSUE = Lifecycle(
    noun="事件",
    model=GridIssue,
    statuses=IssueStatus,
    transitions=TRANSITIONS,
    status_labels=STATUS_LABELS,
    event_labels=EVENT_LABELS,
    verbs=VERBS,
    note_events=NOTE_EVENTS,
    event_model=IssueEvent,
    event_fk="issue_id",
    event_values=lambda issue: {"department_id": issue.department_id},
)
