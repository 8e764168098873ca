"""Queries over the organisation tree, and the role grants held on its nodes."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.kernel.errors import InvalidInput, NotFound
from backend.org.models import Building, Community, Compound, Grid, Household, RoleGrant, Street, Unit


async def get_compound(session: AsyncSession, compound_id: int) -> Compound:
    compound = await session.get(Compound, compound_id)
    if compound is None:
        raise NotFound(f"小区 {compound_id} 不存在", code="compound_not_found")
    return compound


async def compound_names(session: AsyncSession, ids: Iterable[int]) -> dict[int, str]:
    ids = set(ids)
    if not ids:
        return {}
    rows = await session.execute(select(Compound.id, Compound.name).where(Compound.id.in_(ids)))
    return dict(rows.all())


async def compounds_under(
    session: AsyncSession, *, community_ids: Iterable[int] = (), street_ids: Iterable[int] = ()
) -> set[int]:
    community_ids, street_ids = set(community_ids), set(street_ids)
    if not community_ids and not street_ids:
        return set()
    stmt = select(Compound.id).join(Community, Community.id == Compound.community_id)
    stmt = stmt.where(or_(Compound.community_id.in_(community_ids), Community.street_id.in_(street_ids)))
    return set((await session.execute(stmt)).scalars())


async def search_compounds(
    session: AsyncSession, q: str | None, cursor: int | None, limit: int
) -> list[tuple[Compound, str]]:
    stmt = select(Compound, Community.name).join(Community, Community.id == Compound.community_id)
    if q:
        escaped = q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{escaped}%"
        stmt = stmt.where(
            or_(
                Compound.name.like(like, escape="\\"),
                Compound.address.like(like, escape="\\"),
                Community.name.like(like, escape="\\"),
            )
        )
    if cursor is not None:
        stmt = stmt.where(Compound.id > cursor)
    stmt = stmt.order_by(Compound.id).limit(limit + 1)
    return [(row[0], row[1]) for row in (await session.execute(stmt)).all()]


async def household_in_compound(session: AsyncSession, household_id: int, compound_id: int) -> Household:
    household = await session.get(Household, household_id)
    if household is None:
        raise NotFound(f"住户 {household_id} 不存在", code="household_not_found")
    if household.compound_id != compound_id:
        raise InvalidInput("该住户不在所选小区内", code="household_not_in_compound")
    return household


_HOUSEHOLD_LABELS = (  # built once (building it cost more CPU than running it); ids expanded per call
    select(
        Household.id,
        Household.building_id,
        Building.name,
        Unit.name,
        Household.room,
        Building.latitude,
        Building.longitude,
    )
    .join(Unit, Unit.id == Household.unit_id)
    .join(Building, Building.id == Household.building_id)
    .where(Household.id.in_(bindparam("ids", expanding=True)))
)


def room_label(building: str, unit: str, room: str) -> str:
    """A household as residents say it: 2号楼1单元302."""
    return f"{building}{unit}{room}"


async def household_labels(session: AsyncSession, household_ids: Iterable[int]) -> dict[int, dict]:
    """Room label and building for households, e.g. {"building_id": 3, "label": "2号楼1单元302",
    "building": {"id": 3, "name": "2号楼", "latitude": 37.43, "longitude": 118.67}}."""
    ids = set(household_ids)
    if not ids:
        return {}
    rows = (await session.execute(_HOUSEHOLD_LABELS, {"ids": sorted(ids)})).all()
    return {
        hid: {
            "building_id": bid,
            "label": room_label(bname, uname, room),
            "building": {"id": bid, "name": bname, "latitude": lat, "longitude": lng},
        }
        for hid, bid, bname, uname, room, lat, lng in rows
    }


async def set_building_location(session: AsyncSession, building_id: int, latitude: float, longitude: float) -> Building:
    building = await session.get(Building, building_id)
    if building is None:
        raise NotFound(f"楼栋 {building_id} 不存在", code="building_not_found")
    building.latitude, building.longitude = latitude, longitude
    await session.flush()
    return building


async def tree(session: AsyncSession, street_ids: set[int], community_ids: set[int]) -> list[dict]:
    """Streets → communities → compounds and grids, with building and household counts: the
    communities of the given streets plus the given communities. Six queries whatever the size
    of the tree."""
    streets = (await session.execute(select(Street).order_by(Street.id))).scalars().all()
    communities = (await session.execute(select(Community).order_by(Community.id))).scalars().all()
    visible = [c for c in communities if c.street_id in street_ids or c.id in community_ids]
    cids = {c.id for c in visible}
    compounds = (
        (await session.execute(select(Compound).where(Compound.community_id.in_(cids)).order_by(Compound.id)))
        .scalars()
        .all()
    )
    grids = (await session.execute(select(Grid).where(Grid.community_id.in_(cids)).order_by(Grid.id))).scalars().all()
    compound_ids = [c.id for c in compounds]
    households = await _count_by_compound(session, Household, compound_ids)
    buildings = await _count_by_compound(session, Building, compound_ids)
    out = []
    for street in streets:
        comms = [c for c in visible if c.street_id == street.id]
        if not comms:
            continue
        out.append(
            {
                "id": street.id,
                "name": street.name,
                "communities": [_community_node(c, compounds, grids, buildings, households) for c in comms],
            }
        )
    return out


async def _count_by_compound(session: AsyncSession, model: type[Household] | type[Building], compound_ids) -> dict:
    """{compound id: number of rows of `model`} (households or buildings)."""
    rows = await session.execute(
        select(model.compound_id, func.count()).where(model.compound_id.in_(compound_ids)).group_by(model.compound_id)
    )
    return dict(rows.all())


def _community_node(
    community: Community, compounds, grids, buildings: dict[int, int], households: dict[int, int]
) -> dict:
    return {
        "id": community.id,
        "name": community.name,
        "compounds": [
            {
                "id": cp.id,
                "name": cp.name,
                "address": cp.address,
                "buildings": buildings.get(cp.id, 0),
                "households": households.get(cp.id, 0),
            }
            for cp in compounds
            if cp.community_id == community.id
        ],
        "grids": [{"id": g.id, "name": g.name} for g in grids if g.community_id == community.id],
    }


# ---- role grants ----------------------------------------------------------------------------


async def grants_of(session: AsyncSession, user_id: int) -> list[RoleGrant]:
    rows = await session.execute(select(RoleGrant).where(RoleGrant.user_id == user_id).order_by(RoleGrant.id))
    return list(rows.scalars())


async def grant(session: AsyncSession, user_id: int, role: str, scope_type: str, scope_id: int) -> None:
    """Give a role on one node; granting what is already held changes nothing."""
    exists = await session.execute(
        select(RoleGrant.id).where(
            RoleGrant.user_id == user_id,
            RoleGrant.role == role,
            RoleGrant.scope_type == scope_type,
            RoleGrant.scope_id == scope_id,
        )
    )
    if exists.first() is None:
        try:
            async with session.begin_nested():
                session.add(RoleGrant(user_id=user_id, role=role, scope_type=scope_type, scope_id=scope_id))
        except IntegrityError:
            pass  # granted concurrently: the grant exists, which is what was asked
