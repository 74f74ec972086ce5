"""The mark engine: the trend arrow and the progress mark of one indicator.

The rules are those of ``docs/domain.md`` ("How the marks are decided"), reverse-engineered
from the 68 rows of the FY2020 report; the seed is the ground truth. Decisions the
document leaves open are made here and written down in the module's comments and in
:func:`judge`'s docstring, so that a reader of the 判定の根拠 column and a reader of the
code see the same rule.

Pure: no Excel, no clock, no I/O. :func:`judge` is called for every row on every
recompute, so it avoids regexes and allocations it does not need.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from xlplan.core.judgement import Judgement
from xlplan.core.layout import DIRECTION_WORDS
from xlplan.core.settings import Basis, Direction, MarkLabels, Settings
from xlplan.core.values import Parsed, Part, Status

__all__ = ["FLAG_MESSAGES", "infer_direction", "judge"]

# Statuses that mean "no figure here": v falls back from the projection to the actual.
_NO_FIGURE = frozenset({Status.NONE, Status.UNDETERMINED})

# Per-period units that mean the same as a plain count: a target of 5件/年 is "5件 in the
# year", which is what an annual actual of 5件 reports. Any other period (件/月) is not.
_ANNUAL = frozenset({"年", "年度", "年間"})

# Unit spellings that count the same thing.
_UNIT_ALIASES = {"名": "人", "か所": "箇所", "ヵ所": "箇所", "ケ所": "箇所", "ヶ所": "箇所"}

# Stable codes of the things a check should report beside the mark. The Japanese text is
# also what goes into ``reasons``.
FLAG_MESSAGES: dict[str, str] = {
    "units_differ": "単位が異なります",
    "baseline_not_numeric": "基準値が数値でないため、矢印と進捗率を判定できません",
    "qualitative_change": "文字の値が基準値とも目標とも一致しないため、自動判定できません",
    "target_missing": "目標が数値でないため、改善か悪化かだけで判定しました",
    "target_conflicts_direction": "目標が基準値より悪い側にあるため、改善か悪化かだけで判定しました",
    "mid_missing": "中間目標がないため、最終目標で判定しました",
}


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
    prefix = ("約" if p.approx else "") + ("延べ" if p.person_times else "")
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
    named = (("基準値", bn), ("評価値", vn), ("目標", tn))
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
    items = "・".join(k for k in keys if k) or "合計"

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
            out.units_differ = ("基準値・目標", f"評価値「{'・'.join(extra)}」")


def _ordered_keys(maps: Iterable[dict[str, float]]) -> list[str]:
    seen: dict[str, None] = {}
    for m in maps:
        for k in m:
            seen.setdefault(k, None)
    return list(seen)


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
    """増加/減少 from the targets when the workbook leaves the direction blank.

    A numeric target below the baseline means 減少; above it, 増加. A qualitative target
    says so itself (``減少を目指します``). The final target is asked first, then the mid
    target. ``None`` when nothing tells (the caller then assumes 増加).
    """
    return _infer(baseline, final, mid)[0]


def _infer(baseline: Parsed, final: Parsed, mid: Parsed | None) -> tuple[Direction | None, str]:
    """The inferred direction and the sentence that says how it was inferred."""
    for target in (final, mid):
        if target is None:
            continue
        if target.intent in ("increase", "decrease"):
            found = Direction.DECREASE if target.intent == "decrease" else Direction.INCREASE
            text = _value_text(target)
            word = DIRECTION_WORDS[found]
            return found, f"方向が未入力のため、目標「{text}」から「{word}」と推定しました。"
        vals = _reduce(baseline, None, target)
        if vals.b is not None and vals.t is not None and not _close(vals.b, vals.t):
            found = Direction.DECREASE if vals.t < vals.b else Direction.INCREASE
            side = "下回る" if found is Direction.DECREASE else "上回る"
            word = DIRECTION_WORDS[found]
            return (
                found,
                f"方向が未入力のため、目標が基準値を{side}ことから「{word}」と推定しました。",
            )
    return None, "方向が未入力で目標からも判断できないため、「増加」とみなしました。"


# --------------------------------------------------------------------------- judge


def _value_text(p: Parsed) -> str:
    return " ".join(p.text.split()) or "（空欄）"


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
    (mark = 進捗率 ◎○△－×, against ``final``). Symbols and thresholds come from
    ``settings``.

    Decisions where the domain document is silent:

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
    """
    labels = settings.labels
    reasons: list[str] = []
    flags: list[str] = []
    on_41 = sheet == "4-1"

    # Direction first: every later sentence depends on it.
    if direction is None:
        guessed, said = _infer(baseline, final, mid)
        reasons.append(said)
        used_direction = guessed or Direction.INCREASE
        inferred = True
    else:
        used_direction = direction
        inferred = False
        if direction is not Direction.INCREASE:
            reasons.append(f"方向：{DIRECTION_WORDS[direction]}")

    def result(
        trend: str,
        mark: str,
        *,
        progress: float | None = None,
        basis: Basis | None = None,
        evaluated: Parsed | None = None,
        vals: _Values | None = None,
        target: float | None = None,
    ) -> Judgement:
        return Judgement(
            trend=trend,
            mark=mark,
            progress=progress,
            basis=basis,
            direction=used_direction,
            direction_inferred=inferred,
            evaluated=evaluated,
            evaluated_value=vals.v if vals else None,
            baseline_value=vals.b if vals else None,
            target_value=target,
            reasons=tuple(reasons),
            flags=tuple(flags),
            evaluated_unit=vals.v_unit if vals else None,
        )

    # Rule 6: suspended tracking overrides everything.
    if projection.status is Status.SUSPENDED or actual.status is Status.SUSPENDED:
        which = "見込値" if projection.status is Status.SUSPENDED else "実績値"
        reasons.append(f"{which}が「進捗管理を停止している」のため、{labels.suspended}。")
        return result(labels.suspended, labels.suspended)

    # Rule 1: the evaluated value.
    if projection.status not in _NO_FIGURE and _has_content(projection):
        v, basis = projection, Basis.PROJECTION
    elif actual.status not in _NO_FIGURE and _has_content(actual):
        v, basis = actual, Basis.ACTUAL
    else:
        reasons.append(
            f"見込値（{_value_text(projection)}）も実績値（{_value_text(actual)}）も"
            f"使えないため{labels.unknown}。"
        )
        return result(labels.unknown, labels.unknown)

    # The target the mark is judged against.
    if on_41 and (mid is None or mid.status in _NO_FIGURE):
        flags.append("mid_missing")
        reasons.append(FLAG_MESSAGES["mid_missing"] + "。")
        mark_target, target_name = final, "最終目標"
    elif on_41 and mid is not None:
        mark_target, target_name = mid, "中間目標"
    else:
        mark_target, target_name = final, "目標"

    vals = _reduce(baseline, v, mark_target)
    # On 4-1 the progress rate (informational) is against the final target.
    final_vals = _reduce(baseline, v, final) if on_41 and mark_target is not final else vals

    # Reasons: the values used.
    shown_v = vals.v_text or _value_text(v)
    if basis is Basis.ACTUAL:
        why = "未入力" if projection.status is Status.NONE else "未確定"
        reasons.append(f"評価値：実績値 {shown_v}（見込値が{why}のため。矢印は括弧書き）")
    else:
        reasons.append(f"評価値：見込値 {shown_v}")
    if baseline.status is Status.NONE:
        reasons.append("基準値：0（「－」は新規の取組として0とみなす）")
    else:
        reasons.append(f"基準値：{vals.b_text or _value_text(baseline)}")
    reasons.append(f"{target_name}：{vals.t_text or _value_text(mark_target)}")
    if vals.units_differ is not None:
        flags.append("units_differ")
        a, c = vals.units_differ
        reasons.append(f"{FLAG_MESSAGES['units_differ']}（{a}、{c}）。数値のまま比較しました。")

    def arrow(symbol: str) -> str:
        return f"({symbol})" if basis is Basis.ACTUAL else symbol

    # Rule 3: the arrow, from v against b.
    # A word as v ranks only against the same word as b (no change) or as a target.
    hits_final = _same_words(v, final)
    text_hits_target = hits_final or _same_words(v, mark_target)
    change: int | None
    if _same_words(v, baseline):
        change = 0
        reasons.append(f"評価値「{v.words}」が基準値と同じため{arrow(labels.flat)}")
    elif text_hits_target:
        change = 1
        reasons.append(f"評価値「{v.words}」が目標に達したため{arrow(labels.up)}")
    elif v.status is Status.QUALITATIVE or vals.v is None:
        change = None
        flags.append("qualitative_change")
        reasons.append(FLAG_MESSAGES["qualitative_change"] + "（手動判定が必要）。")
    elif vals.b is None:
        change = None
        flags.append("baseline_not_numeric")
        reasons.append(FLAG_MESSAGES["baseline_not_numeric"] + "（手動判定が必要）。")
    else:
        change = _better(vals.v, vals.b, used_direction)
        if change > 0:
            reasons.append(f"基準値より改善したため{arrow(labels.up)}")
        elif change < 0:
            reasons.append(f"基準値より悪化したため{arrow(labels.down)}")
        else:
            reasons.append(f"基準値と同じため{arrow(labels.flat)}")
    trend = (
        labels.unknown
        if change is None
        else arrow(labels.up if change > 0 else labels.down if change < 0 else labels.flat)
    )

    # The progress rate r = (v - b) / (t - b) against the final target.
    progress: float | None = None
    r_vals = final_vals
    if hits_final:
        progress = 1.0
    elif (
        used_direction is not Direction.MAINTAIN
        and r_vals.v is not None
        and r_vals.b is not None
        and r_vals.t is not None
        and change is not None
    ):
        if _close(r_vals.t, r_vals.b):
            pass
        elif _better(r_vals.t, r_vals.b, used_direction) < 0:
            if not on_41:
                flags.append("target_conflicts_direction")
        else:
            progress = round((r_vals.v - r_vals.b) / (r_vals.t - r_vals.b), 9)
            if not math.isfinite(progress):
                progress = None

    if on_41:
        mark = _mark_41(
            labels,
            reasons,
            flags,
            v,
            vals,
            mark_target,
            target_name,
            used_direction,
            change,
            text_hits_target,
        )
        if progress is not None:
            reasons.append(
                f"参考：最終目標に対する進捗率 r = (v−b)/(t−b) = ({_fmt(r_vals.v or 0)}−"
                f"{_fmt(r_vals.b or 0)})/({_fmt(r_vals.t or 0)}−{_fmt(r_vals.b or 0)}) = "
                f"{_pct(progress)}"
            )
    else:
        mark = _mark_42(
            settings,
            reasons,
            flags,
            vals,
            mark_target,
            used_direction,
            change,
            text_hits_target,
            progress,
        )
    return result(
        trend,
        mark,
        progress=progress,
        basis=basis,
        evaluated=v,
        vals=vals,
        target=vals.t,
    )


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


