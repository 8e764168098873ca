"""Building .xlsx household ledgers for import tests."""

from __future__ import annotations

import io

import openpyxl
from sqlalchemy import select

from backend.org.models import Building, Compound, Household, Unit

IMPORT_URL = "/api/v1/households/import"


def xlsx(rows: list[list], header: list[str] | None = None, title: str | None = "锦华苑住户台账") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(
        header or ["序号", "小区", "楼栋", "单元", "房号", "住址", "姓名", "与户主关系", "联系电话", "关爱标签"]
    )
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "台账.xlsx") -> dict:
    return {"files": {"file": (name, data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}}


async def household_at(session, building: str, unit: str, room: str) -> int:
    stmt = (
        select(Household.id)
        .join(Unit, Unit.id == Household.unit_id)
        .join(Building, Building.id == Household.building_id)
        .join(Compound, Compound.id == Household.compound_id)
        .where(Compound.name == "锦华苑", Building.name == building, Unit.name == unit, Household.room == room)
    )
    return (await session.execute(stmt)).scalar_one()
