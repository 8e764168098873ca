"""List items and claims as responses; a resident owner is masked."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.directory.models import User
from backend.lists import schemas
from backend.lists.models import ListClaim, ListItem
from backend.lists.state import CLAIM, ITEM
from backend.org.models import Community, Compound
from backend.partners.models import Partner


async def side_names(session: AsyncSession, sides: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """(kind, id) → a display name; residents masked (王**)."""
    wanted: dict[str, set[int]] = {}
    for kind, sid in sides:
        wanted.setdefault("partner" if kind == "work_unit" else kind, set()).add(sid)
    names: dict[tuple[str, int], str] = {}
    # one statement per kind of side, whichever kinds the page holds, so a page costs the same
    for kind, model in (("partner", Partner), ("compound", Compound), ("community", Community), ("resident", User)):
        rows = await session.execute(select(model.id, model.name).where(model.id.in_(wanted.get(kind, set()))))
        for sid, name in rows.all():
            names[(kind, sid)] = directory_service.mask_name(name) if kind == "resident" else name
    return names


def _name(names, kind: str, sid: int) -> str:
    return names.get(("partner" if kind == "work_unit" else kind, sid), "")


def claim(row: ListClaim, names) -> schemas.ClaimOut:
    return schemas.ClaimOut(
        id=row.id,
        item_id=row.item_id,
        claimant_kind=row.claimant_kind,
        claimant_id=row.claimant_id,
        claimant_name=_name(names, row.claimant_kind, row.claimant_id),
        note=row.note,
        status=row.status,
        status_label=CLAIM.label(row.status),
        decline_reason=row.decline_reason,
        evidence=row.evidence,
        photos=row.photos,
        rating=row.rating,
        comment=row.comment,
    )


def item(row: ListItem, names, claims: list[ListClaim] | None = None) -> schemas.ItemOut:
    return schemas.ItemOut(
        **row.model_dump(
            include={
                "id",
                "batch_id",
                "community_id",
                "kind",
                "category",
                "title",
                "description",
                "quantity",
                "unit",
                "owner_kind",
                "status",
            }
        ),
        owner_id=None if row.owner_kind == "resident" else row.owner_id,
        owner_name=_name(names, row.owner_kind, row.owner_id),
        status_label=ITEM.label(row.status),
        claims=None if claims is None else [claim(c, names) for c in claims],
    )


async def items(session: AsyncSession, rows: list[ListItem]) -> list[schemas.ItemOut]:
    names = await side_names(session, [(r.owner_kind, r.owner_id) for r in rows])
    return [item(r, names) for r in rows]


async def detail(session: AsyncSession, row: ListItem, claims: list[ListClaim]) -> schemas.ItemOut:
    names = await side_names(
        session, [(row.owner_kind, row.owner_id)] + [(c.claimant_kind, c.claimant_id) for c in claims]
    )
    return item(row, names, claims)
