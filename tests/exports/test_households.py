"""The household ledger (住户台账) export: the import's format, laid out for Excel and A4, and inert text."""

from __future__ import annotations

from sqlalchemy import select

from backend.households.ledger import HEADERS, read_ledger, write_ledger
from backend.org.models import Grid, Household
from tests.support.sheets import INJECTIONS, check_inert, check_layout, column, open_sheet

G1 = "和谐社区第一网格"


async def test_household_export_is_office_ready(api, session):
    g1 = (await session.execute(select(Grid.id).where(Grid.name == G1))).scalar_one()
    r = await api.get(f"/api/v1/households/export?grid_id={g1}", "demo-gridworker")
    assert r.status_code == 200, r.text
    ws = open_sheet(r.content)
    assert ws.title == "住户台账"
    check_layout(ws, HEADERS, header_row=1, print_header=f"锦华苑 {G1} 住户台账")
    households = len(set((await session.execute(select(Household.id).where(Household.grid_id == g1))).scalars()))
    assert ws.max_row - 1 >= households
    seq = column(ws, 1, "序号")
    assert [ws.cell(n, seq).value for n in range(2, ws.max_row + 1)] == list(range(1, ws.max_row))
    assert all(ws.cell(n, seq).data_type == "n" for n in range(2, ws.max_row + 1))
    for header in ("楼栋", "单元", "房号", "联系电话"):
        index = column(ws, 1, header)
        cells = [ws.cell(n, index) for n in range(2, ws.max_row + 1) if ws.cell(n, index).value is not None]
        assert cells and all(c.data_type == "s" and c.number_format == "@" for c in cells), header
    # 120-odd rows of 11 columns: one page wide, the header on every page
    assert ws.page_setup.fitToWidth == 1 and ws.print_title_rows.replace("$", "") == "1:1"


def test_household_ledger_text_is_inert_and_reads_back_as_typed():
    evil_name, evil_address, evil_room, phone = INJECTIONS[0], INJECTIONS[1], "0101", "+8613812345678"
    rows = [
        {
            "grid": G1,
            "compound": "锦华苑",
            "building": "1号楼",
            "unit": "1单元",
            "room": evil_room,
            "address": evil_address,
            "name": evil_name,
            "relation": "户主",
            "phone": phone,
            "tags": "@独居老人",
        }
    ]
    ws = open_sheet(write_ledger(rows))
    check_inert(ws.cell(2, column(ws, 1, "姓名")), evil_name)
    check_inert(ws.cell(2, column(ws, 1, "住址")), evil_address)
    dial = ws.cell(2, column(ws, 1, "联系电话"))  # a phone reads as typed (no quote to dial around), as text
    assert dial.value == phone and dial.data_type == "s" and dial.number_format == "@"
    check_inert(ws.cell(2, column(ws, 1, "关爱标签")), "@独居老人")
    room = ws.cell(2, column(ws, 1, "房号"))
    assert room.value == "0101" and room.data_type == "s" and room.number_format == "@"

    # the import reads our own export back as typed
    [(number, row)] = read_ledger(write_ledger(rows), 10).rows
    assert number == 2
    assert row["name"] == evil_name and row["address"] == evil_address and row["phone"] == phone
    assert row["room"] == "0101" and row["tags"] == "@独居老人" and row["seq"] == "1"


def test_numbers_and_phones_look_as_typed_while_formulas_stay_inert():
    """Plain numbers and phones (a basement room ``-1``, ``+86 138-1234-5678``) are not quoted: digits
    and hyphens after a sign cannot call anything; anything else after a trigger is."""
    base = {"grid": G1, "compound": "锦华苑", "building": "1号楼", "unit": "1单元", "relation": "户主"}
    rows = [
        {**base, "room": "-1", "name": "王芳", "phone": "+86 138-1234-5678", "tags": ""},
        {**base, "room": "-1", "name": "-2-3+cmd", "phone": "+86 138 1234 5678", "tags": "-独居老人"},
        {**base, "room": "-1", "name": "+86", "phone": "-1.5", "tags": "=1+2"},
    ]
    ws = open_sheet(write_ledger(rows))
    room, name, phone, tags = (column(ws, 1, h) for h in ("房号", "姓名", "联系电话", "关爱标签"))
    assert [ws.cell(n, room).value for n in (2, 3, 4)] == ["-1", "-1", "-1"]
    assert [ws.cell(n, phone).value for n in (2, 3, 4)] == ["+86 138-1234-5678", "+86 138 1234 5678", "-1.5"]
    assert ws.cell(4, name).value == "+86"
    check_inert(ws.cell(3, name), "-2-3+cmd")
    check_inert(ws.cell(3, tags), "-独居老人")
    check_inert(ws.cell(4, tags), "=1+2")
    assert all(ws.cell(n, c).data_type == "s" for n in (2, 3, 4) for c in (room, name, phone))
