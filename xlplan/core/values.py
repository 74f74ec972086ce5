"""What the parser returns for one value cell.

A value cell is free text typed by staff (``約2,500時間``, ``59/465``,
``25人\\n（令和元年12月）``). :func:`xlplan.core.parse.parse_value` turns it into a
:class:`Parsed`; the mark engine and the checks only ever look at these fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Status(StrEnum):
    """Non-numeric meaning of a cell. ``None`` on :class:`Parsed` means "a number"."""

    NONE = "none"  # － / ― / empty: nothing, not applicable
    UNDETERMINED = "undetermined"  # 算出不可, 未定, …調査の予定: not known yet
    SUSPENDED = "suspended"  # 進捗管理を停止している
    QUALITATIVE = "qualitative"  # 増加を目指します。, 全施設公開, 未整備: a word, not a number


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
