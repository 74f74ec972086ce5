"""settings_from_grid (pure, used by the ribbon) reads the 設定 sheet as read_settings does."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from xlplan.book.master import grid_of
from xlplan.book.settings_sheet import ITEMS, read_settings
from xlplan.core.layout import SETTINGS_SHEET
from xlplan.core.settings_grid import SETTING_ITEMS, settings_from_grid


def test_same_items_as_the_settings_sheet() -> None:
    assert [(i.field, i.label, i.help, i.kind) for i in SETTING_ITEMS] == \
        [(i.field, i.label, i.help, i.kind) for i in ITEMS]


def _edit(wb, change: str) -> None:  # type: ignore[no-untyped-def]
    ws = wb[SETTINGS_SHEET]
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    if change == "bad year":
        ws.cell(rows["報告年度（西暦）"], 2).value = "令和3年"
    elif change == "text year and date":
        ws.cell(rows["報告年度（西暦）"], 2).value = "2021"
        ws.cell(rows["報告日"], 2).value = "2022/3/1"
    elif change == "datetime and percent text":
        ws.cell(rows["報告日"], 2).value = datetime(2021, 2, 1, 0, 0)
        ws.cell(rows["○の基準（進捗率がこの値以上）"], 2).value = "40%"
    elif change == "missing row":
        ws.delete_rows(rows["記号：減少"])
    elif change == "moved rows":
        ws.move_range("A3:C10", rows=40)
    elif change == "empty label":
        ws.cell(rows["記号：目標達成"], 2).value = None


@pytest.mark.parametrize("change", ["none", "bad year", "text year and date",
                                    "datetime and percent text", "missing row", "moved rows",
                                    "empty label"])
def test_grid_reader_agrees_with_the_sheet_reader(workbook_copy: Path, change: str) -> None:
    wb = load_workbook(workbook_copy)
    _edit(wb, change)
    exp_settings, exp_findings = read_settings(wb)
    got_settings, got_findings = settings_from_grid(grid_of(wb[SETTINGS_SHEET]))
    assert got_settings == exp_settings
    assert [(f.code, f.cell, f.message) for f in got_findings] == \
        [(f.code, f.cell, f.message) for f in exp_findings]
    if change not in ("none", "moved rows"):  # the others must show in the result
        assert got_findings or got_settings != settings_from_grid(None)[0]


def test_missing_sheet_gives_defaults_and_an_error() -> None:
    settings, findings = settings_from_grid(None)
    assert settings.fiscal_year == 2020
    assert [f.code for f in findings] == ["settings_missing"]
