"""The email round trip on files: send out (split), take back (merge), roll the year over.

The decisions are made by the pure :mod:`xlplan.core.merge`; this module opens and
writes workbooks with openpyxl. Returned copies are opened read-only, as data only:
macros are never kept or run, external links are not loaded, formulas are refused, and
no sheet, name or style of a returned copy is ever copied into the master. The master is
backed up before the first write and replaced atomically
(:func:`xlplan.book.io.save_master`), once, after every file has been looked at.

Three entry points, called alike by the CLI, the ribbon and the server:
:func:`split_master`, :func:`merge_into_master`, :func:`rollover_master`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import uuid
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.worksheet import Worksheet

from xlplan.book import styles
from xlplan.book.io import (
    BookError,
    atomic_save,
    check_writable,
    lock_file,
    open_workbook,
    save_master,
    sniff,
)
from xlplan.book.master import Master, compute_all, grid_of, read_master, recompute
from xlplan.book.meta import (
    drop_legacy_fingerprints,
    meta_append,
    meta_drop,
    meta_grid,
    meta_set,
    meta_ws,
    set_text,
)
from xlplan.book.report_sheets import REPORT_NAMES, render
from xlplan.book.settings_sheet import write_settings_sheet
from xlplan.core import merge as core
from xlplan.core.compute import RowResult, cell_text
from xlplan.core.findings import Finding, Level
from xlplan.core.layout import (
    CHANGES_SHEET,
    CHECK_SHEET,
    HISTORY_SHEET,
    INPUT_SHEET,
    META_SHEET,
    SETTINGS_SHEET,
    SHEETS,
    TABLE_NAME,
    TARGETS_SHEET,
    TEMPLATE_VERSION,
    Kind,
    columns_for,
    fiscal_year_words,
)
from xlplan.core.merge import CellChange, Conflict, MergePlan, Stamp
from xlplan.core.meta import is_report_fp
from xlplan.core.model import RowData
from xlplan.core.sheetread import locate, rows_from_grid
from xlplan.render import recompute_and_lay_out

Progress = Callable[[Iterable[Path]], Iterable[Path]]


ISSUER = "xlplan（配布時のまま）"  # lastModifiedBy of a copy nobody has saved since issue
UNKNOWN_SAVER = "（不明）"
BLANK_WORDS = frozenset({"", "－", "―", "-", "ー"})

# ============================================================================ _xlplan sheet
# (the openpyxl helpers are in xlplan.book.meta)


def master_id(wb: Workbook, *, create: bool = False) -> str | None:
    """The master's identity (a UUID in ``_xlplan``), created on the first split."""
    mid = core.meta_value(meta_grid(wb), core.MASTER_ID)
    if mid is None and create:
        mid = str(uuid.uuid4())
        meta_set(meta_ws(wb), core.MASTER_ID, mid)
    return mid


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now()).replace(microsecond=0)


# ============================================================================ plain tables
# 変更履歴, 過去実績 and 目標変更履歴 are plain tables: headings in row 1, one record a row.


@dataclass(frozen=True)
class Table:
    sheet: str
    columns: tuple[tuple[str, str], ...]  # (key, Japanese heading)
    widths: Mapping[str, float] = field(default_factory=dict)

    @property
    def headings(self) -> list[str]:
        return [h for _, h in self.columns]

    def sheet_of(self, wb: Workbook, *, create: bool = True) -> Worksheet | None:
        if self.sheet in wb.sheetnames:
            return wb[self.sheet]
        if not create:
            return None
        ws = wb.create_sheet(self.sheet)
        styles.register_styles(wb)
        for j, (key, h) in enumerate(self.columns, start=1):
            c = ws.cell(1, j, h)
            c.style = styles.STYLE_HEADER
            ws.column_dimensions[c.column_letter].width = self.widths.get(key, 14)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{ws.cell(1, len(self.columns)).column_letter}1"
        return ws

    def records(self, wb: Workbook) -> list[dict[str, object]]:
        """Rows as dicts by key, columns found by heading (reordering is fine)."""
        if self.sheet not in wb.sheetnames:
            return []
        return self.records_from_grid(grid_of(wb[self.sheet]))

    def records_from_grid(self, grid: Sequence[Sequence[object]]) -> list[dict[str, object]]:
        if not grid:
            return []
        by_heading = {h: k for k, h in self.columns}
        cols = {by_heading[str(v).strip()]: i for i, v in enumerate(grid[0])
                if v is not None and str(v).strip() in by_heading}
        out = []
        for n, line in enumerate(grid[1:], start=2):
            rec: dict[str, object] = {k: (line[i] if i < len(line) else None) for k, i in cols.items()}
            if all(v is None or str(v).strip() == "" for v in rec.values()):
                continue
            rec["_row"] = n
            out.append(rec)
        return out

    def append(self, wb: Workbook, rows: Iterable[Mapping[str, object]]) -> int:
        """Append records (written at the columns where their headings are now)."""
        ws = self.sheet_of(wb)
        assert ws is not None
        heads = {str(c.value).strip(): c.column for c in ws[1] if c.value is not None}
        start = _last_used_row(ws) + 1
        n = 0
        for n, rec in enumerate(rows, start=1):
            for key, h in self.columns:
                if key in rec and h in heads:
                    cell = ws.cell(start + n - 1, heads[h])
                    set_text(cell, rec[key])
                    cell.alignment = Alignment(vertical="top", wrap_text=True)
        if n:
            last = ws.cell(1, max(heads.values())).column_letter
            ws.auto_filter.ref = f"A1:{last}{start + n - 1}"
        return n


def _last_used_row(ws: Worksheet) -> int:
    r = int(ws.max_row)
    while r > 1 and all(c.value is None for c in ws[r]):
        r -= 1
    return r


CHANGES = Table(CHANGES_SHEET, (
    ("at", "日時"), ("action", "操作"), ("file", "ファイル"), ("saved_by", "保存者"),
    ("tab", "シート"), ("id", "ID"), ("indicator", "成果指標"), ("column", "列"),
    ("old", "変更前"), ("new", "変更後"), ("group", "配布先"), ("issue_id", "配布ID"),
    ("key", "列キー"),
), {"at": 18, "file": 28, "indicator": 30, "column": 18, "old": 30, "new": 30, "issue_id": 12})

HISTORY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("fiscal_year", "年度"), ("era", "年度（和暦）"), ("sheet", "資料"), ("id", "ID"),
    ("major", "大項目"), ("middle", "中項目"), ("minor", "小項目"), ("program", "取組名"),
    ("indicator", "成果指標"), ("owner", "担当課"), ("direction", "方向"),
    ("baseline", "基準値"), ("actual", "実績値"), ("projection", "見込値"),
    ("basis", "見込値の算出根拠"), ("mid_target", "中間目標"), ("final_target", "最終目標"),
    ("status_text", "取組状況"), ("miss_reason", "中間目標が未達成となった理由"),
    ("countermeasure", "未達成の場合の対策"), ("challenges", "取組を行っている上での課題"),
    ("policy", "今後の取組方針・対策"), ("questions", "専門家に聞きたいこと"),
    ("trend", "矢印"), ("mark", "判定"), ("progress", "進捗率"), ("evaluated", "評価値"),
    ("eval_basis", "評価に用いた値"), ("trend_override", "矢印（手動判定）"),
    ("mark_override", "判定（手動判定）"), ("override_reason", "手動判定の理由"),
    ("explanation", "判定の根拠"), ("archived_at", "記録日時"),
)
HISTORY = Table(HISTORY_SHEET, HISTORY_COLUMNS, {"indicator": 30, "explanation": 40})

