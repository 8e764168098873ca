"""Read-only lookups of people, and how names and phones are masked."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory.models import User
from backend.org.models import Household, RoleGrant


def mask_name(name: str | None) -> str:
    if not name:
        return "居民"
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return None
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


async def users_by_id(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, User]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.execute(select(User).where(User.id.in_(wanted)))
    return {u.id: u for u in rows.scalars()}


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


async def building_of(session: AsyncSession, user_id: int) -> int | None:
    """The building of the user's household, if they are bound to one."""
    stmt = select(Household.building_id).join(User, User.household_id == Household.id).where(User.id == user_id)
    return (await session.execute(stmt)).scalar_one_or_none()
