"""The three-way merge of a returned copy into the master, and the issue stamp it needs.

When the secretariat sends a workbook out, every issued row is stamped with the
canonical text of its typed cells (the *base*). When a copy comes back, each editable
cell is compared three ways:

=====================  =====================  =======================================
returned vs base       master vs base         result
=====================  =====================  =======================================
same                   (any)                  nothing: staff did not touch the cell
changed                same                   **applied**: the master takes the value
changed                changed, equal to it   nothing: already in the master
changed                changed, different     **conflict**: listed, not applied
=====================  =====================  =======================================

A change already recorded in the 変更履歴 (same issue, row, column and new value) is never
applied twice, even when the master changed the cell again afterwards: merging the
same file twice changes nothing the second time.

Pure: plain values in, plain records out. No Excel objects, no file I/O, no clock.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

from xlplan.core.compute import cell_text
from xlplan.core.findings import Finding
from xlplan.core.layout import INPUT_SHEET, Kind, columns_for, heading_shown
from xlplan.core.meta import meta_label as meta_label  # re-exported: core.merge.meta_label
from xlplan.core.meta import meta_value as meta_value
from xlplan.core.model import RowData
from xlplan.core.sheetread import CELL_LIMIT, EXCEL_ERRORS, excel_length
from xlplan.core.texts import WORDS, finding, say

STAMP_VERSION = "xlplan-stamp-1"

# --------------------------------------------------------------------------- columns


def editable_keys(sheet: str) -> tuple[str, ...]:
    """The columns a returned copy may change (``Column.editable_by_staff``)."""
    return tuple(c.key for c in columns_for(sheet) if c.editable_by_staff)


def stamped_keys(sheet: str) -> tuple[str, ...]:
    """Every typed column of a sheet: stamped at issue so that edits outside the
    editable columns can be reported (and ignored) on return."""
    return tuple(c.key for c in columns_for(sheet) if c.kind is not Kind.COMPUTED)


heading_of = heading_shown  # a column's heading without year words, for messages


# --------------------------------------------------------------------------- canonical text


def canonical(v: object) -> str:
    """A cell's value as comparable text: what staff typed, line endings unified.

    Built on :func:`xlplan.core.compute.cell_text` (``25.0`` → ``25``, blanks → ``''``).
    Dates are written the way Excel shows them, so that a date cell and the same date
    typed as text (``2021/3/31``) are the same value.
    """
    if isinstance(v, datetime):
        v = v.date() if v.time() == time(0) else v
    if isinstance(v, date) and not isinstance(v, datetime):
        return f"{v.year}/{v.month}/{v.day}"
    if isinstance(v, datetime):
        return f"{v.year}/{v.month}/{v.day} {v:%H:%M:%S}"
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    return cell_text(v).replace("\r\n", "\n").replace("\r", "\n")


def as_typed(v: object, number_format: str | None) -> object:
    """A returned value as the person typed it. The master's value columns are text:
    ``50%`` typed into a copy whose column Excel formatted General arrives as 0.5 shown
    ``0%``, ``2021/3/31`` as a date; the master takes the text Excel showed, so that its
    meaning (and the mark) is the same everywhere. Other values are unchanged."""
    if isinstance(v, datetime | date):
        return canonical(v)
    if isinstance(v, bool) or not isinstance(v, int | float) or not number_format:
        return v
    if not math.isfinite(float(v)):
        return v
    from xlplan.core.parse import number_format_kind, parse_value

    kind, unit = number_format_kind(number_format)
    if kind == "number" and unit is None:
        return v
    parsed = parse_value(v, number_format)
    if kind == "date" and parsed.as_of is not None:
        return canonical(parsed.as_of)
    return parsed.text or v


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def row_fingerprint(sheet: str, row_id: str, values: Mapping[str, str]) -> str:
    """sha256 over the row's identity and canonical values (keys sorted)."""
    payload = json.dumps([STAMP_VERSION, sheet, row_id, sorted(values.items())],
                         ensure_ascii=False, separators=(",", ":"))
    return digest(payload)


def is_excel_error(v: object) -> bool:
    return isinstance(v, str) and v.strip() in EXCEL_ERRORS


# --------------------------------------------------------------------------- the stamp


@dataclass(frozen=True, slots=True)
class IssuedRow:
    """One row as it was sent out: canonical text of each typed cell, and its fingerprint."""

    sheet: str
    id: str
    values: Mapping[str, str]
    fingerprint: str

    @property
    def intact(self) -> bool:
        """False when the stored values no longer match the stored fingerprint."""
        return row_fingerprint(self.sheet, self.id, self.values) == self.fingerprint