def _mark_42(
    settings: Settings,
    reasons: list[str],
    flags: list[str],
    vals: _Values,
    target: Parsed,
    direction: Direction,
    change: int | None,
    text_hits_target: bool,
    progress: float | None,
) -> str:
    labels = settings.labels
    full, half = settings.threshold_full, settings.threshold_half
    if text_hits_target:
        reasons.append(f"評価値が目標と同じ文言のため{labels.full}")
        return labels.full
    if change is None:
        return labels.unknown
    if direction is Direction.MAINTAIN:
        return _mark_maintain(labels.full, labels.worse, reasons, vals)
    if change == 0:
        reasons.append(f"基準値から増減がないため{labels.none}")
        return labels.none
    if progress is not None and vals.t is not None and vals.b is not None and vals.v is not None:
        reasons.append(
            f"進捗率 r = (v−b)/(t−b) = ({_fmt(vals.v)}−{_fmt(vals.b)})/"
            f"({_fmt(vals.t)}−{_fmt(vals.b)}) = {_pct(progress)}"
        )
        # The sign comes from the comparison, not from r, so that a tiny r still
        # agrees with the arrow.
        if change < 0:
            reasons.append(f"基準値より悪化したため{labels.worse}")
            return labels.worse
        if progress >= full:
            reasons.append(f"{_pct(full)}以上のため{labels.full}")
            return labels.full
        if progress >= half:
            reasons.append(f"{_pct(half)}以上{_pct(full)}未満のため{labels.half}")
            return labels.half
        reasons.append(f"{_pct(half)}未満のため{labels.some}")
        return labels.some
    # No usable numeric target: better or worse is all there is.
    if vals.t is not None and vals.b is not None and _close(vals.t, vals.b):
        why = "目標が基準値と同じため、"
    elif "target_conflicts_direction" in flags:
        why = FLAG_MESSAGES["target_conflicts_direction"] + "。"
    elif target.status is Status.QUALITATIVE:
        why = "目標が文言のため、"
    else:
        flags.append("target_missing")
        why = FLAG_MESSAGES["target_missing"] + "。"
    if change > 0:
        reasons.append(f"{why}改善したので{labels.full}")
        return labels.full
    reasons.append(f"{why}悪化したので{labels.worse}")
    return labels.worse


