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

The score, in tenths of a point (so that it is exact, in SQL as in Python):

    500  + 1000 for a matching skill  + 150 the same building, else 50
         + 100 when no order is open, else −80 per open order  − 30 per order taken this month
         + the acceptance rate in percent (after 3 offers), else 50
         + 40 × (average rating − 3), when rated

Fractions are rounded to the nearest integer, halves up (`half_up`): the rate's percent, the rating
term, and the average shown to one decimal. Ties go to the lower member id.

The ranking runs as one SQL statement (`candidates`): the members with their counts, scored,
ordered and cut to the best `limit` in the database, then the reasons of those rows only. The
counts (live orders, this month's takes, the window's offers and acceptances) are kept on each
member's profile, recounted in the transaction of every change to one of their orders
(`refresh_counts`, called by dispatch/service.py's `add_order` and `move`): nothing else about a
member's orders changes without such a change. A member counted this month (and not in the future
of the clock) is read from the profile, less what has slid out of the windows since: orders
created between that count's window start and this one's, an index range that is empty until the
window passes the oldest order counted (`recent_oldest`), so for most members no order is read. Any
other member (never counted, or last counted before this month) is counted from `wish_order` as
before. Counting a 2,000-member compound's 46,680 recent orders cost 25 ms or more of PostgreSQL's
time on every ranking (the whole statement 55–84 ms on hh_bench_1m, 2026-12-04); read from the
profiles, and with the requester's building's households looked up once instead of every member's
household, the statement takes about 17 ms. The statement is built once per
(engine, wanted skills, open-order limit, page size) with the compound, the requester and the
times as bound parameters (`_statement_for`): building this SQLAlchemy tree cost 6 ms of CPU per
request on the bench machine, more than the query itself. The same rules in plain Python,
as they ran in the route until 2026-12-02, are kept as the reference in
tests/dispatch/ranking_reference.py; tests/dispatch/test_ranking_sql.py checks on SQLite and
PostgreSQL that both give the same order, scores and reasons for generated compounds.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    bindparam,
    case,
    cast,
    func,
    literal,
    not_,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.dispatch.models import Order
from backend.dispatch.state import LIVE, TAKEN
from backend.kernel.clock import SHANGHAI, utcnow
from backend.org.models import Household
from backend.people import service as people_service
from backend.people.models import MemberProfile

RATE_WINDOW = timedelta(days=90)
RATE_AFTER_OFFERS = 3
SKILL_BONUS = 1000  # tenths: more than every other bonus together, so an exact match outranks being free
REASONS = ("r_limit", "r_unavailable", "r_skill", "r_place", "r_load", "r_month", "r_rate", "r_rating")


def half_up(p: int, q: int) -> int:
    """p ÷ q rounded to the nearest integer, halves up (p ≥ 0, q > 0). Integer arithmetic only, so
    that SQL computes exactly the same."""
    return (2 * p + q) // (2 * q)


def month_start(now: datetime) -> datetime:
    local = now.astimezone(SHANGHAI)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def window_start(now: datetime) -> datetime:
    """The oldest order the recent counts look at: the rate window, or a week before the month
    began (an offer made then may have been accepted this month), whichever is earlier."""
    return min(now - RATE_WINDOW, month_start(now) - timedelta(days=7))


def _half_up_sql(p, q) -> ColumnElement:
    return (2 * p + q) // func.nullif(2 * q, 0, type_=Integer)  # integer division on both engines


def _text(*parts) -> ColumnElement:
    """Literals and integers concatenated (||, the same on SQLite and PostgreSQL)."""
    out = None
    for part in parts:
        piece = literal(part, String) if isinstance(part, str) else cast(part, String)
        out = piece if out is None else out + piece
    return out


def _skill_elements(dialect: str, skills):
    """The member's skills as rows (value, position): a table-valued function of the JSON list."""
    if dialect == "postgresql":
        fn = func.json_array_elements_text(skills).table_valued("value", with_ordinality="ord").render_derived()
        return fn, fn.c.value, fn.c.ord
    fn = func.json_each(skills).table_valued("value", "key")
    return fn, fn.c.value, fn.c.key


