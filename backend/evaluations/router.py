"""Routes of the cascaded evaluation (测评: 党群评小区、小区评社区、社区评部门) and the department
sign-in (部门下沉签到)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from backend.auth.deps import CurrentUser, DepartmentStaff, FigureReader, StreetAdmin
from backend.directory.models import User
from backend.evaluations import checkins, policy, results, schemas, service
from backend.evaluations.models import EvaluationBallot, EvaluationCampaign
from backend.evaluations.policy import CampaignForStreet, CampaignToRead, DepartmentForStreet
from backend.evaluations.state import CAMPAIGN, LEVELS
from backend.kernel.context import SettingsDep
from backend.kernel.db import SessionDep
from backend.kernel.errors import InvalidInput
from backend.kernel.pagination import CursorQ, LimitQ, Page, page_of, parse_cursor
from backend.kernel.periods import PeriodQ, parse_period
from backend.kernel.validation import IdPath, IdQuery

router = APIRouter(prefix="/api/v1", tags=["evaluations"])


def _campaign_out(c: EvaluationCampaign, ballots: int | None = None) -> schemas.CampaignOut:
    return schemas.CampaignOut(
        id=c.id,
        street_id=c.street_id,
        level=c.level,
        level_label=LEVELS[c.level],
        title=c.title,
        period=c.period,
        questions=c.questions,
        opens_at=c.opens_at,
        closes_at=c.closes_at,
        status=c.status,
        status_label=CAMPAIGN.label(c.status),
        ballots=ballots,
    )


@router.post(
    "/evaluations/campaigns",
    status_code=201,
    response_model=schemas.CampaignOut,
    summary="Create a campaign (测评) of one level, as a draft (street admin)",
)
async def create_campaign(body: schemas.CampaignCreate, session: SessionDep, principal: StreetAdmin):
    street_id = policy.street_of(principal, body.street_id)
    fields = body.model_dump(exclude={"street_id"})
    campaign = await service.create_campaign(session, street_id=street_id, actor_id=principal.id, **fields)
    return _campaign_out(campaign, 0)


@router.get(
    "/evaluations/campaigns",
    response_model=Page[schemas.CampaignOut],
    summary="The campaigns of the caller's streets, newest first (street admin)",
)
async def list_campaigns(session: SessionDep, principal: StreetAdmin, cursor: CursorQ = None, limit: LimitQ = 20):
    stmt = select(EvaluationCampaign).where(
        EvaluationCampaign.street_id.in_(principal.scope_ids("street_admin", "street"))
    )
    if (c := parse_cursor(cursor)) is not None:
        stmt = stmt.where(EvaluationCampaign.id < c)
    rows, next_cursor = page_of(
        list((await session.execute(stmt.order_by(EvaluationCampaign.id.desc()).limit(limit + 1))).scalars()), limit
    )
    return Page(items=[_campaign_out(c) for c in rows], next_cursor=next_cursor)


@router.post(
    "/evaluations/campaigns/{campaign_id}/transitions",
    response_model=schemas.CampaignOut,
    summary="Open, close or cancel a campaign (street admin of its street)",
)
async def transition_campaign(
    body: schemas.CampaignTransition, campaign: CampaignForStreet, session: SessionDep, principal: StreetAdmin
):
    await service.transition(session, campaign, body.event, principal.id)
    return _campaign_out(campaign, await service.count_ballots(session, campaign.id))


@router.get(
    "/evaluations/ballots",
    response_model=list[schemas.OpenBallot],
    summary="The caller's ballots still to cast in open campaigns (any logged-in user; raters get items)",
)
async def open_ballots(session: SessionDep, principal: CurrentUser):
    return [
        schemas.OpenBallot(
            campaign_id=o["campaign"].id,
            title=o["campaign"].title,
            level=o["campaign"].level,
            level_label=LEVELS[o["campaign"].level],
            target_id=o["target_id"],
            target_name=o["target_name"],
            questions=o["campaign"].questions,
            closes_at=o["campaign"].closes_at,
        )
        for o in await service.open_ballots(session, principal)
    ]


@router.post(
    "/evaluations/campaigns/{campaign_id}/ballots",
    status_code=201,
    response_model=schemas.BallotOut,
    summary="Cast a ballot (raters of the campaign's level only; one per household, compound or community)",
)
async def cast_ballot(campaign_id: IdPath, body: schemas.BallotIn, session: SessionDep, principal: CurrentUser):
    campaign = await service.get_campaign(session, campaign_id)
    ballot: EvaluationBallot = await service.cast(session, campaign, principal, body.target_id, body.answers)
    return schemas.BallotOut(
        id=ballot.id,
        campaign_id=ballot.campaign_id,
        target_id=ballot.target_id,
        rater=ballot.rater_key,
        answers=ballot.answers,
        created_at=ballot.created_at,
    )


@router.get(
    "/evaluations/campaigns/{campaign_id}/results",
    response_model=schemas.ResultsOut,
    summary="Results per target: mean per question, response rate with the rater units behind it (street admin)",
)
async def campaign_results(campaign: CampaignToRead, session: SessionDep, _: StreetAdmin):
    targets = await results.results(session, campaign)
    return schemas.ResultsOut(campaign=_campaign_out(campaign, sum(t["ballots"] for t in targets)), targets=targets)


async def _contacts_out(session, department_id: int, rows) -> schemas.ContactsOut:
    users = {r.user_id for r in rows}
    names = dict((await session.execute(select(User.id, User.name).where(User.id.in_(users)))).all()) if users else {}
    places = await checkins.place_names(session, {(r.place_kind, r.place_id) for r in rows})
    return schemas.ContactsOut(
        department_id=department_id,
        contacts=[
            schemas.ContactOut(
                user_id=r.user_id,
                user_name=names.get(r.user_id, ""),
                place_kind=r.place_kind,
                place_id=r.place_id,
                place_name=places.get((r.place_kind, r.place_id), ("", 0))[0],
            )
            for r in rows
        ],
    )


@router.put(
    "/departments/{department_id}/contacts",
    response_model=schemas.ContactsOut,
    summary="Set which staff member contacts which community or compound (street admin of its street)",
)
async def put_contacts(body: schemas.ContactsIn, department: DepartmentForStreet, session: SessionDep, _: StreetAdmin):
    rows = await checkins.set_contacts(session, department, [c.model_dump() for c in body.contacts])
    return await _contacts_out(session, department.id, rows)


@router.get(
    "/checkins/places",
    response_model=schemas.ContactsOut,
    summary="The caller's contact places, where they sign in (department staff and heads)",
)
async def my_places(session: SessionDep, principal: DepartmentStaff):
    rows = await checkins.contacts_of(session, user_id=principal.id)
    return await _contacts_out(session, rows[0].department_id if rows else 0, rows)


@router.post(
    "/checkins/batch",
    response_model=schemas.CheckinBatchOut,
    summary="Sign in at contact places, offline by client id; replays answered with their row (department staff)",
)
async def checkin_batch(body: schemas.CheckinBatch, session: SessionDep, principal: DepartmentStaff):
    items = await checkins.batch(session, principal.id, [c.model_dump() for c in body.checkins])
    return schemas.CheckinBatchOut(items=items)


@router.get(
    "/checkins/summary",
    response_model=schemas.CheckinSummaryOut,
    summary="签到率: working days signed ÷ working days per person and place, with the days and sign-ins behind "
    "(the department's staff, the street admin)",
)
async def checkin_summary(
    session: SessionDep,
    settings: SettingsDep,
    principal: FigureReader,
    department_id: IdQuery = None,
    period: PeriodQ = None,
):
    if department_id is None:
        own = sorted(
            principal.scope_ids("department_staff", "department") | principal.scope_ids("department_head", "department")
        )
        if not own:
            raise InvalidInput("请指明部门", code="department_required")
        department_id = own[0]
    dept = await policy.department(session, department_id)
    policy.require_reads_department(principal, dept)
    parsed = parse_period(period, default="month", not_future=True)
    return await checkins.summary(session, settings, dept, parsed)
