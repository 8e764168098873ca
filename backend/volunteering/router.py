"""Volunteering routes: teams and joining, activity series, activities, sign-up and the waitlist,
check-in (QR code or the organiser's offline roster), check-out and hours, closing."""

from __future__ import annotations

from typing import Literal
from urllib.parse import quote

from fastapi import APIRouter, Response
from sqlalchemy import select

from backend.auth.deps import Admin, CurrentUser, Organiser
from backend.auth.reach import ScopeQ, resolve_scope
from backend.directory.models import User
from backend.kernel.clock import utcnow
from backend.kernel.context import SettingsDep
from backend.kernel.db import ReadSessionDep, SessionDep
from backend.kernel.errors import Forbidden, InvalidInput
from backend.kernel.pagination import CursorQ, LimitQ, Page, page_of, parse_cursor
from backend.kernel.periods import PeriodQ, parse_period
from backend.kernel.validation import IdPath, IdQuery
from backend.partners import policy as partners_policy
from backend.partners import service as partners_service
from backend.volunteering import checkin, figures, ledgers, policy, registrations, schemas, service, views
from backend.volunteering.models import Activity, Registration
from backend.volunteering.policy import ActivityForOrganiser, ActivityPath
from backend.volunteering.state import MEMBERSHIP

router = APIRouter(prefix="/api/v1", tags=["volunteering"])


# ---- teams -----------------------------------------------------------------------------------


async def _team_out(session, principal, team) -> schemas.TeamOut:
    out = schemas.TeamOut(**team.model_dump(include={"id", "name", "community_id", "station", "leader_id"}))
    if policy.leads(principal, team.id) or await policy.admin_of_community(session, principal, team.community_id):
        out.members = [
            schemas.MemberOut(
                membership_id=m.id,
                user_id=m.user_id,
                name=name,
                role=m.role,
                status=m.status,
                status_label=MEMBERSHIP.label(m.status),
            )
            for m, name in await service.memberships(session, team.id)
        ]
    return out


@router.post(
    "/teams", status_code=201, response_model=schemas.TeamOut, summary="Found a volunteer team (community admin)"
)
async def create_team(body: schemas.TeamCreate, session: SessionDep, principal: Admin) -> schemas.TeamOut:
    if not await policy.admin_of_community(session, principal, body.community_id):
        raise Forbidden("您不是该社区的管理员", code="out_of_scope")
    team = await service.create_team(session, **body.model_dump())
    return await _team_out(session, principal, team)


@router.get("/teams", response_model=Page[schemas.TeamOut], summary="Volunteer teams (any logged-in user)")
async def list_teams(
    session: SessionDep, _: CurrentUser, community_id: IdQuery = None, cursor: CursorQ = None, limit: LimitQ = 20
) -> Page[schemas.TeamOut]:
    rows, next_cursor = page_of(
        await service.teams(session, community_id=community_id, cursor=parse_cursor(cursor), limit=limit), limit
    )
    fields = {"id", "name", "community_id", "station", "leader_id"}
    return Page(items=[schemas.TeamOut(**t.model_dump(include=fields)) for t in rows], next_cursor=next_cursor)


@router.get(
    "/teams/{team_id}",
    response_model=schemas.TeamOut,
    summary="A team; its members for its leader and the community's admins",
)
async def get_team(team_id: IdPath, session: SessionDep, principal: CurrentUser) -> schemas.TeamOut:
    return await _team_out(session, principal, await service.get_team(session, team_id))


@router.post(
    "/teams/{team_id}/join",
    status_code=201,
    response_model=schemas.MemberOut,
    summary="Ask to join a team (any logged-in user)",
)
async def join_team(
    team_id: IdPath, body: schemas.JoinIn, session: SessionDep, principal: CurrentUser
) -> schemas.MemberOut:
    team = await service.get_team(session, team_id)
    row = await service.join(session, team, principal.id, body.note)
    return schemas.MemberOut(
        membership_id=row.id,
        user_id=row.user_id,
        name=principal.user.name or "",
        role=row.role,
        status=row.status,
        status_label=MEMBERSHIP.label(row.status),
    )


