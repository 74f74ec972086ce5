"""Reading an input sheet by meaning: headings find columns, IDs find rows.

Works on a 2-D grid of cell values (what one block read returns, from openpyxl or from
xlwings), so the same code serves files and live Excel. Added columns, reordered columns
and the year in a heading are tolerated; what does not fit becomes a finding.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from xlplan.core.findings import Finding, Level
from xlplan.core.layout import Kind, columns_for, heading_keys
from xlplan.core.model import RowData

HEADER_SEARCH_ROWS = 10
EXCEL_ERRORS = frozenset({"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!",
                          "#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!",
                          "#CONNECT!", "#BUSY!", "#UNKNOWN!"})
ID_PATTERN = re.compile(r"^4-[123]-\d{2,}$")

Grid = Sequence[Sequence[object]]


def col_letter(n: int) -> str:
    """1 → A, 27 → AA."""
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


@dataclass(slots=True)
class SheetLayout:
    sheet: str  # "4-1"
    tab: str  # "4-1入力"
    header_row: int  # 1-based
    cols: dict[str, int]  # column key → 1-based column index
    unknown: list[str] = field(default_factory=list)  # headings we do not know (kept as is)

    def addr(self, key: str, row: int) -> str:
        return f"{col_letter(self.cols[key])}{row}"


def locate(sheet: str, tab: str, grid: Grid) -> tuple[SheetLayout | None, list[Finding]]:
    """Find the heading row and map every known heading to its column."""
    keys = heading_keys(sheet)
    from xlplan.core.layout import heading_key

    best: tuple[int, dict[str, int], list[str]] | None = None
    for r, line in enumerate(grid[:HEADER_SEARCH_ROWS], start=1):
        found: dict[str, int] = {}
        unknown: list[str] = []
        for c, v in enumerate(line, start=1):
            if v is None or str(v).strip() == "":
                continue
            k = keys.get(heading_key(v))
            if k is not None and k not in found:
                found[k] = c
            else:
                unknown.append(str(v))
        if best is None or len(found) > len(best[1]):
            best = (r, found, unknown)
    findings: list[Finding] = []
    if best is None or len(best[1]) < 3:
        findings.append(Finding(
            "header_not_found", Level.ERROR, tab, "",
            f"「{tab}」シートに見出し行（ID・成果指標・基準値…）が見つかりません。",
            "テンプレートの見出し行を消したり書き換えたりしていないか確認し、テンプレートから見出し行をコピーしてください。"))
        return None, findings
    header_row, found, unknown = best
    layout = SheetLayout(sheet, tab, header_row, found, unknown)
    for col in columns_for(sheet):
        if col.key not in found:
            important = col.kind in (Kind.KEY, Kind.VALUE, Kind.COMPUTED) or col.required
            findings.append(Finding(
                "heading_missing", Level.ERROR if important else Level.WARNING, tab,
                f"{col_letter(1)}{header_row}",
                f"「{tab}」シートに見出し「{col.heading.format(base='…', fy='…', mid='…', final='…')}」の列がありません。",
                "列を削除・改名していないか確認し、テンプレートの見出しのとおりに戻してください。"))
    return layout, findings


def _is_blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and v.strip() == "")


def rows_from_grid(layout: SheetLayout, grid: Grid) -> tuple[list[RowData], list[Finding]]:
    """Every non-empty row below the headings, with findings for broken cells and IDs."""
    rows: list[RowData] = []
    findings: list[Finding] = []
    seen: dict[str, str] = {}
    id_col = layout.cols.get("id")
    input_keys = [c.key for c in columns_for(layout.sheet) if c.kind is not Kind.COMPUTED and c.key in layout.cols]
    for r in range(layout.header_row + 1, len(grid) + 1):
        line = grid[r - 1]
        values: dict[str, object] = {}
        addr: dict[str, str] = {}
        for key, c in layout.cols.items():
            v = line[c - 1] if c - 1 < len(line) else None
            values[key] = v
            addr[key] = f"{col_letter(c)}{r}"
        if all(_is_blank(values.get(k)) for k in input_keys):
            continue
        rid = "" if id_col is None else str(values.get("id") or "").strip()
        for key in input_keys:
            v = values[key]
            if isinstance(v, str) and v.startswith("="):
                findings.append(Finding(
                    "formula_in_input", Level.ERROR, layout.tab, addr[key],
                    f"入力欄に数式「{v[:40]}」が入っています。",
                    "数式ではなく値を入力してください（コピーする場合は「値の貼り付け」）。", rid))
            elif isinstance(v, str) and v.strip() in EXCEL_ERRORS:
                findings.append(Finding(
                    "excel_error", Level.ERROR, layout.tab, addr[key],
                    f"入力欄がExcelのエラー値「{v.strip()}」になっています。",
                    "正しい値を入力し直してください。", rid))
        if rid:
            if rid in seen:
                findings.append(Finding(
                    "duplicate_id", Level.ERROR, layout.tab, addr["id"],
                    f"ID「{rid}」が{seen[rid]}と重複しています。",
                    "行をコピーして追加した場合は、新しい行のIDを空欄にしてください（再計算で新しいIDが付きます）。", rid))
            else:
                seen[rid] = addr["id"]
        rows.append(RowData(layout.sheet, layout.tab, r, rid, values, addr))
    return rows, findings


def next_ids(sheet: str, existing: Sequence[str], count: int) -> list[str]:
    """``count`` new IDs for a sheet, after the highest one in use."""
    top = 0
    prefix = f"{sheet}-"
    for i in existing:
        if i.startswith(prefix) and i[len(prefix):].isdigit():
            top = max(top, int(i[len(prefix):]))
    return [f"{sheet}-{top + k:02d}" for k in range(1, count + 1)]
