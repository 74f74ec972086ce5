"""The file engine writes only what a plan changes and carries every other part."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_to_tuple

from tests.hostile.harness import cli, members, scene, snap
from tests.test_merge_common import addr
from xlplan.core.layout import META_SHEET
from xlplan.core.plan import Block, Plan
from xlplan.core.texts import Refusal
from xlplan.engines.xlsx import XlsxEngine
from xlplan.ooxml import Package


def _set(path: Path, row_id: str, key: str, value: object) -> None:
    """Type a value through the package (openpyxl would rewrite every part)."""
    wb = load_workbook(path)
    sheet = row_id.rsplit("-", 1)[0]
    ws = wb[f"{sheet}入力"]
    pkg = Package.read(path)
    pkg.set_cells(ws.title, {coordinate_to_tuple(addr(ws, sheet, row_id, key)): value})
    pkg.write(path)


def test_recompute_rewrites_one_sheet_and_carries_the_rest(tmp_path: Path) -> None:
    master, _ = scene(tmp_path)
    _set(master, "4-2-01", "projection", "50%")
    before = members(master)
    run = cli("recompute", master)
    assert run.code == 0 and "セル更新" in run.out
    after = members(master)
    changed = sorted(n for n in before if before[n] != after.get(n))
    sheet = Package.read(master).sheet_part("4-2入力")
    assert set(changed) <= {sheet, "xl/styles.xml"}, changed  # the marks' colours
    assert sheet in changed and set(after) == set(before)


def test_a_cell_that_holds_its_value_is_not_rewritten(tmp_path: Path) -> None:
    master, _ = scene(tmp_path)
    engine = XlsxEngine(master)
    meta = engine.read_one(META_SHEET)
    assert meta is not None
    same = Block(META_SHEET, 1, 1, ((meta.at(1, 1), meta.at(1, 2)),),
                 ((meta.at(1, 1), meta.at(1, 2)),))
    engine.apply(Plan(blocks=[same]))
    assert engine.to_bytes() == Package.read(master).to_bytes()


def test_text_is_never_a_formula(tmp_path: Path) -> None:
    master, _ = scene(tmp_path)
    engine = XlsxEngine(master)
    texts = ("=1+1", "＝WEBSERVICE(A1)", "+A1", "-A1", "@SUM(A1)", '=HYPERLINK("x","y")')
    engine.apply(Plan(blocks=[Block(META_SHEET, 40, 1, tuple((t,) for t in texts),
                                    tuple((None,) for _ in texts))]))
    out = tmp_path / "out.xlsx"
    engine.save(out)
    got = {k: v for k, v in snap(out).cells.items() if k[0] == META_SHEET}
    for i, t in enumerate(texts):
        assert got[(META_SHEET, f"A{40 + i}")] == (t, "s")


def test_a_value_under_a_merged_range_is_refused_before_anything_is_written(
        tmp_path: Path) -> None:
    master, _ = scene(tmp_path)
    pkg = Package.read(master)
    wb = load_workbook(master)
    wb[META_SHEET].merge_cells("A60:C61")
    wb.save(master)
    before = master.read_bytes()
    engine = XlsxEngine(master)
    with pytest.raises(Refusal) as e:
        engine.apply(Plan(blocks=[Block(META_SHEET, 60, 1, (("ok", "hidden"),), ((None, None),))]))
    assert e.value.code == "merged_where_written" and "B60" in str(e.value) and "A60:C61" in str(e.value)
    assert master.read_bytes() == before
    assert pkg  # the package API read the file before the merge was added


def test_numbers_that_need_17_digits_read_back_the_same(tmp_path: Path) -> None:
    from xlplan.core.plan import SheetContent

    master, _ = scene(tmp_path)
    engine = XlsxEngine(master)
    x = 32 / 65  # 0.49230769230769234: openpyxl alone writes 0.4923076923076923
    engine.apply(Plan(sheets=[SheetContent("数値", ((x, 0.1, 1e-300),))]))
    out = tmp_path / "out.xlsx"
    engine.save(out)
    assert load_workbook(out)["数値"]["A1"].value == x
