"""Routes of the three lists (三清单): batches, items and the grid workers' offline canvass,
claims between units and communities (双认领), ranked matches."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from sqlalchemy import select

from backend.auth.deps import CurrentUser, GridWorkerOnly, ListPublisher, Principal, require_role
from backend.kernel.db import SessionDep
from backend.kernel.errors import Forbidden, InvalidInput
from backend.kernel.pagination import CursorQ, LimitQ, Page, page_of, parse_cursor
from backend.kernel.validation import IdPath, IdQuery
from backend.lists import matching, policy, schemas, service, views
from backend.lists.models import ListBatch, ListClaim, ListItem
from backend.org.models import Grid

router = APIRouter(prefix="/api/v1", tags=["lists"])
Matcher = Annotated[Principal, require_role("community_admin", "street_admin", "dispatcher", "partner_contact")]


def _batch_out(b: ListBatch) -> schemas.BatchOut:
    return schemas.BatchOut(
        id=b.id,
        scope=f"{b.scope_kind}:{b.scope_id}",
        community_id=b.community_id,
        title=b.title,
        opens_at=b.opens_at,
        closes_at=b.closes_at,
    )


@router.post(
    "/list-batches",
    status_code=201,
    response_model=schemas.BatchOut,
    summary="Open a batch of the three lists (community admin, the compound branch)",
)
async def create_batch(body: schemas.BatchCreate, session: SessionDep, principal: ListPublisher) -> schemas.BatchOut:
    kind, _, raw = body.scope.partition(":")
    scope_id = int(raw)
    if kind == "compound":
        community_id = await policy.community_of_compound(session, scope_id)
        allowed = scope_id in await principal.compound_ids(session, "dispatcher", "community_admin", "street_admin")
    else:
        community_id = scope_id
        allowed = await policy.admin_of_community(session, principal, scope_id)
    if not allowed:
        raise Forbidden("您不能为该范围发布清单", code="out_of_scope")
    batch = await service.create_batch(
        session,
        scope_kind=kind,
        scope_id=scope_id,
        community_id=community_id,
        actor_id=principal.id,
        **body.model_dump(exclude={"scope"}),
    )
    return _batch_out(batch)


@router.get(
    "/list-batches", response_model=Page[schemas.BatchOut], summary="Batches of the three lists (any logged-in user)"
)
async def list_batches(
    session: SessionDep, _: CurrentUser, community_id: IdQuery = None, cursor: CursorQ = None, limit: LimitQ = 20
):
    stmt = select(ListBatch)
    if community_id is not None:
        stmt = stmt.where(ListBatch.community_id == community_id)
    if (c := parse_cursor(cursor)) is not None:
        stmt = stmt.where(ListBatch.id < c)
    rows, next_cursor = page_of(
        list((await session.execute(stmt.order_by(ListBatch.id.desc()).limit(limit + 1))).scalars()), limit
    )
    return Page(items=[_batch_out(b) for b in rows], next_cursor=next_cursor)


@router.post(
    "/list-items",
    status_code=201,
    response_model=schemas.ItemOut,
    summary="Add an item to a batch (whoever acts for its owner)",
)
async def create_item(body: schemas.ItemCreate, session: SessionDep, principal: CurrentUser) -> schemas.ItemOut:
    batch = await service.get_batch(session, body.batch_id)
    await policy.require_acts_as(session, principal, body.owner_kind, body.owner_id, batch.community_id)
    row = await service.create_item(session, batch, actor_id=principal.id, **body.model_dump(exclude={"batch_id"}))
    return await views.detail(session, row, [])


@router.post(
    "/list-items/canvass",
    response_model=schemas.CanvassOut,
    summary="A grid worker's offline canvass by client id; a replay makes nothing twice (grid worker of the community)",
)
async def canvass(body: schemas.CanvassIn, session: SessionDep, principal: GridWorkerOnly) -> schemas.CanvassOut:
    batch = await service.get_batch(session, body.batch_id)
    grids = principal.scope_ids("grid_worker", "grid")
    communities = set((await session.execute(select(Grid.community_id).where(Grid.id.in_(grids)))).scalars())
    if batch.community_id not in communities:
        raise Forbidden("只能为本社区的清单走访登记", code="out_of_scope")
    entries = [e.model_dump() for e in body.items]
    if any(e["owner_kind"] not in ("resident", "compound") for e in entries):
        raise InvalidInput("走访登记的事项属于居民或小区", code="owner_kind_mismatch")
    out = await service.canvass(session, batch, entries, actor_id=principal.id)
    return schemas.CanvassOut(items=[schemas.CanvassResult(**o) for o in out])


@router.get(
    "/list-items",
    response_model=Page[schemas.ItemOut],
    summary="Items of the three lists (any logged-in user; residents masked)",
)
async def list_items(
    session: SessionDep,
    _: CurrentUser,
    batch_id: IdQuery = None,
    community_id: IdQuery = None,
    kind: Annotated[Literal["resource", "need", "project"] | None, Query()] = None,
    status: Annotated[Literal["open", "matched", "closed"] | None, Query()] = None,
    cursor: CursorQ = None,
    limit: LimitQ = 20,
) -> Page[schemas.ItemOut]:
    rows = await service.items(
        session,
        batch_id=batch_id,
        community_id=community_id,
        kind=kind,
        status=status,
        cursor=parse_cursor(cursor),
        limit=limit,
    )
    rows, next_cursor = page_of(rows, limit)
    return Page(items=await views.items(session, rows), next_cursor=next_cursor)


@router.get(
    "/list-items/{item_id}", response_model=schemas.ItemOut, summary="An item with its claims (any logged-in user)"
)
async def get_item(item_id: IdPath, session: SessionDep, _: CurrentUser) -> schemas.ItemOut:
    row = await service.get_item(session, item_id)
    return await views.detail(session, row, await service.claims_of(session, row.id))


@router.get(
    "/list-items/{item_id}/matches",
    response_model=schemas.MatchesOut,
    summary="Ranked candidates with reasons (admins, the compound branch, partner contacts)",
)
async def matches(item_id: IdPath, session: SessionDep, _: Matcher) -> schemas.MatchesOut:
    row = await service.get_item(session, item_id)
    return schemas.MatchesOut(items=[schemas.MatchOut(**m) for m in await matching.matches(session, row)])


@router.post(
    "/list-items/{item_id}/claims",
    status_code=201,
    response_model=schemas.ClaimOut,
    summary="Claim an item for a unit, compound or community (双认领)",
)
async def claim(
    item_id: IdPath, body: schemas.ClaimCreate, session: SessionDep, principal: CurrentUser
) -> schemas.ClaimOut:
    row = await service.get_item(session, item_id, for_update=True)
    policy.require_cross(row.owner_kind, body.claimant_kind)
    await policy.require_acts_as(session, principal, body.claimant_kind, body.claimant_id, row.community_id)
    made = await service.claim(
        session,
        row,
        claimant_kind=body.claimant_kind,
        claimant_id=body.claimant_id,
        note=body.note,
        actor_id=principal.id,
    )
    return views.claim(made, await views.side_names(session, [(made.claimant_kind, made.claimant_id)]))


async def _claim_and_item(session, claim_id: int) -> tuple[ListClaim, ListItem]:
    row = await service.get_claim(session, claim_id)
    return row, await service.get_item(session, row.item_id, for_update=True)


async def _out(session, row: ListClaim) -> schemas.ClaimOut:
    return views.claim(row, await views.side_names(session, [(row.claimant_kind, row.claimant_id)]))


@router.post(
    "/list-claims/{claim_id}/decide",
    response_model=schemas.ClaimOut,
    summary="Accept a claim, or decline it with a reason (whoever acts for the item's owner)",
)
async def decide(
    claim_id: IdPath, body: schemas.ClaimDecision, session: SessionDep, principal: CurrentUser
) -> schemas.ClaimOut:
    row, item = await _claim_and_item(session, claim_id)
    await policy.require_acts_as(session, principal, item.owner_kind, item.owner_id, item.community_id)
    await service.decide(
        session, item, row, accept=body.decision == "accept", reason=body.reason, actor_id=principal.id
    )
    return await _out(session, row)


@router.post(
    "/list-claims/{claim_id}/withdraw",
    response_model=schemas.ClaimOut,
    summary="Withdraw a claim until it is fulfilled; a matched item is open again (whoever acts for the claimant)",
)
async def withdraw(claim_id: IdPath, session: SessionDep, principal: CurrentUser) -> schemas.ClaimOut:
    row, item = await _claim_and_item(session, claim_id)
    await policy.require_acts_as(session, principal, row.claimant_kind, row.claimant_id, item.community_id)
    await service.withdraw(session, item, row, actor_id=principal.id)
    return await _out(session, row)


def _provider(item: ListItem, row: ListClaim) -> tuple[str, int]:
    if item.kind in service.PROVIDER_IS_CLAIMANT:
        return row.claimant_kind, row.claimant_id
    return item.owner_kind, item.owner_id


def _receiver(item: ListItem, row: ListClaim) -> tuple[str, int]:
    if item.kind in service.PROVIDER_IS_CLAIMANT:
        return item.owner_kind, item.owner_id
    return row.claimant_kind, row.claimant_id


@router.post(
    "/list-claims/{claim_id}/fulfil",
    response_model=schemas.ClaimOut,
    summary="Report it done, with evidence (the providing side)",
)
async def fulfil(
    claim_id: IdPath, body: schemas.FulfilIn, session: SessionDep, principal: CurrentUser
) -> schemas.ClaimOut:
    row, item = await _claim_and_item(session, claim_id)
    await policy.require_acts_as(session, principal, *_provider(item, row), item.community_id)
    await service.fulfil(session, row, evidence=body.evidence, photos=body.photos, actor_id=principal.id)
    return await _out(session, row)


@router.post(
    "/list-claims/{claim_id}/close", response_model=schemas.ClaimOut, summary="Rate and close (the receiving side)"
)
async def close(
    claim_id: IdPath, body: schemas.CloseIn, session: SessionDep, principal: CurrentUser
) -> schemas.ClaimOut:
    row, item = await _claim_and_item(session, claim_id)
    await policy.require_acts_as(session, principal, *_receiver(item, row), item.community_id)
    await service.close(session, item, row, rating=body.rating, comment=body.comment, actor_id=principal.id)
    return await _out(session, row)
