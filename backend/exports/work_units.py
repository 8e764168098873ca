"""Half-year work-unit report (向单位反馈): every Party member of a compound of the scope (the
party_member grant, which an approved 双报到 registration creates), grouped by work unit (the member
profile's, else the registration's), with the reporting-in date (the latest approved registration's
decision, else the grant's creation) and what they did in that half year:

- 接单数: orders the member accepted (status 已接单 or 已完成, accepted in the half year);
- 完成数: orders the member completed in the half year;
- 平均评分: the residents' average rating of those completed wishes (auto-closed wishes carry no
  rating and are left out);
- 志愿服务时长（小时）: the member's volunteer hours from check-ins (sign-ups checked in during the
  half year, the minutes their check-out or correction set), on the member's first row only, so
  that a member of two compounds is counted once and the column sums to the scope's hours;
- 单位认领清单 / 单位已履约: the unit's list claims (双认领) matched in the half year — claims the
  unit made and claims on the unit's own items — and how many of them were fulfilled; the unit is
  the work-unit partner its members are linked to (WorkUnitMember), on the unit's first row only.

One row per member and compound, one sheet with a 单位 column, sorted by work unit then name; written
by backend/kernel/sheets.py in a worker thread, like the ledgers. A fixed number of queries.
GET /exports/work-units/details gives the same report as JSON, each count with the members and
wishes behind it (the drill-down).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.reach import ReportScope
from backend.directory.models import User
from backend.dispatch.models import Order
from backend.dispatch.state import OrderStatus
from backend.exports.ledger import BATCH, write_sheet
from backend.kernel.clock import utcnow
from backend.kernel.errors import InvalidInput
from backend.kernel.periods import Period, parse_period
from backend.kernel.sheets import Column, SheetWriter
from backend.lists.models import ListClaim, ListItem
from backend.lists.policy import UNIT_SIDES
from backend.lists.state import CLAIMED, FULFILLED
from backend.org.models import Compound, RoleGrant
from backend.partners.models import WorkUnitMember
from backend.people.models import MemberProfile, MemberRegistration
from backend.people.state import RegistrationStatus
from backend.volunteering.models import Registration
from backend.volunteering.state import RegistrationStatus as SignupStatus
from backend.wishes.models import Wish

TITLE = "向单位反馈"
COLUMNS = (
    Column("单位"),
    Column("姓名"),
    Column("小区"),
    Column("报到日期", "date"),
    Column("接单数", "number"),
    Column("完成数", "number"),
    Column("平均评分", "number"),
    Column("志愿服务时长（小时）", "number"),
    Column("单位认领清单", "number"),
    Column("单位已履约", "number"),
)
HEADERS = tuple(c.header for c in COLUMNS)


def parse_half(period: str | None, half: str | None) -> Period:
    """The half year of the report: `period` in the one syntax (2026-H1), or the older `half`
    parameter (2026H1, kept for existing clients)."""
    if period is None and half is not None:
        m = re.fullmatch(r"\s*(\d{4})-?[Hh]([12])\s*", half)
        if not m:
            raise InvalidInput("half 格式应为 2026H1 或 2026H2", code="invalid_period")
        period = f"{m[1]}-H{m[2]}"
    return parse_period(period, default="half", kinds=("half",))


@dataclass
class MemberRow:
    """One member of one compound in the report, with the wishes behind each count."""

    member_id: int
    compound_id: int
    work_unit: str
    name: str
    compound: str
    reported_at: datetime | None
    accepted: list[int] = field(default_factory=list)  # wish ids of the orders accepted in the half
    completed: list[int] = field(default_factory=list)  # wish ids completed in the half
    rated: dict[int, int] = field(default_factory=dict)  # wish id -> rating, of the completed
    auto_closed: list[int] = field(default_factory=list)  # completed, closed without a rating
    # the member's volunteering: (registration id, minutes) checked in during the half; empty on
    # the member's later rows (a member of two compounds is counted once)
    signups: list[tuple[int, int]] = field(default_factory=list)
    # the unit's list claims matched in the half (claim ids), and those fulfilled; on the unit's
    # first row only (None elsewhere)
    claims: list[int] | None = None
    fulfilled: list[int] | None = None

    @property
    def average(self) -> float | None:
        return round(sum(self.rated.values()) / len(self.rated), 2) if self.rated else None

    @property
    def minutes(self) -> int:
        return sum(m for _, m in self.signups)

    def cells(self) -> tuple:
        return (
            self.work_unit,
            self.name,
            self.compound,
            self.reported_at,
            len(self.accepted),
            len(self.completed),
            self.average,
            round(self.minutes / 60, 2),
            None if self.claims is None else len(self.claims),
            None if self.fulfilled is None else len(self.fulfilled),
        )


async def _members(session: AsyncSession, compounds, period: Period) -> list:
    return (
        await session.execute(
            select(RoleGrant.user_id, RoleGrant.scope_id, RoleGrant.created_at, User.name, Compound.name)
            .join(User, User.id == RoleGrant.user_id)
            .join(Compound, Compound.id == RoleGrant.scope_id)
            .where(
                RoleGrant.role == "party_member",
                RoleGrant.scope_type == "compound",
                RoleGrant.scope_id.in_(compounds),
                RoleGrant.created_at < period.end,
            )
        )
    ).all()


async def _units_and_registrations(session: AsyncSession, compounds) -> tuple[dict, dict]:
    units = dict(
        (
            await session.execute(
                select(MemberProfile.user_id, MemberProfile.work_unit)
                .join(RoleGrant, RoleGrant.user_id == MemberProfile.user_id)
                .where(
                    RoleGrant.role == "party_member",
                    RoleGrant.scope_type == "compound",
                    RoleGrant.scope_id.in_(compounds),
                )
            )
        ).all()
    )
    registrations: dict[tuple[int, int], tuple] = {}  # (member, compound) → (decided_at, work_unit), latest
    rows = await session.execute(
        select(
            MemberRegistration.user_id,
            MemberRegistration.compound_id,
            MemberRegistration.decided_at,
            MemberRegistration.work_unit,
        )
        .where(MemberRegistration.compound_id.in_(compounds), MemberRegistration.status == RegistrationStatus.approved)
        .order_by(MemberRegistration.id)
    )
    for uid, cid, decided_at, unit in rows.all():
        registrations[(uid, cid)] = (decided_at, unit)
    return units, registrations


async def _orders(session: AsyncSession, compounds, period: Period) -> tuple[dict, dict]:
    """(member, compound) → accepted wish ids; and → completed (wish id, rating, auto_closed)."""
    accepted: dict[tuple[int, int], list[int]] = defaultdict(list)
    for m, c, wish_id in (
        await session.execute(
            select(Order.member_id, Order.compound_id, Order.wish_id)
            .where(
                Order.compound_id.in_(compounds),
                Order.status.in_((OrderStatus.accepted, OrderStatus.completed)),
                Order.responded_at >= period.start,
                Order.responded_at < period.end,
            )
            .order_by(Order.id)
        )
    ).all():
        accepted[(m, c)].append(wish_id)
    completed: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for m, c, wish_id, rating, auto in (
        await session.execute(
            select(Order.member_id, Order.compound_id, Wish.id, Wish.rating, Wish.auto_closed)
            .join(Wish, Wish.id == Order.wish_id)
            .where(
                Order.compound_id.in_(compounds),
                Order.status == OrderStatus.completed,
                Order.completed_at >= period.start,
                Order.completed_at < period.end,
            )
            .order_by(Order.id)
        )
    ).all():
        completed[(m, c)].append((wish_id, rating, auto))
    return accepted, completed


async def _signups(session: AsyncSession, member_ids: set[int], period: Period) -> dict[int, list[tuple[int, int]]]:
    """member → (registration id, minutes) of their sign-ups checked in during the half."""
    out: dict[int, list[tuple[int, int]]] = defaultdict(list)
    if not member_ids:
        return out
    rows = await session.execute(
        select(Registration.user_id, Registration.id, Registration.minutes)
        .where(
            Registration.user_id.in_(member_ids),
            Registration.status != SignupStatus.cancelled,
            Registration.checked_in_at >= period.start,
            Registration.checked_in_at < period.end,
        )
        .order_by(Registration.id)
    )
    for uid, rid, minutes in rows.all():
        out[uid].append((rid, minutes or 0))
    return out


async def _unit_claims(session: AsyncSession, member_ids: set[int], period: Period) -> tuple[dict, dict]:
    """member → their work-unit partner; partner → [(claim id, fulfilled)] matched in the half, the
    claims it made and those on its own items (双认领)."""
    if not member_ids:
        return {}, {}
    links = await session.execute(
        select(WorkUnitMember.user_id, WorkUnitMember.partner_id).where(WorkUnitMember.user_id.in_(member_ids))
    )
    partner_of = dict(links.all())
    claims: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    partners = set(partner_of.values())
    if not partners:
        return partner_of, claims
    rows = await session.execute(
        select(ListClaim.id, ListClaim.status, ListClaim.claimant_kind, ListClaim.claimant_id)
        .add_columns(ListItem.owner_kind, ListItem.owner_id)
        .join(ListItem, ListItem.id == ListClaim.item_id)
        .where(
            ListClaim.status.in_(CLAIMED),
            ListClaim.matched_at >= period.start,
            ListClaim.matched_at < period.end,
            ((ListClaim.claimant_kind.in_(UNIT_SIDES)) & (ListClaim.claimant_id.in_(partners)))
            | ((ListItem.owner_kind.in_(UNIT_SIDES)) & (ListItem.owner_id.in_(partners))),
        )
        .order_by(ListClaim.id)
    )
    for cid, status, c_kind, c_id, o_kind, o_id in rows.all():
        for kind, side in ((c_kind, c_id), (o_kind, o_id)):
            if kind in UNIT_SIDES and side in partners:
                claims[side].append((cid, status in FULFILLED))
    return partner_of, claims


def _attach_cobuilding(rows: list[MemberRow], signups: dict, partner_of: dict, claims: dict) -> None:
    """Hours on each member's first row; each unit's claims on the unit's first row."""
    seen_members: set[int] = set()
    by_unit: dict[str, list[MemberRow]] = defaultdict(list)
    for r in rows:
        if r.member_id not in seen_members:
            seen_members.add(r.member_id)
            r.signups = signups.get(r.member_id, [])
        by_unit[r.work_unit].append(r)
    for rs in by_unit.values():
        partners = {partner_of[r.member_id] for r in rs if r.member_id in partner_of}
        found = sorted({c for p in partners for c in claims.get(p, [])})
        rs[0].claims = [c for c, _ in found]
        rs[0].fulfilled = [c for c, done in found if done]


