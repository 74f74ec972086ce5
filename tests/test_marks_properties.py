"""Properties of the mark engine that must hold for any input, checked with hypothesis.

* Improving the evaluated value never makes the mark worse (baseline and targets fixed).
* The arrow agrees with the sign of the improvement.
* :func:`judge` never raises, whatever the parser hands it, under any scheme.

Monotonicity under every scheme is in ``tests/test_schemes.py``.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.lanes import examples
from xlplan.core.marks import judge
from xlplan.core.schemes import Scheme, grade_order, preset, preset_names
from xlplan.core.settings import Direction, MarkLabels, Settings
from xlplan.core.values import Bound, Parsed, Part, Period, PeriodKind, Relative, Status, Warning

LABELS = MarkLabels()
RANK_42 = {LABELS.worse: 0, LABELS.none: 1, LABELS.some: 2, LABELS.half: 3, LABELS.full: 4}
RANK_41 = {LABELS.missed: 0, LABELS.reached: 1}
NONE = Parsed(text="－", status=Status.NONE)
INCREASE_WORDS = Parsed(
    text="増加を目指します。",
    status=Status.QUALITATIVE,
    words="増加を目指します",
    intent="increase",
)

# Integers as floats: far enough apart that "equal" never depends on float noise.
ints = st.integers(min_value=-1_000_000, max_value=1_000_000)


def num(x: float, unit: str = "件") -> Parsed:
    return Parsed(text=f"{x:g}{unit}", value=float(x), unit=unit)


baselines = st.one_of(ints.map(num), st.just(NONE))
targets = st.one_of(ints.map(num), st.just(INCREASE_WORDS), st.just(NONE))


@st.composite
def thresholds(draw: st.DrawFn) -> Settings:
    half = draw(st.floats(min_value=0.01, max_value=1.0))
    full = half + draw(st.floats(min_value=0.0, max_value=1.0))
    return Settings(threshold_half=half, threshold_full=full)


def run(
    sheet: str,
    v: float,
    b: Parsed,
    t: Parsed,
    m: Parsed | None,
    direction: Direction,
    on_actual: bool,
    s: Settings,
) -> tuple[str, str]:
    value = num(v)
    j = judge(
        sheet,
        baseline=b,
        actual=value if on_actual else NONE,
        projection=NONE if on_actual else value,
        final=t,
        mid=m,
        direction=direction,
        settings=s,
    )
    return j.trend, j.mark


def better_order(v1: int, v2: int, direction: Direction) -> tuple[int, int]:
    """(worse, better) of two values in the direction."""
    lo, hi = sorted((v1, v2))
    return (lo, hi) if direction is Direction.INCREASE else (hi, lo)


directions = st.sampled_from([Direction.INCREASE, Direction.DECREASE])


@given(
    v1=ints,
    v2=ints,
    b=baselines,
    t=targets,
    direction=directions,
    on_actual=st.booleans(),
    s=thresholds(),
    sheet=st.sampled_from(["4-2", "4-3"]),
)
def test_progress_mark_is_monotone(
    v1: int,
    v2: int,
    b: Parsed,
    t: Parsed,
    direction: Direction,
    on_actual: bool,
    s: Settings,
    sheet: str,
) -> None:
    worse, better = better_order(v1, v2, direction)
    _, m_worse = run(sheet, worse, b, t, None, direction, on_actual, s)
    _, m_better = run(sheet, better, b, t, None, direction, on_actual, s)
    assert RANK_42[m_better] >= RANK_42[m_worse], (worse, better, m_worse, m_better)


@given(
    v1=ints,
    v2=ints,
    b=baselines,
    m=targets,
    t=targets,
    direction=directions,
    on_actual=st.booleans(),
)
def test_mid_target_mark_is_monotone(
    v1: int,
    v2: int,
    b: Parsed,
    m: Parsed,
    t: Parsed,
    direction: Direction,
    on_actual: bool,
) -> None:
    worse, better = better_order(v1, v2, direction)
    _, m_worse = run("4-1", worse, b, t, m, direction, on_actual, Settings())
    _, m_better = run("4-1", better, b, t, m, direction, on_actual, Settings())
    assert RANK_41[m_better] >= RANK_41[m_worse], (worse, better, m_worse, m_better)


@given(
    v=ints,
    b=baselines,
    t=targets,
    direction=directions,
    on_actual=st.booleans(),
    sheet=st.sampled_from(["4-1", "4-2", "4-3"]),
)
def test_arrow_follows_the_sign_of_improvement(
    v: int, b: Parsed, t: Parsed, direction: Direction, on_actual: bool, sheet: str
) -> None:
    trend, _ = run(sheet, v, b, t, t, direction, on_actual, Settings())
    base = 0 if b.value is None else b.value
    gain = (v - base) if direction is Direction.INCREASE else (base - v)
    exp = LABELS.up if gain > 0 else LABELS.down if gain < 0 else LABELS.flat
    assert trend == (f"({exp})" if on_actual else exp)


@given(
    v=ints,
    b=ints,
    t=ints,
    direction=directions,
)
def test_progress_sign_agrees_with_arrow(v: int, b: int, t: int, direction: Direction) -> None:
    """When a progress rate is reported, it never contradicts the arrow."""
    j = judge(
        "4-2",
        baseline=num(b),
        actual=NONE,
        projection=num(v),
        final=num(t),
        direction=direction,
    )
    if j.progress is not None:
        if j.trend == LABELS.up:
            assert j.progress >= 0
        elif j.trend == LABELS.down:
            assert j.progress <= 0


# --------------------------------------------------------------------------- never raises

any_float = st.floats(allow_nan=True, allow_infinity=True)
units = st.sampled_from([None, "", "件", "人", "名", "%", "件/年", "件/月", "団体", "県", "回"])
word_list = st.sampled_from(
    [None, "", "未整備", "全施設公開", "増加を目指します", "相談窓口等の設置"]
)

parts = st.builds(
    Part,
    value=any_float,
    unit=units,
    label=st.sampled_from([None, "主催", "延べ参加人数", "4～12月計", ""]),
    is_total=st.booleans(),
    denominator=st.one_of(st.none(), any_float),
)

parsed_values = st.builds(
    Parsed,
    text=st.text(max_size=20),
    value=st.one_of(st.none(), any_float),
    unit=units,
    denominator=st.one_of(st.none(), any_float),
    per=st.sampled_from([None, "年", "月"]),
    parts=st.lists(parts, max_size=4).map(tuple),
    approx=st.booleans(),
    person_times=st.booleans(),
    cumulative=st.booleans(),
    estimate=st.booleans(),
    status=st.one_of(st.none(), st.sampled_from(list(Status))),
    words=word_list,
    intent=st.sampled_from([None, "increase", "decrease", "other"]),
    note=st.one_of(st.none(), st.text(max_size=5)),
    warnings=st.just((Warning("x", "x"),)) | st.just(()),
)


@settings(max_examples=examples(500))
@given(
    sheet=st.sampled_from(["4-1", "4-2", "4-3", ""]),
    b=parsed_values,
    a=parsed_values,
    p=parsed_values,
    t=parsed_values,
    m=st.one_of(st.none(), parsed_values),
    direction=st.one_of(st.none(), st.sampled_from(list(Direction))),
    s=thresholds(),
)
def test_judge_never_raises(
    sheet: str,
    b: Parsed,
    a: Parsed,
    p: Parsed,
    t: Parsed,
    m: Parsed | None,
    direction: Direction | None,
    s: Settings,
) -> None:
    j = judge(
        sheet,
        baseline=b,
        actual=a,
        projection=p,
        final=t,
        mid=m,
        direction=direction,
        settings=s,
    )
    lab = s.labels
    arrows = {lab.up, lab.down, lab.flat}
    assert j.trend in arrows | {f"({x})" for x in arrows} | {lab.unknown, lab.suspended}
    marks = {lab.full, lab.half, lab.some, lab.none, lab.worse, lab.reached, lab.missed}
    assert j.mark in marks | {lab.unknown, lab.suspended}
    assert j.reasons and all(isinstance(r, str) and r for r in j.reasons)


# --------------------------------------------------------------------------- any scheme

bounds = st.one_of(st.none(), st.builds(Bound, side=st.sampled_from(["min", "max"]),
                                        inclusive=st.booleans(), word=st.just("以上")))
periods = st.one_of(st.none(), st.builds(Period, kind=st.sampled_from(list(PeriodKind)),
                                         years=st.one_of(st.none(), st.integers(0, 10))))
relatives = st.one_of(st.none(), st.builds(
    Relative, factor=any_float, offset=any_float,
    intent=st.sampled_from(["increase", "decrease", "maintain", "other"]),
    reference=st.sampled_from(["", "基準値", "前年度", "平成25年度"]),
    reference_year=st.one_of(st.none(), st.integers(1990, 2030)), unit=units, bound=bounds))
parsed_issue11 = st.builds(
    lambda p, b, per, rel: replace(p, bound=b, period=per, relative=rel),
    parsed_values, bounds, periods, relatives)
any_scheme = st.one_of(st.none(), st.sampled_from([preset(n) for n in preset_names()]))


@settings(max_examples=examples(500))
@given(
    sheet=st.sampled_from(["4-1", "4-2", "4-3"]),
    b=parsed_issue11,
    a=parsed_issue11,
    p=parsed_issue11,
    t=parsed_issue11,
    m=st.one_of(st.none(), parsed_issue11),
    direction=st.one_of(st.none(), st.sampled_from(list(Direction))),
    scheme=any_scheme,
    fy=st.integers(min_value=2000, max_value=2040),
)
def test_judge_never_raises_with_any_scheme(
    sheet: str, b: Parsed, a: Parsed, p: Parsed, t: Parsed, m: Parsed | None,
    direction: Direction | None, scheme: Scheme | None, fy: int,
) -> None:
    s = Settings(scheme=scheme, fiscal_year=fy)
    j = judge(sheet, baseline=b, actual=a, projection=p, final=t, mid=m, direction=direction,
              settings=s)
    assert j.mark in grade_order(s.active_scheme)
    assert j.role and j.scheme == s.active_scheme.name
    assert j.reasons and len(j.reasons) == len(j.reason_codes)
