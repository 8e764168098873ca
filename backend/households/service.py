"""The household register: who may see which households, residents and care tags, the ledger
import (idempotent on 小区 + 楼栋 + 单元 + 房号) and export, and the accounts wishes are filed for.

Households, buildings and units are the org tree's rows (backend/org): the register reads them and
never creates them, so a typo in a ledger's room number comes back as a row error instead of a
phantom household that would count in every coverage figure.

Who sees what (`Scope`):
- grid_worker on a grid: every household of the grid, phones in full; may record visits;
- building_chief (楼栋长) on a building: the households of that building, phones in full; may record visits;
- community_admin / street_admin: the households of the grids below them, phones masked;
- everyone else: nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, delete, exists, false, or_, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.deps import Principal
from backend.directory import service as directory_service
from backend.directory.models import User
from backend.households.ledger import LedgerSheet
from backend.households.models import HouseholdProfile, HouseholdTag, Resident
from backend.kernel.clock import utcnow
from backend.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from backend.kernel.validation import CONTROL_RE, PHONE_RE
from backend.org import service as org_service
from backend.org.models import Building, Community, Compound, Grid, Household, Unit

# ---- scope ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    worker_grids: frozenset[int] = frozenset()  # grid_worker grants
    chief_buildings: frozenset[int] = frozenset()  # building_chief grants
    admin_grids: frozenset[int] = frozenset()  # grids under community_admin / street_admin grants

    @property
    def empty(self) -> bool:
        return not (self.worker_grids or self.chief_buildings or self.admin_grids)

    @property
    def staff_grids(self) -> frozenset[int]:
        """Grids seen whole (by a grid worker or an admin), the grids coverage is reported on."""
        return self.worker_grids | self.admin_grids

    def sees(self, household: Household) -> bool:
        return household.grid_id in self.staff_grids or household.building_id in self.chief_buildings

    def visits(self, grid_id: int, building_id: int) -> bool:
        """May record visits to (and sees the phones of) a household of this grid and building."""
        return grid_id in self.worker_grids or building_id in self.chief_buildings

    def reveals(self, household: Household) -> bool:
        return self.visits(household.grid_id, household.building_id)

    def clause(self, *, visiting: bool = False) -> ColumnElement[bool]:
        """SQL filter on Household for the households seen (or, `visiting`, visited) under this scope."""
        grids = self.worker_grids if visiting else self.staff_grids
        parts = []
        if grids:
            parts.append(Household.grid_id.in_(grids))
        if self.chief_buildings:
            parts.append(Household.building_id.in_(self.chief_buildings))
        return or_(*parts) if parts else false()


async def scope_of(session: AsyncSession, principal: Principal) -> Scope:
    communities = principal.scope_ids("community_admin", "community")
    streets = principal.scope_ids("street_admin", "street")
    admin_grids: set[int] = set()
    if communities or streets:
        stmt = (
            select(Grid.id)
            .join(Community, Community.id == Grid.community_id)
            .where(or_(Grid.community_id.in_(communities), Community.street_id.in_(streets)))
        )
        admin_grids = set((await session.execute(stmt)).scalars())
    return Scope(
        worker_grids=frozenset(principal.scope_ids("grid_worker", "grid")),
        chief_buildings=frozenset(principal.scope_ids("building_chief", "building")),
        admin_grids=frozenset(admin_grids),
    )


async def get_household(session: AsyncSession, household_id: int, scope: Scope) -> Household:
    household = await session.get(Household, household_id)
    if household is None:
        raise NotFound(f"住户 {household_id} 不存在", code="household_not_found")
    if not scope.sees(household):
        raise Forbidden("该住户不在您负责的网格内", code="out_of_scope")
    return household


def require_grid(scope: Scope, grid_id: int) -> None:
    if grid_id not in scope.staff_grids:
        raise Forbidden("该网格不在您的管辖范围内", code="out_of_scope")


# ---- reading the register ---------------------------------------------------------------------


@dataclass
class RegisterEntry:
    household: Household
    label: str
    address: str
    tags: list[str]
    residents: list[Resident]


def ordered_tags(tags: Iterable[str], care_tags: list[str]) -> list[str]:
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


HEAD_RELATIONS = ("户主", "本人")


async def entries(session: AsyncSession, households: list[Household], care_tags: list[str]) -> list[RegisterEntry]:
    """Register data for a page of households: four queries whatever the page size."""
    ids = [h.id for h in households]
    labels = await org_service.household_labels(session, ids)
    tags = await tags_of(session, ids)
    people = await residents_of(session, ids)
    profiles = {}
    if ids:
        rows = await session.execute(select(HouseholdProfile).where(HouseholdProfile.household_id.in_(ids)))
        profiles = {p.household_id: p for p in rows.scalars()}
    return [
        RegisterEntry(
            household=h,
            label=labels.get(h.id, {}).get("label", h.room),
            address=profiles[h.id].address if h.id in profiles else "",
            tags=ordered_tags(tags.get(h.id, ()), care_tags),
            residents=people.get(h.id, []),
        )
        for h in households
    ]


async def list_households(
    session: AsyncSession,
    scope: Scope,
    *,
    grid_id: int | None,
    compound_id: int | None,
    building_id: int | None,
    tag: str | None,
    q: str | None,
    cursor: int | None,
    limit: int,
) -> list[Household]:
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
        like = f"%{q}%"
        stmt = stmt.where(
            or_(
                Household.room == q,
                exists().where(Resident.household_id == Household.id, Resident.name.like(like)).correlate(Household),
            )
        )
    if cursor is not None:
        stmt = stmt.where(Household.id > cursor)
    stmt = stmt.order_by(Household.id).limit(limit + 1)
    return list((await session.execute(stmt)).scalars())


# ---- writing one household --------------------------------------------------------------------


def unknown_tags(tags: Iterable[str], care_tags: list[str]) -> list[str]:
    return [t for t in tags if t not in care_tags]


def phone_value(given: str | None, existing: Resident | None) -> str | None:
    """A phone as given, or the existing phone when given in its masked form (an admin re-sending
    what they were shown). Raises ValueError with the reason otherwise."""
    if given is None or given == "":
        return None
    if "*" in given:
        if existing is not None and existing.phone and directory_service.mask_phone(existing.phone) == given:
            return existing.phone
        raise ValueError(f"联系电话 {given} 是脱敏号码，请填写完整的手机号")
    if not PHONE_RE.match(given):
        raise ValueError(f"联系电话 {given} 不是11位中国大陆手机号")
    return given


@dataclass
class ResidentIn:
    name: str
    relation: str = ""
    phone: str | None = None
    id: int | None = None


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
    bad = unknown_tags(tags, care_tags)
    if bad:
        raise InvalidInput(f"未知的关爱标签：{'、'.join(bad)}；可选：{'、'.join(care_tags)}", code="unknown_care_tag")
    names = [r.name for r in residents]
    if len(set(names)) != len(names):
        raise InvalidInput("同一户内居民姓名不能重复", code="duplicate_resident")
    now = utcnow()
    current = (await residents_of(session, [household.id])).get(household.id, [])
    by_id = {r.id: r for r in current}
    by_name = {r.name: r for r in current}
    rows: list[Resident | None] = []
    for given in residents:  # residents named by id first, then by name among the others
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
    phones = []
    for given, row in zip(residents, rows, strict=True):
        try:
            phones.append(phone_value(given.phone, row))
        except ValueError as exc:
            raise InvalidInput(str(exc), code="invalid_phone") from exc
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
        changed |= await _apply_tags(session, {household_id: (current, tags)})
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


async def _apply_tags(session: AsyncSession, wanted: dict[int, tuple[set[str], set[str]]]) -> bool:
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


# ---- ledger import and export -----------------------------------------------------------------

TAG_SPLIT = re.compile(r"[、,，;；/\s]+")


def norm_building(value: str) -> str:
    value = value.strip().replace(" ", "")
    m = re.fullmatch(r"(\d+)(号楼|号|栋|幢|楼)?", value)
    return f"{m.group(1)}号楼" if m else value


def norm_unit(value: str) -> str:
    value = value.strip().replace(" ", "")
    m = re.fullmatch(r"(\d+)(单元)?", value)
    return f"{m.group(1)}单元" if m else value


def norm_room(value: str) -> str:
    value = value.strip().replace(" ", "")
    m = re.fullmatch(r"(\d+)(室|号)?", value)
    return m.group(1) if m else value


@dataclass
class RowError:
    row: int
    reason: str


@dataclass
class ImportResult:
    rows: int = 0
    imported: int = 0
    households: int = 0
    households_changed: int = 0
    residents_created: int = 0
    residents_updated: int = 0
    errors: list[RowError] = field(default_factory=list)


def _text(value: str, label: str, max_length: int, problems: list[str]) -> str:
    if len(value) > max_length:
        problems.append(f"{label}超过{max_length}个字")
    elif CONTROL_RE.search(value):
        problems.append(f"{label}含有控制字符")
    return value


async def import_ledger(
    session: AsyncSession, scope: Scope, sheet: LedgerSheet, *, care_tags: list[str], actor_id: int
) -> ImportResult:
    """Apply a ledger. Valid rows are applied, invalid rows come back with their row number and
    reason. For each household the file lists (by 小区 + 楼栋 + 单元 + 房号):
    - residents are matched by name: new names are added, phone and relation updated; people the
      file does not list are kept (a partial ledger never deletes anyone; PUT /households/{id} does);
    - 住址 and 关爱标签, when the file has these columns, are set to what its rows say.
    Applying the same file twice changes nothing the second time. A constant number of queries."""
    result = ImportResult(rows=len(sheet.rows))
    names = {row.get("compound", "") for _, row in sheet.rows} - {""}
    compounds: dict[str, list[int]] = defaultdict(list)
    if names:
        found = await session.execute(select(Compound.id, Compound.name).where(Compound.name.in_(names)))
        for cid, cname in found.all():
            compounds[cname].append(cid)
    all_ids = {cid for ids in compounds.values() for cid in ids}
    index: dict[tuple[int, str, str, str], Household] = {}
    if all_ids:
        stmt = (
            select(Household, Building.name, Unit.name)
            .join(Unit, Unit.id == Household.unit_id)
            .join(Building, Building.id == Household.building_id)
            .where(Household.compound_id.in_(all_ids))
        )
        for h, bname, uname in (await session.execute(stmt)).all():
            index[(h.compound_id, norm_building(bname), norm_unit(uname), norm_room(h.room))] = h

    valid: list[tuple[int, Household, dict[str, str], str | None]] = []  # (row, household, values, phone)
    seen_names: dict[tuple[int, str], int] = {}
    for number, row in sheet.rows:
        problems: list[str] = []
        cname = row.get("compound", "")
        key = (norm_building(row.get("building", "")), norm_unit(row.get("unit", "")), norm_room(row.get("room", "")))
        household = None
        missing = [label for label, v in zip(("小区", "楼栋", "单元", "房号"), (cname, *key), strict=True) if not v]
        if missing:
            problems.append(f"{'、'.join(missing)}不能为空")
        elif cname not in compounds:
            problems.append(f"没有名为「{cname}」的小区")
        else:
            matches = [index[k] for k in ((cid, *key) for cid in compounds[cname]) if k in index]
            if not matches:
                problems.append(f"{cname}没有 {key[0]}{key[1]}{key[2]} 这一户（住户须先在组织架构中建立）")
            else:
                mine = [h for h in matches if scope.sees(h)]
                if not mine:
                    problems.append("该户不在您负责的网格内")
                elif len(mine) > 1:
                    problems.append(f"有多个名为「{cname}」的小区，无法确定是哪一户")
                else:
                    household = mine[0]
        name = _text(row.get("name", ""), "姓名", 20, problems)
        _text(row.get("relation", ""), "与户主关系", 10, problems)
        _text(row.get("address", ""), "住址", 200, problems)
        tags = [t for t in TAG_SPLIT.split(row.get("tags", "")) if t]
        bad = unknown_tags(tags, care_tags)
        if bad:
            problems.append(f"未知的关爱标签：{'、'.join(bad)}（可选：{'、'.join(care_tags)}）")
        phone_cell = row.get("phone", "")
        if phone_cell and not name:
            problems.append("填写了联系电话但没有姓名")
        if household is not None and name:
            first = seen_names.get((household.id, name))
            if first is not None:
                problems.append(f"与第{first}行是同一户的同一姓名")
            else:
                seen_names[(household.id, name)] = number
        if problems:
            result.errors.append(RowError(number, "；".join(problems)))
            continue
        assert household is not None
        valid.append((number, household, row, phone_cell or None))

    ids = {h.id for _, h, _, _ in valid}
    people = await residents_of(session, ids)
    current_tags = await tags_of(session, ids)
    profiles = {}
    if ids:
        rows = await session.execute(select(HouseholdProfile).where(HouseholdProfile.household_id.in_(ids)))
        profiles = {p.household_id: p for p in rows.scalars()}
    by_name = {(hid, r.name): r for hid, rs in people.items() for r in rs}
    now = utcnow()
    changed: set[int] = set()
    wanted_tags: dict[int, set[str]] = defaultdict(set)
    wanted_address: dict[int, str] = {}
    applied: list[tuple[int, Household, dict[str, str], str | None]] = []
    for number, household, row, phone_cell in valid:
        name = row.get("name", "")
        existing = by_name.get((household.id, name)) if name else None
        try:
            phone = phone_value(phone_cell, existing) if "phone" in sheet.columns else None
        except ValueError as exc:
            result.errors.append(RowError(number, str(exc)))
            continue
        applied.append((number, household, row, phone))
        wanted_tags[household.id] |= {t for t in TAG_SPLIT.split(row.get("tags", "")) if t}
        if row.get("address") and household.id not in wanted_address:
            wanted_address[household.id] = row["address"]
        if not name:
            continue
        relation = row.get("relation", "")
        if existing is None:
            resident = Resident(household_id=household.id, name=name, relation=relation, phone=phone)
            session.add(resident)
            by_name[(household.id, name)] = resident
            result.residents_created += 1
            changed.add(household.id)
            continue
        new_relation = relation if "relation" in sheet.columns else existing.relation
        new_phone = phone if "phone" in sheet.columns else existing.phone
        if (existing.relation, existing.phone) != (new_relation, new_phone):
            existing.relation, existing.phone, existing.updated_at = new_relation, new_phone, now
            result.residents_updated += 1
            changed.add(household.id)
    households = {h.id for _, h, _, _ in applied}
    if "tags" in sheet.columns:
        wanted = {hid: (current_tags.get(hid, set()), wanted_tags.get(hid, set())) for hid in households}
        changed |= {hid for hid, (cur, new) in wanted.items() if cur != new}
        await _apply_tags(session, wanted)
    if "address" in sheet.columns:
        for hid in households:
            address = wanted_address.get(hid, "")
            profile = profiles.get(hid)
            if profile is None and address:
                session.add(HouseholdProfile(household_id=hid, address=address, updated_by=actor_id, updated_at=now))
                changed.add(hid)
            elif profile is not None and profile.address != address:
                profile.address, profile.updated_by, profile.updated_at = address, actor_id, now
                changed.add(hid)
    await session.flush()
    result.imported = len(applied)
    result.households = len(households)
    result.households_changed = len(changed)
    result.errors.sort(key=lambda e: e.row)
    return result


async def export_rows(
    session: AsyncSession, scope: Scope, *, grid_id: int | None, compound_id: int | None, care_tags: list[str]
) -> list[dict[str, str]]:
    """The ledger rows of the households seen under `scope` in one grid or compound: one row per
    resident, one row with an empty 姓名 for a household without residents. Phones are masked
    where the caller may not see them."""
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
        if not residents:
            out.append({**base, "name": "", "relation": "", "phone": ""})
        for r in residents:
            phone = r.phone if reveal else directory_service.mask_phone(r.phone)
            out.append({**base, "name": r.name, "relation": r.relation, "phone": phone or ""})
    return out


# ---- whom a wish is filed for -----------------------------------------------------------------


async def requesters(session: AsyncSession, wanted: list[tuple[Household, int | None]]) -> list[User]:
    """The account a wish is filed for, for each (household, resident id or None): the resident's
    own account; without a resident named, an account already bound to the household, else the
    head of household's. A resident without an account (an elderly person without WeChat) gets
    one without a WeChat login, bound to the household, so that the wish enters the normal
    review; a household with nobody registered gets a nameless one ("居民")."""
    household_ids = {h.id for h, _ in wanted}
    people = await residents_of(session, household_ids)
    bound: dict[int, User] = {}
    if household_ids:
        stmt = select(User).where(User.household_id.in_(household_ids)).order_by(User.id)
        for user in (await session.execute(stmt)).scalars():
            bound.setdefault(user.household_id, user)
    linked = await directory_service.users_by_id(
        session, [r.user_id for rs in people.values() for r in rs if r.user_id]
    )

    chosen: list[tuple[Household, Resident | None, User | None]] = []
    for household, resident_id in wanted:
        residents = people.get(household.id, [])
        resident = next((r for r in residents if r.id == resident_id), None) if resident_id else None
        if resident is None and household.id in bound:
            chosen.append((household, None, bound[household.id]))
            continue
        resident = resident or (residents[0] if residents else None)
        user = linked.get(resident.user_id) if resident is not None and resident.user_id else None
        chosen.append((household, resident, user))

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
    return [
        user if user is not None else created[(h.id, resident.id if resident else None)] for h, resident, user in chosen
    ]
