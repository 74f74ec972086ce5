"""The mark engine: the trend arrow and the progress mark of one indicator.

The rules are those of ``docs/rules.md`` ("Deciding the arrow and the mark"), reverse-engineered
from the 68 rows of the FY2020 report; the seed is the ground truth. Decisions the
document leaves open are made here and written down in the module's comments and in
:func:`judge`'s docstring, so that a reader of the 判定の根拠 column and a reader of the
code see the same rule.

:func:`judge` is a sequence of small named rules (direction, suspended, evaluated value,
relative targets, the values used, the arrow, the progress rate) followed by one grader
per scheme kind (:mod:`xlplan.core.schemes`: progress, achievement, pace, stages) or, on
4-1, the mid-target rule. Every sentence of the reasons comes from :data:`REASONS` by a
stable code, recorded in ``Judgement.reason_codes``.

Pure: no Excel, no clock, no I/O. :func:`judge` is called for every row on every
recompute, so it avoids regexes and allocations it does not need.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from xlplan.core.judgement import Judgement
from xlplan.core.layout import DIRECTION_WORDS
from xlplan.core.lexicon import LEXICON
from xlplan.core.schemes import (
    BandUnit,
    Grade,
    Role,
    Scheme,
    SchemeKind,
    TargetDefault,
    Untargeted,
    format_rate,
    legend,
)
from xlplan.core.settings import Basis, Direction, Settings
from xlplan.core.texts import FLAG_MESSAGES, REASONS
from xlplan.core.texts import WORDS as W
from xlplan.core.values import Parsed, Part, PeriodKind, Status

__all__ = ["FLAG_MESSAGES", "REASONS", "infer_direction", "judge"]

# Statuses that mean "no figure here": v falls back from the projection to the actual.
_NO_FIGURE = frozenset({Status.NONE, Status.UNDETERMINED})

# Per-period units that mean the same as a plain count: a target of 5件/年 is "5件 in the
# year", which is what an annual actual of 5件 reports. Any other period (件/月) is not.
_ANNUAL = frozenset(LEXICON.ANNUAL_PERIODS)

# Unit spellings that count the same thing.
_UNIT_ALIASES = LEXICON.UNIT_ALIASES

# --------------------------------------------------------------------------- numbers


def _fmt(x: float) -> str:
    """44472.0 → '44,472'; 46.51 → '46.51'; 0.12688172 → '0.1269'."""
    if not math.isfinite(x):
        return str(x)
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    s = f"{x:,.4f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _pct(r: float) -> str:
    """0.5 → '50%'; 0.8697 → '87.0%'."""
    p = r * 100
    if p == int(p) and abs(p) < 1e15:
        return f"{int(p):,}%"
    return f"{p:,.1f}%"


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _base_unit(unit: str | None) -> str | None:
    """The counted thing: '件/年' → '件' (a yearly rate is a count), '件/月' stays."""
    if not unit:
        return None
    head, sep, per = unit.partition("/")
    if sep and per in _ANNUAL:
        unit = head
    return _UNIT_ALIASES.get(unit, unit)


def _units_match(a: str | None, b: str | None) -> bool:
    """Units compare when equal after folding; an absent unit compares with anything."""
    return a is None or b is None or a == b


def _finite(x: float | None) -> bool:
    return x is not None and math.isfinite(x)


class _Num:
    """One comparable number and how to show it in the reasons."""

    __slots__ = ("fraction", "label", "prefix", "shown_unit", "unit", "value")

    def __init__(
        self,
        value: float,
        unit: str | None,
        shown_unit: str | None,
        label: str | None = None,
        fraction: tuple[float, float] | None = None,
        prefix: str = "",
    ) -> None:
        self.value = value
        self.prefix = prefix  # 約 / 延べ, as typed
        self.unit = unit  # folded base unit, for comparing
        self.shown_unit = shown_unit  # as typed, for showing
        self.label = label  # label of the part used (延べ参加人数)
        self.fraction = fraction  # (numerator, denominator)

    def show(self) -> str:
        if self.fraction is not None:
            num, den = self.fraction
            ratio = num / den * 100
            return f"{_fmt(num)}/{_fmt(den)}（{_fmt(round(ratio, 1))}%）"
        text = self.prefix + _fmt(self.value) + (self.shown_unit or "")
        return f"{text}（{self.label}）" if self.label else text


def _number(p: Parsed, ref_unit: str | None) -> _Num | None:
    """The headline number of ``p``, or its part whose unit matches ``ref_unit``."""
    if p.status is not None or p.value is None or not math.isfinite(p.value):
        return None
    unit = _base_unit(p.unit)
    chosen: Part | None = None
    if ref_unit is not None and unit is not None and unit != ref_unit and p.parts:
        # 主催6,576回 延べ参加人数36,503人 against 500人: take the part counted in 人,
        # a total first (4～12月計 wins over its months).
        for part in p.parts:
            if _base_unit(part.unit) == ref_unit and math.isfinite(part.value):
                if part.is_total:
                    chosen = part
                    break
                if chosen is None:
                    chosen = part
    if chosen is not None:
        value, den, shown, unit = chosen.value, chosen.denominator, chosen.unit, ref_unit
        label = chosen.label
    else:
        value, den, shown, label = p.value, p.denominator, p.unit, None
        for part in p.parts:  # the headline's own label, if the parser kept one
            if part.value == value and part.unit == shown and part.label:
                label = part.label
                break
    if den:
        return _Num(value / den, unit, None, label, (value, den))
    prefix = ((LEXICON.APPROX_PREFIXES[0] if p.approx else "")
              + (LEXICON.PERSON_TIMES_WORDS[0] if p.person_times else ""))
    return _Num(value, unit, shown, label, prefix=prefix)


def _is_labelled(p: Parsed | None) -> bool:
    """県、52市町村、1林業事業体: several counts of different things, no headline."""
    return p is not None and p.status is None and p.value is None and bool(p.parts)


def _part_ratio(part: Part) -> float:
    return part.value / part.denominator if part.denominator else part.value


def _count_map(p: Parsed) -> dict[str, float] | None:
    """Counts by what they count (unit or label); a plain number is one entry."""
    if p.status is Status.NONE:
        return {}
    if p.status is not None:
        return None
    if p.value is None:
        if not p.parts:
            return None
        out: dict[str, float] = {}
        for part in p.parts:
            key = _base_unit(part.unit) or part.label or ""
            if math.isfinite(part.value):
                out[key] = out.get(key, 0.0) + _part_ratio(part)
        return out
    if not math.isfinite(p.value):
        return None
    return {_base_unit(p.unit) or "": p.ratio or 0.0}


class _Values:
    """b, v and the target reduced to comparable numbers (None where not numeric)."""

    __slots__ = ("b", "b_text", "t", "t_text", "units_differ", "v", "v_text", "v_unit")

    def __init__(self) -> None:
        self.b: float | None = None
        self.v: float | None = None
        self.t: float | None = None
        # How each number is shown in the reasons.
        self.b_text: str | None = None
        self.v_text: str | None = None
        self.t_text: str | None = None
        self.v_unit: str | None = None  # unit of v as typed (of the part used)
        self.units_differ: tuple[str, str] | None = None


def _reduce(b: Parsed, v: Parsed | None, t: Parsed) -> _Values:
    out = _Values()
    if _is_labelled(b) or _is_labelled(v) or _is_labelled(t):
        _reduce_labelled(out, b, v, t)
        return out
    # The target's unit decides which part of a multi-part value is compared; without a
    # numeric target the baseline's unit does.
    ref: str | None = None
    tn = _number(t, None)
    if tn is not None:
        ref = tn.unit
    bn = _number(b, ref) if b.status is not Status.NONE else None
    if ref is None and bn is not None:
        ref = bn.unit
    vn = _number(v, ref) if v is not None else None
    if b.status is Status.NONE:
        # 「－」 as a baseline is a new initiative: it starts from 0.
        bn = _Num(0.0, None, None)
    # A fraction against a percentage: 59/465 is 12.7%.
    nums = [n for n in (bn, vn, tn) if n is not None]
    if any(n.fraction for n in nums) and any(n.unit == "%" and not n.fraction for n in nums):
        for n in nums:
            if n.fraction:
                n.value *= 100
                n.unit = "%"
    if bn is not None:
        out.b, out.b_text = bn.value, bn.show()
    if vn is not None:
        out.v, out.v_text = vn.value, vn.show()
        out.v_unit = "%" if vn.fraction and vn.unit == "%" else vn.shown_unit
    if tn is not None:
        out.t, out.t_text = tn.value, tn.show()
    named = ((W["baseline"], bn), (W["evaluated"], vn), (W["target"], tn))
    with_unit = [(name, n.unit) for name, n in named if n is not None and n.unit is not None]
    for i in range(1, len(with_unit)):
        if with_unit[i][1] != with_unit[0][1]:
            a, c = with_unit[0], with_unit[i]
            out.units_differ = (f"{a[0]}「{a[1]}」", f"{c[0]}「{c[1]}」")
            break
    return out


def _reduce_labelled(out: _Values, b: Parsed, v: Parsed | None, t: Parsed) -> None:
    bm = _count_map(b)
    vm = _count_map(v) if v is not None else None
    tm = _count_map(t)
    keys: list[str] = []
    if tm is not None and bm is not None:
        # Progress is measured on the items the target changes; a missing item is 0.
        for k in _ordered_keys((bm, tm)):
            if not _close(tm.get(k, 0.0), bm.get(k, 0.0)):
                keys.append(k)
    if not keys:
        keys = _ordered_keys(m for m in (bm, vm, tm) if m is not None)
    items = "・".join(k for k in keys if k) or W["total"]

    def total(m: dict[str, float], p: Parsed) -> tuple[float, str]:
        x = sum(m.get(k, 0.0) for k in keys)
        return x, f"{_value_text(p)}（{items} {_fmt(x)}）"

    if bm is not None:
        out.b, out.b_text = total(bm, b)
    if vm is not None and v is not None:
        out.v, out.v_text = total(vm, v)
        if len(keys) == 1:
            out.v_unit = keys[0] or None
    if tm is not None:
        out.t, out.t_text = total(tm, t)
    if vm is not None and bm is not None:
        extra = [k for k in vm if k not in bm and (tm is None or k not in tm)]
        if extra:
            out.units_differ = (W["baseline_and_target"], f"{W['evaluated']}「{'・'.join(extra)}」")


def _ordered_keys(maps: Iterable[dict[str, float]]) -> list[str]:
    seen: dict[str, None] = {}
    for m in maps:
        for k in m:
            seen.setdefault(k, None)
    return list(seen)


# --------------------------------------------------------------------------- reasons

class _Ctx:
    """One judgement in the making: the scheme, the direction, the reasons so far."""

    __slots__ = ("codes", "direction", "flags", "inferred", "on_41", "reasons", "scheme",
                 "settings", "sheet")

    def __init__(self, sheet: str, settings: Settings) -> None:
        self.sheet = sheet
        self.on_41 = sheet == "4-1"
        self.settings = settings
        self.scheme: Scheme = settings.active_scheme
        self.reasons: list[str] = []
        self.codes: list[str] = []
        self.flags: list[str] = []
        self.direction = Direction.INCREASE
        self.inferred = False

    def say(self, code: str, **kw: object) -> None:
        self.reasons.append(REASONS[code].format(**kw))
        self.codes.append(code)

    def flag(self, code: str) -> None:
        self.flags.append(code)

    def result(
        self,
        trend: str,
        mark: str,
        role: Role,
        *,
        progress: float | None = None,
        basis: Basis | None = None,
        evaluated: Parsed | None = None,
        vals: _Values | None = None,
        target: float | None = None,
        measure: float | None = None,
        expected: float | None = None,
    ) -> Judgement:
        return Judgement(
            trend=trend,
            mark=mark,
            progress=progress,
            basis=basis,
            direction=self.direction,
            direction_inferred=self.inferred,
            evaluated=evaluated,
            evaluated_value=vals.v if vals else None,
            baseline_value=vals.b if vals else None,
            target_value=target,
            reasons=tuple(self.reasons),
            flags=tuple(self.flags),
            evaluated_unit=vals.v_unit if vals else None,
            role=role.value,
            scheme=self.scheme.name,
            reason_codes=tuple(self.codes),
            measure=measure,
            expected=expected,
        )


# --------------------------------------------------------------------------- direction


def _better(x: float, y: float, direction: Direction) -> int:
    """+1 when x is better than y in the direction, -1 when worse, 0 when equal.

    維持 (maintain) counts a higher value as better: the level to maintain is a floor.
    """
    if _close(x, y):
        return 0
    if direction is Direction.DECREASE:
        return 1 if x < y else -1
    return 1 if x > y else -1


def infer_direction(baseline: Parsed, final: Parsed, mid: Parsed | None = None) -> Direction | None:
    """増加/減少/維持 from the targets when the workbook leaves the direction blank.

    A qualitative or relative target says so itself (``減少を目指します``, ``基準値より5割減``,
    ``現状維持``); a bound says which side is good (``120件以下`` → 減少); a numeric target
    below the baseline means 減少, above it 増加. The final target is asked first, then
    the mid target. ``None`` when nothing tells (the caller then assumes 増加).
    """
    return _infer(baseline, final, mid)[0]


_INTENT_DIRECTIONS = {
    "increase": Direction.INCREASE,
    "decrease": Direction.DECREASE,
    "maintain": Direction.MAINTAIN,
}


def _infer(
    baseline: Parsed, final: Parsed, mid: Parsed | None
) -> tuple[Direction | None, str, dict[str, str]]:
    """The inferred direction, the reason code and its fields."""
    for target in (final, mid):
        if target is None:
            continue
        found = _INTENT_DIRECTIONS.get(target.intent or "")
        if found is None and target.bound is not None:
            found = Direction.INCREASE if target.bound.side == "min" else Direction.DECREASE
        if found is not None:
            text = _value_text(target)
            return found, "direction_from_intent", {"text": text,
                                                    "word": DIRECTION_WORDS[found]}
        vals = _reduce(baseline, None, target)
        if vals.b is not None and vals.t is not None and not _close(vals.b, vals.t):
            found = Direction.DECREASE if vals.t < vals.b else Direction.INCREASE
            side = W["below"] if found is Direction.DECREASE else W["above"]
            return found, "direction_from_target", {"side": side,
                                                    "word": DIRECTION_WORDS[found]}
    return None, "direction_assumed", {}


def _direction_rule(ctx: _Ctx, baseline: Parsed, final: Parsed, mid: Parsed | None,
                    direction: Direction | None) -> None:
    """Rule 2: the direction, given or inferred (and said so)."""
    if direction is None:
        guessed, code, kw = _infer(baseline, final, mid)
        ctx.say(code, **kw)
        ctx.direction = guessed or Direction.INCREASE
        ctx.inferred = True
    else:
        ctx.direction = direction
        if direction is not Direction.INCREASE:
            ctx.say("direction_given", word=DIRECTION_WORDS[direction])


# --------------------------------------------------------------------------- judge


def _value_text(p: Parsed) -> str:
    return " ".join(p.text.split()) or W["blank"]


def judge(
    sheet: str,
    *,
    baseline: Parsed,
    actual: Parsed,
    projection: Parsed,
    final: Parsed,
    mid: Parsed | None = None,
    direction: Direction | None = None,
    settings: Settings = Settings(),  # noqa: B008 - frozen, never mutated
) -> Judgement:
    """The arrow and the mark of one indicator, with the reasons.

    ``sheet`` is "4-1" (mark = 中間目標到達 ○/×, against ``mid``) or "4-2"/"4-3"
    (mark graded by ``settings.active_scheme`` against ``final``: the FY2020 進捗率
    ◎○△－× by default). Symbols, thresholds and the scheme come from ``settings``.

    Decisions the printed report leaves open (docs/rules.md):

    * A qualitative v that differs from a qualitative b and is not the target's text
      (未整備 → 検討中) cannot be ranked: arrow and mark are 不明, flagged
      ``qualitative_change``, for a person to override. The same holds for a numeric v
      against a qualitative baseline (``baseline_not_numeric``).
    * A target on the wrong side of the baseline for an explicit direction (減少 with a
      target above the baseline) is treated like a target equal to the baseline:
      better → ◎, worse → ×, flagged ``target_conflicts_direction``.
    * A missing (－) or unknown target is treated like a qualitative one, flagged
      ``target_missing``. On 4-1 a missing ``mid`` falls back to the final target.
    * 維持 (maintain): the level to keep is the target (else the baseline); v at or above
      it is ◎ (4-2/4-3) or ○ (4-1), below it ×. The arrow compares v with b, higher is ↗.
      There is no progress rate.
    * 4-1 with a qualitative mid target: ○ only when v is strictly better than b; equal
      is ×. 4-1's ``progress`` is r against the final target (for information).
    * A text v equal to the text target counts as r = 1 (progress 1.0).
    * Units that differ are compared as numbers anyway and reported (``units_differ``).
      A yearly rate (件/年) compares with a plain count (件); other periods do not.
    * A target relative to the baseline (基準値より5割減) becomes b × factor + offset when
      the baseline is a number (and the reference is the baseline, not another year);
      otherwise it stays a qualitative target with its intent.
    * A bound target (1,500人以上, 30%超) is reached when v is on its side: the best
      grade (progress, stages) or ○ (4-1); an exclusive bound (超, 未満) is not reached
      by v equal to it, so such a v gets at most the second grade.
    """
    ctx = _Ctx(sheet, settings)
    _direction_rule(ctx, baseline, final, mid, direction)
    scheme = ctx.scheme

    # Rule 6: suspended tracking overrides everything.
    if projection.status is Status.SUSPENDED or actual.status is Status.SUSPENDED:
        which = W["projection"] if projection.status is Status.SUSPENDED else W["actual"]
        ctx.say("suspended", which=which, label=scheme.suspended)
        return ctx.result(scheme.suspended, scheme.suspended, Role.SUSPENDED)

    # Rule 1: the evaluated value.
    picked = _evaluated_rule(projection, actual)
    if picked is None:
        ctx.say("no_value", projection=_value_text(projection), actual=_value_text(actual),
                label=scheme.unknown)
        return ctx.result(scheme.unknown, scheme.unknown, Role.UNKNOWN)
    v, basis = picked

    # The target the mark is judged against; relative targets resolved on the baseline.
    final_t, final_rel = _resolve_relative(ctx, baseline, final)
    mid_t, mid_rel = _resolve_relative(ctx, baseline, mid) if mid is not None else (None, None)
    if ctx.on_41 and (mid is None or mid.status in _NO_FIGURE):
        ctx.flag("mid_missing")
        ctx.say("mid_missing")
        target, target_name, rel = final_t, W["final_target"], final_rel
    elif ctx.on_41 and mid_t is not None:
        target, target_name, rel = mid_t, W["mid_target"], mid_rel
    else:
        target, target_name, rel = final_t, W["target"], final_rel

    vals = _reduce(baseline, v, target)
    # On 4-1 the progress rate (informational) is against the final target.
    final_vals = _reduce(baseline, v, final_t) if ctx.on_41 and target is not final_t else vals
    _values_rule(ctx, basis, projection, baseline, v, vals, target, target_name, rel)

    change = _arrow_rule(ctx, v, baseline, final_t, target, vals, basis)
    up, down, flat = ctx.settings.labels.up, ctx.settings.labels.down, ctx.settings.labels.flat
    if change is None:
        trend = scheme.unknown
    else:
        trend = _arrow(up if change > 0 else down if change < 0 else flat, basis)

    hits_final = _same_words(v, final_t)
    progress = _progress_rate(ctx, final_vals, change, hits_final)
    text_hit = hits_final or _same_words(v, target)
    if ctx.on_41:
        mark, role = _mark_41(ctx, vals, target, target_name, change, text_hit)
        if progress is not None:
            ctx.say("reference_rate", v=_fmt(final_vals.v or 0), b=_fmt(final_vals.b or 0),
                    t=_fmt(final_vals.t or 0), r=_pct(progress))
        measure: float | None = None
        expected: float | None = None
    else:
        grading = _GRADERS[scheme.kind]
        mark, role, measure, expected = grading(ctx, vals, target, change, text_hit,
                                                progress)
    return ctx.result(trend, mark, role, progress=progress, basis=basis, evaluated=v,
                      vals=vals, target=vals.t, measure=measure, expected=expected)


def _arrow(symbol: str, basis: Basis) -> str:
    return f"({symbol})" if basis is Basis.ACTUAL else symbol


def _evaluated_rule(projection: Parsed, actual: Parsed) -> tuple[Parsed, Basis] | None:
    """Rule 1: v = the projection, else the actual (arrow in brackets), else nothing."""
    if projection.status not in _NO_FIGURE and _has_content(projection):
        return projection, Basis.PROJECTION
    if actual.status not in _NO_FIGURE and _has_content(actual):
        return actual, Basis.ACTUAL
    return None


def _resolve_relative(ctx: _Ctx, baseline: Parsed,
                      target: Parsed) -> tuple[Parsed, tuple[Parsed, str] | None]:
    """A relative target (基準値より5割減) as a number against the baseline.

    Returns the target to judge against and, when it was relative, the original with
    the reason code to say (resolved or why not), said later with the values.
    """
    rel = target.relative
    if rel is None or target.status is not Status.QUALITATIVE:
        return target, None
    bn = _number(baseline, None) if baseline.status is None else None
    lx = LEXICON
    other_year = rel.reference_year is not None and (
        rel.reference_year != ctx.settings.baseline_year)
    named = rel.reference in lx.BASELINE_REFERENCES or rel.reference == ""
    if bn is None or bn.fraction is not None or other_year or not (
        named or rel.reference_year is not None
    ):
        return target, (target, "relative_unresolved")
    value = bn.value * rel.factor + rel.offset
    if rel.unit is not None and bn.unit is not None and _base_unit(rel.unit) != bn.unit:
        return target, (target, "relative_unresolved")
    resolved = Parsed(
        text=target.text,
        value=value,
        unit=baseline.unit,
        parts=(Part(value, baseline.unit),),
        bound=rel.bound,
        period=target.period,
    )
    return resolved, (target, "relative_resolved")


def _values_rule(ctx: _Ctx, basis: Basis, projection: Parsed, baseline: Parsed, v: Parsed,
                 vals: _Values, target: Parsed, target_name: str,
                 rel: tuple[Parsed, str] | None) -> None:
    """Say which values were used."""
    shown_v = vals.v_text or _value_text(v)
    if basis is Basis.ACTUAL:
        why = W["unentered"] if projection.status is Status.NONE else W["undetermined"]
        ctx.say("evaluated_actual", v=shown_v, why=why)
    else:
        ctx.say("evaluated_projection", v=shown_v)
    if baseline.status is Status.NONE:
        ctx.say("baseline_new")
    else:
        ctx.say("baseline", b=vals.b_text or _value_text(baseline))
    ctx.say("target", name=target_name, t=vals.t_text or _value_text(target))
    if rel is not None:
        original, code = rel
        r = original.relative
        assert r is not None
        if code == "relative_resolved":
            b = W["baseline"]
            formula = (b if r.factor == 1 and r.offset == 0
                       else f"{b}×{_fmt(r.factor)}") if r.offset == 0 else (
                f"{b}{'+' if r.offset > 0 else '−'}{_fmt(abs(r.offset))}"
                if r.factor == 1 else
                f"{b}×{_fmt(r.factor)}{'+' if r.offset > 0 else '−'}{_fmt(abs(r.offset))}")
            ctx.say(code, name=target_name, text=r.words, formula=formula,
                    t=vals.t_text or _fmt(vals.t or 0))
        else:
            why = (W["other_reference"] if r.reference_year is not None
                   or (r.reference not in LEXICON.BASELINE_REFERENCES and r.reference)
                   else W["baseline_not_number"])
            ctx.say(code, name=target_name, text=r.words, why=why)
    if vals.units_differ is not None:
        ctx.flag("units_differ")
        a, c = vals.units_differ
        ctx.say("units_differ", a=a, c=c)


def _arrow_rule(ctx: _Ctx, v: Parsed, baseline: Parsed, final: Parsed, target: Parsed,
                vals: _Values, basis: Basis) -> int | None:
    """Rule 3: +1/0/−1 for v better/equal/worse than b; None when they cannot be ranked.

    A word as v ranks only against the same word as b (no change) or as a target.
    """
    labels = ctx.settings.labels
    if _same_words(v, baseline):
        ctx.say("arrow_same_words", words=v.words, arrow=_arrow(labels.flat, basis))
        return 0
    if _same_words(v, final) or _same_words(v, target):
        ctx.say("arrow_words_reached", words=v.words, arrow=_arrow(labels.up, basis))
        return 1
    if v.status is Status.QUALITATIVE or vals.v is None:
        ctx.flag("qualitative_change")
        ctx.say("qualitative_change")
        return None
    if vals.b is None:
        ctx.flag("baseline_not_numeric")
        ctx.say("baseline_not_numeric")
        return None
    change = _better(vals.v, vals.b, ctx.direction)
    if change > 0:
        ctx.say("arrow_up", arrow=_arrow(labels.up, basis))
    elif change < 0:
        ctx.say("arrow_down", arrow=_arrow(labels.down, basis))
    else:
        ctx.say("arrow_flat", arrow=_arrow(labels.flat, basis))
    return change


def _progress_rate(ctx: _Ctx, r_vals: _Values, change: int | None,
                   hits_final: bool) -> float | None:
    """r = (v − b)/(t − b) against the final target; None when it is not defined."""
    if hits_final:
        return 1.0
    if (
        ctx.direction is Direction.MAINTAIN
        or r_vals.v is None
        or r_vals.b is None
        or r_vals.t is None
        or change is None
    ):
        return None
    if _close(r_vals.t, r_vals.b):
        return None
    if _better(r_vals.t, r_vals.b, ctx.direction) < 0:
        if not ctx.on_41:
            ctx.flag("target_conflicts_direction")
        return None
    progress = round((r_vals.v - r_vals.b) / (r_vals.t - r_vals.b), 9)
    return progress if math.isfinite(progress) else None


def _same_words(a: Parsed, b: Parsed) -> bool:
    return (
        a.status is Status.QUALITATIVE
        and b.status is Status.QUALITATIVE
        and a.words is not None
        and a.words == b.words
    )


def _has_content(p: Parsed) -> bool:
    """A number, a labelled count, or a word: something v can be."""
    return p.status is not None or p.value is not None or bool(p.parts)


# --------------------------------------------------------------------------- grading

# (mark, role, measure, expected) of 4-2/4-3.
_Graded = tuple[str, Role, float | None, float | None]


def _bound_check(ctx: _Ctx, vals: _Values, target: Parsed, target_name: str,
                 good: Grade) -> tuple[bool, str] | None:
    """Whether a bound target (1,500人以上) is reached; None without a bound, or when the
    bound says the other side is good than the direction does (then it is ignored, so
    that a better v never gets a worse grade)."""
    b = target.bound
    if b is None or vals.v is None or vals.t is None:
        return None
    if (b.side == "min") != (ctx.direction is not Direction.DECREASE):
        return None
    return b.holds(vals.v, vals.t) or (_close(vals.v, vals.t) and b.inclusive), b.word


def _say_bound(ctx: _Ctx, met: bool, word: str, vals: _Values, target_name: str,
               label: str) -> None:
    ctx.say("bound_met" if met else "bound_not_met", v=_fmt(vals.v or 0), target=target_name,
            t=vals.t_text or _fmt(vals.t or 0), word=word, label=label)


def _grade_progress(ctx: _Ctx, vals: _Values, target: Parsed, change: int | None,
                    text_hit: bool, progress: float | None) -> _Graded:
    """Rule 4: the progress rate r graded by the scheme's thresholds (◎○△), － and ×."""
    s = ctx.scheme
    best, worst, same = s.best, s.worst, s.no_change
    assert same is not None
    if text_hit:
        ctx.say("words_reached", target=W["target"], label=best.label)
        return best.label, best.role, progress, None
    if change is None:
        return s.unknown, Role.UNKNOWN, None, None
    bound = _bound_check(ctx, vals, target, W["target"], best)
    if bound is not None and bound[0]:
        _say_bound(ctx, True, bound[1], vals, W["target"], best.label)
        return best.label, best.role, progress, None
    if ctx.direction is Direction.MAINTAIN:
        g = _maintain(ctx, vals, best, worst)
        return g.label, g.role, None, None
    if change == 0:
        ctx.say("no_change", label=same.label)
        return same.label, same.role, progress, None
    if progress is not None and vals.t is not None and vals.b is not None and vals.v is not None:
        ctx.say("progress_rate", v=_fmt(vals.v), b=_fmt(vals.b), t=_fmt(vals.t),
                r=_pct(progress))
        # The sign comes from the comparison, not from r, so that a tiny r still
        # agrees with the arrow.
        if change < 0:
            ctx.say("progress_worse", label=worst.label)
            return worst.label, worst.role, progress, None
        g = s.grade_for(progress)
        if bound is not None and g is best:  # an exclusive bound not passed: not the best
            g = s.grades[1]
            _say_bound(ctx, False, bound[1], vals, W["target"], g.label)
            return g.label, g.role, progress, None
        ctx.say("progress_grade", rule=_grade_rule(s, g), label=g.label)
        return g.label, g.role, progress, None
    # No usable numeric target: better or worse is all there is.
    why = _untargeted_why(ctx, vals, target)
    g = best if change > 0 else worst
    ctx.say("untargeted_better" if change > 0 else "untargeted_worse", why=why, label=g.label)
    return g.label, g.role, None, None


