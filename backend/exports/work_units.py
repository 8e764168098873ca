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
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.reach import ReportScope
from backend.directory.models import User
from backend.dispatch.models import Order
from backend.exports.ledger import BATCH, write_sheet
from backend.kernel.clock import utcnow
from backend.kernel.errors import InvalidInput
from backend.kernel.periods import Period, parse_period
from backend.kernel.sheets import Column, SheetWriter
from backend.org.models import Compound, RoleGrant
from backend.people.models import MemberProfile, MemberRegistration
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


async def collect(session: AsyncSession, scope: ReportScope, period: Period) -> list[tuple]:
    compounds = scope.compound_ids
    members = (
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
    for uid, cid, decided_at, unit in (
        await session.execute(
            select(
                MemberRegistration.user_id,
                MemberRegistration.compound_id,
                MemberRegistration.decided_at,
                MemberRegistration.work_unit,
            )
            .where(MemberRegistration.compound_id.in_(compounds), MemberRegistration.status == "approved")
            .order_by(MemberRegistration.id)
        )
    ).all():
        registrations[(uid, cid)] = (decided_at, unit)
    accepted = {
        (m, c): n
        for m, c, n in (
            await session.execute(
                select(Order.member_id, Order.compound_id, func.count())
                .where(
                    Order.compound_id.in_(compounds),
                    Order.status.in_(("accepted", "completed")),
                    Order.responded_at >= period.start,
                    Order.responded_at < period.end,
                )
                .group_by(Order.member_id, Order.compound_id)
            )
        ).all()
    }
    completed = {
        (m, c): (n, avg)
        for m, c, n, avg in (
            await session.execute(
                select(
                    Order.member_id,
                    Order.compound_id,
                    func.count(),
                    func.avg(Wish.rating).filter(Wish.auto_closed.is_(False)),
                )
                .join(Wish, Wish.id == Order.wish_id)
                .where(
                    Order.compound_id.in_(compounds),
                    Order.status == "completed",
                    Order.completed_at >= period.start,
                    Order.completed_at < period.end,
                )
                .group_by(Order.member_id, Order.compound_id)
            )
        ).all()
    }
    rows = []
    for uid, cid, granted_at, name, compound in members:
        decided_at, reg_unit = registrations.get((uid, cid), (None, None))
        reported = decided_at or granted_at  # a date cell in Asia/Shanghai
        done, avg = completed.get((uid, cid), (0, None))
        rows.append(
            (
                units.get(uid) or reg_unit or "（未填写单位）",
                name or "",
                compound,
                reported,
                accepted.get((uid, cid), 0),
                done,
                None if avg is None else round(float(avg), 2),
            )
        )
    return sorted(rows, key=lambda r: (r[0], r[1], r[2]))


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
