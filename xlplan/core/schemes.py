"""Mark schemes as data: how a government grades an indicator's progress.

A :class:`Scheme` is a small named table: a *kind* (what is measured), ordered
*grades* (best first) with their thresholds, labels and colour *roles*, and a tolerance
*band* for the stages kind. The mark engine (:mod:`xlplan.core.marks`) applies it; the
report legend, the 集計 columns and the colours follow it through the helpers below.

Kinds (``docs/rules.md`` describes each with its published source):

* ``progress``: the progress rate r = (v − b)/(t − b). The grades before the last two
  are thresholds on r, best first (◎ r ≥ 100%, ○ r ≥ 50%, △ r > 0); the last two are
  "no change" (－) and "worse" (×). This is the FY2020 report's scheme and the default.
* ``achievement``: the achievement rate a = v/t (t/v when lower is better). For a
  target "by the final year" (the default, and 5年間で/最終年度までに/累計) in a year before
  the final one, v is compared with the expected value of the year (the pace) instead.
  The grades before the last are thresholds on a; the last is "below them all".
* ``pace``: a = v/e, e the expected value of the reporting year on the straight line
  from the baseline (its year) to the target (its year); same table shape as achievement.
* ``stages``: exactly four grades: reached the target / better than the baseline by more
  than the band / within the band / worse by more than the band. The band is in points
  (the value's own unit) or in percent of the baseline.

Colours are keyed by :class:`Role`, never by the symbol: a scheme that prints ``A`` and
one that prints ◎ colour both as ``full``.

Presets ship as TOML in ``xlplan/data/schemes/`` (one file per scheme); :func:`preset`
reads them from the package — the package's own data, read once, never a user's file.
:func:`scheme_from_mapping` is the pure reader used for both the TOML files and the 設定
sheet's scheme rows.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any

__all__ = [
    "ON_TRACK_ROLES",
    "ROLE_COLOURS",
    "ROLE_WORDS",
    "BandUnit",
    "Grade",
    "Role",
    "Scheme",
    "SchemeError",
    "SchemeKind",
    "TargetDefault",
    "Untargeted",
    "check_order",
    "format_rate",
    "grade_order",
    "legend",
    "preset",
    "preset_names",
    "role_of",
    "scheme_from_mapping",
    "scheme_from_toml",
]


class SchemeKind(StrEnum):
    PROGRESS = "progress"  # r = (v − b)/(t − b)
    ACHIEVEMENT = "achievement"  # a = v/t (or the pace before the final year)
    PACE = "pace"  # a = v/e, e on the straight line from baseline to target
    STAGES = "stages"  # 達成 / 前進 / 横ばい / 後退 with a band


class Role(StrEnum):
    """The colour role of a mark: one fixed palette for every scheme."""

    FULL = "full"  # best grade: ◎, A, 順調, 達成
    HALF = "half"  # good: ○, B, 概ね順調, 前進
    SOME = "some"  # some progress: △, C, やや遅れ
    NONE = "none"  # no change: －, 横ばい
    WORSE = "worse"  # worst grade: ×, D, 遅れ, 後退
    REACHED = "reached"  # 4-1: mid target reached ○
    MISSED = "missed"  # 4-1: mid target missed ×
    UNKNOWN = "unknown"  # 不明
    SUSPENDED = "suspended"  # 進捗管理の停止
    UNGRADED = "ungraded"  # 評価なし: no numeric target, not graded


class BandUnit(StrEnum):
    POINTS = "points"  # the band is in the value's own unit (percentage points for %)
    PERCENT = "percent"  # the band is a percentage of the baseline


class Untargeted(StrEnum):
    """What a scheme does when the target is not a number (増加を目指します, －)."""

    DIRECTION = "direction"  # better → best grade, worse → worst, same → no change
    UNGRADED = "ungraded"  # 評価なし


class TargetDefault(StrEnum):
    """How an achievement scheme reads a target that says neither 毎年 nor 最終年度までに."""

    BY_FINAL = "by_final"  # reached by the final year: compare the pace before then
    EVERY_YEAR = "every_year"  # every year: compare the year's value with the target


# Suggested (fill, font) colours per role, from the FY2020 template's mark colours.
ROLE_COLOURS: dict[Role, tuple[str, str]] = {
    Role.FULL: ("C6EFCE", "006100"),
    Role.HALF: ("E2EFDA", "375623"),
    Role.SOME: ("FFEB9C", "9C5700"),
    Role.NONE: ("EDEDED", "595959"),
    Role.WORSE: ("FFC7CE", "9C0006"),
    Role.REACHED: ("E2EFDA", "375623"),
    Role.MISSED: ("FFC7CE", "9C0006"),
    Role.UNKNOWN: ("EDEDED", "595959"),
    Role.SUSPENDED: ("EDEDED", "595959"),
    Role.UNGRADED: ("EDEDED", "595959"),
}

# Roles counted as 順調 in the 集計 (today: ◎・○, and ○ on 4-1).
ON_TRACK_ROLES: frozenset[Role] = frozenset({Role.FULL, Role.HALF, Role.REACHED})

# Japanese words staff may type for a role on the 設定 sheet (the English code works too).
ROLE_WORDS: dict[str, Role] = {
    "最良": Role.FULL,
    "良": Role.HALF,
    "やや良": Role.SOME,
    "変化なし": Role.NONE,
    "悪化": Role.WORSE,
    "到達": Role.REACHED,
    "未到達": Role.MISSED,
    "不明": Role.UNKNOWN,
    "停止": Role.SUSPENDED,
    "評価なし": Role.UNGRADED,
}

# Japanese words for the kinds (設定 sheet), besides the English codes.
KIND_WORDS: dict[str, SchemeKind] = {
    "進捗率": SchemeKind.PROGRESS,
    "達成率": SchemeKind.ACHIEVEMENT,
    "達成度": SchemeKind.ACHIEVEMENT,
    "期待値": SchemeKind.PACE,
    "ペース": SchemeKind.PACE,
    "段階": SchemeKind.STAGES,
    "4段階": SchemeKind.STAGES,
}
BAND_UNIT_WORDS: dict[str, BandUnit] = {
    "ポイント": BandUnit.POINTS,
    "pt": BandUnit.POINTS,
    "points": BandUnit.POINTS,
    "%": BandUnit.PERCENT,
    "percent": BandUnit.PERCENT,
    "パーセント": BandUnit.PERCENT,
}


class SchemeError(ValueError):
    """A scheme table that cannot be used; ``field`` names the offending entry."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class Grade:
    """One grade of a scheme, e.g. ◎ for r ≥ 100% or A for a ≥ 110%."""

    label: str  # what is printed: ◎, A, 順調, 達成
    role: Role
    threshold: float | None = None  # lower bound of the measure (1.1 = 110%); None: positional
    inclusive: bool = True  # threshold included (以上) or not (超)
    meaning: str = ""  # legend words after the label; generated from the threshold if empty

    def admits(self, measure: float) -> bool:
        """Whether ``measure`` reaches this grade's threshold (the judge rounds measures
        to 9 decimals first, so 110/100 is exactly 1.1)."""
        if self.threshold is None:
            return False
        return measure > self.threshold or (self.inclusive and measure == self.threshold)