def _untargeted_why(ctx: _Ctx, vals: _Values, target: Parsed) -> str:
    if vals.t is not None and vals.b is not None and _close(vals.t, vals.b):
        return REASONS["why_target_equals_baseline"]
    if "target_conflicts_direction" in ctx.flags:
        return REASONS["why_target_conflicts"]
    if target.status is Status.QUALITATIVE:
        return REASONS["why_target_words"]
    ctx.flag("target_missing")
    return REASONS["why_target_missing"]


def _grade_rule(s: Scheme, g: Grade) -> str:
    """'100%以上', '50%以上100%未満', '50%未満': the threshold rule of grade ``g``."""
    grades = s.threshold_grades
    # The FY2020 scheme keeps the report's own percent format (50.0% for 0.5000001).
    rate = _pct if s.kind is SchemeKind.PROGRESS else format_rate
    i = grades.index(g) if g in grades else len(grades)
    below = ""
    if i > 0:
        prev = grades[i - 1]
        assert prev.threshold is not None
        below = rate(prev.threshold) + (W["under"] if prev.inclusive else W["at_most"])
    if g.threshold is None or (i == len(grades) - 1 and s.kind is SchemeKind.PROGRESS):
        return below
    return rate(g.threshold) + (W["at_least"] if g.inclusive else W["over"]) + below


