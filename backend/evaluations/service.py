"""The rules of the cascaded evaluation: campaigns, who rates what, ballots and their results.

Raters, by level (a rater *unit* votes once per target; the person is who cast it):
- residents_rate_compound: a verified resident (住户认证, `User.household_id`) rates the compound of
  their household; one ballot per household.
- compounds_rate_community: a compound branch secretary (the compound's dispatcher grant) rates the
  community of that compound; one ballot per compound.
- communities_rate_department: a community secretary (community admin) rates each department of the
  street; one ballot per community and department.

Eligible raters of a target (the denominator of its response rate) are counted when the results are
read: households of the compound with a verified resident, compounds of the community with a
dispatcher, communities of the street with a community admin.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.deps import Principal
from backend.directory.models import User
from backend.evaluations.models import EvaluationBallot, EvaluationCampaign
from backend.evaluations.state import CAMPAIGN, CampaignStatus
from backend.kernel.clock import utcnow
from backend.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from backend.kernel.periods import parse_period
from backend.org.models import Community, Compound, Department, Household, RoleGrant

SCORE = "score_1_5"
COMMENT = "comment"


async def create_campaign(session: AsyncSession, *, street_id: int, actor_id: int, **fields) -> EvaluationCampaign:
    period = parse_period(fields.pop("period"), kinds=("year", "half", "quarter", "month"))
    if fields["closes_at"] <= fields["opens_at"]:
        raise InvalidInput("截止时间应晚于开始时间", code="invalid_window")
    codes = [q["code"] for q in fields["questions"]]
    if len(set(codes)) != len(codes):
        raise InvalidInput("题目编号不能重复", code="duplicate_question")
    if not any(q["kind"] == SCORE for q in fields["questions"]):
        raise InvalidInput("至少需要一道1-5分的评分题", code="no_score_question")
    campaign = EvaluationCampaign(
        street_id=street_id,
        period=period.label,
        period_start=period.start,
        created_by=actor_id,
        **fields,
    )
    session.add(campaign)
    await session.flush()
    return campaign


async def transition(session: AsyncSession, campaign: EvaluationCampaign, event: str, actor_id: int):
    await CAMPAIGN.apply(session, campaign, event, actor_id=actor_id)
    return campaign


async def street_of_target(session: AsyncSession, level: str, target_id: int) -> int | None:
    if level == "residents_rate_compound":
        stmt = select(Community.street_id).join(Compound, Compound.community_id == Community.id)
        stmt = stmt.where(Compound.id == target_id)
    elif level == "compounds_rate_community":
        stmt = select(Community.street_id).where(Community.id == target_id)
    else:
        stmt = select(Department.street_id).where(Department.id == target_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def rater_units(session: AsyncSession, principal: Principal, level: str) -> dict[int, list[str]]:
    """target id → the caller's rater units that may rate it at `level`."""
    out: dict[int, list[str]] = defaultdict(list)
    if level == "residents_rate_compound":
        hid = principal.user.household_id
        if hid is not None:
            compound_id = (await session.execute(select(Household.compound_id).where(Household.id == hid))).scalar()
            if compound_id is not None:
                out[compound_id].append(f"household:{hid}")
    elif level == "compounds_rate_community":
        compounds = sorted(principal.scope_ids("dispatcher", "compound"))
        if compounds:
            rows = await session.execute(
                select(Compound.id, Compound.community_id).where(Compound.id.in_(compounds)).order_by(Compound.id)
            )
            for cid, community_id in rows.all():
                out[community_id].append(f"compound:{cid}")
    else:
        communities = sorted(principal.scope_ids("community_admin", "community"))
        if communities:
            rows = await session.execute(
                select(Department.id, Community.id)
                .join(Community, Community.street_id == Department.street_id)
                .where(Community.id.in_(communities))
                .order_by(Department.id, Community.id)
            )
            for dept_id, community_id in rows.all():
                out[dept_id].append(f"community:{community_id}")
    return out