async def member_rows(session: AsyncSession, scope: ReportScope, period: Period) -> list[MemberRow]:
    """Every member of the scope's compounds with the wishes, sign-ups and claims behind each
    count. Eight statements at most."""
    compounds = scope.compound_ids
    members = await _members(session, compounds, period)
    units, registrations = await _units_and_registrations(session, compounds)
    accepted, completed = await _orders(session, compounds, period)
    member_ids = {m[0] for m in members}
    signups = await _signups(session, member_ids, period)
    partner_of, claims = await _unit_claims(session, member_ids, period)
    rows = []
    for uid, cid, granted_at, name, compound in members:
        decided_at, reg_unit = registrations.get((uid, cid), (None, None))
        done = completed.get((uid, cid), [])
        rows.append(
            MemberRow(
                member_id=uid,
                compound_id=cid,
                work_unit=units.get(uid) or reg_unit or "（未填写单位）",
                name=name or "",
                compound=compound,
                reported_at=decided_at or granted_at,  # the registration's approval, else the grant
                accepted=accepted.get((uid, cid), []),
                completed=[w for w, _, _ in done],
                rated={w: r for w, r, auto in done if not auto and r is not None},
                auto_closed=[w for w, _, auto in done if auto],
            )
        )
    rows.sort(key=lambda r: (r.work_unit, r.name, r.compound))
    _attach_cobuilding(rows, signups, partner_of, claims)
    return rows


