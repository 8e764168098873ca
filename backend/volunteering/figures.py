"""`GET /stats/volunteering`: the volunteering and list figures of a scope over a period, each
with the items behind it, so that a number can always be opened.

Every figure is {"numerator"?, "count", "buckets": {name: [ids]}, "definition"}:
- 活动场次 sessions: activities of the scope starting in the period (buckets: closed, open);
- 人次 person-times: check-ins at those activities — a registration checked in (by code or the
  organiser's roster, a walk-in included); sign-ups alone never count (buckets: by code/roster
  in advance, walk_in; ids are registrations);
- 人数 people: distinct volunteers among those check-ins (ids are users);
- 服务时长 hours: the minutes credited on those check-ins, in hours (ids are registrations);
- 新人 newcomers: people whose first check-in ever falls in the period (numerator) of the people.
Breakdowns per team, partner and series carry the same four counts. Lists: items by kind and
status, claim rate (items claimed ÷ items) and fulfilment rate (claims fulfilled ÷ claims matched)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.reach import ReportScope
from backend.kernel.periods import Period
from backend.lists.models import ListClaim, ListItem
from backend.lists.state import CLAIMED, FULFILLED
from backend.partners.models import Partner
from backend.volunteering.models import Activity, ActivitySeries, Registration, Team
from backend.volunteering.state import ATTENDED


def figure(
    buckets: dict[str, list[int]], definition: str, *, count: float | None = None, numerator: int | None = None
) -> dict:
    ids = {k: sorted(set(v)) for k, v in buckets.items()}
    out = {
        "count": count if count is not None else sum(len(v) for v in ids.values()),
        "buckets": ids,
        "definition": definition,
    }
    if numerator is not None:
        out["numerator"] = numerator
    return out


def _rate(n: int, d: int) -> float | None:
    return round(n / d, 4) if d else None


async def _attendance(session: AsyncSession, activity_ids: list[int]) -> list[Registration]:
    if not activity_ids:
        return []
    stmt = select(Registration).where(
        Registration.activity_id.in_(activity_ids),
        Registration.status.in_(ATTENDED),
        Registration.checked_in_at.is_not(None),
    )
    return list((await session.execute(stmt.order_by(Registration.id))).scalars())


async def _first_check_ins(session: AsyncSession, user_ids: set[int]) -> dict[int, object]:
    if not user_ids:
        return {}
    rows = await session.execute(
        select(Registration.user_id, func.min(Registration.checked_in_at))
        .where(Registration.user_id.in_(user_ids), Registration.checked_in_at.is_not(None))
        .group_by(Registration.user_id)
    )
    return dict(rows.all())


def _counts(regs: list[Registration]) -> dict:
    return {
        "person_times": len(regs),
        "people": len({r.user_id for r in regs}),
        "hours": round(sum(r.minutes for r in regs) / 60, 1),
    }


async def _breakdowns(session, activities: list[Activity], regs: list[Registration]) -> dict:
    by_activity: dict[int, list[Registration]] = defaultdict(list)
    for r in regs:
        by_activity[r.activity_id].append(r)
    out = {}
    for key, model, column in (
        ("teams", Team, "team_id"),
        ("partners", Partner, "partner_id"),
        ("series", ActivitySeries, "series_id"),
    ):
        groups: dict[int, list[Activity]] = defaultdict(list)
        for a in activities:
            if getattr(a, column) is not None:
                groups[getattr(a, column)].append(a)
        names_col = model.title if model is ActivitySeries else model.name
        names = (
            dict((await session.execute(select(model.id, names_col).where(model.id.in_(groups)))).all())
            if groups
            else {}
        )
        out[key] = [
            {
                "id": gid,
                "name": names.get(gid, ""),
                "sessions": len(acts),
                **_counts([r for a in acts for r in by_activity[a.id]]),
            }
            for gid, acts in sorted(groups.items())
        ]
    return out


async def _lists(session: AsyncSession, scope: ReportScope, period: Period) -> dict:
    items = list(
        (
            await session.execute(
                select(ListItem).where(
                    ListItem.community_id.in_(scope.community_ids),
                    ListItem.created_at >= period.start,
                    ListItem.created_at < period.end,
                )
            )
        ).scalars()
    )
    by_kind: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i in items:
        by_kind[i.kind][i.status].append(i.id)
    claims = (
        list((await session.execute(select(ListClaim).where(ListClaim.item_id.in_([i.id for i in items])))).scalars())
        if items
        else []
    )
    claimed = {c.item_id for c in claims if c.status in CLAIMED}
    matched = [c.id for c in claims if c.status in CLAIMED]
    fulfilled = [c.id for c in claims if c.status in FULFILLED]
    return {
        "items": {
            kind: figure(dict(statuses), f"{kind} 类清单事项，按状态") for kind, statuses in sorted(by_kind.items())
        },
        "claim_rate": {
            **figure(
                {"claimed": sorted(claimed), "unclaimed": [i.id for i in items if i.id not in claimed]},
                "认领率 = 已对接的事项 ÷ 事项（事项编号）",
            ),
            "numerator": len(claimed),
            "rate": _rate(len(claimed), len(items)),
        },
        "fulfilment_rate": {
            **figure(
                {"fulfilled": fulfilled, "matched_only": [c for c in matched if c not in fulfilled]},
                "履约率 = 已提交成效的认领 ÷ 已对接的认领（认领编号）",
            ),
            "numerator": len(fulfilled),
            "rate": _rate(len(fulfilled), len(matched)),
        },
    }


def _person_times(regs: list[Registration]) -> dict:
    return figure(
        {"in_advance": [r.id for r in regs if not r.walk_in], "walk_in": [r.id for r in regs if r.walk_in]},
        "人次：签到次数（扫码或组织者名单签到，含现场加入；只报名未签到不计）（报名编号）",
    )


async def by_community(session: AsyncSession, scopes: list[ReportScope], period: Period) -> dict[int, dict]:
    """The 人次 of many community scopes at once, in two statements whatever their number (what
    夺旗摘星 reads of `volunteering_stats`; each equals `volunteering_stats` of that community)."""
    ids = [s.id for s in scopes]
    owner: dict[int, int] = {}
    if ids:
        rows = await session.execute(
            select(Activity.id, Activity.community_id).where(
                Activity.community_id.in_(ids), Activity.start_at >= period.start, Activity.start_at < period.end
            )
        )
        owner = dict(rows.all())
    regs: dict[int, list[Registration]] = {c: [] for c in ids}
    for r in await _attendance(session, sorted(owner)):
        regs[owner[r.activity_id]].append(r)
    return {c: {"person_times": _person_times(rs)} for c, rs in regs.items()}


async def volunteering_stats(session: AsyncSession, scope: ReportScope, period: Period) -> dict:
    stmt = select(Activity).where(
        Activity.community_id.in_(scope.community_ids),
        Activity.start_at >= period.start,
        Activity.start_at < period.end,
    )
    activities = list((await session.execute(stmt.order_by(Activity.id))).scalars())
    regs = await _attendance(session, [a.id for a in activities])
    people = {r.user_id for r in regs}
    firsts = await _first_check_ins(session, people)
    newcomers = [u for u in people if period.contains(firsts[u])]
    return {
        "scope": scope.key,
        "period": period.label,
        "sessions": figure(
            {
                "closed": [a.id for a in activities if a.closed_at],
                "open": [a.id for a in activities if not a.closed_at],
            },
            "活动场次：时段内开始的活动（活动编号）",
        ),
        "person_times": _person_times(regs),
        "people": figure({"people": sorted(people)}, "人数：签到的不同志愿者（用户编号）"),
        "hours": figure(
            {"registrations": [r.id for r in regs if r.minutes]},
            "服务时长（小时）：签到记录上的服务分钟合计 ÷ 60（报名编号）",
            count=_counts(regs)["hours"],
        ),
        "newcomers": figure(
            {"newcomers": newcomers},
            "新人：首次签到在本时段的志愿者 ÷ 人数（用户编号）",
            count=len(people),
            numerator=len(newcomers),
        ),
        **await _breakdowns(session, activities, regs),
        "lists": await _lists(session, scope, period),
    }
