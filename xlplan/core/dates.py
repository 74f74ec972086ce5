"""As-of dates in value cells: ``（令和2年12月末現在）``, ``(H30実績)``, ``R元.12～令和2年3``.

A date names a *period*; the value refers to its last day (``as_of``):

========================  =====================  =========================
typed                     period                 as_of
========================  =====================  =========================
令和2年12月1日             that day               2020-12-01
令和2年12月(末)(現在)      the month              2020-12-31
R3.3末, 2021/3             the month              2021-03-31
令和元年度, (H30実績)      the fiscal year        2020-03-31, 2019-03-31
(令和2年), 2020年          the calendar year      2020-12-31
平成30年度～令和2年12月     the range              2020-12-31 (from 2018-04-01)
========================  =====================  =========================

Decisions:

* A fiscal year runs April–March and is named by the year it starts in.
* An abbreviated era year without 年 (``H30``, ``R2``) is a fiscal year: that is how
  ``(H30実績)`` is meant in the report.
* The first day of the period (``start``) is given for fiscal years, calendar years and
  ranges; a single month or day has ``start`` None.
* A number after 年 without 月 is not guessed: ``令和元年11時点`` gives no date and the
  warning ``date_incomplete``. The one exception is the end of a range whose start
  names a month in the same style (``R元.12～令和2年3``): there the number is the month.
* A month or day that does not exist (``令和2年13月``, ``2021/2/30``) gives no date and
  the warning ``date_invalid``.
* A year without its era (``22年度``, ``元年度``, ``2年12月``) is not guessed: it gives no
  date and the warning ``era_omitted``, but its digits are still known to be a date, so
  they are never read as the value.
* A range of Western years may leave the century out at its end and the 年 out at its
  start: ``2015～19 年`` is 2015-01-01 … 2019-12-31, ``2015～2019年度`` runs April 2015 …
  March 2020. PDF copies leave spaces inside dates (``平成 27 年``, ``2021 年 3 月``).

Input is expected to be normalised (:func:`xlplan.core.normalize.normalize`); the
functions work on raw text too but then miss full-width digits. No clock is read.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from xlplan.core.lexicon import LEXICON, Lexicon
from xlplan.core.normalize import normalize
from xlplan.core.values import Warning

__all__ = ["DateHit", "find_dates", "parse_period", "warning"]


def warning(code: str, fragment: str, lexicon: Lexicon = LEXICON) -> Warning:
    """A :class:`Warning` with the lexicon's Japanese message for ``code``."""
    template = lexicon.WARNINGS.get(code, "{fragment}")
    return Warning(code, template.format(fragment=fragment), fragment)


@dataclass(frozen=True, slots=True)
class DateHit:
    """One date phrase found in a text."""

    start: int  # span in the text searched
    end: int
    first: date | None  # first day of the period (None for a single month or day)
    last: date | None  # last day of the period: the as-of date
    warning: Warning | None = None


# One date "point": an era or Western year with an optional month and day.
_POINT_TEMPLATE = r"""
(?:
    (?P<era>{era_names}|(?<![A-Za-z]){era_abbrs})\s*(?P<ey>{first}|\d{{1,2}})(?!\d)
    (?:
        \s*(?P<fy>年度)
      | \s*年(?!度)
        (?:
            \s*(?P<m1>\d{{1,2}})\s*月(?:\s*(?P<d1>\d{{1,2}})\s*日)?
          | (?P<bare>\d{{1,2}})(?=[{bare_follow}]|$)
        )?
      | \.(?P<m2>\d{{1,2}})(?:\.(?P<d2>\d{{1,2}}))?(?![\d.])
      | (?P<abbr>)(?![A-Za-z0-9.年])
    )
  |
    (?<![\d,.])(?P<wy>(?:19|20)\d{{2}})
    (?:
        \s*(?P<wfy>年度)
      | \s*年(?!度)(?:\s*(?P<wm1>\d{{1,2}})\s*月(?:\s*(?P<wd1>\d{{1,2}})\s*日)?
                 | (?P<wbare>\d{{1,2}})(?=[{bare_follow}]|$))?
      | /(?P<wm2>\d{{1,2}})(?:/(?P<wd2>\d{{1,2}})(?![\d/])|(?=末|現在|時点))
      | -(?P<wm3>\d{{1,2}})-(?P<wd3>\d{{1,2}})(?!\d)
      | (?P<wrange>)(?=\s*～)
    )
  |
    (?<![\d,.A-Za-z])(?P<ny>{first}|\d{{1,2}})(?!\d)
    (?:
        \s*(?P<nfy>年度)(?!目)
      | \s*年\s*(?P<nm>\d{{1,2}})\s*月
    )
)
"""

