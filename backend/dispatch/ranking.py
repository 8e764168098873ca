"""Candidate ranking: which of the compound's Party members suits a wish, best first, with reasons
a dispatcher can read. One definition per reason:

- 擅长… : the member lists a skill that suits the wish's category (CATEGORY_SKILLS). An exact skill
  match outranks everything else below (being free, the same building, a good rate);
- 与居民同楼栋 / 同小区 : the member's household is in the requester's building, or elsewhere in the compound;
- 当前无在办订单 / 在办N单 : orders offered to or accepted by the member and not finished;
- 本月已接N单 / 本月尚未接单 : orders the member took (claimed, or accepted an offer) this month,
  Asia/Shanghai, that stand (accepted or completed). An offer left unanswered is not one;
- 接单率N% : offers accepted ÷ offers made over the last 90 days, shown only after 3 offers;
  before that 新报到 (too few offers to say);
- 平均评分X.X : the residents' average rating of the member's completed wishes.

Availability and the open-order limit rule a member out (listed last, the reason first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.dispatch.models import Order
from backend.dispatch.state import LIVE, TAKEN
from backend.kernel.clock import SHANGHAI, utcnow
from backend.people import service as people_service

RATE_WINDOW = timedelta(days=90)
RATE_AFTER_OFFERS = 3
SKILL_BONUS = 100.0  # more than every other bonus together: an exact match outranks being free


@dataclass(frozen=True)
class Load:
    """What the order history says about one member, as ranking uses it."""

    open_orders: int = 0
    taken_this_month: int = 0
    offers_90d: int = 0
    accepted_90d: int = 0


def _month_start(now: datetime) -> datetime:
    local = now.astimezone(SHANGHAI)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


async def _load(session: AsyncSession, ids: list[int], now: datetime) -> dict[int, Load]:
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
    month, since = _month_start(now), now - RATE_WINDOW
    taken = Order.status.in_(tuple(TAKEN))
    offer = (Order.kind == "dispatch") & (Order.created_at >= since)
    rows = await session.execute(
        select(
            Order.member_id,
            func.count().filter(taken & (Order.responded_at >= month)),
            func.count().filter(offer),
            func.count().filter(offer & taken),
        )
        .where(Order.member_id.in_(ids), Order.created_at >= min(since, month - timedelta(days=7)))
        .group_by(Order.member_id)
    )
    recent = {m: (int(a), int(b), int(c)) for m, a, b, c in rows.all()}
    return {m: Load(int(live.get(m, 0)), *recent.get(m, (0, 0, 0))) for m in ids if m in live or m in recent}


def _score(m, wanted: set[str], requester_building: int | None, load: Load) -> tuple[float, list[str]]:
    """The score of one member and the reasons behind it."""
    score = 50.0
    reasons: list[str] = []
    matched = [s for s in m.skills if s in wanted]
    if matched:
        score += SKILL_BONUS
        reasons.append(f"擅长{'、'.join(matched[:2])}")
    if requester_building is not None and m.building_id == requester_building:
        score += 15
        reasons.append("与居民同楼栋")
    else:
        score += 5
        reasons.append("同小区")
    if load.open_orders == 0:
        score += 10
        reasons.append("当前无在办订单")
    else:
        score -= 8 * load.open_orders
        reasons.append(f"在办{load.open_orders}单")
    if load.taken_this_month:
        score -= 3 * load.taken_this_month
        reasons.append(f"本月已接{load.taken_this_month}单")
    else:
        reasons.append("本月尚未接单")
    if load.offers_90d >= RATE_AFTER_OFFERS:
        rate = load.accepted_90d / load.offers_90d
        score += 10 * rate
        reasons.append(f"接单率{round(rate * 100)}%")
    else:
        score += 5  # too few offers to judge: neither rewarded nor punished
        reasons.append("新报到")
    if m.rating_count:
        avg = m.rating_sum / m.rating_count
        score += 4 * (avg - 3)
        reasons.append(f"平均评分{avg:.1f}")
    return score, reasons


def rank(
    members, loads: dict[int, Load], wanted: set[str], requester_building: int | None, max_open: int
) -> list[dict]:
    """Order the members (rows with id, name, work_unit, skills, available, building_id,
    rating_sum, rating_count), best first; members ruled out last, with the reason first."""
    ranked = []
    for m in members:
        load = loads.get(m.id, Load())
        score, reasons = _score(m, wanted, requester_building, load)
        blocked = False
        if not m.available:
            blocked = True
            reasons.insert(0, "本人设置暂不接单")
        if load.open_orders >= max_open:
            blocked = True
            reasons = [r for r in reasons if not r.startswith("在办")]  # the limit says it once
            reasons.insert(0, f"在办订单已达{load.open_orders}单")
        ranked.append(
            {
                "member_id": m.id,
                "name": m.name,
                "work_unit": m.work_unit,
                "skills": m.skills,
                "available": m.available and load.open_orders < max_open,
                "open_orders": load.open_orders,
                "score": round(score, 1),
                "reasons": reasons,
                "_blocked": blocked,
            }
        )
    ranked.sort(key=lambda c: (c["_blocked"], -c["score"], c["member_id"]))
    for c in ranked:
        del c["_blocked"]
    return ranked


async def candidates(
    session: AsyncSession, *, compound_id: int, requester_id: int, wanted_skills: set[str], max_open: int
) -> list[dict]:
    """Rank the compound's members for a wish placed by `requester_id` that calls for `wanted_skills`. Four
    statements whatever the compound's size: members with their profiles and buildings, live
    orders, the recent orders window, the requester's building."""
    members = [
        m
        for m in await people_service.members_of_compound(session, compound_id)
        if m.id != requester_id  # nobody fulfils their own wish
    ]
    if not members:
        return []
    loads = await _load(session, [m.id for m in members], utcnow())
    requester_building = await directory_service.building_of(session, requester_id)
    return rank(members, loads, wanted_skills, requester_building, max_open)
