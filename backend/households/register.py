"""Reading and writing the register: a page of households with their address, care tags and
residents (head of household first), and replacing one household's entry.

Households, buildings and units are the org tree's rows (backend/org): the register reads them and
never creates them. Whom a caller sees is scope.py's rule, what they may do policy.py's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, exists, or_, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.directory import service as directory_service
from backend.directory.models import User
from backend.households.models import HouseholdProfile, HouseholdTag, Resident
from backend.households.scope import RegisterScope
from backend.kernel.clock import utcnow
from backend.kernel.errors import Conflict, InvalidInput
from backend.kernel.validation import register_phone
from backend.org import service as org_service
from backend.org.models import Household

HEAD_RELATIONS = ("户主", "本人")

# ---- reading ----------------------------------------------------------------------------------


@dataclass
class RegisterEntry:
    household: Household
    label: str
    building: dict
    address: str
    tags: list[str]
    residents: list[Resident]
    verified: set[int]  # ids of the residents with a verified account


def ordered_tags(tags: Iterable[str], care_tags: list[str]) -> list[str]:
    """Care tags in the order of the CARE_TAGS setting, unknown ones last."""
    order = {t: i for i, t in enumerate(care_tags)}
    return sorted(set(tags), key=lambda t: (order.get(t, len(order)), t))


async def tags_of(session: AsyncSession, household_ids: Iterable[int]) -> dict[int, set[str]]:
    ids = set(household_ids)
    out: dict[int, set[str]] = defaultdict(set)
    if ids:
        rows = await session.execute(
            select(HouseholdTag.household_id, HouseholdTag.tag).where(HouseholdTag.household_id.in_(ids))
        )
        for hid, tag in rows.all():
            out[hid].add(tag)
    return out


async def residents_of(session: AsyncSession, household_ids: Iterable[int]) -> dict[int, list[Resident]]:
    """Residents per household, the head of household (户主/本人) first."""
    ids = set(household_ids)
    out: dict[int, list[Resident]] = defaultdict(list)
    if ids:
        rows = await session.execute(select(Resident).where(Resident.household_id.in_(ids)).order_by(Resident.id))
        for r in rows.scalars():
            out[r.household_id].append(r)
        for people in out.values():
            people.sort(key=lambda r: (r.relation not in HEAD_RELATIONS, r.id))
    return out


async def verified_residents(session: AsyncSession, household_ids: Iterable[int]) -> set[int]:
    """Ids of the residents of these households linked to an account verified for their household
    (a WeChat account, not one a grid worker's visit opened on their behalf): one query."""
    ids = set(household_ids)
    if not ids:
        return set()
    stmt = (
        select(Resident.id)
        .join(User, User.id == Resident.user_id)
        .where(Resident.household_id.in_(ids), User.household_id == Resident.household_id, User.openid.is_not(None))
    )
    return set((await session.execute(stmt)).scalars())


async def profiles_of(session: AsyncSession, household_ids: Iterable[int]) -> dict[int, HouseholdProfile]:
    ids = set(household_ids)
    if not ids:
        return {}
    rows = await session.execute(select(HouseholdProfile).where(HouseholdProfile.household_id.in_(ids)))
    return {p.household_id: p for p in rows.scalars()}


def _no_building(h: Household) -> dict:
    return {"id": h.building_id, "name": "", "latitude": None, "longitude": None}


async def entries(session: AsyncSession, households: list[Household], care_tags: list[str]) -> list[RegisterEntry]:
    """Register data for a page of households: five queries whatever the page size."""
    ids = [h.id for h in households]
    labels = await org_service.household_labels(session, ids)
    tags = await tags_of(session, ids)
    people = await residents_of(session, ids)
    profiles = await profiles_of(session, ids)
    verified = await verified_residents(session, ids)
    return [
        RegisterEntry(
            household=h,
            label=labels.get(h.id, {}).get("label", h.room),
            building=labels.get(h.id, {}).get("building")
            or {"id": h.building_id, "name": "", "latitude": None, "longitude": None},
            address=profiles[h.id].address if h.id in profiles else "",
            tags=ordered_tags(tags.get(h.id, ()), care_tags),
            residents=people.get(h.id, []),
            verified={r.id for r in people.get(h.id, []) if r.id in verified},
        )
        for h in households
    ]


async def list_households(
    session: AsyncSession,
    scope: RegisterScope,
    *,
    grid_id: int | None,
    compound_id: int | None,
    building_id: int | None,
    tag: str | None,
    q: str | None,
    cursor: int | None,
    limit: int,
) -> list[Household]:
    """The households seen under `scope`, by id; `q` is a room number or part of a resident's name."""
    stmt = select(Household).where(scope.clause())
    if grid_id is not None:
        stmt = stmt.where(Household.grid_id == grid_id)
    if compound_id is not None:
        stmt = stmt.where(Household.compound_id == compound_id)
    if building_id is not None:
        stmt = stmt.where(Household.building_id == building_id)
    if tag:
        stmt = stmt.where(
            exists().where(HouseholdTag.household_id == Household.id, HouseholdTag.tag == tag).correlate(Household)
        )
    if q:
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")  # q=% finds a "%", not everyone
        like = f"%{escaped}%"
        named = Resident.name.like(like, escape="\\")
        stmt = stmt.where(
            or_(
                Household.room == q,
                exists().where(Resident.household_id == Household.id, named).correlate(Household),
            )
        )
    if cursor is not None:
        stmt = stmt.where(Household.id > cursor)
    stmt = stmt.order_by(Household.id).limit(limit + 1)
    return list((await session.execute(stmt)).scalars())


# ---- writing ----------------------------------------------------------------------------------


def unknown_tags(tags: Iterable[str], care_tags: list[str]) -> list[str]:
    return [t for t in tags if t not in care_tags]


def phone_value(given: str | None, existing: Resident | None) -> str | None:
    """A phone as given (a mobile, or a landline with area code and extension, written in one form),
    or the existing phone when given in its masked form (an admin re-sending what they were shown).
    Raises ValueError with the reason otherwise."""
    if given is None or given == "":
        return None
    if "*" in given:
        if existing is not None and existing.phone and directory_service.mask_phone(existing.phone) == given:
            return existing.phone
        raise ValueError(f"联系电话 {given} 是脱敏号码，请填写完整的手机号")
    return register_phone(given)  # a mobile, or a landline with its area code (and extension)


@dataclass
class ResidentIn:
    name: str
    relation: str = ""
    phone: str | None = None
    id: int | None = None


def _check_entry(tags: list[str], residents: list[ResidentIn], care_tags: list[str]) -> None:
    bad = unknown_tags(tags, care_tags)
    if bad:
        raise InvalidInput(f"未知的关爱标签：{'、'.join(bad)}；可选：{'、'.join(care_tags)}", code="unknown_care_tag")
    names = [r.name for r in residents]
    if len(set(names)) != len(names):
        raise InvalidInput("同一户内居民姓名不能重复", code="duplicate_resident")


def _match_residents(current: list[Resident], residents: list[ResidentIn]) -> list[Resident | None]:
    """The existing row each given resident updates (None: a new resident): those named by id
    first, then by name among the rows not matched yet."""
    by_id = {r.id: r for r in current}
    by_name = {r.name: r for r in current}
    rows: list[Resident | None] = []
    for given in residents:
        row = by_id.get(given.id) if given.id is not None else None
        if given.id is not None and row is None:
            raise InvalidInput(f"居民 {given.id} 不属于该户", code="resident_not_in_household")
        rows.append(row)
    matched = {r.id for r in rows if r is not None}
    for i, given in enumerate(residents):
        row = by_name.get(given.name) if given.id is None else rows[i]
        if given.id is None and row is not None and row.id not in matched:
            rows[i] = row
            matched.add(row.id)
    return rows


def _phones(residents: list[ResidentIn], rows: list[Resident | None]) -> list[str | None]:
    phones = []
    for given, row in zip(residents, rows, strict=True):
        try:
            phones.append(phone_value(given.phone, row))
        except ValueError as exc:
            raise InvalidInput(str(exc), code="invalid_phone") from exc
    return phones


async def replace_register(
    session: AsyncSession,
    household: Household,
    *,
    address: str,
    tags: list[str],
    residents: list[ResidentIn],
    care_tags: list[str],
    actor_id: int,
) -> None:
    """Set a household's register data to exactly what is given (residents not listed are removed)."""
    _check_entry(tags, residents, care_tags)
    now = utcnow()
    current = (await residents_of(session, [household.id])).get(household.id, [])
    rows = _match_residents(current, residents)
    phones = _phones(residents, rows)
    matched = {r.id for r in rows if r is not None}
    removed = [r.id for r in current if r.id not in matched]
    if removed:  # before the updates, so that a name can pass from a removed resident to a new one
        await session.execute(delete(Resident).where(Resident.id.in_(removed)))
    for given, row, phone in zip(residents, rows, phones, strict=True):
        if row is None:
            session.add(Resident(household_id=household.id, name=given.name, relation=given.relation, phone=phone))
        elif (row.name, row.relation, row.phone) != (given.name, given.relation, phone):
            row.name, row.relation, row.phone, row.updated_at = given.name, given.relation, phone, now
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:  # two kept residents swapping names in one request
        raise Conflict("居民姓名互换请分两次保存", code="duplicate_resident") from exc
    await _set_household_fields(session, household.id, address, set(tags), actor_id, now)
    await session.flush()


async def _set_household_fields(
    session: AsyncSession, household_id: int, address: str | None, tags: set[str] | None, actor_id: int, now: datetime
) -> bool:
    """Address and tags of one household; None leaves a field alone. Returns whether anything changed."""
    changed = False
    if tags is not None:
        current = (await tags_of(session, [household_id])).get(household_id, set())
        changed |= await apply_tags(session, {household_id: (current, tags)})
    if address is not None:
        profile = await session.get(HouseholdProfile, household_id)
        if profile is None:
            if address:
                session.add(HouseholdProfile(household_id=household_id, address=address, updated_by=actor_id))
                changed = True
        elif profile.address != address:
            profile.address, profile.updated_by, profile.updated_at = address, actor_id, now
            changed = True
    return changed


async def apply_tags(session: AsyncSession, wanted: dict[int, tuple[set[str], set[str]]]) -> bool:
    """{household_id: (current tags, wanted tags)} → one delete and one insert at most."""
    removals = [(hid, t) for hid, (cur, new) in wanted.items() for t in cur - new]
    additions = [HouseholdTag(household_id=hid, tag=t) for hid, (cur, new) in wanted.items() for t in new - cur]
    if removals:
        await session.execute(
            delete(HouseholdTag).where(tuple_(HouseholdTag.household_id, HouseholdTag.tag).in_(removals))
        )
    if additions:
        session.add_all(additions)
    return bool(removals or additions)
