"""Settings that the workbook's 設定 sheet holds: years, thresholds, mark labels.

The defaults reproduce the FY2020 report. Nothing here reads a clock: the report date
is a setting, passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Direction(StrEnum):
    """Polarity of an indicator: which way is better."""

    INCREASE = "increase"  # 増加
    DECREASE = "decrease"  # 減少
    MAINTAIN = "maintain"  # 維持


class Basis(StrEnum):
    """Which value the marks were computed from."""

    PROJECTION = "projection"  # 見込値
    ACTUAL = "actual"  # 実績値 (arrow printed in parentheses)


@dataclass(frozen=True, slots=True)
class MarkLabels:
    """The symbols printed in the mark columns (4-2/4-3 進捗率 and 4-1 中間目標到達)."""

    full: str = "◎"  # r >= threshold_full
    half: str = "○"  # threshold_half <= r < threshold_full
    some: str = "△"  # 0 < r < threshold_half
    none: str = "－"  # no change
    worse: str = "×"  # r < 0
    reached: str = "○"  # 4-1: mid target reached
    missed: str = "×"  # 4-1: mid target missed
    unknown: str = "不明"
    suspended: str = "進捗管理の停止"
    up: str = "↗"
    down: str = "↘"
    flat: str = "→"


@dataclass(frozen=True, slots=True)
class Settings:
    fiscal_year: int = 2020  # 令和2年度: the year being reported (April–March)
    report_date: date = date(2021, 3, 1)
    baseline_year: int = 2019  # 基準値（令和元年度）
    mid_year: int = 2020  # 中間目標（令和2年度達成見込）
    final_year: int = 2021  # 最終目標（令和3年度）
    threshold_full: float = 1.0  # inclusive: r >= 1.0 → ◎
    threshold_half: float = 0.5  # inclusive: r >= 0.5 → ○
    labels: MarkLabels = field(default_factory=MarkLabels)
