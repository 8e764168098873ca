"""Grid issues over HTTP: raise, whistle (吹哨), respond/resolve/return (报到), confirm, reopen."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from backend.auth.deps import CurrentUser, DepartmentStaff, IssueReader, Principal, require_role
from backend.issues import schemas, service, state
from backend.issues.models import GridIssue
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden, InvalidInput
from backend.kernel.pagination import CursorQ, LimitQ, Page, page_of, parse_cursor
from backend.kernel.validation import IdPath

router = APIRouter(prefix="/api/v1/issues", tags=["issues"])

GridWorkerOnly = Annotated[Principal, require_role("grid_worker")]
Resolver = Annotated[Principal, require_role("department_staff", "department_head", "grid_worker")]


def viewer_of(principal: Principal) -> service.Viewer:
    return service.Viewer(
        user_id=principal.id,
        grid_ids=principal.scope_ids("grid_worker", "grid"),
        department_ids=principal.scope_ids("department_staff", "department")
        | principal.scope_ids("department_head", "department"),
        community_ids=principal.scope_ids("community_admin", "community"),
        street_ids=principal.scope_ids("street_admin", "street"),
    )


def actions_for(issue: GridIssue, viewer: service.Viewer) -> list[str]:
    out = []
    in_grid = issue.grid_id in viewer.grid_ids
    mine = service.is_assigned_to(issue, viewer.department_ids)
    if in_grid and issue.status in ("open", "returned"):
        out.append("whistle")
    if in_grid and issue.status == "open":
        out.append("resolve")
    if mine and issue.status in state.AWAITING_RESPONSE:
        out.append("respond")
    if mine and issue.status in state.LIVE:
        out += ["resolve", "return"]
    if in_grid and issue.status == "resolved":
        out += ["confirm", "reopen"] if issue.department_id else ["confirm"]
    return out


async def render(session, issue: GridIssue, viewer: service.Viewer, *, events: bool = True) -> schemas.IssueOut:
    names = await service.department_names(session, [issue.department_id])
    return _out(issue, viewer, names, await service.events_of(session, issue.id) if events else None)


def _out(issue: GridIssue, viewer: service.Viewer, names: dict[int, str], events) -> schemas.IssueOut:
    data = issue.model_dump()
    return schemas.IssueOut(
        **{k: data[k] for k in schemas.IssueOut.model_fields if k in data},
        status_label=state.STATUS_LABELS[issue.status],
        category_label=state.CATEGORIES.get(issue.category, issue.category),
        department_name=names.get(issue.department_id) if issue.department_id else None,
        actions=actions_for(issue, viewer),
        events=None
        if events is None
        else [
            schemas.IssueEventOut(
                type=e.type,
                label=state.EVENT_LABELS.get(e.type, e.type),
                from_status=e.from_status,
                to_status=e.to_status,
                actor_name=name,
                at=e.at,
                note=e.note,
            )
            for e, name in events
        ],
    )


async def _visible(session, principal: Principal, issue_id: int) -> tuple[GridIssue, service.Viewer]:
    issue = await service.get_issue(session, issue_id)
    viewer = viewer_of(principal)
    if not await service.can_view(session, viewer, issue):
        raise Forbidden("您无权查看该事件", code="out_of_scope")
    return issue, viewer


def _grid_only(issue: GridIssue, viewer: service.Viewer) -> None:
    if issue.grid_id not in viewer.grid_ids:
        raise Forbidden("只有该网格的网格员可以操作", code="out_of_scope")


@router.post("", status_code=201, response_model=schemas.IssueOut, summary="Raise a grid issue directly (grid worker)")
async def raise_issue(session: SessionDep, principal: GridWorkerOnly, body: schemas.IssueIn) -> schemas.IssueOut:
    viewer = viewer_of(principal)
    issue = await service.raise_issue(
        session,
        actor_id=principal.id,
        grid_ids=viewer.grid_ids,
        grid_id=body.grid_id,
        compound_id=body.compound_id,
        household_id=body.household_id,
        category=body.category,
        description=body.description,
        location=body.location,
        photos=body.photos,
        urgency=body.urgency,
    )
    return await render(session, issue, viewer)


@router.get(
    "/places",
    response_model=list[schemas.IssuePlace],
    summary="Where the caller may raise an issue: their grids and the compounds in each (grid worker)",
)
async def places(session: SessionDep, principal: GridWorkerOnly) -> list[schemas.IssuePlace]:
    return [schemas.IssuePlace(**p) for p in await service.places(session, viewer_of(principal).grid_ids)]


@router.get("", response_model=Page[schemas.IssueOut], summary="Issues: a grid's, a department's, an admin's scope")
async def list_issues(
    session: SessionDep,
    principal: IssueReader,
    mine: bool = True,
    status: Annotated[list[str] | None, Query()] = None,
    cursor: CursorQ = None,
    limit: LimitQ = 20,
) -> Page[schemas.IssueOut]:
    wanted = [s for part in status or [] for s in part.split(",") if s]
    unknown = [s for s in wanted if s not in state.STATUSES]
    if unknown:
        raise InvalidInput(f"未知的事件状态：{', '.join(unknown)}", code="invalid_status")
    viewer = viewer_of(principal)
    rows = await service.list_issues(
        session, viewer, mine=mine, statuses=wanted or None, cursor=parse_cursor(cursor), limit=limit
    )
    rows, next_cursor = page_of(rows, limit)
    names = await service.department_names(session, [i.department_id for i in rows])
    return Page(items=[_out(i, viewer, names, None) for i in rows], next_cursor=next_cursor)


@router.get("/{issue_id}", response_model=schemas.IssueOut, summary="One issue with its timeline and deadlines")
async def get_issue(session: SessionDep, principal: CurrentUser, issue_id: IdPath) -> schemas.IssueOut:
    issue, viewer = await _visible(session, principal, issue_id)
    return await render(session, issue, viewer)


@router.post("/{issue_id}/whistle", response_model=schemas.IssueOut, summary="吹哨: escalate to a street department")
async def whistle(
    request: Request, session: SessionDep, principal: GridWorkerOnly, issue_id: IdPath, body: schemas.WhistleIn
) -> schemas.IssueOut:
    issue = await service.get_issue(session, issue_id)
    viewer = viewer_of(principal)
    _grid_only(issue, viewer)
    await service.whistle(
        session, request.app.state.settings, issue, actor_id=principal.id, department_id=body.department_id
    )
    return await render(session, issue, viewer)


async def _department_issue(session, principal: Principal, issue_id: int) -> tuple[GridIssue, service.Viewer]:
    issue = await service.get_issue(session, issue_id)
    viewer = viewer_of(principal)
    service.require_department(issue, viewer.department_ids)
    return issue, viewer


@router.post("/{issue_id}/respond", response_model=schemas.IssueOut, summary="报到: the department answers the call")
async def respond(
    session: SessionDep, principal: DepartmentStaff, issue_id: IdPath, body: schemas.NoteIn
) -> schemas.IssueOut:
    issue, viewer = await _department_issue(session, principal, issue_id)
    await service.respond(session, issue, actor_id=principal.id, note=body.note)
    return await render(session, issue, viewer)


@router.post(
    "/{issue_id}/resolve",
    response_model=schemas.IssueOut,
    summary="The department resolves it (or the grid closes an open issue it handled itself)",
)
async def resolve(
    session: SessionDep, principal: Resolver, issue_id: IdPath, body: schemas.ResolveIn
) -> schemas.IssueOut:
    issue = await service.get_issue(session, issue_id)
    viewer = viewer_of(principal)
    if issue.status == "open" and issue.grid_id in viewer.grid_ids:
        pass  # the grid handled it itself
    else:
        service.require_department(issue, viewer.department_ids)
    await service.resolve(session, issue, actor_id=principal.id, note=body.note, photos=body.photos)
    return await render(session, issue, viewer)


@router.post("/{issue_id}/return", response_model=schemas.IssueOut, summary="The department hands it back")
async def hand_back(
    session: SessionDep, principal: DepartmentStaff, issue_id: IdPath, body: schemas.ReasonIn
) -> schemas.IssueOut:
    issue, viewer = await _department_issue(session, principal, issue_id)
    await service.hand_back(session, issue, actor_id=principal.id, reason=body.reason)
    return await render(session, issue, viewer)


@router.post("/{issue_id}/confirm", response_model=schemas.IssueOut, summary="The grid confirms and rates the result")
async def confirm(
    session: SessionDep, principal: GridWorkerOnly, issue_id: IdPath, body: schemas.ConfirmIn
) -> schemas.IssueOut:
    issue = await service.get_issue(session, issue_id)
    viewer = viewer_of(principal)
    _grid_only(issue, viewer)
    await service.confirm(session, issue, actor_id=principal.id, satisfied=body.satisfied, comment=body.comment)
    return await render(session, issue, viewer)


@router.post("/{issue_id}/reopen", response_model=schemas.IssueOut, summary="The grid reopens a resolved issue")
async def reopen(
    request: Request, session: SessionDep, principal: GridWorkerOnly, issue_id: IdPath, body: schemas.ReasonIn
) -> schemas.IssueOut:
    issue = await service.get_issue(session, issue_id)
    viewer = viewer_of(principal)
    _grid_only(issue, viewer)
    await service.reopen(session, request.app.state.settings, issue, actor_id=principal.id, reason=body.reason)
    return await render(session, issue, viewer)
