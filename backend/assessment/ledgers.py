"""Ledgers of the assessment as .xlsx (backend/kernel/sheets.py): 签到台账 (every sign-in of a
department's staff, with whether it counted), 部门考核 (each department's parts, weights and total)
and 夺旗摘星 (each community's indicator values, stars and flag)."""

from __future__ import annotations

import asyncio
import io
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.assessment.parts import PARTS
from backend.directory.models import User
from backend.evaluations import checkins
from backend.kernel.clock import utcnow
from backend.kernel.periods import Period
from backend.kernel.sheets import Column, SheetWriter
from backend.org.models import Department

CHECKIN_COLUMNS = (
    Column("部门"),
    Column("工作人员"),
    Column("联系点"),
    Column("签到时间", "datetime"),
    Column("日期", "date"),
    Column("是否工作日"),
    Column("是否计入"),
    Column("纬度", "number"),
    Column("经度", "number"),
)


def _write(columns, title: str, heading: str, rows: list[tuple]) -> bytes:
    writer = SheetWriter(columns, sheet_title=title, title=heading, print_header=heading, exported_at=utcnow())
    writer.append(rows)
    buffer = io.BytesIO()
    writer.save(buffer)
    return buffer.getvalue()


async def checkin_rows(session: AsyncSession, settings, departments: list[Department], period: Period) -> list[tuple]:
    calendar = await checkins.calendar_for(session, settings, period)
    rows = await checkins.checkins_in(session, [d.id for d in departments], period)
    users = {r.user_id for r in rows}
    names = dict((await session.execute(select(User.id, User.name).where(User.id.in_(users)))).all()) if users else {}
    places = await checkins.place_names(session, {(r.place_kind, r.place_id) for r in rows})
    dept_names = {d.id: d.name for d in departments}
    counted: set[tuple[int, str, int, date]] = set()
    out = []
    for r in sorted(rows, key=lambda r: (r.department_id, r.user_id, r.at, r.id)):
        workday = calendar.is_workday(r.day)
        key = (r.user_id, r.place_kind, r.place_id, r.day)
        counts = workday and key not in counted
        counted.add(key)
        out.append(
            (
                dept_names[r.department_id],
                names.get(r.user_id, ""),
                places.get((r.place_kind, r.place_id), ("", 0))[0],
                r.at,
                r.day,
                "是" if workday else "否（节假日或休息日）",
                "计入" if counts else ("不计（休息日）" if not workday else "不计（当日已签到）"),
                r.latitude,
                r.longitude,
            )
        )
    return out


async def checkin_ledger(session, settings, name: str, departments: list[Department], period: Period):
    rows = await checkin_rows(session, settings, departments, period)
    heading = f"{name} 签到台账（{period.label}，时间为北京时间）"
    return await asyncio.to_thread(_write, CHECKIN_COLUMNS, "签到台账", heading, rows), len(rows)


def _fmt(score) -> float | None:
    return None if score is None else round(float(score), 2)


async def assessment_ledger(name: str, result: dict):
    columns = (
        Column("名次", "number"),
        Column("部门"),
        *(Column(f"{p.label}（权重{result['weights'].get(code, 0)}）", "number") for code, p in PARTS.items()),
        Column("综合得分", "number"),
        Column("计分权重", "number"),
    )
    rows = [
        (
            d["rank"],
            d["department_name"],
            *(_fmt(d["parts"][code]["score"]) for code in PARTS),
            _fmt(d["total"]),
            d["weight_used"],
        )
        for d in result["departments"]
    ]
    heading = f"{name} 部门考核（{result['period']['label']}）"
    return await asyncio.to_thread(_write, columns, "部门考核", heading, rows), len(rows)


COMPETITION_COLUMNS = (
    Column("名次", "number"),
    Column("社区"),
    Column("指标"),
    Column("指标值", "number"),
    Column("达标值", "number"),
    Column("摘星值", "number"),
    Column("是否达标"),
    Column("是否摘星"),
    Column("来源"),
    Column("摘星数", "number"),
    Column("夺旗"),
)


def _source(value: dict) -> str:
    if "figure" in value:
        f = value["figure"]
        if "denominator" in f:
            return f"系统统计（{f.get('numerator', 0)}／{f['denominator']}）"
        return "系统统计"
    entry = value.get("entry")
    if entry is None:
        return "社区未填报"
    return f"社区填报（{entry['status_label']}）"


async def competition_ledger(name: str, result: dict):
    """One row per community and indicator (a wide table of twenty indicators does not print)."""
    specs = {s["code"]: s for s in result["indicators"]}
    rows = [
        (
            c["rank"],
            c["community_name"],
            v["name"],
            v["value"],
            specs[v["code"]]["target"],
            specs[v["code"]]["star"],
            "是" if v["reached"] else "否",
            "★" if v["star"] else "",
            _source(v),
            c["stars"],
            "夺旗" if c["flag"] else "",
        )
        for c in result["communities"]
        for v in c["indicators"]
    ]
    heading = f"{name} 头雁领航·夺旗摘星（{result['period']['label']}）"
    return await asyncio.to_thread(_write, COMPETITION_COLUMNS, "夺旗摘星", heading, rows), len(rows)
