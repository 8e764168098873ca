"""The lifecycles of the three lists, declared once.

item:   open ─matched→ matched ─closed→ closed          (a claim accepted; that claim closed)
        matched ─reopened→ open                          (its claim fell through)
claim:  proposed ─accepted→ matched ─fulfilled→ fulfilled (with evidence) ─closed→ closed (rated)
        proposed ─declined→ declined (with a reason)
        proposed | matched ─withdrawn→ withdrawn          (the claimant takes it back until fulfilled;
                                                           a matched item is open again)
"""

from __future__ import annotations

from enum import StrEnum

from backend.kernel.lifecycle import Lifecycle
from backend.lists.models import ListClaim, ListItem


class ItemStatus(StrEnum):
    open = "open"
    matched = "matched"
    closed = "closed"


I = ItemStatus  # noqa: E741
ITEM = Lifecycle(
    noun="清单事项",
    model=ListItem,
    statuses=ItemStatus,
    transitions=[(I.open, "matched", I.matched), (I.matched, "closed", I.closed), (I.matched, "reopened", I.open)],
    status_labels={I.open: "待认领", I.matched: "已对接", I.closed: "已完成"},
    event_labels={"matched": "认领对接", "closed": "完成", "reopened": "重新开放"},
    verbs={"matched": "对接", "closed": "完成", "reopened": "重新开放"},
)


class ClaimStatus(StrEnum):
    proposed = "proposed"
    matched = "matched"
    fulfilled = "fulfilled"
    closed = "closed"
    declined = "declined"
    withdrawn = "withdrawn"


C = ClaimStatus
CLAIM = Lifecycle(
    noun="认领",
    model=ListClaim,
    statuses=ClaimStatus,
    transitions=[
        (C.proposed, "accepted", C.matched),
        (C.proposed, "declined", C.declined),
        (C.matched, "fulfilled", C.fulfilled),
        (C.fulfilled, "closed", C.closed),
        (C.proposed, "withdrawn", C.withdrawn),
        (C.matched, "withdrawn", C.withdrawn),
    ],
    status_labels={
        C.proposed: "待确认",
        C.matched: "已对接",
        C.fulfilled: "待评价",
        C.closed: "已完成",
        C.declined: "未接受",
        C.withdrawn: "已撤回",
    },
    event_labels={
        "accepted": "接受认领",
        "declined": "婉拒认领",
        "fulfilled": "提交成效",
        "closed": "评价完成",
        "withdrawn": "撤回认领",
    },
    verbs={"accepted": "接受", "declined": "婉拒", "fulfilled": "提交成效", "closed": "评价", "withdrawn": "撤回"},
)
# counted as claimed (认领) in the figures; fulfilled (履约) once evidence is in
CLAIMED = frozenset({C.matched, C.fulfilled, C.closed})
FULFILLED = frozenset({C.fulfilled, C.closed})