def _maintain(ctx: _Ctx, vals: _Values, good: Grade, bad: Grade) -> Grade:
    """維持: v at or above the level (the target, else the baseline) is good."""
    level = vals.t if vals.t is not None else vals.b
    if level is None or vals.v is None:
        return bad
    name = W["target"] if vals.t is not None else W["baseline"]
    if vals.v >= level or _close(vals.v, level):
        ctx.say("maintain_kept", name=name, level=_fmt(level), label=good.label)
        return good
    ctx.say("maintain_missed", name=name, level=_fmt(level), label=bad.label)
    return bad


def _say_scheme(ctx: _Ctx) -> None:
    s = ctx.scheme
    ctx.say("scheme_rule", title=s.title, legend=legend(s, sep="・"))


def _grade_ratio(ctx: _Ctx, vals: _Values, target: Parsed, change: int | None,
                 text_hit: bool, progress: float | None) -> _Graded:
    """achievement (a = v/t, or v/e before the final year) and pace (a = v/e)."""
    s = ctx.scheme
    _say_scheme(ctx)
    if text_hit:
        ctx.say("words_reached", target=W["target"], label=s.best.label)
        return s.best.label, s.best.role, None, None
    if vals.v is None:  # a word that is neither the baseline's nor the target's
        return s.unknown, Role.UNKNOWN, None, None
    if vals.t is None:
        if s.untargeted is Untargeted.UNGRADED:
            if target.status is not Status.QUALITATIVE:
                ctx.flag("target_missing")
            ctx.say("ungraded", title=s.title, label=s.ungraded)
            return s.ungraded, Role.UNGRADED, None, None
        if change is None:
            return s.unknown, Role.UNKNOWN, None, None
        why = _untargeted_why(ctx, vals, target)
        g = s.best if change > 0 else s.worst
        ctx.say("untargeted_better" if change > 0 else "untargeted_worse", why=why,
                label=g.label)
        return g.label, g.role, None, None
    ref, ref_name, expected = _reference(ctx, vals, target)
    lower = ctx.direction is Direction.DECREASE
    a = _ratio(vals.v, ref, lower)
    if a is None:
        ctx.say("ratio_undefined", ref_name=ref_name, ref=_fmt(ref))
        reached = _better(vals.v, ref, ctx.direction) >= 0
        g = s.best if reached else s.worst
        ctx.say("ratio_reached" if reached else "ratio_missed", ref_name=ref_name,
                label=g.label)
        return g.label, g.role, None, expected
    a = round(a, 9)
    sym = "e" if expected is not None else "t"
    formula = (f"{sym}/v = {_fmt(ref)}/{_fmt(vals.v)}" if lower
               else f"v/{sym} = {_fmt(vals.v)}/{_fmt(ref)}")
    measure = W["achievement_vs_expected"] if expected is not None else W["achievement"]
    ctx.say("achievement_rate", measure=measure, formula=formula, a=_pct(a))
    g = s.grade_for(a)
    ctx.say("ratio_grade", measure=measure, rule=_grade_rule(s, g), label=g.label)
    return g.label, g.role, a, expected


