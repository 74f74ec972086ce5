"""Property: the three-way merge is idempotent and never loses a value nobody changed.

Tested on the core's rows (no files: a few hundred examples a second): the seed's 4-3
rows as issued, the secretariat typing into the master, staff typing into the copy (any
of the typed cells, from a small alphabet that includes the issued values, blanks,
numbers, text that only differs in spaces, and a formula), the merge, and the expected
outcome computed here independently with the three-way rule of docs/roundtrip.md. Then
the same file merged again takes nothing, even after the secretariat typed over cells.
Whole files go through the same function in tests/test_merge.py.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.lanes import examples
from xlplan.core import merge as core
from xlplan.core.layout import INPUT_SHEET, Kind, columns_for
from xlplan.core.model import RowData
from xlplan.seed import seed_rows

SHEET = "4-3"
TAB = INPUT_SHEET[SHEET]
IDS = [f"4-3-0{i}" for i in range(1, 9)]
TYPED = [c.key for c in columns_for(SHEET) if c.kind is not Kind.COMPUTED and c.key != "id"]
EDITABLE = {c.key for c in columns_for(SHEET) if c.editable_by_staff}
FORMULA = "=1+1"  # staff typed a formula: never taken, never "empty"
VALUES = st.sampled_from(["A", "B", " A ", None, 5, "5", "行1\n行2", "－", FORMULA])
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


def issued_rows() -> dict[str, RowData]:
    out = {}
    for i, s in enumerate(r for r in seed_rows() if r["sheet"] == SHEET):
        row = 4 + i
        values = {k: s.get(k, "") or None for k in ["id", *TYPED]}
        addr = {k: f"{chr(65 + j)}{row}" for j, k in enumerate(["id", *TYPED])}
        out[s["id"]] = RowData(SHEET, TAB, row, s["id"], values, addr)
    return out


BASE = issued_rows()
STAMP = core.Stamp("master", "issue-1", "2021-01-15 09:00:00", "sheet", SHEET, "m.xlsx",
                   tuple(core.issue_row(r) for r in BASE.values()))


def typed(rows: dict[str, RowData], edits: dict[tuple[str, str], object], *,
          formulas: bool) -> dict[str, RowData]:
    """Rows after people typed ``edits``. In a returned copy a formula is a formula (read
    as such: no value, its text aside); in the master it was typed as text."""
    out = dict(rows)
    for (rid, key), v in edits.items():
        r = out[rid]
        if formulas and v == FORMULA:
            out[rid] = replace(r, values={**r.values, key: None},
                               formulas={**r.formulas, key: FORMULA})
        else:
            out[rid] = replace(r, values={**r.values, key: v},
                               formulas={k: f for k, f in r.formulas.items() if k != key})
    return out


def applied(plan: core.MergePlan) -> set[core.AppliedKey]:
    return {core.applied_key(STAMP.issue_id, c.row_id, c.key, c.new_text) for c in plan.changes}


@settings(max_examples=examples(300), deadline=None)
@given(master_edits=EDITS, staff_edits=EDITS, later_edits=LATER)
def test_merge_is_idempotent_and_loses_nothing(master_edits: dict[tuple[str, str], object],
                                               staff_edits: dict[tuple[str, str], object],
                                               later_edits: dict[tuple[str, str], object]) -> None:
    master = typed(BASE, master_edits, formulas=False)
    returned = list(typed(BASE, staff_edits, formulas=True).values())
    plan = core.plan_merge(STAMP, master, returned)
    merged = core.apply_to_rows(master, plan.changes)
    taken = applied(plan)

    exp_conflicts = set()
    for rid in IDS:
        for k in TYPED:
            b, m = canon(BASE[rid].values.get(k)), canon(master[rid].values.get(k))
            staff = staff_edits.get((rid, k), BASE[rid].values.get(k))
            r = canon(staff)
            got = merged[rid].values.get(k)
            formula = staff == FORMULA and (rid, k) in staff_edits
            if k in EDITABLE and r != b and m == b and not formula:
                assert canon(got) == r, (rid, k, b, m, staff, got)
            else:
                assert got == master[rid].values.get(k), (rid, k)  # untouched
            if k in EDITABLE and r != b and m != b and r != m and not formula:
                exp_conflicts.add((rid, k))
            if formula and k in EDITABLE:
                assert any(f.code == "merge_formula" and f.row_id == rid for f in plan.findings)
    assert {(c.row_id, c.key) for c in plan.conflicts} == exp_conflicts

    # The same file again: nothing more is taken, the same conflicts are listed.
    again = core.plan_merge(STAMP, merged, returned, applied=taken)
    assert again.changes == []
    assert [(c.row_id, c.key) for c in again.conflicts] == [(c.row_id, c.key) for c in plan.conflicts]

    # Even after the secretariat typed over cells, a change is never taken twice.
    later = typed(merged, {k: (BASE[k[0]].values.get(k[1]) if v == REVERT else v)
                           for k, v in later_edits.items()}, formulas=False)
    third = core.plan_merge(STAMP, later, returned, applied=taken)
    assert not {(c.row_id, c.key) for c in plan.changes} & {(c.row_id, c.key) for c in third.changes}
    for c in third.changes:  # only cells that were conflicts or untouched may now apply
        assert canon(later[c.row_id].values.get(c.key)) == canon(BASE[c.row_id].values.get(c.key))
