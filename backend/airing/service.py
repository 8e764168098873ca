"""Publishing and reading airing snapshots. A snapshot per compound and one for the community,
built from the wishes closed in the quarter (Asia/Shanghai): what was done, by which members, for
which work units, counts and ratings. Residents appear masked (王*兰), never with room or phone.
Auto-closed wishes are counted apart and never as rated; 满意率 is a figure with its wishes.

Only complete quarters are published: the quarter has ended and `airing_window_days` have passed
(late confirmations and back-filled wishes are in); earlier is a 409 that names the first day it
can be. A quarter with no finished wish is never published. A published snapshot never changes: a
correction is a new version with its reason, superseding the last one; every version stays readable."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.airing.models import AiringSnapshot
from backend.directory.models import User
from backend.directory.service import mask_name
from backend.dispatch.models import Order
from backend.dispatch.state import OrderStatus
from backend.kernel.clock import SHANGHAI, utcnow
from backend.kernel.errors import Conflict, InvalidInput, NotFound
from backend.kernel.periods import parse_period
from backend.org.models import Community, Compound
from backend.people.models import MemberProfile
from backend.stats.figures import figure
from backend.wishes.categories import CATEGORY_LABELS
from backend.wishes.models import Wish
from backend.wishes.state import WishStatus


def _category_label(code: str) -> str:
    return CATEGORY_LABELS.get(code, code)


SATISFACTION_DEFINITION = (
    "按心愿计：期内关闭的心愿中，居民评分 4 星及以上的心愿数 ÷ 居民评了分的心愿数；超时未评、系统自动关闭的不计入"
)


def _satisfaction(items: list[dict], auto_ids: list[int]) -> dict:
    rated = [w for w in items if w["rating"] is not None]
    buckets = {
        "satisfied": [w["wish_id"] for w in rated if w["rating"] >= 4],
        "unsatisfied": [w["wish_id"] for w in rated if w["rating"] < 4],
    }
    return figure("满意率", "wish", buckets, ["satisfied"], SATISFACTION_DEFINITION, excluded={"auto_closed": auto_ids})


def _summary(items: list[dict], auto_closed: int, auto_ids: list[int] | None = None) -> dict:
    ratings = [w["rating"] for w in items if w["rating"] is not None]
    members = Counter((w["member_name"], w["work_unit"]) for w in items)
    units: dict[str, dict] = defaultdict(lambda: {"wishes": 0, "members": set()})
    for w in items:
        units[w["work_unit"]]["wishes"] += 1
        units[w["work_unit"]]["members"].add(w["member_name"])
    return {
        "fulfilled": len(items) + auto_closed,
        "rated": len(ratings),
        "average_rating": round(sum(ratings) / len(ratings), 2) if ratings else None,
        "satisfied": sum(1 for r in ratings if r >= 4),
        "auto_closed": auto_closed,
        "members": [
            {"name": name, "work_unit": unit, "wishes": n}
            for (name, unit), n in sorted(members.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "work_units": [
            {"work_unit": unit, "wishes": v["wishes"], "members": len(v["members"])}
            for unit, v in sorted(units.items(), key=lambda kv: (-kv[1]["wishes"], kv[0]))
        ],
        "satisfaction": _satisfaction(items, auto_ids or []),
        "wishes": items,
    }


async def build(session: AsyncSession, community_id: int, period_label: str) -> dict[int | None, dict]:
    """The content of each snapshot: compound id -> content, and None -> the community's."""
    period = parse_period(period_label)
    compounds = {
        c.id: c
        for c in (await session.execute(select(Compound).where(Compound.community_id == community_id))).scalars()
    }
    rows = await session.execute(
        select(Wish, Order, User.name, MemberProfile.work_unit)
        .join(Order, (Order.wish_id == Wish.id) & (Order.status == OrderStatus.completed))
        .join(User, User.id == Order.member_id)
        .outerjoin(MemberProfile, MemberProfile.user_id == Order.member_id)
        .where(
            Wish.compound_id.in_(compounds),
            Wish.status == WishStatus.closed,
            Wish.closed_at >= period.start,
            Wish.closed_at < period.end,
        )
        .order_by(Wish.closed_at, Wish.id)
    )
    rows = rows.all()
    requesters = dict(
        (await session.execute(select(User.id, User.name).where(User.id.in_({w.requester_id for w, *_ in rows})))).all()
    )
    per: dict[int, list[dict]] = defaultdict(list)
    auto: Counter = Counter()
    for wish, order, member_name, work_unit in rows:
        if wish.auto_closed:
            auto[wish.compound_id] += 1
        per[wish.compound_id].append(
            {
                "wish_id": wish.id,
                "title": wish.title,
                "category": _category_label(wish.category),
                "compound": compounds[wish.compound_id].name,
                "resident": mask_name(requesters.get(wish.requester_id)),
                "member_name": member_name or "党员",
                "work_unit": work_unit or "未填写",
                "completed_at": order.completed_at.astimezone(SHANGHAI).strftime("%Y-%m-%d")
                if order.completed_at
                else None,
                "rating": None if wish.auto_closed else wish.rating,
                "auto_closed": wish.auto_closed,
            }
        )
    out: dict[int | None, dict] = {}
    for cid in compounds:
        items = [w for w in per[cid] if not w["auto_closed"]]
        out[cid] = _summary(items, auto[cid], [w["wish_id"] for w in per[cid] if w["auto_closed"]])
    everything = [w for cid in compounds for w in per[cid] if not w["auto_closed"]]
    auto_ids = [w["wish_id"] for cid in compounds for w in per[cid] if w["auto_closed"]]
    out[None] = _summary(everything, sum(auto.values()), auto_ids)
    return out


