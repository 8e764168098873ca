"""Whom a wish is filed for when a grid worker files it from a visit (a need found at the door).

For each (household, resident id or None): the account of the resident the grid worker picked
from the register, else of the head of household — never an account that merely claimed the
household (住户认证: an account counts only when it is verified for that household). A resident
without such an account (an elderly person without WeChat, or whose account is not verified) gets
one without a WeChat login, bound to the household, so that the wish enters the normal review; the
resident row is then linked to the new account. A household with nobody registered gets a nameless
one ("居民"), opened once and reused.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.directory.models import User
from backend.households.models import Resident
from backend.households.register import residents_of
from backend.org.models import Household

Choice = tuple[Household, Resident | None, User | None]  # the household, whom for, their account if any


async def requesters(session: AsyncSession, wanted: list[tuple[Household, int | None]]) -> list[User]:
    """The account each wish is filed for, in the order of `wanted`: three queries whatever their
    number, and two flushes when accounts are made."""
    household_ids = {h.id for h, _ in wanted}
    people = await residents_of(session, household_ids)
    bound = await _bound_accounts(session, household_ids)
    linked = await directory_service.users_by_id(
        session, [r.user_id for rs in people.values() for r in rs if r.user_id]
    )
    chosen = [_choose(household, resident_id, people, bound, linked) for household, resident_id in wanted]
    created = await _open_accounts(session, chosen, people)
    return [
        user if user is not None else created[(h.id, resident.id if resident else None)] for h, resident, user in chosen
    ]


async def _bound_accounts(session: AsyncSession, household_ids: set[int]) -> dict[int, User]:
    """The first account opened on each household's behalf (no WeChat login): a visit's wish for a
    household with nobody registered goes to it. A WeChat account bound to it is never chosen."""
    bound: dict[int, User] = {}
    if household_ids:
        stmt = select(User).where(User.household_id.in_(household_ids), User.openid.is_(None)).order_by(User.id)
        for user in (await session.execute(stmt)).scalars():
            bound.setdefault(user.household_id, user)
    return bound


def _choose(
    household: Household,
    resident_id: int | None,
    people: dict[int, list[Resident]],
    bound: dict[int, User],
    linked: dict[int, User],
) -> Choice:
    residents = people.get(household.id, [])
    if not residents:
        return household, None, bound.get(household.id)
    resident = next((r for r in residents if r.id == resident_id), None) if resident_id else None
    resident = resident or residents[0]
    user = linked.get(resident.user_id) if resident.user_id else None
    if user is not None and user.household_id != household.id:
        user = None  # linked to an account not verified for this household: filed on the resident's behalf
    return household, resident, user


async def _open_accounts(
    session: AsyncSession, chosen: list[Choice], people: dict[int, list[Resident]]
) -> dict[tuple[int, int | None], User]:
    """An account (no WeChat login) for each chosen person who has none, linked to their resident row."""
    created: dict[tuple[int, int | None], User] = {}
    for household, resident, user in chosen:
        key = (household.id, resident.id if resident else None)
        if user is None and key not in created:
            created[key] = User(
                name=resident.name if resident else "",
                phone=resident.phone if resident else None,
                compound_id=household.compound_id,
                household_id=household.id,
            )
    if created:
        session.add_all(created.values())
        await session.flush()
        for (_, resident_id), user in created.items():
            if resident_id is not None:
                resident = next(r for rs in people.values() for r in rs if r.id == resident_id)
                resident.user_id = user.id
        await session.flush()
    return created