def issue_row(row: RowData) -> IssuedRow:
    values = {k: canonical(row.values.get(k)) for k in stamped_keys(row.sheet) if k in row.values}
    return IssuedRow(row.sheet, row.id, values, row_fingerprint(row.sheet, row.id, values))


@dataclass(frozen=True, slots=True)
class Stamp:
    """What a copy was issued from: written into the copy's hidden ``_xlplan`` sheet."""

    master_id: str
    issue_id: str
    issued_at: str  # "YYYY-MM-DD HH:MM:SS", local time of the secretariat's PC
    group_by: str  # column key the rows were grouped by ("owner", "middle", …)
    group: str  # the group's value (担当課名, 中項目, …)
    source: str  # the master's file name at issue
    rows: tuple[IssuedRow, ...] = ()

    def by_id(self) -> dict[str, IssuedRow]:
        return {r.id: r for r in self.rows}


# Labels in column A of the _xlplan sheet. The template owns rows 1–2
# (template_version, note); everything else is found by label, wherever it is
# (xlplan.core.meta reads them; report_fp.* rows hold the report sheets' fingerprints).
MASTER_ID = "master_id"
ISSUE_LOG = "issue"  # master: one row per issued copy
MERGE_LOG = "merged"  # master: one row per merged file (name, sha256, time)
RETURN_LOG = "returned"  # master: one row per returned copy taken in (xlplan.core.collection)
ROLLED_FROM = "rolled_from"  # master: the master this one was rolled over from
STAMP_PREFIX = "stamp."
STAMP_ROW = "stamp.row"
# A cell holds at most 32,767 characters; JSON longer than this goes on in the next cells.
CHUNK = 30000


def stamp_rows(stamp: Stamp) -> list[list[str]]:
    """The stamp as rows of the ``_xlplan`` sheet (column A = label)."""
    out: list[list[str]] = [
        [STAMP_PREFIX + "version", STAMP_VERSION],
        [STAMP_PREFIX + "master_id", stamp.master_id],
        [STAMP_PREFIX + "issue_id", stamp.issue_id],
        [STAMP_PREFIX + "issued_at", stamp.issued_at],
        [STAMP_PREFIX + "group_by", stamp.group_by],
        [STAMP_PREFIX + "group", stamp.group],
        [STAMP_PREFIX + "source", stamp.source],
    ]
    for r in stamp.rows:
        blob = json.dumps(dict(r.values), ensure_ascii=False, sort_keys=True)
        chunks = [blob[i:i + CHUNK] for i in range(0, len(blob), CHUNK)] or [""]
        out.append([STAMP_ROW, r.sheet, r.id, r.fingerprint, *chunks])
    return out


def stamp_from_grid(grid: Sequence[Sequence[object]]) -> tuple[Stamp | None, list[str]]:
    """Read a stamp back; (None, []) when there is none. Problems are returned as codes."""
    head: dict[str, str] = {}
    rows: list[IssuedRow] = []
    problems: list[str] = []
    for line in grid:
        label = meta_label(line)
        if label == STAMP_ROW:
            cells = [("" if v is None else str(v)) for v in line]
            cells += [""] * (4 - len(cells))
            try:
                values = json.loads("".join(cells[4:]) or "{}")
                if not isinstance(values, dict):
                    raise ValueError("not an object")
                rows.append(IssuedRow(cells[1], cells[2],
                                      {str(k): str(v) for k, v in values.items()}, cells[3]))
            except ValueError:
                problems.append("stamp_row_unreadable")
        elif label.startswith(STAMP_PREFIX):
            head[label[len(STAMP_PREFIX):]] = "" if len(line) < 2 or line[1] is None else str(line[1])
    if not head and not rows:
        return None, problems
    if not head.get("master_id") or not head.get("issue_id"):
        return None, [*problems, "stamp_incomplete"]
    if head.get("version") != STAMP_VERSION:
        problems.append("stamp_version")
    return Stamp(head["master_id"], head["issue_id"], head.get("issued_at", ""),
                 head.get("group_by", ""), head.get("group", ""), head.get("source", ""),
                 tuple(rows)), problems


@dataclass(frozen=True, slots=True)
class IssueRecord:
    """One line of the master's issue log."""

    issue_id: str
    issued_at: str
    group_by: str
    group: str
    file: str
    row_ids: tuple[str, ...]
    due: str = ""  # the deadline, YYYY-MM-DD ("" when none); issue 12

    def as_row(self) -> list[str]:
        return [ISSUE_LOG, self.issue_id, self.issued_at, self.group_by, self.group, self.file,
                ",".join(self.row_ids), self.due]


