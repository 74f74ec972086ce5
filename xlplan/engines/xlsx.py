"""The file engine: an Excel workbook on disk, read and patched as a package.

Everything that can be wrong with a file before a cell is read is detected here and
raised as a :class:`~xlplan.core.texts.Refusal` (Japanese message, fix, English line).

The workbook is opened once as an :class:`xlplan.ooxml.Package`. Reads parse only the
sheets an action asks for, with openpyxl's own cell, style and string parsers over the
package's parts, and give the same :class:`~xlplan.core.model.SheetRead` as the Excel
engines. Writes patch the package: values into the cells a plan changes (strings as
strings, existing formats kept), formats onto existing cells, and the sheets xlplan owns
(report sheets, チェック結果…) built with openpyxl in a scratch workbook and transplanted.
Every other part — text boxes, comments, pictures, form controls, VBA, rich text in
untouched cells — is written back byte for byte. Saving is atomic (a temporary file in
the same folder, then one rename; a symbolic link is followed), the master is backed up
first, and a save refuses when another program changed the file since it was read.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import re
import shutil
import tempfile
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from copy import copy
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.chartsheet import Chartsheet
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from xlplan.core import plan as p
from xlplan.core.model import SheetRead
from xlplan.core.sheetread import CELL_LIMIT, clip, excel_length
from xlplan.core.texts import refuse, say
from xlplan.engines.port import Engine
from xlplan.ooxml import Package, PackageError, SheetState

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
ZIP_MAGIC = b"PK\x03\x04"
BACKUP_DIR = "backup"

# The work area of a sheet ends where its content does; a cell after a gap of this many
# empty rows (columns) is "far away" (a Ctrl+End slip), reported and not read.
ROW_GAP = 2000
COL_GAP = 100

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


# =========================================================================== the file


def lock_file(path: Path) -> Path:
    """Excel's owner file for an open workbook: ``~$name.xlsx`` beside it."""
    return path.with_name("~$" + path.name)


def sniff(path: Path) -> None:
    """Raise a Refusal unless ``path`` looks like a readable .xlsx file."""
    if not path.exists():
        raise refuse("file_missing", path)
    if path.is_dir():
        raise refuse("not_a_file", path)
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as e:
        raise refuse("io_error", path, reason=e.strerror or type(e).__name__, detail=e) from e
    if head.startswith(OLE_MAGIC):
        if path.suffix.lower() == ".xls":
            raise refuse("old_xls", path)
        raise refuse("encrypted", path)
    if not head.startswith(ZIP_MAGIC):
        raise refuse("not_xlsx", path, detail="no zip signature")
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            bad = zf.testzip()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
        raise refuse("corrupt", path, what=say("file.truncated"), detail=e) from e
    except Exception as e:  # zlib.error and friends: a damaged member
        raise refuse("corrupt", path, what=say("file.damaged"),
                     detail=f"{type(e).__name__}: {e}") from e
    if bad is not None:
        raise refuse("corrupt", path, what=say("file.bad_member", member=bad),
                     detail=f"bad member {bad}")
    if "xl/workbook.xml" not in names:
        raise refuse("not_xlsx", path, detail="zip without xl/workbook.xml")


def check_writable(path: Path) -> None:
    """Raise a Refusal if we must not (or cannot) replace ``path`` now."""
    try:
        locked = lock_file(path).exists()
    except OSError:
        locked = False
    if locked:
        raise refuse("open_in_excel", path, lock=lock_file(path).name)
    folder = path.parent
    if not os.access(folder, os.W_OK) or (path.exists() and (
            not os.access(path, os.W_OK)
            # Marked read-only (Windows' attribute, chmod a-w): respected even by an
            # administrator, who could replace it.
            or not path.stat().st_mode & 0o222)):
        raise refuse("read_only", path)


