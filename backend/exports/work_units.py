"""Half-year work-unit report (向单位反馈): every Party member of a compound of the scope (the
party_member grant, which an approved 双报到 registration creates), grouped by work unit (the member
profile's, else the registration's), with the reporting-in date (the latest approved registration's
decision, else the grant's creation) and what they did in that half year:

- 接单数: orders the member accepted (status 已接单 or 已完成, accepted in the half year);
- 完成数: orders the member completed in the half year;
- 平均评分: the residents' average rating of those completed wishes (auto-closed wishes carry no
  rating and are left out).

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
from backend.org.models import Compound, RoleGrant
from backend.people.models import MemberProfile, MemberRegistration
from backend.people.state import RegistrationStatus
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

    @property
    def average(self) -> float | None:
        return round(sum(self.rated.values()) / len(self.rated), 2) if self.rated else None

    def cells(self) -> tuple:
        return (
            self.work_unit,
            self.name,
            self.compound,
            self.reported_at,
            len(self.accepted),
            len(self.completed),
            self.average,
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


async def member_rows(session: AsyncSession, scope: ReportScope, period: Period) -> list[MemberRow]:
    """Every member of the scope's compounds with the wishes behind each count. Five statements."""
    compounds = scope.compound_ids
    members = await _members(session, compounds, period)
    units, registrations = await _units_and_registrations(session, compounds)
    accepted, completed = await _orders(session, compounds, period)
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
    return sorted(rows, key=lambda r: (r.work_unit, r.name, r.compound))


async def collect(session: AsyncSession, scope: ReportScope, period: Period) -> list[tuple]:
    return [r.cells() for r in await member_rows(session, scope, period)]


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
            "rows": [
                {
                    "member_id": r.member_id,
                    "name": r.name,
                    "compound": r.compound,
                    "reported_at": r.reported_at,
                    "accepted": {"count": len(r.accepted), "wish_ids": r.accepted},
                    "completed": {"count": len(r.completed), "wish_ids": r.completed},
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