def _reference(ctx: _Ctx, vals: _Values, target: Parsed) -> tuple[float, str, float | None]:
    """What v is compared with: the target, or the expected value of the year (pace)."""
    assert vals.t is not None
    st = ctx.settings
    s = ctx.scheme
    fy, by, ty = st.fiscal_year, st.baseline_year, st.final_year
    kind = target.period.kind if target.period is not None else None
    if kind is PeriodKind.EVERY_YEAR or kind is PeriodKind.PER_YEAR or (
        kind is None and s.kind is SchemeKind.ACHIEVEMENT
        and s.target_default is TargetDefault.EVERY_YEAR
    ):
        ctx.say("every_year", fy=fy)
        return vals.t, W["target"], None
    if fy >= ty or ty <= by:
        return vals.t, W["target"], None
    if vals.b is None:
        ctx.say("pace_no_baseline")
        return vals.t, W["target"], None
    k, n = max(0, fy - by), ty - by
    e = round(vals.b + (vals.t - vals.b) * k / n, 9)
    if not math.isfinite(e):
        return vals.t, W["target"], None
    ctx.say("expected_value", k=k, n=n, b=_fmt(vals.b), t=_fmt(vals.t), e=_fmt(e), by=by,
            ty=ty, fy=fy)
    return e, W["expected"], e


