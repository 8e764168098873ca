"""Demo rows the role matrix calls on for the evaluation, the sign-in, the assessment and the
competition, and the bodies those routes are called with (tests/test_role_matrix.py)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from backend.assessment.models import IndicatorEntry
from backend.directory.models import User
from backend.evaluations.models import EvaluationCampaign
from backend.kernel.clock import clock
from backend.kernel.periods import today_local
from backend.org.models import Community, Compound, RoleGrant


async def assessment_objects(session) -> dict:
    async def one(stmt):
        value = (await session.execute(stmt.limit(1))).scalar_one_or_none()
        assert value is not None, f"demo data lacks {stmt}"
        return value

    campaigns = select(EvaluationCampaign.id).order_by(EvaluationCampaign.id)
    return {
        "campaign_open": await one(campaigns.where(EvaluationCampaign.status == "open")),
        "campaign_closed": await one(
            campaigns.where(
                EvaluationCampaign.status == "closed", EvaluationCampaign.level == "communities_rate_department"
            )
        ),
        "dept_own": await one(
            select(RoleGrant.scope_id)
            .join(User, User.id == RoleGrant.user_id)
            .where(User.openid == "fake-openid-demo-department", RoleGrant.role == "department_staff")
        ),
        "entry_pending": await one(select(IndicatorEntry.id).where(IndicatorEntry.status == "pending")),
        "year": today_local().year,
        "code_brand": "brand",
        "hx_community": await one(select(Community.id).where(Community.name == "和谐社区")),
        "c1_for_ballot": await one(select(Compound.id).where(Compound.name == "锦华苑")),
        "staff_user": await one(select(User.id).where(User.openid == "fake-openid-demo-department")),
    }


def assessment_bodies(ids: dict) -> dict:
    """(method, path) → a valid request, so that only access decides the answer."""
    return {
        ("POST", "/evaluations/campaigns"): lambda: {
            "json": {
                "level": "residents_rate_compound",
                "title": "矩阵测评",
                "period": f"{ids['year']}",
                "questions": [{"code": "service", "text": "服务", "kind": "score_1_5"}],
                "opens_at": clock.now().isoformat(),
                "closes_at": "2099-01-01T00:00:00+08:00",
            }
        },
        ("POST", "/evaluations/campaigns/{campaign_id}/transitions"): lambda: {"json": {"event": "closed"}},
        ("POST", "/evaluations/campaigns/{campaign_id}/ballots"): lambda: {
            "json": {"target_id": ids["c1_for_ballot"], "answers": {"service": 5, "environment": 4}}
        },
        ("PUT", "/departments/{department_id}/contacts"): lambda: {
            "json": {
                "contacts": [{"user_id": ids["staff_user"], "place_kind": "compound", "place_id": ids["c1_for_ballot"]}]
            }
        },
        ("POST", "/checkins/batch"): lambda: {
            "json": {
                "checkins": [
                    {
                        "client_id": str(uuid.uuid4()),
                        "at": clock.now().isoformat(),
                        "place_kind": "compound",
                        "place_id": ids["c1_for_ballot"],
                    }
                ]
            }
        },
        ("PUT", "/assessments/weights"): lambda: {
            "json": {
                "weights": {
                    "response": 20,
                    "disposal": 20,
                    "satisfaction": 20,
                    "evaluation": 20,
                    "checkin": 10,
                    "overdue": 10,
                }
            }
        },
        ("PUT", "/indicators/{year}"): lambda: {
            "json": {
                "indicators": [
                    {"code": "visits", "name": "走访覆盖率", "source": "visit_coverage", "target": 60, "star": 90}
                ],
                "flag_stars": 1,
            }
        },
        ("PUT", "/indicators/{year}/entries/{code}"): lambda: {
            "json": {"community_id": ids["hx_community"], "value": 1, "evidence": "党建品牌挂牌"}
        },
        ("POST", "/indicator-entries/{entry_id}/decide"): lambda: {"json": {"decision": "approve"}},
    }
