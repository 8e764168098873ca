"""The lifecycle of an evaluation campaign, declared once.

campaign:  draft ─opened→ open ─closed→ closed
           draft ─cancelled→ cancelled
"""

from __future__ import annotations

from enum import StrEnum

from backend.evaluations.models import EvaluationCampaign
from backend.kernel.lifecycle import Lifecycle


class CampaignStatus(StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"
    cancelled = "cancelled"


S = CampaignStatus
CAMPAIGN = Lifecycle(
    noun="测评",
    model=EvaluationCampaign,
    statuses=CampaignStatus,
    transitions=[(S.draft, "opened", S.open), (S.open, "closed", S.closed), (S.draft, "cancelled", S.cancelled)],
    status_labels={S.draft: "草稿", S.open: "进行中", S.closed: "已结束", S.cancelled: "已取消"},
    event_labels={"opened": "开始测评", "closed": "结束测评", "cancelled": "取消测评"},
    verbs={"opened": "开始", "closed": "结束", "cancelled": "取消", "ballot": "投票"},
)

LEVELS = {
    "residents_rate_compound": "党群评小区",
    "compounds_rate_community": "小区评社区",
    "communities_rate_department": "社区评部门",
}
