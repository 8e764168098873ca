"""Visits over HTTP: the offline batch upload (sync.py), the worker's to-do list (todo.py),
coverage (coverage.py), each grid's visit cycle (cycles.py) and a household's history
(history.py). Who may call what is policy.py's; the responses are shaped in views.py."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from backend.auth.deps import Admin, GridWorker
from backend.households.policy import HouseholdVisible
from backend.kernel.context import SettingsDep
from backend.kernel.db import ReadSessionDep, SessionDep
from backend.kernel.pagination import LimitQ, Page, decode_cursor
from backend.kernel.responses import ModelJSON
from backend.kernel.validation import IdPath, IdQuery
from backend.visits import coverage as visit_coverage
from backend.visits import cycles, history, month_facts, policy, schemas, sync, views
from backend.visits import todo as visit_todo
from backend.visits.cycles import CyclePolicy
from backend.visits.policy import AdminScope, StaffScope, VisitorScope

router = APIRouter(prefix="/api/v1", tags=["visits"])

KeyCursorQ = Annotated[str | None, Query(max_length=80, description="next_cursor of the previous page")]


@router.post(
    "/visits/batch",
    response_model=schemas.VisitBatchOut,
    summary="Upload visits recorded offline, up to 200; replays create nothing twice "
    "(grid workers and building chiefs, for their own households)",
)
async def batch(
    body: schemas.VisitBatchIn, settings: SettingsDep, session: SessionDep, principal: GridWorker, scope: VisitorScope
) -> schemas.VisitBatchOut:
    max_age = month_facts.backfill_window(settings)
    results = await sync.record_batch(session, worker_id=principal.id, scope=scope, items=body.visits, max_age=max_age)
    return views.batch_out(results)


@router.get(
    "/visits/todo",
    response_model=Page[schemas.TodoItem],
    summary="Households due for a visit, most urgent first (grid workers and building chiefs)",
)
async def todo(
    settings: SettingsDep,
    session: SessionDep,
    scope: VisitorScope,
    grid_id: IdQuery = None,
    within_days: Annotated[int, Query(ge=0, le=60, description="also list households due within this many days")] = 7,
    cursor: KeyCursorQ = None,
    limit: LimitQ = 50,
) -> Page[schemas.TodoItem]:
    items, next_cursor = await visit_todo.todo(
        session,
        scope,
        CyclePolicy.from_settings(settings),
        grid_id=grid_id,
        within_days=within_days,
        cursor=decode_cursor(cursor, 4),
        limit=limit,
    )
    return Page(items=await views.todo_items(session, items, settings.care_tags), next_cursor=next_cursor)


@router.get(
    "/visits/coverage",
    response_model=schemas.CoverageOut,
    summary="Visit coverage of a month per worker and grid, rolled up to compound and community "
    "(grid workers, community and street admins)",
)
async def coverage(
    settings: SettingsDep,
    session: ReadSessionDep,
    scope: StaffScope,
    grid_id: IdQuery = None,
    period: Annotated[
        str | None, Query(max_length=30, description="a month, `2026-11` (the one period syntax); default this month")
    ] = None,
) -> ModelJSON:  # CoverageOut, serialised once
    grids = policy.coverage_grids(scope, grid_id)
    cycle_policy, window = CyclePolicy.from_settings(settings), month_facts.backfill_window(settings)
    result = await visit_coverage.coverage(session, grids, period, cycle_policy, window)
    return ModelJSON(views.coverage_out(result))


@router.put(
    "/visits/cycles/{grid_id}",
    response_model=schemas.CycleOut,
    summary="Set a grid's visit cycle in days (community or street admin of the grid)",
)
async def set_cycle(
    grid_id: IdPath, body: schemas.CycleIn, session: SessionDep, principal: Admin, scope: AdminScope
) -> schemas.CycleOut:
    policy.require_cycle_admin(scope, grid_id)
    row = await cycles.set_cycle(session, grid_id, body.cycle_days, principal.id)
    return schemas.CycleOut(grid_id=row.grid_id, cycle_days=row.cycle_days)


@router.get(
    "/households/{household_id}/visits",
    response_model=Page[schemas.VisitOut],
    summary="A household's visits, latest first, with findings and what they became "
    "(grid workers, building chiefs, admins of its grid)",
)
async def household_visits(
    session: SessionDep,
    loaded: HouseholdVisible,
    cursor: KeyCursorQ = None,
    limit: LimitQ = 20,
) -> Page[schemas.VisitOut]:
    household, _ = loaded
    visits, next_cursor = await history.history(session, household.id, decode_cursor(cursor, 2), limit)
    return Page(items=await views.visits_out(session, visits), next_cursor=next_cursor)
