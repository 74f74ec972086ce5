"""A load/save round trip through xlplan keeps everything the template relies on."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from tests.conftest import run_cli
from tests.workbook_dump import dump_workbook


def _features(d: dict) -> dict:  # type: ignore[type-arg]
    """What the template relies on, per sheet (cells aside)."""
    return {
        "sheets": d["sheets"],
        "named_styles": d["named_styles"],
        "defined_names": d["defined_names"],
        **{f"{name}/{k}": v for name, s in d["by_sheet"].items() for k, v in s.items() if k != "cells"},
    }


def test_recompute_and_check_keep_tables_validations_formats_names_protection_print(master: Path) -> None:
    exp = _features(dump_workbook(master))
    # make recompute actually write (so the file goes through a full load/save)
    wb = load_workbook(master)
    ws = wb["4-2入力"]
    col = next(c.column for c in ws[3] if c.value == "判定（計算）")
    ws.cell(4, col).value = None
    wb.save(master)
    assert run_cli("recompute", master).returncode == 0
    got = _features(dump_workbook(master))
    # list each feature so a failure names what was lost
    for key in ("tables", "validations", "conditional_formats", "protection", "page",
                "print_titles", "widths", "freeze", "merged"):
        for sheet in ("4-1入力", "4-2入力", "4-3入力", "設定"):
            assert got[f"{sheet}/{key}"] == exp[f"{sheet}/{key}"], (sheet, key)
    assert got["defined_names"] == exp["defined_names"]
    assert got["named_styles"] == exp["named_styles"]
    assert got == exp
    # named styles on cells survive too: every baseline cell still uses 数値入力
    ws = load_workbook(master)["4-2入力"]
    col = next(c.column for c in ws[3] if str(c.value).startswith("基準値"))
    assert {ws.cell(r, col).style for r in range(4, 52)} == {"xlplan 数値入力"}