def _nth_wanted_skill(dialect: str, skills, wanted: list[str], n: int) -> ColumnElement:
    """The n-th (from 0) of the member's skills that the wish wants, in the member's order, or NULL."""
    fn, value, position = _skill_elements(dialect, skills)
    stmt = select(value).select_from(fn).where(value.in_(wanted)).order_by(position)
    return stmt.limit(1).offset(n).scalar_subquery()


def _live(ids):
    """Live orders (offered or accepted) per member."""
    return (
        select(Order.member_id, func.count().label("n"))
        .where(Order.member_id.in_(ids), Order.status.in_(LIVE))
        .group_by(Order.member_id)
        .subquery("live")
    )


def _taken() -> ColumnElement:
    return Order.status.in_(sorted(TAKEN))


def _recent(ids):
    """This month's takes, the rate window's offers and acceptances, per member (the times are the
    bound parameters `month`, `since` and `window`: see `times`)."""
    month, since = bindparam("month"), bindparam("since")
    offer = (Order.kind == "dispatch") & (Order.created_at >= since)
    return (
        select(
            Order.member_id,
            func.count().filter(_taken() & (Order.responded_at >= month)).label("taken"),
            func.count().filter(offer).label("offers"),
            func.count().filter(offer & _taken()).label("accepted"),
        )
        .where(Order.member_id.in_(ids), Order.created_at >= bindparam("window"))
        .group_by(Order.member_id)
        .subquery("recent")
    )


def _slid(m):
    """What slid out of the counts a fresh member's profile keeps (`recent_*`, counted at
    `recent_as_of`) since then: orders created between that count's window and this one's. Offers
    and acceptances left the rate window [recent_since, since); takes of this month left the
    oldest-order bound [recent_window, window). One index range per member, usually empty."""
    month, since, window = bindparam("month"), bindparam("since"), bindparam("window")
    offer = (Order.kind == "dispatch") & (Order.created_at >= m.c.recent_since) & (Order.created_at < since)
    gone = _taken() & (Order.responded_at >= month) & (Order.created_at < window)
    # recent_window <= recent_since and window <= since (window_start), so this range holds both
    bounds = (Order.member_id == m.c.id) & (Order.created_at >= m.c.recent_window) & (Order.created_at < since)
    return (
        select(
            Order.member_id,
            func.count().filter(gone).label("taken"),
            func.count().filter(offer).label("offers"),
            func.count().filter(offer & _taken()).label("accepted"),
        )
        .select_from(m)
        .join(Order, bounds)
        .where(m.c.fresh == 1, m.c.recent_oldest < since)  # else nothing counted then is out of the window yet
        .group_by(Order.member_id)
        .subquery("slid")
    )


def times(now: datetime) -> dict[str, datetime]:
    """The values of the statement's time parameters."""
    return {"now": now, "month": month_start(now), "since": now - RATE_WINDOW, "window": window_start(now)}


def _counted(correlated: ColumnElement) -> ColumnElement:
    """One count of the member's orders (`correlated` picks them), as a correlated subquery."""
    stmt = select(func.count()).select_from(Order).where(Order.member_id == MemberProfile.user_id, correlated)
    return stmt.scalar_subquery()


_REFRESH_VALUES = {
    "recent_as_of": bindparam("now"),
    "recent_since": bindparam("since"),
    "recent_window": bindparam("window"),
    "recent_oldest": select(func.min(Order.created_at))
    .where(Order.member_id == MemberProfile.user_id, Order.created_at >= bindparam("window"))
    .scalar_subquery(),
    "live_orders": _counted(Order.status.in_(LIVE)),
    "recent_taken": _counted(
        _taken() & (Order.responded_at >= bindparam("month")) & (Order.created_at >= bindparam("window"))
    ),
    "recent_offers": _counted((Order.kind == "dispatch") & (Order.created_at >= bindparam("since"))),
    "recent_accepted": _counted((Order.kind == "dispatch") & (Order.created_at >= bindparam("since")) & _taken()),
}
_REFRESH = (
    update(MemberProfile)
    .where(MemberProfile.user_id.in_(bindparam("member_ids", expanding=True)))
    .values(_REFRESH_VALUES)
    .execution_options(synchronize_session=False)
)
# every profile at once, with the parameters of `times(now)`: the district seeder, which bulk-loads
# the order history, ends with it
REFRESH_ALL = update(MemberProfile).values(_REFRESH_VALUES).execution_options(synchronize_session=False)
_LOCK = (
    select(MemberProfile.user_id)
    .where(MemberProfile.user_id.in_(bindparam("member_ids", expanding=True)))
    .order_by(MemberProfile.user_id)
    .with_for_update()
)


