"""The workbook's vocabulary: sheet names, columns and their Japanese headings.

One table of :class:`Column` drives everything that touches the master workbook: the
template builder lays it out, the reader finds columns by heading (not by position),
the checks know which cells people type, and recompute knows which cells it may write.
Headings carry year placeholders (``{base}``, ``{fy}``, ``{mid}``, ``{final}``) filled
from the settings, so next year's master reads with the same code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from xlplan.core.lexicon import LEXICON
from xlplan.core.settings import Direction, Settings

TEMPLATE_VERSION = "xlplan-template-1"

# Fonts: Office's Japanese UI font for the master's own sheets, and the font printed
# reports of this kind use (its short lines keep the planned row heights in Excel).
# The shipped master, and the names `make demo` writes.
TEMPLATE_FILE = "資料4_template.xlsx"
DEMO_FILE = "資料4.xlsx"
DEMO_PDF = "資料4.pdf"

FONT_UI = "游ゴシック"
FONT_REPORT = "ＭＳ Ｐゴシック"

# Endings every label of a hierarchy level repeats; dropped first when a label must be
# shorter to fit its printed block.
REDUNDANT_ENDINGS: tuple[str, ...] = ("に係る個別施策", "の実現に向けた取組")

SHEETS: tuple[str, ...] = ("4-1", "4-2", "4-3")


def version_problem(found: str | None) -> tuple[str, str, str] | None:
    """(message, fix, English) when a workbook's template version is not this one."""
    if found == TEMPLATE_VERSION:
        return None
    shown = "なし" if found is None else found
    return (f"テンプレートの版が違います（このファイル：{shown}、必要：{TEMPLATE_VERSION}）。",
            "最新の資料4テンプレートに値を写すか、事務局に新しい様式を依頼してください。",
            f"different template version: {shown}, expected {TEMPLATE_VERSION}")

# What staff see. Code refers to sheets by their key ("4-1"); these are the tab names.
INPUT_SHEET = {"4-1": "4-1入力", "4-2": "4-2入力", "4-3": "4-3入力"}
REPORT_SHEET = {"4-1": "資料4-1", "4-2": "資料4-2", "4-3": "資料4-3"}
TABLE_NAME = {"4-1": "Input41", "4-2": "Input42", "4-3": "Input43"}
SETTINGS_SHEET = "設定"
CHECK_SHEET = "チェック結果"
SUMMARY_SHEET = "集計"
CHANGES_SHEET = "変更履歴"
HISTORY_SHEET = "過去実績"
TARGETS_SHEET = "目標変更履歴"
META_SHEET = "_xlplan"  # hidden: template version and issue stamps
STATUS_SHEET = "回収状況"  # who has returned what: rebuilt from _xlplan (issue 12)

TITLE = {
    "4-1": "資料４－１　波及効果の高いプロジェクト",
    "4-2": "資料４－２　個別施策・推進を支える土台づくり",
    "4-3": "資料４－３　推進を支える土台づくり",
}

# The input sheets: title in row 1, column-group band in row 2, headings in row 3.
TITLE_ROW = 1
BAND_ROW = 2
HEADER_ROW = 3
FIRST_DATA_ROW = 4

DIRECTION_WORDS: dict[Direction, str] = {
    Direction.INCREASE: "増加",
    Direction.DECREASE: "減少",
    Direction.MAINTAIN: "維持",
}
DIRECTION_BY_WORD: dict[str, Direction] = {w: d for d, w in DIRECTION_WORDS.items()}

BASIS_WORDS = {"projection": "見込値", "actual": "実績値"}


class Kind(StrEnum):
    """Who writes a column."""

    KEY = "key"  # the stable ID: written once by the tool, never retyped
    TEXT = "text"  # typed by staff: hierarchy, names, narratives
    VALUE = "value"  # typed by staff and parsed: baseline, actual, projection, targets
    CHOICE = "choice"  # typed by staff from a drop-down (direction)
    OVERRIDE = "override"  # manual judgement, typed by the secretariat, with a reason
    COMPUTED = "computed"  # written by recompute only; protected


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    heading: str  # may hold {base} {fy} {mid} {final}
    kind: Kind
    width: float = 14.0
    sheets: tuple[str, ...] = SHEETS
    required: bool = False  # a blank cell is a finding
    editable_by_staff: bool = False  # merge takes this column from returned copies

    def heading_for(self, settings: Settings) -> str:
        return self.heading.format(**year_words(settings))

    @property
    def is_input(self) -> bool:
        return self.kind is not Kind.COMPUTED


def _c(key: str, heading: str, kind: Kind, width: float = 14.0, **kw: object) -> Column:
    return Column(key, heading, kind, width, **kw)  # type: ignore[arg-type]


ONLY_41 = ("4-1",)

