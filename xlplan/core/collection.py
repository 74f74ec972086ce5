"""回収状況: which copies went out, which came back, which are late.

Nothing here is stored twice. The master's hidden ``_xlplan`` sheet already records
every issue (``issue`` rows, written by split: issue ID, time, group, file, rows, and
since issue 12 the deadline) and every returned copy merge takes in (``returned`` rows,
written by merge: issue ID, time, file, its sha256, the merge's verdict, who saved it,
the counts). :func:`collection` derives the state of every issued copy from those rows
and a clock the caller passes in; :func:`status_sheet` lays it out as the visible
回収状況 sheet, which split, merge and the ribbon's 回収状況を更新 rebuild whole each
time. Running split or merge again therefore never duplicates a row: a copy is one
issue ID, a return is recorded once per file content (sha256), and an issue whose rows
were sent out again later is shown as 再配布済.

Pure: grids and a ``datetime`` in, records and a sheet's content out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from xlplan.core import merge as core
from xlplan.core.colours import role_colours
from xlplan.core.layout import FONT_UI, STATUS_SHEET
from xlplan.core.meta import meta_label
from xlplan.core.plan import (
    AutoFilter,
    ColWidth,
    Format,
    Merge,
    Op,
    PageSetup,
    RowHeight,
    SheetContent,
    Value,
    View,
    grid_of,
    ref,
)
from xlplan.core.report import Span, SummarySheet, text_height
from xlplan.core.returns import FileVerdict, MergeReport
from xlplan.core.schemes import Role
from xlplan.core.texts import UI, say

Grid = Sequence[Sequence[object]]

# --------------------------------------------------------------------------- the record


@dataclass(frozen=True, slots=True)
class ReturnRecord:
    """One returned copy taken in by a merge: a ``returned`` row of ``_xlplan``.

    ``status`` is the merge's verdict on the file (:class:`xlplan.core.returns.FileVerdict`).
    The counts are written as text (``_xlplan`` holds text only) and read back tolerantly.
    """

    issue_id: str
    at: str  # "YYYY-MM-DD HH:MM:SS", the merge's time
    file: str  # the returned file's name
    sha256: str
    status: str
    saved_by: str
    changes: int
    conflicts: int
    errors: int = 0
    warnings: int = 0
    group: str = ""  # from the copy's stamp (for an issue the master has no record of)
    issued_at: str = ""

    def as_row(self) -> list[str]:
        return [core.RETURN_LOG, self.issue_id, self.at, self.file, self.sha256, self.status,
                self.saved_by, str(self.changes), str(self.conflicts), str(self.errors),
                str(self.warnings), self.group, self.issued_at]


def _int(text: str) -> int:
    try:
        return int(float(text))
    except ValueError:
        return 0


def return_log(grid: Grid) -> list[ReturnRecord]:
    """Every ``returned`` row of ``_xlplan``, in the order written."""
    out = []
    for line in grid:
        if meta_label(line) == core.RETURN_LOG:
            c = [("" if v is None else str(v)) for v in line] + [""] * 13
            out.append(ReturnRecord(c[1], c[2], c[3], c[4], c[5], c[6], _int(c[7]), _int(c[8]),
                                    _int(c[9]), _int(c[10]), c[11], c[12]))
    return out


def new_returns(report: MergeReport, meta: Grid) -> list[ReturnRecord]:
    """The ``returned`` rows a merge adds: one per file issued from this master (its stamp
    names this master) whose content was not recorded before. Files that could not be
    read, or that came from another master or no issue at all, belong to no copy."""
    seen = {r.sha256 for r in return_log(meta)}
    out = []
    for f in report.files:
        if not f.issue_id or not f.sha256 or f.sha256 in seen:
            continue
        seen.add(f.sha256)
        c = f.counts()
        out.append(ReturnRecord(f.issue_id, report.at, f.name, f.sha256, f.status, f.saved_by,
                                c["changes"], c["conflicts"], c["errors"], c["warnings"],
                                f.group, f.issued_at))
    return out


# --------------------------------------------------------------------------- the state


class State(StrEnum):
    OUTSTANDING = "outstanding"  # 未回収: nothing came back yet
    RETURNED = "returned"  # 回収済: the last file came back and was merged
    CONFLICTS = "conflicts"  # 一部競合: the last file left cells not taken (conflicts)
    REFUSED = "refused"  # 取込せず: the last file was read but nothing could be taken
    SUPERSEDED = "superseded"  # 再配布済: its rows were sent out again later

    @property
    def ja(self) -> str:
        return say("status.state." + self.value)


_VERDICT = {FileVerdict.MERGED: State.RETURNED, FileVerdict.NOTHING: State.RETURNED,
            FileVerdict.CONFLICTS: State.CONFLICTS, FileVerdict.REFUSED: State.REFUSED}


@dataclass(frozen=True, slots=True)
class CopyStatus:
    """One issued copy and what became of it."""

    issue: core.IssueRecord
    state: State
    due: date | None
    returns: tuple[ReturnRecord, ...] = ()
    overdue_days: int | None = None  # past the deadline with nothing back
    known: bool = True  # False: returned, but the master has no record of the issue

    @property
    def rows(self) -> int | None:
        return len(self.issue.row_ids) if self.known else None

    @property
    def first_at(self) -> str:
        return self.returns[0].at if self.returns else ""

    @property
    def last(self) -> ReturnRecord | None:
        return self.returns[-1] if self.returns else None

    @property
    def changes(self) -> int | None:
        """Cells applied from this copy, over every file of it taken in."""
        return sum(r.changes for r in self.returns) if self.returns else None

    @property
    def conflicts(self) -> int | None:
        """Conflicts of the last file taken in (the ones still listed)."""
        return self.returns[-1].conflicts if self.returns else None

    @property
    def overdue(self) -> bool:
        return self.overdue_days is not None

    def as_json(self) -> dict[str, Any]:
        last = self.last
        return {
            "group": self.issue.group, "group_by": self.issue.group_by,
            "issue_id": self.issue.issue_id, "issued_at": self.issue.issued_at,
            "file": self.issue.file, "rows": self.rows, "row_ids": list(self.issue.row_ids),
            "due": self.due.isoformat() if self.due else None,
            "state": self.state.value, "state_ja": self.state.ja,
            "first_returned_at": self.first_at or None,
            "last_returned_at": last.at if last else None,
            "saved_by": last.saved_by if last else None,
            "returned_file": last.file if last else None,
            "changes": self.changes, "conflicts": self.conflicts,
            "overdue": self.overdue, "overdue_days": self.overdue_days,
            "known_issue": self.known,
        }


@dataclass(frozen=True, slots=True)
class Collection:
    """Every issued copy's state at ``as_of``: current copies first, then 再配布済."""

    as_of: datetime | None  # None: no clock, so nothing is overdue (集計's counts)
    copies: tuple[CopyStatus, ...] = field(default_factory=tuple)

    def _count(self, *states: State) -> int:
        return sum(1 for c in self.copies if c.state in states)

    @property
    def issued(self) -> int:
        """Copies out now (再配布済 not counted: their rows went out again)."""
        return len(self.copies) - self.superseded

    @property
    def returned(self) -> int:
        return self._count(State.RETURNED, State.CONFLICTS, State.REFUSED)

    @property
    def outstanding(self) -> int:
        return self._count(State.OUTSTANDING)

    @property
    def overdue(self) -> int:
        return sum(1 for c in self.copies if c.overdue)

    @property
    def superseded(self) -> int:
        return self._count(State.SUPERSEDED)

    def counts(self) -> dict[str, int]:
        return {"issued": self.issued, "returned": self.returned,
                "complete": self._count(State.RETURNED),
                "conflicts": self._count(State.CONFLICTS),
                "refused": self._count(State.REFUSED), "outstanding": self.outstanding,
                "overdue": self.overdue, "superseded": self.superseded}

    def line(self) -> str:
        """「配布 9件、回収 6件、未回収 3件（うち期限超過 1件）」"""
        if not self.copies:
            return say("status.none")
        parts = [say("status.part", state=s.ja, count=n)
                 for s in (State.CONFLICTS, State.REFUSED) if (n := self._count(s))]
        text = say("status.line", issued=self.issued, returned=self.returned,
                   returned_detail=say("status.returned_detail", parts="、".join(parts))
                   if parts else "",
                   outstanding=self.outstanding,
                   overdue_detail=say("status.overdue_detail", overdue=self.overdue)
                   if self.overdue else "")
        if self.superseded:
            text += say("status.superseded_detail", count=self.superseded)
        return text

    def lines(self) -> list[str]:
        """The summary line, then one line per copy out now (what the CLI prints)."""
        out = [self.line()]
        for c in self.copies:
            if c.state is State.SUPERSEDED:
                continue
            detail = say("status.copy_due", due=c.due.isoformat()) if c.due else ""
            if c.overdue_days is not None:
                detail += say("status.copy_overdue", days=c.overdue_days)
            last = c.last
            if last is not None:
                detail += say("status.copy_returned", at=last.at, changes=c.changes,
                              conflicts=c.conflicts)
            out.append(say("status.copy_line", group=c.issue.group,
                           file=c.issue.file or (last.file if last else ""),
                           rows=c.rows if c.rows is not None else "－", state=c.state.ja,
                           detail=detail))
        return out

    def as_json(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(sep=" ", timespec="seconds") if self.as_of else None,
                "line": self.line(),
                **self.counts(), "copies": [c.as_json() for c in self.copies]}


