"""What the parser returns for one value cell.

A value cell is free text typed by staff (``約2,500時間``, ``59/465``,
``25人\\n（令和元年12月）``). :func:`xlplan.core.parse.parse_value` turns it into a
:class:`Parsed`; the mark engine and the checks only ever look at these fields.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """Non-numeric meaning of a cell. ``None`` on :class:`Parsed` means "a number"."""

    NONE = "none"  # － / ― / empty: nothing, not applicable
    UNDETERMINED = "undetermined"  # 算出不可, 未定, …調査の予定: not known yet
    SUSPENDED = "suspended"  # 進捗管理を停止している
    QUALITATIVE = "qualitative"  # 増加を目指します。, 全施設公開, 未整備: a word, not a number


class PeriodKind(StrEnum):
    """What span a value (usually a target) covers, as typed in front of or after it."""

    CUMULATIVE = "cumulative"  # 5年間で, 計画期間中に, （累計）: summed over the plan's years
    EVERY_YEAR = "every_year"  # 毎年, 各年度, 単年度: each year on its own
    BY_FINAL = "by_final"  # 最終年度までに, 令和7年度までに: reached by the last year
    PER_YEAR = "per_year"  # 年間, 1年あたり: the amount of one year
    AVERAGE = "average"  # 年平均, （平均）: a yearly average


class ValueRole(StrEnum):
    """Which column a cell says it belongs to (現状値, 目標値, 実績): a hint, never a rule."""

    BASELINE = "baseline"  # 現状値, 基準値, 現況値, 策定時
    TARGET = "target"  # 目標値
    ACTUAL = "actual"  # 実績, 実績値
    PROJECTION = "projection"  # 見込値


@dataclass(frozen=True, slots=True)
class Bound:
    """以上 / 以下 / 超 / 未満 after a value: the value is a floor or a ceiling."""

    side: str  # "min" (以上, 超: at least) or "max" (以下, 未満: at most)
    inclusive: bool  # 以上/以下 include the value itself; 超/未満 do not
    word: str  # as typed (normalised): 以上, 超, を上回る …

    def holds(self, v: float, t: float) -> bool:
        """Whether ``v`` is on the right side of the bound ``t``."""
        if self.side == "min":
            return v >= t if self.inclusive else v > t
        return v <= t if self.inclusive else v < t


@dataclass(frozen=True, slots=True)
class Period:
    """The span a value covers: 5年間で (cumulative, 5 years), 毎年 (every year) …"""

    kind: PeriodKind
    years: int | None = None  # 5年間で → 5
    words: str = ""  # the phrase as typed (normalised)


@dataclass(frozen=True, slots=True)
class Relative:
    """A target typed relative to the baseline: 基準値より5割減, 基準値の2倍, 現状維持.

    The target is ``factor × baseline + offset`` (5割減 → factor 0.5; 2倍 → 2.0; 5ポイント増
    → offset +5; 現状維持 → factor 1.0). The mark engine resolves it against the baseline
    when the baseline is a number; otherwise the cell stays a qualitative target with
    ``intent``.
    """

    factor: float = 1.0
    offset: float = 0.0
    intent: str = "maintain"  # "increase" | "decrease" | "maintain"
    reference: str = ""  # the word the target is relative to (基準値, 現状, 平成25年度)
    reference_year: int | None = None  # 平成25年度比 → 2013 (a year, not the baseline word)
    unit: str | None = None  # unit of an offset (1,000人増 → 人; ポイント → None)
    words: str = ""  # the phrase as typed (normalised)
    bound: Bound | None = None  # 現状値以上 → at least the baseline


@dataclass(frozen=True, slots=True)
class Part:
    """One number of a multi-part cell (``主催6,576回 延べ参加人数36,503人``)."""

    value: float
    unit: str | None = None
    label: str | None = None  # 主催 / 延べ参加人数 / 電子申請 / 4～12月計
    is_total: bool = False  # a 計 part wins over its breakdown
    denominator: float | None = None  # 209/447


@dataclass(frozen=True, slots=True)
class Warning:
    """A suspicious spot in a cell: flagged, never silently corrected."""

    code: str  # stable, e.g. "digit_grouping", "date_incomplete"
    message: str  # Japanese, for staff
    fragment: str = ""  # the part of the text that triggered it


@dataclass(frozen=True, slots=True)
class Parsed:
    """The meaning of one value cell.

    ``value``/``unit`` are the headline number (the total when there is one, else the
    first part). ``parts`` lists every number with its label so that the mark engine
    can pick the part whose unit matches the target. Scales and kanji multipliers are
    folded into ``value`` (``405，823千枚`` → 405823000, unit ``枚``).

    ``parts`` holds every number of the cell in the order typed, the headline included
    (a plain ``25人`` has one part), each with its label (``教員25名`` → label ``教員``).
    ``label`` repeats the headline part's label (``【関係者向け】`` / ``（電子申請）``
    before the number win over words typed in front of it, which go to ``note``).

    Labelled counts (``県、52市町村、1林業事業体``: counts of different things listed with
    ``、``) have no headline: ``value`` and ``unit`` are None, ``status`` is None and
    ``parts`` lists each count; a bare word counts as 1 of itself (``県`` → Part(1, unit
    ``県``, label ``県``)). The mark engine compares such cells part by part.

    ``status`` is None for a number (or labelled counts); a cell without a number outside
    brackets gets a status: ``NONE`` for ``－``/empty, ``UNDETERMINED``/``SUSPENDED`` for
    their words, otherwise ``QUALITATIVE`` with ``words`` = the normalised text with line
    breaks removed. Numbers inside brackets (``【参考…12.0％】``) are references, never
    the headline, unless nothing but brackets was typed (``（100%）``).

    The fields after ``warnings`` say what other governments type around a value
    (``docs/rules.md``, "What other governments type"): the unit as written with its
    scale, a bound, a period, a role word, a target relative to the baseline (on a
    qualitative cell), a year typed without its era. They default to "nothing said".
    """

    text: str  # the cell as typed
    value: float | None = None
    unit: str | None = None
    denominator: float | None = None  # fractions: value / denominator
    per: str | None = None  # rates: 件/月 → per="月"
    parts: tuple[Part, ...] = ()
    approx: bool = False  # 約
    person_times: bool = False  # 延 / 延べ
    cumulative: bool = False  # 累計
    estimate: bool = False  # （見込）
    as_of: date | None = None  # last day of the period the value refers to
    period_start: date | None = None  # first day, when a range or a fiscal year is given
    status: Status | None = None
    words: str | None = None  # normalised text of a qualitative value (未整備, 全施設公開)
    intent: str | None = None  # "increase"/"decrease" for 増加を目指します / 減少を目指します
    note: str | None = None  # remaining annotation (試験課題数11, 県含む, 過去5年の平均値)
    label: str | None = None  # label of the headline (教員, 関係者向け, 電子申請, 4～12月計)
    warnings: tuple[Warning, ...] = field(default=())
    # --- what other governments type (issue 11); all default to "nothing said"
    unit_text: str | None = None  # the unit as written, scale word included: 千人, 百万円, 割
    unit_scale: float = 1.0  # value / unit_scale is the number in unit_text (千人 → 1000)
    bound: Bound | None = None  # 1,500人以上 → Bound("min", True, "以上")
    period: Period | None = None  # 5年間で / 毎年 / 最終年度までに / 年間 / 年平均
    role: ValueRole | None = None  # （現状値）, （目標値）, （実績）
    relative: Relative | None = None  # 基準値より5割減, 基準値の2倍, 現状維持
    era_omitted: bool = False  # 22年度: a year without its era; no date is guessed

    @property
    def is_number(self) -> bool:
        return self.status is None and self.value is not None

    @property
    def ratio(self) -> float | None:
        """The comparable number: value/denominator for fractions, else value."""
        if self.value is None:
            return None
        if self.denominator:
            return self.value / self.denominator
        return self.value

    @property
    def warning_codes(self) -> tuple[str, ...]:
        return tuple(w.code for w in self.warnings)

    def as_json(self) -> dict[str, Any]:
        """Every field as plain JSON values (what ``xlplan parse --json`` prints)."""
        return {
            "text": self.text,
            "value": self.value,
            "unit": self.unit,
            "unit_text": self.unit_text,
            "unit_scale": self.unit_scale,
            "denominator": self.denominator,
            "per": self.per,
            "approx": self.approx,
            "person_times": self.person_times,
            "cumulative": self.cumulative,
            "estimate": self.estimate,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "period_start": self.period_start.isoformat() if self.period_start else None,
            "era_omitted": self.era_omitted,
            "status": self.status.value if self.status else None,
            "words": self.words,
            "intent": self.intent,
            "note": self.note,
            "label": self.label,
            "role": self.role.value if self.role else None,
            "bound": asdict(self.bound) if self.bound else None,
            "period": (
                {"kind": self.period.kind.value, "years": self.period.years,
                 "words": self.period.words}
                if self.period else None
            ),
            "relative": asdict(self.relative) if self.relative else None,
            "parts": [asdict(part) for part in self.parts],
            "warnings": [w.code for w in self.warnings],
            "warning_messages": [w.message for w in self.warnings],
        }