def backup(path: Path, now: datetime | None = None) -> Path:
    """Copy ``path`` to ``backup/<stem>.<YYYYmmdd-HHMMSS><suffix>`` beside it."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    dest = folder / f"{path.stem}.{stamp}{path.suffix}"
    n = 1
    while dest.exists():
        n += 1
        dest = folder / f"{path.stem}.{stamp}-{n}{path.suffix}"
    shutil.copy2(path, dest)
    return dest


def atomic_write(path: Path, write: Any) -> None:
    """Call ``write(tmp_path)`` for a temporary file beside ``path``, then replace ``path``.

    A symbolic link is followed: its target is replaced and the link stays a link.
    The file keeps its permissions (a new file gets the usual ones).
    """
    path = Path(os.path.realpath(path))
    fd, tmp = tempfile.mkstemp(prefix=".xlplan-", suffix=path.suffix + ".tmp", dir=path.parent)
    os.close(fd)
    try:
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else _default_mode())
        write(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_save(wb: Workbook, path: Path) -> None:
    atomic_write(Path(path), wb.save)


def open_package(path: Path, data: bytes) -> Package:
    """The package in ``data`` (the bytes of ``path``); a Refusal when it is broken or when
    its name does not say what it is (Excel refuses to open such a file, and a save would
    keep it that way)."""
    try:
        pkg = Package.read(data)
    except PackageError as e:
        raise refuse("corrupt", path, what=_broken_what(e.detail), detail=e.detail) from e
    except Exception as e:  # lxml and zlib raise many kinds for damaged parts
        raise refuse("corrupt", path, what=say("file.unloadable"),
                     detail=f"{type(e).__name__}: {e}") from e
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES and suffix != pkg.extension:
        # A macro-enabled workbook renamed to .xlsx (or the other way round): Excel
        # refuses to open it; saved as it is, it would stay unopenable.
        raise refuse("extension_mismatch", path, ext=pkg.extension, suffix=path.suffix)
    if not pkg.macro_enabled and any("vbaproject" in n.lower() for n in pkg.part_names()):
        # An .xlsx that carries a VBA project: kept, Excel would not run it (and may call
        # the file damaged); dropped, the macros are lost. Neither without a word.
        raise refuse("macro_in_xlsx", path)
    return pkg


def openpyxl_bytes(data: bytes) -> bytes:
    """Package bytes openpyxl will load: it does not know the add-in content type (.xlam),
    so that one is given the macro-enabled workbook's (the parts are the same)."""
    addin = b"application/vnd.ms-excel.addin.macroEnabled.main+xml"
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        types = zin.read("[Content_Types].xml")
        if addin not in types:
            return data
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                body = zin.read(info)
                if info.filename == "[Content_Types].xml":
                    body = body.replace(addin, b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
                zout.writestr(info, body)
    return buf.getvalue()


def _broken_what(detail: str) -> str:
    """What the package reader's English detail names, in the refusal's words."""
    m = re.search(r"the part of sheet '(.*?)'", detail)
    if m:
        return say("file.sheet_part_missing", sheet=m.group(1))
    m = re.search(r"part /(\S+) cannot be read", detail)
    if m:
        return say("file.bad_member", member=m.group(1))
    return say("file.truncated")


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xlam")


# =========================================================================== reading


def work_area(coords: Iterable[tuple[int, int]]) -> tuple[int, int, list[tuple[int, int]]]:
    """(rows, cols) of a sheet's content, and the cells far away from it.

    Content is read from A1 down to the last row before a gap of :data:`ROW_GAP` empty
    rows (and across to the last column before a gap of :data:`COL_GAP`); what lies
    beyond is a slip (a value in ``XFD1048576``), listed and not read, so a stray cell
    never makes the work grow with the sheet's size.
    """
    pts = list(coords)
    if not pts:
        return 0, 0, []

    def edge(values: list[int], gap: int) -> int:
        last = 0
        for v in sorted(set(values)):
            if v - last > gap and last:
                break
            last = v
        return last

    rows = edge([r for r, _ in pts], ROW_GAP)
    cols = edge([c for _, c in pts], COL_GAP)
    far = sorted((r, c) for r, c in pts if r > rows or c > cols)
    return rows, cols, far


Sparse = dict[tuple[int, int], tuple[object, str, Any]]  # (row, col) → (value, type, format)


def sheet_read(name: str, cells: Sparse, *, state: str = "visible", protected: bool = False,
               password: bool = False, merged: tuple[str, ...] = (),
               tables: dict[str, str] | None = None) -> SheetRead:
    """A :class:`SheetRead` from a sheet's non-empty cells. ``format`` may be a callable,
    asked only for cells holding a number or a date."""
    nrows, ncols, far = work_area(cells)
    grid: list[list[object]] = [[None] * ncols for _ in range(nrows)]
    formulas: dict[tuple[int, int], str] = {}
    formats: dict[tuple[int, int], str] = {}
    for (r, c), (v, kind, fmt) in cells.items():
        if r > nrows or c > ncols:
            continue
        if kind == "f":
            formulas[(r, c)] = v if isinstance(v, str) else str(getattr(v, "text", v))
            continue
        v = _plain(v)
        grid[r - 1][c - 1] = v
        if isinstance(v, int | float | date) and not isinstance(v, bool):
            f = fmt() if callable(fmt) else fmt
            if f not in ("General", "@", None):
                formats[(r, c)] = str(f)
    return SheetRead(
        name=name, values=tuple(tuple(line) for line in grid), state=state,
        protected=protected, password=password, merged=merged, formulas=formulas,
        number_formats=formats, extent=(nrows, ncols), tables=dict(tables or {}),
        far=tuple(p.ref(r, c) for r, c in far[:5]), far_count=len(far))


def _plain(v: object) -> object:
    if v is None or isinstance(v, str | bool | int | float | datetime | date):
        return v
    if isinstance(v, time):
        return v.isoformat()
    return str(v)  # CellRichText and friends: the plain text


def read_sheet(ws: Worksheet | Chartsheet) -> SheetRead:
    """One sheet of a fully loaded workbook (values from A1, formulas, formats, merges…)."""
    state = str(ws.sheet_state or "visible")
    if isinstance(ws, Chartsheet):
        return SheetRead(ws.title, (), state=state, kind="chartsheet")
    cells: Sparse = {k: (c.value, c.data_type, lambda c=c: c.number_format)
                     for k, c in ws._cells.items() if c.value is not None}
    prot = ws.protection
    return sheet_read(ws.title, cells, state=state, protected=bool(prot.sheet),
                      password=bool(prot.sheet and (prot.password or prot.hashValue)),
                      merged=tuple(str(m) for m in ws.merged_cells.ranges),
                      tables={t.displayName: t.ref for t in ws.tables.values()})


def read_sheet_streaming(ws: Any) -> SheetRead:
    """One sheet of a workbook opened read-only (returned copies): only the cells the file
    holds are parsed, so a stray cell far away costs nothing."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
    from openpyxl.worksheet._reader import WorkSheetParser

    wb = ws.parent

    def fmt(style_id: int) -> str:
        num = wb._cell_styles[style_id].numFmtId
        if num < BUILTIN_FORMATS_MAX_SIZE:
            return str(BUILTIN_FORMATS.get(num, "General"))
        return str(wb._number_formats[num - BUILTIN_FORMATS_MAX_SIZE])

    cells: Sparse = {}
    with ws._get_source() as src:
        parser = WorkSheetParser(src, ws._shared_strings, data_only=False, epoch=wb.epoch,
                                 date_formats=wb._date_formats,
                                 timedelta_formats=wb._timedelta_formats)
        for _idx, row in parser.parse():
            for cell in row:
                v = cell["value"]
                if v is None:
                    continue
                sid = cell.get("style_id") or 0
                cells[(cell["row"], cell["column"])] = (v, cell["data_type"],
                                                        lambda sid=sid: fmt(int(sid)))
    return sheet_read(ws.title, cells, state=str(ws.sheet_state or "visible"))


class PackageReader:
    """Reads sheets of a :class:`~xlplan.ooxml.Package` with openpyxl's parsers (cells,
    number formats, shared strings), without loading the workbook: only the sheets asked
    for are parsed, and a stray cell far away costs nothing."""

    def __init__(self, pkg: Package, label: str) -> None:
        self.pkg = pkg
        self.label = label
        self._styles: Any = None
        self._strings: list[str] | None = None

    def _stylesheet(self) -> Any:
        if self._styles is None:
            from openpyxl.styles.stylesheet import Stylesheet
            from openpyxl.xml.functions import fromstring

            part = self.pkg.styles_part()
            self._styles = Stylesheet.from_tree(fromstring(self.pkg.part_bytes(part))) \
                if part is not None else Stylesheet()
        return self._styles

    def _shared(self) -> list[str]:
        if self._strings is None:
            from openpyxl.reader.strings import read_string_table

            part = self.pkg.shared_strings_part()
            self._strings = read_string_table(io.BytesIO(self.pkg.part_bytes(part))) \
                if part is not None else []
        return self._strings

    def read(self, name: str) -> SheetRead:
        pkg = self.pkg
        state = str(pkg.sheet_state(name))
        kind = str(pkg.sheet_kind(name))
        if kind != "worksheet":
            return SheetRead(name, (), state=state, kind=kind)
        try:
            return self._worksheet(name, state)
        except PackageError as e:
            raise refuse("corrupt", self.label, what=say("file.sheet_unreadable", sheet=name),
                         detail=e.detail) from e
        except Exception as e:  # a damaged sheet part: lxml, openpyxl and int() errors
            raise refuse("corrupt", self.label, what=say("file.sheet_unreadable", sheet=name),
                         detail=f"{type(e).__name__}: {str(e)[:200]}") from e

    def _worksheet(self, name: str, state: str) -> SheetRead:
        from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
        from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH
        from openpyxl.worksheet._reader import WorkSheetParser

        styles = self._stylesheet()
        xfs = styles.cell_styles
        custom = styles.number_formats

        def fmt(style_id: int) -> str:
            try:
                num = xfs[style_id].numFmtId
                if num < BUILTIN_FORMATS_MAX_SIZE:
                    return str(BUILTIN_FORMATS.get(num, "General"))
                return str(custom[num - BUILTIN_FORMATS_MAX_SIZE])
            except (IndexError, TypeError):
                return "General"

        src = io.BytesIO(self.pkg.part_bytes(self.pkg.sheet_part(name)))
        parser = _parser(WorkSheetParser)(
            src, self._shared(), data_only=False,
            epoch=MAC_EPOCH if self.pkg.date1904 else WINDOWS_EPOCH,
            date_formats=styles.date_formats, timedelta_formats=styles.timedelta_formats)
        cells: Sparse = {}
        with warnings.catch_warnings():  # openpyxl warns (on stderr) about odd dates
            warnings.simplefilter("ignore")
            for _idx, row in parser.parse():
                for cell in row:
                    v = cell["value"]
                    if v is None:
                        continue
                    sid = int(cell.get("style_id") or 0)
                    cells[(cell["row"], cell["column"])] = (v, cell["data_type"],
                                                            lambda sid=sid: fmt(sid))
        prot = getattr(parser, "protection", None)
        merged = parser.merged_cells
        return sheet_read(
            name, cells, state=state, protected=bool(prot is not None and prot.sheet),
            password=bool(prot is not None and prot.sheet and (prot.password or prot.hashValue)),
            merged=tuple(str(m.ref) for m in merged.mergeCell) if merged is not None else (),
            tables=self.pkg.tables(name))


def _parser(base: Any) -> Any:
    """openpyxl's sheet parser, except that a number openpyxl cannot cast (``NaN``, ``INF``
    from another program) is read as the float it says, for the checks to report."""
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.xml.constants import SHEET_MAIN_NS

    value_tag = f"{{{SHEET_MAIN_NS}}}v"

    class Parser(base):  # type: ignore[misc]
        def parse_cell(self, element: Any) -> Any:
            try:
                return super().parse_cell(element)
            except (ValueError, OverflowError):
                if element.get("t", "n") != "n":
                    raise
                value = float(element.findtext(value_tag) or "")  # ValueError: not a number
                coordinate = element.get("r")
                if coordinate:
                    row, column = coordinate_to_tuple(coordinate)
                    self.col_counter = column
                else:
                    self.col_counter += 1
                    row, column = self.row_counter, self.col_counter
                return {"row": row, "column": column, "value": value, "data_type": "n",
                        "style_id": int(element.get("s", 0) or 0)}

    return Parser


# =========================================================================== writing


def _safe_text(s: str) -> str:
    if excel_length(s) > CELL_LIMIT:
        raise ValueError(f"text longer than Excel's {CELL_LIMIT} characters")
    return _ILLEGAL.sub("\ufffd", s) if _ILLEGAL.search(s) else s


def put(ws: Worksheet, row: int, col: int, value: object) -> Cell:
    """Write a value; text always as text, never a formula (whatever it starts with)."""
    cell = ws._cells.get((row, col))
    if isinstance(cell, MergedCell):
        raise ValueError(f"{ws.title}!{p.ref(row, col)} lies inside a merged range")
    if cell is None:
        cell = ws._cells[(row, col)] = Cell(ws, row=row, column=col)
    if isinstance(value, str):
        if value == "":
            cell._value = None
            cell.data_type = "n"
        else:
            cell._value = _safe_text(value)
            cell.data_type = "s"
    elif isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{ws.title}!{p.ref(row, col)}: not a finite number")
    elif isinstance(value, datetime | date):
        cell.value = value
        if cell.number_format in ("General", "@"):
            cell.number_format = "yyyy/m/d"
    else:
        cell.value = value
    return cell


THIN = Side(style="thin", color="808080")
BLACK_THIN = Side(style="thin", color="000000")


class _Formatter:
    """Applies :class:`~xlplan.core.plan.Format` to cells, reusing the style ids of cells
    formatted the same way before (big sheets would otherwise register each style anew)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[object, p.Format], object] = {}

    def __call__(self, cell: Cell, f: p.Format) -> None:
        key = (tuple(cell._style) if cell._style is not None else (), _key(f))
        hit = self._cache.get(key)
        if hit is not None:
            cell._style = copy(hit)
            return
        _format_cell(cell, f)
        self._cache[key] = copy(cell._style)


