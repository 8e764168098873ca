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

The ranking runs as one SQL statement (`candidates`): the members, their live orders and their
recent window counted through the member indexes of `wish_order`, scored, ordered and cut to the
best `limit` in the database, then the reasons of those rows only. The statement is built once per
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

from sqlalchemy import ColumnElement, Integer, Select, String, bindparam, case, cast, func, literal, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.dispatch.models import Order
from backend.dispatch.state import LIVE, TAKEN
from backend.kernel.clock import SHANGHAI, utcnow
from backend.people import service as people_service

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


def _recent(ids):
    """This month's takes, the rate window's offers and acceptances, per member (the times are the
    bound parameters `month`, `since` and `window`: see `_times`)."""
    month, since = bindparam("month"), bindparam("since")
    taken = Order.status.in_(sorted(TAKEN))
    offer = (Order.kind == "dispatch") & (Order.created_at >= since)
    return (
        select(
            Order.member_id,
            func.count().filter(taken & (Order.responded_at >= month)).label("taken"),
            func.count().filter(offer).label("offers"),
            func.count().filter(offer & taken).label("accepted"),
        )
        .where(Order.member_id.in_(ids), Order.created_at >= bindparam("window"))
        .group_by(Order.member_id)
        .subquery("recent")
    )


def _times(now: datetime) -> dict[str, datetime]:
    """The values of the statement's time parameters."""
    return {"month": month_start(now), "since": now - RATE_WINDOW, "window": window_start(now)}


def _scored(dialect: str, *, wanted: list[str], max_open: int):
    """Every member (less the requester) with the score components and the score; the compound and
    the requester are the bound parameters `compound_id` and `requester_id`."""
    compound_id, requester_id = bindparam("compound_id", type_=Integer), bindparam("requester_id", type_=Integer)
    m = people_service.members_of_compound_query(compound_id, besides=requester_id).cte("m")
    ids = select(m.c.id)
    live, recent = _live(ids), _recent(ids)
    open_ = func.coalesce(live.c.n, 0)
    taken = func.coalesce(recent.c.taken, 0)
    offers = func.coalesce(recent.c.offers, 0)
    accepted = func.coalesce(recent.c.accepted, 0)
    building = directory_service.building_of_query(requester_id).scalar_subquery()
    same_building = case((m.c.building_id == building, 1), else_=0)
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
    params = {"compound_id": compound_id, "requester_id": requester_id, **_times(utcnow())}
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