def _mark_maintain(good: str, bad: str, reasons: list[str], vals: _Values) -> str:
    level = vals.t if vals.t is not None else vals.b
    if level is None or vals.v is None:
        return bad
    name = "目標" if vals.t is not None else "基準値"
    if vals.v >= level or _close(vals.v, level):
        reasons.append(f"維持：{name} {_fmt(level)} 以上を保ったため{good}")
        return good
    reasons.append(f"維持：{name} {_fmt(level)} を下回ったため{bad}")
    return bad


def _mark_41(
    labels: MarkLabels,
    reasons: list[str],
    flags: list[str],
    v: Parsed,
    vals: _Values,
    target: Parsed,
    target_name: str,
    direction: Direction,
    change: int | None,
    text_hits_target: bool,
) -> str:
    if text_hits_target:
        reasons.append(f"評価値が{target_name}と同じ文言のため{labels.reached}")
        return labels.reached
    if vals.t is not None and vals.v is not None:
        if direction is Direction.MAINTAIN:
            return _mark_maintain(labels.reached, labels.missed, reasons, vals)
        if _better(vals.v, vals.t, direction) >= 0:
            reasons.append(f"{target_name}に到達したため{labels.reached}")
            return labels.reached
        reasons.append(f"{target_name}に未到達のため{labels.missed}")
        return labels.missed
    if change is None:
        return labels.unknown
    if target.status is not Status.QUALITATIVE:
        flags.append("target_missing")
    ok = change >= 0 if direction is Direction.MAINTAIN else change > 0
    if ok:
        reasons.append(f"{target_name}が数値でないため、基準値より改善したので{labels.reached}")
        return labels.reached
    reasons.append(f"{target_name}が数値でないため、基準値より改善していないので{labels.missed}")
    return labels.missed