COLUMNS: tuple[Column, ...] = (
    _c("id", "ID", Kind.KEY, 9, required=True),
    _c("major", "大項目", Kind.TEXT, 8, required=True),
    _c("middle", "中項目", Kind.TEXT, 10, required=True),
    _c("minor", "小項目", Kind.TEXT, 10, sheets=("4-2", "4-3"), required=True),
    _c("program", "取組名", Kind.TEXT, 18),
    _c("indicator", "成果指標", Kind.TEXT, 22, required=True),
    _c("direction", "方向", Kind.CHOICE, 7),
    _c("owner", "担当課", Kind.TEXT, 10),
    # Baselines and targets are fixed by the plan: merge never takes them from staff copies.
    _c("baseline", "基準値（{base}）", Kind.VALUE, 16, required=True),
    _c("actual", "{fy}実績値", Kind.VALUE, 16, required=True, editable_by_staff=True),
    _c("projection", "{fy}末見込値", Kind.VALUE, 16, required=True, editable_by_staff=True),
    _c("basis", "見込値の算出根拠", Kind.TEXT, 20, editable_by_staff=True),
    _c("mid_target", "中間目標（{mid}達成見込）", Kind.VALUE, 12, sheets=ONLY_41, required=True),
    _c("final_target", "最終目標（{final}）", Kind.VALUE, 14, required=True),
    _c("status_text", "{fy}の取組状況", Kind.TEXT, 40, editable_by_staff=True),
    _c("miss_reason", "中間目標が未達成（未達成見込）となった理由", Kind.TEXT, 24, sheets=ONLY_41, editable_by_staff=True),
    _c("countermeasure", "中間目標が未達成（未達成見込）の場合、状況改善のために検討している対策", Kind.TEXT, 24, sheets=ONLY_41, editable_by_staff=True),
    _c("challenges", "取組を行っている上での課題", Kind.TEXT, 28, editable_by_staff=True),
    _c("policy", "今後の取組方針・対策", Kind.TEXT, 28, editable_by_staff=True),
    _c("questions", "取組を行っていく上でアドバイザリー会議で専門家に聞きたいこと", Kind.TEXT, 24, editable_by_staff=True),
    _c("trend_override", "矢印（手動判定）", Kind.OVERRIDE, 9),
    _c("mark_override", "判定（手動判定）", Kind.OVERRIDE, 9),
    _c("override_reason", "手動判定の理由", Kind.OVERRIDE, 24),
    _c("evaluated", "評価値", Kind.COMPUTED, 12),
    _c("eval_basis", "評価に用いた値", Kind.COMPUTED, 9),
    _c("progress", "進捗率（計算値）", Kind.COMPUTED, 9),
    _c("computed_trend", "矢印（計算）", Kind.COMPUTED, 9),
    _c("computed_mark", "判定（計算）", Kind.COMPUTED, 9),
    _c("trend", "基準値に対する{fy}の見込値（実績値）", Kind.COMPUTED, 11),
    _c("mark", "{fy}見込値（実績値）が中間目標到達", Kind.COMPUTED, 11, sheets=ONLY_41),
    _c("mark", "進捗率", Kind.COMPUTED, 11, sheets=("4-2", "4-3")),
    _c("explanation", "判定の根拠", Kind.COMPUTED, 40),
)


def columns_for(sheet: str) -> tuple[Column, ...]:
    """The columns of one input sheet, in template order."""
    return tuple(c for c in COLUMNS if sheet in c.sheets)


def heading_shown(sheet: str, key: str) -> str:
    """A column's heading without its year words, for messages: 「{fy}実績値」→「実績値」,
    「{fy}の取組状況」→「取組状況」, 「{fy}末見込値」→「年度末見込値」."""
    for c in columns_for(sheet):
        if c.key == key:
            text = c.heading.format(base="", fy="", mid="", final="").replace("（）", "").strip()
            text = text.replace("に対するの", "に対する")
            if text.startswith("の"):
                text = text[1:]
            if text.startswith("末"):
                text = "年度" + text
            return text
    return key


def column(sheet: str, key: str) -> Column:
    for c in columns_for(sheet):
        if c.key == key:
            return c
    raise KeyError(f"{sheet}: no column {key!r}")


def era_year(year: int, day: date | None = None) -> str:
    """Western year → Japanese era year, with the lexicon's eras: 2019 → 令和元年,
    2020 → 令和2年, 2018 → 平成30年. A year is named by the era that begins in it; with
    ``day`` (a date in that year), by the era of that day: 2019-04-30 → 平成31年."""
    for name, _abbr, first in LEXICON.ERAS:
        began = (first, *LEXICON.ERA_FIRST_DAYS.get(name, (1, 1)))
        if (year, day.month, day.day) >= began if day is not None else year >= first:
            n = year - first + 1
            return f"{name}{LEXICON.FIRST_YEAR if n == 1 else n}年"
    return f"{year}年"


def fiscal_year_words(year: int) -> str:
    """2020 → 令和2年度 (April 2020 – March 2021)."""
    return era_year(year) + "度"


def year_words(settings: Settings) -> dict[str, str]:
    return {
        "base": fiscal_year_words(settings.baseline_year),
        "fy": fiscal_year_words(settings.fiscal_year),
        "mid": fiscal_year_words(settings.mid_year),
        "final": fiscal_year_words(settings.final_year),
    }


_ERA_YEAR = re.compile(r"(令和|平成|昭和)(元|\d+)年度?|(?:R|H)(元|\d+)年度?|\d{4}年度?")
_SPACE = re.compile(r"\s+")


def heading_key(text: object) -> str:
    """Normalise a heading for matching: width, spaces, long vowels, years.

    ``令和3年度実績値`` and ``令和２年度　実績値`` both become ``#実績値``, so a
    heading matches whatever year it names.
    """
    s = unicodedata.normalize("NFKC", "" if text is None else str(text))
    s = _SPACE.sub("", s)
    s = s.replace("(", "（").replace(")", "）")
    s = re.sub(r"(?<=[ァ-ヶ])[-－―‐ｰ]", "ー", s)
    return _ERA_YEAR.sub("#", s)


def heading_keys(sheet: str) -> dict[str, str]:
    """normalised heading → column key, for one input sheet."""
    return {heading_key(c.heading.format(base="#", fy="#", mid="#", final="#")): c.key
            for c in columns_for(sheet)}


def layout_headings(settings: Settings) -> list[str]:
    """The year-dependent headings as these settings word them (for the 設定 sheet)."""
    seen: list[str] = []
    for c in COLUMNS:
        if "{" in c.heading:
            h = c.heading_for(settings)
            if h not in seen:
                seen.append(h)
    return seen