async def refresh_counts(session: AsyncSession, member_ids: set[int]) -> None:
    """Recount the members' live and recent orders into their profiles, as of now, in the caller's
    transaction (dispatch/service.py calls it after every change to an order). On PostgreSQL the
    profiles are locked first, in id order, and the count is a later statement: under READ
    COMMITTED it then sees every order change committed by a transaction that held the lock before,
    so two changes racing on one member's orders both end up counted."""
    ids = sorted(i for i in member_ids if i is not None)
    if not ids:
        return
    if session.get_bind().dialect.name == "postgresql":  # SQLite: writers queue (BEGIN IMMEDIATE)
        await session.execute(_LOCK, {"member_ids": ids})
    await session.execute(_REFRESH, {"member_ids": ids, **times(utcnow())})


def _members(compound_id, requester_id):
    """The compound's members (less the requester) with the counts their profiles keep, and whether
    those are fresh: counted this month and not after `now` (a clock set back, as in tests)."""
    stored = (
        MemberProfile.recent_as_of,
        MemberProfile.recent_since,
        MemberProfile.recent_window,
        MemberProfile.recent_oldest,
        MemberProfile.live_orders,
        MemberProfile.recent_taken,
        MemberProfile.recent_offers,
        MemberProfile.recent_accepted,
    )
    as_of = MemberProfile.recent_as_of
    fresh = case(((as_of >= bindparam("month")) & (as_of <= bindparam("now")), 1), else_=0).label("fresh")
    query = people_service.members_of_compound_query(compound_id, besides=requester_id, household=True)
    return query.add_columns(*stored, fresh).cte("m")


def _scored(dialect: str, *, wanted: list[str], max_open: int):
    """Every member (less the requester) with the score components and the score; the compound and
    the requester are the bound parameters `compound_id` and `requester_id`."""
    compound_id, requester_id = bindparam("compound_id", type_=Integer), bindparam("requester_id", type_=Integer)
    m = _members(compound_id, requester_id)
    counted = select(m.c.id).where(m.c.fresh == 0)  # members whose orders are counted here
    live, recent, slid = _live(counted), _recent(counted), _slid(m)
    fresh = m.c.fresh == 1

    def kept(stored, gone, counted_here):
        return case((fresh, stored - func.coalesce(gone, 0)), else_=func.coalesce(counted_here, 0))

    open_ = case((fresh, m.c.live_orders), else_=func.coalesce(live.c.n, 0))
    taken = kept(m.c.recent_taken, slid.c.taken, recent.c.taken)
    offers = kept(m.c.recent_offers, slid.c.offers, recent.c.offers)
    accepted = kept(m.c.recent_accepted, slid.c.accepted, recent.c.accepted)
    # the requester's building's households, looked up once (a hashed subplan), not each member's
    # household: 2,000 index probes fewer for a 2,000-member compound
    building = directory_service.building_of_query(requester_id).scalar_subquery()
    neighbours = select(Household.id).where(Household.building_id == building)
    same_building = case((m.c.household_id.in_(neighbours), 1), else_=0)
    matched = (
        case((_nth_wanted_skill(dialect, m.c.skills, wanted, 0).is_not(None), 1), else_=0) if wanted else literal(0)
    )
    pct = case((offers >= RATE_AFTER_OFFERS, _half_up_sql(100 * accepted, offers)))
    rating_term = case((m.c.rating_count > 0, _half_up_sql(40 * m.c.rating_sum, m.c.rating_count) - 120), else_=0)
    tenths = (
        500
        + SKILL_BONUS * matched
        + case((same_building == 1, 150), else_=50)
        + case((open_ == 0, 100), else_=-80 * open_)
        - 30 * taken
        + func.coalesce(pct, 50)
        + rating_term
    )
    blocked = case((or_(not_(m.c.available), open_ >= max_open), 1), else_=0)
    return (
        select(
            m.c.id,
            m.c.name,
            m.c.work_unit,
            m.c.skills,
            m.c.available,
            cast(open_, Integer).label("open_orders"),
            cast(taken, Integer).label("taken"),
            pct.label("pct"),
            same_building.label("same_building"),
            case((m.c.rating_count > 0, _half_up_sql(10 * m.c.rating_sum, m.c.rating_count))).label("avg10"),
            tenths.label("tenths"),
            blocked.label("blocked"),
            func.count().over().label("total"),
        )
        .select_from(m)
        .outerjoin(live, live.c.member_id == m.c.id)
        .outerjoin(recent, recent.c.member_id == m.c.id)
        .outerjoin(slid, slid.c.member_id == m.c.id)
    )


