"""The 設定 sheet's items, and reading them from a 2-D grid of cell values.

Each setting is one row of the 設定 sheet: 項目 (label, column A), 値 (value, column B),
説明 (column C). Rows are found by their label, so the secretariat may reorder them or
add notes. The grid is what one block read returns (openpyxl ``iter_rows`` or an xlwings
``used_range``), so the file workflow and the ribbon read settings with the same code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from xlplan.core.findings import Finding, Level
from xlplan.core.layout import SETTINGS_SHEET
from xlplan.core.settings import Settings

Grid = Sequence[Sequence[object]]


@dataclass(frozen=True, slots=True)
class SettingItem:
    field: str  # Settings field or "labels.<MarkLabels field>"
    label: str
    help: str
    kind: str  # "year", "date", "rate", "text"


SETTING_ITEMS: tuple[SettingItem, ...] = (
    SettingItem("fiscal_year", "報告年度（西暦）", "2020 = 令和2年度（2020年4月～2021年3月）", "year"),
    SettingItem("report_date", "報告日", "実績値の時点がこの日より後なら、チェックで指摘します。", "date"),
    SettingItem("baseline_year", "基準値の年度（西暦）", "見出し「基準値（令和元年度）」の年度", "year"),
    SettingItem("mid_year", "中間目標の年度（西暦）", "見出し「中間目標（令和2年度達成見込）」の年度", "year"),
    SettingItem("final_year", "最終目標の年度（西暦）", "見出し「最終目標（令和3年度）」の年度", "year"),
    SettingItem("threshold_full", "◎の基準（進捗率がこの値以上）", "進捗率 =（評価値－基準値）÷（最終目標－基準値）", "rate"),
    SettingItem("threshold_half", "○の基準（進捗率がこの値以上）", "この値未満で0%を超えると△", "rate"),
    SettingItem("labels.full", "記号：目標達成", "進捗率が◎の基準以上", "text"),
    SettingItem("labels.half", "記号：50%以上進捗", "進捗率が○の基準以上", "text"),
    SettingItem("labels.some", "記号：50%未満進捗", "進捗率が0%を超え○の基準未満", "text"),
    SettingItem("labels.none", "記号：増減なし", "評価値が基準値と同じ", "text"),
    SettingItem("labels.worse", "記号：減少", "評価値が基準値より悪化", "text"),
    SettingItem("labels.reached", "記号：中間目標到達", "資料4-1", "text"),
    SettingItem("labels.missed", "記号：中間目標未到達", "資料4-1", "text"),
    SettingItem("labels.unknown", "記号：不明", "見込値も実績値もない", "text"),
    SettingItem("labels.suspended", "記号：進捗管理の停止", "進捗管理を停止している指標", "text"),
)

LABEL_COL = 1  # 1-based: 項目
VALUE_COL = 2  # 1-based: 値


def setting_value(settings: Settings, field: str) -> Any:
    """The current value of one item (``"labels.full"`` reaches into MarkLabels)."""
    if field.startswith("labels."):
        return getattr(settings.labels, field.split(".", 1)[1])
    return getattr(settings, field)


def _cell(line: Sequence[object], col: int) -> object:
    return line[col - 1] if col - 1 < len(line) else None


def settings_from_grid(grid: Grid | None) -> tuple[Settings, list[Finding]]:
    """Settings from the 設定 sheet's values; defaults (with a finding) where missing or bad.

    ``grid`` is the sheet's values anchored at A1, or ``None`` when the sheet is missing.
    """
    findings: list[Finding] = []
    defaults = Settings()
    if grid is None:
        findings.append(Finding(
            "settings_missing", Level.ERROR, SETTINGS_SHEET, "",
            "「設定」シートがありません。既定値（令和2年度）で判定しました。",
            "テンプレートから「設定」シートをコピーしてください。"))
        return defaults, findings
    by_label: dict[str, int] = {}
    for r, line in enumerate(grid, start=1):
        label = _cell(line, LABEL_COL)
        if isinstance(label, str):
            by_label[label.strip()] = r
    top: dict[str, Any] = {}
    labels: dict[str, Any] = {}
    rows: dict[str, int] = {}
    for item in SETTING_ITEMS:
        found = by_label.get(item.label)
        default = setting_value(defaults, item.field)
        if found is None:
            findings.append(Finding(
                "settings_item_missing", Level.WARNING, SETTINGS_SHEET, "",
                f"設定「{item.label}」の行がありません。既定値 {default} を使いました。",
                "テンプレートの「設定」シートから行をコピーしてください。"))
            continue
        r = found
        rows[item.field] = r
        raw = _cell(grid[r - 1], VALUE_COL)
        value, ok = coerce_setting(raw, item.kind)
        if not ok:
            findings.append(Finding(
                "settings_value_invalid", Level.ERROR, SETTINGS_SHEET, f"B{r}",
                f"設定「{item.label}」の値「{raw}」を読めません。既定値 {default} を使いました。",
                fix_hint(item.kind)))
            continue
        if item.field.startswith("labels."):
            labels[item.field.split(".", 1)[1]] = value
        else:
            top[item.field] = value
    settings = replace(defaults, **top, labels=replace(defaults.labels, **labels))
    if not settings.threshold_half < settings.threshold_full:
        r_half = rows.get("threshold_half")
        findings.append(Finding(
            "settings_threshold_order", Level.ERROR, SETTINGS_SHEET,
            f"B{r_half}" if r_half else "",
            "○の基準が◎の基準以上になっています。",
            "○の基準は◎の基準より小さい値（例：50%と100%）にしてください。"))
    return settings, findings


def coerce_setting(raw: object, kind: str) -> tuple[Any, bool]:
    """One 値 cell → (value, ok). Accepts what Excel and openpyxl hand back for it."""
    if kind == "year":
        if isinstance(raw, (int, float)) and not isinstance(raw, bool) \
                and float(raw).is_integer() and 1989 <= raw <= 2200:
            return int(raw), True
        if isinstance(raw, str) and raw.strip().isdigit():
            return coerce_setting(int(raw.strip()), kind)
        return None, False
    if kind == "date":
        if isinstance(raw, datetime):
            return raw.date(), True
        if isinstance(raw, date):
            return raw, True
        if isinstance(raw, str):
            try:
                return datetime.strptime(raw.strip().replace("-", "/"), "%Y/%m/%d").date(), True
            except ValueError:
                return None, False
        return None, False
    if kind == "rate":
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return float(raw), True
        if isinstance(raw, str) and raw.strip().endswith("%"):
            try:
                return float(raw.strip()[:-1]) / 100, True
            except ValueError:
                return None, False
        return None, False
    if isinstance(raw, str) and raw.strip():
        return raw.strip(), True
    return None, False


def fix_hint(kind: str) -> str:
    return {
        "year": "西暦の4桁の数字（例：2020）を入力してください。",
        "date": "日付（例：2021/3/1）を入力してください。",
        "rate": "百分率（例：50%）を入力してください。",
        "text": "記号を1つ入力してください（空欄にはできません）。",
    }[kind]