TARGET_KINDS = {"中間目標": "mid_target", "最終目標": "final_target",
                "mid_target": "mid_target", "final_target": "final_target"}
TARGET_WORDS = {"mid_target": "中間目標", "final_target": "最終目標"}
TARGETS = Table(TARGETS_SHEET, (
    ("date", "日付"), ("id", "ID"), ("indicator", "成果指標"), ("target", "目標"),
    ("old", "変更前"), ("new", "変更後"), ("reason", "理由"), ("state", "状態"),
    ("fiscal_year", "適用年度"),
), {"indicator": 30, "reason": 40, "old": 16, "new": 16})
STATE_APPLIED = "適用済"
STATE_RECORDED = "記録のみ"
STATE_PENDING = "適用待ち"


# ============================================================================ split

GROUP_KEYS = ("owner", "sheet", "major", "middle", "minor", "program")
GROUP_WORDS = {"owner": "担当課", "sheet": "資料", "major": "大項目", "middle": "中項目",
               "minor": "小項目", "program": "取組名"}
# One owner cell may name several departments (「税務課、県警」): each gets the row.
_OWNER_SPLIT = re.compile(r"[、，,／/\n]+")
_BAD_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
# Sheets a copy keeps; everything else (printed reports, 集計, 変更履歴, チェック結果,
# the secretariat's own sheets) stays in the master.
COPY_SHEETS = (*INPUT_SHEET.values(), SETTINGS_SHEET, HISTORY_SHEET, META_SHEET)


@dataclass
class IssuedFile:
    path: Path
    group: str
    issue_id: str
    row_ids: list[str]


@dataclass
class SplitResult:
    master: Path
    master_id: str
    by: str
    issued_at: str
    files: list[IssuedFile]
    unassigned: list[RowData]  # rows with no value in the chosen column (not issued)
    findings: list[Finding]
    backup: Path | None = None


def group_values(row: RowData, by: str) -> list[str]:
    """The group(s) a row belongs to; [] when its cell is blank."""
    if by == "sheet":
        return [row.sheet]
    text = cell_text(row.values.get(by))
    if by == "owner":
        parts = [p.strip() for p in _OWNER_SPLIT.split(text)]
    else:
        parts = [text.replace("\n", "").strip()]
    return [p for p in parts if p not in BLANK_WORDS]


def id_ranges(ids: Sequence[str]) -> str:
    """["4-1-01", "4-1-02", "4-1-03", "4-2-05"] → "4-1-01～4-1-03、4-2-05"."""
    out: list[list[str]] = []
    prev: tuple[str, int] | None = None
    for i in ids:
        head, _, num = i.rpartition("-")
        cur = (head, int(num)) if num.isdigit() else None
        if out and cur and prev and cur[0] == prev[0] and cur[1] == prev[1] + 1:
            out[-1][1] = i
        else:
            out.append([i, i])
        prev = cur
    return "、".join(a if a == b else f"{a}～{b}" for a, b in out)


def safe_filename(text: str, limit: int = 60) -> str:
    s = _BAD_FILENAME.sub("_", text).strip(" .")
    return (s[:limit].rstrip(" .") or "_")


def split_master(master_path: Path | str, out_dir: Path | str, *, by: str = "owner",
                 include_unassigned: bool = False, now: datetime | None = None) -> SplitResult:
    """Write one copy per group into ``out_dir`` and record the issue in the master.

    Each copy is the master itself (same template version, styles, validation,
    protection) holding only the group's rows, its 設定 and its rows' 過去実績, stamped in
    ``_xlplan`` with the master's ID, the issue time and a fingerprint of every issued
    row. Rows with no value for ``by`` are returned in ``unassigned`` (and issued as one
    more copy named 未設定 with ``include_unassigned``).
    """
    if by not in GROUP_KEYS:
        raise ValueError(f"--by must be one of {', '.join(GROUP_KEYS)}")
    master_path = Path(master_path)
    out = Path(out_dir)
    check_writable(master_path)
    wb = open_workbook(master_path)
    data = master_path.read_bytes()
    master = read_master(wb, master_path)
    require_ids(master, master_path)
    stamp_time = _now(now)
    # Not ISO with a "T": xlwings' remote engine reads such text back as a datetime.
    issued_at = stamp_time.isoformat(sep=" ", timespec="seconds")
    mid = master_id(wb, create=True)
    assert mid is not None

    groups: dict[str, list[RowData]] = {}
    unassigned: list[RowData] = []
    for r in master.all_rows():
        values = group_values(r, by)
        if not values:
            unassigned.append(r)
        for v in values:
            groups.setdefault(v, []).append(r)
    if include_unassigned and unassigned:
        groups["未設定"] = list(unassigned)

    findings: list[Finding] = []
    if unassigned:
        ids = id_ranges([r.id for r in unassigned])
        findings.append(Finding(
            "split_unassigned", Level.WARNING, "", "",
            f"「{GROUP_WORDS[by]}」が空欄の行が{len(unassigned)}行あります"
            f"（{'「未設定」のファイルで配布' if include_unassigned else '配布していません'}）：{ids}",
            f"各行の「{GROUP_WORDS[by]}」を入力してから配布し直すか、--unassigned で「未設定」のファイルとして配布してください。"))
    out.mkdir(parents=True, exist_ok=True)
    plans: list[tuple[Path, Stamp]] = []
    used: set[str] = set()
    for group, rows in groups.items():
        name = f"{safe_filename(master_path.stem, 40)}_{safe_filename(group)}"
        while name.lower() in used:
            name += "_"
        used.add(name.lower())
        path = out / f"{name}.xlsx"
        check_writable(path)
        plans.append((path, Stamp(mid, str(uuid.uuid4()), issued_at, by, group, master_path.name,
                                  tuple(core.issue_row(r) for r in rows))))
    # The master records its identity and the issues first: a copy must never carry an
    # identity its master does not hold.
    meta = meta_ws(wb)
    for path, stamp in plans:
        meta_append(meta, core.IssueRecord(stamp.issue_id, issued_at, by, stamp.group, path.name,
                                            tuple(r.id for r in stamp.rows)).as_row())
    _, bak = save_master(wb, master_path)
    files: list[IssuedFile] = []
    for path, stamp in plans:
        copy = load_workbook(io.BytesIO(data), rich_text=False)
        _make_copy(copy, {r.id for r in stamp.rows}, stamp)
        atomic_save(copy, path)
        files.append(IssuedFile(path, stamp.group, stamp.issue_id, [r.id for r in stamp.rows]))
    return SplitResult(master_path, mid, by, issued_at, files, unassigned, findings, bak)


class _MasterRows(Protocol):
    """An openpyxl :class:`Master` or the ribbon's ``XwMaster``: rows and findings."""

    findings: list[Finding]

    def all_rows(self) -> list[RowData]: ...


