"""Every file command over every hostile master of the corpus (issue 13).

For each case and command: the exit status; on a refusal one line that names the file
(and the sheet and cell where there is one) with the fix and an English line, the file's
bytes unchanged and no backup; otherwise every typed cell as it was (a merge takes only
the returned copy's cells), no formula in any output that the input did not have there,
exports that a spreadsheet cannot read as formulas, and a second run that changes nothing.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from openpyxl.utils import get_column_letter

from tests.hostile.corpus import CASES, RETURNS
from tests.hostile.harness import (
    COMMANDS,
    RETURN_EDITS,
    Key,
    Snap,
    argv_for,
    backups,
    cli,
    collapse,
    formula_looking_csv,
    json_records,
    new_formulas,
    one_line,
    outputs,
    scene,
    snap,
    typed_changes,
)
from xlplan.core.layout import INPUT_SHEET

IN_PLACE = ("check", "recompute", "render", "update", "merge")
# The template carries the FY2020 report's own typos (延15,3728人…): check finds errors.
DEFAULT_EXIT = {"check": 1, "update": 1}


# The quick lane (`make quick`) runs check on one case of each kind of input the issue
# lists, and recompute on one case of each kind of harm (formula, overwritten cells, lost
# macros, the link, a value that cannot be written); every command over every case runs in
# `make test` (marked slow: the whole matrix takes minutes).
QUICK_RECOMPUTE = frozenset({
    "hyperlink_text_value", "fullwidth_webservice", "formulas_in_values",
    "memo_column_computed_heading", "input_renamed_report", "xlsm_master",
    "symlink_master", "infinite_value"})
QUICK_CHECK = QUICK_RECOMPUTE | {
    "duplicate_heading", "vba_in_xlsx", "long_text", "bad_crc", "merged_whole_row",
    "chart_sheet_input", "garbage_settings", "far_cell", "zero_width_rows",
    "percent_as_number"}
QUICK = {"check": QUICK_CHECK, "recompute": QUICK_RECOMPUTE}


def _params(commands: tuple[str, ...]) -> list[object]:
    out = []
    for name, case in CASES.items():
        for command in commands:
            slow = case.slow or name not in QUICK.get(command, ())
            out.append(pytest.param(name, command, id=f"{name}-{command}",
                                    marks=[pytest.mark.slow] if slow else []))
    return out


def _returned_cells(before: Snap) -> list[Key]:
    """Where the returned copy's edits land in the master."""
    out = []
    for (rid, key), _v in RETURN_EDITS.items():
        tab = INPUT_SHEET[rid.rsplit("-", 1)[0]]
        cols = {k: c for c, k in before.headings.get(tab, {}).items()}
        id_col = cols.get("id")
        for (sheet, coord), (v, _t) in before.cells.items():
            if sheet == tab and v == rid and coord.startswith(get_column_letter(id_col or 1)) \
                    and coord[len(get_column_letter(id_col or 1)):].isdigit():
                out.append((tab, f"{get_column_letter(cols[key])}{coord[len(get_column_letter(id_col or 1)):]}"))
    return out


@cache
def _built(name: str) -> tuple[str, bytes] | None:
    """Each case is built once per session (from the same master bytes every time)."""
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        master, _ = scene(Path(d))
        out = CASES[name].build(master)
        return None if out.is_symlink() else (out.name, out.read_bytes())


def _build(name: str, master: Path) -> Path:
    got = _built(name)
    if got is None:  # a symbolic link is made where it is used
        return CASES[name].build(master)
    file_name, data = got
    master.unlink()
    path = master.with_name(file_name)
    path.write_bytes(data)
    return path


# One class per group of commands: pytest-xdist (--dist loadscope) gives each its worker.
class TestReading:
    @pytest.mark.parametrize(("name", "command"), _params(("check", "export")))
    def test_command_on_hostile_master(self, tmp_path: Path, name: str, command: str) -> None:
        run_case(tmp_path, name, command)


class TestWriting:
    @pytest.mark.parametrize(("name", "command"), _params(("recompute", "render", "update")))
    def test_command_on_hostile_master(self, tmp_path: Path, name: str, command: str) -> None:
        run_case(tmp_path, name, command)


class TestRoundTrip:
    @pytest.mark.parametrize(("name", "command"), _params(("split", "merge", "rollover")))
    def test_command_on_hostile_master(self, tmp_path: Path, name: str, command: str) -> None:
        run_case(tmp_path, name, command)


def test_the_quick_lane_names_real_cases() -> None:
    assert set(CASES) >= QUICK_RECOMPUTE, QUICK_RECOMPUTE - set(CASES)


