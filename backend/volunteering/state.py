"""The lifecycles of volunteering, declared once.

membership:   pending ─approved→ approved | ─rejected→ rejected        (the team leader decides)
registration: registered ─checked_in→ checked_in ─checked_out/closed→ completed
              registered ─no_show→ no_show (when the activity is closed)
              waitlisted ─promoted→ registered (in sign-up order, when a seat frees)
              registered | waitlisted ─cancelled→ cancelled (until the start)
              waitlisted ─closed→ cancelled (the activity was closed with them still waiting)
              a walk-in is created checked_in; an hours correction is a note event on completed
redemption:   requested ─confirmed→ confirmed | ─declined→ declined (refunded) | ─cancelled→ cancelled (refunded)
"""

from __future__ import annotations

from enum import StrEnum

from backend.kernel.lifecycle import Lifecycle
from backend.volunteering.models import Redemption, Registration, RegistrationEvent, TeamMembership


class MembershipStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


M = MembershipStatus
MEMBERSHIP = Lifecycle(
    noun="入队申请",
    model=TeamMembership,
    statuses=MembershipStatus,
    transitions=[(M.pending, "approved", M.approved), (M.pending, "rejected", M.rejected)],
    status_labels={M.pending: "待审核", M.approved: "已入队", M.rejected: "未通过"},
    event_labels={"approved": "同意入队", "rejected": "拒绝入队"},
    verbs={"approved": "同意", "rejected": "拒绝"},
)


class RegistrationStatus(StrEnum):
    registered = "registered"
    waitlisted = "waitlisted"
    checked_in = "checked_in"
    completed = "completed"
    no_show = "no_show"
    cancelled = "cancelled"


R = RegistrationStatus
# holding a seat (counted in Activity.registered_count)
SEATED = frozenset({R.registered, R.checked_in, R.completed})
# came: counted in 人次
ATTENDED = frozenset({R.checked_in, R.completed})

REGISTRATION = Lifecycle(
    noun="报名",
    model=Registration,
    statuses=RegistrationStatus,
    transitions=[
        (R.registered, "checked_in", R.checked_in),
        (R.checked_in, "checked_out", R.completed),
        (R.checked_in, "closed", R.completed),
        (R.registered, "no_show", R.no_show),
        (R.waitlisted, "promoted", R.registered),
        (R.registered, "cancelled", R.cancelled),
        (R.waitlisted, "cancelled", R.cancelled),
        (R.waitlisted, "closed", R.cancelled),
    ],
    status_labels={
        R.registered: "已报名",
        R.waitlisted: "候补",
        R.checked_in: "已签到",
        R.completed: "已完成",
        R.no_show: "未到场",
        R.cancelled: "已取消",
    },
    event_labels={
        "created": "报名",
        "walked_in": "现场加入",
        "checked_in": "签到",
        "checked_out": "签退",
        "closed": "活动结束",
        "no_show": "未到场",
        "promoted": "候补转正",
        "cancelled": "取消报名",
        "hours_corrected": "更正服务时长",
    },
    verbs={
        "checked_in": "签到",
        "checked_out": "签退",
        "cancelled": "取消",
        "promoted": "转正",
        "hours_corrected": "更正时长",
        "no_show": "记为未到场",
    },
    note_events=frozenset({"created", "walked_in", "hours_corrected"}),
    event_model=RegistrationEvent,
    event_fk="registration_id",
)


class RedemptionStatus(StrEnum):
    requested = "requested"
    confirmed = "confirmed"
    declined = "declined"
    cancelled = "cancelled"


D = RedemptionStatus
REDEMPTION = Lifecycle(
    noun="兑换",
    model=Redemption,
    statuses=RedemptionStatus,
    transitions=[
        (D.requested, "confirmed", D.confirmed),
        (D.requested, "declined", D.declined),
        (D.requested, "cancelled", D.cancelled),
    ],
    status_labels={D.requested: "待确认", D.confirmed: "已兑换", D.declined: "已婉拒", D.cancelled: "已取消"},
    event_labels={"confirmed": "合伙人确认", "declined": "合伙人婉拒", "cancelled": "取消兑换"},
    verbs={"confirmed": "确认", "declined": "婉拒", "cancelled": "取消"},
)
