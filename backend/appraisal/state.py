"""The results of an evaluation meeting.

submitted ─approved→ published (the community admin; a frozen snapshot, shown to the community)
submitted ─returned→ returned (with a reason) ─resubmitted→ submitted (rebuilt from the data)
published ─superseded→ superseded (a correction, a new edition, was approved; the old one stays readable)
"""

from __future__ import annotations

from enum import StrEnum

from backend.appraisal.models import Appraisal, AppraisalEvent
from backend.kernel.lifecycle import Lifecycle


class AppraisalStatus(StrEnum):
    submitted = "submitted"
    returned = "returned"
    published = "published"
    superseded = "superseded"


S = AppraisalStatus
PUBLIC = frozenset({S.published, S.superseded})  # shown to everyone who sees the community
APPRAISAL = Lifecycle(
    noun="评议结果",
    model=Appraisal,
    statuses=AppraisalStatus,
    transitions=[
        (S.submitted, "approved", S.published),
        (S.submitted, "returned", S.returned),
        (S.returned, "resubmitted", S.submitted),
        (S.published, "superseded", S.superseded),
    ],
    status_labels={S.submitted: "待社区审核", S.returned: "已退回", S.published: "已公示", S.superseded: "已更正"},
    event_labels={
        "submitted": "提交审核",
        "approved": "审核通过并公示",
        "returned": "退回",
        "resubmitted": "重新提交",
        "superseded": "被更正版本取代",
    },
    verbs={"approved": "审核", "returned": "退回", "resubmitted": "重新提交"},
    note_events=frozenset({"submitted"}),
    event_model=AppraisalEvent,
    event_fk="appraisal_id",
)

LINE_KIND_LABELS = {"project": "项目", "member": "党员", "committee": "业委会", "property": "物业服务企业"}
