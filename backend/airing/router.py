"""晾晒台: quarterly airing snapshots, published by the community admin, public to the community."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from backend.airing import service
from backend.auth.deps import CommunityAdmin, CurrentUser
from backend.kernel.context import SettingsDep
from backend.kernel.db import ReadSessionDep, SessionDep
from backend.kernel.errors import Forbidden
from backend.kernel.pagination import CursorQ, LimitQ, Page, page_of, parse_cursor
from backend.kernel.validation import Id, IdPath

router = APIRouter(prefix="/api/v1/airing", tags=["airing"])


class PublishIn(BaseModel):
    community_id: Id
    period: str = Field(pattern=r"^\d{4}-Q[1-4]$", description="2026-Q3")
    correction_reason: str | None = Field(
        None,
        min_length=2,
        max_length=200,
        description="only to correct a published quarter: why; publishes a new version that supersedes it",
    )


class VersionOut(BaseModel):
    id: int
    version: int
    published_at: datetime
    correction_reason: str | None


class AiringOut(BaseModel):
    id: int
    community_id: int
    compound_id: int | None
    period: str
    title: str
    published_at: datetime
    version: int = 1
    supersedes_id: int | None = None
    correction_reason: str | None = None
    superseded_by_id: int | None = Field(None, description="the newer version that corrects this one, if any")
    content: dict | None = None
    history: list[VersionOut] | None = Field(None, description="every version of this scope and quarter")


def _out(s, with_content: bool, superseded_by: int | None = None, history=None) -> AiringOut:
    return AiringOut(
        id=s.id,
        community_id=s.community_id,
        compound_id=s.compound_id,
        period=s.period,
        title=s.title,
        published_at=s.published_at,
        version=s.version,
        supersedes_id=s.supersedes_id,
        correction_reason=s.correction_reason,
        superseded_by_id=superseded_by,
        content=s.content if with_content else None,
        history=None
        if history is None
        else [
            VersionOut(id=h.id, version=h.version, published_at=h.published_at, correction_reason=h.correction_reason)
            for h in history
        ],
    )


@router.post(
    "",
    status_code=201,
    response_model=list[AiringOut],
    summary="Publish a complete quarter's airing, or a correction of it (a new version, with a reason)",
)
async def publish(
    session: SessionDep, settings: SettingsDep, principal: CommunityAdmin, body: PublishIn
) -> list[AiringOut]:
    if body.community_id not in principal.scope_ids("community_admin", "community"):
        raise Forbidden("只能发布本社区的晾晒", code="out_of_scope")
    snaps = await service.publish(
        session,
        settings,
        community_id=body.community_id,
        period=body.period,
        actor_id=principal.id,
        correction_reason=body.correction_reason,
    )
    return [_out(s, True) for s in snaps]


@router.get("", response_model=Page[AiringOut], summary="Published airings of the caller's communities")
async def list_airings(
    session: ReadSessionDep, principal: CurrentUser, cursor: CursorQ = None, limit: LimitQ = 20
) -> Page[AiringOut]:
    communities = await service.communities_of(session, principal)
    rows = await service.list_snapshots(
        session, communities, cursor=parse_cursor(cursor), limit=limit, compound_id=service.compound_only(principal)
    )
    rows, next_cursor = page_of(rows, limit)
    newer = await service.superseded_by(session, [s.id for s in rows])
    return Page(items=[_out(s, False, newer.get(s.id)) for s in rows], next_cursor=next_cursor)


@router.get("/{airing_id}", response_model=AiringOut, summary="One airing snapshot, as published")
async def get_airing(session: ReadSessionDep, principal: CurrentUser, airing_id: IdPath) -> AiringOut:
    snap = await service.get_snapshot(session, airing_id)
    if snap.community_id not in await service.communities_of(session, principal):
        raise Forbidden("该晾晒不属于您所在的社区", code="out_of_scope")
    only = service.compound_only(principal)
    if only is not None and snap.compound_id != only:
        raise Forbidden("住户认证通过后才能查看社区的晾晒", code="verification_required")
    versions = await service.history(session, snap)
    newer = next((v.id for v in versions if v.supersedes_id == snap.id), None)
    return _out(snap, True, newer, versions)