def require_ids(master: _MasterRows, path: Path) -> None:
    """Refuse a master whose rows cannot be matched by ID (duplicate or missing IDs, a
    broken layout), before anything is read from returned copies or written."""
    dup = [f for f in master.findings if f.code == "duplicate_id"]
    if dup:
        raise BookError("duplicate_id", path,
                        f"マスターでIDが重複しています（{dup[0].sheet}!{dup[0].cell}「{dup[0].row_id}」ほか）。",
                        "重複した行のIDを空欄にして xlplan recompute で新しいIDを付けてから、もう一度実行してください。",
                        "duplicate IDs in the master")
    missing = [r for r in master.all_rows() if not r.id]
    if missing:
        r = missing[0]
        raise BookError("id_missing", path,
                        f"IDのない行があります（{r.tab} {r.row}行目ほか{len(missing)}行）。",
                        "xlplan recompute でIDを付けてから、もう一度実行してください。",
                        "rows without an ID in the master")
    bad = [f for f in master.findings if f.code in ("sheet_missing", "header_not_found")]
    if bad:
        raise BookError("layout", path, bad[0].message, bad[0].fix, "master layout is broken")


def _make_copy(wb: Workbook, keep: set[str], stamp: Stamp) -> None:
    """Turn a fresh load of the master into the copy for one group."""
    for ws in list(wb.worksheets):
        if ws.title not in COPY_SHEETS:
            wb.remove(ws)
    drop_legacy_fingerprints(wb)
    for name in list(wb.defined_names):
        if _removed_names(wb, wb.defined_names[name].attr_text or ""):
            del wb.defined_names[name]
    master = read_master(wb)
    first_with_rows = None
    for key, sheet in master.sheets.items():
        ws = sheet.ws
        lay = sheet.layout
        kept = [r for r in sheet.rows if r.id in keep]
        if kept and first_with_rows is None:
            first_with_rows = ws
        heights = [ws.row_dimensions[r.row].height for r in kept]
        drop = sorted((r.row for r in sheet.rows if r.id not in keep), reverse=True)
        for start, n in _runs(drop):
            ws.delete_rows(start, n)
        first = lay.header_row + 1
        last = first + len(kept) - 1
        for i, h in enumerate(heights):
            ws.row_dimensions[first + i].height = h
        for r in list(ws.row_dimensions):
            if r > last:
                del ws.row_dimensions[r]
        locked = [c for c in columns_for(key)
                  if c.kind is not Kind.COMPUTED and not c.editable_by_staff and c.key in lay.cols]
        for i in range(len(kept)):
            for c in locked:
                ws.cell(first + i, lay.cols[c.key]).protection = Protection(locked=True)
        _fit_table(ws, key, max(last, first))
    if HISTORY_SHEET in wb.sheetnames:
        ws = wb[HISTORY_SHEET]
        recs = HISTORY.records_from_grid(grid_of(ws))
        drop = sorted((int(str(r["_row"])) for r in recs if str(r.get("id") or "") not in keep),
                      reverse=True)
        for start, n in _runs(drop):
            ws.delete_rows(start, n)
    meta = meta_ws(wb)
    # The printed reports' fingerprints (report_fp.*) would describe sheets the copy lacks.
    meta_drop(meta, lambda s: s in (core.MASTER_ID, core.ISSUE_LOG, core.MERGE_LOG, core.ROLLED_FROM)
              or s.startswith(core.STAMP_PREFIX) or is_report_fp(s))
    for line in core.stamp_rows(stamp):
        meta_append(meta, line)
    meta.sheet_state = "veryHidden"
    meta.protection = SheetProtection(sheet=True)
    wb.properties.lastModifiedBy = ISSUER
    wb.properties.subject = f"{GROUP_WORDS.get(stamp.group_by, stamp.group_by)}：{stamp.group}"
    wb.properties.keywords = f"xlplan issue {stamp.issue_id}"
    if first_with_rows is not None:
        wb.active = wb.worksheets.index(first_with_rows)
        for ws in wb.worksheets:
            ws.sheet_view.tabSelected = ws is first_with_rows


def _removed_names(wb: Workbook, text: str) -> list[str]:
    """Sheet names a defined name refers to that the copy no longer has."""
    refs = re.findall(r"'((?:[^']|'')+)'!|([^\s'!=,()]+)!", text)
    names = [a.replace("''", "'") or b for a, b in refs]
    return [n for n in names if n not in wb.sheetnames]


def _runs(rows_desc: Sequence[int]) -> list[tuple[int, int]]:
    """Descending row numbers → (start, count) runs, bottom first, for delete_rows."""
    out: list[tuple[int, int]] = []
    for r in rows_desc:
        if out and out[-1][0] == r + 1:
            out[-1] = (r, out[-1][1] + 1)
        else:
            out.append((r, 1))
    return out


def _fit_table(ws: Worksheet, sheet: str, last_row: int) -> None:
    table = ws.tables.get(TABLE_NAME[sheet])
    if table is None:
        return
    start, end = table.ref.split(":")
    col = re.match(r"[A-Z]+", end)
    assert col is not None
    table.ref = f"{start}:{col.group(0)}{last_row}"
    if table.autoFilter is not None:
        table.autoFilter.ref = table.ref


# ============================================================================ merge


class Status:
    MERGED = "merged"  # changes applied (maybe with findings)
    NOTHING = "nothing"  # read fine, nothing to apply
    CONFLICTS = "conflicts"  # some cells not applied: see conflicts
    REFUSED = "refused"  # read, but nothing taken (wrong master/version, no stamp)
    FAILED = "failed"  # could not be read


STATUS_JA = {
    Status.MERGED: "取込済",
    Status.NOTHING: "変更なし",
    Status.CONFLICTS: "競合あり",
    Status.REFUSED: "取込せず",
    Status.FAILED: "読めません",
}


@dataclass
class FileReport:
    path: Path
    status: str = Status.NOTHING
    saved_by: str = UNKNOWN_SAVER
    group: str = ""
    issue_id: str = ""
    issued_at: str = ""
    sha256: str = ""
    changes: list[CellChange] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unchanged: int = 0
    already: int = 0
    rows: int = 0

    @property
    def name(self) -> str:
        return self.path.name

    def counts(self) -> dict[str, int]:
        lv = [f.level for f in self.findings]
        return {"changes": len(self.changes), "conflicts": len(self.conflicts),
                "errors": lv.count(Level.ERROR), "warnings": lv.count(Level.WARNING),
                "unchanged": self.unchanged, "already": self.already, "rows": self.rows}

    def summary_ja(self) -> str:
        c = self.counts()
        who = f"、保存者 {self.saved_by}" if self.saved_by != UNKNOWN_SAVER else ""
        grp = f"（{self.group}）" if self.group else ""
        return (f"{self.name}{grp}：{STATUS_JA[self.status]} — 反映 {c['changes']}セル、"
                f"競合 {c['conflicts']}、エラー {c['errors']}、警告 {c['warnings']}、"
                f"取込済・同じ値 {c['already']}、未変更 {c['unchanged']}{who}")

    def summary_en(self) -> str:
        c = self.counts()
        return (f"{self.status}: {c['changes']} applied, {c['conflicts']} conflicts, "
                f"{c['errors']} errors, {c['warnings']} warnings")


