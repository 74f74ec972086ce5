"""判定を再計算 / ``xlplan recompute``: the computed columns of every input sheet.

Typed cells are never written. Adjacent computed columns are written as one block per
sheet (a constant number of writes whatever the row count), a block whose cells already
hold their values is not written at all, and rows without an ID get the next free one.
A second run changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from xlplan.actions.base import Result, Results, compute_all, read_master
from xlplan.core.colours import colours_of
from xlplan.core.compute import COMPUTED_KEYS
from xlplan.core.master import Master, refuse_blocking
from xlplan.core.model import RowData
from xlplan.core.plan import Block, Format, Plan, SheetFormat, grid_of, ref
from xlplan.core.sheetread import clip, next_ids
from xlplan.core.texts import say
from xlplan.engines.port import Engine

PROGRESS_FORMAT = "0.0%"
MARK_KEYS = ("computed_mark", "mark")


def _norm(v: object) -> object:
    return None if v == "" else v


def fit(v: object) -> object:
    """A computed value as a cell can hold it (text cut, with …, at Excel's limit), so that
    comparing it with what the cell holds next time finds no change."""
    if isinstance(v, str):
        return _norm(clip(v))
    return _norm(v)


def _runs(cols: Iterable[int]) -> list[list[int]]:
    """[3, 4, 5, 9] → [[3, 4, 5], [9]]: adjacent columns become one block."""
    out: list[list[int]] = []
    for c in sorted(cols):
        if out and out[-1][-1] == c - 1:
            out[-1].append(c)
        else:
            out.append([c])
    return out


def plan_recompute(master: Master, results: Results) -> Plan:
    """The computed columns (and IDs of new rows) of every input sheet, as blocks."""
    plan = Plan()
    for key, sheet in master.inputs.items():
        lay, read = sheet.layout, sheet.read
        if not sheet.rows:
            continue
        r0 = min(r.row for r in sheet.rows)
        r1 = max(r.row for r in sheet.rows)
        rows = range(r0, r1 + 1)
        missing = [r for r in sheet.rows if not r.id]
        if missing and "id" in lay.cols and "id" not in lay.blocked:
            c = lay.cols["id"]
            new = next_ids(key, [r.id for r in sheet.rows], len(missing))
            by_row = {r.row: nid for r, nid in zip(missing, new, strict=True)}
            before = [[read.at(r, c)] for r in rows]
            after = [[by_row.get(r, read.at(r, c))] for r in rows]
            plan.blocks.append(Block(sheet.tab, r0, c, grid_of(after), grid_of(before)))  # type: ignore[arg-type]
            plan.changed_cells += len(new)
            plan.assigned_ids += new
        writable = {lay.cols[k]: k for k in COMPUTED_KEYS if k in lay.cols and k not in lay.blocked}
        in_rows = {r.row for r in sheet.rows}
        sheet_changed = 0
        for run in _runs(writable):
            before = [[read.at(r, c) for c in run] for r in rows]
            after = [list(line) for line in before]
            changed = 0
            for i, r in enumerate(rows):
                if r not in in_rows:
                    continue  # a blank row between indicators: left as it is
                values = results[(key, r)].values
                for j, c in enumerate(run):
                    new_v = fit(values[writable[c]])
                    if _norm(before[i][j]) != new_v:
                        after[i][j] = new_v
                        changed += 1
            if changed:
                sheet_changed += changed
                plan.blocks.append(Block(sheet.tab, r0, run[0], grid_of(after), grid_of(before)))  # type: ignore[arg-type]
        plan.changed_cells += sheet_changed
        if sheet_changed:
            plan.formats += sheet_formats(master, key, results)
    return plan


def sheet_formats(master: Master, key: str, results: Results) -> list[SheetFormat]:
    """The formats of a sheet's computed cells, written whenever its values are: the
    progress column as percentages, each mark in the colour of what it means (a relabelled
    ◎ keeps its green). One layout call per sheet, however many rows."""
    sheet = master.inputs[key]
    lay = sheet.layout
    out: list[SheetFormat] = []
    r0, r1 = sheet.rows[0].row, sheet.rows[-1].row
    if "progress" in lay.cols and "progress" not in lay.blocked:
        c = lay.cols["progress"]
        out.append(SheetFormat(sheet.tab, Format(ref(r0, c, r1, c), number_format=PROGRESS_FORMAT)))
    for k in MARK_KEYS:
        if k not in lay.cols or k in lay.blocked:
            continue
        c = lay.cols[k]
        for r in sheet.rows:
            mark = str(fit(results[(key, r.row)].values[k]) or "")
            fill, font = colours_of(key, mark, master.settings)
            out.append(SheetFormat(sheet.tab, Format(ref(r.row, c), fill=fill, font_color=font)))
    return out


def rows_after(master: Master, plan: Plan, results: Results) -> list[RowData]:
    """The rows as a reader will find them once ``plan`` is written: computed columns up
    to date, new rows with their new IDs."""
    out: list[RowData] = []
    new = iter(plan.assigned_ids)
    for sheet in master.inputs.values():
        computed = [k for k in COMPUTED_KEYS if k in sheet.layout.cols]
        for r in sheet.rows:
            values = dict(r.values)
            res = results[(r.sheet, r.row)].values
            values.update({k: fit(res[k]) for k in computed})
            nid = None if r.id else next(new, None)
            if nid is not None:
                values["id"] = nid
            out.append(replace(r, id=nid or r.id, values=values))
    return out


def summary(plan: Plan) -> str:
    if not plan.changed_cells:
        return say("recompute.nothing")
    text = say("recompute.done", cells=plan.changed_cells)
    if plan.assigned_ids:
        ids = "、".join(plan.assigned_ids[:5]) + ("…" if len(plan.assigned_ids) > 5 else "")
        text += "\n" + say("recompute.new_ids", ids=ids)
    return text


def recompute(engine: Engine) -> Result:
    """判定を再計算: plan the computed columns of the workbook ``engine`` reads."""
    master = read_master(engine)
    refuse_blocking(master)
    results = compute_all(master)
    plan = plan_recompute(master, results)
    return Result("recompute", plan, list(master.findings), [summary(plan)],
                  {"master": master, "results": results})
