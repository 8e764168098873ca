"""Exporting the register as ledger rows (住户台账), for ledger.py to write as .xlsx: one row per
resident, one row with an empty 姓名 for a household without residents, phones masked where the
caller may not see them (policy.py)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.households.models import HouseholdProfile
from backend.households.register import ordered_tags, residents_of, tags_of
from backend.households.scope import RegisterScope
from backend.org.models import Building, Compound, Grid, Household, Unit


async def export_rows(
    session: AsyncSession,
    scope: RegisterScope,
    *,
    grid_id: int | None,
    compound_id: int | None,
    care_tags: list[str],
    shown: list[tuple[int, int]] | None = None,
) -> list[dict[str, str]]:
    """The ledger rows of the households seen under `scope` in one grid or compound: four queries.
    `shown` collects (household id, compound id) of the households whose phones are written in full."""
    stmt = (
        select(Household, Building.name, Unit.name, Compound.name, Grid.name)
        .join(Unit, Unit.id == Household.unit_id)
        .join(Building, Building.id == Household.building_id)
        .join(Compound, Compound.id == Household.compound_id)
        .join(Grid, Grid.id == Household.grid_id)
        .where(scope.clause())
    )
    if grid_id is not None:
        stmt = stmt.where(Household.grid_id == grid_id)
    if compound_id is not None:
        stmt = stmt.where(Household.compound_id == compound_id)
    stmt = stmt.order_by(Household.compound_id, Household.building_id, Household.unit_id, Household.id)
    rows = (await session.execute(stmt)).all()
    ids = [h.id for h, *_ in rows]
    tags = await tags_of(session, ids)
    people = await residents_of(session, ids)
    addresses: dict[int, str] = {}
    if ids:
        stmt = select(HouseholdProfile.household_id, HouseholdProfile.address)
        addresses = dict((await session.execute(stmt.where(HouseholdProfile.household_id.in_(ids)))).all())
    out = []
    for h, bname, uname, cname, gname in rows:
        base = {
            "grid": gname,
            "compound": cname,
            "building": bname,
            "unit": uname,
            "room": h.room,
            "address": addresses.get(h.id, ""),
            "tags": "、".join(ordered_tags(tags.get(h.id, ()), care_tags)),
        }
        reveal = scope.reveals(h)
        residents = people.get(h.id, [])
        if reveal and shown is not None and residents:
            shown.append((h.id, h.compound_id))
        if not residents:
            out.append({**base, "name": "", "relation": "", "phone": ""})
        for r in residents:
            phone = r.phone if reveal else directory_service.mask_phone(r.phone)
            out.append({**base, "name": r.name, "relation": r.relation, "phone": phone or ""})
    return out
