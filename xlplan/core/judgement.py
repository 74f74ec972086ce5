"""What the mark engine returns for one indicator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xlplan.core.settings import Basis, Direction
from xlplan.core.values import Parsed


@dataclass(frozen=True, slots=True)
class Judgement:
    """The arrow and the mark of one indicator, with the reasons behind them.

    ``trend`` and ``mark`` are exactly what the report prints (``(↗)``, ``◎``,
    ``不明``, ``進捗管理の停止``). ``reasons`` are short Japanese sentences that say
    which values were used and why the mark came out as it did; staff read them in the
    workbook's 判定の根拠 column.
    """

    trend: str
    mark: str
    progress: float | None  # r = (v - b) / (t - b), None when not defined
    basis: Basis | None  # which value v came from; None when neither was usable
    direction: Direction
    direction_inferred: bool  # True when the direction was not given and was inferred
    evaluated: Parsed | None  # v as parsed
    evaluated_value: float | None  # the number compared (after part selection / ratio)
    baseline_value: float | None
    target_value: float | None  # the target the mark compares against (t, or m on 4-1)
    reasons: tuple[str, ...]
    # Stable codes of what a check should report beside the mark (units_differ,
    # qualitative_change, target_missing, …); see xlplan.core.marks.FLAG_MESSAGES.
    flags: tuple[str, ...] = ()
    # The unit of evaluated_value (the part's unit when a part of v was used; "%" when
    # a fraction was compared with percentages), None for a plain fraction.
    evaluated_unit: str | None = None
    # Issue 11: the scheme the mark follows and how the writers colour it.
    role: str = ""  # colour role of the mark (xlplan.core.schemes.Role value): full, worse…
    scheme: str = "progress"  # name of the scheme (progress, achievement-abcd, pace, …)
    # Stable code of each sentence in reasons, in the same order (keys of
    # xlplan.core.marks.REASONS), for a later catalogue of staff-facing texts.
    reason_codes: tuple[str, ...] = ()
    # The number the grade was decided on: r for progress, a = v/t or v/e for
    # achievement and pace; None for stages, 4-1 and when no number decided it.
    measure: float | None = None
    expected: float | None = None  # pace: the expected value e of the reporting year

    @property
    def explanation(self) -> str:
        return " ".join(self.reasons)

    def as_json(self) -> dict[str, Any]:
        """Every field as plain JSON values (``xlplan judge --scheme … --json``)."""
        return {
            "trend": self.trend,
            "mark": self.mark,
            "role": self.role,
            "scheme": self.scheme,
            "progress": self.progress,
            "measure": self.measure,
            "expected": self.expected,
            "basis": self.basis.value if self.basis else None,
            "direction": self.direction.value,
            "direction_inferred": self.direction_inferred,
            "evaluated_value": self.evaluated_value,
            "baseline_value": self.baseline_value,
            "target_value": self.target_value,
            "reasons": list(self.reasons),
            "reason_codes": list(self.reason_codes),
            "flags": list(self.flags),
        }
