"""Figures over HTTP: the three escalation rates and the admin overview."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from backend.auth.deps import Admin, FigureReader
from backend.kernel.db import SessionDep
from backend.stats import escalation, overview
from backend.stats.scope import parse_period, resolve_scope

router = APIRouter(prefix="/api/v1/stats", tags=["stats"])

ScopeQ = Annotated[str | None, Query(max_length=30, description="street:<id> | community:<id> | department:<id>")]
OverviewScopeQ = Annotated[str | None, Query(max_length=30, description="street:<id> | community:<id> | compound:<id>")]
PeriodQ = Annotated[str | None, Query(max_length=30, description="2026 | 2026-H2 | 2026-Q3 | 2026-11")]


@router.get("/escalation", summary="呼叫应答率、事件处置率、居民满意率 with the issues behind each figure")
async def escalation_stats(session: SessionDep, principal: FigureReader, scope: ScopeQ = None, period: PeriodQ = None):
    resolved = await resolve_scope(session, principal, scope, ("street", "community", "department"))
    return await escalation.escalation_stats(session, resolved, parse_period(period))


@router.get(
    "/overview",
    summary="概览: wishes by status, median hours, completion and satisfaction, visit coverage, "
    "the three rates and a weekly series",
)
async def overview_stats(
    session: SessionDep, principal: Admin, scope: OverviewScopeQ = None, period: PeriodQ = None
):
    resolved = await resolve_scope(session, principal, scope, ("street", "community", "compound"))
    return await overview.overview(session, resolved, parse_period(period))