def _due(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def collection(meta: Grid, now: datetime | None) -> Collection:
    """The state of every issued copy, from the ``_xlplan`` rows ``meta``, at ``now``.

    A copy is 再配布済 when a later split (an issue further down the log, at another time)
    sent any of its rows out again; otherwise its state is the verdict on the last file of it taken in,
    or 未回収. 期限超過 is a 未回収 copy whose deadline lies before ``now``'s day.
    """
    issues = core.issue_log(meta)
    returns: dict[str, list[ReturnRecord]] = {}
    for r in return_log(meta):
        returns.setdefault(r.issue_id, []).append(r)
    current: list[CopyStatus] = []
    old: list[CopyStatus] = []
    today = now.date() if now is not None else None
    for k, issue in enumerate(issues):
        got = tuple(returns.get(issue.issue_id, ()))
        due = _due(issue.due)
        mine = set(issue.row_ids)
        # Copies of one split share their time (a row with two owners goes to both): only
        # a later split sends a row "again".
        later = any(mine.intersection(i.row_ids) for i in issues[k + 1:]
                    if i.issued_at != issue.issued_at)
        if later:
            old.append(CopyStatus(issue, State.SUPERSEDED, due, got))
        elif got:
            current.append(CopyStatus(issue, _VERDICT.get(got[-1].status, State.RETURNED), due, got))
        else:
            late = (today - due).days if due and today and today > due else None
            current.append(CopyStatus(issue, State.OUTSTANDING, due, (), late))
    known = {i.issue_id for i in issues}
    for issue_id, theirs in returns.items():
        if issue_id in known:
            continue
        first = theirs[0]
        record = core.IssueRecord(issue_id, first.issued_at, "", first.group, "", ())
        current.append(CopyStatus(record, _VERDICT.get(theirs[-1].status, State.RETURNED), None,
                                  tuple(theirs), known=False))
    return Collection(now, (*current, *old))


def with_planned(meta: Grid, rows: Iterable[Sequence[object]]) -> list[Sequence[object]]:
    """``_xlplan`` as it will be once ``rows`` are appended (to derive the sheet a plan
    writes from the record it writes)."""
    return [*meta, *rows]


# --------------------------------------------------------------------------- the sheet

FONT = FONT_UI
HEAD_FILL = "DDEBF7"
TAB_COLOUR = "548235"
TITLE_ROW, LINE_ROW, NOTE_ROW, HEAD_ROW = 1, 2, 3, 4
DATA_FONT = 9.0
# Column widths (Excel character units), in the order of UI["status.headings"].
WIDTHS = (30.0, 32.0, 17.0, 32.0, 6.0, 10.0, 9.0, 17.0, 17.0, 12.0, 8.0, 7.0, 9.0, 26.0)
NUMBER_COLS = (5, 11, 12)
WRAPPED_COLS = (1, 4, 10, 14)  # names: wrapped, the row as tall as they need
STATE_COL, OVERDUE_COL = 7, 13
# State → (fill, font) by colour role, as the marks are coloured (xlplan.core.colours).
STATE_COLOURS: dict[State, tuple[str, str]] = {
    State.RETURNED: role_colours(Role.FULL),
    State.CONFLICTS: role_colours(Role.SOME),
    State.REFUSED: role_colours(Role.WORSE),
    State.OUTSTANDING: ("FFFFFF", "000000"),
    State.SUPERSEDED: role_colours(Role.NONE),
}
OVERDUE_COLOURS = role_colours(Role.WORSE)


def headings() -> list[str]:
    return UI["status.headings"].split("\t")


def sheet_rows(col: Collection) -> list[list[Value]]:
    """One row per copy, in the order of :func:`headings`."""
    out: list[list[Value]] = []
    for c in col.copies:
        last = c.last
        out.append([
            c.issue.group, c.issue.issue_id, c.issue.issued_at, c.issue.file or None, c.rows,
            c.due.isoformat() if c.due else None, c.state.ja, c.first_at or None,
            last.at if last else None, last.saved_by if last else None, c.changes, c.conflicts,
            say("status.overdue_days", days=c.overdue_days) if c.overdue_days is not None
            else None,
            last.file if last else None,
        ])
    return out


def status_sheet(col: Collection, after: str | None = None) -> SheetContent:
    """The 回収状況 sheet: title, the summary line, a note, then a filtered table."""
    heads = headings()
    width = len(heads)
    rows: list[list[Value]] = [
        [say("status.title", at=col.as_of.strftime("%Y-%m-%d %H:%M") if col.as_of else "")],
        [col.line()],
        [say("status.note")],
        list(heads),
        *sheet_rows(col),
    ]
    last = len(rows)
    ops: list[Op] = [ColWidth(j, w) for j, w in enumerate(WIDTHS, start=1)]
    ops += [
        Format(ref(TITLE_ROW, 1), font_name=FONT, font_size=14, bold=True),
        Format(ref(LINE_ROW, 1), font_name=FONT, font_size=11, bold=True),
        Format(ref(NOTE_ROW, 1, NOTE_ROW, width), font_name=FONT, font_size=9, wrap=True,
               v_align="top"),
        Merge(ref(NOTE_ROW, 1, NOTE_ROW, width)),
        RowHeight(TITLE_ROW, 24), RowHeight(NOTE_ROW, 28), RowHeight(HEAD_ROW, 30),
        Format(ref(HEAD_ROW, 1, HEAD_ROW, width), font_name=FONT, font_size=9, bold=True,
               fill=HEAD_FILL, h_align="center", v_align="center", wrap=True, border=True),
    ]
    if last > HEAD_ROW:
        first = HEAD_ROW + 1
        ops.append(Format(ref(first, 1, last, width), font_name=FONT, font_size=DATA_FONT,
                          v_align="top", wrap=False, border=True))
        ops += [Format(ref(first, c, last, c), wrap=True) for c in WRAPPED_COLS]
        ops += [Format(ref(first, c, last, c), h_align="right") for c in NUMBER_COLS]
        for i, line in enumerate(rows[first - 1:], start=first):
            need = max(text_height(str(line[c - 1] or ""), WIDTHS[c - 1], DATA_FONT)
                       for c in WRAPPED_COLS)
            ops.append(RowHeight(i, round(max(16.0, need), 1)))
        ops.append(Format(ref(first, STATE_COL, last, STATE_COL), h_align="center", bold=True))
        for i, c in enumerate(col.copies, start=first):
            fill, font = STATE_COLOURS[c.state]
            if c.state is State.SUPERSEDED:
                ops.append(Format(ref(i, 1, i, width), font_color=font))
            ops.append(Format(ref(i, STATE_COL), fill=fill, font_color=font))
            if c.overdue:
                ops.append(Format(ref(i, OVERDUE_COL), fill=OVERDUE_COLOURS[0],
                                  font_color=OVERDUE_COLOURS[1], bold=True))
    ops += [View(freeze=ref(HEAD_ROW + 1, 2), zoom=90, tab_color=TAB_COLOUR),
            AutoFilter(ref(HEAD_ROW, 1, max(last, HEAD_ROW + 1), width)),
            PageSetup("A3", "landscape", footer=f"{STATUS_SHEET}　&P / &N",
                      title_rows=f"{HEAD_ROW}:{HEAD_ROW}")]
    return SheetContent(STATUS_SHEET, grid_of(rows), tuple(ops), after=after)


# --------------------------------------------------------------------------- the 集計 sheet


def with_collection(sm: SummarySheet, col: Collection) -> SummarySheet:
    """集計 with a small section of the copies' counts below what it holds (nothing is
    added for a master that never sent copies out). Only counts that do not change with
    the clock: 期限超過 is on 回収状況 and in ``xlplan status``."""
    if not col.copies:
        return sm
    cells = dict(sm.cells)
    heights = dict(sm.heights)
    merges = list(sm.merges)
    r = sm.last_row + 2
    cells[(r, 1)] = say("summary.collection_title")
    heights[r] = 18.0
    head = UI["summary.collection_head"].split("\t")
    r += 1
    head_row = r
    for j, h in enumerate(head, start=1):
        cells[(r, j)] = h or None
    merges.append(Span(r, 1, r, 2))
    heights[r] = 20.0
    counts = col.counts()
    items = [(say("summary.collection_issued"), counts["issued"]),
             (State.RETURNED.ja, counts["complete"]), (State.CONFLICTS.ja, counts["conflicts"]),
             (State.REFUSED.ja, counts["refused"]), (State.OUTSTANDING.ja, counts["outstanding"]),
             (State.SUPERSEDED.ja, counts["superseded"])]
    for label, n in items:
        r += 1
        cells[(r, 1)] = label
        cells[(r, 3)] = n
        merges.append(Span(r, 1, r, 2))
        heights[r] = 18.0
    table = (head_row + 1, r, len(head))
    r += 1
    cells[(r, 1)] = say("summary.collection_note")
    merges.append(Span(r, 1, r, sm.ncols))
    heights[r] = 30.0
    return replace(sm, cells=cells, merges=tuple(merges), heights=heights,
                   headings=(*sm.headings, (head_row, 1, len(head))),
                   section_rows=(*sm.section_rows, head_row - 1),
                   table_rows=(*sm.table_rows, table))


__all__ = ["Collection", "CopyStatus", "ReturnRecord", "State", "collection", "headings",
           "new_returns", "return_log", "sheet_rows", "status_sheet", "with_collection",
           "with_planned"]
