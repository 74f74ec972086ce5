"""The file engine: an ``.xlsx`` (or ``.xlsm``) workbook on disk, through openpyxl.

Everything that can be wrong with a file before a cell is read is detected here and
raised as a :class:`~xlplan.core.texts.Refusal` (Japanese message, fix, English line).
Reads give the same :class:`~xlplan.core.model.SheetRead` as the Excel engines; writes
carry out a :class:`~xlplan.core.plan.Plan`. Saving is atomic (a temporary file in the
same folder, then one rename), the master is backed up first, and a save refuses when
another program changed the file since it was read.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from copy import copy
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
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
from xlplan.core.sheetread import CELL_LIMIT
from xlplan.core.texts import refuse, say
from xlplan.engines.port import Engine

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
ZIP_MAGIC = b"PK\x03\x04"
BACKUP_DIR = "backup"
MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam")

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
    if any(n.lower() == "xl/vbaproject.bin" for n in names) and \
            path.suffix.lower() not in MACRO_SUFFIXES:
        # Saved as .xlsx it would lose its macros, or carry them under the wrong type.
        raise refuse("macro_in_xlsx", path)


def check_writable(path: Path) -> None:
    """Raise a Refusal if we must not (or cannot) replace ``path`` now."""
    try:
        locked = lock_file(path).exists()
    except OSError:
        locked = False
    if locked:
        raise refuse("open_in_excel", path, lock=lock_file(path).name)
    folder = path.parent
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
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


def load(path: Path, *, read_only: bool = False) -> Workbook:
    """Load an .xlsx after sniffing it; a Refusal for anything that is wrong."""
    sniff(path)
    try:
        return load_workbook(path, read_only=read_only, rich_text=not read_only,
                             keep_vba=path.suffix.lower() in MACRO_SUFFIXES, keep_links=True)
    except Exception as e:  # openpyxl raises many kinds for broken parts
        raise refuse("corrupt", path, what=say("file.unloadable"),
                     detail=f"{type(e).__name__}: {e}") from e


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


# =========================================================================== writing


def _safe_text(s: str) -> str:
    if len(s) > CELL_LIMIT:
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


def _cells_of(ws: Worksheet, rng: str, *, merged_ok: bool = True) -> Iterable[Cell]:
    r0, c0, r1, c1 = p.bounds(rng)
    for r in range(r0, r1 + 1):
        for c in range(c0, c1 + 1):
            cell = ws._cells.get((r, c))
            if cell is None:
                cell = ws._cells[(r, c)] = Cell(ws, row=r, column=c)
            elif isinstance(cell, MergedCell) and not merged_ok:
                continue
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


def _table_headers(ws: Worksheet, b: p.Block) -> None:
    """Excel demands a table's column names equal its header cells: keep them in step
    when a block writes into a header row (the year in a heading, after a rollover)."""
    n, m = b.shape
    for t in ws.tables.values():
        c0, r0, c1, _ = _boundaries(t.ref)
        if not (b.row <= r0 < b.row + n and b.col <= c1 and b.col + m - 1 >= c0):
            continue
        for i, tc in enumerate(t.tableColumns):
            v = ws.cell(r0, c0 + i).value
            if v is not None:
                tc.name = str(v)


def _boundaries(rng: str) -> tuple[int, int, int, int]:
    r0, c0, r1, c1 = p.bounds(rng)
    return c0, r0, c1, r1


def write_content(wb: Workbook, content: p.SheetContent) -> Worksheet:
    """Replace (or create) the sheet ``content.name`` with exactly this content."""
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
                put(ws, r, c, v)
    apply_ops(ws, content.ops)
    if content.hidden:
        ws.sheet_state = "hidden"
    return ws


class XlsxEngine(Engine):
    """A workbook file: read through openpyxl, written atomically after a backup."""

    kind = "file"

    def __init__(self, path: Path | str) -> None:
        super().__init__()
        self._path = Path(path)
        sniff(self._path)
        self._digest = _digest(self._path)
        self.wb = load(self._path)
        self.changed = False

    @classmethod
    def of(cls, wb: Workbook, label: str) -> XlsxEngine:
        """An engine over a workbook built in memory (the template builder's)."""
        engine = cls.__new__(cls)
        Engine.__init__(engine)
        engine._path = Path(label)
        engine._digest = ""
        engine.wb = wb
        engine.changed = False
        return engine

    @property
    def label(self) -> str:
        return self._path.name

    @property
    def path(self) -> Path:
        return self._path

    def sheet_names(self) -> list[str]:
        return list(self.wb.sheetnames)

    def _read(self, names: list[str]) -> dict[str, SheetRead]:
        return {n: read_sheet(self.wb[n]) for n in names}

    def password_sheets(self) -> set[str]:
        out = set()
        for ws in self.wb.worksheets + self.wb.chartsheets:
            prot = getattr(ws, "protection", None)
            if prot is not None and prot.sheet and (prot.password or getattr(prot, "hashValue", None)):
                out.add(ws.title)
        return out

    def _apply(self, plan: p.Plan) -> None:
        wb = self.wb
        for name in plan.delete:
            if name in wb.sheetnames:
                wb.remove(wb[name])
        for content in plan.sheets:
            write_content(wb, content)
        for b in plan.blocks:
            ws = wb[b.sheet]
            for r, c, v in b.cells():
                put(ws, r, c, v)
            _table_headers(ws, b)
        fmt = _Formatter()
        for sf in plan.formats:
            ws = wb[sf.sheet]
            for cell in _cells_of(ws, sf.format.ref, merged_ok=False):
                fmt(cell, sf.format)
        if plan.activate and plan.activate in wb.sheetnames:
            wb.active = wb.sheetnames.index(plan.activate)
            for ws in wb.worksheets:
                ws.sheet_view.tabSelected = ws.title == plan.activate
        if not plan.empty:
            self.changed = True
        self.forget()

    def save(self, out: Path | str | None = None, *, now: datetime | None = None
             ) -> tuple[Path, Path | None]:
        """Write the workbook to ``out`` (default: over itself, after a backup).

        Refuses when the file on disk changed since it was read (another program saved
        it): nothing is lost on either side. Returns (written path, backup or None).
        """
        target = Path(out) if out else self._path
        check_writable(target)
        in_place = _same_file(target, self._path)
        bak = None
        if in_place:
            if _digest(self._path) != self._digest:
                raise refuse("changed_meanwhile", self._path)
            bak = backup(self._path, now)
        atomic_save(self.wb, target)
        if in_place:
            self._digest = _digest(self._path)
        return target, bak


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


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