def _key(f: p.Format) -> p.Format:
    return p.Format("", *(getattr(f, n) for n in p.Format.__dataclass_fields__ if n != "ref"))


def _format_cell(cell: Cell, f: p.Format) -> None:
    if any(v is not None for v in (f.font_name, f.font_size, f.bold, f.font_color)):
        old = cell.font
        cell.font = Font(name=f.font_name or old.name, size=f.font_size or old.size,
                         bold=old.bold if f.bold is None else f.bold,
                         color=f.font_color if f.font_color else old.color,
                         italic=old.italic, underline=old.underline, vertAlign=old.vertAlign)
    if f.fill is not None:
        cell.fill = PatternFill("solid", fgColor=f.fill)
    if any(v is not None for v in (f.h_align, f.v_align, f.wrap, f.vertical)):
        old_a = cell.alignment
        cell.alignment = Alignment(
            horizontal=f.h_align or old_a.horizontal, vertical=f.v_align or old_a.vertical,
            wrap_text=old_a.wrap_text if f.wrap is None else f.wrap,
            text_rotation=(255 if f.vertical else 0) if f.vertical is not None else old_a.text_rotation)
    if f.border:
        cell.border = Border(left=BLACK_THIN, right=BLACK_THIN, top=BLACK_THIN, bottom=BLACK_THIN)
    if f.number_format is not None:
        cell.number_format = f.number_format


