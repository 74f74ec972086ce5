"""Rolling the master over to the next reporting year: every decision, as data.

:func:`plan_rollover` takes this year's master (as read) and returns the plan that turns
a copy of it into next year's master, in named steps:

1. :func:`archive` — this year's typed values, marks and narratives into 過去実績 (one
   row per indicator per year; an earlier archive of the same year is replaced);
2. :func:`target_changes` — targets changed in cells during the year without a record,
   and the requests of 目標変更履歴 (and of a request file), each recorded with its date
   and reason;
3. :func:`clear_inputs` — the new year's input cells and manual judgements emptied,
   baselines and targets carried;
4. :func:`new_settings` / :func:`retitle` — 設定 and every year-dependent heading follow
   the year;
5. :func:`new_identity` — a new master ID, no issues outstanding, stale check results gone.

The computed columns and the printed report are then brought up to date by the same
actions as always (recompute, render). Pure: no files, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from dateutil.relativedelta import relativedelta

from xlplan.core import merge as core
from xlplan.core.compute import RowResult, cell_text
from xlplan.core.findings import Finding
from xlplan.core.layout import (
    CHANGES_SHEET,
    CHECK_SHEET,
    HISTORY_SHEET,
    META_SHEET,
    SETTINGS_SHEET,
    STATUS_SHEET,
    TARGETS_SHEET,
    columns_for,
    fiscal_year_words,
)
from xlplan.core.logs import CHANGES, HISTORY, HISTORY_COLUMNS, TARGETS
from xlplan.core.master import Master
from xlplan.core.meta import meta_label
from xlplan.core.model import RowData
from xlplan.core.plan import Block, Plan, SheetContent, grid_of
from xlplan.core.settings import Settings
from xlplan.core.settings_grid import (
    DUE_LABEL,
    HEADINGS_LABEL,
    LABEL_COL,
    SETTING_ITEMS,
    VALUE_COL,
    parse_day,
    setting_value,
)
from xlplan.core.texts import finding, refuse, say

CLEAR_KEYS = ("actual", "projection", "basis", "status_text", "miss_reason", "countermeasure",
              "challenges", "policy", "questions", "trend_override", "mark_override",
              "override_reason")
TARGET_KINDS = {"中間目標": "mid_target", "最終目標": "final_target",
                "mid_target": "mid_target", "final_target": "final_target"}
TARGET_WORDS = {"mid_target": "中間目標", "final_target": "最終目標"}
STATE_APPLIED = "適用済"
STATE_RECORDED = "記録のみ"
STATE_PENDING = "適用待ち"


@dataclass
class Rollover:
    """What a rollover does, decided before anything is written."""

    from_year: int
    to_year: int
    plan: Plan
    archived: int
    cleared_cells: int
    target_changes: list[dict[str, object]]
    findings: list[Finding] = field(default_factory=list)


def check_years(old: Settings, to_year: int, where: str) -> list[Finding]:
    if to_year <= old.fiscal_year:
        raise refuse("rollover_year", where, year=old.fiscal_year,
                     era=fiscal_year_words(old.fiscal_year), to=to_year, next=old.fiscal_year + 1)
    out = []
    if to_year > old.fiscal_year + 1:
        out.append(finding("rollover_skips_years", sheet=SETTINGS_SHEET, old=old.fiscal_year,
                           new=to_year))
    if to_year > old.final_year:
        out.append(finding("rollover_past_final", sheet=SETTINGS_SHEET,
                           new=fiscal_year_words(to_year), final=fiscal_year_words(old.final_year)))
    return out


def _int(v: object) -> int | None:
    try:
        return int(str(v).strip())
    except (TypeError, ValueError):
        return None


def _name(row: RowData) -> str:
    return row.text("indicator").replace("\n", "") or row.id


def history_record(r: RowData, res: RowResult, year: int, at: str) -> dict[str, object]:
    rec: dict[str, object] = {"fiscal_year": year, "era": fiscal_year_words(year),
                              "sheet": r.sheet, "archived_at": at}
    for key, _ in HISTORY_COLUMNS:
        if key in r.values and key not in res.values:
            rec[key] = r.values.get(key)
    for key, v in res.values.items():
        rec[key] = v
    rec["id"] = r.id
    return rec


def archive(master: Master, results: Mapping[tuple[str, int], RowResult], at: str,
            findings: list[Finding]) -> tuple[SheetContent, int, list[dict[str, object]]]:
    """(過去実績 with this year's rows, rows archived, the archive as it was)."""
    year = master.settings.fiscal_year
    before = HISTORY.records(master.grid(HISTORY_SHEET))
    same = [r for r in before if _int(r.get("fiscal_year")) == year]
    if same:
        findings.append(finding("rollover_rearchived", sheet=HISTORY_SHEET,
                                year=fiscal_year_words(year), count=len(same)))
    kept = [r for r in before if _int(r.get("fiscal_year")) != year]
    new = [history_record(r, results[(r.sheet, r.row)], year, at) for r in master.all_rows()]
    return HISTORY.new_sheet([*kept, *new]), len(new), before


def _parse_date(s: str) -> date | None:
    for fmt in ("%Y/%m/%d", "%Y-%m-%d", "%Y.%m.%d"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            pass
    return None


def _target_request(req: Mapping[str, object], origin: str, rows: Mapping[str, RowData],
                    today: date, to_year: int, findings: list[Finding]
                    ) -> tuple[RowData, str, dict[str, object]] | None:
    where = say("rollover.where_sheet" if origin == "sheet" else "rollover.where_file",
                sheet=TARGETS_SHEET, row=req.get("_row"))
    rid = cell_text(req.get("id"))
    kind = TARGET_KINDS.get(cell_text(req.get("target")))
    new = core.canonical(req.get("new"))
    reason = cell_text(req.get("reason"))

    def bad(problem: str, hint: str) -> None:
        findings.append(finding("target_request_invalid",
                                sheet=TARGETS_SHEET if origin == "sheet" else "", row_id=rid,
                                where=where, problem=problem, hint=hint))

    row = rows.get(rid)
    if row is None:
        bad(say("rollover.no_id", id=rid), say("rollover.no_id_fix"))
        return None
    if kind is None or kind not in row.values:
        bad(say("rollover.no_target", target=cell_text(req.get("target"))),
            say("rollover.no_target_fix"))
        return None
    if not new:
        bad(say("rollover.no_new"), say("rollover.no_new_fix"))
        return None
    if not reason:
        bad(say("rollover.no_reason"), say("rollover.no_reason_fix"))
        return None
    when = req.get("date")
    if isinstance(when, datetime):
        when = when.date()
    if not isinstance(when, date):
        when = _parse_date(cell_text(when)) or today
    current = core.canonical(row.values.get(kind))
    state = STATE_APPLIED if current != new else STATE_RECORDED
    return row, kind, {"date": when, "id": rid, "indicator": _name(row),
                       "target": TARGET_WORDS[kind], "old": current, "new": req.get("new"),
                       "reason": reason, "state": state, "fiscal_year": to_year}


def target_changes(master: Master, archived_before: Sequence[Mapping[str, object]],
                   requests_file: Sequence[Mapping[str, object]], to_year: int, today: date,
                   findings: list[Finding]) -> tuple[Plan, list[dict[str, object]],
                                                     list[tuple[RowData, str, object]]]:
    """(目標変更履歴 writes, the entries recorded, the target cells to write)."""
    old_year = master.settings.fiscal_year
    grid = master.grid(TARGETS_SHEET)
    records_before = TARGETS.records(grid)
    change_log: list[dict[str, object]] = []
    prev = {(str(r.get("id")), k): core.canonical(r.get(k)) for r in archived_before
            if _int(r.get("fiscal_year")) == old_year - 1 for k in TARGET_WORDS}
    recorded = {(str(r.get("id")), TARGET_KINDS.get(cell_text(r.get("target")), ""),
                 core.canonical(r.get("new"))) for r in records_before}
    rows = {r.id: r for r in master.all_rows()}
    for r in master.all_rows():
        for k in TARGET_WORDS:
            if k not in r.values or (r.id, k) not in prev:
                continue
            now_t = core.canonical(r.values.get(k))
            if now_t != prev[(r.id, k)] and (r.id, k, now_t) not in recorded:
                change_log.append({"date": today, "id": r.id, "indicator": _name(r),
                                   "target": TARGET_WORDS[k], "old": prev[(r.id, k)],
                                   "new": now_t, "reason": say("rollover.unrecorded_reason"),
                                   "state": STATE_RECORDED, "fiscal_year": old_year})
                findings.append(finding("target_changed_unrecorded", sheet=r.tab,
                                        cell=r.cell(k), row_id=r.id, name=_name(r),
                                        target=TARGET_WORDS[k], old=prev[(r.id, k)], new=now_t,
                                        sheet_name=TARGETS_SHEET))
    requests: list[tuple[Mapping[str, object], str]] = [(r, "sheet") for r in records_before
                if cell_text(r.get("state")) in ("", STATE_PENDING)]
    requests += [(r, "file") for r in requests_file]
    plan = Plan()
    writes: list[tuple[RowData, str, object]] = []
    entries: list[dict[str, object]] = list(change_log)
    heads = {str(v).strip(): j for j, v in enumerate(grid[0] if grid else (), start=1)
             if v is not None}
    for req, origin in requests:
        done = _target_request(req, origin, rows, today, to_year, findings)
        if done is None:
            continue
        row, key, entry = done
        entries.append(entry)
        if entry["state"] == STATE_APPLIED:
            writes.append((row, key, req.get("new")))
        if origin == "sheet":
            at_row = int(str(req["_row"]))
            for k, h in TARGETS.columns:
                if k in ("old", "state", "fiscal_year", "indicator", "date") and h in heads:
                    plan.blocks.append(Block(TARGETS_SHEET, at_row, heads[h],
                                             ((entry[k],),)))  # type: ignore[arg-type]
        else:
            change_log.append(entry)
    read = master.reads.get(TARGETS_SHEET)
    plan.extend(TARGETS.append(read, change_log, after=HISTORY_SHEET))
    return plan, entries, writes


def clear_inputs(master: Master, writes: Sequence[tuple[RowData, str, object]]) -> tuple[Plan, int]:
    """Empty the new year's input cells (one block per column run and sheet) and write
    the target changes that apply."""
    plan = Plan()
    cleared = 0
    targets = {(r.tab, r.row, master.inputs[r.sheet].layout.cols[k]): v for r, k, v in writes}
    for s in master.inputs.values():
        cols = sorted(s.layout.cols[k] for k in (*CLEAR_KEYS, "mid_target", "final_target")
                      if k in s.layout.cols)
        if not s.rows:
            continue
        r0, r1 = s.rows[0].row, s.rows[-1].row
        in_rows = {r.row for r in s.rows}
        clear = {s.layout.cols[k] for k in CLEAR_KEYS if k in s.layout.cols}
        for run in _runs(cols):
            before = [[s.read.at(r, c) for c in run] for r in range(r0, r1 + 1)]
            after = [list(line) for line in before]
            changed = False
            for i, r in enumerate(range(r0, r1 + 1)):
                if r not in in_rows:
                    continue
                for j, c in enumerate(run):
                    if (s.tab, r, c) in targets:
                        after[i][j] = targets[(s.tab, r, c)]
                        changed = True
                    elif c in clear and before[i][j] is not None:
                        after[i][j] = None
                        cleared += 1
                        changed = True
            if changed:
                plan.blocks.append(Block(s.tab, r0, run[0], grid_of(after),  # type: ignore[arg-type]
                                         grid_of(before)))  # type: ignore[arg-type]
    return plan, cleared


def _runs(cols: Sequence[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for c in cols:
        if out and out[-1][-1] == c - 1:
            out[-1].append(c)
        else:
            out.append([c])
    return out


def new_settings(master: Master, to_year: int) -> tuple[Settings, Plan]:
    """The next year's settings, and the 設定 cells that change (found by label)."""
    old = master.settings
    years = to_year - old.fiscal_year
    new = replace(old, fiscal_year=to_year, report_date=old.report_date + relativedelta(years=years))
    grid = master.grid(SETTINGS_SHEET)
    plan = Plan()
    rows = {str(line[LABEL_COL - 1]).strip(): i for i, line in enumerate(grid, start=1)
            if len(line) >= LABEL_COL and line[LABEL_COL - 1] is not None}
    for item in SETTING_ITEMS:
        if item.field in ("fiscal_year", "report_date") and item.label in rows:
            plan.blocks.append(Block(SETTINGS_SHEET, rows[item.label], VALUE_COL,
                                     ((setting_value(new, item.field),),)))
    if DUE_LABEL in rows:  # next year's deadline: the same day, as 報告日 moves (issue 12)
        due = parse_day(_value_at(grid, rows[DUE_LABEL]))
        if due is not None:
            plan.blocks.append(Block(SETTINGS_SHEET, rows[DUE_LABEL], VALUE_COL,
                                     ((due + relativedelta(years=years),),)))
    if HEADINGS_LABEL in rows:
        from xlplan.core.layout import layout_headings

        first = rows[HEADINGS_LABEL] + 1
        heads = layout_headings(new)
        plan.blocks.append(Block(SETTINGS_SHEET, first, 1, tuple((h,) for h in heads)))
    return new, plan


def _value_at(grid: Sequence[Sequence[object]], row: int) -> object:
    line = grid[row - 1]
    return line[VALUE_COL - 1] if len(line) >= VALUE_COL else None


def retitle(master: Master, settings: Settings) -> Plan:
    """Year-dependent headings of the input sheets for the new settings."""
    plan = Plan()
    for key, s in master.inputs.items():
        for c in columns_for(key):
            if c.key in s.layout.cols and "{" in c.heading:
                plan.blocks.append(Block(s.tab, s.layout.header_row, s.layout.cols[c.key],
                                         ((c.heading_for(settings),),)))
    return plan


def new_identity(master: Master, new_id: str, source: str, at: str) -> Plan:
    """``_xlplan`` without last year's identity, issues and merges, with a new ID and a
    record of where this master came from."""
    meta = master.reads[META_SHEET]
    drop = (core.MASTER_ID, core.ISSUE_LOG, core.MERGE_LOG, core.RETURN_LOG, core.ROLLED_FROM)
    kept = [list(line) for line in meta.values
            if not (meta_label(line) in drop or meta_label(line).startswith(core.STAMP_PREFIX))]
    old_id = core.meta_value(meta.values, core.MASTER_ID) or ""
    rows: list[list[object]] = [*kept, [core.MASTER_ID, new_id],
            [core.ROLLED_FROM, old_id, str(master.settings.fiscal_year), source, at]]
    width = max([len(r) for r in rows] + [len(r) for r in meta.values] + [1])
    height = max(len(rows), len(meta.values))
    grid = [[*r, *[None] * (width - len(r))] for r in rows]
    grid += [[None] * width for _ in range(height - len(rows))]
    return Plan(blocks=[Block(META_SHEET, 1, 1, grid_of(grid))])  # type: ignore[arg-type]


def plan_rollover(master: Master, results: Mapping[tuple[str, int], RowResult], to_year: int,
                  *, requests: Sequence[Mapping[str, object]], new_id: str, source: str,
                  now: datetime) -> Rollover:
    """Every write of a rollover on a copy of ``master`` (see the module docstring)."""
    old = master.settings
    findings = check_years(old, to_year, master.label)
    at = now.isoformat(sep=" ", timespec="seconds")
    plan = Plan()
    history, archived, before = archive(master, results, at, findings)
    plan.sheets.append(history)
    targets, entries, writes = target_changes(master, before, requests, to_year, now.date(),
                                              findings)
    plan.extend(targets)
    cleared_plan, cleared = clear_inputs(master, writes)
    plan.extend(cleared_plan)
    new, settings_plan = new_settings(master, to_year)
    plan.extend(settings_plan)
    plan.extend(retitle(master, new))
    plan.extend(new_identity(master, new_id, source, at))
    if master.has(CHECK_SHEET):
        plan.delete.append(CHECK_SHEET)
    if master.has(STATUS_SHEET):  # last year's copies: the new master has sent none yet
        plan.delete.append(STATUS_SHEET)
    plan.extend(CHANGES.append(master.reads.get(CHANGES_SHEET), [{
        "at": at, "action": say("rollover.history_action"), "file": source,
        "new": say("rollover.history_text", old=fiscal_year_words(old.fiscal_year),
                   new=fiscal_year_words(to_year), archived=archived, cleared=cleared)}]))
    return Rollover(old.fiscal_year, to_year, plan, archived, cleared, entries, findings)
