"""recompute writes the computed columns only, atomically, after a backup; twice = once."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from tests.conftest import run_cli
from tests.helpers import computed_cells, input_cells
from xlplan.core.layout import INPUT_SHEET
from xlplan.seed import seed_rows


def _blank_computed(path: Path) -> None:
    wb = load_workbook(path)
    for sheet in ("4-1", "4-2", "4-3"):
        ws = wb[INPUT_SHEET[sheet]]
        heads = [c.value for c in ws[3]]
        start = heads.index("評価値") + 1
        for r in range(4, ws.max_row + 1):
            for c in range(start, len(heads) + 1):
                ws.cell(r, c).value = None
    wb.save(path)


def test_recompute_fills_computed_columns_and_never_touches_typed_cells(master: Path) -> None:
    _blank_computed(master)
    before = input_cells(master)
    res = run_cli("recompute", master)
    assert res.returncode == 0, res.stderr
    assert "backup" in res.stdout
    after = input_cells(master)
    assert after == before  # every input cell, compared one by one
    printed = [(s["printed_trend"], s["printed_mark"]) for s in seed_rows() if s["sheet"] == "4-2"]
    got = computed_cells(master, "4-2")
    assert list(zip(got["trend"], got["mark"], strict=True)) == printed
    backups = list((master.parent / "backup").glob("資料4.*.xlsx"))
    assert len(backups) == 1
    assert computed_cells(backups[0], "4-2")["mark"] == [None] * 48  # the backup is the old file


def test_second_run_changes_nothing(master: Path) -> None:
    _blank_computed(master)
    assert run_cli("recompute", master).returncode == 0
    data = master.read_bytes()
    res = run_cli("recompute", master)
    assert res.returncode == 0
    assert "nothing changed" in res.stdout
    assert master.read_bytes() == data
    assert len(list((master.parent / "backup").glob("*.xlsx"))) == 1


def test_output_elsewhere_leaves_the_source_alone(master: Path, tmp_path: Path) -> None:
    _blank_computed(master)
    data = master.read_bytes()
    out = tmp_path / "out.xlsx"
    assert run_cli("recompute", master, "-o", out).returncode == 0
    assert master.read_bytes() == data
    assert computed_cells(out, "4-3")["mark"][0] is not None


def test_edited_and_moved_rows_keep_what_was_typed(master: Path) -> None:
    wb = load_workbook(master)
    ws = wb[INPUT_SHEET["4-3"]]
    ws.protection.sheet = False
    # staff sorted the rows upside down and typed a new projection in one of them
    rows = [[c.value for c in ws[r]] for r in range(4, 12)]
    for i, values in enumerate(reversed(rows)):
        for j, v in enumerate(values, start=1):
            ws.cell(4 + i, j).value = v
    proj_col = next(c.column for c in ws[3] if c.value == "令和2年度末見込値")
    id_col = 1
    target_row = next(r for r in range(4, 12) if ws.cell(r, id_col).value == "4-3-02")
    ws.cell(target_row, proj_col).value = "3回"  # 共同研究等: 2回 → 3回 against 2回
    # a new indicator typed below, without an ID
    ws.cell(12, 2, "推進を支える土台づくり")
    ws.cell(12, 3, "ア　共創の機会の創出")
    ws.cell(12, 6, "新しい指標")
    wb.save(master)
    before = input_cells(master)
    assert run_cli("recompute", master).returncode == 0
    after = input_cells(master)
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert changed == {("4-3入力", "A12"): (None, "4-3-09")}  # only the new row's ID was written
    wb2 = load_workbook(master)
    ws2 = wb2[INPUT_SHEET["4-3"]]
    heads = [c.value for c in ws2[3]]
    mark = ws2.cell(target_row, heads.index("進捗率") + 1).value
    trend = ws2.cell(target_row, heads.index("基準値に対する令和2年度の見込値（実績値）") + 1).value
    assert (trend, mark) == ("↗", "◎")  # t == b and better → ◎ (docs/rules.md rule 4)


def test_in_place_write_keeps_the_file_permissions(master: Path) -> None:
    _blank_computed(master)
    master.chmod(0o664)
    assert run_cli("recompute", master).returncode == 0
    assert master.stat().st_mode & 0o777 == 0o664


def test_a_new_output_file_gets_ordinary_permissions(master: Path, tmp_path: Path) -> None:
    import os

    _blank_computed(master)
    out = tmp_path / "new.xlsx"
    assert run_cli("recompute", master, "-o", out).returncode == 0
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