@router.post(
    "/team-memberships/{membership_id}/decide",
    response_model=schemas.MemberOut,
    summary="Approve or reject a join request (the team's leader, the community's admins)",
)
async def decide_membership(
    membership_id: IdPath, body: schemas.MembershipDecision, session: SessionDep, principal: Organiser
) -> schemas.MemberOut:
    row = await service.get_membership(session, membership_id)
    await policy.require_leads(session, principal, await service.get_team(session, row.team_id))
    await service.decide_membership(
        session, row, approve=body.decision == "approve", role=body.role, actor_id=principal.id
    )
    user = await session.get(User, row.user_id)
    return schemas.MemberOut(
        membership_id=row.id,
        user_id=row.user_id,
        name=user.name or "",
        role=row.role,
        status=row.status,
        status_label=MEMBERSHIP.label(row.status),
    )


# ---- series and activities -------------------------------------------------------------------


async def _require_organiser_for(session, principal, organiser: schemas.OrganiserIn, community_id: int) -> dict:
    """The organiser an activity is created for, checked: a team the caller leads, a recognised
    partner the caller acts for, or the community the caller administers."""
    if organiser.kind == "community":
        if not await policy.admin_of_community(session, principal, community_id):
            raise Forbidden("您不是该社区的管理员", code="out_of_scope")
        return {"kind": "community", "id": None}
    if organiser.id is None:
        raise InvalidInput("请指明组织活动的队伍或合伙人", code="organiser_required")
    if organiser.kind == "team":
        team = await service.get_team(session, organiser.id)
        await policy.require_leads(session, principal, team)
        if team.community_id != community_id:
            raise InvalidInput("队伍不属于该社区", code="organiser_elsewhere")
    else:
        partner = await partners_service.get_partner(session, organiser.id)
        if not (partners_policy.acts_for(principal, partner.id) or partners_policy.manages(principal, partner)):
            raise Forbidden("您不是该合伙人的联系人", code="out_of_scope")
        partners_service.require_recognised(partner, "组织活动")
    return {"kind": organiser.kind, "id": organiser.id}


@router.post(
    "/activity-series",
    status_code=201,
    response_model=schemas.SeriesOut,
    summary="A series of recurring activities (community admin)",
)
async def create_series(body: schemas.SeriesCreate, session: SessionDep, principal: Admin) -> schemas.SeriesOut:
    if not await policy.admin_of_community(session, principal, body.community_id):
        raise Forbidden("您不是该社区的管理员", code="out_of_scope")
    row = await service.create_series(session, title=body.title, community_id=body.community_id, actor_id=principal.id)
    return schemas.SeriesOut(id=row.id, title=row.title, community_id=row.community_id)


@router.post(
    "/activities",
    status_code=201,
    response_model=schemas.ActivityOut,
    summary="Create an activity (a team's leader, a partner's contact, or the community admin)",
)
async def create_activity(
    body: schemas.ActivityCreate, session: SessionDep, principal: Organiser
) -> schemas.ActivityOut:
    organiser = await _require_organiser_for(session, principal, body.organiser, body.community_id)
    fields = body.model_dump(exclude={"organiser"})
    activity = await service.create_activity(session, actor_id=principal.id, organiser=organiser, **fields)
    return await views.detail(session, principal, activity)


@router.get("/activities", response_model=Page[schemas.ActivityOut], summary="Activities (any logged-in user)")
async def list_activities(
    session: SessionDep,
    principal: CurrentUser,
    community_id: IdQuery = None,
    team_id: IdQuery = None,
    series_id: IdQuery = None,
    upcoming: bool = False,
    my_community: bool = False,
    cursor: CursorQ = None,
    limit: LimitQ = 20,
) -> Page[schemas.ActivityOut]:
    if community_id is None and my_community:
        community_id = await service.community_of_user(session, principal.user)
    rows = await service.activities(
        session,
        community_ids={community_id} if community_id else None,
        team_id=team_id,
        series_id=series_id,
        ending_after=utcnow() if upcoming else None,
        cursor=parse_cursor(cursor),
        limit=limit,
    )
    rows, next_cursor = page_of(rows, limit)
    return Page(items=[views.summary(a) for a in rows], next_cursor=next_cursor)


