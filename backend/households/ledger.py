"""The .xlsx household ledger (住户台账): reading and writing the sheet. Synchronous (openpyxl):
callers run these functions in a worker thread, never on the event loop.

One row per person, the way community ledgers are kept; the household is identified by
小区 + 楼栋 + 单元 + 房号. A row with an empty 姓名 carries household data only (address, tags).
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field
from datetime import date, datetime

import openpyxl

from backend.households.sheetguard import MAX_COLUMNS, Limits, SheetRefused, check_workbook
from backend.kernel.clock import utcnow
from backend.kernel.sheets import Column, SheetWriter, unneutralise

HEADERS = ["序号", "网格", "小区", "楼栋", "单元", "房号", "住址", "姓名", "与户主关系", "联系电话", "关爱标签"]
FIELDS = {
    "序号": "seq",
    "网格": "grid",
    "小区": "compound",
    "楼栋": "building",
    "单元": "unit",
    "房号": "room",
    "住址": "address",
    "姓名": "name",
    "与户主关系": "relation",
    "联系电话": "phone",
    "关爱标签": "tags",
}
# Other spellings found in community ledgers.
ALIASES = {
    "小区名称": "小区",
    "楼号": "楼栋",
    "楼栋号": "楼栋",
    "单元号": "单元",
    "门牌号": "房号",
    "房间号": "房号",
    "室": "房号",
    "地址": "住址",
    "家庭住址": "住址",
    "居民姓名": "姓名",
    "关系": "与户主关系",
    "与户主的关系": "与户主关系",
    "电话": "联系电话",
    "手机": "联系电话",
    "手机号": "联系电话",
    "手机号码": "联系电话",
    "联系方式": "联系电话",
    "标签": "关爱标签",
    "重点人群": "关爱标签",
    "人员类别": "关爱标签",
}
REQUIRED = ["小区", "楼栋", "单元", "房号", "姓名"]
HEADER_SEARCH_ROWS = 5  # a ledger may start with a title row or two
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class LedgerError(Exception):
    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass
class LedgerSheet:
    columns: set[str]  # the field names present (see FIELDS)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (excel row number, values)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return unneutralise(str(value).strip())  # our export writes "'+86…" for "+86…"


def _header(value: object) -> str | None:
    text = _cell(value).replace(" ", "").replace("\u3000", "").replace("*", "")
    text = ALIASES.get(text, text)
    return text if text in FIELDS else None


def read_ledger(
    data: bytes, max_rows: int, *, max_unzipped: int = 20 * 1024 * 1024, seconds: float = 10.0
) -> LedgerSheet:
    """The sheet's rows, after sheetguard has looked inside the file; within ``seconds`` (a worker
    thread cannot be cancelled: the parse stops itself)."""
    limits = Limits(max_rows=max_rows, max_unzipped=max_unzipped, deadline=time.monotonic() + seconds)
    try:
        check_workbook(io.BytesIO(data), limits)
    except SheetRefused as exc:
        raise LedgerError(exc.code, exc.detail) from exc
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a zip that is not a workbook, a .xls, a csv renamed, …
        raise LedgerError("invalid_xlsx", "无法读取该文件，请上传 .xlsx 格式的台账") from exc
    try:
        return _rows(workbook.worksheets[0], limits)
    except SheetRefused as exc:
        raise LedgerError(exc.code, exc.detail) from exc
    finally:
        workbook.close()


def _rows(sheet, limits: Limits) -> LedgerSheet:
    max_rows = limits.max_rows
    columns: dict[int, str] | None = None
    out: list[tuple[int, dict[str, str]]] = []
    bounded = sheet.iter_rows(values_only=True, max_row=limits.max_row_index, max_col=MAX_COLUMNS)
    for number, values in enumerate(bounded, start=1):
        if number % 500 == 0:
            limits.check_time()
        if columns is None:
            found = {i: _header(v) for i, v in enumerate(values)}
            found = {i: h for i, h in found.items() if h is not None}
            if set(REQUIRED) <= set(found.values()):
                columns = found
            elif number >= HEADER_SEARCH_ROWS:
                missing = [h for h in REQUIRED if h not in found.values()]
                raise LedgerError(
                    "missing_columns", f"台账缺少表头：{'、'.join(missing)}（须有 {'、'.join(REQUIRED)}）"
                )
            continue
        row = {FIELDS[h]: _cell(values[i]) if i < len(values) else "" for i, h in columns.items()}
        if not any(row.values()):
            continue
        if row.keys() == {"seq"} or not any(v for k, v in row.items() if k != "seq"):
            continue
        if len(out) >= max_rows:
            raise LedgerError("too_many_rows", f"台账超过 {max_rows} 行，请按网格或小区分批导入")
        out.append((number, row))
    if columns is None:
        raise LedgerError("missing_columns", f"没有找到表头（须有 {'、'.join(REQUIRED)}）")
    return LedgerSheet(columns={FIELDS[h] for h in columns.values()}, rows=out)


COLUMNS = tuple(
    Column(h, kind)  # type: ignore[arg-type]
    for h, kind in zip(
        HEADERS,
        ("number", "text", "text", "code", "code", "code", "text", "text", "text", "code", "text"),
        strict=True,
    )
)


def _scope_label(rows: list[dict[str, str]]) -> str:
    """The compounds and grids the rows come from, for the printed page header."""

    def names(key: str) -> str:
        seen = list(dict.fromkeys(r.get(key, "") for r in rows if r.get(key)))
        return "、".join(seen[:3]) + ("等" if len(seen) > 3 else "")

    return " ".join(part for part in (names("compound"), names("grid")) if part)


def write_ledger(rows: list[dict[str, str]], title: str = "住户台账") -> bytes:
    """The ledger as .xlsx, in the import's format (the header in row 1, one row per person), laid out
    for Excel and A4 by backend/kernel/sheets.py: 序号 a number; 楼栋, 单元, 房号 and 联系电话 text, so that
    0101 and leading zeros stay as typed."""
    scope = _scope_label(rows)
    writer = SheetWriter(
        COLUMNS,
        sheet_title=title,
        title=None,
        print_header=f"{scope} {title}" if scope else title,
        exported_at=utcnow(),
    )
    writer.append(
        [seq if h == "序号" else (row.get(FIELDS[h]) or None) for h in HEADERS] for seq, row in enumerate(rows, start=1)
    )
    buffer = io.BytesIO()
    writer.save(buffer)
    return buffer.getvalue()