def publishable_from(settings, period) -> datetime:
    """The first moment a quarter's airing may be published: its end plus the window."""
    return period.end + timedelta(days=settings.airing_window_days)


async def current_versions(session: AsyncSession, community_id: int, period: str) -> dict[str, AiringSnapshot]:
    """The latest version of each scope of the community's airing for the period."""
    rows = await session.execute(
        select(AiringSnapshot)
        .where(AiringSnapshot.community_id == community_id, AiringSnapshot.period == period)
        .order_by(AiringSnapshot.version)
    )
    return {s.scope_key: s for s in rows.scalars()}


def _check_publishable(settings, community: Community, parsed, contents: dict, previous: dict, reason: str | None):
    ready = publishable_from(settings, parsed)
    if utcnow() < ready:
        day = ready.astimezone(SHANGHAI)
        detail = f"{parsed.label}尚未结束或确认、补录期未过，{day:%Y年%m月%d日 %H:%M}起可以发布"
        raise Conflict(detail, code="period_not_complete")
    if previous and not reason:
        detail = f"{community.name}{parsed.label}的晾晒已发布，发布后不可修改；如需更正，请填写更正原因发布新版本"
        raise Conflict(detail, code="already_published")
    if reason and not previous:
        raise Conflict(f"{community.name}{parsed.label}还没有发布过晾晒，无需更正", code="nothing_to_correct")
    if contents[None]["fulfilled"] == 0:
        detail = f"{community.name}{parsed.label}没有完成的心愿，不发布空的晾晒"
        raise Conflict(detail, code="nothing_to_publish")