# The end of a range of Western years may leave the century out: 2015～19 年.
_SHORT_YEAR = re.compile(r"(?P<y>\d{2})(?!\d)\s*年(?P<fy>\s*度)?")

# The end of a range may leave the year out: 令和2年4月～12月.
_MONTH_ONLY = re.compile(r"(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?")
_RANGE_DASH = re.compile(r"\s*(?:～|から)\s*")  # 令和3年度から令和7年度


@dataclass(frozen=True, slots=True)
class _Point:
    """A parsed date point before it becomes a period."""

    year: int
    month: int | None
    day: int | None
    fiscal: bool
    bare_month: int | None  # 令和元年11: a number after 年 without 月
    dotted: bool  # R元.12 style: the month came without 月
    end: int  # where the match ended
    era_omitted: bool = False  # 22年度: no era, no date guessed
    western: bool = False  # 2015年: a Western year (its century may carry to a range end)
    bare_year: bool = False  # 2015～: a Western year without 年, before a range dash


class _Reader:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.era_start: dict[str, int] = {}
        for name, abbr, start in lexicon.ERAS:
            self.era_start[name] = start
            self.era_start[abbr] = start
        names = "|".join(re.escape(n) for n, _, _ in lexicon.ERAS)
        abbrs = "[" + "".join(re.escape(a) for _, a, _ in lexicon.ERAS) + "]"
        # What may follow a bare number after 年 for it to count as a (missing-月) month:
        # 令和元年11時点, 令和2年3の…; not 令和2年3,000件.
        follow = {w[0] for w in lexicon.DATE_SKIP_WORDS} | set("の～)】:、")
        bare_follow = re.escape("".join(sorted(follow))) + r"\s"
        self.point = re.compile(
            _POINT_TEMPLATE.format(era_names=names, era_abbrs=abbrs,
                                   first=re.escape(lexicon.FIRST_YEAR),
                                   bare_follow=bare_follow),
            re.VERBOSE,
        )
        self.first_year = lexicon.FIRST_YEAR
        self.fy_month = lexicon.FISCAL_YEAR_START_MONTH
        # Cheap pre-check: no era name, abbreviation, 4-digit year or 年度/年月, no date.
        self.trigger = re.compile(
            f"{names}|{abbrs}(?:{re.escape(lexicon.FIRST_YEAR)}|\\d)|(?:19|20)\\d\\d"
            f"|(?:\\d|{re.escape(lexicon.FIRST_YEAR)})\\s*年\\s*(?:度|\\d)"
        )

    def _point(self, m: re.Match[str]) -> _Point:
        g = m.group
        if g("ny") is not None:
            nm = g("nm")
            return _Point(year=-1, month=int(nm) if nm else None, day=None,
                          fiscal=g("nfy") is not None, bare_month=None, dotted=False,
                          end=m.end(), era_omitted=True)
        if g("era") is not None:
            ey = g("ey")
            n = 1 if ey == self.first_year else int(ey)
            year = self.era_start[g("era")] + n - 1
            fiscal = g("fy") is not None or g("abbr") is not None
            month = g("m1") or g("m2")
            day = g("d1") or g("d2")
            bare = g("bare")
            dotted = g("m2") is not None
            if n == 0:
                year = -1  # 令和0年: flagged as invalid below
        else:
            year = int(g("wy"))
            fiscal = g("wfy") is not None
            month = g("wm1") or g("wm2") or g("wm3")
            day = g("wd1") or g("wd2") or g("wd3")
            bare = g("wbare")
            dotted = g("wm2") is not None or g("wm3") is not None
        western = g("wy") is not None
        return _Point(
            year=year,
            month=int(month) if month else None,
            day=int(day) if day else None,
            fiscal=fiscal,
            bare_month=int(bare) if bare else None,
            dotted=dotted,
            end=m.end(),
            western=western,
            bare_year=western and g("wrange") is not None,
        )

    def _bounds(self, p: _Point) -> tuple[date, date] | None:
        """First and last day of a point's period; None when it does not exist."""
        y = p.year
        if y < 1 or y > 9998:
            return None
        if p.fiscal:
            start = date(y, self.fy_month, 1)
            end_y, end_m = (y + 1, self.fy_month - 1) if self.fy_month > 1 else (y, 12)
            return start, date(end_y, end_m, calendar.monthrange(end_y, end_m)[1])
        if p.month is None:
            return date(y, 1, 1), date(y, 12, 31)
        if not 1 <= p.month <= 12:
            return None
        last = calendar.monthrange(y, p.month)[1]
        if p.day is None:
            return date(y, p.month, 1), date(y, p.month, last)
        if not 1 <= p.day <= last:
            return None
        d = date(y, p.month, p.day)
        return d, d

    def find(self, text: str) -> list[DateHit]:
        if not self.trigger.search(text):
            return []
        hits: list[DateHit] = []
        pos = 0
        while True:
            m = self.point.search(text, pos)
            if m is None:
                return hits
            hit = self._hit(text, m)
            hits.append(hit)
            pos = max(hit.end, m.start() + 1)

    def _hit(self, text: str, m: re.Match[str]) -> DateHit:
        p = self._point(m)
        if p.era_omitted:
            return DateHit(m.start(), p.end, None, None,
                           warning("era_omitted", text[m.start():p.end], self.lexicon))
        # A range: point ～ point, or point ～ month (the year carried over).
        dash = _RANGE_DASH.match(text, p.end)
        if dash is not None:
            short = _SHORT_YEAR.match(text, dash.end()) if p.western else None
            if short is not None:
                y = p.year // 100 * 100 + int(short.group("y"))
                fiscal = short.group("fy") is not None
                q = _Point(y, None, None, fiscal, None, False, short.end())
                if p.bare_year:
                    p = _Point(p.year, None, None, fiscal, None, False, p.end)
                return self._range(text, m.start(), p, q)
            m2 = self.point.match(text, dash.end())
            if m2 is not None:
                q = self._point(m2)
                if q.era_omitted:
                    return self._single(text, m.start(), p)
                if p.bare_year:
                    p = _Point(p.year, None, None, q.fiscal, None, False, p.end)
                if q.bare_month is not None and (p.month is not None and p.dotted):
                    q = _Point(q.year, q.bare_month, None, False, None, True, q.end)
                return self._range(text, m.start(), p, q)
            mo = _MONTH_ONLY.match(text, dash.end())
            if mo is not None and p.month is not None and not p.fiscal:
                month, day = int(mo.group("m")), mo.group("d")
                year = p.year + (1 if month < p.month else 0)
                q = _Point(year, month, int(day) if day else None, False, None, False, mo.end())
                return self._range(text, m.start(), p, q)
        return self._single(text, m.start(), p)

    def _single(self, text: str, start: int, p: _Point) -> DateHit:
        if p.bare_month is not None:
            return DateHit(start, p.end, None, None,
                           warning("date_incomplete", text[start:p.end], self.lexicon))
        b = self._bounds(p)
        if b is None:
            return DateHit(start, p.end, None, None,
                           warning("date_invalid", text[start:p.end], self.lexicon))
        first = b[0] if p.fiscal or p.month is None else None
        return DateHit(start, p.end, first, b[1])

    def _range(self, text: str, start: int, p: _Point, q: _Point) -> DateHit:
        frag = text[start:q.end]
        if p.bare_month is not None or q.bare_month is not None:
            return DateHit(start, q.end, None, None,
                           warning("date_incomplete", frag, self.lexicon))
        a, b = self._bounds(p), self._bounds(q)
        if a is None or b is None:
            return DateHit(start, q.end, None, None, warning("date_invalid", frag, self.lexicon))
        return DateHit(start, q.end, a[0], b[1])


_READERS: dict[int, _Reader] = {}


def _reader(lexicon: Lexicon) -> _Reader:
    r = _READERS.get(id(lexicon))
    if r is None or r.lexicon is not lexicon:
        r = _READERS[id(lexicon)] = _Reader(lexicon)
    return r


def find_dates(text: str, lexicon: Lexicon = LEXICON) -> list[DateHit]:
    """Every date phrase in ``text``, in order, with its span and period."""
    return _reader(lexicon).find(text)


def parse_period(
    text: str, lexicon: Lexicon = LEXICON
) -> tuple[date | None, date | None, tuple[Warning, ...]]:
    """The period named by the first date phrase of ``text``: (start, end, warnings).

    ``text`` may be raw (it is normalised first). ``end`` is the as-of date.
    ``(None, None, ())`` when there is no date at all; a date that cannot be read gives
    ``(None, None, (warning,))``.
    """
    hits = find_dates(normalize(text), lexicon)
    if not hits:
        return None, None, ()
    h = hits[0]
    return h.first, h.last, (h.warning,) if h.warning else ()