@dataclass(frozen=True, slots=True)
class Scheme:
    """A named grading table (see the module docstring for the shape of each kind)."""

    name: str  # preset name: progress, achievement-abcd, pace, four-stage
    kind: SchemeKind
    grades: tuple[Grade, ...]
    title: str = ""  # Japanese display name: 進捗率（◎○△－×）
    band: float = 0.0  # stages: the tolerance band
    band_unit: BandUnit = BandUnit.POINTS
    band_inclusive: bool = True  # stages: a change of exactly the band is 横ばい
    untargeted: Untargeted = Untargeted.DIRECTION
    target_default: TargetDefault = TargetDefault.BY_FINAL
    # Labels outside the grades. unknown/suspended/reached/missed are the 設定 sheet's
    # global labels; Settings.active_scheme puts them in, so every scheme prints the same.
    ungraded: str = "評価なし"
    unknown: str = "不明"
    suspended: str = "進捗管理の停止"
    reached: str = "○"
    missed: str = "×"
    source: str = ""  # URL of the published rule the preset follows
    rule: str = ""  # the published rule's wording, short
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        validate(self)

    # Positional grades, by kind.
    @property
    def threshold_grades(self) -> tuple[Grade, ...]:
        """The grades decided by a threshold on the measure, best first."""
        if self.kind is SchemeKind.PROGRESS:
            return self.grades[:-2]
        if self.kind is SchemeKind.STAGES:
            return ()
        return self.grades[:-1]

    @property
    def best(self) -> Grade:
        return self.grades[0]

    @property
    def worst(self) -> Grade:
        return self.grades[-1]

    @property
    def no_change(self) -> Grade | None:
        """progress: the "no change" grade (－); stages: 横ばい."""
        if self.kind is SchemeKind.PROGRESS:
            return self.grades[-2]
        if self.kind is SchemeKind.STAGES:
            return self.grades[2]
        return None

    def grade_for(self, measure: float) -> Grade:
        """The first threshold grade the measure reaches; the scheme's lowest otherwise.

        For progress the lowest threshold grade (△ r > 0) is returned for any r that
        reaches no threshold: the sign of the change is decided before, by comparison.
        """
        grades = self.threshold_grades
        for g in grades:
            if g.admits(measure):
                return g
        if self.kind is SchemeKind.PROGRESS:
            return grades[-1]
        return self.worst

    def label_roles(self) -> dict[str, Role]:
        out: dict[str, Role] = {}
        for g in self.grades:
            out.setdefault(g.label, g.role)
        return out

    def with_labels(self, *, unknown: str, suspended: str, reached: str,
                    missed: str) -> Scheme:
        return replace(self, unknown=unknown, suspended=suspended, reached=reached,
                       missed=missed)