@lru_cache(maxsize=256)
def _statement_for(dialect: str, wanted: tuple[str, ...], max_open: int, limit: int) -> Select:
    """The statement, built once for its shape (SQLAlchemy then also keeps its cache key); a few
    dozen shapes exist (the categories' skill sets), so the cache stays small."""
    return _statement(dialect, wanted=list(wanted), max_open=max_open, limit=limit)


def _statement(dialect: str, *, wanted: list[str], max_open: int, limit: int) -> Select:
    """The best `limit` members, ordered, then the reasons of those rows only."""
    inner = _scored(dialect, wanted=wanted, max_open=max_open)
    c = inner.selected_columns
    s = inner.order_by(c.blocked, c.tenths.desc(), c.id).limit(limit).subquery("best")
    skill = (
        _text("擅长")
        + _nth_wanted_skill(dialect, s.c.skills, wanted, 0)
        + func.coalesce(_text("、") + _nth_wanted_skill(dialect, s.c.skills, wanted, 1), "")
        if wanted
        else literal(None, String)
    )
    return select(
        s.c.id,
        s.c.name,
        s.c.work_unit,
        s.c.skills,
        s.c.open_orders,
        s.c.tenths,
        s.c.blocked,
        s.c.total,
        case((s.c.open_orders >= max_open, _text("在办订单已达", s.c.open_orders, "单"))).label("r_limit"),
        case((not_(s.c.available), "本人设置暂不接单")).label("r_unavailable"),
        skill.label("r_skill"),
        case((s.c.same_building == 1, "与居民同楼栋"), else_="同小区").label("r_place"),
        case(
            (s.c.open_orders == 0, "当前无在办订单"),
            (s.c.open_orders < max_open, _text("在办", s.c.open_orders, "单")),
        ).label("r_load"),
        case((s.c.taken > 0, _text("本月已接", s.c.taken, "单")), else_="本月尚未接单").label("r_month"),
        case((s.c.pct.is_not(None), _text("接单率", s.c.pct, "%")), else_="新报到").label("r_rate"),
        case((s.c.avg10.is_not(None), _text("平均评分", s.c.avg10 // 10, ".", s.c.avg10 % 10))).label("r_rating"),
    ).order_by(s.c.blocked, s.c.tenths.desc(), s.c.id)


async def candidates(
    session: AsyncSession,
    *,
    compound_id: int,
    requester_id: int,
    wanted_skills: set[str],
    max_open: int,
    limit: int,
) -> tuple[list[dict], int]:
    """The best `limit` of the compound's members for a wish placed by `requester_id` that calls for
    `wanted_skills`, and how many were ranked in all (the compound's members less the requester,
    who never fulfils their own wish). One statement whatever the compound's size."""
    stmt = _statement_for(session.get_bind().dialect.name, tuple(sorted(wanted_skills)), max_open, limit)
    params = {"compound_id": compound_id, "requester_id": requester_id, **times(utcnow())}
    rows = (await session.execute(stmt, params)).all()
    items = [
        {
            "member_id": r.id,
            "name": r.name,
            "work_unit": r.work_unit,
            "skills": r.skills,
            "available": not r.blocked,
            "open_orders": r.open_orders,
            "score": r.tenths / 10,
            "reasons": [getattr(r, k) for k in REASONS if getattr(r, k) is not None],
        }
        for r in rows
    ]
    return items, (rows[0].total if rows else 0)
