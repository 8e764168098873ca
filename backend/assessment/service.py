"""The department assessment (部门年度综合考核): weights the street admin sets, and each department's
parts (backend/assessment/parts.py) combined by them.

total = Σ weight × score ÷ Σ weight, over the parts that have a score (a part with nothing to score,
such as a satisfaction rate without a rated issue, is left out and its weight with it: `weight_used`
says how much of the 100 was scored). Every part lists the items behind its score.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.assessment.models import AssessmentWeights
from backend.assessment.parts import DEFAULT_WEIGHTS, PARTS, Context
from backend.auth.reach import ReportScope
from backend.kernel.clock import utcnow
from backend.kernel.errors import InvalidInput
from backend.kernel.periods import Period
from backend.org.models import Department

TOTAL_DEFINITION = "综合得分 = Σ（各项权重 × 该项得分）÷ 有得分各项的权重之和；无可计分事项的部分不计入，其权重一并不计"


async def weights_of(session: AsyncSession, street_id: int) -> dict[str, int]:
    row = (
        await session.execute(select(AssessmentWeights).where(AssessmentWeights.street_id == street_id))
    ).scalar_one_or_none()
    return dict(row.weights) if row is not None else dict(DEFAULT_WEIGHTS)


async def set_weights(session: AsyncSession, street_id: int, weights: dict[str, int], actor_id: int) -> dict:
    unknown = sorted(set(weights) - set(PARTS))
    if unknown:
        raise InvalidInput(f"没有这一考核项：{'、'.join(unknown)}", code="unknown_part")
    if sum(weights.values()) != 100:
        raise InvalidInput(f"各项权重之和应为100，现为{sum(weights.values())}", code="weights_not_100")
    row = (
        await session.execute(
            select(AssessmentWeights).where(AssessmentWeights.street_id == street_id).with_for_update()
        )
    ).scalar_one_or_none()
    if row is None:
        row = AssessmentWeights(street_id=street_id, weights=weights, updated_by=actor_id)
        session.add(row)
    else:
        row.weights, row.updated_by, row.updated_at = dict(weights), actor_id, utcnow()
    await session.flush()
    return dict(weights)


def combine(parts: dict[str, dict], weights: dict[str, int]) -> dict:
    scored = {c: p["score"] for c, p in parts.items() if p["score"] is not None and weights.get(c, 0)}
    used = sum(weights[c] for c in scored)
    total = round(sum(weights[c] * s for c, s in scored.items()) / used, 2) if used else None
    return {"total": total, "weight_used": used, "definition": TOTAL_DEFINITION}


async def departments(session: AsyncSession, settings, scope: ReportScope, period: Period) -> dict:
    depts = list(
        (
            await session.execute(
                select(Department).where(Department.street_id == scope.street_id).order_by(Department.id)
            )
        ).scalars()
    )
    if scope.kind == "department":
        depts = [d for d in depts if d.id == scope.id]
    weights = await weights_of(session, scope.street_id)
    ctx = Context(session, settings, scope, period, [d.id for d in depts], utcnow())
    computed = {code: await part.compute(ctx) for code, part in PARTS.items()}
    rows = []
    for d in depts:
        parts = {
            code: {"label": PARTS[code].label, "weight": weights.get(code, 0), **computed[code][d.id]} for code in PARTS
        }
        rows.append({"department_id": d.id, "department_name": d.name, "parts": parts, **combine(parts, weights)})
    ranked = sorted(rows, key=lambda r: (r["total"] is None, -(r["total"] or 0), r["department_id"]))
    for rank, row in enumerate(ranked, 1):
        row["rank"] = rank if row["total"] is not None else None
    return {
        "street_id": scope.street_id,
        "period": {"label": period.label, "start": period.start, "end": period.end},
        "weights": weights,
        "parts": {code: p.label for code, p in PARTS.items()},
        "departments": ranked,
    }
