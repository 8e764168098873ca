"""The partner and application lifecycles, declared once.

partner:      applied ─filed→ filed ─activated→ active ─suspended→ suspended ─reinstated→ active
              (filing by the community admin is the recognition: 组织备案的过程即为认定过程)
application:  submitted ─shortlisted→ shortlisted ─accepted→ accepted (the partner is filed)
              submitted | shortlisted ─declined→ declined (with a reason)
"""

from __future__ import annotations

from enum import StrEnum

from backend.kernel.lifecycle import Lifecycle
from backend.partners.models import OpportunityApplication, Partner, PartnerEvent


class PartnerStatus(StrEnum):
    applied = "applied"
    filed = "filed"
    active = "active"
    suspended = "suspended"


class PartnerKind(StrEnum):
    company = "company"
    shop = "shop"
    social_org = "social_org"
    property = "property"
    work_unit = "work_unit"
    skilled_resident = "skilled_resident"


KIND_LABELS = {
    PartnerKind.company: "企业",
    PartnerKind.shop: "商户",
    PartnerKind.social_org: "社会组织",
    PartnerKind.property: "物业公司",
    PartnerKind.work_unit: "机关企事业单位",
    PartnerKind.skilled_resident: "社区能人",
}

P = PartnerStatus
# recognised: may offer services, claim list items, organise activities
RECOGNISED = frozenset({P.filed, P.active})

PARTNER = Lifecycle(
    noun="合伙人",
    model=Partner,
    statuses=PartnerStatus,
    transitions=[
        (P.applied, "filed", P.filed),
        (P.filed, "activated", P.active),
        (P.active, "suspended", P.suspended),
        (P.filed, "suspended", P.suspended),
        (P.suspended, "reinstated", P.active),
    ],
    status_labels={P.applied: "已申请", P.filed: "已备案", P.active: "合作中", P.suspended: "已暂停"},
    event_labels={
        "created": "提交申请",
        "filed": "备案认定",
        "activated": "开始合作",
        "suspended": "暂停合作",
        "reinstated": "恢复合作",
        "contact_added": "添加联系人",
    },
    verbs={"filed": "备案", "activated": "开始合作", "suspended": "暂停", "reinstated": "恢复合作"},
    note_events=frozenset({"created", "contact_added"}),
    event_model=PartnerEvent,
    event_fk="partner_id",
)

# The events a community admin may apply through POST /partners/{id}/transitions.
ADMIN_EVENTS = ("filed", "activated", "suspended", "reinstated")


class ApplicationStatus(StrEnum):
    submitted = "submitted"
    shortlisted = "shortlisted"
    accepted = "accepted"
    declined = "declined"


A = ApplicationStatus

APPLICATION = Lifecycle(
    noun="报名",
    model=OpportunityApplication,
    statuses=ApplicationStatus,
    transitions=[
        (A.submitted, "shortlisted", A.shortlisted),
        (A.shortlisted, "accepted", A.accepted),
        (A.submitted, "declined", A.declined),
        (A.shortlisted, "declined", A.declined),
    ],
    status_labels={A.submitted: "已报名", A.shortlisted: "入围", A.accepted: "已录用", A.declined: "未录用"},
    event_labels={"shortlisted": "入围", "accepted": "录用", "declined": "婉拒"},
    verbs={"shortlisted": "入围", "accepted": "录用", "declined": "婉拒"},
)
