"""Read-only lookups of people, how names and phones are masked, and the log of who saw whose
contact details (ContactView: written here so that every place that reveals them logs alike)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, bindparam, insert, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.util import identity_key

from backend.directory.models import ContactView, User
from backend.kernel.clock import utcnow
from backend.org.models import Compound, Household, RoleGrant


def mask_name(name: str | None) -> str:
    if not name:
        return "居民"
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return None
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


_USERS = select(User).where(User.id.in_(bindparam("ids", expanding=True)))  # built once


def _in_session(session: AsyncSession, user_id: int) -> User | None:
    """The user as this session already holds them, fully loaded (an expired row is read again)."""
    user = session.identity_map.get(identity_key(User, user_id))
    return user if user is not None and not inspect(user).expired_attributes else None


async def users_by_id(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, User]:
    """The users of `ids` that exist; those the session already holds (the caller, a requester
    read a moment ago) are not read again."""
    out: dict[int, User] = {}
    missing: set[int] = set()
    for i in {i for i in ids if i is not None}:
        user = _in_session(session, i)
        if user is None:
            missing.add(i)
        else:
            out[i] = user
    if missing:
        rows = await session.execute(_USERS, {"ids": sorted(missing)})
        out.update((u.id, u) for u in rows.scalars())
    return out


async def names_of(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, str]:
    return {uid: u.name for uid, u in (await users_by_id(session, ids)).items()}


async def holders_of(session: AsyncSession, roles: Iterable[str], scope_type: str, scope_id: int | None) -> list[int]:
    """The users holding any of `roles` on one node of the tree, in id order."""
    if scope_id is None:
        return []
    rows = await session.execute(
        select(RoleGrant.user_id).where(
            RoleGrant.role.in_(list(roles)), RoleGrant.scope_type == scope_type, RoleGrant.scope_id == scope_id
        )
    )
    return sorted(set(rows.scalars()))


async def member_compounds(session: AsyncSession, user_id: int) -> set[int]:
    """The compounds a Party member has reported in to."""
    rows = await session.execute(
        select(RoleGrant.scope_id).where(
            RoleGrant.user_id == user_id, RoleGrant.role == "party_member", RoleGrant.scope_type == "compound"
        )
    )
    return set(rows.scalars())


def building_of_query(user_id: int) -> Select:
    """The statement behind `building_of`, for use as a scalar subquery."""
    return select(Household.building_id).join(User, User.household_id == Household.id).where(User.id == user_id)


async def building_of(session: AsyncSession, user_id: int) -> int | None:
    """The building of the user's household, if they are bound to one."""
    return (await session.execute(building_of_query(user_id))).scalar_one_or_none()


CONTACT_REASONS = {
    "wish_member": "接单党员查看心愿人",
    "wish_dispatcher": "派单员查看心愿人",
    "register": "走访查看住户台账",
    "register_export": "导出住户台账",
}


async def log_contact_views(
    session: AsyncSession,
    viewer_id: int,
    reason: str,
    places: Iterable[tuple[int | None, int]],
    *,
    subject_id: int | None = None,
    wish_id: int | None = None,
) -> None:
    """One ContactView row per (household or None, compound) shown, in the request's transaction:
    one query for the compounds' communities, one insert, whatever their number."""
    places = list(places)
    if not places:
        return
    compounds = {c for _, c in places}
    rows = await session.execute(select(Compound.id, Compound.community_id).where(Compound.id.in_(compounds)))
    community_of = dict(rows.all())
    now = utcnow()
    rows = [
        {
            "viewer_id": viewer_id,
            "subject_id": subject_id,
            "household_id": household_id,
            "community_id": community_of[compound_id],
            "reason": reason,
            "wish_id": wish_id,
            "at": now,
        }
        for household_id, compound_id in places
    ]
    await session.execute(insert(ContactView), rows)  # one executemany, not a statement per row


async def contact_views(
    session: AsyncSession, community_ids: set[int], cursor: int | None, limit: int
) -> list[ContactView]:
    stmt = select(ContactView).where(ContactView.community_id.in_(community_ids))
    if cursor is not None:
        stmt = stmt.where(ContactView.id < cursor)
    return list((await session.execute(stmt.order_by(ContactView.id.desc()).limit(limit + 1))).scalars())