async def collect(session: AsyncSession, scope: ReportScope, period: Period) -> list[tuple]:
    return [r.cells() for r in await member_rows(session, scope, period)]


def _hours(rs: list[MemberRow]) -> dict:
    minutes = sum(r.minutes for r in rs)
    return {
        "hours": round(minutes / 60, 2),
        "minutes": minutes,
        "registration_ids": sorted(rid for r in rs for rid, _ in r.signups),
        "definition": "签到在本半年内的志愿服务报名的服务时长（签退或更正后的分钟数）",
    }


def details(rows: list[MemberRow]) -> list[dict]:
    """The report as JSON, by work unit: each count with the members and wishes behind it."""
    by_unit: dict[str, list[MemberRow]] = defaultdict(list)
    for r in rows:
        by_unit[r.work_unit].append(r)
    return [
        {
            "work_unit": unit,
            "members": {"count": len(rs), "member_ids": sorted({r.member_id for r in rs})},
            "accepted": {
                "count": sum(len(r.accepted) for r in rs),
                "wish_ids": sorted(w for r in rs for w in r.accepted),
            },
            "completed": {
                "count": sum(len(r.completed) for r in rs),
                "wish_ids": sorted(w for r in rs for w in r.completed),
            },
            "volunteer_hours": _hours(rs),
            "list_claims": {"count": len(rs[0].claims or []), "claim_ids": rs[0].claims or []},
            "list_fulfilled": {"count": len(rs[0].fulfilled or []), "claim_ids": rs[0].fulfilled or []},
            "rows": [
                {
                    "member_id": r.member_id,
                    "name": r.name,
                    "compound": r.compound,
                    "reported_at": r.reported_at,
                    "accepted": {"count": len(r.accepted), "wish_ids": r.accepted},
                    "completed": {"count": len(r.completed), "wish_ids": r.completed},
                    "volunteer_hours": _hours([r]),
                    "average_rating": {
                        "value": r.average,
                        "rated_wish_ids": sorted(r.rated),
                        "excluded": {"auto_closed": r.auto_closed},
                    },
                }
                for r in rs
            ],
        }
        for unit, rs in by_unit.items()
    ]


async def write_report(session: AsyncSession, scope: ReportScope, period: Period) -> tuple[str, int]:
    """Write the report to a temporary .xlsx; returns (path, data rows). The caller deletes it."""
    rows = await collect(session, scope, period)
    writer = SheetWriter(
        COLUMNS,
        sheet_title=TITLE,
        title=f"{scope.name} 党员双报到{TITLE}（{period.label}）",
        print_header=f"{scope.name} 党员双报到{TITLE}（{period.label}）",
        exported_at=utcnow(),
    )

    async def batches() -> AsyncIterator[list[tuple]]:
        for i in range(0, max(len(rows), 1), BATCH):
            yield rows[i : i + BATCH]

    return await write_sheet(writer, batches(), "work-units-")
