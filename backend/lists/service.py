"""The rules of the three lists: batches, items (and grid workers' offline canvass by client id),
claims between the two sides (双认领) through `CLAIM` and `ITEM`."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory.models import User
from backend.kernel.clock import utcnow
from backend.kernel.errors import Conflict, InvalidInput, NotFound
from backend.lists.models import ListBatch, ListClaim, ListItem
from backend.lists.state import CLAIM, ITEM, ClaimStatus, ItemStatus
from backend.org.models import Compound
from backend.partners import service as partners_service

# who provides in a claim: for a need or project the claimant, for a resource the owner
PROVIDER_IS_CLAIMANT = frozenset({"need", "project"})


async def create_batch(
    session: AsyncSession, *, scope_kind: str, scope_id: int, community_id: int, actor_id: int, **fields
) -> ListBatch:
    if fields["closes_at"] <= fields["opens_at"]:
        raise InvalidInput("截止时间须晚于开始时间", code="invalid_times")
    batch = ListBatch(
        scope_kind=scope_kind, scope_id=scope_id, community_id=community_id, created_by=actor_id, **fields
    )
    session.add(batch)
    await session.flush()
    return batch


async def get_batch(session: AsyncSession, batch_id: int) -> ListBatch:
    batch = await session.get(ListBatch, batch_id)
    if batch is None:
        raise NotFound(f"清单批次 {batch_id} 不存在", code="batch_not_found")
    return batch


async def check_owner(session: AsyncSession, batch: ListBatch, owner_kind: str, owner_id: int) -> None:
    if owner_kind in ("partner", "work_unit"):
        partner = await partners_service.get_partner(session, owner_id)
        if (partner.kind == "work_unit") != (owner_kind == "work_unit"):
            raise InvalidInput("合伙人类型与所填不符", code="owner_kind_mismatch")
    elif owner_kind == "compound":
        compound = await session.get(Compound, owner_id)
        if compound is None or compound.community_id != batch.community_id:
            raise InvalidInput(f"小区 {owner_id} 不在该批次的社区", code="owner_elsewhere")
    elif await session.get(User, owner_id) is None:
        raise InvalidInput(f"居民 {owner_id} 不存在", code="owner_not_found")


def _open(batch: ListBatch) -> None:
    now = utcnow()
    if not (batch.opens_at <= now <= batch.closes_at):
        raise Conflict("该批次不在征集期内", code="batch_closed")


async def create_item(
    session: AsyncSession, batch: ListBatch, *, actor_id: int, client_id: str | None = None, **fields
) -> ListItem:
    _open(batch)
    await check_owner(session, batch, fields["owner_kind"], fields["owner_id"])
    item = ListItem(
        batch_id=batch.id, community_id=batch.community_id, created_by=actor_id, client_id=client_id, **fields
    )
    session.add(item)
    await session.flush()
    return item


async def canvass(session: AsyncSession, batch: ListBatch, entries: list[dict], *, actor_id: int) -> list[dict]:
    """A grid worker's offline canvass: each entry by its client id, so a replay is answered with
    the item already made and makes nothing twice."""
    out = []
    for entry in entries:
        client_id = entry.pop("client_id")
        found = (await session.execute(select(ListItem).where(ListItem.client_id == client_id))).scalar_one_or_none()
        if found is None:
            try:
                async with session.begin_nested():
                    found = await create_item(session, batch, actor_id=actor_id, client_id=client_id, **entry)
                out.append({"client_id": client_id, "item_id": found.id, "replayed": False})
                continue
            except IntegrityError:
                found = (await session.execute(select(ListItem).where(ListItem.client_id == client_id))).scalar_one()
        out.append({"client_id": client_id, "item_id": found.id, "replayed": True})
    return out


async def get_item(session: AsyncSession, item_id: int, *, for_update: bool = False) -> ListItem:
    stmt = select(ListItem).where(ListItem.id == item_id)
    if for_update:
        stmt = stmt.with_for_update()
    item = (await session.execute(stmt)).scalar_one_or_none()
    if item is None:
        raise NotFound(f"清单事项 {item_id} 不存在", code="item_not_found")
    return item


async def items(session: AsyncSession, *, batch_id, community_id, kind, status, cursor, limit) -> list[ListItem]:
    stmt = select(ListItem)
    for column, value in (
        (ListItem.batch_id, batch_id),
        (ListItem.community_id, community_id),
        (ListItem.kind, kind),
        (ListItem.status, status),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if cursor is not None:
        stmt = stmt.where(ListItem.id < cursor)
    return list((await session.execute(stmt.order_by(ListItem.id.desc()).limit(limit + 1))).scalars())


async def claims_of(session: AsyncSession, item_id: int) -> list[ListClaim]:
    return list(
        (await session.execute(select(ListClaim).where(ListClaim.item_id == item_id).order_by(ListClaim.id))).scalars()
    )


async def claim(
    session: AsyncSession, item: ListItem, *, claimant_kind: str, claimant_id: int, note: str, actor_id: int
) -> ListClaim:
    if item.status != ItemStatus.open:
        raise Conflict(f"清单事项当前状态为「{ITEM.label(item.status)}」，不能认领", code="invalid_state")
    if claimant_kind == "partner":
        partners_service.require_recognised(await partners_service.get_partner(session, claimant_id), "认领")
    live = await session.execute(
        select(ListClaim.id).where(
            ListClaim.item_id == item.id,
            ListClaim.claimant_kind == claimant_kind,
            ListClaim.claimant_id == claimant_id,
            ListClaim.status == ClaimStatus.proposed,
        )
    )
    if live.first() is not None:
        raise Conflict("已认领，等待对方确认", code="already_claimed")
    row = ListClaim(
        item_id=item.id, claimant_kind=claimant_kind, claimant_id=claimant_id, note=note, created_by=actor_id
    )
    session.add(row)
    await session.flush()
    return row


async def get_claim(session: AsyncSession, claim_id: int) -> ListClaim:
    row = (
        await session.execute(select(ListClaim).where(ListClaim.id == claim_id).with_for_update())
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(f"认领 {claim_id} 不存在", code="claim_not_found")
    return row


async def decide(
    session: AsyncSession, item: ListItem, row: ListClaim, *, accept: bool, reason: str | None, actor_id: int
) -> ListClaim:
    """The owner accepts (the item is matched: other claims wait no more) or declines with a reason."""
    if not accept:
        if not reason:
            raise InvalidInput("婉拒须说明理由", code="reason_required")
        await CLAIM.apply(session, row, "declined", actor_id=actor_id, note=reason, values={"decline_reason": reason})
        return row
    await ITEM.apply(session, item, "matched", actor_id=actor_id)
    await CLAIM.apply(session, row, "accepted", actor_id=actor_id, values={"matched_at": utcnow()})
    return row


async def withdraw(session: AsyncSession, item: ListItem, row: ListClaim, *, actor_id: int) -> ListClaim:
    """The claimant takes the claim back until it is fulfilled; a matched item is open again."""
    was_matched = row.status == ClaimStatus.matched
    await CLAIM.apply(session, row, "withdrawn", actor_id=actor_id)
    if was_matched and item.status == ItemStatus.matched:
        await ITEM.apply(session, item, "reopened", actor_id=actor_id, note="认领方撤回")
    return row


async def fulfil(
    session: AsyncSession, row: ListClaim, *, evidence: str, photos: list[str], actor_id: int
) -> ListClaim:
    values = {"evidence": evidence, "photos": photos, "fulfilled_at": utcnow()}
    await CLAIM.apply(session, row, "fulfilled", actor_id=actor_id, values=values)
    return row


async def close(
    session: AsyncSession, item: ListItem, row: ListClaim, *, rating: int, comment: str | None, actor_id: int
) -> ListClaim:
    await CLAIM.apply(
        session, row, "closed", actor_id=actor_id, values={"rating": rating, "comment": comment, "closed_at": utcnow()}
    )
    await ITEM.apply(session, item, "closed", actor_id=actor_id)
    return row
