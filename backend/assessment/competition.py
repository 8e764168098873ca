"""头雁领航·夺旗摘星: the street's indicators of the year (at most 20), each computed from the figures
the system already keeps or entered by the community with evidence and approved by the street, and
the communities ranked on them.

An indicator has a target (达标) and a star threshold (摘星): a community whose value reaches the
star threshold earns the indicator's star; a community with at least `flag_stars` stars takes the
flag (夺旗). Rates are in percent (0–100), counts as counted. A computed value carries its figure
(the items behind it); an entered one its entry, evidence and approval — an entry not yet approved
has no value. Ranking: stars, then targets reached, then the community's id.

The figures of all the street's communities are read at once (`GROUPED`: each family's `by_community`
beside its one-scope function, sharing its helpers), so the ranking runs a fixed number of statements
whatever the number of communities; tests/assessment checks each grouped figure against the
one-community endpoint item for item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.assessment.models import CompetitionIndicators, IndicatorEntry
from backend.assessment.state import ENTRY, EntryStatus
from backend.auth.reach import ReportScope
from backend.kernel.clock import utcnow
from backend.kernel.errors import InvalidInput, NotFound
from backend.kernel.periods import Period
from backend.org.models import Community, Compound
from backend.stats import co_governance, overview
from backend.stats import projects as project_figures
from backend.volunteering import figures as volunteering_figures

MAX_INDICATORS = 20
RANKING_DEFINITION = (
    "按摘星数排序，其次达标项数；指标值达到摘星值得一星，星数达到夺旗线者夺旗；社区填报的指标经街道审核通过后才计值"
)
ENTERED = "entered"


@dataclass(frozen=True)
class Source:
    label: str
    unit: str  # percent | count
    compute: Callable[[dict], tuple[float | None, dict]]  # the community's figures → (value, figure)
    needs: str  # which figures: overview | co_governance | volunteering | projects


def _pct(f: dict) -> tuple[float | None, dict]:
    return (None if f["rate"] is None else round(f["rate"] * 100, 2)), f


SOURCES: dict[str, Source] = {
    "visit_coverage": Source("走访覆盖率", "percent", lambda f: _pct(f["overview"]["visits"]), "overview"),
    "wish_completion": Source(
        "微心愿完成率", "percent", lambda f: _pct(f["overview"]["wishes"]["completion"]), "overview"
    ),
    "wish_satisfaction": Source(
        "微心愿满意率", "percent", lambda f: _pct(f["overview"]["wishes"]["satisfaction"]), "overview"
    ),
    "response_rate": Source(
        "呼叫应答率", "percent", lambda f: _pct(f["overview"]["escalation"]["response_rate"]), "overview"
    ),
    "disposal_rate": Source(
        "事件处置率", "percent", lambda f: _pct(f["overview"]["escalation"]["disposal_rate"]), "overview"
    ),
    "satisfaction_rate": Source(
        "居民满意率", "percent", lambda f: _pct(f["overview"]["escalation"]["satisfaction_rate"]), "overview"
    ),
    "proposals_adopted": Source(
        "提案采纳数",
        "count",
        lambda f: (f["co_governance"]["adoption_rate"]["numerator"], f["co_governance"]["adoption_rate"]),
        "co_governance",
    ),
    "projects_on_time": Source("项目按期完成率", "percent", lambda f: _pct(f["projects"]["on_time_rate"]), "projects"),
    "volunteer_person_times": Source(
        "志愿服务人次",
        "count",
        lambda f: (f["volunteering"]["person_times"]["count"], f["volunteering"]["person_times"]),
        "volunteering",
    ),
}
# Each family of figures for every community of the street at once, in a fixed number of grouped
# statements (the competition reads all 56 communities of a street): community id → the parts of
# that family's figures the sources read, equal to the figures of that one community.
GROUPED: dict[str, Callable[[AsyncSession, list[ReportScope], Period], Awaitable[dict[int, dict]]]] = {
    "overview": overview.by_community,
    "co_governance": co_governance.by_community,
    "volunteering": volunteering_figures.by_community,
    "projects": project_figures.by_community,
}


def check_indicators(indicators: list[dict]) -> None:
    if len(indicators) > MAX_INDICATORS:
        raise InvalidInput(f"指标最多{MAX_INDICATORS}项", code="too_many_indicators")
    codes = [i["code"] for i in indicators]
    if len(set(codes)) != len(codes):
        raise InvalidInput("指标编号不能重复", code="duplicate_indicator")
    for i in indicators:
        if i["source"] != ENTERED and i["source"] not in SOURCES:
            raise InvalidInput(f"没有这一统计口径：{i['source']}", code="unknown_source")
        if i["star"] < i["target"]:
            raise InvalidInput(f"「{i['name']}」的摘星值不能低于达标值", code="invalid_threshold")


async def set_indicators(session: AsyncSession, street_id: int, year: int, body: dict, actor_id: int):
    check_indicators(body["indicators"])
    stmt = select(CompetitionIndicators).where(
        CompetitionIndicators.street_id == street_id, CompetitionIndicators.year == year
    )
    row = (await session.execute(stmt.with_for_update())).scalar_one_or_none()
    if row is None:
        row = CompetitionIndicators(street_id=street_id, year=year, updated_by=actor_id, **body)
        session.add(row)
    else:
        row.indicators, row.flag_stars, row.updated_by = body["indicators"], body["flag_stars"], actor_id
    await session.flush()
    return row


async def indicators_of(session: AsyncSession, street_id: int, year: int) -> CompetitionIndicators:
    stmt = select(CompetitionIndicators).where(
        CompetitionIndicators.street_id == street_id, CompetitionIndicators.year == year
    )
    row = (await session.execute(stmt)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"{year}年的夺旗摘星指标尚未设置", code="indicators_not_set")
    return row


async def enter(session: AsyncSession, community: Community, year: int, code: str, body: dict, actor_id: int):
    """The community's value of an entered indicator: new, or a new value (back to pending)."""
    sets = await indicators_of(session, community.street_id, year)
    spec = next((i for i in sets.indicators if i["code"] == code), None)
    if spec is None or spec["source"] != ENTERED:
        raise InvalidInput("该指标不是社区填报的指标", code="not_entered_indicator")
    stmt = select(IndicatorEntry).where(
        IndicatorEntry.street_id == community.street_id,
        IndicatorEntry.year == year,
        IndicatorEntry.code == code,
        IndicatorEntry.community_id == community.id,
    )
    entry = (await session.execute(stmt.with_for_update())).scalar_one_or_none()
    if entry is None:
        entry = IndicatorEntry(
            street_id=community.street_id, year=year, code=code, community_id=community.id, entered_by=actor_id, **body
        )
        session.add(entry)
        await session.flush()
        return entry
    values = {**body, "entered_by": actor_id, "decided_by": None, "decided_at": None, "reason": None}
    await ENTRY.apply(session, entry, "reentered", actor_id=actor_id, values=values)
    return entry


