"""Routes of the department assessment (部门考核), the sign-in ledger (签到台账) and the
头雁领航·夺旗摘星 competition."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from sqlalchemy import select

from backend.assessment import competition, ledgers, schemas, service
from backend.assessment.models import IndicatorEntry
from backend.assessment.parts import PARTS
from backend.assessment.state import ENTRY
from backend.auth.deps import Admin, CommunityAdmin, FigureReader, Principal, StreetAdmin
from backend.auth.reach import resolve_scope
from backend.evaluations import policy as evaluations_policy
from backend.kernel.context import SettingsDep
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden, InvalidInput, NotFound
from backend.kernel.periods import PeriodQ, parse_period
from backend.kernel.validation import IdPath, IdQuery
from backend.org.models import Community, Department, Street

router = APIRouter(prefix="/api/v1", tags=["assessment"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YearQ = Annotated[int, Query(ge=2000, le=2100, description="the year, Asia/Shanghai")]
YearPath = Annotated[int, Path(ge=2000, le=2100)]
CodePath = Annotated[str, Path(pattern=r"^[a-z0-9_]{1,20}$")]


def _xlsx(content: bytes, name: str) -> Response:
    return Response(
        content, media_type=XLSX, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
    )


async def _street_of_admin(session, principal: Principal, street_id: int | None = None) -> int:
    """The street an admin reads: a street admin's own, a community admin's community's."""
    if principal.has_role("street_admin"):
        return evaluations_policy.street_of(principal, street_id)
    communities = sorted(principal.scope_ids("community_admin", "community"))
    streets = set((await session.execute(select(Community.street_id).where(Community.id.in_(communities)))).scalars())
    if street_id is None and len(streets) == 1:
        return next(iter(streets))
    if street_id is not None and street_id in streets:
        return street_id
    raise Forbidden("您不是该街道的管理员", code="out_of_scope")


@router.put(
    "/assessments/weights",
    response_model=schemas.WeightsOut,
    summary="Set the parts' weights of the department assessment, summing to 100 (street admin)",
)
async def put_weights(body: schemas.WeightsIn, session: SessionDep, principal: StreetAdmin):
    street_id = evaluations_policy.street_of(principal, body.street_id)
    weights = await service.set_weights(session, street_id, body.weights, principal.id)
    return schemas.WeightsOut(street_id=street_id, weights=weights, parts={c: p.label for c, p in PARTS.items()})


async def _assessment(session, settings, principal: Principal, year: int, department_id: int | None) -> dict:
    text = f"department:{department_id}" if department_id else None
    if text is None and principal.has_role("street_admin"):
        text = f"street:{evaluations_policy.street_of(principal, None)}"
    scope = await resolve_scope(session, principal, text, ("street", "department"))
    period = parse_period(str(year), kinds=("year",))
    return await service.departments(session, settings, scope, period)


@router.get(
    "/assessments/departments",
    summary="部门考核: per department the three rates, the communities' evaluation score, the sign-in rate "
    "and overdue escalations, combined by the weights; every part with its items (street admin; staff: their own)",
)
async def departments(
    session: SessionDep, settings: SettingsDep, principal: FigureReader, year: YearQ, department_id: IdQuery = None
):
    return await _assessment(session, settings, principal, year, department_id)


@router.get(
    "/assessments/departments/export",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "部门考核 (.xlsx)"}},
    summary="部门考核 (.xlsx) of the street's departments (street admin)",
)
async def departments_export(session: SessionDep, settings: SettingsDep, principal: StreetAdmin, year: YearQ):
    result = await _assessment(session, settings, principal, year, None)
    street = await session.get(Street, result["street_id"])
    content, _ = await ledgers.assessment_ledger(street.name, result)
    return _xlsx(content, f"{street.name}部门考核{year}.xlsx")


@router.get(
    "/checkins/ledger",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "签到台账 (.xlsx)"}},
    summary="签到台账 (.xlsx): every sign-in of a department (or all of the street's) over a period, with "
    "whether it counted (street admin; staff: their department)",
)
async def checkin_ledger(
    session: SessionDep,
    settings: SettingsDep,
    principal: FigureReader,
    department_id: IdQuery = None,
    period: PeriodQ = None,
):
    parsed = parse_period(period, default="month")
    if department_id is not None:
        dept = await evaluations_policy.department(session, department_id)
        evaluations_policy.require_reads_department(principal, dept)
        depts, name = [dept], dept.name
    else:
        street_id = evaluations_policy.street_of(principal, None) if principal.has_role("street_admin") else None
        if street_id is None:
            raise InvalidInput("请指明部门", code="department_required")
        stmt = select(Department).where(Department.street_id == street_id).order_by(Department.id)
        depts, name = list((await session.execute(stmt)).scalars()), "全部部门"
    content, _ = await ledgers.checkin_ledger(session, settings, name, depts, parsed)
    return _xlsx(content, f"{name}签到台账{parsed.label}.xlsx")