def test_every_command_is_run() -> None:
    covered = {c for cls in (TestReading, TestWriting, TestRoundTrip)
               for mark in cls.test_command_on_hostile_master.pytestmark  # type: ignore[attr-defined]
               for p in mark.args[1] for c in [p.values[1]]}
    assert covered == set(COMMANDS)


def run_case(tmp_path: Path, name: str, command: str) -> None:
    """One command on one hostile master, with every check of the module docstring."""
    case = CASES[name]
    master, back = scene(tmp_path)
    path = _build(name, master)
    before = snap(path)
    expected = case.exits.get(command, DEFAULT_EXIT.get(command, 0))
    runs = [cli(*argv) for argv in argv_for(command, path, tmp_path, back)]

    for run in runs:
        assert run.code == expected, (run.argv, run.code, run.out[-2000:], run.err[-2000:])
        assert "Traceback" not in run.err + run.out
        if expected == 2:
            line = one_line(run)
            assert collapse(path.name) in line, line
            says = case.says.get(command, ()) if isinstance(case.says, dict) else case.says
            for word in says:
                assert word in line, (word, line)
            assert "。" in line and line.rstrip().endswith(")"), line  # Japanese, then English

    if command == "check":
        for code in case.codes:
            assert f"/{code}]" in runs[0].out, (code, runs[0].out[-3000:])

    after = snap(path)
    if expected == 2:
        assert after.data == before.data
        assert not backups(tmp_path)
        assert not outputs(command, tmp_path)
        return
    if command in ("export", "rollover"):
        assert after.data == before.data  # read only / a new file
    if command == "export":
        json_records(runs[0].out)
        assert formula_looking_csv(runs[1].out) == []
    if not case.damaged:
        allowed = _returned_cells(before) if command == "merge" else []
        assert typed_changes(before, after, case.foreign, allowed) == {}
        assert new_formulas(before, after) == {}
    for out in outputs(command, tmp_path):
        assert new_formulas(before, snap(out), same_place=False) == {}, out

    if command in (*IN_PLACE, "export"):
        again = [cli(*argv) for argv in argv_for(command, path, tmp_path, back)]
        for first, run in zip(runs, again, strict=True):
            assert run.code == expected, (run.argv, run.err)
            if command == "export":
                assert run.out == first.out
        second = snap(path)
        if command == "recompute":
            assert second.data == after.data  # nothing to write, nothing written
        assert second.cells == after.cells


def _report_codes(report: Path) -> set[str]:
    """Finding codes in the merge report's 指摘 sheet (read with openpyxl)."""
    from openpyxl import load_workbook

    wb = load_workbook(report)
    ws = wb["指摘"]
    heads = [c.value for c in ws[1]]
    col = heads.index("コード") + 1
    return {str(ws.cell(r, col).value) for r in range(2, ws.max_row + 1)}


# The quick lane merges one return of each kind of harm; `make test` merges them all.
QUICK_RETURNS = frozenset({"ret_hyperlink_text", "ret_fullwidth_webservice", "ret_xlsm",
                           "ret_percent_as_number"})


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=[] if n in QUICK_RETURNS else [pytest.mark.slow]) for n in RETURNS])
def test_merge_of_a_hostile_return(tmp_path: Path, name: str) -> None:
    from openpyxl import load_workbook

    from tests.test_merge_common import addr

    case = RETURNS[name]
    master, back = scene(tmp_path)
    bad = case.build(back)
    before = snap(master)
    report = tmp_path / "結果.xlsx"
    run = cli("merge", master, bad, "--report", report)
    assert run.code == case.exit, (run.out, run.err)
    assert "Traceback" not in run.err + run.out and run.err.strip() == ""
    codes = _report_codes(report)
    for code in case.codes:
        assert code in codes, (code, codes)

    taken = {**(RETURN_EDITS if case.usual else {}), **case.taken}
    wb = load_workbook(master)
    cells = {}
    for (rid, key), value in taken.items():
        ws = wb[INPUT_SHEET[rid.rsplit("-", 1)[0]]]
        cell = ws[addr(ws, rid.rsplit("-", 1)[0], rid, key)]
        assert cell.value == value, (rid, key, cell.value)
        assert cell.data_type == ("s" if isinstance(value, str) else "n")
        cells[(ws.title, cell.coordinate)] = value
    after = snap(master)
    assert typed_changes(before, after, allowed=cells) == {}
    assert new_formulas(before, after) == {}
    assert new_formulas(before, snap(report), same_place=False) == {}

    again = cli("merge", master, bad)
    assert again.code == case.exit
    assert snap(master).cells == after.cells
