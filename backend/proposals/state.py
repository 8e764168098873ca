"""The proposal lifecycle, declared once.

draft ─submitted→ submitted                     (individual, organisation)
draft ─cosigning_opened→ cosigning ─threshold_reached→ submitted      (joint: enough households)
submitted ─accepted→ accepted (on the agenda) ─adopted→ adopted ─execution_started→ executing
          ─returned→ returned ─resubmitted→ submitted
          ─rejected→ rejected
          ─referred→ submitted (another level's reviewer)
accepted ─not_adopted→ not_adopted (the meeting rejected or referred it elsewhere)
executing ─execution_done→ evaluating ─published→ published ─closed→ closed
withdrawn: by the proposer from draft, cosigning, submitted or returned (until review decides)
"""

from __future__ import annotations

from enum import StrEnum

from backend.kernel.lifecycle import Lifecycle
from backend.proposals.models import Proposal, ProposalEvent


class ProposalStatus(StrEnum):
    draft = "draft"
    cosigning = "cosigning"
    submitted = "submitted"
    returned = "returned"
    rejected = "rejected"
    withdrawn = "withdrawn"
    accepted = "accepted"
    not_adopted = "not_adopted"
    adopted = "adopted"
    executing = "executing"
    evaluating = "evaluating"
    published = "published"
    closed = "closed"


S = ProposalStatus
STATUSES = tuple(S)
EDITABLE = frozenset({S.draft, S.returned})
# the proposal is in front of a reviewer or gathering signatures: the proposer may still withdraw
BEFORE_REVIEW = frozenset({S.draft, S.cosigning, S.submitted, S.returned})
# the co-signers' and attendees' rating window
RATABLE = frozenset({S.evaluating})
# shown on the public board (提案公示)
PUBLIC = frozenset({S.published, S.closed})
ENDED = frozenset({S.rejected, S.withdrawn, S.not_adopted, S.closed})

STATUS_LABELS = {
    S.draft: "草稿",
    S.cosigning: "联名征集中",
    S.submitted: "待审议",
    S.returned: "已退回修改",
    S.rejected: "未予受理",
    S.withdrawn: "已撤回",
    S.accepted: "已立项待议事",
    S.not_adopted: "议事未通过",
    S.adopted: "议事通过",
    S.executing: "联动执行中",
    S.evaluating: "评估中",
    S.published: "公示中",
    S.closed: "已办结",
}

TRANSITIONS = [
    (S.draft, "submitted", S.submitted),
    (S.draft, "cosigning_opened", S.cosigning),
    (S.cosigning, "threshold_reached", S.submitted),
    (S.submitted, "accepted", S.accepted),
    (S.submitted, "returned", S.returned),
    (S.submitted, "rejected", S.rejected),
    (S.submitted, "referred", S.submitted),
    (S.returned, "resubmitted", S.submitted),
    (S.accepted, "adopted", S.adopted),
    (S.accepted, "not_adopted", S.not_adopted),
    (S.adopted, "execution_started", S.executing),
    (S.executing, "execution_done", S.evaluating),
    (S.evaluating, "published", S.published),
    (S.published, "closed", S.closed),
    *[(s, "withdrawn", S.withdrawn) for s in (S.draft, S.cosigning, S.submitted, S.returned)],
]

NOTE_EVENTS = frozenset({"created", "edited", "cosigned", "deferred", "rated"})

EVENT_LABELS = {
    "created": "起草提案",
    "edited": "修改提案",
    "submitted": "提交提案",
    "cosigning_opened": "发起联名征集",
    "cosigned": "居民联名",
    "threshold_reached": "联名户数达标，提交审议",
    "accepted": "审议通过，列入议事日议程",
    "returned": "退回修改",
    "rejected": "不予受理",
    "referred": "转交其他层级审议",
    "resubmitted": "修改后重新提交",
    "withdrawn": "提案人撤回",
    "deferred": "议事日暂缓，顺延至下次议事日",
    "adopted": "议事日表决通过",
    "not_adopted": "议事日未通过",
    "execution_started": "联动执行：明确责任人与时限",
    "execution_done": "执行完成，进入评估",
    "rated": "居民评价",
    "published": "结果公示",
    "closed": "公示期满，办结",
}

VERBS = {
    "edited": "修改",
    "cosigned": "联名",
    "rated": "评价",
    "submitted": "提交",
    "cosigning_opened": "发起联名",
    "threshold_reached": "提交审议",
    "accepted": "审议通过",
    "returned": "退回",
    "rejected": "不予受理",
    "referred": "转交",
    "resubmitted": "重新提交",
    "withdrawn": "撤回",
    "adopted": "表决通过",
    "not_adopted": "表决",
    "execution_started": "开始执行",
    "execution_done": "提交执行结果",
    "published": "公示",
    "closed": "办结",
}

PROPOSAL = Lifecycle(
    noun="提案",
    model=Proposal,
    statuses=ProposalStatus,
    transitions=TRANSITIONS,
    status_labels=STATUS_LABELS,
    event_labels=EVENT_LABELS,
    verbs=VERBS,
    note_events=NOTE_EVENTS,
    event_model=ProposalEvent,
    event_fk="proposal_id",
)

# The six-step closed loop (六步闭环): each step is done when its event is on the timeline.
SIX_STEPS = [
    ("collect", "收集", ("submitted", "threshold_reached", "resubmitted")),
    ("review", "审议", ("accepted",)),
    ("form", "形成", ("adopted",)),
    ("execute", "联动执行", ("execution_done",)),
    ("evaluate", "评估", ("published",)),
    ("publish", "公示", ("closed",)),
]
