"""The four ledgers. Rows are read in keyset batches (BATCH ids at a time) and appended to a
write-only workbook in a worker thread, so the event loop never blocks and memory stays flat."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.reach import ReportScope
from backend.directory.models import User
from backend.directory.service import mask_name
from backend.issues.models import GridIssue
from backend.issues.state import CATEGORIES as ISSUE_CATEGORIES
from backend.issues.state import STATUS_LABELS as ISSUE_STATUS
from backend.issues.state import URGENCIES
from backend.kernel.clock import SHANGHAI
from backend.kernel.periods import Period
from backend.org.models import Compound, Department, Grid
from backend.people.models import MemberRegistration
from backend.visits.kinds import OUTCOME_LABELS
from backend.visits.models import Visit
from backend.wishes.categories import CATEGORY_LABELS
from backend.wishes.models import Wish
from backend.wishes.state import STATUS_LABELS as WISH_STATUS

BATCH = 2000
REG_STATUS = {"pending": "待审核", "approved": "已通过", "rejected": "未通过"}


def local(value: datetime | None) -> str:
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if value else ""


@dataclass(frozen=True)
class Ledger:
    title: str
    headers: tuple[str, ...]
    rows: Callable[[AsyncSession, ReportScope, Period], AsyncIterator[list[tuple]]]


async def _batches(session: AsyncSession, stmt, id_col, shape) -> AsyncIterator[list[tuple]]:
    last = 0
    while True:
        rows = (await session.execute(stmt.where(id_col > last).order_by(id_col).limit(BATCH))).all()
        if not rows:
            return
        last = rows[-1][0].id
        yield [shape(*r) for r in rows]
        if len(rows) < BATCH:
            return


async def _names(session: AsyncSession, model, ids) -> dict[int, str]:
    ids = set(ids)
    if not ids:
        return {}
    return dict((await session.execute(select(model.id, model.name).where(model.id.in_(ids)))).all())


async def wish_rows(session: AsyncSession, scope: ReportScope, period: Period) -> AsyncIterator[list[tuple]]:
    compounds = await _names(session, Compound, scope.compound_ids)
    stmt = (
        select(Wish, User.name)
        .join(User, User.id == Wish.requester_id)
        .where(Wish.compound_id.in_(scope.compound_ids), Wish.created_at >= period.start, Wish.created_at < period.end)
    )

    def shape(w: Wish, name: str | None) -> tuple:
        rating = "" if w.rating is None else w.rating
        return (
            w.id,
            compounds.get(w.compound_id, ""),
            w.title,
            CATEGORY_LABELS.get(w.category, w.category),
            WISH_STATUS.get(w.status, w.status),
            mask_name(name),
            local(w.created_at),
            local(w.accepted_at),
            local(w.completed_at),
            rating,
            "是" if w.auto_closed else "否",
        )

    async for batch in _batches(session, stmt, Wish.id, shape):
        yield batch


async def visit_rows(session: AsyncSession, scope: ReportScope, period: Period) -> AsyncIterator[list[tuple]]:
    compounds = await _names(session, Compound, scope.compound_ids)
    grids = dict((await session.execute(select(Grid.id, Grid.name))).all())
    stmt = (
        select(Visit, User.name)
        .join(User, User.id == Visit.worker_id)
        .where(
            Visit.compound_id.in_(scope.compound_ids), Visit.visited_at >= period.start, Visit.visited_at < period.end
        )
    )

    def shape(v: Visit, worker: str | None) -> tuple:
        return (
            v.id,
            compounds.get(v.compound_id, ""),
            grids.get(v.grid_id, ""),
            v.household_id,
            local(v.visited_at),
            OUTCOME_LABELS.get(v.outcome, v.outcome),
            "、".join(v.people_met),
            v.note,
            worker or "",
        )

    async for batch in _batches(session, stmt, Visit.id, shape):
        yield batch


async def issue_rows(session: AsyncSession, scope: ReportScope, period: Period) -> AsyncIterator[list[tuple]]:
    compounds = await _names(session, Compound, scope.compound_ids)
    depts = dict((await session.execute(select(Department.id, Department.name))).all())
    stmt = select(GridIssue).where(
        GridIssue.compound_id.in_(scope.compound_ids),
        GridIssue.created_at >= period.start,
        GridIssue.created_at < period.end,
    )

    def shape(i: GridIssue) -> tuple:
        rated = "自动确认" if i.auto_confirmed else {True: "满意", False: "不满意", None: ""}[i.satisfied]
        return (
            i.id,
            compounds.get(i.compound_id, ""),
            ISSUE_CATEGORIES.get(i.category, i.category),
            URGENCIES.get(i.urgency, i.urgency),
            i.description,
            ISSUE_STATUS.get(i.status, i.status),
            depts.get(i.department_id, "") if i.department_id else "",
            local(i.created_at),
            local(i.whistled_at),
            local(i.response_due_at),
            local(i.responded_at),
            local(i.disposal_due_at),
            local(i.resolved_at),
            "是" if (i.response_overdue or i.disposal_overdue) else "否",
            rated,
        )

    async for batch in _batches(session, stmt, GridIssue.id, shape):
        yield batch


async def registration_rows(session: AsyncSession, scope: ReportScope, period: Period) -> AsyncIterator[list[tuple]]:
    compounds = await _names(session, Compound, scope.compound_ids)
    stmt = (
        select(MemberRegistration, User.name)
        .join(User, User.id == MemberRegistration.user_id)
        .where(
            MemberRegistration.compound_id.in_(scope.compound_ids),
            MemberRegistration.created_at >= period.start,
            MemberRegistration.created_at < period.end,
        )
    )

    def shape(r: MemberRegistration, name: str | None) -> tuple:
        return (
            r.id,
            compounds.get(r.compound_id, ""),
            name or "",
            r.work_unit,
            "、".join(r.skills),
            REG_STATUS.get(r.status, r.status),
            local(r.created_at),
            local(r.decided_at),
        )

    async for batch in _batches(session, stmt, MemberRegistration.id, shape):
        yield batch


LEDGERS = {
    "wishes": Ledger(
        "微心愿台账",
        ("编号", "小区", "心愿", "类别", "状态", "居民", "提交时间", "接单时间", "完成时间", "评分", "超时自动关闭"),
        wish_rows,
    ),
    "visits": Ledger(
        "走访台账",
        ("编号", "小区", "网格", "住户编号", "走访时间", "走访结果", "见到的人", "备注", "走访人"),
        visit_rows,
    ),
    "issues": Ledger(
        "网格事件台账",
        (
            "编号",
            "小区",
            "类别",
            "紧急程度",
            "事件描述",
            "状态",
            "承办部门",
            "上报时间",
            "吹哨时间",
            "响应时限",
            "响应时间",
            "处置时限",
            "办结时间",
            "是否超时",
            "评价",
        ),
        issue_rows,
    ),
    "registrations": Ledger(
        "党员双报到台账",
        ("编号", "小区", "姓名", "工作单位", "技能", "状态", "申请时间", "审核时间"),
        registration_rows,
    ),
}


def _append(ws, rows: list[tuple]) -> None:
    for row in rows:
        ws.append(row)


async def write_ledger(session: AsyncSession, kind: str, scope: ReportScope, period: Period) -> tuple[str, int]:
    """Write the ledger to a temporary .xlsx; returns (path, data rows). The caller deletes it."""
    ledger = LEDGERS[kind]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(ledger.title)
    bold = Font(bold=True)
    header = []
    for h in ledger.headers:
        cell = WriteOnlyCell(ws, value=h)
        cell.font = bold
        header.append(cell)
    ws.append([f"{scope.name} {ledger.title}（{period.label}，时间为北京时间）"])
    ws.append(header)
    count = 0
    async for batch in ledger.rows(session, scope, period):
        await asyncio.to_thread(_append, ws, batch)
        count += len(batch)
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="ledger-")
    os.close(fd)
    try:
        await asyncio.to_thread(wb.save, path)
    except BaseException:
        os.unlink(path)
        raise
    return path, count
