"""GET /api/v1/exports/ledger: a ledger as .xlsx for the admins of its scope."""

from __future__ import annotations

import os
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from backend.auth.deps import Admin
from backend.auth.reach import AreaScopeQ, resolve_scope
from backend.exports import ledger, work_units
from backend.kernel.db import ReadSessionDep
from backend.kernel.periods import PeriodQ, parse_period

router = APIRouter(prefix="/api/v1/exports", tags=["exports"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/ledger",
    response_class=FileResponse,
    responses={200: {"content": {XLSX: {}}, "description": "the ledger (.xlsx)"}},
    summary="台账 (.xlsx, streamed): wishes, visits, issues, registrations, proposals, meetings, projects or "
    "appraisals (评议台账) of a scope over a period",
)
async def export_ledger(
    session: ReadSessionDep,
    principal: Admin,
    kind: Literal["wishes", "visits", "issues", "registrations", "proposals", "meetings", "projects", "appraisals"],
    scope: AreaScopeQ = None,
    period: PeriodQ = None,
):
    resolved = await resolve_scope(session, principal, scope, ("street", "community", "compound"))
    parsed = parse_period(period)
    path, _ = await ledger.write_ledger(session, kind, resolved, parsed)
    name = f"{resolved.name}{ledger.LEDGERS[kind].title}{parsed.label}.xlsx"
    return FileResponse(
        path,
        media_type=XLSX,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
        background=BackgroundTask(os.unlink, path),
    )


@router.get(
    "/work-units",
    response_class=FileResponse,
    responses={200: {"content": {XLSX: {}}, "description": "the report (.xlsx)"}},
    summary="向单位反馈 (.xlsx): per work unit, its members' reporting-in and wishes over a half year",
)
async def export_work_units(
    session: ReadSessionDep,
    principal: Admin,
    half: Annotated[
        str | None, Query(max_length=10, description="deprecated: 2026H1 | 2026H2 (use period)", deprecated=True)
    ] = None,
    scope: Annotated[str | None, Query(max_length=30, description="street:<id> | community:<id>")] = None,
    period: PeriodQ = None,
):
    resolved = await resolve_scope(session, principal, scope, ("street", "community"))
    parsed = work_units.parse_half(period, half)
    path, _ = await work_units.write_report(session, resolved, parsed)
    name = f"{resolved.name}{work_units.TITLE}{parsed.label}.xlsx"
    return FileResponse(
        path,
        media_type=XLSX,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
        background=BackgroundTask(os.unlink, path),
    )


@router.get(
    "/work-units/details",
    summary="向单位反馈 as JSON: per work unit, each count with the members and wishes behind it",
)
async def work_unit_details(
    session: ReadSessionDep,
    principal: Admin,
    scope: Annotated[str | None, Query(max_length=30, description="street:<id> | community:<id>")] = None,
    period: PeriodQ = None,
):
    resolved = await resolve_scope(session, principal, scope, ("street", "community"))
    parsed = work_units.parse_half(period, None)
    rows = await work_units.member_rows(session, resolved, parsed)
    return {
        "scope": {"kind": resolved.kind, "id": resolved.id, "name": resolved.name},
        "period": {"label": parsed.label, "start": parsed.start, "end": parsed.end},
        "work_units": work_units.details(rows),
    }