@dataclass
class MergeReport:
    master: Path | None
    files: list[FileReport]
    dry_run: bool
    at: str
    master_findings: list[Finding] = field(default_factory=list)
    saved: Path | None = None
    backup: Path | None = None
    recomputed_cells: int = 0
    report_path: Path | None = None

    @property
    def changes(self) -> list[CellChange]:
        return [c for f in self.files for c in f.changes]

    @property
    def conflicts(self) -> list[Conflict]:
        return [c for f in self.files for c in f.conflicts]

    @property
    def ok(self) -> bool:
        """True when every file was read and merged without conflicts or errors."""
        return all(f.status in (Status.MERGED, Status.NOTHING)
                   and not any(x.level is Level.ERROR for x in f.findings) for f in self.files)

    def cell_writes(self) -> list[tuple[str, str, object]]:
        """(tab, cell, value) of every applied change: what a live-Excel adapter writes."""
        return [(c.tab, c.master_cell, c.new) for c in self.changes]


@dataclass
class MasterView:
    """What the merge needs from the master, read once: from an openpyxl master
    (:func:`view_of_master`) or from the ribbon's live book (:func:`view_of_xw_master`)."""

    rows: dict[str, RowData]  # ID → row
    headings: dict[tuple[str, str], str]  # (sheet, column key) → heading as the master words it
    master_id: str | None
    issues: list[core.IssueRecord]
    merged_before: dict[str, str]  # sha256 of a merged file → when
    applied: set[core.AppliedKey]  # changes recorded in the 変更履歴
    findings: list[Finding]  # the master's own errors (reported, not fatal)
    path: Path | None = None


def _view(sheets: Mapping[str, tuple[Any, Sequence[RowData], Sequence[object]]],
          meta: Sequence[Sequence[object]], changes_grid: Sequence[Sequence[object]],
          findings: Sequence[Finding], path: Path | None) -> MasterView:
    rows: dict[str, RowData] = {}
    headings: dict[tuple[str, str], str] = {}
    for key, (layout, sheet_rows, header) in sheets.items():
        for r in sheet_rows:
            if r.id:
                rows[r.id] = r
        for k, col in layout.cols.items():
            v = header[col - 1] if col - 1 < len(header) else None
            headings[(key, k)] = cell_text(v).replace("\n", "")
    dup = [f for f in findings if f.code == "duplicate_id"]
    if dup:
        raise BookError("duplicate_id", path or Path("master"),
                        f"マスターでIDが重複しています（{dup[0].sheet}!{dup[0].cell}「{dup[0].row_id}」ほか）。",
                        "重複した行のIDを空欄にして xlplan recompute で新しいIDを付けてから、もう一度実行してください。",
                        "duplicate IDs in the master")
    merged_before = {str(line[2]): str(line[3]) for line in meta
                     if core.meta_label(line) == core.MERGE_LOG and len(line) > 3}
    applied = {core.applied_key(str(r.get("issue_id") or ""), str(r.get("id") or ""),
                                str(r.get("key") or ""), core.canonical(r.get("new")))
               for r in CHANGES.records_from_grid(changes_grid)
               if r.get("issue_id") and r.get("key")}
    return MasterView(rows, headings, core.meta_value(meta, core.MASTER_ID),
                      core.issue_log(meta), merged_before, applied,
                      [f for f in findings if f.level is Level.ERROR], path)


def view_of_master(m: Master) -> MasterView:
    wb = m.wb
    sheets = {k: (s.layout, s.rows, [c.value for c in s.ws[s.layout.header_row]])
              for k, s in m.sheets.items()}
    changes = grid_of(wb[CHANGES_SHEET]) if CHANGES_SHEET in wb.sheetnames else []
    return _view(sheets, meta_grid(wb), changes, m.findings, m.path)


def view_of_xw_master(xm: Any, path: Path | None = None) -> MasterView:
    """The same view from :class:`xlplan.book.xw_book.XwMaster` (the open book in Excel).

    ``path``: where the open book is saved, when known, so that choosing the master
    itself as a returned file is refused (``merge_is_master``)."""
    sheets = {k: (s.layout, s.rows, s.grid[s.layout.header_row - 1] if len(s.grid) >= s.layout.header_row else [])
              for k, s in xm.sheets.items()}
    meta = xm.grid(META_SHEET) if META_SHEET in xm.sheet_names else []
    changes = xm.grid(CHANGES_SHEET) if CHANGES_SHEET in xm.sheet_names else []
    return _view(sheets, meta, changes, xm.findings, path)


def plan_returns(view: MasterView, returned: Sequence[Path | str], *, dry_run: bool = False,
                 now: datetime | None = None, progress: Progress | None = None) -> MergeReport:
    """Read every returned copy and decide what the master takes. Writes nothing.

    Files are considered in the order given, each against the master as the files
    before it leave it; one bad file never stops the others.
    """
    at = _now(now).isoformat(sep=" ", timespec="seconds")
    report = MergeReport(view.path, [], dry_run, at, list(view.findings))
    rows = dict(view.rows)
    applied: set[core.AppliedKey] = set(view.applied)
    seq = [Path(p) for p in returned]
    it: Iterable[Path] = progress(seq) if progress is not None else seq
    for rp in it:
        fr = FileReport(rp)
        report.files.append(fr)
        if view.path is not None and rp.resolve() == view.path.resolve():
            fr.status = Status.REFUSED
            fr.findings.append(_file_finding(rp, "merge_is_master", Level.ERROR,
                                             "マスター自身が返送ファイルとして指定されました。",
                                             "返送されたファイルを指定してください。"))
            continue
        try:
            got = read_returned(rp)
        except BookError as e:
            fr.status = Status.FAILED
            fr.findings.append(Finding(e.code, Level.ERROR, "", "", e.message, e.fix, file=rp.name))
            continue
        except Exception as e:  # one broken file must never stop the others
            fr.status = Status.FAILED
            fr.findings.append(_file_finding(
                rp, "merge_unreadable", Level.ERROR,
                f"ファイルを読めません（{type(e).__name__}: {str(e)[:120]}）。",
                "Excelで開けるか確かめ、開ける場合は「名前を付けて保存」し直して送ってもらってください。"))
            continue
        plan = _plan_file(fr, got, view, rows, applied)
        if plan is None:
            continue
        rows = core.apply_to_rows(rows, plan.changes)
        applied |= {core.applied_key(fr.issue_id, c.row_id, c.key, c.new_text) for c in plan.changes}
    return report


