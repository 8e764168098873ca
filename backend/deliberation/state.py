"""The agenda item and meeting lifecycles.

Agenda item: proposed ─scheduled→ scheduled (on a meeting) ─decided→ decided (adopted, rejected, referred)
             proposed ─merged→ merged (into another item) │ proposed ─declined→ declined (with a reason)
             scheduled ─deferred→ proposed (rolled to the next deliberation day; twice: flagged)
             decided ─done→ done (办结: its follow-up finished; rejected and referred items are done at once)
Meeting:     planned ─closed→ closed (with minutes, once every item has an outcome)
"""

from __future__ import annotations

from enum import StrEnum

from backend.deliberation.models import AgendaItem, Meeting
from backend.kernel.lifecycle import Lifecycle


class AgendaStatus(StrEnum):
    proposed = "proposed"
    scheduled = "scheduled"
    merged = "merged"
    declined = "declined"
    decided = "decided"
    done = "done"


class MeetingStatus(StrEnum):
    planned = "planned"
    closed = "closed"


A = AgendaStatus
DELIBERATED = frozenset({A.decided, A.done})  # the meeting reached an outcome on it
AGENDA = Lifecycle(
    noun="议题",
    model=AgendaItem,
    statuses=AgendaStatus,
    transitions=[
        (A.proposed, "scheduled", A.scheduled),
        (A.proposed, "merged", A.merged),
        (A.proposed, "declined", A.declined),
        (A.scheduled, "decided", A.decided),
        (A.scheduled, "deferred", A.proposed),
        (A.decided, "done", A.done),
    ],
    status_labels={
        A.proposed: "待议",
        A.scheduled: "已列入议程",
        A.merged: "已合并",
        A.declined: "不予上会",
        A.decided: "已议定",
        A.done: "已办结",
    },
    event_labels={
        "scheduled": "列入议程",
        "merged": "合并",
        "declined": "不予上会",
        "decided": "议定",
        "deferred": "暂缓",
        "done": "办结",
    },
    verbs={"scheduled": "列入议程", "merged": "合并", "declined": "不予上会", "decided": "议定", "deferred": "暂缓"},
)

OUTCOME_LABELS = {"adopted": "通过", "deferred": "暂缓", "rejected": "不通过", "referred": "转交办理"}
KIND_LABELS = {
    "deliberation_day": "党群议事日",
    "heart_to_heart": "恳谈会",
    "regular": "例会",
    "evaluation": "小区评议会",
}
SOURCE_LABELS = {"visit": "入户走访", "proposal": "社区提案", "resident": "居民征集", "staff": "工作人员"}

M = MeetingStatus
MEETING = Lifecycle(
    noun="会议",
    model=Meeting,
    statuses=MeetingStatus,
    transitions=[(M.planned, "closed", M.closed)],
    status_labels={M.planned: "筹备中", M.closed: "已结束"},
    event_labels={"closed": "会议结束", "reminded": "已提醒"},
    verbs={"closed": "结束会议", "outcome": "记录议定结果", "items": "添加议题", "attendance": "签到"},
    note_events=frozenset({"reminded"}),
)
