"""The candidate ranking in plain Python: the rules of backend/dispatch/ranking.py as the route ran
them until 2026-12-02 (members and their order counts loaded with four statements, then scored
and sorted here). The route now ranks in one SQL statement; this is the reference it is checked
against (tests/dispatch/test_ranking_sql.py) and what the table-driven cases read
(tests/dispatch/test_ranking_table.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.dispatch.models import Order
from backend.dispatch.ranking import RATE_AFTER_OFFERS, RATE_WINDOW, SKILL_BONUS, half_up, month_start, window_start
from backend.dispatch.state import LIVE, TAKEN
from backend.kernel.clock import utcnow
from backend.people import service as people_service


@dataclass(frozen=True)
class Load:
    """What the order history says about one member, as ranking uses it."""

    open_orders: int = 0
    taken_this_month: int = 0
    offers_90d: int = 0
    accepted_90d: int = 0


async def load(session: AsyncSession, ids: list[int], now: datetime) -> dict[int, Load]:
    """Two grouped statements through the member indexes: live orders, and the recent window
    (this month's takes, the last 90 days' offers)."""
    live = dict(
        (
            await session.execute(
                select(Order.member_id, func.count())
                .where(Order.member_id.in_(ids), Order.status.in_(LIVE))
                .group_by(Order.member_id)
            )
        ).all()
    )
    month, since = month_start(now), now - RATE_WINDOW
    taken = Order.status.in_(tuple(TAKEN))
    offer = (Order.kind == "dispatch") & (Order.created_at >= since)
    rows = await session.execute(
        select(
            Order.member_id,
            func.count().filter(taken & (Order.responded_at >= month)),
            func.count().filter(offer),
            func.count().filter(offer & taken),
        )
        .where(Order.member_id.in_(ids), Order.created_at >= window_start(now))
        .group_by(Order.member_id)
    )
    recent = {m: (int(a), int(b), int(c)) for m, a, b, c in rows.all()}
    return {m: Load(int(live.get(m, 0)), *recent.get(m, (0, 0, 0))) for m in ids if m in live or m in recent}


def score(m, wanted: set[str], requester_building: int | None, load: Load) -> tuple[int, list[str]]:
    """The score of one member in tenths of a point, and the reasons behind it."""
    tenths = 500
    reasons: list[str] = []
    matched = [s for s in m.skills if s in wanted]
    if matched:
        tenths += SKILL_BONUS
        reasons.append(f"擅长{'、'.join(matched[:2])}")
    if requester_building is not None and m.building_id == requester_building:
        tenths += 150
        reasons.append("与居民同楼栋")
    else:
        tenths += 50
        reasons.append("同小区")
    if load.open_orders == 0:
        tenths += 100
        reasons.append("当前无在办订单")
    else:
        tenths -= 80 * load.open_orders
        reasons.append(f"在办{load.open_orders}单")
    if load.taken_this_month:
        tenths -= 30 * load.taken_this_month
        reasons.append(f"本月已接{load.taken_this_month}单")
    else:
        reasons.append("本月尚未接单")
    if load.offers_90d >= RATE_AFTER_OFFERS:
        pct = half_up(100 * load.accepted_90d, load.offers_90d)
        tenths += pct  # 10 points × the rate
        reasons.append(f"接单率{pct}%")
    else:
        tenths += 50  # too few offers to judge: neither rewarded nor punished
        reasons.append("新报到")
    if m.rating_count:
        tenths += half_up(40 * m.rating_sum, m.rating_count) - 120  # 4 points × (average − 3)
        avg10 = half_up(10 * m.rating_sum, m.rating_count)
        reasons.append(f"平均评分{avg10 // 10}.{avg10 % 10}")
    return tenths, reasons


def rank(
    members, loads: dict[int, Load], wanted: set[str], requester_building: int | None, max_open: int
) -> list[dict]:
    """Order the members (rows with id, name, work_unit, skills, available, building_id,
    rating_sum, rating_count), best first; members ruled out last, with the reason first."""
    ranked = []
    for m in members:
        load_ = loads.get(m.id, Load())
        tenths, reasons = score(m, wanted, requester_building, load_)
        blocked = False
        if not m.available:
            blocked = True
            reasons.insert(0, "本人设置暂不接单")
        if load_.open_orders >= max_open:
            blocked = True
            reasons = [r for r in reasons if not r.startswith("在办")]  # the limit says it once
            reasons.insert(0, f"在办订单已达{load_.open_orders}单")
        ranked.append(
            {
                "member_id": m.id,
                "name": m.name,
                "work_unit": m.work_unit,
                "skills": m.skills,
                "available": m.available and load_.open_orders < max_open,
                "open_orders": load_.open_orders,
                "score": tenths / 10,
                "reasons": reasons,
                "_key": (blocked, -tenths, m.id),
            }
        )
    ranked.sort(key=lambda c: c["_key"])
    for c in ranked:
        del c["_key"]
    return ranked


async def candidates(
    session: AsyncSession, *, compound_id: int, requester_id: int, wanted_skills: set[str], max_open: int
) -> list[dict]:
    """Every member of the compound but the requester, ranked in Python (four statements)."""
    members = [m for m in await people_service.members_of_compound(session, compound_id) if m.id != requester_id]
    if not members:
        return []
    loads = await load(session, [m.id for m in members], utcnow())
    requester_building = await directory_service.building_of(session, requester_id)
    return rank(members, loads, wanted_skills, requester_building, max_open)
