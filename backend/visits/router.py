"""Visits: the offline batch upload, a household's history, the worker's to-do list, coverage,
and each grid's visit cycle."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request

from backend.auth.deps import Admin, GridReader, GridStaff, GridWorker
from backend.directory import service as directory_service
from backend.households import policy as households_policy
from backend.households.register import ordered_tags, residents_of
from backend.households.scope import scope_of
from backend.issues import service as issues_service
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden
from backend.kernel.pagination import LimitQ, Page, decode_cursor
from backend.kernel.validation import IdPath, IdQuery
from backend.org import service as org_service
from backend.visits import schemas, service
from backend.visits.models import FINDING_LABELS, OUTCOME_LABELS

router = APIRouter(prefix="/api/v1", tags=["visits"])

KeyCursorQ = Annotated[str | None, Query(max_length=80, description="next_cursor of the previous page")]


def _policy(request: Request) -> service.CyclePolicy:
    settings = request.app.state.settings
    return service.CyclePolicy(default_days=settings.visit_cycle_days, tag_days=dict(settings.care_tag_cycle_days))


@router.post(
    "/visits/batch",
    response_model=schemas.VisitBatchOut,
    summary="Upload visits recorded offline, up to 200; replays create nothing twice "
    "(grid workers and building chiefs, for their own households)",
)
async def batch(
    body: schemas.VisitBatchIn, request: Request, session: SessionDep, principal: GridWorker
) -> schemas.VisitBatchOut:
    scope = await scope_of(session, principal)
    max_age = timedelta(days=request.app.state.settings.visit_max_age_days)
    results = await service.record_batch(
        session, worker_id=principal.id, scope=scope, items=body.visits, max_age=max_age
    )
    out = [schemas.VisitResult(**r.__dict__) for r in results]
    return schemas.VisitBatchOut(
        created=sum(r.status == "created" for r in out),
        duplicate=sum(r.status == "duplicate" for r in out),
        error=sum(r.status == "error" for r in out),
        results=out,
    )


@router.get(
    "/visits/todo",
    response_model=Page[schemas.TodoItem],
    summary="Households due for a visit, most urgent first (grid workers and building chiefs)",
)
async def todo(
    request: Request,
    session: SessionDep,
    principal: GridWorker,
    grid_id: IdQuery = None,
    within_days: Annotated[int, Query(ge=0, le=60, description="also list households due within this many days")] = 7,
    cursor: KeyCursorQ = None,
    limit: LimitQ = 50,
) -> Page[schemas.TodoItem]:
    scope = await scope_of(session, principal)
    items, next_cursor = await service.todo(
        session,
        scope,
        _policy(request),
        grid_id=grid_id,
        within_days=within_days,
        cursor=decode_cursor(cursor, 4),
        limit=limit,
    )
    ids = [d.household[0] for d in items]
    labels = await org_service.household_labels(session, ids)
    people = await residents_of(session, ids)
    care = request.app.state.settings.care_tags
    return Page(
        items=[
            schemas.TodoItem(
                household_id=d.household[0],
                label=labels.get(d.household[0], {}).get("label", ""),
                grid_id=d.household[1],
                compound_id=d.household[2],
                care_tags=ordered_tags(d.tags, care),
                cycle_days=d.cycle_days,
                last_visit_at=d.last_visit_at,
                last_attempt_at=d.last_attempt_at,
                due_at=d.due_at,
                overdue=d.overdue,
                days_overdue=d.days_overdue,
                residents=[
                    schemas.TodoResident(name=r.name, relation=r.relation, phone=r.phone)
                    for r in people.get(d.household[0], [])
                ],
            )
            for d in items
        ],
        next_cursor=next_cursor,
    )


@router.get(
    "/visits/coverage",
    response_model=schemas.CoverageOut,
    summary="Visit coverage of a month per worker and grid, rolled up to compound and community "
    "(grid workers, community and street admins)",
)
async def coverage(
    request: Request,
    session: SessionDep,
    principal: GridStaff,
    grid_id: IdQuery = None,
    period: Annotated[
        str | None, Query(max_length=30, description="a month, `2026-11` (the one period syntax); default this month")
    ] = None,
) -> schemas.CoverageOut:
    scope = await scope_of(session, principal)
    grids = set(scope.staff_grids)
    if grid_id is not None:
        households_policy.require_grid(scope, grid_id)
        grids = {grid_id}
    result = await service.coverage(session, grids, period, _policy(request))
    return schemas.CoverageOut(
        period=result.period,
        period_start=result.start,
        period_end=result.end,
        as_of=result.as_of,
        total=schemas.Counts(**result.total),
        grids=[schemas.GridCoverage(**g) for g in result.grids],
        compounds=[schemas.CompoundCoverage(**c) for c in result.compounds],
        communities=[schemas.CommunityCoverage(**c) for c in result.communities],
    )


@router.put(
    "/visits/cycles/{grid_id}",
    response_model=schemas.CycleOut,
    summary="Set a grid's visit cycle in days (community or street admin of the grid)",
)
async def set_cycle(grid_id: IdPath, body: schemas.CycleIn, session: SessionDep, principal: Admin) -> schemas.CycleOut:
    scope = await scope_of(session, principal)
    if grid_id not in scope.admin_grids:
        raise Forbidden("该网格不在您的管辖范围内", code="out_of_scope")
    row = await service.set_cycle(session, grid_id, body.cycle_days, principal.id)
    return schemas.CycleOut(grid_id=row.grid_id, cycle_days=row.cycle_days)


@router.get(
    "/households/{household_id}/visits",
    response_model=Page[schemas.VisitOut],
    summary="A household's visits, latest first, with findings and what they became "
    "(grid workers, building chiefs, admins of its grid)",
)
async def household_visits(
    household_id: IdPath,
    session: SessionDep,
    principal: GridReader,
    cursor: KeyCursorQ = None,
    limit: LimitQ = 20,
) -> Page[schemas.VisitOut]:
    scope = await scope_of(session, principal)
    await households_policy.visible_household(session, household_id, scope)
    visits, next_cursor = await service.history(session, household_id, decode_cursor(cursor, 2), limit)
    findings = await service.findings_of(session, [v.id for v in visits])
    workers = await directory_service.users_by_id(session, {v.worker_id for v in visits})
    issue_status = await issues_service.statuses(
        session, [f.issue_id for fs in findings.values() for f in fs if f.issue_id is not None]
    )

    def finding_out(f) -> schemas.FindingOut:
        ref = service.follow_up_ref(f)
        return schemas.FindingOut(
            kind=f.kind,
            kind_label=FINDING_LABELS[f.kind],
            text=f.text,
            photos=f.photos,
            follow_up=schemas.FollowUpOut(**ref) if ref else None,
            follow_up_status=issue_status.get(f.issue_id) if f.issue_id is not None else None,
        )

    return Page(
        items=[
            schemas.VisitOut(
                id=v.id,
                client_id=v.client_id,
                household_id=v.household_id,
                worker_id=v.worker_id,
                worker_name=workers[v.worker_id].name if v.worker_id in workers else "",
                visited_at=v.visited_at,
                outcome=v.outcome,
                outcome_label=OUTCOME_LABELS[v.outcome],
                people_met=v.people_met,
                note=v.note,
                location=v.location,
                findings=[finding_out(f) for f in findings.get(v.id, [])],
                created_at=v.created_at,
            )
            for v in visits
        ],
        next_cursor=next_cursor,
    )