def _cells_of(ws: Worksheet, rng: str) -> Iterable[Cell]:
    r0, c0, r1, c1 = p.bounds(rng)
    for r in range(r0, r1 + 1):
        for c in range(c0, c1 + 1):
            cell = ws._cells.get((r, c))
            if cell is None:
                cell = ws._cells[(r, c)] = Cell(ws, row=r, column=c)
            yield cell


def _merge(ws: Worksheet, rng: str) -> None:
    """Merge without openpyxl's per-range costs (which grow with the sheet): the range is
    registered once; covered cells become MergedCells only where they carry a border."""
    mcr = MergedCellRange(ws, rng)
    ws.merged_cells.ranges.add(mcr)
    cells = mcr.cells
    next(cells)  # the top-left cell keeps its value
    for row, col in cells:
        old = ws._cells.get((row, col))
        merged = MergedCell(ws, row, col)
        if old is not None:
            merged._style = copy(old._style)
        ws._cells[(row, col)] = merged


def apply_ops(ws: Worksheet, ops: Sequence[p.Op]) -> None:
    """Carry out layout operations on an openpyxl sheet (see :mod:`xlplan.core.plan`)."""
    fmt = _Formatter()
    merges = [o for o in ops if isinstance(o, p.Merge)]
    for op in ops:
        if isinstance(op, p.Format):
            for cell in _cells_of(ws, op.ref):
                fmt(cell, op)
        elif isinstance(op, p.RowHeight):
            ws.row_dimensions[op.row].height = op.height
        elif isinstance(op, p.ColWidth):
            ws.column_dimensions[get_column_letter(op.col)].width = op.width
        elif isinstance(op, p.PageSetup):
            _page_setup(ws, op)
        elif isinstance(op, p.View):
            if op.freeze:
                ws.freeze_panes = op.freeze
            if op.zoom:
                ws.sheet_view.zoomScale = op.zoom
            if op.tab_color:
                ws.sheet_properties.tabColor = op.tab_color
        elif isinstance(op, p.Link):
            cell = next(iter(_cells_of(ws, op.cell)))
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=op.target,
                                       tooltip=say("check.link_tip"))
        elif isinstance(op, p.AutoFilter):
            ws.auto_filter.ref = op.ref
        elif isinstance(op, p.BarChart):
            ws.add_chart(_bar_chart(ws, op), op.anchor)
    for m in merges:  # after formatting, so covered cells keep the block's borders
        _merge(ws, m.ref)


