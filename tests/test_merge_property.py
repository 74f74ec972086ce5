"""Property: merge is idempotent and never loses a cell value that was not explicitly changed.

Each example takes the issued 4-3 copy of the real template (built once), lets the
secretariat type into the master and staff type into the copy (any of the typed cells,
from a small alphabet that includes the issued values, blanks, numbers and text that only
differs in spaces), merges, and checks every typed cell of the master against the
three-way rule computed here independently; then merges again and checks nothing moves.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.test_merge_common import T1, _issued_by_sheet, cells, computed_cells, layout_of
from xlplan.core.layout import CHANGES_SHEET, INPUT_SHEET, META_SHEET, Kind, columns_for
from xlplan.roundtrip import merge_into_master

SHEET = "4-3"
IDS = [f"4-3-0{i}" for i in range(1, 9)]
TYPED = [c.key for c in columns_for(SHEET) if c.kind is not Kind.COMPUTED and c.key != "id"]
EDITABLE = {c.key for c in columns_for(SHEET) if c.editable_by_staff}
VALUES = st.sampled_from(["A", "B", " A ", None, 5, "5", "行1\n行2", "－", "=1+1"])
# A few rows and columns, so that both sides often touch the same cell; the editable
# columns plus typed columns staff must not change (a target, the owner, an override).
KEYS = ["actual", "projection", "policy", "baseline", "final_target", "owner", "mark_override"]
assert set(KEYS) <= set(TYPED)
CELL = st.tuples(st.sampled_from(IDS[:3]), st.sampled_from(KEYS))
EDITS = st.dictionaries(CELL, VALUES, max_size=8)
REVERT = "<issued value>"  # the secretariat undoing a change: back to what was issued
LATER = st.dictionaries(CELL, st.one_of(VALUES, st.just(REVERT)), max_size=8)


def canon(v: object) -> str:
    # Independent of xlplan: what a person would call "the same text".
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _positions(wb) -> dict[tuple[str, str], str]:  # type: ignore[no-untyped-def]
    ws = wb[INPUT_SHEET[SHEET]]
    lay = layout_of(ws, SHEET)
    rows = {ws.cell(r, lay.cols["id"]).value: r for r in range(lay.header_row + 1, ws.max_row + 1)}
    return {(rid, k): ws.cell(rows[rid], lay.cols[k]).coordinate for rid in IDS for k in TYPED}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(master_edits=EDITS, staff_edits=EDITS, later_edits=LATER)
def test_merge_is_idempotent_and_loses_nothing(master_edits: dict[tuple[str, str], object],
                                               staff_edits: dict[tuple[str, str], object],
                                               later_edits: dict[tuple[str, str], object]) -> None:
    master_bytes, copies = _issued_by_sheet()
    copy_bytes = dict(copies)[SHEET]
    master = load_workbook(io.BytesIO(master_bytes))
    pos = _positions(master)
    ws = master[INPUT_SHEET[SHEET]]
    base = {k: ws[a].value for k, a in pos.items()}
    for k, v in master_edits.items():
        ws[pos[k]].value = v
        if isinstance(v, str) and v.startswith("="):
            ws[pos[k]].data_type = "s"
    mine = {k: ws[a].value for k, a in pos.items()}

    copy = load_workbook(io.BytesIO(copy_bytes))
    cpos = _positions(copy)
    for k, v in staff_edits.items():
        copy[INPUT_SHEET[SHEET]][cpos[k]].value = v
    with tempfile.TemporaryDirectory() as d:
        returned = Path(d) / "returned.xlsx"
        copy.save(returned)
        before = cells(master)
        computed = computed_cells(master)
        rep = merge_into_master(master, [returned], now=T1)
        after = cells(master)
        merged = {k: master[INPUT_SHEET[SHEET]][a].value for k, a in pos.items()}
        again = merge_into_master(master, [returned], now=T1)
        assert again.changes == []
        assert cells(master) == after  # idempotent
        assert [(c.row_id, c.key) for c in again.conflicts] == [(c.row_id, c.key) for c in rep.conflicts]
        # Even after the secretariat typed over cells, a change is never taken twice.
        wsl = master[INPUT_SHEET[SHEET]]
        for k, v in later_edits.items():
            v = base[k] if v == REVERT else v
            wsl[pos[k]].value = v
            if isinstance(v, str) and v.startswith("="):
                wsl[pos[k]].data_type = "s"
        later = {k: wsl[a].value for k, a in pos.items()}
        third = merge_into_master(master, [returned], now=T1)
        applied_before = {(c.row_id, c.key) for c in rep.changes}
        assert not applied_before & {(c.row_id, c.key) for c in third.changes}
        for c in third.changes:  # only cells that were conflicts or untouched may now apply
            assert canon(later[(c.row_id, c.key)]) == canon(base[(c.row_id, c.key)])

    exp_conflicts = set()
    for k in pos:
        b, m = canon(base[k]), canon(mine[k])
        r = canon(staff_edits[k]) if k in staff_edits else b
        got = merged[k]
        formula = isinstance(staff_edits.get(k), str) and str(staff_edits[k]).startswith("=")
        if k[1] in EDITABLE and r != b and m == b and not formula:
            assert canon(got) == r, (k, base[k], mine[k], staff_edits.get(k), got)
        else:
            assert got == mine[k], (k, base[k], mine[k], staff_edits.get(k), got)  # untouched
        if k[1] in EDITABLE and r != b and m != b and r != m and not formula:
            exp_conflicts.add(k)
    assert {(c.row_id, c.key) for c in rep.conflicts} == exp_conflicts
    # Nothing else in the workbook moved but computed cells and the two logs.
    typed = {(INPUT_SHEET[SHEET], a) for a in pos.values()}
    for key in set(before) | set(after):
        if key[0] in (CHANGES_SHEET, META_SHEET) or key in computed or key in typed:
            continue
        assert before.get(key) == after.get(key), key