@router.get(
    "/activities/{activity_id}",
    response_model=schemas.ActivityOut,
    summary="An activity with the caller's registration",
)
async def get_activity(activity: ActivityPath, session: SessionDep, principal: CurrentUser) -> schemas.ActivityOut:
    return await views.detail(session, principal, activity)


@router.post(
    "/activities/{activity_id}/registrations",
    status_code=201,
    response_model=schemas.RegistrationOut,
    summary="Sign up: registered while seats last, else waitlisted (any logged-in user)",
)
async def sign_up(activity: ActivityPath, session: SessionDep, principal: CurrentUser) -> schemas.RegistrationOut:
    row = await registrations.sign_up(session, activity, principal.user)
    return views.registration(row, name=principal.user.name, position=await views.waitlist_position(session, row))


@router.get(
    "/activities/{activity_id}/registrations",
    response_model=list[schemas.RegistrationOut],
    summary="The roster: every sign-up with names (the activity's organisers)",
)
async def roster_list(
    activity: ActivityForOrganiser, session: SessionDep, _: Organiser
) -> list[schemas.RegistrationOut]:
    rows = await session.execute(
        select(Registration, User.name)
        .join(User, User.id == Registration.user_id)
        .where(Registration.activity_id == activity.id)
        .order_by(Registration.id)
    )
    return [views.registration(r, name=name) for r, name in rows.all()]


@router.get(
    "/activities/{activity_id}/checkin-code",
    response_model=schemas.CheckinCodeOut,
    summary="The rotating check-in code to show as a QR code (the activity's organisers)",
)
async def checkin_code(activity: ActivityForOrganiser, settings: SettingsDep, _: Organiser) -> schemas.CheckinCodeOut:
    code, expires = checkin.code_for(settings.jwt_secret, activity.id)
    return schemas.CheckinCodeOut(code=code, expires_at=expires, refresh_seconds=int(checkin.WINDOW.total_seconds()))


@router.post(
    "/activities/{activity_id}/check-in",
    response_model=schemas.RegistrationOut,
    summary="Check in by scanning the organiser's code (the registered volunteer)",
)
async def check_in(
    activity: ActivityPath, body: schemas.CheckInIn, session: SessionDep, settings: SettingsDep, principal: CurrentUser
) -> schemas.RegistrationOut:
    checkin.verify(settings.jwt_secret, activity.id, body.code)
    checkin.require_open(activity.start_at, activity.end_at)
    row = (
        await session.execute(
            select(Registration)
            .where(Registration.activity_id == activity.id, Registration.user_id == principal.id)
            .order_by(Registration.id.desc())
            .limit(1)
            .with_for_update()
        )
    ).scalar_one_or_none()
    if row is None:
        raise Forbidden("您没有报名这项活动，请找组织者现场登记", code="not_registered")
    await registrations.check_in(session, row, at=utcnow(), actor_id=principal.id, how="扫码签到")
    return views.registration(row, name=principal.user.name)


@router.post(
    "/activities/{activity_id}/roster",
    response_model=schemas.RosterOut,
    summary="The organiser's offline roster: check-ins and walk-ins by client id (a replay is counted once)",
)
async def roster(
    activity: ActivityForOrganiser, body: schemas.RosterIn, session: SessionDep, principal: Organiser
) -> schemas.RosterOut:
    items = await registrations.roster(session, activity, [e.model_dump() for e in body.entries], actor_id=principal.id)
    return schemas.RosterOut(items=[schemas.RosterResult(**i) for i in items])


@router.post(
    "/activities/{activity_id}/close",
    response_model=schemas.CloseOut,
    summary="After the end: check out who is in, mark no-shows, release the waitlist (the organisers)",
)
async def close(activity: ActivityForOrganiser, session: SessionDep, principal: Organiser) -> schemas.CloseOut:
    return schemas.CloseOut(**await registrations.close(session, activity, actor_id=principal.id))


