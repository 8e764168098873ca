"""The outbox lifecycle: a WeChat subscribe message from its writing to its last attempt.

pending ─claimed→ sending ─sent→ sent
   ↑                 ├─retry→ pending (backoff)       ├─no_credit→ no_credit (43101)
   └──resent── dead ←┴─dead (permanent error, or out of tries; also a lost lease past the last try)
written final: skipped (no openid, or no template id configured), no_credit (no subscription credit)

The worker moves rows with its own compare-and-set statements (leases and attempt numbers, FOR
UPDATE SKIP LOCKED on PostgreSQL); an admin's re-send goes through `OUTBOX.apply`.
"""

from __future__ import annotations

from enum import StrEnum

from backend.kernel.lifecycle import Lifecycle
from backend.notify.models import OutboxMessage


class OutboxStatus(StrEnum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    no_credit = "no_credit"
    skipped = "skipped"
    dead = "dead"


S = OutboxStatus
STATUSES = tuple(S)
LIVE = (S.pending, S.sending)  # the worker may claim these when due; the rest are final
STATUS_LABELS = {
    S.pending: "待发送",
    S.sending: "发送中",
    S.sent: "已发送",
    S.no_credit: "无订阅额度",
    S.skipped: "仅站内信",
    S.dead: "发送失败",
}
EVENT_LABELS = {
    "claimed": "领取发送",
    "sent": "发送成功",
    "retry": "稍后重试",
    "dead": "发送失败",
    "resent": "重新发送",
}

OUTBOX = Lifecycle(
    noun="消息",
    model=OutboxMessage,
    statuses=OutboxStatus,
    transitions=[
        (S.pending, "claimed", S.sending),
        (S.sending, "claimed", S.sending),  # a lease ran out: another worker takes the row over
        (S.sending, "sent", S.sent),
        (S.sending, "retry", S.pending),
        (S.sending, "no_credit", S.no_credit),
        (S.sending, "skipped", S.skipped),
        (S.sending, "dead", S.dead),
        (S.dead, "resent", S.pending),
    ],
    status_labels=STATUS_LABELS,
    event_labels=EVENT_LABELS,
    verbs={"resent": "重新发送"},
    versioned=False,
    conflict_code="not_dead",
)
