"""Grid issues over HTTP: raise, whistle (吹哨), respond/resolve/return (报到), confirm, reopen."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from backend.auth.deps import GridWorkerOnly, IssueReader
from backend.issues import policy, schemas, service, views
from backend.issues.policy import IssueForDepartment, IssueForGrid, IssueForResolver, IssueVisible
from backend.issues.state import STATUSES
from backend.kernel.context import SettingsDep
from backend.kernel.db import SessionDep
from backend.kernel.errors import InvalidInput
from backend.kernel.pagination import CursorQ, LimitQ, Page, page_of, parse_cursor

router = APIRouter(prefix="/api/v1/issues", tags=["issues"])


@router.post("", status_code=201, response_model=schemas.IssueOut, summary="Raise a grid issue directly (grid worker)")
async def raise_issue(session: SessionDep, principal: GridWorkerOnly, body: schemas.IssueIn) -> schemas.IssueOut:
    viewer = policy.viewer_of(principal)
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
    return await views.render(session, issue, viewer)


@router.get(
    "/places",
    response_model=list[schemas.IssuePlace],
    summary="Where the caller may raise an issue: their grids and the compounds in each (grid worker)",
)
async def places(session: SessionDep, principal: GridWorkerOnly) -> list[schemas.IssuePlace]:
    return [schemas.IssuePlace(**p) for p in await service.places(session, policy.viewer_of(principal).grid_ids)]


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
    unknown = [s for s in wanted if s not in STATUSES]
    if unknown:
        raise InvalidInput(f"未知的事件状态：{', '.join(unknown)}", code="invalid_status")
    viewer = policy.viewer_of(principal)
    rows = await service.list_issues(
        session, viewer, mine=mine, statuses=wanted or None, cursor=parse_cursor(cursor), limit=limit
    )
    rows, next_cursor = page_of(rows, limit)
    names = await service.department_names(session, [i.department_id for i in rows])
    return Page(items=[views.issue_out(i, viewer, names, None) for i in rows], next_cursor=next_cursor)


@router.get("/{issue_id}", response_model=schemas.IssueOut, summary="One issue with its timeline and deadlines")
async def get_issue(session: SessionDep, loaded: IssueVisible) -> schemas.IssueOut:
    issue, viewer = loaded
    return await views.render(session, issue, viewer)


@router.post("/{issue_id}/whistle", response_model=schemas.IssueOut, summary="吹哨: escalate to a street department")
async def whistle(
    session: SessionDep, settings: SettingsDep, loaded: IssueForGrid, body: schemas.WhistleIn
) -> schemas.IssueOut:
    issue, viewer = loaded
    await service.whistle(session, settings, issue, actor_id=viewer.user_id, department_id=body.department_id)
    return await views.render(session, issue, viewer)


@router.post("/{issue_id}/respond", response_model=schemas.IssueOut, summary="报到: the department answers the call")
async def respond(session: SessionDep, loaded: IssueForDepartment, body: schemas.NoteIn) -> schemas.IssueOut:
    issue, viewer = loaded
    await service.respond(session, issue, actor_id=viewer.user_id, note=body.note)
    return await views.render(session, issue, viewer)


@router.post(
    "/{issue_id}/resolve",
    response_model=schemas.IssueOut,
    summary="The department resolves it (or the grid closes an open issue it handled itself)",
)
async def resolve(session: SessionDep, loaded: IssueForResolver, body: schemas.ResolveIn) -> schemas.IssueOut:
    issue, viewer = loaded
    await service.resolve(session, issue, actor_id=viewer.user_id, note=body.note, photos=body.photos)
    return await views.render(session, issue, viewer)


@router.post("/{issue_id}/return", response_model=schemas.IssueOut, summary="The department hands it back")
async def hand_back(session: SessionDep, loaded: IssueForDepartment, body: schemas.ReasonIn) -> schemas.IssueOut:
    issue, viewer = loaded
    await service.hand_back(session, issue, actor_id=viewer.user_id, reason=body.reason)
    return await views.render(session, issue, viewer)


@router.post("/{issue_id}/confirm", response_model=schemas.IssueOut, summary="The grid confirms and rates the result")
async def confirm(session: SessionDep, loaded: IssueForGrid, body: schemas.ConfirmIn) -> schemas.IssueOut:
    issue, viewer = loaded
    await service.confirm(session, issue, actor_id=viewer.user_id, satisfied=body.satisfied, comment=body.comment)
    return await views.render(session, issue, viewer)


@router.post("/{issue_id}/reopen", response_model=schemas.IssueOut, summary="The grid reopens a resolved issue")
async def reopen(
    session: SessionDep, settings: SettingsDep, loaded: IssueForGrid, body: schemas.ReasonIn
) -> schemas.IssueOut:
    issue, viewer = loaded
    await service.reopen(session, settings, issue, actor_id=viewer.user_id, reason=body.reason)
    return await views.render(session, issue, viewer)
