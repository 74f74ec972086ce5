"""A surgical editor for SpreadsheetML packages (.xlsx / .xlsm / .xltx / .xltm / .xlam).

Only the parts a call changes are re-serialised; every other zip member is written back with
the same uncompressed bytes, so whatever this module does not understand (text boxes,
form controls, sparklines, slicers, threaded comments, embedded objects, custom XML, VBA…)
is carried through untouched.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import numbers
import os
import posixpath
import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import quote, unquote

from lxml import etree

from . import _opc, _refs, _values
from ._opc import ContentTypes, Relationships
from ._sheet import WORKSHEET_ORDER, Worksheet, cell_text, clear_value, rst_text, write_value
from ._styles import DATE_FORMAT, DATETIME_FORMAT, StyleImporter, Styles, _rgb
from ._xml import (
    NS_MAIN,
    NS_R,
    NS_STRICT_MAIN,
    Element,
    Tree,
    insert_in_order,
    local,
    parse,
    q,
    serialize,
)
from .errors import PackageError

SheetKind = Literal["worksheet", "chartsheet", "dialogsheet", "macrosheet"]
SheetState = Literal["visible", "hidden", "veryHidden"]
STATES = ("visible", "hidden", "veryHidden")

CONTENT_TYPES = "[Content_Types].xml"
MAX_PACKAGE_SIZE = 2 * 1024**3  # declared uncompressed bytes accepted by read()
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)

_KIND_BY_REL = {
    _opc.RT_WORKSHEET: "worksheet",
    _opc.RT_CHARTSHEET: "chartsheet",
    _opc.RT_DIALOGSHEET: "dialogsheet",
    _opc.RT_MACROSHEET: "macrosheet",
    _opc.RT_INTL_MACROSHEET: "macrosheet",
}

# CT_Workbook child sequence (§18.2.27 workbook).
WORKBOOK_ORDER = ("fileVersion", "fileSharing", "workbookPr", "workbookProtection",
                  "bookViews", "sheets", "functionGroups", "externalReferences",
                  "definedNames", "calcPr", "oleSize", "customWorkbookViews", "pivotCaches",
                  "smartTagPr", "smartTagTypes", "webPublishing", "fileRecoveryPr",
                  "webPublishObjects", "extLst")
# CT_Chartsheet child sequence (§18.3.1.12 chartsheet).
CHARTSHEET_ORDER = ("sheetPr", "sheetViews", "sheetProtection", "customSheetViews",
                    "pageMargins", "pageSetup", "headerFooter", "drawing", "legacyDrawing",
                    "legacyDrawingHF", "drawingHF", "picture", "webPublishItems", "extLst")

# Relationship types a copied sheet may bring along (its own, self-contained parts).
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_COPYABLE = {
    _RT + t for t in ("drawing", "vmlDrawing", "comments", "table", "printerSettings",
                      "hyperlink", "image", "chart", "chartUserShapes", "package",
                      "oleObject", "ctrlProp", "themeOverride", "diagramData",
                      "diagramLayout", "diagramQuickStyle", "diagramColors", "control",
                      "activeXControlBinary")
} | {
    "http://schemas.microsoft.com/office/2011/relationships/chartStyle",
    "http://schemas.microsoft.com/office/2011/relationships/chartColorStyle",
    "http://schemas.microsoft.com/office/2007/relationships/diagramDrawing",
    "http://schemas.microsoft.com/office/2007/relationships/hdphoto",
}
# Sheets holding these cannot be deleted or replaced without workbook-level repairs.
_BLOCKING_CONTENT = {
    "application/vnd.ms-excel.slicer+xml": "a slicer",
    "application/vnd.ms-excel.timeline+xml": "a timeline",
}
_TABLE_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
_CHART_CTS = ("application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
              "application/vnd.ms-office.chartex+xml")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass
class _Sheet:
    name: str
    el: Element
    rid: str
    part: str
    kind: SheetKind
    index: int


def _err(detail: str) -> PackageError:
    return PackageError(detail)


class Package:
    """An opened SpreadsheetML package. Build with :meth:`read`."""

    def __init__(self) -> None:
        self._data: dict[str, bytes] = {}
        self._order: list[str] = []
        self._info: dict[str, zipfile.ZipInfo] = {}
        self._lower: dict[str, str] = {}
        self._trees: dict[str, Tree] = {}
        self._dirty: set[str] = set()
        self._rels_cache: dict[str, Relationships] = {}
        self._ws_cache: dict[str, Worksheet] = {}
        self._styles_obj: Styles | None = None
        self._wb_part = ""

    # ================================================================== reading
    @classmethod
    def read(cls, source: str | os.PathLike[str] | bytes | bytearray | memoryview, *,
             max_size: int = MAX_PACKAGE_SIZE) -> Package:
        """Open a package from a path or from its bytes; PackageError when it is broken."""
        if isinstance(source, bytes | bytearray | memoryview):
            data = bytes(source)
            label = "the workbook"
        else:
            path = Path(source)
            label = path.name
            if path.is_dir():
                raise _err(f"{label} is a folder, not an Excel workbook")
            data = path.read_bytes()
        pkg = cls()
        pkg._load(data, label, max_size)
        return pkg

    def _load(self, data: bytes, label: str, max_size: int) -> None:
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise _err(f"{label} is password-protected (encrypted) or an old-style .xls "
                       "workbook; save it as an unprotected .xlsx first")
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
            raise _err(f"{label} is not an Excel workbook (it is not a zip package, "
                       "or it is damaged or cut short)") from None
        with zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            if total > max_size:
                raise _err(f"{label} would expand to {total:,} bytes, more than the "
                           f"{max_size:,} accepted")
            for info in infos:
                name = info.filename
                key = name.lower()
                if key in self._lower:
                    raise _err(f"{label} holds the part /{name} twice")
                if info.flag_bits & 0x1:
                    raise _err(f"{label} has encrypted zip members; it is not a workbook "
                               "Excel wrote")
                try:
                    content = zf.read(info)
                except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
                        NotImplementedError) as e:
                    raise _err(f"{label} is damaged: part /{name} cannot be read "
                               f"({str(e) or type(e).__name__})") from None
                self._data[name] = content
                self._order.append(name)
                self._info[name] = info
                self._lower[key] = name
        if self._find(CONTENT_TYPES) is None:
            raise _err(f"{label} has no [Content_Types].xml; it is not an Office document")
        root_rels = self._rels("")
        office = [r for r in root_rels.all()
                  if r.type in (_opc.RT_OFFICE_DOCUMENT, _opc.RT_STRICT_OFFICE_DOCUMENT)]
        if not office:
            raise _err(f"{label} names no main document (/_rels/.rels lacks officeDocument)")
        if office[0].type == _opc.RT_STRICT_OFFICE_DOCUMENT:
            raise _err(f"{label} is saved as Strict Open XML; save it as an ordinary "
                       "Excel workbook (.xlsx)")
        wb = root_rels.target_part(office[0])
        found = self._find(wb or "")
        if wb is None or found is None:
            raise _err(f"{label} is damaged: its workbook part /{wb} is missing")
        self._wb_part = found
        ct = self._ct().get(found)
        if ct not in _opc.WORKBOOK_CONTENT_TYPES:
            kind = "a binary .xlsb workbook" if ct and "binary" in ct else f"of type {ct}"
            raise _err(f"{label} is {kind}, not an .xlsx/.xlsm workbook this tool can edit")
        root = self._tree(found).getroot()
        if root.tag == q("workbook", NS_STRICT_MAIN):
            raise _err(f"{label} is saved as Strict Open XML; save it as an ordinary "
                       "Excel workbook (.xlsx)")
        if root.tag != q("workbook"):
            raise _err(f"{label} is damaged: /{found} is not a SpreadsheetML workbook")
        seen: set[str] = set()
        for s in self._sheets():
            key = s.name.casefold()
            if key in seen:
                raise _err(f"{label} has two sheets named {s.name!r}")
            seen.add(key)

    # ================================================================== parts
    def _find(self, name: str) -> str | None:
        """The member holding part ``name``: compared case-insensitively [M1.12], with or
        without percent-encoding (a part name may be stored either way in the zip)."""
        found = self._lower.get(name.lower())
        if found is None:
            found = self._lower.get(quote(name, safe="/").lower()) or \
                self._lower.get(unquote(name).lower())
        return found

    def part_names(self) -> list[str]:
        """Zip member names, in the order they are written."""
        return list(self._order)

    def part_bytes(self, name: str) -> bytes:
        """Current bytes of one part (re-serialised if it was changed)."""
        actual = self._find(name)
        if actual is None:
            raise KeyError(name)
        if actual in self._dirty:
            return serialize(self._trees[actual])
        return self._data[actual]

    def _tree(self, name: str) -> Tree:
        actual = self._find(name)
        if actual is None:
            raise _err(f"the workbook is damaged: part /{name} is missing")
        tree = self._trees.get(actual)
        if tree is None:
            tree = parse(self._data[actual], actual)
            self._trees[actual] = tree
        return tree

    def _touch(self, name: str) -> None:
        actual = self._find(name)
        assert actual is not None, name
        self._dirty.add(actual)

    def _add_member(self, name: str) -> None:
        if name.lower() not in self._lower:
            self._order.append(name)
            self._lower[name.lower()] = name

    def _put_bytes(self, name: str, data: bytes) -> None:
        self._add_member(name)
        actual = self._lower[name.lower()]
        self._data[actual] = data
        self._trees.pop(actual, None)
        self._dirty.discard(actual)
        self._ws_cache.pop(actual, None)

    def _put_tree(self, name: str, tree: Tree) -> None:
        self._add_member(name)
        actual = self._lower[name.lower()]
        self._data.setdefault(actual, b"")
        self._trees[actual] = tree
        self._dirty.add(actual)
        self._ws_cache.pop(actual, None)

    def _delete_part(self, name: str) -> None:
        actual = self._find(name)
        if actual is None:
            return
        self._order.remove(actual)
        del self._lower[actual.lower()]
        self._data.pop(actual, None)
        self._trees.pop(actual, None)
        self._dirty.discard(actual)
        self._info.pop(actual, None)
        self._ws_cache.pop(actual, None)
        self._rels_cache.pop(actual, None)
        if actual == self._styles_part():
            self._styles_obj = None
        self._ct().remove(actual)
        self._touch(CONTENT_TYPES)
        rels = _opc.rels_part_for(actual)
        if self._find(rels) is not None:
            self._delete_part(rels)
            self._rels_cache.pop(actual, None)

    def _ct(self) -> ContentTypes:
        return ContentTypes(self._tree(CONTENT_TYPES))

    def _set_content_type(self, part: str, content_type: str) -> None:
        ct = self._ct()
        if ct.get(part) != content_type:
            ct.set(part, content_type)
            self._touch(CONTENT_TYPES)

    def content_type(self, part: str) -> str | None:
        actual = self._find(part) or part
        return self._ct().get(actual)

    def _rels(self, source: str) -> Relationships:
        cached = self._rels_cache.get(source)
        if cached is not None:
            return cached
        name = _opc.rels_part_for(source)
        tree = self._tree(name) if self._find(name) is not None else None
        rels = Relationships(source, tree)
        self._rels_cache[source] = rels
        return rels

    def _save_rels(self, rels: Relationships) -> None:
        name = _opc.rels_part_for(rels.source)
        actual = self._find(name)
        if actual is None or self._trees.get(actual) is not rels.tree:
            self._put_tree(actual or name, rels.tree)  # new, or replacing a stale orphan
        else:
            self._touch(actual)

    def _targets(self, source: str) -> list[tuple[str, str]]:
        """(relationship type, existing target part) of each internal relationship."""
        if self._find(_opc.rels_part_for(source)) is None and source not in self._rels_cache:
            return []
        out = []
        rels = self._rels(source)
        for rel in rels.all():
            tp = rels.target_part(rel)
            if tp is not None:
                actual = self._find(tp)
                if actual is not None:
                    out.append((rel.type, actual))
        return out

    def _closure(self, start: str) -> list[str]:
        """``start`` and every part reachable from it through relationships."""
        seen = [start]
        i = 0
        while i < len(seen):
            for _, tp in self._targets(seen[i]):
                if tp not in seen:
                    seen.append(tp)
            i += 1
        return seen

    def _reachable(self) -> set[str]:
        seen: set[str] = set()
        stack = [""]
        while stack:
            src = stack.pop()
            for _, tp in self._targets(src):
                if tp not in seen:
                    seen.add(tp)
                    stack.append(tp)
        return seen

    def _collect_garbage(self, candidates: Iterable[str]) -> None:
        reachable = self._reachable()
        for part in candidates:
            if part and part not in reachable and self._find(part) is not None:
                self._delete_part(part)

    # ================================================================== workbook
    def _wb(self) -> Element:
        return self._tree(self._wb_part).getroot()

    def _sheets(self) -> list[_Sheet]:
        sheets_el = self._wb().find(q("sheets"))
        if sheets_el is None:
            raise _err("the workbook is damaged: it lists no sheets")
        rels = self._rels(self._wb_part)
        out = []
        for i, el in enumerate(sheets_el.findall(q("sheet"))):
            name = el.get("name", "")
            rid = el.get(q("id", NS_R), "")
            rel = rels.by_id(rid)
            if rel is None:
                raise _err(f"the workbook is damaged: sheet {name!r} has no relationship")
            tp = rels.target_part(rel)
            actual = self._find(tp) if tp else None
            if actual is None:
                raise _err(f"the workbook is damaged: the part of sheet {name!r} "
                           f"(/{tp}) is missing")
            kind = _KIND_BY_REL.get(rel.type)
            if kind is None:
                raise _err(f"the workbook is damaged: sheet {name!r} is of unknown type")
            out.append(_Sheet(name, el, rid, actual, kind, i))  # type: ignore[arg-type]
        return out

    def _sheet(self, name: str) -> _Sheet:
        sheets = self._sheets()
        for s in sheets:
            if s.name == name:
                return s
        for s in sheets:
            if s.name.casefold() == name.casefold():
                return s
        raise KeyError(f"the workbook has no sheet named {name!r}")

    def _worksheet_of(self, name: str) -> tuple[_Sheet, Worksheet]:
        s = self._sheet(name)
        if s.kind != "worksheet":
            raise _err(f"sheet {s.name!r} is a {s.kind}, not a worksheet with cells")
        ws = self._ws_cache.get(s.part)
        if ws is None:
            ws = Worksheet(self._tree(s.part), s.part)
            self._ws_cache[s.part] = ws
        return s, ws

    @property
    def sheet_names(self) -> list[str]:
        """Every sheet's name in workbook (tab) order."""
        return [s.name for s in self._sheets()]

    def sheet_kind(self, name: str) -> SheetKind:
        return self._sheet(name).kind

    def sheet_state(self, name: str) -> SheetState:
        state = self._sheet(name).el.get("state", "visible")
        return state if state in STATES else "visible"  # type: ignore[return-value]

    # -- what a reader of cells needs (the parts it parses itself) ------------------------
    def sheet_part(self, name: str) -> str:
        """The zip member holding sheet ``name``."""
        return self._sheet(name).part

    @property
    def date1904(self) -> bool:
        """Dates count from 1904 (old Mac workbooks), not 1900."""
        return self._date1904()

    def styles_part(self) -> str | None:
        return self._styles_part()

    def shared_strings_part(self) -> str | None:
        for rtype, tp in self._targets(self._wb_part):
            if rtype == _opc.RT_SHARED_STRINGS:
                return tp
        return None

    def tables(self, sheet: str) -> dict[str, str]:
        """Each table of a worksheet: display name → range (``"A3:AG72"``)."""
        s = self._sheet(sheet)
        return {str(t.get("displayName") or t.get("name") or ""): str(t.get("ref") or "")
                for _, t in self._tables(s)}

    @property
    def extension(self) -> str:
        """The file extension Excel requires for this package (``.xlsx``, ``.xlsm``, ``.xltx``,
        ``.xltm`` or ``.xlam``): Excel refuses a file whose name says otherwise."""
        return _opc.WORKBOOK_CONTENT_TYPES.get(self.content_type(self._wb_part) or "", ".xlsx")

    @property
    def macro_enabled(self) -> bool:
        return _opc.WORKBOOK_CONTENT_TYPES.get(self.content_type(self._wb_part) or "") in (
            ".xlsm", ".xltm", ".xlam")

    def _date1904(self) -> bool:
        pr = self._wb().find(q("workbookPr"))
        return pr is not None and pr.get("date1904") in ("1", "true")

    def _styles_part(self) -> str | None:
        if not self._wb_part:
            return None
        for rtype, tp in self._targets(self._wb_part):
            if rtype == _opc.RT_STYLES:
                return tp
        return None

    def _styles(self) -> Styles:
        if self._styles_obj is not None:
            return self._styles_obj
        part = self._styles_part()
        if part is None:
            part = self._free_name("xl/styles.xml", set())
            self._put_bytes(part, _MINIMAL_STYLES)
            rels = self._rels(self._wb_part)
            rels.add(_opc.RT_STYLES, part)
            self._save_rels(rels)
            self._set_content_type(part, _opc.CT_STYLES)
        name = part
        self._styles_obj = Styles(self._tree(name), lambda: self._touch(name))
        return self._styles_obj

    def _shared_items(self) -> list[Element]:
        for rtype, tp in self._targets(self._wb_part):
            if rtype == _opc.RT_SHARED_STRINGS:
                return self._tree(tp).getroot().findall(q("si"))
        return []

    def _shared_texts(self) -> list[str]:
        return [rst_text(si) for si in self._shared_items()]

    def _drop_calc_chain(self) -> None:
        rels = self._rels(self._wb_part)
        for rel in rels.of_type(_opc.RT_CALC_CHAIN):
            tp = rels.target_part(rel)
            rels.remove(rel.id)
            self._save_rels(rels)
            if tp:
                self._delete_part(tp)

    def _defined_names(self) -> list[Element]:
        dn = self._wb().find(q("definedNames"))
        return [] if dn is None else dn.findall(q("definedName"))

    def _views(self) -> list[Element]:
        bv = self._wb().find(q("bookViews"))
        return [] if bv is None else bv.findall(q("workbookView"))

    def _active_index(self) -> int:
        views = self._views()
        return int(views[0].get("activeTab", "0")) if views else 0

    # ================================================================== cells
    def set_cells(self, sheet: str, cells: Mapping[tuple[int, int], _values.CellValue], *,
                  style_from: Mapping[tuple[int, int], tuple[int, int]] | None = None) -> None:
        """Write constant values into cells of a worksheet.

        Values: None (clears the value, keeps the cell's format), bool, int, float (finite),
        str (always stored as text, never as a formula), datetime.date / datetime.datetime
        (a serial number; the cell gets a date format unless it already shows dates).
        An existing cell keeps its format; a new cell takes the format of
        ``style_from[(row, col)]`` when given, else the one Excel shows for the empty cell
        (the row's, else the column's). All values are checked before anything changes.
        """
        s, ws = self._worksheet_of(sheet)
        style_from = style_from or {}
        date1904 = self._date1904()
        checked: list[tuple[int, int, _values.CellValue]] = []
        for key, value in cells.items():
            if not isinstance(key, tuple) or len(key) != 2:
                raise ValueError(f"cell keys are (row, column) tuples, not {key!r}")
            row, col = key
            _refs.check_cell(row, col)
            where = f"{s.name}!{_refs.ref(row, col)}"
            value = _normalise(value)  # type: ignore[assignment]
            _check_value(value, where, date1904)
            checked.append((row, col, value))
        for key, src in style_from.items():
            _refs.check_cell(*key)
            _refs.check_cell(*src)
        checked.sort(key=lambda t: (t[0], t[1]))
        written = {(r, c) for r, c, _ in checked}
        for span, master, kind in ws.formula_ranges():
            mref = master.get("r", "")
            for r, c, _ in checked:
                if _refs.contains(span, r, c) and _refs.ref(r, c) != mref and \
                        (span[0], span[1]) != (span[2], span[3]):
                    raise ValueError(
                        f"{s.name}!{_refs.ref(r, c)} is part of the {kind} formula in "
                        f"{_refs.range_text(span)}; Excel does not allow changing part of it")
        header_changes = self._header_changes(s, checked)
        unshared = [change for group in ws.shared_groups().values()
                    if any(_refs.parse_cell(c.get("r", "A1")) in written for c in group)
                    for change in _unshare_plan(group, s.name)]

        # -- apply ----------------------------------------------------------------
        sheet_was_empty = next(ws.data.iter(q("c")), None) is None
        formula_changed = False
        for f, text in unshared:
            for attr in ("t", "si", "ref"):
                if attr in f.attrib:
                    del f.attrib[attr]
            f.text = text
        styles: Styles | None = None
        box: _refs.Box | None = None
        for row, col, value in checked:
            cell = ws.cell(row, col)
            if cell is None:
                if value is None and (row, col) not in style_from:
                    continue
                if (row, col) in style_from:
                    style = ws.cell_style(*style_from[(row, col)])
                else:
                    style = ws.empty_cell_style(row, col)
                cell = ws.ensure_cell(row, col, style)
            if clear_value(cell):
                formula_changed = True
            if isinstance(value, dt.date):
                styles = styles or self._styles()
                base = int(cell.get("s", "0"))
                if not styles.is_date_xf(base):
                    fmt = DATETIME_FORMAT if isinstance(value, dt.datetime) else DATE_FORMAT
                    cell.set("s", str(styles.derive(base, number_format=fmt)))
            write_value(cell, value, date1904)
            box = _refs.union(box, (row, col, row, col))
        ws.update_dimension(box, sheet_was_empty)
        self._touch(s.part)
        for part, column, name in header_changes:
            column.set("name", _values.escape_xstring(name, attribute=True))
            self._touch(part)
        if formula_changed:
            self._drop_calc_chain()

    def _tables(self, s: _Sheet) -> list[tuple[str, Element]]:
        out = []
        for rtype, tp in self._targets(s.part):
            if rtype == _opc.RT_TABLE:
                out.append((tp, self._tree(tp).getroot()))
        return out

    def _header_changes(self, s: _Sheet, checked: list[tuple[int, int, _values.CellValue]]
                        ) -> list[tuple[str, Element, str]]:
        changes: list[tuple[str, Element, str]] = []
        for part, table in self._tables(s):
            if table.get("headerRowCount", "1") == "0":
                continue
            try:
                box = _refs.parse_range(table.get("ref", ""))
            except ValueError:
                continue
            cols_el = table.find(q("tableColumns"))
            if cols_el is None:
                continue
            columns = cols_el.findall(q("tableColumn"))
            names = [_values.unescape_xstring(c.get("name", "")) for c in columns]
            touched = False
            for row, col, value in checked:
                if row != box[0] or not box[1] <= col <= box[3]:
                    continue
                where = f"{s.name}!{_refs.ref(row, col)}"
                if not isinstance(value, str) or value == "":
                    raise ValueError(f"{where} heads a column of table "
                                     f"{table.get('displayName')!r}; it must be text")
                i = col - box[1]
                if i < len(columns):
                    names[i] = value
                    changes.append((part, columns[i], value))
                    touched = True
            if touched:
                folded = [n.casefold() for n in names]
                dup = next((n for n in names if folded.count(n.casefold()) > 1), None)
                if dup is not None:
                    raise ValueError(f"table {table.get('displayName')!r} would have two "
                                     f"columns named {dup!r}; Excel requires unique headings")
        return changes

    def set_table_ref(self, sheet: str, table_name: str, ref: str) -> None:
        """Give a table a new range; its column list follows the heading cells."""
        s, ws = self._worksheet_of(sheet)
        tables = self._tables(s)
        found = [(p, t) for p, t in tables
                 if table_name.casefold() in (t.get("name", "").casefold(),
                                              t.get("displayName", "").casefold())]
        if not found:
            raise KeyError(f"sheet {s.name!r} has no table named {table_name!r}")
        part, table = found[0]
        box = _refs.parse_range(ref)
        header_rows = int(table.get("headerRowCount", "1"))
        totals = int(table.get("totalsRowCount", "0"))
        if box[2] - box[0] + 1 < header_rows + totals + 1:
            raise ValueError(f"table {table_name!r} needs at least one data row; "
                             f"{ref} is too small")
        for other_part, other in tables:
            if other_part == part:
                continue
            ob = _refs.parse_range(other.get("ref", "A1"))
            if not (box[2] < ob[0] or ob[2] < box[0] or box[3] < ob[1] or ob[3] < box[1]):
                raise ValueError(f"{ref} overlaps table {other.get('displayName')!r}")
        old = _refs.parse_range(table.get("ref", "A1"))
        cols_el = table.find(q("tableColumns"))
        if cols_el is None:
            raise _err(f"table {table_name!r} has no column list")
        old_cols = {old[1] + i: c for i, c in enumerate(cols_el.findall(q("tableColumn")))}
        shared = self._shared_texts()
        next_id = max([int(c.get("id", "0")) for c in old_cols.values()] + [0]) + 1
        new_cols: list[Element] = []
        names: list[str] = []
        for col in range(box[1], box[3] + 1):
            existing = old_cols.get(col)
            text: str | None = None
            if header_rows:
                c = ws.cell(box[0], col)
                text = cell_text(c, shared) if c is not None else None
                if not text:
                    raise ValueError(f"{s.name}!{_refs.ref(box[0], col)} must hold the "
                                     "column's heading text before the table can cover it")
            if existing is None:
                existing = etree.Element(q("tableColumn"))
                existing.set("id", str(next_id))
                next_id += 1
                existing.set("name", _values.escape_xstring(text or f"Column{next_id - 1}",
                                                            attribute=True))
            elif text is not None:
                existing.set("name", _values.escape_xstring(text, attribute=True))
            names.append(_values.unescape_xstring(existing.get("name", "")).casefold())
            new_cols.append(existing)
        if len(set(names)) != len(names):
            raise ValueError(f"table {table_name!r} would have two columns with one heading")
        for c in list(cols_el):
            cols_el.remove(c)
        for c in new_cols:
            cols_el.append(c)
        cols_el.set("count", str(len(new_cols)))
        table.set("ref", _refs.range_text(box))
        af = table.find(q("autoFilter"))
        if af is not None:
            af.set("ref", _refs.range_text((box[0], box[1], box[2] - totals, box[3])))
            for fc in af.findall(q("filterColumn")):
                if int(fc.get("colId", "0")) >= len(new_cols):
                    af.remove(fc)
        sort = table.find(q("sortState"))
        if sort is not None:
            table.remove(sort)
        self._touch(part)

    def merged_ranges(self, sheet: str) -> list[str]:
        """The merged ranges of a worksheet, as written (``"A1:C1"``)."""
        _, ws = self._worksheet_of(sheet)
        mc = ws.root.find(q("mergeCells"))
        return [] if mc is None else [m.get("ref", "") for m in mc.findall(q("mergeCell"))]

    # ================================================================== styles
    def set_style(self, sheet: str, cells: Iterable[tuple[int, int]], *,
                  number_format: str | None = None, fill_rgb: str | None = None,
                  font_rgb: str | None = None, bold: bool | None = None) -> None:
        """Give cells a copy of their current format with these changes (append-only)."""
        if fill_rgb is not None:
            _rgb(fill_rgb, "fill_rgb")
        if font_rgb is not None:
            _rgb(font_rgb, "font_rgb")
        if number_format is not None and (not isinstance(number_format, str)
                                          or not number_format):
            raise ValueError("number_format must be a non-empty format code")
        s, ws = self._worksheet_of(sheet)
        targets = list(cells)
        for row, col in targets:
            _refs.check_cell(row, col)
        styles = self._styles()
        box: _refs.Box | None = None
        for row, col in targets:
            base = ws.cell_style(row, col) or 0
            new = styles.derive(base, number_format=number_format, fill_rgb=fill_rgb,
                                font_rgb=font_rgb, bold=bold)
            cell = ws.ensure_cell(row, col, None)
            cell.set("s", str(new))
            box = _refs.union(box, (row, col, row, col))
        ws.update_dimension(box, False)
        self._touch(s.part)

    # ================================================================== sheets
    def _check_new_name(self, name: str, ignore: str | None = None) -> None:
        if not isinstance(name, str) or not name or len(name) > 31:
            raise ValueError(f"sheet names have 1 to 31 characters: {name!r}")
        if _SHEET_NAME_BAD.search(name) or name[0] == "'" or name[-1] == "'":
            raise ValueError(f"sheet name {name!r} may not contain [ ] : * ? / \\ "
                             "or begin or end with an apostrophe")
        _values.check_text(name, "sheet name")
        if name.casefold() == "history":
            raise ValueError("Excel reserves the sheet name 'History'")
        for s in self._sheets():
            if s.name.casefold() == name.casefold() and s.name != ignore:
                raise ValueError(f"the workbook already has a sheet named {s.name!r}")

    def _check_removable(self, s: _Sheet) -> None:
        for part in self._closure(s.part):
            what = _BLOCKING_CONTENT.get(self.content_type(part) or "")
            if what:
                raise _err(f"sheet {s.name!r} holds {what} (/{part}); it cannot be removed "
                           "or replaced without Excel")

    def _remove_sheet(self, s: _Sheet, *, names_to_ref: bool) -> None:
        """Take a sheet out of the workbook with the parts only it used."""
        pos = s.index
        candidates = self._closure(s.part)
        rels = self._rels(self._wb_part)
        rels.remove(s.rid)
        self._save_rels(rels)
        parent = s.el.getparent()
        assert parent is not None
        parent.remove(s.el)
        for dn in self._defined_names():
            lid = dn.get("localSheetId")
            if lid is not None and lid.isdigit():
                if int(lid) == pos:
                    dn_parent = dn.getparent()
                    assert dn_parent is not None
                    dn_parent.remove(dn)
                    continue
                if int(lid) > pos:
                    dn.set("localSheetId", str(int(lid) - 1))
            if names_to_ref and dn.text:
                new = _refs.rewrite_sheet(dn.text, s.name, None)
                if new != dn.text:
                    dn.text = new
        self._drop_empty_defined_names()
        for view in self._views():
            for attr in ("activeTab", "firstSheet"):
                v = view.get(attr)
                if v is not None and v.isdigit() and int(v) > pos:
                    view.set(attr, str(int(v) - 1))
        self._touch(self._wb_part)
        self._collect_garbage(candidates)
        self._drop_calc_chain()

    def _drop_empty_defined_names(self) -> None:
        dn = self._wb().find(q("definedNames"))
        if dn is not None and len(dn.findall(q("definedName"))) == 0:
            self._wb().remove(dn)

    def _insert_sheet_el(self, el: Element, index: int) -> None:
        sheets_el = self._wb().find(q("sheets"))
        assert sheets_el is not None
        existing = sheets_el.findall(q("sheet"))
        if index < len(existing):
            existing[index].addprevious(el)
        else:
            if existing:
                existing[-1].addnext(el)
            else:
                sheets_el.append(el)
        for dn in self._defined_names():
            lid = dn.get("localSheetId")
            if lid is not None and lid.isdigit() and int(lid) >= index:
                dn.set("localSheetId", str(int(lid) + 1))
        for view in self._views():
            for attr in ("activeTab", "firstSheet"):
                v = view.get(attr)
                if v is not None and v.isdigit() and int(v) >= index and index < len(existing):
                    view.set(attr, str(int(v) + 1))
        self._touch(self._wb_part)

    def delete_sheet(self, name: str) -> None:
        """Remove a sheet, every part only it used and the names scoped to it; references to
        it in the remaining defined names become ``#REF!`` (what Excel does)."""
        s = self._sheet(name)
        sheets = self._sheets()
        visible = [x for x in sheets if x.el.get("state", "visible") == "visible"]
        if len(sheets) == 1 or [x.name for x in visible] == [s.name]:
            raise ValueError(f"sheet {s.name!r} is the workbook's last visible sheet; "
                             "Excel needs one")
        self._check_removable(s)
        self._remove_sheet(s, names_to_ref=True)
        self._normalize_views()

    def order_sheets(self, names: list[str]) -> None:
        """Put the sheets in this order (every sheet named once)."""
        sheets = self._sheets()
        chosen = [self._sheet(n) for n in names]
        if sorted(x.index for x in chosen) != list(range(len(sheets))):
            raise ValueError("order_sheets needs every sheet of the workbook exactly once")
        new_index = {x.index: i for i, x in enumerate(chosen)}
        sheets_el = self._wb().find(q("sheets"))
        assert sheets_el is not None
        first = sheets[0].el
        anchor = first.getprevious()
        for x in sheets:
            sheets_el.remove(x.el)
        pos = 0 if anchor is None else sheets_el.index(anchor) + 1
        for i, x in enumerate(chosen):
            sheets_el.insert(pos + i, x.el)
        for dn in self._defined_names():
            lid = dn.get("localSheetId")
            if lid is not None and lid.isdigit() and int(lid) in new_index:
                dn.set("localSheetId", str(new_index[int(lid)]))
        for view in self._views():
            active = int(view.get("activeTab", "0"))
            if active in new_index:
                view.set("activeTab", str(new_index[active]))
            first_tab = int(view.get("firstSheet", "0"))
            if first_tab in new_index:
                view.set("firstSheet", str(new_index[first_tab]))
        self._touch(self._wb_part)
        self._normalize_views()

    def set_active(self, name: str) -> None:
        """Make a visible sheet the one Excel opens on (the only selected tab)."""
        s = self._sheet(name)
        if s.el.get("state", "visible") != "visible":
            raise ValueError(f"sheet {s.name!r} is hidden; show it before making it active")
        views = self._ensure_views()
        for view in views:
            view.set("activeTab", str(s.index))
        self._touch(self._wb_part)
        self._normalize_views()

    def set_sheet_state(self, name: str, state: SheetState) -> None:
        if state not in STATES:
            raise ValueError(f"sheet state must be one of {', '.join(STATES)}, not {state!r}")
        s = self._sheet(name)
        if state != "visible":
            others = [x for x in self._sheets()
                      if x.name != s.name and x.el.get("state", "visible") == "visible"]
            if not others:
                raise ValueError(f"sheet {s.name!r} is the last visible sheet; Excel needs one")
        if state == "visible" and "state" not in s.el.attrib:
            return
        s.el.set("state", state)
        self._touch(self._wb_part)
        self._normalize_views()

    def _ensure_views(self) -> list[Element]:
        views = self._views()
        if views:
            return views
        bv = etree.Element(q("bookViews"))
        etree.SubElement(bv, q("workbookView"))
        insert_in_order(self._wb(), bv, WORKBOOK_ORDER)
        self._touch(self._wb_part)
        return self._views()

    def _normalize_views(self) -> None:
        """activeTab names a visible sheet, firstSheet is not after it, and exactly the
        active sheet has its tab selected (more than one selected tab groups sheets)."""
        sheets = self._sheets()
        visible = [x.index for x in sheets if x.el.get("state", "visible") == "visible"]
        if not visible:
            raise _err("the workbook has no visible sheet")
        views = self._views()
        active = 0
        for n, view in enumerate(views):
            a = int(view.get("activeTab", "0") or 0)
            if a not in visible:
                later = [i for i in visible if i >= a]
                a = later[0] if later else visible[-1]
            if (view.get("activeTab") is not None or a != 0) and \
                    view.get("activeTab") != str(a):
                view.set("activeTab", str(a))
                self._touch(self._wb_part)
            f = int(view.get("firstSheet", "0") or 0)
            if f > a or f >= len(sheets):
                view.set("firstSheet", str(a))
                self._touch(self._wb_part)
            if n == 0:
                active = a
        if not views and 0 not in visible:
            views = self._ensure_views()
            views[0].set("activeTab", str(visible[0]))
            active = visible[0]
        for x in sheets:
            want = x.index == active
            if self._tab_selected(x.part) != want:
                self._set_tab_selected(x, want)

    _TAB_SELECTED = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetView\b[^>]*?\btabSelected\s*=\s*"
                               rb"[\"'](?:1|true)[\"']")

    def _tab_selected(self, part: str) -> bool:
        tree = self._trees.get(part)
        data = self._data[part]
        if tree is None and not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            tree = self._tree(part)  # not UTF-8 (UTF-16 is allowed): parse it
        if tree is None:
            end = data.find(b"sheetData")
            head = data if end < 0 else data[:end]
            return self._TAB_SELECTED.search(head) is not None
        for sv in tree.getroot().iter(q("sheetView")):
            if sv.get("tabSelected") in ("1", "true"):
                return True
        return False

    def _set_tab_selected(self, s: _Sheet, flag: bool) -> None:
        root = self._tree(s.part).getroot()
        views = root.find(q("sheetViews"))
        if views is None:
            if not flag:
                return
            views = etree.Element(q("sheetViews"))
            order = WORKSHEET_ORDER if s.kind != "chartsheet" else CHARTSHEET_ORDER
            insert_in_order(root, views, order)
        svs = views.findall(q("sheetView"))
        if not svs and flag:
            svs = [etree.SubElement(views, q("sheetView"), workbookViewId="0")]
        for sv in svs:
            if flag:
                sv.set("tabSelected", "1")
            elif "tabSelected" in sv.attrib:
                del sv.attrib["tabSelected"]
        self._touch(s.part)

    # ================================================================== replace_sheet
    def replace_sheet(self, name: str, source: bytes | str | os.PathLike[str] | Package,
                      source_sheet: str, *, index: int | None = None,
                      state: SheetState = "visible") -> None:
        """Put a copy of worksheet ``source_sheet`` of the package ``source`` in this workbook
        as sheet ``name``: in place of the sheet of that name (its position kept unless
        ``index`` is given), or added at ``index`` (default: last)."""
        if state not in STATES:
            raise ValueError(f"sheet state must be one of {', '.join(STATES)}, not {state!r}")
        src = source if isinstance(source, Package) else Package.read(source)
        ssrc = src._sheet(source_sheet)
        if ssrc.kind != "worksheet":
            raise _err(f"sheet {ssrc.name!r} of the source is a {ssrc.kind}; only "
                       "worksheets can be copied")
        try:
            old: _Sheet | None = self._sheet(name)
        except KeyError:
            old = None
        if old is None:
            self._check_new_name(name)
        else:
            self._check_removable(old)
        n_after = len(self._sheets()) - (1 if old else 0)
        if index is not None and not (isinstance(index, int) and 0 <= index <= n_after):
            raise ValueError(f"index must be between 0 and {n_after}, not {index!r}")

        # Copy everything from the source first: errors leave this package unchanged.
        plan = self._plan_copy(src, ssrc)

        was_active = False
        sheet_id: int | None = None
        code_name: str | None = None
        pos = n_after
        sheet_name = name
        if old is not None:
            pos = old.index
            was_active = self._active_index() == old.index
            sheet_id = int(old.el.get("sheetId", "0")) or None
            sheet_name = old.name if old.name.casefold() == name.casefold() else name
            pr = self._tree(old.part).getroot().find(q("sheetPr")) if old.kind in (
                "worksheet", "chartsheet") else None
            code_name = pr.get("codeName") if pr is not None else None
            self._remove_sheet(old, names_to_ref=False)
        if sheet_id is None:
            sheet_id = max([int(x.el.get("sheetId", "0")) for x in self._sheets()] + [0]) + 1
        idx = pos if index is None else index
        new_part = self._install_copy(src, ssrc, plan, sheet_name, code_name)

        rels = self._rels(self._wb_part)
        rid = rels.add(_opc.RT_WORKSHEET, new_part)
        self._save_rels(rels)
        el = etree.Element(q("sheet"))
        el.set("name", sheet_name)
        el.set("sheetId", str(sheet_id))
        if state != "visible":
            el.set("state", state)
        el.set(q("id", NS_R), rid)
        self._insert_sheet_el(el, idx)
        self._copy_local_names(src, ssrc, sheet_name, idx)
        if was_active and state == "visible":
            for view in self._ensure_views():
                view.set("activeTab", str(idx))
        self._drop_calc_chain()
        self._normalize_views()

    def _free_name(self, wanted: str, reserved: set[str]) -> str:
        d, base = posixpath.split(wanted)
        m = re.match(r"(.*?)(\d*)(\.[^.]*)?\Z", base)
        assert m is not None
        prefix, ext = m.group(1), m.group(3) or ""
        n = 1
        while True:
            cand = posixpath.join(d, f"{prefix}{n}{ext}")
            if cand.lower() not in self._lower and cand.lower() not in reserved:
                reserved.add(cand.lower())
                return cand
            n += 1

    def _plan_copy(self, src: Package, ssrc: _Sheet) -> dict[str, str]:
        """Source part → new part name for the sheet and everything it brings along."""
        reserved: set[str] = set()
        mapping = {ssrc.part: self._free_name("xl/worksheets/sheet.xml", reserved)}
        queue = [ssrc.part]
        while queue:
            part = queue.pop(0)
            rels = src._rels(part)
            for rel in rels.all():
                if rel.external:
                    continue
                if rel.type not in _COPYABLE:
                    raise _err(f"sheet {ssrc.name!r} of the source holds a part of type "
                               f"{rel.type.rsplit('/', 1)[-1]!r} that cannot be copied")
                tp = rels.target_part(rel)
                actual = src._find(tp or "")
                if actual is None:
                    raise _err(f"the source is damaged: /{tp} is missing")
                if actual not in mapping:
                    mapping[actual] = self._free_name(actual, reserved)
                    queue.append(actual)
        return mapping

    def _install_copy(self, src: Package, ssrc: _Sheet, mapping: dict[str, str],
                      new_name: str, code_name: str | None) -> str:
        importer = self._styles().importer(src._styles())
        rename = ssrc.name if ssrc.name != new_name else None
        table_ids = self._all_table_ids()
        table_names = self._all_table_names() | {
            dn.get("name", "").casefold() for dn in self._defined_names()}
        for part, new in mapping.items():
            ctype = src.content_type(part)
            if ctype is None:
                raise _err(f"the source is damaged: /{part} has no content type")
            if part == ssrc.part:
                tree = copy.deepcopy(src._tree(part))
                self._adapt_sheet(tree, src, importer, rename, new_name, code_name)
                self._put_tree(new, tree)
            elif ctype == _TABLE_CT:
                tree = copy.deepcopy(src._tree(part))
                self._adapt_table(tree.getroot(), importer, table_ids, table_names)
                self._put_tree(new, tree)
            elif ctype in _CHART_CTS and rename is not None:
                tree = copy.deepcopy(src._tree(part))
                for f in tree.getroot().iter():
                    if local(f) == "f" and f.text:
                        f.text = _refs.rewrite_sheet(f.text, rename, new_name)
                self._put_tree(new, tree)
            else:
                self._put_bytes(new, src._data[part])
            self._set_content_type(new, ctype)
            srels = src._rels(part)
            if srels.all():
                rels = Relationships(new, None)
                for rel in srels.all():
                    if rel.external:
                        rels.add(rel.type, rel.target, external=True, rid=rel.id)
                    else:
                        tp = srels.target_part(rel)
                        rels.add(rel.type, mapping[src._find(tp or "") or ""], rid=rel.id)
                self._rels_cache[new] = rels
                self._save_rels(rels)
        return mapping[ssrc.part]

    def _adapt_sheet(self, tree: Tree, src: Package, importer: StyleImporter,
                     rename: str | None, new_name: str, code_name: str | None) -> None:
        root = tree.getroot()
        sst = src._shared_items()
        for c in root.iter(q("c")):
            s = c.get("s")
            if s is not None and s.isdigit():
                c.set("s", str(importer.xf(int(s))))
            if c.get("t") == "s":
                v = c.find(q("v"))
                try:
                    si = sst[int(v.text or "") if v is not None else -1]
                except (ValueError, IndexError):
                    raise _err(f"the source is damaged: cell {c.get('r')} names a missing "
                               "shared string") from None
                assert v is not None
                c.remove(v)
                c.set("t", "inlineStr")
                is_ = etree.Element(q("is"))
                for child in si:
                    is_.append(copy.deepcopy(child))
                insert_in_order(c, is_, ("f", "v", "is", "extLst"))
        for row in root.iter(q("row")):
            s = row.get("s")
            if s is not None and s.isdigit():
                row.set("s", str(importer.xf(int(s))))
        for col in root.iter(q("col")):
            s = col.get("style")
            if s is not None and s.isdigit():
                col.set("style", str(importer.xf(int(s))))
        for rule in root.iter(q("cfRule")):
            d = rule.get("dxfId")
            if d is not None and d.isdigit():
                rule.set("dxfId", str(importer.dxf(int(d))))
        if rename is not None:
            for el in root.iter():
                if local(el) in ("f", "formula", "formula1", "formula2") and el.text:
                    el.text = _refs.rewrite_sheet(el.text, rename, new_name)
            for link in root.iter(q("hyperlink")):
                loc = link.get("location")
                if loc:
                    link.set("location", _refs.rewrite_sheet(loc, rename, new_name))
        for sv in root.iter(q("sheetView")):
            if "tabSelected" in sv.attrib:
                del sv.attrib["tabSelected"]
        pr = root.find(q("sheetPr"))
        if pr is not None and "codeName" in pr.attrib:
            taken = self._code_names()
            if code_name is None and pr.get("codeName", "").casefold() in taken:
                del pr.attrib["codeName"]
        if code_name is not None:
            if pr is None:
                pr = etree.Element(q("sheetPr"))
                insert_in_order(root, pr, WORKSHEET_ORDER)
            pr.set("codeName", code_name)

    def _code_names(self) -> set[str]:
        out = set()
        pr = self._wb().find(q("workbookPr"))
        if pr is not None and pr.get("codeName"):
            out.add(pr.get("codeName", "").casefold())
        for s in self._sheets():
            if s.kind in ("worksheet", "chartsheet"):
                sp = self._tree(s.part).getroot().find(q("sheetPr"))
                if sp is not None and sp.get("codeName"):
                    out.add(sp.get("codeName", "").casefold())
        return out

    def _all_tables(self) -> list[Element]:
        return [self._tree(p).getroot() for p in self._order
                if self._ct().get(p) == _TABLE_CT]

    def _all_table_ids(self) -> set[int]:
        return {int(t.get("id", "0")) for t in self._all_tables()}

    def _all_table_names(self) -> set[str]:
        out = set()
        for t in self._all_tables():
            out.add(t.get("name", "").casefold())
            out.add(t.get("displayName", "").casefold())
        return out

    def _adapt_table(self, table: Element, importer: StyleImporter, ids: set[int],
                     names: set[str]) -> None:
        new_id = max([*ids, 0]) + 1
        ids.add(new_id)
        table.set("id", str(new_id))
        base = table.get("displayName") or table.get("name") or "Table"
        cand = base
        n = 1
        while cand.casefold() in names:
            n += 1
            cand = f"{base}_{n}"
        names.add(cand.casefold())
        table.set("name", cand)
        table.set("displayName", cand)
        dxf_attrs = ("headerRowDxfId", "dataDxfId", "totalsRowDxfId", "headerRowBorderDxfId",
                     "tableBorderDxfId", "totalsRowBorderDxfId")
        for el in [table, *table.iter(q("tableColumn"))]:
            for attr in dxf_attrs:
                v = el.get(attr)
                if v is not None and v.isdigit():
                    el.set(attr, str(importer.dxf(int(v))))

    def _copy_local_names(self, src: Package, ssrc: _Sheet, new_name: str, idx: int) -> None:
        wanted = [dn for dn in src._defined_names()
                  if dn.get("localSheetId") == str(ssrc.index)]
        if not wanted:
            return
        container = self._wb().find(q("definedNames"))
        if container is None:
            container = etree.Element(q("definedNames"))
            insert_in_order(self._wb(), container, WORKBOOK_ORDER)
        for dn in wanted:
            new = copy.deepcopy(dn)
            new.set("localSheetId", str(idx))
            if new.text and ssrc.name != new_name:
                new.text = _refs.rewrite_sheet(new.text, ssrc.name, new_name)
            for old in container.findall(q("definedName")):
                if old.get("name", "").casefold() == new.get("name", "").casefold() and \
                        old.get("localSheetId") == str(idx):
                    container.remove(old)
            container.append(new)
        self._touch(self._wb_part)

    # ================================================================== inventory
    def inventory(self) -> list[InventoryItem]:
        """What the package holds, part by part (see :class:`InventoryItem`)."""
        from ._inventory import inventory
        return inventory(self)

    # ================================================================== writing
    def to_bytes(self) -> bytes:
        """The package as zip bytes. Deterministic: the same input and the same calls give
        the same bytes. Parts not changed keep their exact uncompressed bytes."""
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for name in self._order:
                data = serialize(self._trees[name]) if name in self._dirty else self._data[name]
                old = self._info.get(name)
                info = zipfile.ZipInfo(name, date_time=old.date_time if old else _FIXED_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0
                zf.writestr(info, data)
        return buf.getvalue()

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write the package to ``path`` atomically (a temporary file, then a rename); a
        symbolic link is followed, so its target is updated and the link stays a link."""
        target = Path(os.path.realpath(path))
        data = self.to_bytes()
        fd, tmp = tempfile.mkstemp(prefix=".~", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            if target.exists():
                os.chmod(tmp, target.stat().st_mode & 0o7777)
            os.replace(tmp, target)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise


def _normalise(value: object) -> object:
    """numbers.Integral / numbers.Real (NumPy scalars…) as int / float; others unchanged."""
    if isinstance(value, bool | int | float | str | dt.date) or value is None:
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return value


def _check_value(value: object, where: str, date1904: bool) -> None:
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, int | float):
        _values.number_text(value, where)
        return
    if isinstance(value, str):
        _values.check_text(value, where)
        return
    if isinstance(value, dt.date):
        _values.date_serial(value, date1904, where)
        return
    raise TypeError(f"{where}: cannot store a {type(value).__name__} "
                    "(use None, bool, int, float, str, date or datetime)")


def _unshare_plan(group: list[Element], sheet: str) -> list[tuple[Element, str]]:
    """(formula element, its own formula text) for every cell of a shared-formula group, the
    text translated from the master's, so that writing over any one of the cells leaves the
    others computing what they computed (ECMA-376 Part 1 §18.3.1.40, shared formulas)."""
    from openpyxl.formula.translate import Translator, TranslatorError

    master = group[0]
    mf = master.find(q("f"))
    if mf is None or mf.get("ref") is None or not (mf.text or "").strip():
        return []
    text = mf.text or ""
    origin = master.get("r", "A1")
    out: list[tuple[Element, str]] = []
    for c in group:
        f = c.find(q("f"))
        if f is None:
            continue
        if c is master:
            out.append((f, text))
            continue
        try:
            translated = str(Translator("=" + text, origin=origin).translate_formula(
                c.get("r", "A1")))
        except (TranslatorError, ValueError, KeyError) as e:
            raise PackageError(f"the shared formula of {sheet}!{origin} cannot be split "
                               f"({e}); nothing was written") from None
        out.append((f, translated[1:]))
    return out


@dataclass(frozen=True)
class InventoryItem:
    """One thing found in a package: ``part`` (zip member), ``what`` it is, the ``sheet`` it
    belongs to (None for workbook-level parts), how many (``count``) and whether a plain
    openpyxl load + save would lose it (``openpyxl_drops``, as of openpyxl 3.1)."""

    part: str
    what: str
    sheet: str | None
    count: int = 1
    openpyxl_drops: bool = False

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter((self.part, self.what, self.sheet))


_MINIMAL_STYLES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    b'<styleSheet xmlns="' + NS_MAIN.encode() + b'">'
    b'<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    b'<fills count="2"><fill><patternFill patternType="none"/></fill>'
    b'<fill><patternFill patternType="gray125"/></fill></fills>'
    b'<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    b'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    b'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    b'<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    b'</styleSheet>')

__all__ = ["InventoryItem", "Package", "PackageError", "SheetKind", "SheetState"]
