"""The lifecycles of projects, their tasks and the annual plans, declared once.

project: planned ─approved→ approved ─started→ in_progress ─completed→ completed ─evaluated→ evaluated
         ─published→ published;  in_progress ─suspended→ suspended ─resumed→ in_progress;
         planned | approved | in_progress | suspended ─cancelled→ cancelled (with a reason)
task:    assigned ─accepted→ accepted ─completed→ completed;  assigned | accepted ─cancelled→ cancelled;
         progress reports, the 75% reminder and the escalation are note events (each flag by CAS)
plan:    draft ─submitted→ submitted ─approved→ approved;  submitted ─returned→ returned ─submitted→ submitted
"""

from __future__ import annotations

from enum import StrEnum

from backend.kernel.lifecycle import Lifecycle
from backend.projects.models import AnnualPlan, Project, ProjectEvent, ProjectTask, TaskEvent


class ProjectStatus(StrEnum):
    planned = "planned"
    approved = "approved"
    in_progress = "in_progress"
    suspended = "suspended"
    completed = "completed"
    evaluated = "evaluated"
    published = "published"
    cancelled = "cancelled"


P = ProjectStatus
PROJECT = Lifecycle(
    noun="项目",
    model=Project,
    statuses=ProjectStatus,
    transitions=[
        (P.planned, "approved", P.approved),
        (P.approved, "started", P.in_progress),
        (P.in_progress, "completed", P.completed),
        (P.completed, "evaluated", P.evaluated),
        (P.evaluated, "published", P.published),
        (P.in_progress, "suspended", P.suspended),
        (P.suspended, "resumed", P.in_progress),
        *[(s, "cancelled", P.cancelled) for s in (P.planned, P.approved, P.in_progress, P.suspended)],
    ],
    status_labels={
        P.planned: "计划中",
        P.approved: "已审批",
        P.in_progress: "实施中",
        P.suspended: "已暂停",
        P.completed: "已完成",
        P.evaluated: "已评估",
        P.published: "已公示",
        P.cancelled: "已取消",
    },
    event_labels={
        "created": "建立项目",
        "approved": "社区审批通过",
        "started": "开始实施",
        "completed": "实施完成",
        "evaluated": "评估完成",
        "published": "结果公示",
        "suspended": "暂停实施",
        "resumed": "恢复实施",
        "cancelled": "取消项目",
        "reviewed": "社区观摩评估",
        "planned": "列入年度计划",
    },
    verbs={
        "approved": "审批",
        "started": "开始实施",
        "completed": "完成",
        "evaluated": "评估",
        "published": "公示",
        "suspended": "暂停",
        "resumed": "恢复",
        "cancelled": "取消",
        "reviewed": "评估",
        "milestones": "修改里程碑",
        "funding": "登记资金",
        "tasks": "派发任务",
    },
    note_events=frozenset({"created", "reviewed", "planned"}),
    event_model=ProjectEvent,
    event_fk="project_id",
)
# shown to the residents of the scope (项目公示): approved and after, not cancelled
PUBLIC = frozenset({P.approved, P.in_progress, P.suspended, P.completed, P.evaluated, P.published})
LIVE = frozenset({P.approved, P.in_progress, P.suspended})  # tasks, milestones and money still move
DONE = frozenset({P.completed, P.evaluated, P.published})
REVIEWABLE = frozenset({P.in_progress, P.suspended, P.completed, P.evaluated, P.published})


class TaskStatus(StrEnum):
    assigned = "assigned"
    accepted = "accepted"
    completed = "completed"
    cancelled = "cancelled"


T = TaskStatus
TASK = Lifecycle(
    noun="任务",
    model=ProjectTask,
    statuses=TaskStatus,
    transitions=[
        (T.assigned, "accepted", T.accepted),
        (T.accepted, "completed", T.completed),
        (T.assigned, "cancelled", T.cancelled),
        (T.accepted, "cancelled", T.cancelled),
    ],
    status_labels={T.assigned: "待接收", T.accepted: "执行中", T.completed: "已完成", T.cancelled: "已取消"},
    event_labels={
        "created": "派发任务",
        "accepted": "接收任务",
        "progress": "报告进展",
        "completed": "完成任务",
        "cancelled": "取消任务",
        "reminded": "临近时限提醒",
        "escalated": "超时，已上报负责人",
    },
    verbs={"accepted": "接收", "progress": "报告进展", "completed": "完成", "cancelled": "取消"},
    note_events=frozenset({"created", "progress", "reminded", "escalated"}),
    event_model=TaskEvent,
    event_fk="task_id",
)
OPEN_TASKS = frozenset({T.assigned, T.accepted})


class PlanStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    returned = "returned"
    approved = "approved"


L = PlanStatus
PLAN = Lifecycle(
    noun="年度计划",
    model=AnnualPlan,
    statuses=PlanStatus,
    transitions=[
        (L.draft, "submitted", L.submitted),
        (L.returned, "submitted", L.submitted),
        (L.submitted, "approved", L.approved),
        (L.submitted, "returned", L.returned),
    ],
    status_labels={L.draft: "编制中", L.submitted: "待社区审批", L.returned: "已退回", L.approved: "已批准"},
    event_labels={"submitted": "提交计划", "approved": "社区批准", "returned": "退回修改"},
    verbs={"submitted": "提交", "approved": "批准", "returned": "退回", "edited": "修改"},
)
EDITABLE_PLAN = frozenset({L.draft, L.returned})

FUNDING_SOURCES = {
    "party_service": "党组织服务群众经费",
    "public_income": "小区公共收益",
    "cobuilding": "共建单位",
    "venture": "公益创投",
    "purchase": "购买服务",
    "residents": "居民自筹",
}
ASSIGNEE_KINDS = {
    "department": "职能部门",
    "partner": "共建单位/合伙人",
    "property": "物业服务企业",
    "owners_committee": "业主委员会",
    "member": "党员",
}
REVIEW_KINDS = {"midyear": "年中观摩评估", "yearend": "年底观摩评估"}