def _plan_file(fr: FileReport, got: Returned, view: MasterView, rows: Mapping[str, RowData],
               applied: set[core.AppliedKey]) -> MergePlan | None:
    rp = fr.path
    fr.saved_by, fr.sha256 = got.saved_by, got.sha256
    fr.findings += got.findings
    if got.sha256 in view.merged_before:
        fr.findings.append(_file_finding(
            rp, "merge_seen_before", Level.INFO,
            f"このファイルは{view.merged_before[got.sha256]}に取り込み済みです（同じ内容）。二重には反映しません。",
            "対応は不要です。"))
    if got.version != TEMPLATE_VERSION:
        fr.status = Status.REFUSED
        found = got.version or "なし"
        fr.findings.append(_file_finding(
            rp, "merge_template_version", Level.ERROR,
            f"テンプレートの版が違います（このファイル：{found}、マスター：{TEMPLATE_VERSION}）。取り込みません。",
            "最新の配布ファイルに値を写して送り直してもらってください。"))
        return None
    stamp = got.stamp
    base: Stamp | None = stamp
    if stamp is None:
        fr.findings.append(_file_finding(
            rp, "merge_no_stamp", Level.ERROR,
            "配布記録（スタンプ）がありません。xlplan split で配布したファイルではないため、"
            "自動では取り込みません。マスターと違うセルを競合として一覧にします。",
            "配布したファイルに記入して送り直してもらうか、競合一覧を見て事務局がマスターに入力してください。"))
    elif stamp.master_id != view.master_id:
        base = None
        fr.findings.append(_file_finding(
            rp, "merge_other_master", Level.ERROR,
            "別のマスター（前年度のマスターや別のコピー）から配布されたファイルです。自動では取り込みません。"
            "マスターと違うセルを競合として一覧にします。",
            "このマスターから配布し直したファイルに記入してもらってください。"))
    else:
        fr.group, fr.issue_id, fr.issued_at = stamp.group, stamp.issue_id, stamp.issued_at
        if stamp.issue_id not in {i.issue_id for i in view.issues}:
            fr.findings.append(_file_finding(
                rp, "merge_issue_unknown", Level.WARNING,
                f"{stamp.issued_at}の配布（{stamp.group}）はマスターの配布記録にありません"
                "（マスターをバックアップから戻した可能性）。配布時の値と比べて取り込みます。",
                "競合が出た場合は内容を確認してください。"))
        newer = core.newer_issues(view.issues, stamp)
        if newer:
            n0 = newer[-1]
            fr.findings.append(_file_finding(
                rp, "merge_older_issue", Level.WARNING,
                f"このファイルは{stamp.issued_at}の配布分です。同じ行を{n0.issued_at}にも配布しています"
                f"（{n0.file}）。古い配布分として、配布時の値と比べて取り込みます。",
                "新しい配布ファイルでも返送があれば、競合の一覧を確認してください。"))
    for p in got.stamp_problems:
        fr.findings.append(_file_finding(
            rp, "merge_" + p, Level.WARNING,
            "配布記録（スタンプ）の一部が読めません。読めない行は競合として扱います。",
            "このマスターから配布し直したファイルに記入してもらってください。"))
    issued_sheets = {r.sheet for r in stamp.rows} if stamp is not None else set(SHEETS)
    fr.findings += _layout_findings(got, issued_sheets, rp)
    plan: MergePlan = core.plan_merge(base, rows, got.rows, applied=applied,
                                      returned_columns=got.columns)
    missing = {INPUT_SHEET[s] for s in SHEETS if s not in got.columns}
    fr.findings += [replace(f, file=rp.name) for f in plan.findings
                    if not (f.code == "merge_row_deleted" and f.sheet in missing)]
    fr.changes, fr.conflicts = plan.changes, plan.conflicts
    fr.unchanged, fr.already, fr.rows = plan.unchanged, plan.already, plan.rows_matched
    if base is None:
        fr.status = Status.REFUSED
    elif plan.conflicts:
        fr.status = Status.CONFLICTS
    elif plan.changes:
        fr.status = Status.MERGED
    else:
        fr.status = Status.NOTHING
    return plan


def history_records(report: MergeReport, view: MasterView) -> list[dict[str, object]]:
    """The 変更履歴 records of every applied change (keys of :data:`CHANGES`)."""
    return [{
        "at": report.at, "action": "取込", "file": f.name, "saved_by": f.saved_by, "tab": c.tab,
        "id": c.row_id, "indicator": c.indicator,
        "column": view.headings.get((c.sheet, c.key)) or core.heading_of(c.sheet, c.key),
        "old": c.old_text, "new": c.new_text, "group": f.group, "issue_id": f.issue_id,
        "key": c.key,
    } for f in report.files for c in f.changes]


def history_rows(report: MergeReport, view: MasterView) -> list[list[object]]:
    """The same as rows in :data:`CHANGES` column order (for a block write)."""
    return [[rec.get(k) for k, _ in CHANGES.columns] for rec in history_records(report, view)]


def merge_log_rows(report: MergeReport) -> list[list[object]]:
    """Rows to append to ``_xlplan``: which file (by content) was merged when."""
    return [[core.MERGE_LOG, f.name, f.sha256, report.at]
            for f in report.files if f.changes and f.sha256]


def merge_into_master(master: Path | str | Workbook, returned: Sequence[Path | str], *,
                      dry_run: bool = False, report_path: Path | str | None = None,
                      now: datetime | None = None, progress: Progress | None = None,
                      recompute_after: bool = True) -> MergeReport:
    """Take returned copies back into the master (one function for CLI, ribbon, server).

    ``master`` is a path (the file is backed up and replaced atomically, once, and only
    when something changes) or an openpyxl workbook (changed in memory; the caller
    saves). Files are merged in the order given; one bad file never stops the others.
    ``dry_run`` changes nothing; ``report_path`` writes what was (or would be) done as
    a workbook.
    """
    path: Path | None = None
    if isinstance(master, Workbook):
        wb = master
    else:
        path = Path(master)
        if not dry_run:
            check_writable(path)
        wb = open_workbook(path)
    m = read_master(wb, path)
    require_ids(m, path or Path("master"))
    view = view_of_master(m)
    report = plan_returns(view, returned, dry_run=dry_run, now=now, progress=progress)
    if not dry_run and report.changes:
        for c in report.changes:
            cell = wb[c.tab][c.master_cell]
            set_text(cell, c.new)
            if isinstance(c.new, (date, datetime)):
                cell.number_format = "yyyy/m/d"
        CHANGES.append(wb, history_records(report, view))
        meta = meta_ws(wb)
        for line in merge_log_rows(report):
            meta_append(meta, line)
        if recompute_after:
            report.recomputed_cells = recompute(read_master(wb, path)).changed_cells
        if path is not None:
            report.saved, report.backup = save_master(wb, path)
    if report_path is not None:
        report.report_path = write_merge_report(report, Path(report_path))
    return report


def _file_finding(path: Path, code: str, level: Level, message: str, fix: str) -> Finding:
    return Finding(code, level, "", "", message, fix, file=path.name)


@dataclass
class Returned:
    """What was read from one returned copy (values only)."""

    path: Path
    sha256: str
    version: str | None
    stamp: Stamp | None
    stamp_problems: list[str]
    rows: list[RowData]
    columns: dict[str, set[str]]  # sheet → column keys found by heading
    findings: list[Finding]
    saved_by: str


_CONF = re.compile(r"(^xlwings\.conf$)|(\.conf$)", re.IGNORECASE)
ACTIVE_PARTS = ("xl/vbaProject.bin", "xl/activeX/", "xl/embeddings/", "xl/macrosheets/")


