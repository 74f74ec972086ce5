"""The 設定 sheet drives thresholds, labels and years; bad settings are findings."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli
from tests.helpers import computed_cells, set_setting
from xlplan.core.layout import SETTINGS_SHEET
from xlplan.files import check_file


def test_threshold_from_settings_changes_the_mark(master: Path) -> None:
    # 情報交換の場の開催回数: 0回 → 1回 against 2回 is exactly 50%: ○ with the default
    assert computed_cells(master, "4-3")["mark"][0] == "○"
    set_setting(master, "○の基準（進捗率がこの値以上）", 0.6)
    assert run_cli("recompute", master).returncode == 0
    assert computed_cells(master, "4-3")["mark"][0] == "△"


def test_mark_labels_from_settings(master: Path) -> None:
    set_setting(master, "記号：目標達成", "達成")
    assert run_cli("recompute", master).returncode == 0
    marks = computed_cells(master, "4-3")["mark"]
    assert "達成" in marks and "◎" not in marks


def test_an_unreadable_setting_is_an_error_naming_the_cell(master: Path) -> None:
    cell = set_setting(master, "報告年度（西暦）", "令和二年")
    findings = [f for f in check_file(master, write=False).findings if f.sheet == SETTINGS_SHEET]
    assert [(f.code, f.cell, f.level.value) for f in findings] == [
        ("settings_value_invalid", cell, "error")]
    assert "令和二年" in findings[0].message and findings[0].fix


def test_a_formula_or_a_blank_setting_is_named_as_such(master: Path) -> None:
    """A formula in a setting is never evaluated (its cached result is not trusted): the
    message quotes the formula; a cleared setting says blank, not "None"."""
    formula = set_setting(master, "◎の基準（進捗率がこの値以上）", "=1/0")
    blank = set_setting(master, "○の基準（進捗率がこの値以上）", None)
    found = {f.cell: f for f in check_file(master, write=False).findings
             if f.sheet == SETTINGS_SHEET and f.code == "settings_value_invalid"}
    assert set(found) == {formula, blank}
    assert "=1/0" in found[formula].message and "数式" in found[formula].message
    assert "空欄" in found[blank].message and "None" not in found[blank].message