def issue_log(grid: Sequence[Sequence[object]]) -> list[IssueRecord]:
    out = []
    for line in grid:
        if meta_label(line) == ISSUE_LOG:
            c = [("" if v is None else str(v)) for v in line] + [""] * 8
            out.append(IssueRecord(c[1], c[2], c[3], c[4], c[5],
                                   tuple(i for i in c[6].split(",") if i), c[7].strip()))
    return out


def newer_issues(log: Sequence[IssueRecord], stamp: Stamp) -> list[IssueRecord]:
    """Issues sent out after ``stamp``'s that cover some of the same rows."""
    mine = {r.id for r in stamp.rows}
    return [i for i in log
            if i.issue_id != stamp.issue_id and i.issued_at > stamp.issued_at
            and mine.intersection(i.row_ids)]


# --------------------------------------------------------------------------- the merge


class Reason:
    """Why a cell is a conflict (stable codes; Japanese in :data:`REASON_JA`)."""

    BOTH_CHANGED = "both_changed"
    NO_BASE = "no_base"
    ROW_GONE = "row_gone"




@dataclass(frozen=True, slots=True)
class CellChange:
    """One cell the master takes from a returned copy."""

    sheet: str
    tab: str
    row_id: str
    key: str
    master_row: int  # 1-based worksheet row in the master
    master_cell: str  # "J12" in the master
    returned_cell: str  # "J5" in the returned copy
    old: object  # the master's value before (raw)
    new: object  # the returned value (raw, never a formula)
    old_text: str
    new_text: str
    indicator: str = ""


@dataclass(frozen=True, slots=True)
class Conflict:
    """A cell that is not applied because the right value cannot be told."""

    sheet: str
    tab: str
    row_id: str
    key: str
    reason: str  # a Reason code
    master_cell: str
    returned_cell: str
    base_text: str | None  # what was issued (None when unknown)
    master_text: str
    returned_text: str
    indicator: str = ""

    @property
    def reason_ja(self) -> str:
        return say("merge.reason." + self.reason)


@dataclass(slots=True)
class MergePlan:
    """What one returned copy would change in the master."""

    changes: list[CellChange] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unchanged: int = 0  # editable cells staff left as issued
    already: int = 0  # changed cells the master already holds (or took before)
    rows_matched: int = 0


AppliedKey = tuple[str, str, str, str]  # (issue_id, row_id, column key, digest(new text))


def applied_key(issue_id: str, row_id: str, key: str, new_text: str) -> AppliedKey:
    return (issue_id, row_id, key, digest(new_text))


def _finding(code: str, row: RowData, key: str, **fields: Any) -> Finding:
    return finding(code, sheet=row.tab, cell=row.cell(key) if key else f"A{row.row}",
                   row_id=row.id, **fields)


def _name(row: RowData) -> str:
    return row.text("indicator").replace("\n", "") or row.id or WORDS["row"].format(row=row.row)


def _short(text: str, n: int = 40) -> str:
    t = text.replace("\n", "⏎")
    return t if len(t) <= n else t[: n - 1] + "…"


def plan_merge(
    stamp: Stamp | None,
    master_rows: Mapping[str, RowData],
    returned_rows: Sequence[RowData],
    *,
    applied: Set[AppliedKey] = frozenset(),
    returned_columns: Mapping[str, Set[str]] | None = None,
) -> MergePlan:
    """Compare one returned copy with its stamp and the master's current rows.

    ``master_rows``: ID → the master's row as it is now (after files merged before this
    one). ``returned_rows``: every row read from the copy's input sheets.
    ``applied``: keys of changes already recorded in the 変更履歴.
    ``returned_columns``: sheet → the column keys the copy still has (a deleted or
    renamed column is missing and is simply not taken; the reader reports it).
    ``stamp=None`` means no usable base: every difference becomes a conflict.
    """
    plan = MergePlan()
    issued = stamp.by_id() if stamp is not None else {}
    issue_id = stamp.issue_id if stamp is not None else ""

    by_id: dict[str, list[RowData]] = {}
    for r in returned_rows:
        if not r.id:
            plan.findings.append(_finding("merge_new_row", r, "indicator", name=_name(r)))
            continue
        by_id.setdefault(r.id, []).append(r)

    seen: set[str] = set()
    for rid, group in by_id.items():
        row = group[0]
        if len(group) > 1:
            variants = {tuple(canonical(g.values.get(k)) for k in editable_keys(g.sheet)) for g in group}
            cells = "・".join(g.cell("id") for g in group)
            if len(variants) > 1:
                plan.findings.append(_finding("merge_duplicate_id", row, "id", id=rid,
                                              count=len(group), cells=cells))
                seen.add(rid)
                continue
            plan.findings.append(_finding("merge_duplicate_same", row, "id", id=rid,
                                          count=len(group), cells=cells))
        seen.add(rid)
        base = issued.get(rid)
        if stamp is not None and base is None:
            if rid in master_rows:
                plan.findings.append(_finding("merge_row_not_issued", row, "id", id=rid,
                                              name=_name(row)))
            else:
                plan.findings.append(_finding("merge_unknown_id", row, "id", id=rid,
                                              name=_name(row)))
            continue
        if base is not None and base.sheet != row.sheet:
            plan.findings.append(_finding("merge_row_moved", row, "id", id=rid,
                                          issued_sheet=base.sheet))
            continue
        if base is not None and not base.intact:
            plan.findings.append(_finding("merge_stamp_damaged", row, "id", id=rid))
            base = None
        master = master_rows.get(rid)
        _merge_row(plan, stamp, base, master, row, issue_id, applied, returned_columns)

    if stamp is not None:
        for base in stamp.rows:
            if base.id in seen:
                continue
            plan.findings.append(finding("merge_row_deleted",
                                         sheet=INPUT_SHEET.get(base.sheet, base.sheet),
                                         row_id=base.id, id=base.id))
    return plan