def _indicators_out(row) -> schemas.IndicatorsOut:
    return schemas.IndicatorsOut(
        street_id=row.street_id,
        year=row.year,
        indicators=row.indicators,
        flag_stars=row.flag_stars,
        sources={k: s.label for k, s in competition.SOURCES.items()} | {competition.ENTERED: "社区填报"},
    )


@router.put(
    "/indicators/{year}",
    response_model=schemas.IndicatorsOut,
    summary="Set the year's 夺旗摘星 indicators (at most 20), targets, star thresholds and the flag (street admin)",
)
async def put_indicators(year: YearPath, body: schemas.IndicatorsIn, session: SessionDep, principal: StreetAdmin):
    street_id = evaluations_policy.street_of(principal, body.street_id)
    fields = {"indicators": [i.model_dump() for i in body.indicators], "flag_stars": body.flag_stars}
    row = await competition.set_indicators(session, street_id, year, fields, principal.id)
    return _indicators_out(row)


@router.get(
    "/indicators/{year}",
    response_model=schemas.IndicatorsOut,
    summary="The year's 夺旗摘星 indicators (community and street admins)",
)
async def get_indicators(year: YearPath, session: SessionDep, principal: Admin):
    street_id = await _street_of_admin(session, principal)
    return _indicators_out(await competition.indicators_of(session, street_id, year))


def _entry_out(e: IndicatorEntry) -> schemas.EntryOut:
    return schemas.EntryOut(
        id=e.id,
        year=e.year,
        code=e.code,
        community_id=e.community_id,
        value=e.value,
        evidence=e.evidence,
        photos=e.photos,
        status=e.status,
        status_label=ENTRY.label(e.status),
        reason=e.reason,
    )


@router.put(
    "/indicators/{year}/entries/{code}",
    response_model=schemas.EntryOut,
    summary="Enter the community's value of an entered indicator, with evidence; it waits for the street "
    "(community admin of the community)",
)
async def put_entry(
    year: YearPath, code: CodePath, body: schemas.EntryIn, session: SessionDep, principal: CommunityAdmin
):
    if body.community_id not in principal.scope_ids("community_admin", "community"):
        raise Forbidden("您不是该社区的管理员", code="out_of_scope")
    community = await session.get(Community, body.community_id)
    if community is None:
        raise NotFound(f"社区 {body.community_id} 不存在", code="community_not_found")
    fields = body.model_dump(exclude={"community_id"})
    return _entry_out(await competition.enter(session, community, year, code, fields, principal.id))


@router.post(
    "/indicator-entries/{entry_id}/decide",
    response_model=schemas.EntryOut,
    summary="Approve or return a community's entered value (street admin of its street)",
)
async def decide_entry(entry_id: IdPath, body: schemas.EntryDecision, session: SessionDep, principal: StreetAdmin):
    stmt = select(IndicatorEntry).where(IndicatorEntry.id == entry_id).with_for_update()
    entry = (await session.execute(stmt)).scalar_one_or_none()
    if entry is None:
        raise NotFound(f"填报 {entry_id} 不存在", code="entry_not_found")
    evaluations_policy.require_street(principal, entry.street_id)
    return _entry_out(await competition.decide(session, entry, body.decision, principal.id, body.reason))


@router.get(
    "/competition",
    summary="头雁领航·夺旗摘星: communities ranked on the year's indicators, each value with its items or its "
    "entry and approval (community and street admins)",
)
async def get_competition(session: SessionDep, principal: Admin, year: YearQ, period: PeriodQ = None):
    street_id = await _street_of_admin(session, principal)
    parsed = parse_period(period or str(year))
    if parsed.first_day.year != year:
        raise InvalidInput("时段应在所选年度之内", code="invalid_period")
    return await competition.ranking(session, street_id, year, parsed)


@router.get(
    "/competition/export",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "夺旗摘星 (.xlsx)"}},
    summary="夺旗摘星 (.xlsx) of the year (community and street admins)",
)
async def competition_export(session: SessionDep, principal: Admin, year: YearQ, period: PeriodQ = None):
    result = await get_competition(session, principal, year, period)
    street = await session.get(Street, result["street_id"])
    content, _ = await ledgers.competition_ledger(street.name, result)
    return _xlsx(content, f"{street.name}夺旗摘星{result['period']['label']}.xlsx")