def _page_setup(ws: Worksheet, op: p.PageSetup) -> None:
    ws.page_setup.orientation = op.orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if op.paper == "A3" else ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_setup.firstPageNumber = 1
    ws.page_setup.useFirstPageNumber = True
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if op.margins is not None:
        left, right, top, bottom, header, footer = op.margins
        ws.page_margins = PageMargins(left=left, right=right, top=top, bottom=bottom,
                                      header=header, footer=footer)
    ws.print_options.horizontalCentered = True
    if op.footer:
        ws.oddFooter.center.text = op.footer
        ws.oddFooter.center.size = 9
    if op.title_rows:
        ws.print_title_rows = op.title_rows
    if op.print_area:
        ws.print_area = op.print_area
    ws.row_breaks = RowBreak()
    for b in op.breaks:
        ws.row_breaks.append(Break(id=b))


def _bar_chart(ws: Worksheet, spec: p.BarChart) -> Any:
    from openpyxl.chart import BarChart, Series
    from openpyxl.chart.data_source import AxDataSource, StrRef
    from openpyxl.chart.series import SeriesLabel
    from openpyxl.chart.shapes import GraphicalProperties
    from openpyxl.drawing.line import LineProperties

    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.gapWidth = 60
    chart.title = spec.title
    chart.y_axis.title = spec.value_axis_title
    chart.x_axis.scaling.orientation = "maxMin"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.majorGridlines = None
    sheet = ws.title.replace("'", "''")
    cats = f"'{sheet}'!{_abs(spec.categories)}"
    for s in spec.series:
        series = Series(f"'{sheet}'!{_abs(s.values)}")
        series.tx = SeriesLabel(strRef=StrRef(f=f"'{sheet}'!{_abs(s.title_cell)}"))
        series.cat = AxDataSource(strRef=StrRef(f=cats))
        series.graphicalProperties = GraphicalProperties(solidFill=s.fill)
        series.graphicalProperties.line = LineProperties(solidFill=s.line)
        chart.series.append(series)
    chart.width = spec.width_cm
    chart.height = spec.height_cm
    return chart


def _abs(rng: str) -> str:
    r0, c0, r1, c1 = p.bounds(rng)
    a = f"${get_column_letter(c0)}${r0}"
    return a if (r0, c0) == (r1, c1) else f"{a}:${get_column_letter(c1)}${r1}"


