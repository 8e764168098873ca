"""Candidate ranking: which of the compound's Party members suits a wish, best first, with reasons
a dispatcher can read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.dispatch.models import Order
from backend.dispatch.state import LIVE
from backend.kernel.clock import SHANGHAI, utcnow
from backend.people import service as people_service


def _month_start(now: datetime) -> datetime:
    local = now.astimezone(SHANGHAI)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


async def _load(session: AsyncSession, ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Live orders and this month's orders per member. Offers, acceptances and ratings are running
    totals on the profile; only these two are counted here, each through its own index, so the
    cost follows the members' current load and not their whole history."""
    live_rows = await session.execute(
        select(Order.member_id, func.count())
        .where(Order.member_id.in_(ids), Order.status.in_(LIVE))
        .group_by(Order.member_id)
    )
    month_rows = await session.execute(
        select(Order.member_id, func.count())
        .where(Order.member_id.in_(ids), Order.created_at >= _month_start(utcnow()))
        .group_by(Order.member_id)
    )
    return dict(live_rows.all()), dict(month_rows.all())


def _score(m, wanted: set[str], requester_building: int | None, open_orders: int, this_month: int):
    """The score of one member and the reasons behind it."""
    score = 50.0
    reasons: list[str] = []
    matched = [s for s in m.skills if s in wanted]
    if matched:
        score += 30
        reasons.append(f"擅长{'、'.join(matched[:2])}")
    if requester_building is not None and m.building_id == requester_building:
        score += 15
        reasons.append("与居民同楼栋")
    else:
        score += 5
        reasons.append("同小区")
    if open_orders == 0:
        score += 10
        reasons.append("当前无在办订单")
    else:
        score -= 8 * open_orders
        reasons.append(f"在办{open_orders}单")
    if this_month:
        score -= 3 * this_month
        reasons.append(f"本月已接{this_month}单")
    else:
        reasons.append("本月尚未接单")
    if m.offers_total:
        rate = m.offers_taken_total / m.offers_total
        score += 10 * rate
        reasons.append(f"接单率{round(rate * 100)}%")
    if m.rating_count:
        avg = m.rating_sum / m.rating_count
        score += 4 * (avg - 3)
        reasons.append(f"平均评分{avg:.1f}")
    return score, reasons


async def candidates(
    session: AsyncSession, *, compound_id: int, requester_id: int, wanted_skills: set[str], max_open: int
) -> list[dict]:
    """Rank the compound's members for a wish placed by `requester_id` that calls for `wanted_skills`. Four
    statements whatever the compound's size: members with their profiles and buildings, live
    orders, this month's orders, the requester's building."""
    members = [
        m
        for m in await people_service.members_of_compound(session, compound_id)
        if m.id != requester_id  # nobody fulfils their own wish
    ]
    if not members:
        return []
    live, month = await _load(session, [m.id for m in members])
    requester_building = await directory_service.building_of(session, requester_id)
    ranked = []
    for m in members:
        open_orders, this_month = int(live.get(m.id, 0)), int(month.get(m.id, 0))
        score, reasons = _score(m, wanted_skills, requester_building, open_orders, this_month)
        blocked = False
        if not m.available:
            blocked = True
            reasons.insert(0, "本人设置暂不接单")
        if open_orders >= max_open:
            blocked = True
            reasons.insert(0, f"在办订单已达{open_orders}单")
        ranked.append(
            {
                "member_id": m.id,
                "name": m.name,
                "work_unit": m.work_unit,
                "skills": m.skills,
                "available": m.available and open_orders < max_open,
                "open_orders": open_orders,
                "score": round(score if not blocked else score - 100, 1),
                "reasons": reasons,
                "_blocked": blocked,
            }
        )
    ranked.sort(key=lambda c: (c["_blocked"], -c["score"], c["member_id"]))
    for c in ranked:
        del c["_blocked"]
    return ranked