def _ratio(v: float, ref: float, lower: bool) -> float | None:
    """v/ref (ref/v when lower is better); None where the ratio means nothing (a zero,
    negative or infinite reference, or v ≤ 0 when lower is better): then reached-or-not
    decides."""
    if ref <= 0 or _close(ref, 0.0) or not math.isfinite(ref):
        return None
    if not lower:
        a = v / ref
    elif v <= 0 or _close(v, 0.0):
        return None
    else:
        a = ref / v
    return a if math.isfinite(a) else None


def _grade_stages(ctx: _Ctx, vals: _Values, target: Parsed, change: int | None,
                  text_hit: bool, progress: float | None) -> _Graded:
    """達成 (target reached) / 前進 / 横ばい / 後退 against the baseline with the band."""
    s = ctx.scheme
    reached_g, better_g, same_g, worse_g = s.grades
    _say_scheme(ctx)
    if text_hit:
        ctx.say("words_reached", target=W["target"], label=reached_g.label)
        return reached_g.label, reached_g.role, None, None
    if vals.v is not None and vals.t is not None:
        bound = _bound_check(ctx, vals, target, W["target"], reached_g)
        if bound is not None:
            if bound[0]:
                _say_bound(ctx, True, bound[1], vals, W["target"], reached_g.label)
                return reached_g.label, reached_g.role, None, None
        elif _better(vals.v, vals.t, ctx.direction) >= 0:
            ctx.say("stage_reached", target=W["target"], t=vals.t_text or _fmt(vals.t),
                    label=reached_g.label)
            return reached_g.label, reached_g.role, None, None
    if change is None or vals.v is None or vals.b is None:
        return s.unknown, Role.UNKNOWN, None, None
    sign = -1.0 if ctx.direction is Direction.DECREASE else 1.0
    diff = (vals.v - vals.b) * sign
    if s.band_unit is BandUnit.PERCENT:
        tol = abs(vals.b) * s.band / 100
        ctx.say("stage_band", band=W["band_percent"].format(band=_fmt(s.band), tol=_fmt(tol)))
    else:
        tol = s.band
        ctx.say("stage_band", band=_fmt(tol))
    shown = ("+" if diff > 0 else "") + _fmt(diff)
    within = _close(diff, 0.0) or (
        abs(diff) <= tol or _close(abs(diff), tol) if s.band_inclusive else abs(diff) < tol
        and not _close(abs(diff), tol))
    if within:
        ctx.say("stage_same", diff=shown, within=W["within"] if s.band_inclusive else W["under"],
                label=same_g.label)
        return same_g.label, same_g.role, None, None
    g = better_g if diff > 0 else worse_g
    ctx.say("stage_better" if diff > 0 else "stage_worse", diff=shown, label=g.label)
    return g.label, g.role, None, None


