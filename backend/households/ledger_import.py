"""Importing an .xlsx ledger (住户台账) into the register, idempotent on 小区 + 楼栋 + 单元 + 房号.

The sheet is read by ledger.py (in a worker thread); this module applies its rows in four steps:
1. place: find each row's household in the org tree by compound name and normalised building,
   unit and room (`1` = `1号楼` = `1栋`; `1` = `1单元`; `101` = `101室`). A ledger never creates a
   household: a typo in a room number comes back as a row error instead of a phantom household
   that would count in every coverage figure;
2. check: a row is applied only when it is whole (its household found and in the caller's scope,
   texts within their lengths, care tags known, one row per person); else it comes back with its
   row number and every reason;
3. residents: matched by name within the household; new names are added, relation and phone
   updated (a masked phone keeps the number on file); people the file does not list are kept
   (a partial ledger never deletes anyone; PUT /households/{id} does);
4. household fields: 住址 and 关爱标签, when the file has these columns, are set to what its rows
   say (the first non-empty address; the union of the rows' tags).
Applying the same file twice changes nothing the second time. A constant number of queries.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.households.ledger import LedgerSheet
from backend.households.models import HouseholdProfile, Resident
from backend.households.register import apply_tags, phone_value, profiles_of, residents_of, tags_of, unknown_tags
from backend.households.scope import RegisterScope
from backend.kernel.clock import utcnow
from backend.kernel.validation import hidden_character
from backend.org.models import Building, Compound, Household, Unit

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


def split_tags(cell: str) -> list[str]:
    return [t for t in TAG_SPLIT.split(cell) if t]


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


HouseKey = tuple[int, str, str, str]  # compound id, building, unit, room (normalised)
Row = tuple[int, Household, dict[str, str], str | None]  # (row number, household, values, phone)


async def import_ledger(
    session: AsyncSession, scope: RegisterScope, sheet: LedgerSheet, *, care_tags: list[str], actor_id: int
) -> ImportResult:
    """Apply a ledger: valid rows are applied, invalid rows come back with their row number and
    reason (the module's docstring has the rules)."""
    result = ImportResult(rows=len(sheet.rows))
    places = await _places(session, sheet)
    located = {number: _located(row, places, scope) for number, row in sheet.rows}
    found = {h.id for h, _ in located.values() if h is not None}
    people = await residents_of(session, found)
    by_name = {(hid, r.name): r for hid, rs in people.items() for r in rs}
    valid = _valid_rows(sheet, located, by_name, care_tags, result)
    ids = {h.id for _, h, _, _ in valid}
    current_tags = await tags_of(session, ids)
    profiles = await profiles_of(session, ids)
    applying = _Apply(sheet.columns, result, by_name)
    for row in valid:
        applying.apply_row(session, row)
    households = {h.id for _, h, _, _ in applying.applied}
    if "tags" in sheet.columns:
        wanted = {hid: (current_tags.get(hid, set()), applying.wanted_tags.get(hid, set())) for hid in households}
        applying.changed |= {hid for hid, (cur, new) in wanted.items() if cur != new}
        await apply_tags(session, wanted)
    if "address" in sheet.columns:
        applying.addresses(session, households, profiles, actor_id)
    await session.flush()
    result.imported = len(applying.applied)
    result.households = len(households)
    result.households_changed = len(applying.changed)
    result.errors.sort(key=lambda e: e.row)
    return result


# ---- 1. place ----------------------------------------------------------------------------------


@dataclass
class _Places:
    compounds: dict[str, list[int]]  # compound name → ids (names need not be unique)
    households: dict[HouseKey, Household]


async def _places(session: AsyncSession, sheet: LedgerSheet) -> _Places:
    """The compounds the sheet names and all their households: two queries."""
    names = {row.get("compound", "") for _, row in sheet.rows} - {""}
    compounds: dict[str, list[int]] = defaultdict(list)
    if names:
        found = await session.execute(select(Compound.id, Compound.name).where(Compound.name.in_(names)))
        for cid, cname in found.all():
            compounds[cname].append(cid)
    all_ids = {cid for ids in compounds.values() for cid in ids}
    index: dict[HouseKey, Household] = {}
    if all_ids:
        stmt = (
            select(Household, Building.name, Unit.name)
            .join(Unit, Unit.id == Household.unit_id)
            .join(Building, Building.id == Household.building_id)
            .where(Household.compound_id.in_(all_ids))
        )
        for h, bname, uname in (await session.execute(stmt)).all():
            index[(h.compound_id, norm_building(bname), norm_unit(uname), norm_room(h.room))] = h
    return _Places(compounds, index)


def _located(row: dict[str, str], places: _Places, scope: RegisterScope) -> tuple[Household | None, list[str]]:
    """The row's household in the caller's scope, or None and why."""
    problems: list[str] = []
    return _household_of(row, places, scope, problems), problems


def _household_of(row: dict[str, str], places: _Places, scope: RegisterScope, problems: list[str]) -> Household | None:
    """The row's household, or None with the reason appended to `problems`."""
    cname = row.get("compound", "")
    key = (norm_building(row.get("building", "")), norm_unit(row.get("unit", "")), norm_room(row.get("room", "")))
    missing = [label for label, v in zip(("小区", "楼栋", "单元", "房号"), (cname, *key), strict=True) if not v]
    if missing:
        problems.append(f"{'、'.join(missing)}不能为空")
        return None
    if cname not in places.compounds:
        problems.append(f"没有名为「{cname}」的小区")
        return None
    found = (places.households.get((cid, *key)) for cid in places.compounds[cname])
    matches = [h for h in found if h is not None]
    if not matches:
        problems.append(f"{cname}没有 {key[0]}{key[1]}{key[2]} 这一户（住户须先在组织架构中建立）")
        return None
    mine = [h for h in matches if scope.sees(h)]
    if not mine:
        problems.append("该户不在您负责的网格内")
    elif len(mine) > 1:
        problems.append(f"有多个名为「{cname}」的小区，无法确定是哪一户")
    else:
        return mine[0]
    return None


# ---- 2. check ----------------------------------------------------------------------------------


def _text(value: str, label: str, max_length: int, problems: list[str]) -> str:
    if len(value) > max_length:
        problems.append(f"{label}超过{max_length}个字")
    elif hidden_character(value) is not None:
        problems.append(f"{label}含有控制字符或不可见的格式字符")
    return value


def _field_problems(row: dict[str, str], care_tags: list[str], problems: list[str]) -> str:
    """Check the row's texts and tags; returns its 姓名."""
    name = _text(row.get("name", ""), "姓名", 20, problems)
    _text(row.get("relation", ""), "与户主关系", 10, problems)
    _text(row.get("address", ""), "住址", 200, problems)
    bad = unknown_tags(split_tags(row.get("tags", "")), care_tags)
    if bad:
        problems.append(f"未知的关爱标签：{'、'.join(bad)}（可选：{'、'.join(care_tags)}）")
    if row.get("phone", "") and not name:
        problems.append("填写了联系电话但没有姓名")
    return name


def _phone_problem(row: dict[str, str], existing: Resident | None, problems: list[str]) -> str | None:
    """The row's phone in its one written form, or None with the reason appended."""
    try:
        return phone_value(row.get("phone", "") or None, existing)
    except ValueError as exc:
        problems.append(str(exc))
        return None


def _valid_rows(
    sheet: LedgerSheet,
    located: dict[int, tuple[Household | None, list[str]]],
    by_name: dict[tuple[int, str], Resident],
    care_tags: list[str],
    result: ImportResult,
) -> list[Row]:
    """The rows that may be applied; the others go to result.errors with every reason of the row
    (place, texts, tags, phone, a repeated name), not only the first."""
    valid: list[Row] = []
    seen_names: dict[tuple[int, str], int] = {}  # (household, name) → first row number
    for number, row in sheet.rows:
        household, found_problems = located[number]
        problems = list(found_problems)
        name = _field_problems(row, care_tags, problems)
        existing = by_name.get((household.id, name)) if household is not None and name else None
        phone = _phone_problem(row, existing, problems) if "phone" in sheet.columns else None
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
        valid.append((number, household, row, phone))
    return valid


# ---- 3. residents and 4. household fields ------------------------------------------------------


@dataclass
class _Apply:
    """What applying the valid rows has done so far, and what the household fields should become."""

    columns: set[str]  # the sheet's columns (LedgerSheet.columns)
    result: ImportResult
    by_name: dict[tuple[int, str], Resident]  # (household, name) → resident, new ones included
    now: datetime = field(default_factory=utcnow)
    applied: list[Row] = field(default_factory=list)
    changed: set[int] = field(default_factory=set)
    wanted_tags: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    wanted_address: dict[int, str] = field(default_factory=dict)

    def apply_row(self, session: AsyncSession, valid: Row) -> None:
        number, household, row, phone = valid  # the phone already checked and written in its one form
        name = row.get("name", "")
        existing = self.by_name.get((household.id, name)) if name else None
        self.applied.append((number, household, row, phone))
        self.wanted_tags[household.id] |= set(split_tags(row.get("tags", "")))
        if row.get("address") and household.id not in self.wanted_address:
            self.wanted_address[household.id] = row["address"]
        if name:
            self.resident(session, household, name, row.get("relation", ""), phone, existing)

    def resident(
        self, session: AsyncSession, household: Household, name: str, relation: str, phone, existing: Resident | None
    ) -> None:
        """Add the person, or update the relation and phone the file has columns for."""
        if existing is None:
            resident = Resident(household_id=household.id, name=name, relation=relation, phone=phone)
            session.add(resident)
            self.by_name[(household.id, name)] = resident
            self.result.residents_created += 1
            self.changed.add(household.id)
            return
        new_relation = relation if "relation" in self.columns else existing.relation
        new_phone = phone if "phone" in self.columns else existing.phone
        if (existing.relation, existing.phone) != (new_relation, new_phone):
            existing.relation, existing.phone, existing.updated_at = new_relation, new_phone, self.now
            self.result.residents_updated += 1
            self.changed.add(household.id)

    def addresses(
        self, session: AsyncSession, households: set[int], profiles: dict[int, HouseholdProfile], actor_id: int
    ) -> None:
        """Set each household's 住址 to its rows' (empty when none of them gives one)."""
        for hid in households:
            address = self.wanted_address.get(hid, "")
            profile = profiles.get(hid)
            if profile is None and address:
                session.add(
                    HouseholdProfile(household_id=hid, address=address, updated_by=actor_id, updated_at=self.now)
                )
                self.changed.add(hid)
            elif profile is not None and profile.address != address:
                profile.address, profile.updated_by, profile.updated_at = address, actor_id, self.now
                self.changed.add(hid)