@router.get("/registrations/mine", response_model=Page[schemas.RegistrationOut], summary="My sign-ups with their hours")
async def my_registrations(session: SessionDep, principal: CurrentUser, cursor: CursorQ = None, limit: LimitQ = 20):
    stmt = (
        select(Registration, Activity.title, Activity.start_at)
        .join(Activity, Activity.id == Registration.activity_id)
        .where(Registration.user_id == principal.id)
    )
    if (c := parse_cursor(cursor)) is not None:
        stmt = stmt.where(Registration.id < c)
    rows = list((await session.execute(stmt.order_by(Registration.id.desc()).limit(limit + 1))).all())
    rows, next_cursor = page_of(rows, limit, key=lambda r: r[0].id)
    items = [views.registration(r, activity_title=title, activity_start_at=start) for r, title, start in rows]
    return Page(items=items, next_cursor=next_cursor)


async def _registration_for_organiser(session, principal, registration_id: int):
    row = await registrations.get_registration(session, registration_id)
    activity = await service.get_activity(session, row.activity_id, for_update=True)
    await policy.require_organises(session, principal, activity)
    return activity, row


@router.post(
    "/registrations/{registration_id}/cancel",
    response_model=schemas.RegistrationOut,
    summary="Cancel a sign-up until the start; the first waitlisted takes the seat (the volunteer)",
)
async def cancel(registration_id: IdPath, session: SessionDep, principal: CurrentUser) -> schemas.RegistrationOut:
    row = await registrations.get_registration(session, registration_id)
    if row.user_id != principal.id:
        raise Forbidden("只能取消自己的报名", code="not_yours")
    activity = await service.get_activity(session, row.activity_id, for_update=True)
    await registrations.cancel(session, activity, row, actor_id=principal.id)
    return views.registration(row, name=principal.user.name)


@router.post(
    "/registrations/{registration_id}/check-out",
    response_model=schemas.RegistrationOut,
    summary="Check out: sets the hours and credits the time bank (the activity's organisers)",
)
async def check_out(
    registration_id: IdPath, body: schemas.CheckOutIn, session: SessionDep, principal: Organiser
) -> schemas.RegistrationOut:
    activity, row = await _registration_for_organiser(session, principal, registration_id)
    at = min(body.at or utcnow(), utcnow())
    await registrations.check_out(session, activity, row, at=at, actor_id=principal.id)
    return views.registration(row)


@router.post(
    "/registrations/{registration_id}/hours",
    response_model=schemas.RegistrationOut,
    summary="Correct the hours, with a reason (logged; credits follow) (the activity's organisers)",
)
async def correct_hours(
    registration_id: IdPath, body: schemas.HoursIn, session: SessionDep, principal: Organiser
) -> schemas.RegistrationOut:
    activity, row = await _registration_for_organiser(session, principal, registration_id)
    await registrations.correct_hours(
        session, activity, row, minutes=body.service_minutes, reason=body.reason, actor_id=principal.id
    )
    return views.registration(row)


# ---- figures and ledgers ---------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/stats/volunteering",
    summary="Volunteering figures (sessions, 人次 from check-ins, 人数, hours, newcomers; per team, partner, series) "
    "and the lists' figures, each with its items (admins)",
)
async def volunteering_stats(
    session: ReadSessionDep, principal: Admin, scope: ScopeQ = None, period: PeriodQ = None
) -> dict:
    resolved = await resolve_scope(session, principal, scope, ("street", "community"))
    return await figures.volunteering_stats(session, resolved, parse_period(period, default="month"))


@router.get(
    "/co-building/ledger",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "the ledger (.xlsx)"}},
    summary="志愿服务台账, 合伙人台账, 三清单台账, 驻区单位共建情况, 时间银行流水 (.xlsx) (admins)",
)
async def co_building_ledger(
    session: SessionDep,
    principal: Admin,
    kind: Literal["volunteering", "partners", "lists", "work_units", "timebank"],
    scope: ScopeQ = None,
    period: PeriodQ = None,
) -> Response:
    resolved = await resolve_scope(session, principal, scope, ("street", "community"))
    parsed = parse_period(period, default="month")
    content, _ = await ledgers.write(session, kind, resolved, parsed)
    name = f"{resolved.name}{ledgers.LEDGERS[kind].title}{parsed.label}.xlsx"
    return Response(
        content, media_type=XLSX, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
    )