def validate(s: Scheme) -> None:
    """Raise :class:`SchemeError` (Japanese message) when the table has the wrong shape.

    The order of the thresholds is checked by :func:`check_order`, not here: the FY2020
    scheme built from the 設定 sheet keeps today's behaviour (and today's finding) when
    staff type ○'s threshold above ◎'s.
    """
    n = len(s.grades)
    if s.kind is SchemeKind.STAGES:
        if n != 4:
            raise SchemeError(
                f"段階評価の区分は4つ（達成・前進・横ばい・後退）です（{n}個あります）。", "grades")
        if s.band < 0 or not math.isfinite(s.band):
            raise SchemeError("幅は0以上の数値にしてください。", "band")
        return
    fixed = 2 if s.kind is SchemeKind.PROGRESS else 1
    if n < fixed + 1:
        raise SchemeError(f"区分が少なすぎます（{n}個）。基準のある区分が1つ以上必要です。",
                          "grades")
    thresholds = [g.threshold for g in s.grades[: n - fixed]]
    if any(t is None or not math.isfinite(t) for t in thresholds):
        last = "最後の2つ" if fixed == 2 else "最後"
        raise SchemeError(f"基準のない区分があります。{last}の区分以外には基準を入れてください。",
                          "grades")


def check_order(s: Scheme) -> None:
    """Raise :class:`SchemeError` unless the thresholds fall from the first grade down."""
    thresholds = [g.threshold for g in s.threshold_grades]
    for a, b in pairwise(thresholds):
        assert a is not None and b is not None
        if not a > b:
            raise SchemeError("基準は上の区分ほど大きくなるように並べてください。", "grades")
    if s.kind is SchemeKind.PROGRESS:
        last = thresholds[-1]
        assert last is not None
        if last < 0:
            raise SchemeError("進捗率の基準は0%以上にしてください。", "grades")


