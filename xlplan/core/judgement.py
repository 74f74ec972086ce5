"""What the mark engine returns for one indicator."""

from __future__ import annotations

from dataclasses import dataclass

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

    @property
    def explanation(self) -> str:
        return " ".join(self.reasons)
