"""The ledgers (提案台账 and 议事台账: co_governance.py). Rows are read in keyset batches (BATCH ids
at a time) and appended to a write-only workbook in a worker thread, so the event loop never
blocks and memory stays flat.
The sheet's layout (date cells, widths, frozen header, autofilter, print setup, text that never
turns into a formula) is backend/kernel/sheets.py's; here only what goes in which column."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.reach import ReportScope
from backend.directory.models import User
from backend.directory.service import mask_name
from backend.exports import appraisals as appraisal_ledger
from backend.exports import co_governance
from backend.exports import projects as project_ledger
from backend.issues.models import GridIssue
from backend.issues.state import CATEGORIES as ISSUE_CATEGORIES
from backend.issues.state import STATUS_LABELS as ISSUE_STATUS
from backend.issues.state import URGENCIES
from backend.kernel.clock import utcnow
from backend.kernel.periods import Period
from backend.kernel.sheets import Column, SheetWriter
from backend.org.models import Building, Compound, Department, Grid, Household, Unit
from backend.people.models import MemberRegistration
from backend.visits.kinds import OUTCOME_LABELS
from backend.visits.models import Visit
from backend.wishes.categories import CATEGORY_LABELS
from backend.wishes.models import Wish
from backend.wishes.state import STATUS_LABELS as WISH_STATUS

BATCH = 2000
REG_STATUS = {"pending": "待审核", "approved": "已通过", "rejected": "未通过"}


@dataclass(frozen=True)
class Ledger:
    title: str
    columns: tuple[Column, ...]
    rows: Callable[[AsyncSession, ReportScope, Period], AsyncIterator[list[tuple]]]

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)


def _address_columns(stmt, household_id_col):
    """楼栋, 单元, 房号 of the row's household (outer joins: a row may have none)."""
    return (
        stmt.add_columns(Building.name, Unit.name, Household.room)
        .outerjoin(Household, Household.id == household_id_col)
        .outerjoin(Unit, Unit.id == Household.unit_id)
        .outerjoin(Building, Building.id == Household.building_id)
    )


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
        return (
            w.id,
            compounds.get(w.compound_id, ""),
            w.title,
            CATEGORY_LABELS.get(w.category, w.category),
            WISH_STATUS.get(w.status, w.status),
            mask_name(name),
            w.created_at,
            w.accepted_at,
            w.completed_at,
            w.rating,
            "是" if w.auto_closed else "否",
        )

    async for batch in _batches(session, stmt, Wish.id, shape):
        yield batch