async def _community_scopes(session: AsyncSession, street_id: int) -> list[ReportScope]:
    communities = (
        await session.execute(select(Community.id, Community.name).where(Community.street_id == street_id))
    ).all()
    compounds: dict[int, set[int]] = defaultdict(set)
    rows = await session.execute(
        select(Compound.community_id, Compound.id).where(Compound.community_id.in_([c for c, _ in communities]))
    )
    for community_id, cid in rows.all():
        compounds[community_id].add(cid)
    return [ReportScope("community", c, n, street_id, {c}, compounds[c]) for c, n in sorted(communities)]


def _entry_out(e: IndicatorEntry) -> dict:
    return {
        "id": e.id,
        "value": e.value,
        "evidence": e.evidence,
        "photos": e.photos,
        "status": e.status,
        "status_label": ENTRY.label(e.status),
        "decided_by": e.decided_by,
        "decided_at": e.decided_at,
        "reason": e.reason,
    }


def _judge(spec: dict, value: float | None) -> dict:
    return {
        "reached": value is not None and value >= spec["target"],
        "star": value is not None and value >= spec["star"],
    }


def _community_row(scope: ReportScope, specs: list[dict], figures: dict[str, dict], entries: dict) -> dict:
    values = []
    for spec in specs:
        if spec["source"] == ENTERED:
            entry = entries.get((spec["code"], scope.id))
            value = entry.value if entry is not None and entry.status == EntryStatus.approved else None
            item = {"entry": _entry_out(entry) if entry is not None else None}
        else:
            value, f = SOURCES[spec["source"]].compute(figures)
            item = {"figure": f}
        values.append({"code": spec["code"], "name": spec["name"], "value": value, **_judge(spec, value), **item})
    stars = sum(v["star"] for v in values)
    return {
        "community_id": scope.id,
        "community_name": scope.name,
        "stars": stars,
        "reached": sum(v["reached"] for v in values),
        "indicators": values,
    }


async def ranking(session: AsyncSession, street_id: int, year: int, period: Period) -> dict:
    sets = await indicators_of(session, street_id, year)
    entries = {
        (e.code, e.community_id): e
        for e in (
            await session.execute(
                select(IndicatorEntry).where(IndicatorEntry.street_id == street_id, IndicatorEntry.year == year)
            )
        ).scalars()
    }
    scopes = await _community_scopes(session, street_id)
    needs = sorted({SOURCES[s["source"]].needs for s in sets.indicators if s["source"] != ENTERED})
    grouped = {need: await GROUPED[need](session, scopes, period) for need in needs}
    rows = [
        _community_row(scope, sets.indicators, {need: grouped[need][scope.id] for need in needs}, entries)
        for scope in scopes
    ]
    rows.sort(key=lambda r: (-r["stars"], -r["reached"], r["community_id"]))
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
        row["flag"] = row["stars"] >= sets.flag_stars
    return {
        "street_id": street_id,
        "year": year,
        "period": {"label": period.label, "start": period.start, "end": period.end},
        "flag_stars": sets.flag_stars,
        "indicators": sets.indicators,
        "communities": rows,
        "definition": RANKING_DEFINITION,
    }


async def decide(session: AsyncSession, entry: IndicatorEntry, decision: str, actor_id: int, reason: str | None):
    if decision == "reject" and not reason:
        raise InvalidInput("退回时请说明理由", code="reason_required")
    event = "approved" if decision == "approve" else "rejected"
    values = {"decided_by": actor_id, "decided_at": utcnow(), "reason": reason if event == "rejected" else None}
    await ENTRY.apply(session, entry, event, actor_id=actor_id, values=values)
    return entry