_GRADERS = {
    SchemeKind.PROGRESS: _grade_progress,
    SchemeKind.ACHIEVEMENT: _grade_ratio,
    SchemeKind.PACE: _grade_ratio,
    SchemeKind.STAGES: _grade_stages,
}


def _mark_41(ctx: _Ctx, vals: _Values, target: Parsed, target_name: str,
             change: int | None, text_hit: bool) -> tuple[str, Role]:
    """Rule 5: 中間目標到達 ○/× (any scheme)."""
    s = ctx.scheme
    if text_hit:
        ctx.say("words_reached", target=target_name, label=s.reached)
        return s.reached, Role.REACHED
    if vals.t is not None and vals.v is not None:
        if ctx.direction is Direction.MAINTAIN:
            g = _maintain(ctx, vals, Grade(s.reached, Role.REACHED),
                          Grade(s.missed, Role.MISSED))
            return g.label, g.role
        bound = _bound_check(ctx, vals, target, target_name, Grade(s.reached, Role.REACHED))
        if bound is not None:
            met, word = bound
            label = s.reached if met else s.missed
            _say_bound(ctx, met, word, vals, target_name, label)
            return label, Role.REACHED if met else Role.MISSED
        if _better(vals.v, vals.t, ctx.direction) >= 0:
            ctx.say("mid_reached", target=target_name, label=s.reached)
            return s.reached, Role.REACHED
        ctx.say("mid_missed", target=target_name, label=s.missed)
        return s.missed, Role.MISSED
    if change is None:
        return s.unknown, Role.UNKNOWN
    if target.status is not Status.QUALITATIVE:
        ctx.flag("target_missing")
    ok = change >= 0 if ctx.direction is Direction.MAINTAIN else change > 0
    if ok:
        ctx.say("mid_untargeted_reached", target=target_name, label=s.reached)
        return s.reached, Role.REACHED
    ctx.say("mid_untargeted_missed", target=target_name, label=s.missed)
    return s.missed, Role.MISSED