def write_content(wb: Workbook, content: p.SheetContent) -> Worksheet:
    """Replace (or create) the sheet ``content.name`` of an openpyxl workbook with exactly
    this content (a scratch workbook for the file engine, a new report workbook)."""
    index = None
    if content.name in wb.sheetnames:
        index = wb.sheetnames.index(content.name)
        wb.remove(wb[content.name])
    else:
        hidden = {ws.title for ws in wb.worksheets + wb.chartsheets if ws.sheet_state != "visible"}
        anchor = p.anchor_of(content, wb.sheetnames, hidden)
        if anchor is not None:
            index = wb.sheetnames.index(anchor) + 1
    ws = wb.create_sheet(content.name, index)
    for r, line in enumerate(content.grid, start=1):
        for c, v in enumerate(line, start=1):
            if v is not None and v != "":
                put(ws, r, c, _owned_text(v))
    apply_ops(ws, content.ops)
    if content.hidden:
        ws.sheet_state = "hidden"
    return ws


def _owned_text(v: object) -> object:
    """A sheet xlplan owns may quote what staff typed (a finding's message): cut at Excel's
    cell limit there, since the cell is ours and the typed cell keeps the full text."""
    return clip(v) if isinstance(v, str) else v


# =========================================================================== the engine


class XlsxEngine(Engine):
    """A workbook file: read through its package, written by patching that package."""

    kind = "file"

    def __init__(self, path: Path | str) -> None:
        super().__init__()
        self._path = Path(path)
        sniff(self._path)
        try:
            data = self._path.read_bytes()
        except OSError as e:
            raise refuse("io_error", self._path, reason=e.strerror or type(e).__name__,
                         detail=e) from e
        self._digest = hashlib.sha256(data).hexdigest()
        self._open(data)

    def _open(self, data: bytes) -> None:
        self.original = data  # the bytes as read, before anything was applied
        self.pkg = open_package(self._path, data)
        self._reader = PackageReader(self.pkg, self._path.name)
        self.changed = False

    @classmethod
    def from_bytes(cls, data: bytes, label: str) -> XlsxEngine:
        """An engine over a workbook held in memory (not saved anywhere yet)."""
        engine = cls.__new__(cls)
        Engine.__init__(engine)
        engine._path = Path(label)
        engine._digest = ""
        engine._open(data)
        return engine

    @classmethod
    def of(cls, wb: Workbook, label: str) -> XlsxEngine:
        """An engine over an openpyxl workbook built in memory (the template builder's)."""
        buf = io.BytesIO()
        wb.save(buf)
        return cls.from_bytes(buf.getvalue(), label)

    @property
    def label(self) -> str:
        return self._path.name

    @property
    def path(self) -> Path:
        return self._path

    def sheet_names(self) -> list[str]:
        return list(self.pkg.sheet_names)

    def _read(self, names: list[str]) -> dict[str, SheetRead]:
        return {n: self._reader.read(n) for n in names}

    # -- writing ---------------------------------------------------------------------------

    def password_sheets(self) -> set[str]:
        """Sheets protected with a password: found in each sheet part's bytes (the
        protection element follows the cells, so nothing is parsed for it)."""
        out = set()
        for name in self.pkg.sheet_names:
            data = self.pkg.part_bytes(self.pkg.sheet_part(name))
            at = data.find(b"sheetProtection")  # bytes.find is fast on a big sheet
            if at < 0:
                continue
            for m in _PROTECTION.finditer(data, max(0, data.rfind(b"<", 0, at))):
                attrs = m.group(1)
                if re.search(rb"\b(?:password|hashValue)\s*=", attrs) and (
                        self.pkg.sheet_kind(name) != "worksheet"
                        or re.search(rb"\bsheet\s*=\s*[\"'](?:1|true)[\"']", attrs)):
                    out.add(name)
        return out

    def _apply(self, plan: p.Plan) -> None:
        """Patch the package: nothing but what the plan changes is rewritten. A plan that
        cannot be carried out raises a Refusal before the package is changed where that
        can be known in advance (a value inside a merged range)."""
        self._check_merged(plan)
        pkg = self.pkg
        try:
            for name in plan.delete:
                if name in pkg.sheet_names:
                    pkg.delete_sheet(name)
            if plan.sheets:
                self._contents(plan.sheets)
            for sheet, cells in _changed_cells(plan.blocks).items():
                pkg.set_cells(sheet, cells)
            for (sheet, nf, fill, font, bold), refs in _format_groups(plan.formats).items():
                merged = [p.bounds(m) for m in pkg.merged_ranges(sheet)]
                targets = [(r, c) for rng in refs for r, c in _each(rng)
                           if not _covered(merged, r, c)]
                pkg.set_style(sheet, targets, number_format=nf, fill_rgb=fill, font_rgb=font,
                              bold=bold)
            if plan.activate and plan.activate in pkg.sheet_names and \
                    pkg.sheet_state(plan.activate) == "visible":
                pkg.set_active(plan.activate)
        except PackageError as e:
            raise refuse("cannot_write", self._path, detail=e.detail) from e
        except ValueError as e:  # a value the file format cannot hold
            raise refuse("cannot_write", self._path, detail=str(e)) from e
        if not plan.empty:
            self.changed = True
        self._reader = PackageReader(pkg, self._path.name)
        self.forget()

    def _check_merged(self, plan: p.Plan) -> None:
        """A value written into a merged range, other than its top-left cell, would be
        hidden under the merge (Excel refuses such writes): refuse the plan."""
        owned = {c.name for c in plan.sheets}
        for sheet, cells in _changed_cells(plan.blocks).items():
            if sheet in owned or sheet not in self.pkg.sheet_names \
                    or self.pkg.sheet_kind(sheet) != "worksheet":
                continue
            ranges = self.pkg.merged_ranges(sheet)
            if not ranges:
                continue
            boxes = [(m, p.bounds(m)) for m in ranges]
            for (r, c), v in sorted(cells.items()):
                for m, box in boxes:
                    if _covered([box], r, c) and v is not None:
                        raise refuse("merged_where_written", self._path, sheet=sheet,
                                     cell=p.ref(r, c), ref=m)

    def _contents(self, contents: Sequence[p.SheetContent]) -> None:
        """Build the sheets xlplan owns with openpyxl in a scratch workbook, then put each
        in place of the sheet of that name (its position kept) or after ``after``."""
        scratch = Workbook()
        scratch.remove(scratch.active)
        for c in contents:
            write_content(scratch, c)
        buf = io.BytesIO()
        scratch.save(buf)
        source = Package.read(buf.getvalue())
        pkg = self.pkg
        for c in contents:
            names = pkg.sheet_names
            folded = [n.casefold() for n in names]
            state: SheetState = "hidden" if c.hidden else "visible"
            if c.name.casefold() in folded:
                pkg.replace_sheet(c.name, source, c.name, state=state)
            else:
                hidden = {n for n in names if pkg.sheet_state(n) != "visible"}
                anchor = p.anchor_of(c, names, hidden)
                index = names.index(anchor) + 1 if anchor is not None else len(names)
                pkg.replace_sheet(c.name, source, c.name, index=index, state=state)
            lossy = _lossy_numbers(c.grid)
            if lossy:  # openpyxl writes 16 digits: these need 17 to read back the same
                pkg.set_cells(c.name, lossy)

    def to_bytes(self) -> bytes:
        """The workbook as it is now (with what was applied), as file bytes."""
        return self.pkg.to_bytes()

    def workbook(self) -> Workbook:
        """A full openpyxl load of the workbook as it is now (for tests and the PDF)."""
        from openpyxl import load_workbook

        return load_workbook(io.BytesIO(openpyxl_bytes(self.to_bytes())), rich_text=True)

    def save(self, out: Path | str | None = None, *, now: datetime | None = None
             ) -> tuple[Path, Path | None]:
        """Write the workbook to ``out`` (default: over itself, after a backup).

        Refuses when the file on disk changed since it was read (another program saved
        it): nothing is lost on either side. Returns (written path, backup or None).
        """
        target = Path(out) if out else self._path
        check_writable(target)
        if target.suffix.lower() in WORKBOOK_SUFFIXES and \
                target.suffix.lower() != self.pkg.extension:
            raise refuse("output_type", target, ext=self.pkg.extension)
        in_place = _same_file(target, self._path)
        data = self.to_bytes()
        bak = None
        if in_place:
            if _digest(self._path) != self._digest:
                raise refuse("changed_meanwhile", self._path)
            bak = backup(self._path, now)
        atomic_write(target, lambda tmp: Path(tmp).write_bytes(data))
        if in_place:
            self._digest = hashlib.sha256(data).hexdigest()
        return target, bak


