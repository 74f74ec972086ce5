"""Settings that the workbook's 設定 sheet holds: years, thresholds, mark labels, scheme.

The defaults reproduce the FY2020 report. Nothing here reads a clock: the report date
is a setting, passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import lru_cache

from xlplan.core.schemes import Grade, Role, Scheme, SchemeKind, format_rate


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
    # The mark scheme of 4-2/4-3. None: the FY2020 progress scheme, built from
    # threshold_full/threshold_half/labels above (the 設定 sheet's ◎/○ and 記号 rows).
    scheme: Scheme | None = None

    @property
    def active_scheme(self) -> Scheme:
        """The scheme the marks follow, with the 設定 sheet's global labels (不明,
        進捗管理の停止, 4-1's ○/×) in it."""
        return _active(self.scheme, self.threshold_full, self.threshold_half, self.labels)


@lru_cache(maxsize=64)
def _active(scheme: Scheme | None, full: float, half: float, labels: MarkLabels) -> Scheme:
    if scheme is None:
        return progress_scheme(full, half, labels)
    return scheme.with_labels(unknown=labels.unknown, suspended=labels.suspended,
                              reached=labels.reached, missed=labels.missed)


def progress_scheme(full: float = 1.0, half: float = 0.5,
                    labels: MarkLabels = MarkLabels()) -> Scheme:
    """The FY2020 scheme with these thresholds and symbols (◎ r ≥ full, ○ r ≥ half,
    △ r > 0, － no change, × worse); the legend reads as the report printed it."""
    h = format_rate(half)
    return Scheme(
        name="progress",
        kind=SchemeKind.PROGRESS,
        title="進捗率（◎○△－×）",
        grades=(
            Grade(labels.full, Role.FULL, full, True, f"{format_rate(full)}以上"),
            Grade(labels.half, Role.HALF, half, True, f"{h}以上進捗"),
            Grade(labels.some, Role.SOME, 0.0, False, f"{h}未満進捗"),
            Grade(labels.none, Role.NONE, None, True, "進捗に増減なし"),
            Grade(labels.worse, Role.WORSE, None, True, "減少"),
        ),
        unknown=labels.unknown,
        suspended=labels.suspended,
        reached=labels.reached,
        missed=labels.missed,
    )