def read_returned(path: Path) -> Returned:
    """Open a returned copy as data: no macros, no links, formulas as their text."""
    sniff(path)
    data = path.read_bytes()
    findings: list[Finding] = []

    def add(code: str, level: Level, message: str, fix: str, sheet: str = "") -> None:
        findings.append(Finding(code, level, sheet, "", message, fix, file=path.name))

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
    if path.suffix.lower() in (".xlsm", ".xltm", ".xlam") or any(
            n.startswith(ACTIVE_PARTS) for n in names):
        add("merge_macro", Level.WARNING,
            "マクロまたは埋め込みオブジェクトを含むファイルです。マクロは実行せず、マスターにもコピーしません（値だけを読みます）。",
            "マクロを付けずに「Excel ブック (*.xlsx)」で保存するよう担当課に伝えてください。")
    if any(n.startswith("xl/externalLinks/") for n in names):
        add("merge_external_links", Level.WARNING,
            "他のファイルへのリンク（外部参照）があります。リンク先は読まず、マスターにもコピーしません。",
            "リンクを解除（「データ→リンクの編集→リンクの解除」）して送り直してもらうと確実です。")
    if lock_file(path).exists():
        add("merge_file_open", Level.INFO,
            "このファイルは誰かがExcelで開いています。最後に保存された内容を取り込みます。",
            "編集中でないか確認してください。")
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_vba=False,
                       keep_links=False, rich_text=False)
    try:
        tabs = {ws.title: ws for ws in wb.worksheets}
        for title, ws in tabs.items():
            if _CONF.search(title):
                add("merge_conf_sheet", Level.WARNING,
                    f"xlwings の設定シートと同じ形の名前のシート「{title}」があります。読み込まず、マスターにもコピーしません。",
                    "担当課がシートを追加した理由を確認してください（不審なら開かずに削除）。", title)
            elif ws.sheet_state != "visible" and title != META_SHEET:
                add("merge_hidden_sheet", Level.WARNING,
                    f"非表示のシート「{title}」があります。{'入力シートなので値は読みます。' if title in INPUT_SHEET.values() else '読み込まず、マスターにもコピーしません。'}",
                    "担当課がシートを隠した理由を確認してください。", title)
        meta = list(tabs[META_SHEET].iter_rows(values_only=True)) if META_SHEET in tabs else []
        version = None
        for line in meta:
            if core.meta_label(line) == "template_version":
                version = None if len(line) < 2 or line[1] is None else str(line[1])
        stamp, problems = core.stamp_from_grid(meta)
        rows: list[RowData] = []
        columns: dict[str, set[str]] = {}
        for key in SHEETS:
            tab = INPUT_SHEET[key]
            if tab not in tabs:
                continue
            grid = list(tabs[tab].iter_rows(values_only=True))
            lay, _ = locate(key, tab, grid)
            if lay is None:
                continue
            columns[key] = set(lay.cols)
            got, _ = rows_from_grid(lay, grid)
            rows += got
        props = wb.properties
        who = props.lastModifiedBy or ""
        saved_by = UNKNOWN_SAVER if who in ("", ISSUER) else who
        if who == ISSUER:
            add("merge_not_saved_by_excel", Level.INFO,
                "配布後にExcelで保存された記録がありません（保存者不明）。",
                "記入済みのファイルか確認してください。")
    finally:
        wb.close()
    return Returned(path, hashlib.sha256(data).hexdigest(), version if META_SHEET in tabs else None,
                    stamp, problems, rows, columns, findings, saved_by)


def _layout_findings(got: Returned, sheets: set[str], path: Path) -> list[Finding]:
    out = []
    for key in sorted(sheets):
        tab = INPUT_SHEET[key]
        if key not in got.columns:
            out.append(Finding(
                "merge_sheet_missing", Level.ERROR, tab, "",
                f"シート「{tab}」がない（削除・改名された）か、見出し行が見つかりません。このシートの行は取り込みません。",
                "シート名と見出し行を配布時のとおりに戻して送り直してもらってください。", file=path.name))
            continue
        for c in columns_for(key):
            if c.editable_by_staff and c.key not in got.columns[key]:
                out.append(Finding(
                    "merge_column_missing", Level.ERROR, tab, "",
                    f"シート「{tab}」に列「{core.heading_of(key, c.key)}」が見つかりません（削除または見出しの変更）。この列は取り込みません。",
                    "列と見出しを配布時のとおりに戻して送り直してもらってください。", file=path.name))
    return out


# ---------------------------------------------------------------------------- texts


def merge_summary_ja(report: MergeReport) -> str:
    """The Japanese summary the ribbon shows (and the CLI prints at the end)."""
    lines = []
    head = "【試行（マスターは変更していません）】" if report.dry_run else ""
    n_files = len(report.files)
    n_changes, n_conf = len(report.changes), len(report.conflicts)
    lines.append(f"{head}{n_files}ファイルを確認：反映 {n_changes}セル、競合 {n_conf}件。")
    for f in report.files:
        lines.append("・" + f.summary_ja())
        for x in f.findings:
            if x.level is not Level.INFO:
                lines.append(f"    [{x.level.ja}] {x.where.split(': ', 1)[-1] if x.sheet else ''}"
                             f"{x.message}")
        for c in f.conflicts:
            lines.append(f"    [競合] {c.tab}!{c.master_cell or c.returned_cell} {c.row_id}"
                         f"「{core.heading_of(c.sheet, c.key)}」 マスター「{_short(c.master_text)}」"
                         f"／返送「{_short(c.returned_text)}」：{c.reason_ja}")
    if report.saved:
        lines.append(f"マスターを保存しました：{report.saved}")
        if report.backup:
            lines.append(f"バックアップ：{report.backup}")
        lines.append(f"変更の記録はシート「{CHANGES_SHEET}」にあります。")
    elif not report.dry_run and not report.changes:
        lines.append("マスターに反映する変更はありません（マスターは変更していません）。")
    if report.report_path:
        lines.append(f"結果の一覧：{report.report_path}")
    return "\n".join(lines)


def _short(text: str, n: int = 30) -> str:
    t = text.replace("\n", "⏎")
    return t if len(t) <= n else t[: n - 1] + "…"


def write_merge_report(report: MergeReport, path: Path) -> Path:
    """What was (or would be) done, as a workbook: 概要, 変更, 競合, 指摘."""
    from openpyxl import Workbook as NewBook

    wb = NewBook()
    wb.remove(wb.active)
    styles.register_styles(wb)

    def sheet(title: str, heads: Sequence[str], rows: Iterable[Sequence[object]],
              widths: Sequence[float]) -> None:
        ws = wb.create_sheet(title)
        for j, h in enumerate(heads, start=1):
            ws.cell(1, j, h).style = styles.STYLE_HEADER
            ws.column_dimensions[ws.cell(1, j).column_letter].width = widths[j - 1]
        n = 1
        for n, line in enumerate(rows, start=2):
            for j, v in enumerate(line, start=1):
                c = ws.cell(n, j)
                set_text(c, v)
                c.alignment = Alignment(vertical="top", wrap_text=True)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{ws.cell(1, len(heads)).column_letter}{n}"

    sheet("概要", ("ファイル", "結果", "配布先", "配布日時", "保存者", "反映", "競合", "エラー", "警告",
                  "取込済・同じ値", "未変更"),
          ([f.name, STATUS_JA[f.status], f.group, f.issued_at, f.saved_by,
            *[f.counts()[k] for k in ("changes", "conflicts", "errors", "warnings", "already",
                                      "unchanged")]] for f in report.files),
          (30, 10, 16, 20, 14, 7, 7, 7, 7, 9, 7))
    sheet("変更", ("ファイル", "シート", "セル", "ID", "成果指標", "列", "変更前", "変更後"),
          ([f.name, c.tab, c.master_cell, c.row_id, c.indicator, core.heading_of(c.sheet, c.key),
            c.old_text, c.new_text] for f in report.files for c in f.changes),
          (28, 9, 7, 9, 30, 18, 36, 36))
    sheet("競合", ("ファイル", "シート", "マスターのセル", "返送のセル", "ID", "成果指標", "列", "配布時",
                  "マスターの現在値", "返送された値", "理由"),
          ([f.name, c.tab, c.master_cell, c.returned_cell, c.row_id, c.indicator,
            core.heading_of(c.sheet, c.key), "（不明）" if c.base_text is None else c.base_text,
            c.master_text, c.returned_text, c.reason_ja] for f in report.files for c in f.conflicts),
          (28, 9, 9, 9, 9, 30, 18, 30, 30, 30, 30))
    sheet("指摘", ("ファイル", "レベル", "コード", "シート", "セル", "ID", "内容", "対処"),
          ([f.name, x.level.ja, x.code, x.sheet, x.cell, x.row_id, x.message, x.fix]
           for f in report.files for x in f.findings),
          (28, 7, 22, 9, 7, 9, 60, 40))
    ws0 = wb["概要"]
    ws0.insert_rows(1)
    ws0["A1"] = (("【試行】" if report.dry_run else "") + f"取り込み結果 {report.at}"
                 + (f"　マスター：{report.master.name}" if report.master else ""))
    ws0["A1"].font = Font(name=styles.FONT_NAME, size=12, bold=True)
    ws0.freeze_panes = "A3"
    ws0.auto_filter.ref = None
    atomic_save(wb, path)
    return path