async def visit_rows(session: AsyncSession, scope: ReportScope, period: Period) -> AsyncIterator[list[tuple]]:
    compounds = await _names(session, Compound, scope.compound_ids)
    grids = dict((await session.execute(select(Grid.id, Grid.name))).all())
    stmt = _address_columns(
        select(Visit, User.name)
        .join(User, User.id == Visit.worker_id)
        .where(
            Visit.compound_id.in_(scope.compound_ids), Visit.visited_at >= period.start, Visit.visited_at < period.end
        ),
        Visit.household_id,
    )

    def shape(v: Visit, worker: str | None, building: str | None, unit: str | None, room: str | None) -> tuple:
        return (
            v.id,
            compounds.get(v.compound_id, ""),
            grids.get(v.grid_id, ""),
            building,
            unit,
            room,
            v.visited_at,
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
    stmt = _address_columns(
        select(GridIssue).where(
            GridIssue.compound_id.in_(scope.compound_ids),
            GridIssue.created_at >= period.start,
            GridIssue.created_at < period.end,
        ),
        GridIssue.household_id,
    )

    def shape(i: GridIssue, building: str | None, unit: str | None, room: str | None) -> tuple:
        rated = "自动确认" if i.auto_confirmed else {True: "满意", False: "不满意", None: ""}[i.satisfied]
        return (
            i.id,
            compounds.get(i.compound_id, ""),
            building,
            unit,
            room,
            i.location,
            ISSUE_CATEGORIES.get(i.category, i.category),
            URGENCIES.get(i.urgency, i.urgency),
            i.description,
            ISSUE_STATUS.get(i.status, i.status),
            depts.get(i.department_id, "") if i.department_id else "",
            i.created_at,
            i.whistled_at,
            i.response_due_at,
            i.responded_at,
            i.disposal_due_at,
            i.resolved_at,
            "是" if (i.response_overdue or i.disposal_overdue or i.grid_overdue) else "否",
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
            r.created_at,
            r.decided_at,
        )

    async for batch in _batches(session, stmt, MemberRegistration.id, shape):
        yield batch


T, C, N, D = "text", "code", "number", "datetime"


def _cols(*spec: tuple[str, str]) -> tuple[Column, ...]:
    return tuple(Column(header, kind) for header, kind in spec)  # type: ignore[arg-type]


LEDGERS = {
    "wishes": Ledger(
        "微心愿台账",
        _cols(
            ("编号", N),
            ("小区", T),
            ("心愿", T),
            ("类别", T),
            ("状态", T),
            ("居民", T),
            ("提交时间", D),
            ("接单时间", D),
            ("完成时间", D),
            ("评分", N),
            ("超时自动关闭", T),
        ),
        wish_rows,
    ),
    "visits": Ledger(
        "走访台账",
        _cols(
            ("编号", N),
            ("小区", T),
            ("网格", T),
            ("楼栋", C),
            ("单元", C),
            ("房号", C),
            ("走访时间", D),
            ("走访结果", T),
            ("见到的人", T),
            ("备注", T),
            ("走访人", T),
        ),
        visit_rows,
    ),
    "issues": Ledger(
        "网格事件台账",
        _cols(
            ("编号", N),
            ("小区", T),
            ("楼栋", C),
            ("单元", C),
            ("房号", C),
            ("地点", T),
            ("类别", T),
            ("紧急程度", T),
            ("事件描述", T),
            ("状态", T),
            ("承办部门", T),
            ("上报时间", D),
            ("吹哨时间", D),
            ("响应时限", D),
            ("响应时间", D),
            ("处置时限", D),
            ("办结时间", D),
            ("是否超时", T),
            ("评价", T),
        ),
        issue_rows,
    ),
    "registrations": Ledger(
        "党员双报到台账",
        _cols(
            ("编号", N),
            ("小区", T),
            ("姓名", T),
            ("工作单位", T),
            ("技能", T),
            ("状态", T),
            ("申请时间", D),
            ("审核时间", D),
        ),
        registration_rows,
    ),
    "proposals": Ledger("提案台账", co_governance.PROPOSAL_COLUMNS, co_governance.proposal_rows),
    "meetings": Ledger("议事台账", co_governance.MEETING_COLUMNS, co_governance.meeting_rows),
    "projects": Ledger("项目台账", project_ledger.PROJECT_COLUMNS, project_ledger.project_rows),
    "appraisals": Ledger("评议台账", appraisal_ledger.APPRAISAL_COLUMNS, appraisal_ledger.appraisal_rows),
}


async def write_sheet(writer: SheetWriter, batches: AsyncIterator[list[tuple]], prefix: str) -> tuple[str, int]:
    """Stream the batches into ``writer`` (in a worker thread), save to a temporary .xlsx and return
    (path, data rows). The caller deletes the file."""
    async for batch in batches:
        await asyncio.to_thread(writer.append, batch)
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix=prefix)
    os.close(fd)
    try:
        await asyncio.to_thread(writer.save, path)
    except BaseException:
        os.unlink(path)
        raise
    return path, writer.rows


async def write_ledger(session: AsyncSession, kind: str, scope: ReportScope, period: Period) -> tuple[str, int]:
    """Write the ledger to a temporary .xlsx; returns (path, data rows). The caller deletes it."""
    ledger = LEDGERS[kind]
    writer = SheetWriter(
        ledger.columns,
        sheet_title=ledger.title,
        title=f"{scope.name} {ledger.title}（{period.label}，时间为北京时间）",
        print_header=f"{scope.name} {ledger.title}（{period.label}）",
        exported_at=utcnow(),
    )
    return await write_sheet(writer, ledger.rows(session, scope, period), "ledger-")
