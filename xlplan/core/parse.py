"""Value cells → :class:`~xlplan.core.values.Parsed`.

:func:`parse_value` reads what staff type into a baseline, actual, projection or target
cell. The specification is ``docs/domain.md`` ("What staff type into value cells"); the
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
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from xlplan.core.dates import DateHit, find_dates, warning
from xlplan.core.lexicon import LEXICON, Lexicon
from xlplan.core.normalize import normalize
from xlplan.core.values import Parsed, Part, Status, Warning

__all__ = ["Parser", "parse_value", "same_unit"]

_MASK = "\x00"  # stands in for masked text (dates, months); never part of a unit or label
_OPENERS = frozenset("(【")
_CLOSERS = frozenset(")】")
_HIRAGANA = re.compile("[ぁ-ゖ]")
_LABEL_BREAK = re.compile("[\n、]")  # a label is the last line / list item before its number
_LABEL_STRIP = " \n:、・,～" + _MASK
# A number with thousands separators and decimals; scale words handled around it.
_NUM = r"\d+(?:,\d+)*(?:\.\d+)?"
# Months without a year: 4～5月, 6～12月, 12月1日. Not dates, not values.
_YEARLESS = re.compile(
    r"(?<![\d,.])\d{1,2}(?:～\d{1,2})?月(?:\d{1,2}日)?(?:～\d{1,2}月(?:\d{1,2}日)?)?"
)
# Characters that end a unit.
_UNIT_STOP = r"\s\d()【】,、:;。/～・\-+=<>「」『』\"'.\x00"


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


@dataclass(slots=True)
class _Bracket:
    start: int  # index of the opener
    content: str  # up to the closer, or to the end when unclosed


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
        self._number = re.compile(
            rf"(?P<sign>(?<![\d.,A-Za-z])[{signs}+])?"
            rf"(?:(?<![A-Za-z])(?P<num>{_NUM}(?:[{scales}](?:{_NUM}[{scales}]?)*)?)"
            rf"(?:/(?P<den>{_NUM})(?![\d{scales}]))?"
            rf"|(?:(?<=[\s:、\x00約延べ(【])|(?<![\s\S]))(?P<kanji>[{kanji}]+)"
            rf"(?=(?:{known})(?:$|[\s(【、:/])))"
        )
        self._num_parts = re.compile(rf"({_NUM})([{scales}]?)")
        self._unit = re.compile(
            rf"(?P<ws>[^\S\n]*\n?[^\S\n]*)(?P<run>[^{_UNIT_STOP}]+)"
            rf"(?:/(?P<per>[^{_UNIT_STOP}]+))?"
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
        self._parse_cached: Callable[[str], Parsed] = lru_cache(maxsize=cache_size)(
            self._parse_str
        )

    # ------------------------------------------------------------------ entry points

    def parse(self, value: object) -> Parsed:
        """The meaning of one cell value. Never raises."""
        try:
            if value is None:
                return Parsed(text="", status=Status.NONE)
            if isinstance(value, str):
                return self._parse_cached(value)
            if isinstance(value, bool):
                text = "TRUE" if value else "FALSE"
                return Parsed(text=text, status=Status.QUALITATIVE, words=text)
            if isinstance(value, int | float | Decimal):
                return self._parse_number(value)
            if isinstance(value, date):  # datetime included
                return self._parse_date(value)
            return self._parse_cached(str(value))
        except Exception:  # last resort: str(value) itself may fail (see the tests)
            return self._unparseable(value)

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
        note = m.group("note")
        if note is not None:
            kind, _, hits, _part = self._bracket(note)
            if kind != "annotation":
                return None
        num, unit, pre = m.group("num"), m.group("unit"), m.group("pre")
        value = float(num.replace(",", "") if "," in num else num)
        if m.group("sign"):
            value = -value
        if unit is not None:
            unit = self.canonical_unit(unit)
        warnings = tuple(h.warning for h in hits if h.warning is not None)
        dated = next((h for h in hits if h.warning is None), None)
        compact = s if note is None else s.replace(" ", "").replace("\n", "")
        return Parsed(
            text=raw,
            value=value,
            unit=unit,
            parts=(Part(value, unit),),
            approx=pre in self._fast_prefixes[0],
            person_times=pre in self._fast_prefixes[1]
            or _has(self._person_times_words, compact),
            cumulative=_has(self._cumulative_words, compact),
            estimate=_has(self._estimate_words, compact),
            as_of=dated.last if dated else None,
            period_start=dated.first if dated else None,
            warnings=warnings,
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

        # Top level: dates masked for numbers, removed for labels.
        top_dates = find_dates(top, lx)
        label_src = _blank(top, [(h.start, h.end) for h in top_dates], "\n")
        masked = _blank(label_src, [m.span() for m in _YEARLESS.finditer(label_src)], _MASK)
        tokens = self._tokens(masked, label_src)

        notes: list[str] = []
        date_hits: list[DateHit] = list(top_dates) if tokens else []
        # Bracket parts, labels and notes, in order.
        bracket_parts: list[tuple[int, _Token]] = []
        label: str | None = None
        first_pos = tokens[0].start if tokens else len(top)
        for b in brackets:
            kind, payload, hits, part = self._bracket(b.content)
            if kind == "note" and b.start < first_pos and label is None and not _has_digit(
                payload
            ):
                label = payload
                continue
            date_hits.extend(hits)
            if part is not None:
                bracket_parts.append((b.start, part))
            elif kind == "note" and payload:
                notes.append(payload)

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

        for t in all_tokens:
            if t.bad_grouping is not None:
                warnings.append(warning("digit_grouping", t.bad_grouping, lx))

        # Stopped tracking is stopped, whatever number stands beside it.
        status = Status.SUSPENDED if _has(self._suspended_words, compact) else None

        if headline is None and labelled is None:
            only_date: DateHit | None = None
            if top_dates and not brackets and not self._clean_note(label_src):
                # Nothing but a date (令和2年12月末): say so rather than read it as a word.
                date_hits = [h for h in top_dates if h.warning is not None]
                if not date_hits:
                    warnings.append(warning("date_only", words, lx))
                    only_date = top_dates[0]
            p = self._no_number(raw, words, compact, status, warnings, date_hits)
            if only_date is not None:
                p = replace(p, as_of=only_date.last, period_start=only_date.first)
            return p

        # Labels: a leading bracket label wins; the inline label then becomes a note.
        if headline is not None and label is not None:
            if headline.label:
                notes.insert(0, headline.label)
            headline.label = label
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
            cumulative=_has(self._cumulative_words, compact),
            estimate=_has(self._estimate_words, compact),
            as_of=as_of,
            period_start=period_start,
            status=status,
            words=words if status is not None else None,
            note=self._join_notes(notes),
            label=(head.label or None) if head else None,
            warnings=tuple(warnings),
        )

    def _no_number(
        self,
        raw: str,
        words: str,
        compact: str,
        status: Status | None,
        warnings: list[Warning],
        date_hits: list[DateHit],
    ) -> Parsed:
        lx = self.lexicon
        if status is None:
            status = self._status(compact) or Status.QUALITATIVE
        intent = None
        if status is Status.QUALITATIVE:
            intent = next((i for w, i in lx.INTENTS if w in compact), None)
        warnings.extend(h.warning for h in date_hits if h.warning is not None)
        return Parsed(
            text=raw,
            status=status,
            words=words,
            intent=intent,
            estimate=_has(self._estimate_words, compact),
            warnings=tuple(warnings),
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

    def _bracket(self, content: str) -> tuple[str, str, list[DateHit], _Token | None]:
        """Classify a bracket's content: ("annotation"|"part"|"note", its text, its
        dates, the part's number)."""
        c = content.replace("\n", "")  # a line break inside brackets is a wrap
        hits = find_dates(c, self.lexicon)
        label_src = _blank(c, [(h.start, h.end) for h in hits], "\n")
        if not self._strip_words(label_src).strip(_LABEL_STRIP + "()【】"):
            return "annotation", c, hits, None
        masked = _blank(label_src, [m.span() for m in _YEARLESS.finditer(label_src)], _MASK)
        tokens = self._tokens(masked, label_src)
        if len(tokens) == 1 and tokens[0].unit is not None and not tokens[0].notes:
            t = tokens[0]
            if not self._strip_words(label_src[t.end :]).strip(_LABEL_STRIP):
                return "part", c, hits, t
        return "note", c.strip(" :"), [], None

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

    def _token(self, m: re.Match[str], masked: str) -> _Token:
        lx = self.lexicon
        sign = m.group("sign")
        num = m.group("num")
        if num is not None:
            value, bad = self._number_value(num)
            den_txt = m.group("den")
            den = None
            if den_txt is not None:
                den, bad_den = self._number_value(den_txt)
                bad = bad or bad_den
            grouping = m.group(0) if bad else None
        else:
            value, den, grouping = float(self._kanji_value(m.group("kanji"))), None, None
        if sign is not None and sign != "+":
            value = -value
        tok = _Token(m.start(), m.end(), value, denominator=den, bad_grouping=grouping)
        if den is None:
            self._read_unit(tok, masked)
        # 程度 / 前後 right after the unit (約100人程度) also mean approx.
        rest = masked[tok.end :]
        for w in lx.APPROX_SUFFIXES:
            if rest.startswith(w):
                tok.approx = True
                break
        return tok

    def _read_unit(self, tok: _Token, masked: str) -> None:
        lx = self.lexicon
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
        tok.end = run_start + cut
        per = m.group("per")
        if per is not None and cut == len(run):
            h = _HIRAGANA.search(per)
            if h is not None:
                per = per[: h.start()]
            if per:
                tok.per = self.canonical_unit(per)
                tok.unit = f"{tok.unit}/{tok.per}"
                tok.end = after + 1 + len(per)

    def canonical_unit(self, unit: str) -> str:
        return self.lexicon.UNIT_CANONICAL.get(unit, unit)

    def _number_value(self, text: str) -> tuple[float, bool]:
        """The value of 405,823千 / 1万2千 / 1.29, and whether its commas are wrong."""
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
        # Decimal, so that 1.2万 is exactly 12000.
        total = Decimal(0)
        scales = self.lexicon.SCALES
        for n, scale in self._num_parts.findall(text):
            total += Decimal(n) * scales.get(scale, 1)
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


def _alternation(words: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    """One regex for a list of words, longest first; matches nothing when empty."""
    if not words:
        return re.compile("(?!)")
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _has(words: re.Pattern[str], text: str) -> bool:
    return words.search(text) is not None


def _has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


def _number_text(value: int | float | Decimal) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


_DEFAULT = Parser()


def parse_value(text: object) -> Parsed:
    """Parse one value cell (str, number, date or None). Never raises.

    >>> p = parse_value("延15,3728人\\n（令和2年11月末）")
    >>> p.value, p.unit, p.person_times, p.as_of, p.warning_codes
    (153728.0, '人', True, datetime.date(2020, 11, 30), ('digit_grouping',))
    """
    return _DEFAULT.parse(text)


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