# ============================================================================ rollover

CLEAR_KEYS = ("actual", "projection", "basis", "status_text", "miss_reason", "countermeasure",
              "challenges", "policy", "questions", "trend_override", "mark_override",
              "override_reason")


@dataclass
class RolloverResult:
    source: Path
    path: Path
    from_year: int
    to_year: int
    archived: int
    cleared_cells: int
    target_changes: list[dict[str, object]]
    findings: list[Finding]


def rollover_master(master_path: Path | str, to_year: int, out: Path | str, *,
                    targets: Path | str | None = None, now: datetime | None = None,
                    overwrite: bool = False) -> RolloverResult:
    """Create next year's master from this year's; this year's file is left untouched.

    The reporting year moves on (設定 and every year-dependent heading follow it); the
    plan's baseline, mid-term and final years stay. This year's typed values, marks and
    narratives go to 過去実績 (one row per indicator per year); the new year's input
    cells and manual judgements are cleared; baselines and targets are carried. Target
    changes are taken from pending rows of the 目標変更履歴 sheet and from ``targets``
    (CSV or xlsx with the headings ID, 目標, 変更後, 理由[, 日付]), each recorded with
    its date and reason; a target changed in a cell without a record is recorded as such.
    Finally the computed columns are recomputed and, when the master has report sheets
    (資料4-1…, 集計), they are rendered again for the new year, as ``xlplan render`` does.
    """
    src = Path(master_path)
    dest = Path(out)
    stamp_time = _now(now)
    findings: list[Finding] = []
    if dest.resolve() == src.resolve():
        raise BookError("rollover_in_place", dest, "年度更新は元のマスターを上書きしません。",
                        "-o で新しいファイル名（例：資料4_令和3年度.xlsx）を指定してください。",
                        "rollover writes a new file; give -o another name")
    if dest.exists() and not overwrite:
        raise BookError("exists", dest, "保存先のファイルが既にあります。",
                        "別のファイル名を指定するか、--force で上書きしてください。",
                        "output file exists (use --force to replace it)")
    check_writable(dest)
    wb = open_workbook(src)
    m = read_master(wb, src)
    require_ids(m, src)
    old = m.settings
    if to_year <= old.fiscal_year:
        raise BookError("rollover_year", src,
                        f"報告年度は{old.fiscal_year}年度（{fiscal_year_words(old.fiscal_year)}）です。"
                        f"{to_year}年度へは更新できません。",
                        f"--to には{old.fiscal_year + 1}を指定してください。",
                        f"--to must be after the master's fiscal year {old.fiscal_year}")
    if to_year > old.fiscal_year + 1:
        findings.append(Finding(
            "rollover_skips_years", Level.WARNING, SETTINGS_SHEET, "",
            f"{old.fiscal_year}年度から{to_year}年度へ、年度を飛ばして更新しました。",
            "間の年度の記録が必要なら、1年度ずつ更新してください。"))
    if to_year > old.final_year:
        findings.append(Finding(
            "rollover_past_final", Level.WARNING, SETTINGS_SHEET, "",
            f"{fiscal_year_words(to_year)}は最終目標の年度（{fiscal_year_words(old.final_year)}）より後です。",
            "計画の改定に合わせて、設定の目標年度と各指標の目標を見直してください。"))
    results = compute_all(m)
    at = stamp_time.isoformat(sep=" ", timespec="seconds")

    # 1. Archive this year, replacing an earlier archive of the same year.
    archived_before = HISTORY.records(wb)
    same_year = [r for r in archived_before if _int(r.get("fiscal_year")) == old.fiscal_year]
    if same_year and HISTORY_SHEET in wb.sheetnames:
        findings.append(Finding(
            "rollover_rearchived", Level.INFO, HISTORY_SHEET, "",
            f"{fiscal_year_words(old.fiscal_year)}の過去実績は既にありました（{len(same_year)}行）。今回の値で置き換えました。",
            "対応は不要です。"))
        ws = wb[HISTORY_SHEET]
        for start, n in _runs(sorted((int(str(r["_row"])) for r in same_year), reverse=True)):
            ws.delete_rows(start, n)
    archived = HISTORY.append(wb, (_history_record(r, results[(r.sheet, r.row)], old.fiscal_year, at)
                                   for r in m.all_rows()))

    # 2. Targets: changes made in cells during the year without a record, then requests.
    records_before = TARGETS.records(wb)
    change_log: list[dict[str, object]] = []
    prev = {(str(r.get("id")), k): core.canonical(r.get(k)) for r in archived_before
            if _int(r.get("fiscal_year")) == old.fiscal_year - 1 for k in TARGET_WORDS}
    recorded = {(str(r.get("id")), TARGET_KINDS.get(cell_text(r.get("target")), ""),
                 core.canonical(r.get("new"))) for r in records_before}
    rows = {r.id: r for r in m.all_rows()}
    for r in m.all_rows():
        for k in TARGET_WORDS:
            if k not in r.values or (r.id, k) not in prev:
                continue
            now_t = core.canonical(r.values.get(k))
            if now_t != prev[(r.id, k)] and (r.id, k, now_t) not in recorded:
                change_log.append({"date": stamp_time.date(), "id": r.id, "indicator": _name(r),
                                   "target": TARGET_WORDS[k], "old": prev[(r.id, k)],
                                   "new": now_t, "reason": "（理由の記録なし：年度中にセルが直接変更されました）",
                                   "state": STATE_RECORDED, "fiscal_year": old.fiscal_year})
                findings.append(Finding(
                    "target_changed_unrecorded", Level.WARNING, r.tab, r.cell(k),
                    f"「{_name(r)}」の{TARGET_WORDS[k]}が前年度の「{prev[(r.id, k)]}」から「{now_t}」に変わっていますが、"
                    "目標変更履歴に理由がありません。",
                    f"シート「{TARGETS_SHEET}」の該当行に理由を記入してください。", r.id))
    requests = [(r, "sheet") for r in records_before
                if cell_text(r.get("state")) in ("", STATE_PENDING)]
    if targets is not None:
        requests += [(r, "file") for r in read_target_requests(Path(targets))]
    target_writes: list[tuple[RowData, str, object]] = []
    entries: list[dict[str, object]] = list(change_log)
    for req, origin in requests:
        done = _target_request(req, origin, rows, stamp_time.date(), to_year, findings)
        if done is None:
            continue
        row, key, entry = done
        entries.append(entry)
        if entry["state"] == STATE_APPLIED:
            target_writes.append((row, key, req.get("new")))
        if origin == "sheet":
            ws = wb[TARGETS_SHEET]
            heads = {str(c.value).strip(): c.column for c in ws[1] if c.value is not None}
            for k, h in TARGETS.columns:
                if k in ("old", "state", "fiscal_year", "indicator", "date") and h in heads:
                    set_text(ws.cell(int(str(req["_row"])), heads[h]), entry[k])
        else:
            change_log.append(entry)
    TARGETS.append(wb, change_log)

    # 3. Clear the new year's input cells.
    cleared = 0
    for sheet in m.sheets.values():
        cols = [sheet.layout.cols[k] for k in CLEAR_KEYS if k in sheet.layout.cols]
        for r in sheet.rows:
            for c in cols:
                cell = sheet.ws.cell(r.row, c)
                if cell.value is not None:
                    cell.value = None
                    cleared += 1
    for row, key, value in target_writes:
        sheet = m.sheets[row.sheet]
        set_text(sheet.ws.cell(row.row, sheet.layout.cols[key]), value)

    # 4. Settings and headings follow the new year.
    new = replace(old, fiscal_year=to_year, report_date=_add_years(old.report_date, to_year - old.fiscal_year))
    pos = wb.sheetnames.index(SETTINGS_SHEET) if SETTINGS_SHEET in wb.sheetnames else None
    write_settings_sheet(wb, new)
    if pos is not None:
        wb.move_sheet(SETTINGS_SHEET, pos - wb.sheetnames.index(SETTINGS_SHEET))
    for key, sheet in m.sheets.items():
        _retitle(sheet.ws, key, sheet.layout.header_row, sheet.layout.cols, new)

    # 5. A new master: new identity, no issues outstanding; stale check results go.
    meta = meta_ws(wb)
    old_id = master_id(wb) or ""
    meta_drop(meta, lambda s: s in (core.MASTER_ID, core.ISSUE_LOG, core.MERGE_LOG, core.ROLLED_FROM)
              or s.startswith(core.STAMP_PREFIX))
    meta_append(meta, [core.MASTER_ID, str(uuid.uuid4())])
    meta_append(meta, [core.ROLLED_FROM, old_id, str(old.fiscal_year), src.name, at])
    if CHECK_SHEET in wb.sheetnames:
        del wb[CHECK_SHEET]
    CHANGES.append(wb, [{"at": at, "action": "年度更新", "file": src.name,
                         "new": f"{fiscal_year_words(old.fiscal_year)}→{fiscal_year_words(to_year)}"
                                f"（過去実績に{archived}行を記録、入力欄{cleared}セルを消去）"}])
    # 6. The computed columns, then the printed report, follow the new year's input: the
    # report sheets (if the master has them) must not go on showing last year's report.
    master, _, reports = recompute_and_lay_out(wb, dest)
    if any(name in wb.sheetnames for name in REPORT_NAMES):
        render(master, reports=reports)
    atomic_save(wb, dest)
    return RolloverResult(src, dest, old.fiscal_year, to_year, archived, cleared, entries,
                          findings)