def check_answers(campaign: EvaluationCampaign, answers: dict) -> dict:
    known = {q["code"]: q for q in campaign.questions}
    unknown = sorted(set(answers) - set(known))
    if unknown:
        raise InvalidInput(f"没有这道题：{'、'.join(unknown)}", code="unknown_question")
    clean: dict = {}
    for code, q in known.items():
        value = answers.get(code)
        if q["kind"] == SCORE:
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
                raise InvalidInput(f"「{q['text']}」请打1-5分", code="invalid_answer")
            clean[code] = value
        elif value is not None:
            if not isinstance(value, str) or len(value) > 500:
                raise InvalidInput(f"「{q['text']}」请填写500字以内的意见", code="invalid_answer")
            clean[code] = value.strip()
    return clean


def require_window(campaign: EvaluationCampaign, now: datetime) -> None:
    if campaign.status != CampaignStatus.open:
        raise CAMPAIGN.refusal(campaign.status, "ballot", code="campaign_not_open")
    if not campaign.opens_at <= now < campaign.closes_at:
        raise Conflict("不在本次测评的开放时间内", code="campaign_not_open")


async def cast(
    session: AsyncSession, campaign: EvaluationCampaign, principal: Principal, target_id: int, answers: dict
) -> EvaluationBallot:
    require_window(campaign, utcnow())
    clean = check_answers(campaign, answers)
    units = (await rater_units(session, principal, campaign.level)).get(target_id)
    if not units or await street_of_target(session, campaign.level, target_id) != campaign.street_id:
        raise Forbidden("您不是该对象的测评人", code="not_a_rater")
    used = set(
        (
            await session.execute(
                select(EvaluationBallot.rater_key).where(
                    EvaluationBallot.campaign_id == campaign.id,
                    EvaluationBallot.target_id == target_id,
                    EvaluationBallot.rater_key.in_(units),
                )
            )
        ).scalars()
    )
    free = [u for u in units if u not in used]
    if not free:
        raise Conflict(_voted_message(campaign.level), code="already_voted")
    ballot = EvaluationBallot(
        campaign_id=campaign.id, target_id=target_id, rater_key=free[0], rater_id=principal.id, answers=clean
    )
    try:
        async with session.begin_nested():
            session.add(ballot)
    except IntegrityError:
        raise Conflict(_voted_message(campaign.level), code="already_voted") from None
    return ballot


def _voted_message(level: str) -> str:
    return {
        "residents_rate_compound": "您家已参加本次测评，每户只能投一票",
        "compounds_rate_community": "本小区已参加本次测评",
    }.get(level, "本社区已对该部门投过票")


async def open_ballots(session: AsyncSession, principal: Principal) -> list[dict]:
    """The caller's ballots still to cast: open campaigns, in their window, targets not yet rated."""
    now = utcnow()
    campaigns = list(
        (
            await session.execute(
                select(EvaluationCampaign)
                .where(
                    EvaluationCampaign.status == CampaignStatus.open,
                    EvaluationCampaign.opens_at <= now,
                    EvaluationCampaign.closes_at > now,
                )
                .order_by(EvaluationCampaign.closes_at, EvaluationCampaign.id)
            )
        ).scalars()
    )
    out = []
    for campaign in campaigns:
        units = await rater_units(session, principal, campaign.level)
        if not units:
            continue
        voted = await session.execute(
            select(EvaluationBallot.target_id, EvaluationBallot.rater_key).where(
                EvaluationBallot.campaign_id == campaign.id, EvaluationBallot.target_id.in_(units)
            )
        )
        used = set(voted.all())
        names = await target_names(session, campaign.level, set(units))
        for target_id, keys in sorted(units.items()):
            if all((target_id, k) in used for k in keys) or target_id not in names:
                continue
            if names[target_id][1] != campaign.street_id:
                continue
            out.append({"campaign": campaign, "target_id": target_id, "target_name": names[target_id][0]})
    return out


