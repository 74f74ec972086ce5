"""The 設定 sheet: years, report date, thresholds and mark labels, read by label.

Each setting is one row: 項目 (label, column A), 値 (value, column B), 説明 (column C).
Rows are found by their label, so the secretariat may reorder them or add notes.
Each value cell also has a workbook-level defined name (``xlplan_fiscal_year`` …) for
formulas and VBA.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Any

from openpyxl.styles import Alignment, Font, Protection
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.protection import SheetProtection

from xlplan.book import styles
from xlplan.core.findings import Finding, Level
from xlplan.core.layout import SETTINGS_SHEET, layout_headings
from xlplan.core.settings import MarkLabels, Settings


@dataclass(frozen=True)
class Item:
    field: str  # Settings field or "labels.<MarkLabels field>"
    label: str
    help: str
    kind: str  # "year", "date", "rate", "text"


ITEMS: tuple[Item, ...] = (
    Item("fiscal_year", "報告年度（西暦）", "2020 = 令和2年度（2020年4月～2021年3月）", "year"),
    Item("report_date", "報告日", "実績値の時点がこの日より後なら、チェックで指摘します。", "date"),
    Item("baseline_year", "基準値の年度（西暦）", "見出し「基準値（令和元年度）」の年度", "year"),
    Item("mid_year", "中間目標の年度（西暦）", "見出し「中間目標（令和2年度達成見込）」の年度", "year"),
    Item("final_year", "最終目標の年度（西暦）", "見出し「最終目標（令和3年度）」の年度", "year"),
    Item("threshold_full", "◎の基準（進捗率がこの値以上）", "進捗率 =（評価値－基準値）÷（最終目標－基準値）", "rate"),
    Item("threshold_half", "○の基準（進捗率がこの値以上）", "この値未満で0%を超えると△", "rate"),
    Item("labels.full", "記号：目標達成", "進捗率が◎の基準以上", "text"),
    Item("labels.half", "記号：50%以上進捗", "進捗率が○の基準以上", "text"),
    Item("labels.some", "記号：50%未満進捗", "進捗率が0%を超え○の基準未満", "text"),
    Item("labels.none", "記号：増減なし", "評価値が基準値と同じ", "text"),
    Item("labels.worse", "記号：減少", "評価値が基準値より悪化", "text"),
    Item("labels.reached", "記号：中間目標到達", "資料4-1", "text"),
    Item("labels.missed", "記号：中間目標未到達", "資料4-1", "text"),
    Item("labels.unknown", "記号：不明", "見込値も実績値もない", "text"),
    Item("labels.suspended", "記号：進捗管理の停止", "進捗管理を停止している指標", "text"),
)

NAME_PREFIX = "xlplan_"
VALUE_COL = 2
FIRST_ROW = 3


def _get(settings: Settings, field: str) -> Any:
    if field.startswith("labels."):
        return getattr(settings.labels, field.split(".", 1)[1])
    return getattr(settings, field)


def write_settings_sheet(wb: Workbook, settings: Settings) -> None:
    """Create (or rewrite) the 設定 sheet with these settings."""
    if SETTINGS_SHEET in wb.sheetnames:
        del wb[SETTINGS_SHEET]
    ws = wb.create_sheet(SETTINGS_SHEET)
    ws["A1"] = "設定（年度・判定基準・記号）"
    ws["A1"].font = Font(name=styles.FONT_NAME, size=14, bold=True)
    for col, head in enumerate(("項目", "値", "説明"), start=1):
        ws.cell(2, col, head).style = styles.STYLE_HEADER
    for i, item in enumerate(ITEMS):
        r = FIRST_ROW + i
        ws.cell(r, 1, item.label).style = styles.STYLE_INPUT
        v = ws.cell(r, VALUE_COL, _get(settings, item.field))
        v.style = styles.STYLE_OVERRIDE
        v.protection = Protection(locked=False)
        if item.kind == "date":
            v.number_format = "yyyy/m/d"
        elif item.kind == "rate":
            v.number_format = "0%"
        ws.cell(r, 3, item.help).style = styles.STYLE_INPUT
        name = NAME_PREFIX + item.field.replace(".", "_")
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{SETTINGS_SHEET}'!$B${r}")
    # The headings these years produce, for reference (written by the tool).
    r = FIRST_ROW + len(ITEMS) + 1
    ws.cell(r, 1, "この設定で使われる見出し（自動）").font = Font(name=styles.FONT_NAME, bold=True)
    for j, text in enumerate(layout_headings(settings), start=1):
        c = ws.cell(r + j, 1, text)
        c.style = styles.STYLE_COMPUTED
        ws.merge_cells(start_row=r + j, start_column=1, end_row=r + j, end_column=3)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 60
    for row in ws.iter_rows(min_row=FIRST_ROW):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top",
                                    horizontal=c.alignment.horizontal)
    ws.protection = SheetProtection(sheet=True, formatCells=False, formatColumns=False,
                                    formatRows=False)


def read_settings(wb: Workbook) -> tuple[Settings, list[Finding]]:
    """Settings from the 設定 sheet; defaults (with a finding) for anything missing or bad."""
    findings: list[Finding] = []
    defaults = Settings()
    if SETTINGS_SHEET not in wb.sheetnames:
        findings.append(Finding(
            "settings_missing", Level.ERROR, SETTINGS_SHEET, "",
            "「設定」シートがありません。既定値（令和2年度）で判定しました。",
            "テンプレートから「設定」シートをコピーしてください。"))
        return defaults, findings
    ws = wb[SETTINGS_SHEET]
    by_label = {}
    for r in range(1, ws.max_row + 1):
        label = ws.cell(r, 1).value
        if isinstance(label, str):
            by_label[label.strip()] = r
    top: dict[str, Any] = {}
    labels: dict[str, Any] = {}
    for item in ITEMS:
        found = by_label.get(item.label)
        default = _get(defaults, item.field)
        if found is None:
            findings.append(Finding(
                "settings_item_missing", Level.WARNING, SETTINGS_SHEET, "",
                f"設定「{item.label}」の行がありません。既定値 {default} を使いました。",
                "テンプレートの「設定」シートから行をコピーしてください。"))
            continue
        r = found
        raw = ws.cell(r, VALUE_COL).value
        value, ok = _coerce(raw, item.kind)
        if not ok:
            findings.append(Finding(
                "settings_value_invalid", Level.ERROR, SETTINGS_SHEET, f"B{r}",
                f"設定「{item.label}」の値「{raw}」を読めません。既定値 {default} を使いました。",
                _fix_hint(item.kind)))
            continue
        if item.field.startswith("labels."):
            labels[item.field.split(".", 1)[1]] = value
        else:
            top[item.field] = value
    settings = replace(defaults, **top, labels=replace(defaults.labels, **labels))
    if not settings.threshold_half < settings.threshold_full:
        findings.append(Finding(
            "settings_threshold_order", Level.ERROR, SETTINGS_SHEET, "B8",
            "○の基準が◎の基準以上になっています。",
            "○の基準は◎の基準より小さい値（例：50%と100%）にしてください。"))
    return settings, findings


def _coerce(raw: Any, kind: str) -> tuple[Any, bool]:
    if kind == "year":
        if isinstance(raw, (int, float)) and float(raw).is_integer() and 1989 <= raw <= 2200:
            return int(raw), True
        if isinstance(raw, str) and raw.strip().isdigit():
            return _coerce(int(raw.strip()), kind)
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


def _fix_hint(kind: str) -> str:
    return {
        "year": "西暦の4桁の数字（例：2020）を入力してください。",
        "date": "日付（例：2021/3/1）を入力してください。",
        "rate": "百分率（例：50%）を入力してください。",
        "text": "記号を1つ入力してください（空欄にはできません）。",
    }[kind]


SETTINGS_FIELDS = {f.name for f in fields(Settings)} | {f"labels.{f.name}" for f in fields(MarkLabels)}