def _lossy_numbers(grid: p.Grid) -> dict[tuple[int, int], float]:
    """The numbers of a grid that openpyxl's ``%.16g`` would not write exactly."""
    return {(r, c): v for r, line in enumerate(grid, start=1) for c, v in enumerate(line, start=1)
            if isinstance(v, float) and math.isfinite(v) and float(f"{v:.16g}") != v}


_PROTECTION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetProtection\b([^>]*)>")


def _same_value(a: object, b: object) -> bool:
    if a == "" or a is None:
        return b == "" or b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return (type(a) is type(b) and a == b) or (
        isinstance(a, int | float) and isinstance(b, int | float) and a == b)


def _changed_cells(blocks: Sequence[p.Block]) -> dict[str, dict[tuple[int, int], Any]]:
    """Per sheet, the cells the blocks change (a cell that already holds its value is left
    alone, with its format, rich text or anything else about it)."""
    out: dict[str, dict[tuple[int, int], Any]] = {}
    for b in blocks:
        cells = out.setdefault(b.sheet, {})
        before = b.before
        for i, line in enumerate(b.values):
            for j, v in enumerate(line):
                old = before[i][j] if before is not None and i < len(before) \
                    and j < len(before[i]) else _UNKNOWN
                if old is not _UNKNOWN and _same_value(v, old):
                    continue
                cells[(b.row + i, b.col + j)] = _cell_value(v)
    return {k: v for k, v in out.items() if v}