async def target_names(session: AsyncSession, level: str, ids: set[int]) -> dict[int, tuple[str, int]]:
    """id → (name, street id) of the targets of `level`."""
    if not ids:
        return {}
    if level == "residents_rate_compound":
        stmt = select(Compound.id, Compound.name, Community.street_id).join(
            Community, Community.id == Compound.community_id
        )
        stmt = stmt.where(Compound.id.in_(ids))
    elif level == "compounds_rate_community":
        stmt = select(Community.id, Community.name, Community.street_id).where(Community.id.in_(ids))
    else:
        stmt = select(Department.id, Department.name, Department.street_id).where(Department.id.in_(ids))
    return {i: (name, street) for i, name, street in (await session.execute(stmt)).all()}


async def all_targets(session: AsyncSession, level: str, street_id: int) -> dict[int, str]:
    if level == "residents_rate_compound":
        stmt = select(Compound.id, Compound.name).join(Community, Community.id == Compound.community_id)
        stmt = stmt.where(Community.street_id == street_id)
    elif level == "compounds_rate_community":
        stmt = select(Community.id, Community.name).where(Community.street_id == street_id)
    else:
        stmt = select(Department.id, Department.name).where(Department.street_id == street_id)
    return dict((await session.execute(stmt)).all())


async def eligible(session: AsyncSession, level: str, street_id: int) -> dict[int, set[str]]:
    """target id → its eligible rater units now (the denominator of its response rate)."""
    out: dict[int, set[str]] = defaultdict(set)
    if level == "residents_rate_compound":
        rows = await session.execute(
            select(Household.compound_id, Household.id)
            .join(User, User.household_id == Household.id)
            .join(Compound, Compound.id == Household.compound_id)
            .join(Community, Community.id == Compound.community_id)
            .where(Community.street_id == street_id)
            .distinct()
        )
        for compound_id, hid in rows.all():
            out[compound_id].add(f"household:{hid}")
        return out
    if level == "compounds_rate_community":
        rows = await session.execute(
            select(Compound.community_id, Compound.id)
            .join(RoleGrant, (RoleGrant.scope_id == Compound.id) & (RoleGrant.scope_type == "compound"))
            .join(Community, Community.id == Compound.community_id)
            .where(RoleGrant.role == "dispatcher", Community.street_id == street_id)
            .distinct()
        )
        for community_id, cid in rows.all():
            out[community_id].add(f"compound:{cid}")
        return out
    communities = set(
        (
            await session.execute(
                select(Community.id)
                .join(RoleGrant, (RoleGrant.scope_id == Community.id) & (RoleGrant.scope_type == "community"))
                .where(RoleGrant.role == "community_admin", Community.street_id == street_id)
            )
        ).scalars()
    )
    for dept_id in await all_targets(session, level, street_id):
        out[dept_id] = {f"community:{c}" for c in communities}
    return out


async def ballots_of(session: AsyncSession, campaign_ids: list[int]) -> list[EvaluationBallot]:
    if not campaign_ids:
        return []
    stmt = select(EvaluationBallot).where(EvaluationBallot.campaign_id.in_(campaign_ids))
    return list((await session.execute(stmt.order_by(EvaluationBallot.id))).scalars())


async def get_campaign(session: AsyncSession, campaign_id: int, *, lock: bool = False) -> EvaluationCampaign:
    stmt = select(EvaluationCampaign).where(EvaluationCampaign.id == campaign_id)
    campaign = (await session.execute(stmt.with_for_update() if lock else stmt)).scalar_one_or_none()
    if campaign is None:
        raise NotFound(f"测评 {campaign_id} 不存在", code="campaign_not_found")
    return campaign


async def count_ballots(session: AsyncSession, campaign_id: int) -> int:
    stmt = select(func.count()).select_from(EvaluationBallot).where(EvaluationBallot.campaign_id == campaign_id)
    return (await session.execute(stmt)).scalar_one()