async def publish(
    session: AsyncSession,
    settings,
    *,
    community_id: int,
    period: str,
    actor_id: int,
    correction_reason: str | None = None,
) -> list[AiringSnapshot]:
    parsed = parse_period(period, kinds=("quarter",))
    if parsed.start > utcnow():
        raise InvalidInput("该季度尚未开始，不能发布", code="period_in_future")
    community = await session.get(Community, community_id)
    if community is None:
        raise NotFound(f"社区 {community_id} 不存在", code="community_not_found")
    contents = await build(session, community_id, parsed.label)
    previous = await current_versions(session, community_id, parsed.label)
    _check_publishable(settings, community, parsed, contents, previous, correction_reason)
    names = await _compound_names(session, [c for c in contents if c is not None])
    now = utcnow()
    snapshots = []
    for cid, content in contents.items():
        scope_name = community.name if cid is None else names[cid]
        key = f"community:{community_id}" if cid is None else f"compound:{cid}"
        before = previous.get(key)
        snapshots.append(
            AiringSnapshot(
                community_id=community_id,
                compound_id=cid,
                scope_key=key,
                period=parsed.label,
                title=f"{scope_name}{parsed.label[:4]}年第{parsed.label[-1]}季度微心愿晾晒"
                + (f"（更正第{before.version + 1}版）" if before else ""),
                content={"scope_name": scope_name, "period": parsed.label, **content},
                published_by=actor_id,
                published_at=now,
                version=before.version + 1 if before else 1,
                supersedes_id=before.id if before else None,
                correction_reason=correction_reason if before else None,
            )
        )
    try:
        async with session.begin_nested():
            session.add_all(snapshots)
            await session.flush()
    except IntegrityError:
        detail = f"{community.name}{parsed.label}的晾晒刚刚已由他人发布，请刷新后查看"
        raise Conflict(detail, code="already_published") from None
    return snapshots


async def history(session: AsyncSession, snap: AiringSnapshot) -> list[AiringSnapshot]:
    """Every version of the snapshot's scope and period, oldest first."""
    rows = await session.execute(
        select(AiringSnapshot)
        .where(AiringSnapshot.scope_key == snap.scope_key, AiringSnapshot.period == snap.period)
        .order_by(AiringSnapshot.version)
    )
    return list(rows.scalars())


async def superseded_by(session: AsyncSession, ids: list[int]) -> dict[int, int]:
    """For the given snapshots, the newer version that corrects each (one statement)."""
    if not ids:
        return {}
    rows = await session.execute(
        select(AiringSnapshot.supersedes_id, AiringSnapshot.id).where(AiringSnapshot.supersedes_id.in_(ids))
    )
    return dict(rows.all())


async def _compound_names(session: AsyncSession, ids) -> dict[int, str]:
    ids = set(ids)
    if not ids:
        return {}
    return dict((await session.execute(select(Compound.id, Compound.name).where(Compound.id.in_(ids)))).all())


async def list_snapshots(
    session: AsyncSession, community_ids: set[int], *, cursor: int | None, limit: int, compound_id: int | None = None
) -> list[AiringSnapshot]:
    stmt = select(AiringSnapshot).where(AiringSnapshot.community_id.in_(community_ids))
    if compound_id is not None:
        stmt = stmt.where(AiringSnapshot.compound_id == compound_id)
    if cursor is not None:
        stmt = stmt.where(AiringSnapshot.id < cursor)
    return list((await session.execute(stmt.order_by(AiringSnapshot.id.desc()).limit(limit + 1))).scalars())


async def get_snapshot(session: AsyncSession, snapshot_id: int) -> AiringSnapshot:
    snap = await session.get(AiringSnapshot, snapshot_id)
    if snap is None:
        raise NotFound(f"晾晒 {snapshot_id} 不存在", code="airing_not_found")
    return snap


def compound_only(principal) -> int | None:
    """An account holding no role whose household is not verified (住户认证) reads its compound's
    public airing only, not the community's: the compound's id then, else None."""
    user = principal.user
    if user.household_id is None and principal.roles == ["resident"]:
        return user.compound_id
    return None


async def communities_of(session: AsyncSession, principal) -> set[int]:
    """Communities whose airing a user may read: where they live, serve, or administer."""
    compound_ids = set(await principal.compound_ids(session, "dispatcher", "party_member", "community_admin"))
    compound_ids |= await principal.compound_ids(session, "street_admin")
    if principal.user.compound_id:
        compound_ids.add(principal.user.compound_id)
    out = principal.scope_ids("community_admin", "community")
    if compound_ids:
        out |= set(
            (await session.execute(select(Compound.community_id).where(Compound.id.in_(compound_ids)))).scalars()
        )
    return out