# --------------------------------------------------------------------------- reading


def _float(raw: object, what: str) -> float:
    if isinstance(raw, bool):
        raise SchemeError(f"{what}が数値ではありません（{raw}）。", what)
    if isinstance(raw, int | float):
        return float(raw)
    if isinstance(raw, str):
        t = raw.strip().replace("％", "%")
        try:
            return float(t[:-1]) / 100 if t.endswith("%") else float(t)
        except ValueError:
            pass
    raise SchemeError(f"{what}が数値ではありません（{raw}）。", what)


def _enum(raw: object, words: Mapping[str, Any], enum: type[StrEnum], what: str) -> Any:
    if isinstance(raw, str):
        t = raw.strip()
        if t in words:
            return words[t]
        try:
            return enum(t)
        except ValueError:
            pass
    choices = "・".join([*words, *(e.value for e in enum)])
    raise SchemeError(f"{what}「{raw}」は使えません（{choices}）。", what)


def grade_from_mapping(m: Mapping[str, Any]) -> Grade:
    label = m.get("label")
    if not isinstance(label, str) or not label.strip():
        raise SchemeError("区分の記号が空です。", "label")
    threshold = m.get("threshold")
    inclusive = m.get("inclusive", True)
    if isinstance(inclusive, str):
        inclusive = inclusive.strip() not in ("超", "false", "False", "いいえ")
    return Grade(
        label=label.strip(),
        role=_enum(m.get("role"), ROLE_WORDS, Role, "役割"),
        threshold=None if threshold in (None, "") else _float(threshold, "基準"),
        inclusive=bool(inclusive),
        meaning=str(m.get("meaning") or ""),
    )


def scheme_from_mapping(m: Mapping[str, Any]) -> Scheme:
    """A scheme from plain data (a parsed TOML file, or the 設定 sheet's rows).

    Keys: name, kind, title, grades (list of {label, role, threshold, inclusive,
    meaning}), band, band_unit, band_inclusive, untargeted, target_default, ungraded,
    source, rule. Raises :class:`SchemeError` with a Japanese message.
    """
    name = m.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SchemeError("判定方式の名前がありません。", "name")
    raw_grades = m.get("grades")
    if not isinstance(raw_grades, Sequence) or isinstance(raw_grades, str):
        raise SchemeError("区分がありません。", "grades")
    grades = tuple(grade_from_mapping(g) for g in raw_grades)
    notes = m.get("notes", ())
    scheme = Scheme(
        name=name.strip(),
        kind=_enum(m.get("kind"), KIND_WORDS, SchemeKind, "種類"),
        grades=grades,
        title=str(m.get("title") or name),
        band=_float(m.get("band", 0.0), "幅"),
        band_unit=_enum(m.get("band_unit", "points"), BAND_UNIT_WORDS, BandUnit, "幅の単位"),
        band_inclusive=bool(m.get("band_inclusive", True)),
        untargeted=_enum(m.get("untargeted", "direction"), {"評価なし": Untargeted.UNGRADED},
                         Untargeted, "目標が数値でない場合"),
        target_default=_enum(m.get("target_default", "by_final"), {}, TargetDefault,
                             "期間の書かれていない目標"),
        ungraded=str(m.get("ungraded") or "評価なし"),
        source=str(m.get("source") or ""),
        rule=str(m.get("rule") or ""),
        notes=tuple(str(n) for n in notes) if isinstance(notes, Sequence) else (),
    )
    check_order(scheme)
    return scheme


