"""Value cells → :class:`~xlplan.core.values.Parsed`.

:func:`parse_value` reads what staff type into a baseline, actual, projection or target
cell. The specification is ``docs/rules.md`` ("Reading a value cell"); the
vocabulary is data in :mod:`xlplan.core.lexicon`; dates are read by
:mod:`xlplan.core.dates`. The parser never raises and never "fixes" a typo silently: a
suspicious spot becomes a :class:`~xlplan.core.values.Warning` with a stable code.

How a cell is read (after :func:`~xlplan.core.normalize.normalize`):

1. Brackets ``( )`` and ``【 】`` are split off. The text outside them ("top level")
   carries the headline; each bracket is one of

   * an as-of note: a date, words like 現在/末/時点/実績, qualifiers 見込/累計
     (``（平成30年度～令和2年12月累計）``, ``（年度末見込）``);
   * a part: one number with a unit, maybe a label and a date
     (``（54団体）``, ``（3878人：令和2年12月）``, ``（4～12月計：65,791人）``);
   * a label, when it holds no number and comes before the first number
     (``【関係者向け】``, ``（電子申請）``);
   * otherwise a note (``（試験課題数11）``, ``（過去5年の平均値）``).

2. Dates (``令和2年12月``) and months without a year (``4～5月``) are masked so their
   digits are never read as values. Every other number at top level is a part; the
   words in front of it are its label (``教員25名``, ``主催6,576回``), the word after it
   its unit. A unit is the run of characters up to a break, bracket or separator, so
   any unit is accepted (``林業事業体``); the lexicon only canonicalises spellings
   (``ヶ所`` → ``箇所``) and cuts a unit off words that run on (``1校内容の…``).

3. The headline is the total (a part labelled ``…計``) if there is one, else the first
   top-level part. A ``、``-separated list of counts is "labelled counts" and has no
   headline (see :class:`~xlplan.core.values.Parsed`).

4. With no number outside brackets the cell gets a status (see ``Lexicon.STATUS_WORDS``)
   or is qualitative. This is the general rule behind the long 介護職員の離職率 target
   ``令和2年の目標値：全産業と同じ水準【参考全産業離職率（平成28年度：12.0％）…``: its only
   numbers are a date and a reference inside 【】, so it is a qualitative target and the
   12.0％ is not its value. A cell that is nothing but brackets (``（100%）``) is the
   exception: its bracketed number is the headline.

What other governments type (issue 11; ``docs/rules.md`` has a table per category):

* a scale after a space or inside the unit (``412 万回``, ``2,480百万円``): the value is in
  the base unit, ``unit_text``/``unit_scale`` keep the unit as written;
* a label or numbering before the value (``指標3_相談件数:1,200件/年``, ``①利用件数 420件``,
  ``目標1：満足度 80%``): a bare number glued to a word and followed by ``_ : . )`` is
  numbering when another number follows, and stays in the label;
* a period before or after the value (``5年間で 2,000人``, ``毎年90%``, ``（年平均）``):
  ``period``;
* compound units (``t-CO2``, ``m2`` from ``㎡``, ``g/人日``);
* bounds (``1,500 人以上``, ``30%超``): ``bound`` (the word also stays in ``note``);
* role words (``（現状値）``, ``目標値：80%``): ``role``; a year without an era
  (``22年度``): ``era_omitted`` and a warning, no date guessed;
* a dash with a unit (``― 人/年``) is empty; targets relative to the baseline
  (``基準値より5割減``, ``基準値の2倍``, ``現状維持``): ``relative``, resolved by the judge;
* numbers Excel already typed: see :meth:`Parser.parse` and ``number_format``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from xlplan.core.dates import DateHit, find_dates, warning
from xlplan.core.lexicon import LEXICON, Lexicon
from xlplan.core.normalize import normalize
from xlplan.core.values import (
    Bound,
    Parsed,
    Part,
    Period,
    PeriodKind,
    Relative,
    Status,
    ValueRole,
    Warning,
)

__all__ = ["Parser", "excel_serial_date", "number_format_kind", "parse_value", "same_unit"]

_MASK = "\x00"  # stands in for masked text (dates, months); never part of a unit or label
_OPENERS = frozenset("(【")
_CLOSERS = frozenset(")】")
_HIRAGANA = re.compile("[ぁ-ゖ]")
_COUNT_UNIT = re.compile(r"(\d[\d,]*(?:\.\d+)?)(.+)")
_OUTLINE = re.compile(r"(?:^|(?<=\n))(\d{1,2}(?:-\d{1,2})+)(?=[ :])")
_WORD_CHAR = re.compile("[\u3041-\u30ff\u4e00-\u9fffA-Za-z]")
_LABEL_BREAK = re.compile("[\n、]")  # a label is the last line / list item before its number
_LABEL_STRIP = " \n:、・,～" + _MASK
# A number with thousands separators and decimals; scale words handled around it.
_NUM = r"\d+(?:,\d+)*(?:\.\d+)?"
# Months without a year: 4～5月, 6～12月, 12月1日. Not dates, not values.
_YEARLESS = re.compile(
    r"(?<![\d,.])\d{1,2}(?:～\d{1,2})?月(?:\d{1,2}日)?(?:～\d{1,2}月(?:\d{1,2}日)?)?"
)
# Characters that end a unit.
_UNIT_STOP = r"\s\d()【】,、:;。/～・\-+=<>「」『』\"'._\x00→⇒➡➔*※"


@dataclass(slots=True)
class _Token:
    """One number found in a text, with its unit."""

    start: int  # first character (sign included)
    end: int  # after the unit (or the number when there is no unit)
    value: float
    unit: str | None = None
    per: str | None = None
    denominator: float | None = None
    bad_grouping: str | None = None  # the number as typed, when its commas are wrong
    approx: bool = False
    person_times: bool = False
    label: str | None = None
    notes: list[str] = field(default_factory=list)
    unit_text: str | None = None  # as written, scale word included (千人)
    unit_scale: float = 1.0
    scale_word: str = ""  # the scale characters right before the unit (千, 百万)
    bound: Bound | None = None


@dataclass(slots=True)
class _Bracket:
    start: int  # index of the opener
    content: str  # up to the closer, or to the end when unclosed


@dataclass(slots=True)
class _BracketInfo:
    """What one bracket says (see :meth:`Parser._bracket`)."""

    kind: str  # "annotation" | "part" | "note"
    text: str
    hits: list[DateHit]
    part: _Token | None = None
    period: Period | None = None
    role: ValueRole | None = None
    per: str | None = None


@dataclass(slots=True)
class _Span:
    """A phrase found in a text: where it is and what it says."""

    start: int
    end: int
    period: Period | None = None
    per: str | None = None  # 1日あたり → 日


class Parser:
    """A value-cell parser over a :class:`Lexicon`; :func:`parse_value` uses the default."""

    def __init__(self, lexicon: Lexicon = LEXICON, cache_size: int = 1 << 16) -> None:
        lx = self.lexicon = lexicon
        scales = "".join(lx.SCALES)
        kanji = "".join(lx.KANJI_DIGITS) + "".join(lx.KANJI_SMALL_SCALES)
        kanji += "".join(k for k in lx.SCALES if k not in lx.KANJI_SMALL_SCALES)
        units_by_length = sorted(set(lx.KNOWN_UNITS), key=len, reverse=True)
        self._known_units = tuple(units_by_length)
        known = "|".join(re.escape(u) for u in units_by_length)
        signs = "".join(re.escape(s) for s in lx.MINUS_SIGNS)
        # A run of scale characters (百万), never the start of a word like 千葉.
        scale_run = rf"(?:(?!{_alt(lx.NOT_SCALES)})[{scales}])+"
        # One space may separate a number from its scale when a unit follows (412 万回).
        spaced = rf"(?:[ ](?={scale_run}(?:{known}|/|$|[\s(【、:])))?"
        self._number = re.compile(
            rf"(?P<sign>(?<![\d.,A-Za-z])[{signs}+])?"
            rf"(?:(?<![A-Za-z])(?P<num>{_NUM}(?:{spaced}{scale_run}(?:{_NUM}(?:{scale_run})?)*)?)"
            rf"(?:/(?P<den>{_NUM})(?![\d{scales}]))?"
            rf"|(?:(?<=[\s:、\x00約延べ(【])|(?<![\s\S]))(?P<kanji>[{kanji}]+)"
            rf"(?=(?:{known})(?:$|[\s(【、:/])))"
        )
        self._num_parts = re.compile(rf"({_NUM})[ ]?([{scales}]*)")
        self._trailing_scale = re.compile(rf"[{scales}]+$")
        self._ascii_unit = re.compile(
            rf"(?P<ws>[^\S\n]?)(?P<run>{lx.ASCII_UNIT_PATTERN})(?![A-Za-z0-9])"
            rf"(?:/(?P<per>{lx.ASCII_UNIT_PATTERN}(?![A-Za-z0-9])|[^{_UNIT_STOP}]+))?"
        )
        # A bare number glued to a word and followed by one of these is numbering
        # (指標3_相談件数, 目標1：満足度, 1.利用件数) when another number follows it.
        self._numbering_next = frozenset("_:.)")
        self._later_digit = re.compile(r"\d")
        # A rate's period may be a count (人/10万人) or two words (g/人・日).
        per = (rf"{lx.ASCII_UNIT_PATTERN}(?![A-Za-z0-9])"
               rf"|(?:\d+[{scales}]?)?[^{_UNIT_STOP}]+(?:・[^{_UNIT_STOP}]+)?")
        self._unit = re.compile(
            rf"(?P<ws>[^\S\n]*\n?[^\S\n]*)(?P<run>[^{_UNIT_STOP}]+)"
            rf"(?:/(?P<per>{per}))?"
        )
        # The common shape, read without the general machinery: an optional 約/延, a
        # correctly grouped number, a known unit, maybe one bracket (25人\n（令和元年12月）).
        prefix = "|".join(re.escape(p) for p in lx.APPROX_PREFIXES + lx.PERSON_TIMES_PREFIXES)
        self._fast = re.compile(
            rf"(?P<pre>{prefix})?(?P<sign>[{signs}])?"
            r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
            rf"(?P<unit>{known})?(?:\n?\((?P<note>[^()【】]*)\))?"
        )
        self._fast_prefixes = (frozenset(lx.APPROX_PREFIXES), frozenset(lx.PERSON_TIMES_PREFIXES))
        self._digit_next = re.compile(rf"[ \n]*(?:[{signs}+])?\d")
        self._dashes_only = re.compile(f"[{re.escape(lx.DASHES)} \n]*")
        self._skip_words = _alternation(
            lx.NOTE_QUALIFIER_WORDS + lx.APPROX_SUFFIXES + lx.DATE_SKIP_WORDS
            + lx.PERSON_TIMES_WORDS
        )
        self._person_times_words = _alternation(lx.PERSON_TIMES_WORDS)
        self._cumulative_words = _alternation(lx.CUMULATIVE_WORDS)
        self._estimate_words = _alternation(lx.ESTIMATE_WORDS)
        by_status: dict[Status, list[str]] = {}
        for word, st in lx.STATUS_WORDS:
            by_status.setdefault(st, []).append(word)
        self._status_words = [(st, _alternation(ws)) for st, ws in by_status.items()]
        self._suspended_words = _alternation(by_status.get(Status.SUSPENDED, []))
        self._words_nl = re.compile(r"(?<=[A-Za-z0-9])\n(?=[A-Za-z0-9])")

        # Issue 11: dashes with a unit, periods, bounds, roles, relative targets.
        unitish = rf"(?:{known}|{lx.ASCII_UNIT_PATTERN})(?:/[^\s\d()【】]{{1,4}})?"
        self._dash_unit = re.compile(
            rf"[{re.escape(lx.DASHES)}]+[ \n]*(?:{unitish})?[ \n]*"
        )
        self._period_years = re.compile(
            rf"(?<![\d,.])(?P<n>\d{{1,2}})[ ]?(?:{_alt(lx.PERIOD_YEAR_WORDS)})"
            rf"(?:[ \n]*(?P<tail>{_alt(lx.PERIOD_YEAR_TAILS)}))?"
        )
        self._period_words = re.compile(
            rf"(?<![\d,./])(?:{_alt(tuple(w for w, _ in lx.PERIOD_WORDS))})"
        )
        self._period_kind = dict(lx.PERIOD_WORDS)
        self._rate_phrase = re.compile(
            rf"(?<![\d,.])(?:1[ ]?|一)?(?P<per>{_alt(lx.RATE_UNITS)})[ ]?"
            rf"(?P<how>{_alt(lx.RATE_WORDS)})"
        )
        pre = _alt(lx.APPROX_PREFIXES + lx.PERSON_TIMES_PREFIXES)
        self._number_follows = re.compile(rf"[ \n:]*(?:{pre})?[ ]?[{signs}+]?\d")
        self._deadline = re.compile(rf"[ ]?(?:{_alt(lx.DEADLINE_WORDS)})")
        tail = (*(w for w in lx.DATE_SKIP_WORDS if w != "実績"), "までの")
        self._date_tail = re.compile(rf"(?:[ ]?(?:{_alt(tail)}))+")
        self._bound_words = tuple(
            sorted(lx.BOUND_WORDS, key=lambda b: len(b[0]), reverse=True)
        )
        self._role_words = _alternation(tuple(w for w, _ in lx.ROLE_WORDS))
        self._role_of = dict(lx.ROLE_WORDS)
        eras = "|".join(re.escape(n) for n, _, _ in lx.ERAS)
        abbrs = "".join(re.escape(a) for _, a, _ in lx.ERAS)
        year_ref = (
            rf"(?:(?:{eras}|[{abbrs}])[ ]?(?:{re.escape(lx.FIRST_YEAR)}|\d{{1,2}})"
            rf"|(?:19|20)\d{{2}})[ ]?(?:年度?)?"
        )
        ref = (
            rf"(?P<ref>{_alt(lx.RELATIVE_REFERENCES)}|{year_ref})(?:の値)?[ ]?"
            rf"(?:{_alt(lx.RELATIVE_LINKS)})?[ ]?"
        )
        change = _alt(lx.INCREASE_WORDS + lx.DECREASE_WORDS)
        rel_units = _alt((*lx.RELATIVE_SHARE_UNITS, *lx.RELATIVE_POINT_UNITS))
        bound = rf"(?P<bound>{_alt(tuple(w for w, _, _ in lx.BOUND_WORDS))})?"
        self._relative_times = re.compile(rf"{ref}(?P<n>{_NUM})[ ]?倍[ ]?{bound}")
        self._relative_change = re.compile(
            rf"(?:{ref})?(?<![\d,.A-Za-z])(?P<n>{_NUM})[ ]?"
            rf"(?P<u>{rel_units}|[^\s\d()【】、。:/ぁ-ゖ]{{1,4}}?)?[ ]?{bound}[ ]?(?P<dir>{change})"
            r"(?![量率数額幅分])"  # 削減量, 増加率: a noun, not a change
        )
        self._bound_by_word = {w: (side, inc) for w, side, inc in lx.BOUND_WORDS}
        self._relative_phrase = re.compile(
            _alt(tuple(p for p, _, _, _ in lx.RELATIVE_PHRASES))
        )
        self._relative_phrases = {p: (f, i, b) for p, f, i, b in lx.RELATIVE_PHRASES}
        self._relative_tails = _alternation(lx.RELATIVE_TAILS)
        self._increase = frozenset(lx.INCREASE_WORDS)
        self._parse_cached: Callable[[str], Parsed] = lru_cache(maxsize=cache_size)(
            self._parse_str
        )

    # ------------------------------------------------------------------ entry points

    def parse(self, value: object, number_format: str | None = None) -> Parsed:
        """The meaning of one cell value. Never raises.

        ``number_format`` is the cell's Excel number format (openpyxl ``cell.number_format``,
        xlwings ``range.number_format``), when the reader has it. It only matters for a
        value Excel has already typed (a number or a date); text is read as typed:

        * a percent format (``0%``, ``0.0%``, ``#,##0.00%``): the number is a fraction,
          shown ×100 → ``0.5`` is 50, unit ``%``;
        * a date format (``yyyy/m/d``, ``m"月"d"日"``, ``[$-411]ggge"年"m"月"d"日"``): the
          number is a date serial (1900 system) → a date-only cell, warning ``date_only``,
          as for a ``date``/``datetime`` value;
        * a literal unit in the format (``#,##0"人"``, ``0.0"%"``): that unit, no scaling;
        * anything else (``General``, ``#,##0``, ``0.00``, ``@``, ``None``): a plain number.
        """
        try:
            if value is None:
                return Parsed(text="", status=Status.NONE)
            if isinstance(value, str):
                return self._parse_cached(value)
            if isinstance(value, bool):
                text = "TRUE" if value else "FALSE"
                return Parsed(text=text, status=Status.QUALITATIVE, words=text)
            if isinstance(value, int | float | Decimal):
                if number_format:
                    return self._parse_formatted(value, number_format)
                return self._parse_number(value)
            if isinstance(value, date):  # datetime included
                return self._parse_date(value)
            return self._parse_cached(str(value))
        except Exception:  # last resort: str(value) itself may fail (see the tests)
            return self._unparseable(value)

    def _parse_formatted(self, value: int | float | Decimal, number_format: str) -> Parsed:
        kind, unit = number_format_kind(number_format)
        x = float(value)
        if (kind == "number" and unit is None) or not math.isfinite(x):
            return self._parse_number(value)
        if kind == "date":
            d = excel_serial_date(x)
            if d is None:
                return self._parse_number(value)
            return self._parse_date(d)
        if kind == "percent":
            pct = float(Decimal(str(x)) * 100)
            text = _number_text(pct) + "%"
            return Parsed(text=text, value=pct, unit="%", parts=(Part(pct, "%"),),
                          unit_text="%")
        canonical = self.canonical_unit(unit) if unit else None
        text = _number_text(value) + (unit or "")
        return Parsed(text=text, value=x, unit=canonical, parts=(Part(x, canonical),),
                      unit_text=unit)

    def _unparseable(self, value: object) -> Parsed:
        try:
            text = value if isinstance(value, str) else repr(value)
        except Exception:
            text = "?"
        w = warning("unparseable", text[:40], self.lexicon)
        return Parsed(text=text, status=Status.UNDETERMINED, warnings=(w,))

    def _parse_number(self, value: int | float | Decimal) -> Parsed:
        x = float(value)
        text = _number_text(value)
        if math.isnan(x):
            return Parsed(text="", status=Status.NONE)
        if not math.isfinite(x):
            w = warning("not_finite", text, self.lexicon)
            return Parsed(text=text, status=Status.QUALITATIVE, words=text, warnings=(w,))
        return Parsed(text=text, value=x, parts=(Part(x),))

    def _parse_date(self, value: date) -> Parsed:
        d = value.date() if isinstance(value, datetime) else value
        text = d.isoformat()
        w = warning("date_only", text, self.lexicon)
        return Parsed(text=text, status=Status.QUALITATIVE, words=text, as_of=d, warnings=(w,))

    def _parse_str(self, raw: str) -> Parsed:
        try:
            s = normalize(raw).replace(_MASK, " ")
            if "中" in s:
                s = _OUT_OF.sub(r"\g<m>/\g<n>\g<u>", s)
            later = _after_arrow(s) if any(a in s for a in _ARROWS) else None
            if later is not None:  # R2：1,234人→R3：1,500人: the newest figure is the value
                got = self._parse_fast(raw, s[later:]) or self._parse_normalized(raw, s[later:])
                earlier = s[:later].rstrip(" \n" + _ARROWS)
                return replace(got, note=self._join_notes([earlier, *([got.note] if got.note
                                                                       else [])]))
            return self._parse_fast(raw, s) or self._parse_normalized(raw, s)
        except Exception:  # last resort; tests show normal text never gets here
            return self._unparseable(raw)

    def _parse_fast(self, raw: str, s: str) -> Parsed | None:
        """``25人``, ``約2,500時間``, ``68.1%\n(平成30年度)``; None for anything else.

        Gives exactly what :meth:`_parse_normalized` gives (a test compares the two).
        """
        m = self._fast.fullmatch(s)
        if m is None:
            return None
        hits: list[DateHit] = []
        period: Period | None = None
        role: ValueRole | None = None
        note = m.group("note")
        if note is not None:
            info = self._bracket(note)
            if info.kind != "annotation" or info.per is not None:
                return None
            hits, period, role = info.hits, info.period, info.role
        num, unit_text, pre = m.group("num"), m.group("unit"), m.group("pre")
        if unit_text is not None and unit_text in self.lexicon.UNIT_SCALES:
            return None  # 7割: a scaled unit, read by the general reader
        value = float(num.replace(",", "") if "," in num else num)
        if m.group("sign"):
            value = -value
        unit = self.canonical_unit(unit_text) if unit_text is not None else None
        warnings = tuple(h.warning for h in hits if h.warning is not None)
        dated = next((h for h in hits if h.warning is None), None)
        compact = s if note is None else s.replace(" ", "").replace("\n", "")
        cumulative = _has(self._cumulative_words, compact)
        return Parsed(
            text=raw,
            value=value,
            unit=unit,
            parts=(Part(value, unit),),
            approx=pre in self._fast_prefixes[0],
            person_times=pre in self._fast_prefixes[1]
            or _has(self._person_times_words, compact),
            cumulative=cumulative or (period is not None
            and period.kind is PeriodKind.CUMULATIVE),
            estimate=_has(self._estimate_words, compact),
            as_of=dated.last if dated else None,
            period_start=dated.first if dated else None,
            warnings=warnings,
            unit_text=unit_text,
            period=period or (_CUMULATIVE if cumulative else None),
            role=role,
            era_omitted=any(w.code == "era_omitted" for w in warnings),
        )

    # ------------------------------------------------------------------ the reader

    def _parse_normalized(self, raw: str, s: str) -> Parsed:
        lx = self.lexicon
        if self._dashes_only.fullmatch(s):
            return Parsed(text=raw, status=Status.NONE)
        words = self._words(s)
        compact = words.replace(" ", "")
        if compact in lx.NONE_WORDS:
            return Parsed(text=raw, status=Status.NONE)

        warnings: list[Warning] = []
        brackets, top = self._brackets(s, warnings)
        infos = [self._bracket(b.content) for b in brackets]
        # A dash with a unit (― 人/年), maybe with an as-of note: still nothing.
        if self._dash_unit.fullmatch(top.strip(" \n")) and any(c in lx.DASHES for c in top):
            if all(i.kind == "annotation" or self._dashes_only.fullmatch(i.text)
                   for i in infos):
                return Parsed(text=raw, status=Status.NONE)
            if all(i.kind != "part" and not _has_digit(i.text) for i in infos):
                # －（未調査）: nothing, with a reason in brackets.
                note = self._join_notes([i.text for i in infos if i.kind == "note"])
                return Parsed(text=raw, status=Status.NONE, note=note)

        # Phrases that carry meaning but no value: a target relative to the baseline,
        # dates, periods. Their digits are never read as values.
        relative = self._relative(top)
        top_dates = find_dates(top, lx)
        if relative is not None:
            _rel, ra, rb = relative
            top_dates = [h for h in top_dates if h.end <= ra or h.start >= rb]
        # A date's trailing words (令和2年12月末現在) go with it, not into a label.
        spans = [(h.start, self._date_tail_end(top, h.end)) for h in top_dates]
        if relative is not None:
            spans.append((ra, rb))
        dated_src = _blank(top, spans, "\n")
        phrases = self._phrases(dated_src, top, top_dates, number_follows=True)
        spans.extend((p.start, p.end) for p in phrases)
        label_src = _blank(top, spans, "\n")
        masked = _blank(label_src, [m.span() for m in _YEARLESS.finditer(label_src)], _MASK)
        masked = self._mask_outline_numbers(masked)
        tokens = self._tokens(masked, label_src)
        period = next((p.period for p in phrases if p.period is not None), None)

        notes: list[str] = []
        date_hits: list[DateHit] = list(top_dates) if tokens else []
        # Bracket parts, labels and notes, in order.
        bracket_parts: list[tuple[int, _Token]] = []
        label: str | None = None
        role: ValueRole | None = None
        first_pos = tokens[0].start if tokens else len(top)
        for b, info in zip(brackets, infos, strict=True):
            if info.kind == "note" and b.start < first_pos and label is None and not _has_digit(
                info.text
            ):
                label = info.text
                continue
            date_hits.extend(info.hits)
            period = period or info.period
            role = role or info.role
            if info.part is not None:
                bracket_parts.append((b.start, info.part))
            elif info.kind == "note" and info.text:
                notes.append(info.text)

        # Top-level text that is neither a number, its unit nor its label.
        top_rest = self._top_notes(tokens, label_src)

        labelled = self._labelled_counts(tokens, masked, label_src) if tokens else None
        parts_at = [(t.start, t) for t in tokens] + bracket_parts
        parts_at.sort(key=lambda x: x[0])
        all_tokens = [t for _, t in parts_at]
        headline: _Token | None = None
        if labelled is None:
            headline = next((t for t in all_tokens if self._is_total(t.label)), None)
            if headline is None and tokens:
                headline = tokens[0]
            if headline is None and bracket_parts and not top.strip(" \n"):
                headline = bracket_parts[0][1]
            if headline is None and len(bracket_parts) == 1 and not relative and not phrases:
                # 県内全市町村（54市町村）: a short word naming the one count in brackets.
                word = self._clean_note(label_src)
                if word and len(word) <= 20 and not _HIRAGANA.search(word) and not any(
                    i.kind == "note" for i in infos
                ) and self._status(compact) is None:
                    headline = bracket_parts[0][1]
                    headline.label = headline.label or word
                    top_rest = []

        for t in all_tokens:
            if t.bad_grouping is not None:
                warnings.append(warning("digit_grouping", t.bad_grouping, lx))

        # Stopped tracking is stopped, whatever number stands beside it.
        status = Status.SUSPENDED if _has(self._suspended_words, compact) else None

        if headline is None and labelled is None:
            only_date: DateHit | None = None
            if top_dates and not brackets and not self._clean_note(label_src) and not (
                relative or phrases
            ):
                # Nothing but a date (令和2年12月末): say so rather than read it as a word.
                date_hits = [h for h in top_dates if h.warning is not None]
                if not date_hits:
                    warnings.append(warning("date_only", words, lx))
                    only_date = top_dates[0]
            p = self._no_number(raw, words, compact, status, warnings, date_hits,
                                relative[0] if relative else None)
            if only_date is not None:
                p = replace(p, as_of=only_date.last, period_start=only_date.first)
            return p

        # A rate said in words (1日あたり 1,200人, （月平均）): the headline's unit is per it.
        rate = next((p.per for p in phrases if p.per is not None), None) or next(
            (i.per for i in infos if i.per is not None), None)
        if rate is not None and headline is not None and headline.per is None:
            headline.per = rate
            if headline.unit is not None:
                headline.unit = f"{headline.unit}/{rate}"
                headline.unit_text = f"{headline.unit_text or ''}/{rate}"

        # Labels: a leading bracket label wins; the inline label then becomes a note.
        if headline is not None and label is not None:
            if headline.label:
                notes.insert(0, headline.label)
            headline.label = label
        # A role word as the label (現状値：61,000人) is a role, not a label; a label of
        # qualifier words only (R2年度見込 1,200件: 見込 is already a flag) is none.
        if headline is not None and headline.label:
            found = self._role_of.get(headline.label.strip(" :"))
            if found is not None:
                role = role or found
                headline.label = None
            elif not self._strip_words(headline.label).strip(_LABEL_STRIP):
                headline.label = None
        notes = top_rest + [n for t in all_tokens for n in t.notes] + notes

        as_of: date | None = None
        period_start: date | None = None
        for h in date_hits:
            if h.warning is not None:
                warnings.append(h.warning)
            elif as_of is None:
                as_of, period_start = h.last, h.first

        parts: tuple[Part, ...]
        if labelled is not None:
            parts = labelled
        else:
            parts = tuple(
                Part(t.value, t.unit, t.label or None, self._is_total(t.label), t.denominator)
                for t in all_tokens
            )
        head = headline
        cumulative = _has(self._cumulative_words, compact) or (
            period is not None and period.kind is PeriodKind.CUMULATIVE
        )
        if period is None and _has(self._cumulative_words, compact):
            period = _CUMULATIVE
        return Parsed(
            text=raw,
            value=head.value if head else None,
            unit=head.unit if head else None,
            denominator=head.denominator if head else None,
            per=head.per if head else None,
            parts=parts,
            approx=any(t.approx for t in all_tokens),
            person_times=any(t.person_times for t in all_tokens)
            or _has(self._person_times_words, compact),
            cumulative=cumulative,
            estimate=_has(self._estimate_words, compact),
            as_of=as_of,
            period_start=period_start,
            status=status,
            words=words if status is not None else None,
            note=self._join_notes(notes),
            label=(head.label or None) if head else None,
            warnings=tuple(warnings),
            unit_text=head.unit_text if head else None,
            unit_scale=head.unit_scale if head else 1.0,
            bound=head.bound if head else None,
            period=period,
            role=role,
            relative=relative[0] if relative else None,
            era_omitted=any(w.code == "era_omitted" for w in warnings),
        )

    def _no_number(
        self,
        raw: str,
        words: str,
        compact: str,
        status: Status | None,
        warnings: list[Warning],
        date_hits: list[DateHit],
        relative: Relative | None = None,
    ) -> Parsed:
        lx = self.lexicon
        if status is None:
            status = self._status(compact) or Status.QUALITATIVE
        intent = None
        if status is Status.QUALITATIVE:
            if relative is not None:
                intent = relative.intent
            else:
                intent = next((i for w, i in lx.INTENTS if w in compact), None)
        warnings.extend(h.warning for h in date_hits if h.warning is not None)
        return Parsed(
            text=raw,
            status=status,
            words=words,
            intent=intent,
            estimate=_has(self._estimate_words, compact),
            warnings=tuple(warnings),
            relative=relative if status is Status.QUALITATIVE else None,
            era_omitted=any(w.code == "era_omitted" for w in warnings),
        )

    def _status(self, compact: str) -> Status | None:
        for st, words in self._status_words:
            if words.search(compact):
                return st
        return None

    # ------------------------------------------------------------------ pieces

    def _words(self, s: str) -> str:
        """The text of a qualitative value: line breaks are wraps, not words."""
        if "\n" not in s:
            return s
        return self._words_nl.sub(" ", s).replace("\n", "")

    def _brackets(self, s: str, warnings: list[Warning]) -> tuple[list[_Bracket], str]:
        """Top-level bracket groups, and the text with them blanked out."""
        if not any(c in s for c in "()【】"):
            return [], s
        groups: list[_Bracket] = []
        chars = list(s)
        depth = 0
        open_at = 0
        for i, c in enumerate(s):
            if c in _OPENERS:
                if depth == 0:
                    open_at = i
                depth += 1
                chars[i] = "\n"
            elif c in _CLOSERS:
                if depth == 0:
                    warnings.append(warning("bracket_unopened", s[max(0, i - 10) : i + 1],
                                            self.lexicon))
                    chars[i] = "\n"
                    continue
                depth -= 1
                chars[i] = "\n"
                if depth == 0:
                    groups.append(_Bracket(open_at, s[open_at + 1 : i]))
            elif depth:
                chars[i] = "\n"
        if depth:
            groups.append(_Bracket(open_at, s[open_at + 1 :]))
            warnings.append(warning("bracket_unclosed", s[open_at : open_at + 20], self.lexicon))
        return groups, "".join(chars)

    def _bracket(self, content: str) -> _BracketInfo:
        """Classify a bracket's content: an annotation (dates, qualifiers, a period, a role
        word), a part (one number with its unit) or a note."""
        c = content.replace("\n", "")  # a line break inside brackets is a wrap
        hits = find_dates(c, self.lexicon)
        label_src = _blank(c, [(h.start, h.end) for h in hits], "\n")
        phrases = self._phrases(label_src, c, hits, number_follows=False)
        rest = _blank(label_src, [(p.start, p.end) for p in phrases], "\n")
        if not self._strip_words(rest).strip(_LABEL_STRIP + "()【】"):
            period = next((p.period for p in phrases if p.period is not None), None)
            m = self._role_words.search(c)
            role = self._role_of[m.group()] if m is not None else None
            per = next((p.per for p in phrases if p.per is not None), None)
            return _BracketInfo("annotation", c, hits, None, period, role, per)
        masked = _blank(label_src, [m.span() for m in _YEARLESS.finditer(label_src)], _MASK)
        tokens = self._tokens(masked, label_src)
        if len(tokens) == 1 and tokens[0].unit is not None and not tokens[0].notes:
            t = tokens[0]
            if not self._strip_words(label_src[t.end :]).strip(_LABEL_STRIP):
                return _BracketInfo("part", c, hits, t)
        return _BracketInfo("note", c.strip(" :"), [])

    def _phrases(
        self, text: str, original: str, hits: list[DateHit], *, number_follows: bool
    ) -> list[_Span]:
        """Period phrases of ``text`` (dates already blanked): 5年間で, 毎年, 最終年度までに,
        年間, （年平均）, and a deadline after a date (令和7年度までに).

        At top level (``number_follows``) a phrase counts only when a number follows it,
        so that 年間延べ利用者数 stays a label; in brackets any phrase counts, and the
        bracket is an annotation only if nothing else is left.
        """
        out: list[_Span] = []
        if any(c.isdigit() for c in text):
            for m in self._period_years.finditer(text):
                if m.group("tail") is None and number_follows and not (
                    self._number_follows.match(text, m.end())
                ):
                    continue
                if number_follows and not self._later_digit.search(text, m.end()):
                    continue
                tail = m.group("tail") or ""
                kind = PeriodKind.AVERAGE if "平均" in tail else PeriodKind.CUMULATIVE
                period = Period(kind, int(m.group("n")), m.group().replace("\n", ""))
                out.append(_Span(m.start(), m.end(), period))
        taken = [(p.start, p.end) for p in out]
        for m in self._rate_phrase.finditer(text):  # 1日あたり, 月平均: before 平均 alone
            if any(a <= m.start() < b for a, b in taken) or (
                number_follows and not self._number_follows.match(text, m.end())
            ):
                continue
            average = (Period(PeriodKind.AVERAGE, None, m.group())
                       if m.group("how") == "平均" else None)
            out.append(_Span(m.start(), m.end(), average, self.canonical_unit(m.group("per"))))
            taken.append((m.start(), m.end()))
        for m in self._period_words.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            if number_follows and not self._number_follows.match(text, m.end()):
                continue
            if not number_follows and _WORD_CHAR.match(text, m.end()):
                continue  # 年度末見込: 年 starts a longer word here
            kind = self._period_kind[m.group()]
            out.append(_Span(m.start(), m.end(), Period(kind, None, m.group())))
        for h in hits:
            d = self._deadline.match(original, h.end)
            if d is not None and h.warning is None:
                words = original[h.start : d.end()]
                out.append(_Span(h.end, d.end(), Period(PeriodKind.BY_FINAL, None, words)))
        out.sort(key=lambda p: p.start)
        return out

    def _relative(self, top: str) -> tuple[Relative, int, int] | None:
        """A target relative to the baseline in the top-level text, with its span.

        基準値より5割減 (×0.5), 基準値の2倍 (×2), 20%削減 (×0.8), 5ポイント向上 (+5),
        1,000人増 (+1,000人), 現状維持 (×1), 半減, 倍増. A reference to another year
        (平成25年度比) is kept in ``reference``; the judge resolves only references to
        the baseline.
        """
        if not any(w in top for w in ("増", "減", "倍", "維持", "向上", "上昇", "アップ",
                                       "ダウン", "低下", "拡大", "縮小", "以上", "以下",
                                       "伸長")):
            return None
        lx = self.lexicon
        m = self._relative_phrase.search(top)
        if m is not None:
            factor, intent, side = self._relative_phrases[m.group()]
            bound = Bound(side, True, m.group()[-2:]) if side else None
            rel = Relative(factor=factor, intent=intent, reference="現状",
                           words=m.group(), bound=bound)
            return rel, m.start(), self._tail_end(top, m.end())
        m = self._relative_times.search(top)
        if m is not None:
            n = self._relative_number(m.group("n"))
            intent = "increase" if n > 1 else "decrease" if n < 1 else "maintain"
            return (Relative(factor=n, intent=intent, reference=m.group("ref"),
                             words=m.group(), reference_year=self._year_of(m.group("ref")),
                             bound=self._relative_bound(m.group("bound"), n >= 1)),
                    m.start(), self._tail_end(top, m.end()))
        m = self._relative_change.search(top)
        if m is None:
            return None
        n = self._relative_number(m.group("n"))
        up = m.group("dir") in self._increase
        sign = 1.0 if up else -1.0
        unit = m.group("u")
        ref = m.group("ref") or ""
        if unit in lx.RELATIVE_SHARE_UNITS:
            rel = Relative(factor=1.0 + sign * n * lx.RELATIVE_SHARE_UNITS[unit])
        elif unit in lx.RELATIVE_POINT_UNITS:
            rel = Relative(offset=sign * n)
        else:
            rel = Relative(offset=sign * n,
                           unit=self.canonical_unit(unit) if unit else None)
        rel = replace(rel, intent="increase" if up else "decrease", reference=ref,
                      words=m.group(), reference_year=self._year_of(ref),
                      bound=self._relative_bound(m.group("bound"), up))
        return rel, m.start(), self._tail_end(top, m.end())

    def _relative_bound(self, word: str | None, up: bool) -> Bound | None:
        """30%以上削減: at least that change, i.e. a target the value must pass (at most
        0.7 × baseline for a reduction, at least 1.5 × baseline for 1.5倍以上)."""
        if not word:
            return None
        inclusive = self._bound_by_word[word][1]
        return Bound("min" if up else "max", inclusive, word)

    def _date_tail_end(self, text: str, end: int) -> int:
        m = self._date_tail.match(text, end)
        return m.end() if m is not None else end

    def _relative_number(self, text: str) -> float:
        return self._number_value(text)[0]

    def _tail_end(self, text: str, end: int) -> int:
        """Where a relative phrase ends once 「を目指す。」-like endings are included."""
        while True:
            m = self._relative_tails.match(text, end)
            if m is None:
                return end
            end = m.end()

    def _year_of(self, ref: str | None) -> int | None:
        """平成25年度 → 2013: the year a relative target refers to, if it names one."""
        if not ref:
            return None
        hits = find_dates(ref, self.lexicon)
        h = hits[0] if hits else None
        if h is None or h.last is None:
            return None
        return (h.first or h.last).year

    def _strip_words(self, text: str) -> str:
        return self._skip_words.sub(" ", text)

    def _tokens(self, masked: str, label_src: str) -> list[_Token]:
        """Numbers of a (masked) text with their units and labels."""
        lx = self.lexicon
        tokens: list[_Token] = []
        prev_end = 0
        for m in self._number.finditer(masked):
            if m.start() < prev_end:
                continue
            tok = self._token(m, masked)
            if self._is_numbering(m, tok, masked) or self._qualifies_a_noun(tok, masked):
                continue  # 指標3_…, 65歳以上の割合: stays in the label of the number that follows
            # The words in front: qualifiers, then the label (its last line).
            before = label_src[prev_end : tok.start]
            before = before.rstrip(" \n")
            for p in lx.APPROX_PREFIXES:
                if before.endswith(p):
                    tok.approx = True
                    before = before[: -len(p)].rstrip(" ")
                    break
            for p in lx.PERSON_TIMES_PREFIXES:
                if before.endswith(p):
                    tok.person_times = True
                    before = before[: -len(p)].rstrip(" ")
                    break
            lines = [ln.strip(_LABEL_STRIP) for ln in _LABEL_BREAK.split(before)]
            lines = [ln for ln in lines if ln]
            if lines:
                tok.label = lines[-1]
                if tokens:
                    tokens[-1].notes.extend(lines[:-1])
                else:
                    tok.notes.extend(lines[:-1])
            tokens.append(tok)
            prev_end = tok.end
        return tokens

    def _mask_outline_numbers(self, masked: str) -> str:
        """1-1 相談件数 120件: an outline number opening a line is numbering, when a
        number follows it; masked so its digits are no value (the label keeps them)."""
        if "-" not in masked:
            return masked
        spans = [m.span(1) for m in _OUTLINE.finditer(masked)
                 if self._later_digit.search(masked, m.end())]
        return _blank(masked, spans, _MASK)

    def _is_numbering(self, m: re.Match[str], tok: _Token, masked: str) -> bool:
        """指標3_相談件数, 目標1：満足度, 1.利用件数: a small bare number glued to a word
        (or opening a line) and followed by ``_ : . )`` is numbering, not a value, when
        another number follows it."""
        num = m.group("num")
        if num is not None and masked[m.start() - 1 : m.start()] == "第" and not m.group("sign"):
            return self._later_digit.search(masked, tok.end) is not None  # 第2期 120件
        if num is None or tok.unit is not None or tok.denominator is not None:
            return False
        if m.group("sign") or len(num) > 3 or not num.isdigit():
            return False
        nxt = masked[tok.end : tok.end + 1]
        if masked[max(0, m.start() - 3) : m.start()].lower().endswith(("no.", "no", "#")):
            return self._later_digit.search(masked, tok.end) is not None  # No.2, №2, #2
        before = masked[m.start() - 1 : m.start()] if m.start() else ""
        glued = before not in ("", " ", "\n", _MASK)
        if nxt == " " and glued and len(num) <= 2:
            # 指標1 120件: a number glued to a word, then the value after a space.
            return self._number_follows.match(masked, tok.end) is not None
        if nxt not in self._numbering_next:
            return False
        if not glued and nxt not in ".)":
            return False
        return self._later_digit.search(masked, tok.end + 1) is not None

    def _qualifies_a_noun(self, tok: _Token, masked: str) -> bool:
        """65歳以上の割合 28.1%, 1日あたりの利用者 120人: a number with its unit (and bound)
        followed by の describes the noun after it; it is part of the label when another
        number follows (基準値の2倍 and 10%の増加 are unaffected: nothing follows)."""
        if tok.unit is None:
            return False
        after = tok.end
        if tok.bound is not None:
            after = masked.index(tok.bound.word, after) + len(tok.bound.word)
        after += len(masked[after:]) - len(masked[after:].lstrip(" "))
        per = next((w for w in self.lexicon.RATE_WORDS if masked.startswith(w, after)), "")
        after += len(per)
        if not masked.startswith("の", after):
            return False
        return self._later_digit.search(masked, after + 1) is not None

    def _token(self, m: re.Match[str], masked: str) -> _Token:
        lx = self.lexicon
        sign = m.group("sign")
        num = m.group("num")
        scale_word = ""
        if num is not None:
            value, bad = self._number_value(num)
            den_txt = m.group("den")
            den = None
            if den_txt is not None:
                den, bad_den = self._number_value(den_txt)
                bad = bad or bad_den
            grouping = m.group(0) if bad else None
            sw = self._trailing_scale.search(num)
            scale_word = sw.group() if sw is not None else ""
        else:
            value, den, grouping = float(self._kanji_value(m.group("kanji"))), None, None
        if sign is not None and sign != "+":
            value = -value
        tok = _Token(m.start(), m.end(), value, denominator=den, bad_grouping=grouping)
        if den is not None:
            self._read_fraction_unit(tok, masked)
        if scale_word:
            tok.scale_word = scale_word
            tok.unit_text = scale_word
            scale = 1.0
            for c in scale_word:
                scale *= lx.SCALES[c]
            tok.unit_scale = scale
        if den is None:
            self._read_unit(tok, masked)
        # 程度 / 前後 right after the unit (約100人程度) also mean approx.
        rest = masked[tok.end :]
        for w in lx.APPROX_SUFFIXES:
            if rest.startswith(w):
                tok.approx = True
                break
        rest = rest.lstrip(" ")
        for word, side, inclusive in self._bound_words:
            if rest.startswith(word):
                tok.bound = Bound(side, inclusive, word)
                break
        return tok

    def _read_fraction_unit(self, tok: _Token, masked: str) -> None:
        """20/54市町村: a unit right after a fraction counts both of its numbers."""
        m = self._unit.match(masked, tok.end)
        if m is None or m.group("ws") or m.group("per") is not None:
            return
        run = m.group("run")
        known = next((u for u in self._known_units if run.startswith(u)), None)
        if known is not None and not any(run.startswith(w) for w in self.lexicon.UNIT_SUFFIX_WORDS):
            tok.unit = self.canonical_unit(known)
            tok.unit_text = known
            tok.end = m.start("run") + len(known)

    def _read_unit(self, tok: _Token, masked: str) -> None:
        lx = self.lexicon
        a = self._ascii_unit.match(masked, tok.end)
        if a is not None and any(c.isdigit() or c == "-" for c in a.group("run")):
            # m2, km2, t-CO2: an exponent or a chemical suffix the digit rule would cut.
            m: re.Match[str] | None = a
        else:
            m = self._unit.match(masked, tok.end)
        if m is None:
            return
        run = m.group("run")
        ws = m.group("ws")
        run_start = m.start("run")
        after = m.end("run")
        followed_by_number = self._digit_next.match(masked, after) is not None
        hiragana = _HIRAGANA.search(run)
        # Across a space or line break only a plain word is a unit (13\n林業事業体), not
        # a sentence and not the label of the next number.
        if ws and (hiragana or followed_by_number or len(run) > 10):
            return
        cut = len(run)
        symbol = next((u for u in lx.SYMBOL_UNITS if run.startswith(u)), None)
        if symbol is not None:
            cut = len(symbol)
        elif hiragana or (followed_by_number and after == m.end()):
            # Words run on after the unit (1校内容の…, 6,576回延べ参加人数36,503人): cut
            # at a known unit, else before the first hiragana.
            known = next((u for u in self._known_units if run.startswith(u)), None)
            if known is not None:
                cut = len(known)
            elif hiragana:
                cut = hiragana.start()
        unit = run[:cut]
        if any(unit.startswith(w) for w in lx.UNIT_SUFFIX_WORDS):
            return
        for w in lx.UNIT_SUFFIX_WORDS:
            if unit.endswith(w):
                cut -= len(w)
                unit = unit[: -len(w)]
                break
        if not unit:
            return
        tok.unit = self.canonical_unit(unit)
        tok.unit_text = tok.scale_word + unit
        tok.end = run_start + cut
        per = m.group("per")
        if per is not None and cut == len(run):
            h = _HIRAGANA.search(per)
            if h is not None:
                per = per[: h.start()]
            bound = next((w for w in lx.UNIT_SUFFIX_WORDS if per.endswith(w) and per != w), None)
            if bound is not None:  # 100件/年以上: the bound is not part of the period
                per = per[: -len(bound)]
            split = _COUNT_UNIT.fullmatch(per)
            if split is not None and split.group(2) == unit:
                # 20市町村/54市町村: a fraction written with its unit on both sides.
                den, _bad = self._number_value(split.group(1))
                tok.denominator = den
                tok.unit = self.canonical_unit(unit)
                tok.end = after + 1 + len(per)
                return
            if per:
                tok.per = self.canonical_unit(per)
                tok.unit = f"{tok.unit}/{tok.per}"
                tok.unit_text = f"{tok.unit_text}/{per}"
                tok.end = after + 1 + len(per)
        scaled = lx.UNIT_SCALES.get(unit)
        if scaled is not None and tok.per is None:
            # 7割 → 70 %: the value in the base unit, the unit as written kept.
            factor, base = scaled
            tok.value = float(Decimal(str(tok.value)) * Decimal(str(factor)))
            tok.unit = base
            tok.unit_scale *= factor

    def canonical_unit(self, unit: str) -> str:
        return self.lexicon.UNIT_CANONICAL.get(unit, unit)

    def _number_value(self, text: str) -> tuple[float, bool]:
        """The value of 405,823千 / 1万2千 / 2,480百万 / 1.29, and whether its commas are
        wrong."""
        bad = False
        if "," in text:
            for n in self._num_parts.findall(text):
                groups = n[0].split(".")[0].split(",")
                if len(groups) > 1 and (
                    not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:])
                ):
                    bad = True
            text = text.replace(",", "")
        if text[-1].isdigit() and text.replace(".", "", 1).isdigit():
            return float(text), bad
        # Decimal, so that 1.2万 is exactly 12000. Scale characters run together multiply.
        total = Decimal(0)
        scales = self.lexicon.SCALES
        for n, scale in self._num_parts.findall(text):
            factor = 1
            for c in scale:
                factor *= scales[c]
            total += Decimal(n) * factor
        return float(total), bad

    def _kanji_value(self, text: str) -> int:
        """三 → 3, 二十五 → 25, 一万二千 → 12000, 千 → 1000."""
        lx = self.lexicon
        total = section = digit = 0
        for c in text:
            if c in lx.KANJI_DIGITS:
                digit = digit * 10 + lx.KANJI_DIGITS[c]
            elif c in lx.KANJI_SMALL_SCALES:
                section += (digit or 1) * lx.KANJI_SMALL_SCALES[c]
                digit = 0
            else:  # 万 億 兆
                total += ((section + digit) or 1) * lx.SCALES[c]
                section = digit = 0
        return total + section + digit

    def _top_notes(self, tokens: list[_Token], label_src: str) -> list[str]:
        """Top-level text after the last number (1校 内容の充実に努めます)."""
        start = tokens[-1].end if tokens else 0
        tail = self._clean_note(label_src[start:])
        return [tail] if tail else []

    def _clean_note(self, text: str) -> str:
        lines = [ln.strip(_LABEL_STRIP) for ln in text.split("\n")]
        joined = "".join(ln for ln in lines if ln)
        # Qualifiers already set a flag (見込, 累計, 程度); date words carry nothing.
        return joined if self._strip_words(joined).strip(_LABEL_STRIP) else ""

    def _join_notes(self, notes: list[str]) -> str | None:
        out: list[str] = []
        for n in notes:
            n = self._clean_note(n)
            if n and n not in out:
                out.append(n)
        return " ".join(out) or None

    def _is_total(self, label: str | None) -> bool:
        if not label:
            return False
        lx = self.lexicon
        return label.endswith(lx.TOTAL_SUFFIXES) and not label.endswith(lx.NOT_TOTAL_SUFFIXES)

    def _labelled_counts(
        self, tokens: list[_Token], masked: str, label_src: str
    ) -> tuple[Part, ...] | None:
        """県、52市町村、1林業事業体 → one part per item; None when not such a list."""
        if "、" not in masked:
            return None
        parts: list[Part] = []
        pos = 0
        numeric = False
        lx = self.lexicon
        prefixes = "".join(lx.APPROX_PREFIXES + lx.PERSON_TIMES_PREFIXES)
        for item in masked.split("、"):
            start, end = pos, pos + len(item)
            pos = end + 1
            text = label_src[start:end].strip(" \n")
            if not text:
                return None
            inside = [t for t in tokens if start <= t.start < end]
            if inside:
                # One count per item, nothing else in it (約/延 allowed in front).
                t = inside[0]
                if len(inside) > 1 or t.unit is None:
                    return None
                if label_src[start : t.start].strip(" \n" + prefixes):
                    return None
                if label_src[t.end : end].strip(" \n"):
                    return None
                parts.append(Part(t.value, t.unit, None, False, t.denominator))
                numeric = True
            else:
                if len(text) > 15 or _HIRAGANA.search(text) or _has_digit(text):
                    return None
                word = text.replace("\n", "")
                parts.append(Part(1.0, self.canonical_unit(word), word))
        if not numeric or len(parts) < 2:
            return None
        return tuple(parts)


def _blank(text: str, spans: list[tuple[int, int]], fill: str) -> str:
    if not spans:
        return text
    chars = list(text)
    for a, b in spans:
        chars[a:b] = fill * (b - a)
    return "".join(chars)


def _alt(words: tuple[str, ...] | list[str]) -> str:
    """A regex alternation of literal words, longest first; matches nothing when empty."""
    if not words:
        return "(?!)"
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _alternation(words: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    """One regex for a list of words, longest first; matches nothing when empty."""
    if not words:
        return re.compile("(?!)")
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _has(words: re.Pattern[str], text: str) -> bool:
    return words.search(text) is not None


_ARROWS = "→⇒➡➔"
# 10校中8校, 54市町村中 40市町村: M of N, read as the fraction M/N (the same unit twice).
_OUT_OF = re.compile(r"(?<![\d,.])(?P<n>\d[\d,]*)[ ]?(?P<u>[^\W\d_]{1,4})[ ]?中[ ]?"
                     r"(?P<m>\d[\d,]*)[ ]?(?P=u)")


def _after_arrow(s: str) -> int | None:
    """Where the text after the last arrow outside brackets starts, when numbers stand on
    both sides of it (``1,234人(H30)→1,500人(R1)``: a change from one figure to a newer
    one); None otherwise."""
    depth = 0
    at = None
    for i, c in enumerate(s):
        if c in _OPENERS:
            depth += 1
        elif c in _CLOSERS:
            depth = max(0, depth - 1)
        elif c in _ARROWS and depth == 0:
            at = i
    if at is None or not _has_digit(s[:at]) or not _has_digit(s[at + 1 :]):
        return None
    return at + 1


def _has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


_FORMAT_LITERAL = re.compile(r'"([^"]*)"|\\(.)')
_FORMAT_BRACKET = re.compile(r"\[[^\]]*\]")
_DATE_CODES = re.compile(r"[yYdDeEgG]|(?<![hH:])[mM]+(?![:sS])")


def number_format_kind(number_format: str) -> tuple[str, str | None]:
    """("percent" | "date" | "number", literal unit or None) of an Excel number format.

    Only the first section (positive numbers) counts. Quoted literals and backslash
    escapes are text, not codes: ``0.0"%"`` is a number with the unit ``%``;
    ``[Red]``/``[$-411]`` brackets are ignored. A format with y, d, e/g (era) or a month
    ``m`` that is not minutes is a date; ``h:mm`` alone is a time, read as a number.
    """
    section = number_format.split(";", 1)[0]
    literals = "".join(a or b for a, b in _FORMAT_LITERAL.findall(section))
    codes = _FORMAT_BRACKET.sub("", _FORMAT_LITERAL.sub("", section))
    if "%" in codes:
        return "percent", None
    if codes.strip().lower() in ("", "general", "@"):
        return "number", None
    if _DATE_CODES.search(codes):
        return "date", None
    unit = literals.strip() or None
    if unit is not None and (any(c.isdigit() for c in unit) or len(unit) > 8):
        unit = None
    return "number", unit


def excel_serial_date(serial: float) -> date | None:
    """The date of an Excel serial in the 1900 date system (1 = 1900-01-01).

    Excel counts a 29 February 1900 that never was (serial 60); serials after it are one
    day ahead of a plain count, which the two epochs below absorb. None out of range.
    """
    if not 1 <= serial < 2_958_466:  # 9999-12-31
        return None
    days = int(serial)
    if days < 60:
        return date(1899, 12, 31) + timedelta(days=days)
    if days == 60:
        return date(1900, 2, 28)  # Excel's 1900-02-29, which does not exist
    return date(1899, 12, 30) + timedelta(days=days)


def _number_text(value: int | float | Decimal) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


_CUMULATIVE = Period(PeriodKind.CUMULATIVE, None, "累計")

_DEFAULT = Parser()


def parse_value(text: object, number_format: str | None = None) -> Parsed:
    """Parse one value cell (str, number, date or None). Never raises.

    ``number_format`` is the cell's Excel number format, when the workbook reader has it
    (see :meth:`Parser.parse`): ``parse_value(0.5, "0%")`` is 50 %, a date-formatted
    serial is a date-only cell. Text ignores it.

    >>> p = parse_value("延15,3728人\\n（令和2年11月末）")
    >>> p.value, p.unit, p.person_times, p.as_of, p.warning_codes
    (153728.0, '人', True, datetime.date(2020, 11, 30), ('digit_grouping',))
    """
    return _DEFAULT.parse(text, number_format)


def same_unit(a: str | None, b: str | None) -> bool:
    """Whether two units count the same thing. None is compatible with anything.

    Spellings are folded by the lexicon (``ヶ所`` = ``箇所``, ``名`` = ``人``). A rate and
    a plain count differ (``件/年`` vs ``件``): whether to be lenient is the mark engine's
    decision, not the parser's.
    """
    if a is None or b is None:
        return True
    return _unit_key(a) == _unit_key(b)


def _unit_key(unit: str) -> tuple[str, str | None]:
    lx = LEXICON
    u = normalize(unit)
    head, sep, per = u.partition("/")
    head = lx.UNIT_CANONICAL.get(head, head)
    head = lx.UNIT_EQUIVALENT.get(head, head)
    return head, (lx.UNIT_CANONICAL.get(per, per) if sep else None)
