"""Figures over HTTP: the three escalation rates (with the grid's backlog) and the admin overview."""

from __future__ import annotations

from fastapi import APIRouter

from backend.auth.deps import Admin, FigureReader
from backend.auth.reach import AreaScopeQ, ScopeQ, resolve_scope
from backend.kernel.context import SettingsDep
from backend.kernel.db import ReadSessionDep
from backend.kernel.periods import PeriodQ, parse_period
from backend.stats import backlog, co_governance, escalation, overview
from backend.stats import projects as project_figures

router = APIRouter(prefix="/api/v1/stats", tags=["stats"])


@router.get(
    "/escalation",
    summary="呼叫应答率、事件处置率、居民满意率 over issues, with the issues behind each figure; "
    "for a street or community also the grid's backlog",
)
async def escalation_stats(
    session: ReadSessionDep,
    settings: SettingsDep,
    principal: FigureReader,
    scope: ScopeQ = None,
    period: PeriodQ = None,
):
    resolved = await resolve_scope(session, principal, scope, ("street", "community", "department"))
    out = await escalation.escalation_stats(session, resolved, parse_period(period))
    if resolved.kind != "department":
        out["backlog"] = await backlog.backlog(session, settings, resolved)
    return out


@router.get(
    "/overview",
    summary="概览: wishes by status, median hours, completion and satisfaction, visit coverage, "
    "the three rates, the grid's backlog and a weekly series; every figure with its items",
)
async def overview_stats(
    session: ReadSessionDep, settings: SettingsDep, principal: Admin, scope: AreaScopeQ = None, period: PeriodQ = None
):
    resolved = await resolve_scope(session, principal, scope, ("street", "community", "compound"))
    grid_backlog = await backlog.backlog(session, settings, resolved)
    return await overview.overview(session, resolved, parse_period(period), grid_backlog)


@router.get(
    "/co-governance",
    summary="社区提案与党群议事日: proposals by status, category and level, participants (人数、人次), "
    "adoption rate, 议事事项办结率, each with its items",
)
async def co_governance_stats(
    session: ReadSessionDep, principal: Admin, scope: AreaScopeQ = None, period: PeriodQ = None
):
    resolved = await resolve_scope(session, principal, scope, ("street", "community", "compound"))
    return await co_governance.co_governance(session, resolved, parse_period(period))


@router.get(
    "/projects",
    summary="Projects (联动执行): by status, key projects per compound against the yearly target, the "
    "on-time rate, task overdue counts, funding per source, each with its items (community and street admins)",
)
async def project_stats(
    session: ReadSessionDep, settings: SettingsDep, principal: Admin, scope: AreaScopeQ = None, period: PeriodQ = None
):
    resolved = await resolve_scope(session, principal, scope, ("street", "community", "compound"))
    return await project_figures.projects(session, resolved, parse_period(period), settings.key_projects_per_year)
