"""Looking inside an uploaded .xlsx before openpyxl reads it, so that no file can stall the server.

A 2 KB sheet can declare row 9,000,000 (openpyxl's read-only reader then yields nine million empty
rows), a cell in column XFD (every row padded to 16,384 cells), two million shared strings (all
held in memory), or inflate from a few KB to gigabytes (a zip bomb). ``check_workbook`` refuses
each of these from the zip's directory and a streaming pass over the XML (defusedxml: no DTDs,
no entities), stopping at the first violation, before any cell is read:

- the zip: at most ``MAX_ENTRIES`` members, their declared uncompressed sizes within
  ``max_unzipped`` in total, and no member inflating more than ``MAX_RATIO`` times (past a small
  floor). The declared sizes bound the work: Python's zipfile stops at a member's declared size;
- the shared strings: the declared count and the ``<si>`` entries within ``max_strings``;
- the first sheet: its declared dimension, every row index and every cell's column within the
  limits, and no more rows than the limit.

Synchronous; runs in the worker thread with the parse, under the same deadline.
"""

from __future__ import annotations

import posixpath
import re
import time
import zipfile
from dataclasses import dataclass
from typing import IO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse, parse
from openpyxl.utils import column_index_from_string

MAX_ENTRIES = 200
MAX_RATIO = 100  # deflate reaches ~1000:1 on runs of one byte; a real ledger's XML stays below ~30:1
RATIO_FLOOR = 1024 * 1024  # members smaller than this may compress as well as they like
MAX_COLUMNS = 64  # a ledger has 11; extra columns are kept, a sheet 16,384 wide is refused
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CELL_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


class SheetRefused(Exception):
    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Limits:
    max_rows: int  # data rows the import accepts
    max_unzipped: int  # bytes, all members together
    deadline: float  # time.monotonic() after which the work stops

    @property
    def max_row_index(self) -> int:
        """The last row number a sheet may use: the data rows, as many blank ones between them, and
        the title and header rows."""
        return 2 * self.max_rows + 10

    @property
    def max_strings(self) -> int:
        return max(10_000, self.max_rows * 20)

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise SheetRefused("import_too_slow", "台账读取超时，请删去多余的行、列和格式后重新导入")


def check_workbook(data: IO[bytes], limits: Limits) -> None:
    """Raise SheetRefused when the workbook exceeds a limit (the module docstring lists them)."""
    try:
        archive = zipfile.ZipFile(data)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SheetRefused("invalid_xlsx", "无法读取该文件，请上传 .xlsx 格式的台账") from exc
    with archive:
        _check_sizes(archive.infolist(), limits)
        names = set(archive.namelist())
        try:
            if "xl/sharedStrings.xml" in names:
                with archive.open("xl/sharedStrings.xml") as f:
                    _check_strings(f, limits)
            sheet = _first_sheet(archive, names)
            if sheet is not None:
                with archive.open(sheet) as f:
                    _check_sheet(f, limits)
        except (DefusedXmlException, SyntaxError, zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise SheetRefused("invalid_xlsx", "无法读取该文件，请上传 .xlsx 格式的台账") from exc


def _check_sizes(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(members) > MAX_ENTRIES:
        raise SheetRefused("xlsx_too_complex", f"该文件包含 {len(members)} 个部件，不像是一份台账")
    total = sum(m.file_size for m in members)
    if total > limits.max_unzipped:
        mb = limits.max_unzipped // (1024 * 1024)
        raise SheetRefused("xlsx_too_large", f"台账解压后超过 {mb} MB，请按网格或小区分批导入")
    for m in members:
        if m.file_size > RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise SheetRefused("xlsx_zip_bomb", "该文件压缩比异常（疑似压缩炸弹），已拒绝导入")


def _check_strings(f: IO[bytes], limits: Limits) -> None:
    """The shared-string table: its declared counts, then its entries, stopping past the limit."""
    cap = limits.max_strings
    refused = SheetRefused("too_many_strings", f"台账的文字条目超过 {cap} 条，请按网格或小区分批导入")
    seen = 0
    for event, elem in iterparse(f, events=("start", "end")):
        if event == "start":
            declared = elem.get("uniqueCount", "") if elem.tag == f"{NS}sst" else ""
            if declared.isdigit() and int(declared) > cap:
                raise refused
            continue
        if elem.tag == f"{NS}si":
            seen += 1
            if seen > cap:
                raise refused
            if seen % 1000 == 0:
                limits.check_time()
            elem.clear()


def _first_sheet(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    """The part name of the workbook's first sheet (the one the import reads)."""
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return None
    with archive.open("xl/workbook.xml") as f:
        sheet = parse(f).getroot().find(f"{NS}sheets/{NS}sheet")
    if sheet is None:
        return None
    rid = sheet.get(f"{REL_NS}id")
    with archive.open("xl/_rels/workbook.xml.rels") as f:
        for rel in parse(f).getroot().iter(f"{PKG_REL_NS}Relationship"):
            if rel.get("Id") == rid:
                target = rel.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                return path if path in names else None
    return None


def _too_big(limits: Limits, rows: int | None = None, columns: int | None = None) -> SheetRefused:
    if columns is not None:
        return SheetRefused("too_many_columns", f"台账超过 {MAX_COLUMNS} 列，请只保留台账的列后重新导入")
    return SheetRefused(
        "too_many_rows",
        f"台账的行号超出 {limits.max_row_index}（第 {rows} 行），请删去空行或按网格、小区分批导入",
    )


def _check_ref(ref: str, limits: Limits) -> None:
    for cell in ref.split(":"):
        m = CELL_REF.fullmatch(cell.strip().upper())
        if m is None:
            continue  # openpyxl recomputes a malformed dimension; the rows are checked one by one
        if column_index_from_string(m.group(1)) > MAX_COLUMNS:
            raise _too_big(limits, columns=column_index_from_string(m.group(1)))
        if int(m.group(2)) > limits.max_row_index:
            raise _too_big(limits, rows=int(m.group(2)))


def _check_sheet(f: IO[bytes], limits: Limits) -> None:
    """The declared dimension, then every row index and cell column, stopping at the first one out
    of bounds (or past the row limit)."""
    rows = 0
    for event, elem in iterparse(f, events=("start", "end")):
        tag = elem.tag
        if event == "start":
            if tag == f"{NS}dimension":
                _check_ref(elem.get("ref", ""), limits)
            elif tag == f"{NS}row":
                rows += 1
                index = elem.get("r")
                number = int(index) if index and index.isdigit() else rows
                if number > limits.max_row_index or rows > limits.max_row_index:
                    raise _too_big(limits, rows=max(number, rows))
                if rows % 500 == 0:
                    limits.check_time()
            elif tag == f"{NS}c" and elem.get("r"):
                _check_ref(elem.get("r", ""), limits)
        elif tag == f"{NS}row":
            if len(elem) > MAX_COLUMNS:
                raise _too_big(limits, columns=len(elem))
            elem.clear()