_UNKNOWN = object()


def _cell_value(v: object) -> object:
    if isinstance(v, str):
        if v == "":
            return None
        return _ILLEGAL.sub("\ufffd", v) if _ILLEGAL.search(v) else v
    return v


_FORMAT_FIELDS = ("number_format", "fill", "font_color", "bold")


def _format_groups(formats: Sequence[p.SheetFormat]
                   ) -> dict[tuple[str, str | None, str | None, str | None, bool | None], list[str]]:
    """Formats of sheets xlplan does not own, grouped by what they set (one patch each)."""
    out: dict[tuple[str, str | None, str | None, str | None, bool | None], list[str]] = {}
    for sf in formats:
        f = sf.format
        extra = [n for n in p.Format.__dataclass_fields__
                 if n not in (*_FORMAT_FIELDS, "ref") and getattr(f, n) is not None]
        if extra:
            raise ValueError(f"a format on {sf.sheet} sets {extra}: only number formats, "
                             "colours and bold are written on sheets xlplan does not own")
        out.setdefault((sf.sheet, f.number_format, f.fill, f.font_color, f.bold),
                       []).append(f.ref)
    return out


def _each(rng: str) -> Iterable[tuple[int, int]]:
    r0, c0, r1, c1 = p.bounds(rng)
    for r in range(r0, r1 + 1):
        for c in range(c0, c1 + 1):
            yield r, c


def _covered(boxes: Sequence[tuple[int, int, int, int]], r: int, c: int) -> bool:
    """Inside a merged range and not its top-left cell."""
    return any(r0 <= r <= r1 and c0 <= c <= c1 and (r, c) != (r0, c0)
               for r0, c0, r1, c1 in boxes)


def _digest(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


# =========================================================================== writers' lock

LOCK_STALE_SECONDS = 15 * 60


def lock_path(path: Path) -> Path:
    """xlplan's own lock beside the master (Excel's is ``~$name``)."""
    real = Path(os.path.realpath(path))
    return real.with_name(f".~xlplan-lock.{real.name}")


class MasterLock:
    """Serialises xlplan's writers of one workbook: a lock file beside it holding who and
    since when; a lock older than :data:`LOCK_STALE_SECONDS` is taken over."""

    def __init__(self, path: Path, *, now: datetime | None = None) -> None:
        self.path = lock_path(path)
        self.target = path
        self.now = now
        self.held = False

    def __enter__(self) -> MasterLock:
        import getpass
        import json
        import socket

        me = {"owner": f"{getpass.getuser()}@{socket.gethostname()} pid {os.getpid()}",
              "since": (self.now or datetime.now()).isoformat(sep=" ", timespec="seconds")}
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                try:
                    info = json.loads(self.path.read_text(encoding="utf-8"))
                    age = datetime.now().timestamp() - self.path.stat().st_mtime
                except (OSError, ValueError):
                    info, age = {}, LOCK_STALE_SECONDS + 1
                if age > LOCK_STALE_SECONDS:
                    self.path.unlink(missing_ok=True)
                    continue
                raise refuse("locked", self.target, owner=info.get("owner", "?"),
                             since=info.get("since", "?"), lock=self.path.name,
                             stale=say("lock.stale_hint", minutes=LOCK_STALE_SECONDS // 60)) from None
            except OSError:
                return self  # a folder where no lock can be made: the save still checks
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(me, fh, ensure_ascii=False)
            self.held = True
            return self
        return self

    def __exit__(self, *exc: object) -> None:
        if self.held:
            self.path.unlink(missing_ok=True)
            self.held = False


def check_output(out: Path, inputs: Sequence[Path], *, force: bool = False) -> Path | None:
    """Refuse an output path that is one of the inputs, or an existing file (unless
    ``force``: then it is backed up first). Returns the backup, if one was made."""
    for i in inputs:
        if _same_file(out, i) or os.path.realpath(out) == os.path.realpath(i):
            raise refuse("output_is_input", out, name=out.name)
    if out.exists():
        if not force:
            raise refuse("exists", out)
        if out.is_file():
            return backup(out)
    return None


def write_new_workbook(path: Path, contents: Sequence[p.SheetContent]) -> Path:
    """A new workbook holding exactly these sheets, saved atomically."""
    wb = Workbook()
    wb.remove(wb.active)
    for c in contents:
        write_content(wb, c)
    atomic_save(wb, path)
    return path