def scheme_from_toml(text: str) -> Scheme:
    """A scheme from the text of a preset TOML file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise SchemeError(f"TOMLとして読めません（{e}）。") from e
    return scheme_from_mapping(data)


@lru_cache(maxsize=1)
def _presets() -> dict[str, Scheme]:
    out: dict[str, Scheme] = {}
    folder = resources.files("xlplan.data").joinpath("schemes")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            s = scheme_from_toml(entry.read_text(encoding="utf-8"))
            out[s.name] = s
    return out


def preset_names() -> tuple[str, ...]:
    """The shipped presets, ``progress`` first."""
    names = sorted(_presets())
    return tuple(sorted(names, key=lambda n: (n != "progress", n)))


def preset(name: str) -> Scheme:
    """The shipped scheme called ``name``; :class:`SchemeError` for an unknown name."""
    found = _presets().get(name.strip())
    if found is None:
        raise SchemeError(
            f"判定方式「{name}」はありません（{'・'.join(preset_names())}）。", "name")
    return found


# --------------------------------------------------------------------------- helpers


def format_rate(x: float) -> str:
    """1.0 → '100%', 0.5 → '50%', 1.1 → '110%', 0.125 → '12.5%'."""
    p = x * 100
    return f"{round(p)}%" if abs(p - round(p)) < 1e-9 else f"{p:g}%"


def meaning(scheme: Scheme, i: int) -> str:
    """The legend words of grade ``i``: its own, or made from its threshold."""
    g = scheme.grades[i]
    if g.meaning:
        return g.meaning
    if g.threshold is not None:
        return format_rate(g.threshold) + ("以上" if g.inclusive else "超")
    thresholds = scheme.threshold_grades
    if thresholds and i == len(scheme.grades) - 1 and scheme.kind in (
        SchemeKind.ACHIEVEMENT, SchemeKind.PACE
    ):
        last = thresholds[-1]
        assert last.threshold is not None
        return format_rate(last.threshold) + ("未満" if last.inclusive else "以下")
    return ""


def legend(scheme: Scheme, sep: str = "　") -> str:
    """The printed legend: ``◎100%以上　○50%以上進捗　△50%未満進捗　－進捗に増減なし　×減少``
    for the FY2020 scheme; ``A110%以上　B80%以上　C50%以上　D50%未満`` and so on."""
    parts = []
    for i, g in enumerate(scheme.grades):
        words = meaning(scheme, i)
        # A symbol reads on into its words (◎100%以上), as the FY2020 legend printed even
        # relabelled symbols; a letter or a word of another scheme needs a colon.
        symbol = len(g.label) == 1 and not g.label.isalnum()
        glue = "" if symbol or not words or scheme.kind is SchemeKind.PROGRESS else "："
        parts.append(g.label + glue + words)
    return sep.join(parts)


def grade_order(scheme: Scheme) -> tuple[str, ...]:
    """The 集計 count columns, in legend order: the grades, 4-1's reached/missed, then
    評価なし (only when the scheme can give it), 不明 and 進捗管理の停止. Duplicates are
    dropped (○ is both a grade and 4-1's reached in the FY2020 scheme)."""
    out: list[str] = []
    labels = [g.label for g in scheme.grades] + [scheme.reached, scheme.missed]
    if scheme.untargeted is Untargeted.UNGRADED:
        labels.append(scheme.ungraded)
    labels += [scheme.unknown, scheme.suspended]
    for m in labels:
        if m not in out:
            out.append(m)
    return tuple(out)


def role_of(scheme: Scheme, label: str, sheet: str = "4-2") -> Role | None:
    """The colour role of a printed mark on ``sheet``; None for a label the scheme does not
    know (a manual override such as その他)."""
    if label == scheme.unknown:
        return Role.UNKNOWN
    if label == scheme.suspended:
        return Role.SUSPENDED
    if sheet == "4-1":
        if label == scheme.reached:
            return Role.REACHED
        if label == scheme.missed:
            return Role.MISSED
        return None
    if label == scheme.ungraded:
        return Role.UNGRADED
    return scheme.label_roles().get(label)