def _merge_row(plan: MergePlan, stamp: Stamp | None, base: IssuedRow | None,
               master: RowData | None, row: RowData, issue_id: str,
               applied: Set[AppliedKey], returned_columns: Mapping[str, Set[str]] | None) -> None:
    have = returned_columns.get(row.sheet) if returned_columns is not None else None
    name = _name(master or row)
    plan.rows_matched += 1
    editable = set(editable_keys(row.sheet))
    for key in stamped_keys(row.sheet):
        if key == "id" or key not in row.values or (have is not None and key not in have):
            continue
        if key in row.formulas:
            # A formula is never taken, and its cached result is not trusted either.
            if key in editable:
                plan.findings.append(_finding("merge_formula", row, key, name=name,
                                              heading=heading_of(row.sheet, key),
                                              formula=_short(row.formulas[key])))
            continue
        raw = as_typed(row.values.get(key), row.formats.get(key))
        r_text = canonical(raw)
        b_text = base.values.get(key) if base is not None else None
        m_raw = master.values.get(key) if master is not None else None
        m_text = canonical(m_raw)
        if key not in editable:
            # Not taken; reported when staff changed it, so that nothing typed is lost unseen.
            ref = b_text if b_text is not None else (m_text if master is not None else None)
            if ref is not None and r_text != ref:
                plan.findings.append(_finding("merge_not_editable", row, key, name=name,
                                              heading=heading_of(row.sheet, key),
                                              old=_short(ref), new=_short(r_text)))
            continue
        if base is not None and r_text == b_text:
            plan.unchanged += 1
            continue
        if is_excel_error(raw):
            plan.findings.append(_finding("merge_excel_error", row, key, name=name,
                                          heading=heading_of(row.sheet, key), value=r_text))
            continue
        if isinstance(raw, float) and not math.isfinite(raw):
            plan.findings.append(_finding("merge_not_finite", row, key, name=name,
                                          heading=heading_of(row.sheet, key), value=r_text))
            continue
        if excel_length(r_text) > CELL_LIMIT:
            plan.findings.append(_finding("merge_text_too_long", row, key, name=name,
                                          heading=heading_of(row.sheet, key),
                                          length=excel_length(r_text)))
            continue
        if master is None:
            if base is None or r_text != b_text:
                plan.conflicts.append(Conflict(
                    row.sheet, row.tab, row.id, key, Reason.ROW_GONE, "", row.cell(key),
                    b_text, "", r_text, name))
            continue
        if issue_id and applied_key(issue_id, row.id, key, r_text) in applied:
            plan.already += 1  # taken from this issue before: never twice
            continue
        if r_text == m_text:
            plan.already += 1
            continue
        if base is not None and m_text == b_text:
            plan.changes.append(CellChange(
                row.sheet, master.tab, row.id, key, master.row, master.cell(key), row.cell(key),
                m_raw, raw, m_text, r_text, name))
            continue
        plan.conflicts.append(Conflict(
            row.sheet, master.tab, row.id, key,
            Reason.BOTH_CHANGED if base is not None else Reason.NO_BASE,
            master.cell(key), row.cell(key), b_text, m_text, r_text, name))


def apply_to_rows(rows: Mapping[str, RowData], changes: Iterable[CellChange]) -> dict[str, RowData]:
    """The master's rows after ``changes`` (for merging the next file against them)."""
    out = dict(rows)
    for ch in changes:
        r = out[ch.row_id]
        values = dict(r.values)
        values[ch.key] = ch.new
        out[ch.row_id] = replace(r, values=values)
    return out