def _int(v: object) -> int | None:
    try:
        return int(str(v).strip())
    except (TypeError, ValueError):
        return None


def _add_years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February
        return d.replace(year=d.year + n, day=28)


def _name(row: RowData) -> str:
    return row.text("indicator").replace("\n", "") or row.id


def _history_record(r: RowData, res: RowResult, year: int, at: str) -> dict[str, object]:
    rec: dict[str, object] = {"fiscal_year": year, "era": fiscal_year_words(year),
                              "sheet": r.sheet, "archived_at": at}
    for key, _ in HISTORY_COLUMNS:
        if key in r.values and key not in res.values:
            rec[key] = r.values.get(key)
    for key, v in res.values.items():
        rec[key] = v
    rec["id"] = r.id
    return rec


def _retitle(ws: Worksheet, sheet: str, header_row: int, cols: Mapping[str, int],
             settings: Any) -> None:
    """Year-dependent headings in the input sheet (and its table's column names)."""
    for c in columns_for(sheet):
        if c.key in cols and "{" in c.heading:
            ws.cell(header_row, cols[c.key]).value = c.heading_for(settings)
    table = ws.tables.get(TABLE_NAME[sheet])
    if table is not None and table.tableColumns:
        first_col = ws[table.ref.split(":")[0]].column
        for i, tc in enumerate(table.tableColumns):
            v = ws.cell(header_row, first_col + i).value
            if v is not None:
                tc.name = str(v)


def _target_request(req: Mapping[str, object], origin: str, rows: Mapping[str, RowData],
                    today: date, to_year: int, findings: list[Finding]
                    ) -> tuple[RowData, str, dict[str, object]] | None:
    where = f"{TARGETS_SHEET} {req.get('_row')}行目" if origin == "sheet" else f"目標変更ファイル {req.get('_row')}行目"
    rid = cell_text(req.get("id"))
    kind = TARGET_KINDS.get(cell_text(req.get("target")))
    new = core.canonical(req.get("new"))
    reason = cell_text(req.get("reason"))

    def bad(message: str, fix: str) -> None:
        findings.append(Finding("target_request_invalid", Level.ERROR,
                                TARGETS_SHEET if origin == "sheet" else "", "",
                                f"{where}：{message}この変更は適用していません。", fix, rid))

    row = rows.get(rid)
    if row is None:
        bad(f"ID「{rid}」の指標がありません。", "IDを確認してください。")
        return None
    if kind is None or kind not in row.values:
        bad(f"目標「{cell_text(req.get('target'))}」はこの指標にありません。",
            "「中間目標」（資料4-1のみ）または「最終目標」と書いてください。")
        return None
    if not new:
        bad("変更後の値がありません。", "「変更後」に新しい目標を入力してください。")
        return None
    if not reason:
        bad("理由がありません。目標の変更には理由が必要です。", "「理由」を記入してください。")
        return None
    when = req.get("date")
    if isinstance(when, datetime):
        when = when.date()
    if not isinstance(when, date):
        when = _parse_date(cell_text(when)) or today
    current = core.canonical(row.values.get(kind))
    state = STATE_APPLIED if current != new else STATE_RECORDED
    return row, kind, {"date": when, "id": rid, "indicator": _name(row), "target": TARGET_WORDS[kind],
                       "old": current, "new": req.get("new"), "reason": reason, "state": state,
                       "fiscal_year": to_year}


def _parse_date(s: str) -> date | None:
    for fmt in ("%Y/%m/%d", "%Y-%m-%d", "%Y.%m.%d"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            pass
    return None


def read_target_requests(path: Path) -> list[dict[str, object]]:
    """Target changes from a CSV (UTF-8, as Excel saves it) or an xlsx: headings
    ID, 目標, 変更後, 理由 and optionally 日付."""
    if path.suffix.lower() == ".csv":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            text = path.read_text(encoding="cp932")
        grid: list[Sequence[object]] = list(csv.reader(io.StringIO(text)))
    else:
        sniff(path)
        wb = load_workbook(path, read_only=True, data_only=True, keep_vba=False, keep_links=False)
        try:
            grid = list(wb.worksheets[0].iter_rows(values_only=True))
        finally:
            wb.close()
    return TARGETS.records_from_grid(grid)
