"""No spreadsheet can stall the server (issue 12 item 2): hostile .xlsx files are refused by a look
inside the zip and a streaming pass over its XML, before openpyxl reads a cell, with a 422 and a
Chinese message; the parse runs with no database transaction open and stops itself at a deadline."""

from __future__ import annotations

import asyncio
import io
import os
import threading
import zipfile

import pytest

from backend.households import ledger, router
from backend.households.ledger import LedgerError, read_ledger
from tests.support.ledgers import IMPORT_URL as URL
from tests.support.ledgers import upload, xlsx

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
HEADER = ["序号", "小区", "楼栋", "单元", "房号", "姓名"]


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def header_row() -> str:
    cells = "".join(_cell(f"{chr(65 + i)}1", h) for i, h in enumerate(HEADER))
    return f'<row r="1">{cells}</row>'


def workbook(sheet_rows: str, *, dimension: str = "A1:F2", strings: bytes | None = None, extra=()) -> bytes:
    """A minimal .xlsx written by hand, so that it can say what openpyxl would never write."""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><dimension ref="{dimension}"/>'
        f"<sheetData>{sheet_rows}</sheetData></worksheet>"
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="xl/workbook.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook {NS} {R_NS}><sheets>'
            '<sheet name="住户台账" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
        if strings is not None:
            z.writestr("xl/sharedStrings.xml", strings)
        for name, content in extra:
            z.writestr(name, content)
    return buffer.getvalue()


def one_row(number: int) -> str:
    cells = "".join(_cell(f"{chr(65 + i)}{number}", v) for i, v in enumerate(["1", "锦华苑", "1", "1", "101", "王芳"]))
    return f'<row r="{number}">{cells}</row>'


@pytest.fixture
def no_openpyxl(monkeypatch):
    """The refusals below come from the look inside the file: openpyxl never starts reading."""

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to read a file the pre-check should have refused")

    monkeypatch.setattr(ledger.openpyxl, "load_workbook", refuse)


def shared_strings(n: int, *, declare: bool = True, declared: int | None = None) -> bytes:
    d = n if declared is None else declared
    count = f' count="{d}" uniqueCount="{d}"' if declare else ""
    return f'<?xml version="1.0"?><sst {NS}{count}>'.encode() + b"<si><t>a</t></si>" * n + b"</sst>"


async def refused(api, data: bytes, code: str) -> str:
    r = await api.post(URL, "demo-gridworker", **upload(data))
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"] == code, body
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"]), body
    return body["detail"]


async def test_a_row_gap_of_nine_million_is_refused_before_reading(api, no_openpyxl):
    data = workbook(header_row() + one_row(9_000_000), dimension="A1:F2")  # the dimension lies
    assert len(data) < 4096
    detail = await refused(api, data, "too_many_rows")
    assert "9000000" in detail


async def test_a_declared_dimension_of_nine_million_rows_is_refused(api, no_openpyxl):
    detail = await refused(api, workbook(header_row() + one_row(2), dimension="A1:F9000000"), "too_many_rows")
    assert "9000000" in detail


async def test_a_cell_in_column_xfd_is_refused(api, no_openpyxl):
    rows = header_row() + f'<row r="2">{_cell("XFD2", "x")}</row>'
    await refused(api, workbook(rows), "too_many_columns")


async def test_two_million_shared_strings_are_refused(api, no_openpyxl):
    data = workbook(header_row(), strings=shared_strings(2_000_000))
    assert len(data) < 200_000  # small on the wire, 34 MB inflated
    await refused(api, data, "xlsx_too_large")


def test_shared_strings_past_the_limit_are_refused_declared_or_not(no_openpyxl):
    declared = workbook(header_row(), strings=shared_strings(10, declared=2_000_000))
    with pytest.raises(LedgerError) as caught:
        read_ledger(declared, 100)
    assert caught.value.code == "too_many_strings"
    undeclared = workbook(header_row(), strings=shared_strings(10_001, declare=False))
    with pytest.raises(LedgerError) as caught:
        read_ledger(undeclared, 100)  # 100 rows allow 10,000 strings
    assert caught.value.code == "too_many_strings" and "10000" in caught.value.detail


async def test_a_zip_bomb_of_a_hundred_to_one_is_refused(api, no_openpyxl):
    padding = os.urandom(8_000).hex().encode() + b" " * 2_000_000  # inflates ~120 times
    data = workbook(header_row(), extra=[("xl/styles.xml", padding)])
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/styles.xml")
    assert info.file_size >= 100 * info.compress_size
    await refused(api, data, "xlsx_zip_bomb")


async def test_fifty_megabytes_uncompressed_is_refused(api, no_openpyxl):
    data = workbook(header_row(), extra=[("xl/media/pad.bin", b"0" * (50 * 1024 * 1024))])
    assert len(data) < 1024 * 1024
    detail = await refused(api, data, "xlsx_too_large")
    assert "20 MB" in detail


async def test_another_request_is_served_while_a_sheet_is_being_read(api, monkeypatch):
    """The parse holds the import in a worker thread (held here until the other request is done):
    the event loop and the database serve another user meanwhile."""
    started, release = threading.Event(), threading.Event()

    def reading(data, **kwargs):
        started.set()
        release.wait(10)
        return read_ledger(data, **kwargs)

    monkeypatch.setattr(router, "read_ledger", reading)
    await api.login("demo-resident")
    await api.login("demo-gridworker")
    task = asyncio.create_task(api.post(URL, "demo-gridworker", **upload(workbook(header_row() + one_row(9_000_000)))))
    assert await asyncio.to_thread(started.wait, 10)
    me = await api.get("/api/v1/me", "demo-resident")
    assert me.status_code == 200, me.text
    assert not task.done()
    release.set()
    imported = await task
    assert imported.status_code == 422 and imported.json()["error"] == "too_many_rows"


async def test_the_sheet_is_parsed_with_no_transaction_open(api, app, monkeypatch):
    """Reading the caller's grants opened a transaction (on SQLite: the write lock); it is closed
    before the parse, so a slow file cannot keep other users' writes waiting."""
    sessions = []
    factory = app.state.session_factory

    def recording():
        s = factory()
        sessions.append(s)
        return s

    open_during_parse = []

    def reading(data, **kwargs):
        open_during_parse.extend(s.in_transaction() for s in sessions)
        return read_ledger(data, **kwargs)

    await api.login("demo-gridworker")
    app.state.session_factory = recording
    monkeypatch.setattr(router, "read_ledger", reading)
    r = await api.post(URL, "demo-gridworker", **upload(xlsx([[1, "锦华苑", "1号楼", "1单元", "101", "", "王芳"]])))
    assert r.status_code == 200, r.text
    assert open_during_parse and not any(open_during_parse)


def test_the_parse_stops_itself_at_its_deadline():
    rows = [[n, "锦华苑", "1号楼", "1单元", "101", "", f"住户{n}"] for n in range(1, 1200)]
    data = xlsx(rows)
    assert len(read_ledger(data, 5000, seconds=10).rows) == 1199
    with pytest.raises(LedgerError) as caught:
        read_ledger(data, 5000, seconds=0)
    assert caught.value.code == "import_too_slow" and "超时" in caught.value.detail


def test_a_full_size_ledger_of_our_own_export_is_not_refused():
    """5,000 rows written the way our export writes them stay inside every limit."""
    rows = [
        {"compound": "锦华苑", "building": "1号楼", "unit": "1单元", "room": f"{n % 900 + 101}", "name": f"住户{n}"}
        for n in range(5000)
    ]
    data = ledger.write_ledger(rows)
    assert len(read_ledger(data, 5000).rows) == 5000
