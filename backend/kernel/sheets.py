"""Office-ready .xlsx sheets (台账) for every export: one writer shared by the ledgers, the work-unit
report and the household ledger. Kernel level (openpyxl only), so that domains and reporting may
both use it.

What a sheet written here looks like in Excel, WPS or LibreOffice:

- row 1 a title (optional), then the bold header row, frozen under it, with an autofilter on it;
- dates and times are real date cells in Asia/Shanghai (``yyyy-mm-dd hh:mm`` / ``yyyy-mm-dd``),
  numbers are numbers, codes such as room numbers are text (``@``) so that 0101 stays 0101;
- column widths fitted to the content (CJK characters count double, capped at ``MAX_WIDTH``),
  measured on the header and the first rows written (a ledger streams; widths must be known
  before the first row); longer text wraps;
- A4, landscape when the sheet is wide, fitted to one page wide, title and header repeated on
  every printed page, grid lines printed, a page header with the ledger's name and scope and a
  footer with 第 x 页 / 共 y 页 and the export time;
- every user-supplied string is written as text, never as a formula or an error value: leading
  ``=`` ``+`` ``-`` ``@`` tab and carriage return get a ``'`` in front (OWASP's CSV-injection rule,
  so that the text stays inert when the sheet is saved as CSV too), and characters that XML
  cannot hold are dropped. A plain number or phone number (``+86 138-1234-5678``, ``-1``) is
  left as typed: digits, spaces and hyphens after one sign cannot call anything even as a
  formula, and a ledger whose every phone reads ``'+86…`` is one nobody can dial from.

Write-only (streaming) workbooks keep memory flat for 100,000 rows; ``SheetWriter`` is
synchronous: run it in a worker thread.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from backend.kernel.clock import SHANGHAI

Kind = Literal["text", "code", "number", "datetime", "date", "yuan"]

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
MIN_WIDTH = 6
MAX_WIDTH = 40  # wider text wraps
PADDING = 2
LINE_HEIGHT = 16  # points per line of wrapped text (11 pt, CJK fonts included); one line keeps the default
LANDSCAPE_ABOVE = 95  # total column width (characters) that still fits A4 portrait at a readable size
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_FIXED_WIDTHS = {"datetime": 16, "date": 10}
# a sign, then digits with spaces or hyphens between them (phones), or a decimal number
PLAIN_NUMBER_RE = re.compile(r"[+-]?\d+(?:[ -]\d+)*|[+-]?\d+\.\d+")


@dataclass(frozen=True)
class Column:
    """One column: its header and how its values are written.

    ``text``: any string (user input included), neutralised; ``code``: text kept as typed, formatted
    ``@`` (room numbers, phones); ``number``: int/float as numbers; ``datetime`` / ``date``: aware
    datetimes shown in Asia/Shanghai, dates as they are; ``yuan``: an integer amount in fen shown in 元
    (two decimals)."""

    header: str
    kind: Kind = "text"


def wrapped_lines(text: str, width: int) -> int:
    """How many lines `text` takes in a column of `width` characters (wrapped at the content width)."""
    room = max(1, width - PADDING)
    return sum(max(1, -(-display_width(line) // room)) for line in text.split("\n"))


def display_width(text: str) -> int:
    """Characters as Excel lays them out: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def safe_text(value: str) -> str:
    """A string that every spreadsheet program keeps as inert text (see the module docstring)."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_TRIGGERS) and not PLAIN_NUMBER_RE.fullmatch(value):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """The inverse of ``safe_text`` for a value read back from one of our sheets."""
    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def excel_datetime(value: datetime) -> datetime:
    """Excel has no time zones: an aware datetime becomes the naive wall time in Asia/Shanghai (to the
    second: a ledger shows minutes, and Excel's serial numbers round sub-second parts anyway)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime in a sheet")
    return value.astimezone(SHANGHAI).replace(tzinfo=None, microsecond=0)


def header_footer_text(text: str) -> str:
    """Escape ``&`` (header/footer codes start with it)."""
    return text.replace("&", "&&")


class SheetWriter:
    """One worksheet of a write-only workbook.

    ``append`` rows of plain Python values (``None`` for an empty cell) in column order; the first
    call fits the widths on its rows (pass a first batch, not a single row), later calls stream.
    ``save(path_or_file)`` finishes the sheet and writes the workbook.
    """

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        sheet_title: str,
        title: str | None,
        print_header: str,
        exported_at: datetime,
        workbook: Workbook | None = None,
    ) -> None:
        self.columns = tuple(columns)
        self.workbook = workbook or Workbook(write_only=True)
        self.ws = self.workbook.create_sheet(safe_sheet_title(sheet_title))
        self.title = title
        self.print_header = print_header
        self.exported_at = exported_at
        self.header_row = 2 if title else 1
        self.rows = 0
        self.widths: list[int] | None = None
        self._bold = Font(bold=True)
        self._templates: dict[str, WriteOnlyCell] = {}

    # ---- cells ------------------------------------------------------------------------------

    def _styled(self, key: str, value: Any, *, number_format: str | None = None, wrap: bool = False) -> WriteOnlyCell:
        template = self._templates.get(key)
        if template is None:
            template = WriteOnlyCell(self.ws)
            if number_format:
                template.number_format = number_format
            if wrap:
                template.alignment = Alignment(wrap_text=True, vertical="top")
            self._templates[key] = template
        cell = WriteOnlyCell(self.ws)
        cell._style = template._style  # StyleArray: cells written once each, never mutated after
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
        return cell

    def _cell(self, column: Column, width: int, value: Any) -> Any:
        if value is None or value == "":
            return None
        kind = column.kind
        if kind == "number":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"{column.header}: {value!r} is not a number")
            return value
        if kind == "yuan":  # an amount kept in fen (integers), shown in 元 with two decimals
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{column.header}: {value!r} is not an amount in fen")
            return self._styled("yuan", Decimal(value) / 100, number_format="#,##0.00")
        if kind == "datetime":
            return self._styled("datetime", excel_datetime(value), number_format=DATETIME_FORMAT)
        if kind == "date":
            if isinstance(value, datetime):
                value = excel_datetime(value).date()
            if not isinstance(value, date):
                raise TypeError(f"{column.header}: {value!r} is not a date")
            return self._styled("date", value, number_format=DATE_FORMAT)
        text = safe_text(str(value))
        wrap = display_width(text) > width - PADDING or "\n" in text
        if kind == "code":
            return self._styled("code-wrap" if wrap else "code", text, number_format=TEXT_FORMAT, wrap=wrap)
        if wrap:
            return self._styled("text-wrap", text, wrap=True)
        if text in ERROR_CODES:  # "#N/A" typed by a user is text, not an error value
            return self._styled("text", text)
        return text

    # ---- layout -----------------------------------------------------------------------------

    def _fit(self, sample: Sequence[Sequence[Any]]) -> None:
        widths = []
        for index, column in enumerate(self.columns):
            width = display_width(column.header)
            if column.kind in _FIXED_WIDTHS:
                width = max(width, _FIXED_WIDTHS[column.kind])
            else:
                for row in sample:
                    value = row[index]
                    if value is None:
                        continue
                    text = value if isinstance(value, str) else str(value)
                    longest = max((display_width(line) for line in text.split("\n")), default=0)
                    width = max(width, longest)
            widths.append(min(MAX_WIDTH, max(MIN_WIDTH, width)) + PADDING)
        self.widths = widths
        ws = self.ws
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = f"A{self.header_row + 1}"
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        if self.title:
            ws.append([self._styled("title", safe_text(self.title), wrap=False)])
        ws.append([self._header_cell(c.header) for c in self.columns])

    def _header_cell(self, header: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws, value=header)
        cell.font = self._bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        return cell

    def append(self, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if self.widths is None:
            self._fit(rows)
        widths = self.widths
        columns = self.columns
        for row in rows:
            if len(row) != len(columns):
                raise ValueError(f"row of {len(row)} values for {len(columns)} columns")
            cells = [self._cell(c, w, v) for c, w, v in zip(columns, widths, row, strict=True)]
            lines = max(
                (
                    wrapped_lines(cell.value, width)
                    for cell, width in zip(cells, widths, strict=True)
                    if isinstance(cell, Cell) and cell.alignment.wrap_text
                ),
                default=1,
            )
            self.rows += 1
            if lines > 1:  # spreadsheet programs do not all grow a row for wrapped text (LibreOffice does not)
                self.ws.row_dimensions[self.header_row + self.rows].height = lines * LINE_HEIGHT
            self.ws.append(cells)

    def _finish(self) -> None:
        if self.widths is None:
            self._fit([])
        ws = self.ws
        last_col = get_column_letter(len(self.columns))
        last_row = self.header_row + self.rows
        ws.auto_filter.ref = f"A{self.header_row}:{last_col}{last_row}"
        ws.print_title_rows = f"1:{self.header_row}"
        setup = ws.page_setup
        setup.paperSize = Worksheet.PAPERSIZE_A4
        setup.orientation = "landscape" if sum(self.widths or ()) > LANDSCAPE_ABOVE else "portrait"
        setup.fitToWidth = 1
        setup.fitToHeight = 0  # as many pages down as needed
        ws.print_options.gridLines = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.page_margins.header = ws.page_margins.footer = 0.25
        ws.oddHeader.center.text = header_footer_text(self.print_header)
        stamp = excel_datetime(self.exported_at).strftime("%Y-%m-%d %H:%M")
        ws.oddFooter.center.text = "第 &P 页 / 共 &N 页"
        ws.oddFooter.right.text = f"导出时间 {stamp}"

    def save(self, target: Any) -> None:
        self._finish()
        self.workbook.save(target)


def safe_sheet_title(title: str) -> str:
    """Sheet names: at most 31 characters, none of ``[]:*?/\\``."""
    for c in "[]:*?/\\":
        title = title.replace(c, " ")
    return title[:31] or "Sheet"
