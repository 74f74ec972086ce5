"""Mark schemes as data (issue 11, Part B): each preset judged against the published rule
it follows, the scheme table itself, the 設定 sheet's scheme rows, the CLI.

Each preset's cases sit under the rule they follow: where it was published (URL) and
the wording the expected grade comes from. Expected grades are read off that wording
(and, for the expected value, computed by hand in the comment), never by running the
engine. Values are built by hand (not parsed) except where a cell's words matter
(毎年, 以上, 基準値より…).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import run_cli
from tests.lanes import examples
from tests.test_marks_rules import CASES as RULE_CASES
from xlplan.cli import main
from xlplan.core.layout import DIRECTION_BY_WORD
from xlplan.core.marks import REASONS, judge
from xlplan.core.parse import parse_value
from xlplan.core.schemes import (
    ON_TRACK_ROLES,
    ROLE_COLOURS,
    Role,
    Scheme,
    SchemeError,
    SchemeKind,
    grade_order,
    legend,
    preset,
    preset_names,
    role_of,
    scheme_from_mapping,
    scheme_from_toml,
)
from xlplan.core.settings import Direction, MarkLabels, Settings
from xlplan.core.settings_grid import (
    SETTING_ITEMS,
    scheme_rows,
    setting_value,
    settings_from_grid,
)
from xlplan.core.values import Bound, Parsed, Status

SEED = Path(__file__).resolve().parents[1] / "xlplan" / "data" / "seed_fy2020.toml"
ROWS: list[dict[str, Any]] = tomllib.loads(SEED.read_text(encoding="utf-8"))["row"]


def n(value: float, unit: str | None = "件", **kw: Any) -> Parsed:
    return Parsed(text=f"{value:g}{unit or ''}", value=value, unit=unit, **kw)


NONE = Parsed(text="－", status=Status.NONE)
UNDETERMINED = Parsed(text="算出不可", status=Status.UNDETERMINED)


@dataclass(frozen=True)
class Case:
    id: str
    why: str  # the wording of the published rule this grade comes from, or our decision
    baseline: Parsed
    value: Parsed
    target: Parsed
    mark: str
    role: Role
    direction: Direction | None = Direction.INCREASE
    years: tuple[int, int, int] = (2020, 2019, 2021)  # reporting, baseline, final year
    measure: float | None = None  # checked when given
    in_reasons: tuple[str, ...] = field(default=())


def run(scheme: Scheme | None, c: Case, sheet: str = "4-2") -> Any:
    fy, by, ty = c.years
    s = Settings(scheme=scheme, fiscal_year=fy, baseline_year=by, final_year=ty)
    return judge(sheet, baseline=c.baseline, actual=NONE, projection=c.value,
                 final=c.target, direction=c.direction, settings=s)


def check(scheme: Scheme | None, c: Case) -> None:
    got = run(scheme, c)
    why = f"{c.why}\n  reasons: {got.explanation}"
    assert (got.mark, got.role) == (c.mark, c.role.value), why
    if c.measure is not None:
        assert got.measure == pytest.approx(c.measure), why
    for text in c.in_reasons:
        assert text in got.explanation, why
    assert len(got.reason_codes) == len(got.reasons)
    assert all(code in REASONS for code in got.reason_codes)


# --------------------------------------------------------------------------- progress
# The FY2020 report's legend (shared/seed, 資料4-2/4-3):
#   ◎100%以上　○50%以上進捗　△50%未満進捗　ー進捗に増減なし　×減少

def test_the_progress_preset_is_the_fy2020_scheme() -> None:
    """Judging every seed row with the shipped progress.toml gives exactly what the
    default gives: marks, arrows, reasons and flags."""
    p = preset("progress")
    for r in ROWS:
        kw = dict(baseline=parse_value(r["baseline"]), actual=parse_value(r["actual"]),
                  projection=parse_value(r["projection"]),
                  final=parse_value(r["final_target"]),
                  mid=parse_value(r["mid_target"]) if r["sheet"] == "4-1" else None,
                  direction=DIRECTION_BY_WORD[r["direction"]])
        default = judge(r["sheet"], **kw)  # type: ignore[arg-type]
        shipped = judge(r["sheet"], settings=Settings(scheme=p), **kw)  # type: ignore[arg-type]
        assert (shipped.trend, shipped.mark, shipped.reasons, shipped.flags, shipped.role) == (
            default.trend, default.mark, default.reasons, default.flags, default.role), r["id"]


def test_progress_roles_and_legend_follow_the_print() -> None:
    s = Settings().active_scheme
    assert legend(s) == "◎100%以上　○50%以上進捗　△50%未満進捗　－進捗に増減なし　×減少"
    assert legend(preset("progress")) == legend(s)
    assert [(g.label, g.role) for g in s.grades] == [
        ("◎", Role.FULL), ("○", Role.HALF), ("△", Role.SOME), ("－", Role.NONE),
        ("×", Role.WORSE)]
    # 集計 columns as the summary writer printed them before schemes (mark_order).
    assert grade_order(s) == ("◎", "○", "△", "－", "×", "不明", "進捗管理の停止")


PROGRESS = [
    Case("half-inclusive", "○50%以上進捗: r = 50% exactly is ○", n(0), n(1), n(2),
         "○", Role.HALF, measure=0.5),
    Case("full", "◎100%以上: r = 100%", n(38382), n(70000), n(70000), "◎", Role.FULL),
    Case("some", "△50%未満進捗", n(0), n(49), n(100), "△", Role.SOME),
    Case("none", "ー進捗に増減なし", n(2), n(2), n(4), "－", Role.NONE),
    Case("worse", "×減少", n(10), n(8), n(20), "×", Role.WORSE),
    Case("bound-met", "our decision: a bound target counts as met on its side (以上)",
         n(1000, "人"), n(1600, "人"), n(1500, "人", bound=Bound("min", True, "以上")),
         "◎", Role.FULL, direction=None, in_reasons=("範囲内",)),
    Case("bound-exclusive", "our decision: 超 is not reached by v equal to it: the next grade",
         n(1000, "人"), n(1500, "人"), n(1500, "人", bound=Bound("min", False, "超")),
         "○", Role.HALF, in_reasons=("範囲外",)),
    Case("ceiling-kept", "our decision: 以下 met though v rose (keep below a ceiling)",
         n(100), n(110), parse_value("120件以下"), "◎", Role.FULL, direction=None),
    Case("relative-resolved", "基準値より5割減 → 0.5 × 61,000 = 30,500; r = 21,000/30,500",
         n(61000, "人"), n(40000, "人"), parse_value("基準値より5割減"), "○", Role.HALF,
         direction=None, measure=21000 / 30500, in_reasons=("基準値×0.5 = 30,500人",)),
    Case("relative-other-year", "平成25年度比: not the baseline year 2019: stays a word target",
         n(100, "t"), n(80, "t"), parse_value("平成25年度比40%削減"), "◎", Role.FULL,
         direction=None, in_reasons=("基準値以外の年を基準としている",)),
]


@pytest.mark.parametrize("case", PROGRESS, ids=[c.id for c in PROGRESS])
def test_progress(case: Case) -> None:
    check(None, case)


# --------------------------------------------------------------------------- achievement-abcd
# Osaka Prefectural Library, 評価の基準と重点目標シートの記入について (2013):
#   https://www.library.pref.osaka.jp/site/hyoka/lib-hyoka-kijun2013.html
# 「重点指標が毎年の数値目標(毎年〇〇)の場合 A:数値目標を上回る成果を達成(達成度110%以上)
#   B:数値目標を達成(達成度80%以上110%未満) C:数値目標を2分の1以上達成(達成度50%以上80%
#   未満) D:…(達成度50%未満)」; for a target reached in the final year, years 1 and 2:
#  「B:最終年度の数値目標達成に向けて順調に増加」, and the final year 「1.に準じる」.
ABCD = preset("achievement-abcd")
EVERY = parse_value("毎年100件")
FIVE = (2020, 2019, 2024)  # year 1 of a plan from the FY2019 baseline to FY2024
ACHIEVEMENT = [
    Case("A", "A:達成度110%以上: 120/100", n(90), n(120), EVERY, "A", Role.FULL, measure=1.2,
         in_reasons=("判定方式：達成度", "毎年の値", "110%以上のためA")),
    Case("A-inclusive", "達成度110%以上 includes 110%", n(90), n(110), EVERY, "A", Role.FULL),
    Case("B-top", "B:達成度80%以上110%未満: 109%", n(90), n(109), EVERY, "B", Role.HALF),
    Case("B-inclusive", "80%以上 includes 80%", n(90), n(80), EVERY, "B", Role.HALF),
    Case("C-top", "C:達成度50%以上80%未満: 79%", n(90), n(79), EVERY, "C", Role.SOME),
    Case("C-inclusive", "50%以上 includes 50%", n(90), n(50), EVERY, "C", Role.SOME),
    Case("D", "D:達成度50%未満: 49%", n(90), n(49), EVERY, "D", Role.WORSE),
    Case("lower-better", "a = t/v for lower-is-better: 20/25 = 80% → B", n(30), n(25),
         parse_value("毎年20件"), "B", Role.HALF, direction=Direction.DECREASE, measure=0.8),
    Case("pace-on-track", "最終年度に…順調に増加: year 1 of 5, e = 0+100×1/5 = 20, v = 20",
         n(0), n(20), n(100), "B", Role.HALF, years=FIVE, measure=1.0,
         in_reasons=("期待値 e = b+(t−b)×1/5",)),
    Case("pace-early", "ahead of the line: 30/20 = 150% → A", n(0), n(30), n(100), "A",
         Role.FULL, years=FIVE),
    Case("pace-behind", "10/20 = 50% → C", n(0), n(10), n(100), "C", Role.SOME, years=FIVE),
    Case("final-year", "最終年度の評価 1.に準じる: 100/100 → B", n(0), n(100), n(100), "B",
         Role.HALF, years=(2024, 2019, 2024), measure=1.0),
    Case("by-final-words", "最終年度までに: the pace before the final year", n(0), n(20),
         parse_value("最終年度までに100件"), "B", Role.HALF, years=FIVE),
    Case("no-number", "no numeric target: 評価なし (not graded)", n(50, "%"), n(40, "%"),
         parse_value("増加を目指します。"), "評価なし", Role.UNGRADED, direction=None),
    Case("words", "a word value equal to the word target is the best grade",
         parse_value("未整備"), parse_value("全施設公開"), parse_value("全施設公開"), "A",
         Role.FULL),
    Case("zero-target", "a = t/v means nothing with t = 0: reached or not decides",
         n(3), n(0), n(0), "A", Role.FULL, direction=Direction.DECREASE,
         years=(2021, 2019, 2021), in_reasons=("比が計算できない",)),
    Case("zero-target-missed", "t = 0 not reached: the worst grade", n(3), n(2), n(0), "D",
         Role.WORSE, direction=Direction.DECREASE, years=(2021, 2019, 2021)),
    Case("word-baseline", "the pace needs a numeric baseline; without one, v/t",
         parse_value("未整備"), n(60), n(100), "C", Role.SOME, years=FIVE, measure=0.6,
         in_reasons=("期待値ではなく目標と比べます",)),
]


@pytest.mark.parametrize("case", ACHIEVEMENT, ids=[c.id for c in ACHIEVEMENT])
def test_achievement_abcd(case: Case) -> None:
    check(ABCD, case)


# --------------------------------------------------------------------------- pace
# Ibaraki Prefecture, まち・ひと・しごと創生総合戦略の数値目標・KPI進捗状況調書:
#   https://pdfslide.net/documents/eoecoeoeffcccc-77-eoecoeoeffccccfkpiece.html
# 「A:順調(「実績値」が「期待値」以上),B+:概ね順調(「実績値」が「期待値」の80~99%),
#   B:やや遅れ(「実績値」が「期待値」の50~79%),C:遅れ(「実績値」が「期待値」の50%未満)」
# The expected value (Shizuoka Prefectural Assembly, 2021-10-08, 総務委員会):
#   http://www2.pref.shizuoka.jp/all/COMGIJI.nsf/67d081f2c561b61a49256854002fdbc3/822985fac6adcf9149258792002cfb85?OpenDocument
# 「基準値から目標値まで均等に増加するであろうとして線を引いて、各年度部分に当たるのが
#   各年度の期待値」
PACE = preset("pace")
Y3 = (2021, 2019, 2024)  # e = b + (t − b) × 2/5
PACE_CASES = [
    Case("on-line", "順調(実績値が期待値以上): e = 100+100×2/5 = 140, v = 140", n(100), n(140),
         n(200), "順調", Role.FULL, years=Y3, measure=1.0,
         in_reasons=("期待値 e = b+(t−b)×2/5 = 100+(200−100)×2/5 = 140",)),
    Case("above", "順調: v = 150 > e", n(100), n(150), n(200), "順調", Role.FULL, years=Y3),
    Case("80", "概ね順調(期待値の80~99%): 112/140 = 80%", n(100), n(112), n(200), "概ね順調",
         Role.HALF, years=Y3, measure=0.8),
    Case("79", "やや遅れ(期待値の50~79%): 111/140 = 79.3%", n(100), n(111), n(200), "やや遅れ",
         Role.SOME, years=Y3),
    Case("50", "やや遅れ: 70/140 = 50%", n(100), n(70), n(200), "やや遅れ", Role.SOME, years=Y3),
    Case("49", "遅れ(期待値の50%未満): 69/140", n(100), n(69), n(200), "遅れ", Role.WORSE,
         years=Y3),
    Case("lower-on-line", "lower is better: e = 50−20×2/5 = 42, v = 42", n(50, "%"), n(42, "%"),
         n(30, "%"), "順調", Role.FULL, years=Y3, direction=Direction.DECREASE),
    Case("lower-80", "e/v = 42/52.5 = 80%", n(50, "%"), n(52.5, "%"), n(30, "%"), "概ね順調",
         Role.HALF, years=Y3, direction=Direction.DECREASE),
    Case("lower-46", "e/v = 42/90 = 46.7% → 遅れ", n(50, "%"), n(90, "%"), n(30, "%"), "遅れ",
         Role.WORSE, years=Y3, direction=Direction.DECREASE),
    Case("every-year", "a 毎年 target is the year's expected value itself", n(100), n(200),
         parse_value("毎年200件"), "順調", Role.FULL, years=Y3),
    Case("final-year", "in the target year the expected value is the target", n(100), n(160),
         n(200), "概ね順調", Role.HALF, years=(2024, 2019, 2024), measure=0.8),
    Case("no-number", "no numeric target: not graded", n(100), n(160),
         parse_value("増加を目指します。"), "評価なし", Role.UNGRADED, years=Y3),
]


@pytest.mark.parametrize("case", PACE_CASES, ids=[c.id for c in PACE_CASES])
def test_pace(case: Case) -> None:
    check(PACE, case)


# --------------------------------------------------------------------------- four-stage
# Nagayo Town, 第9次総合計画 (数値目標の進捗状況):
#   https://webtown.nagayo.jp/kiji0032107/index.html
# 「S(…現在値が、目標値を超えている)・A(…基準値を超えている)・B(…基準値と同水準である
#   (△10%以内))・C(…基準値より下落している)・−(…把握できない等の理由により評価できない)」
# The same four stages as 健康日本21's final evaluation (A 目標値に達した, B 改善傾向,
# C 変わらない, D 悪化している). The preset's band is Nagayo's 10% of the baseline.
STAGES = preset("four-stage")
STAGE_CASES = [
    Case("S", "S:目標値を超えている → 達成", n(100, "人"), n(160, "人"), n(150, "人"), "達成",
         Role.FULL),
    Case("S-equal", "our decision: reaching the target (not only passing it) is 達成",
         n(100, "人"), n(150, "人"), n(150, "人"), "達成", Role.FULL),
    Case("A", "A:基準値を超えている (by more than the band) → 前進", n(100, "人"), n(120, "人"),
         n(150, "人"), "前進", Role.HALF),
    Case("B", "B:基準値と同水準(△10%以内): −5% → 横ばい", n(100, "人"), n(95, "人"),
         n(150, "人"), "横ばい", Role.NONE, in_reasons=("幅：基準値の10%（10）",)),
    Case("B-edge", "△10%以内 includes −10%", n(100, "人"), n(90, "人"), n(150, "人"), "横ばい",
         Role.NONE),
    Case("C", "C:基準値より下落している (beyond the band) → 後退", n(100, "人"), n(85, "人"),
         n(150, "人"), "後退", Role.WORSE),
    Case("unknown", "−:把握できない… → 不明", n(100, "人"), UNDETERMINED, n(150, "人"), "不明",
         Role.UNKNOWN),
    Case("symmetric", "our decision: the band holds on both sides (+5% is 横ばい too)",
         n(100, "人"), n(105, "人"), n(150, "人"), "横ばい", Role.NONE),
    Case("lower-better", "lower is better: 20% → 17% is 3 points down, beyond 2 (10% of 20)",
         n(20, "%"), n(17, "%"), n(10, "%"), "前進", Role.HALF, direction=Direction.DECREASE),
    Case("no-target", "no numeric target: the baseline alone decides", n(100, "人"),
         n(130, "人"), parse_value("増加を目指します。"), "前進", Role.HALF, direction=None),
]


@pytest.mark.parametrize("case", STAGE_CASES, ids=[c.id for c in STAGE_CASES])
def test_four_stage(case: Case) -> None:
    check(STAGES, case)


# Fukuoka City, ふくおかし保健福祉総合計画の進捗評価について (資料1-1):
#   https://www.city.fukuoka.lg.jp/data/open/cnt/3/67225/1/04_shiryou1-1.txt?20190510203454
# 「数値の変動幅が±3パーセント未満の場合は、「現状維持」の範囲内とする」: a band of 3 points
# (percentage points of a survey share), exclusive.
FUKUOKA = scheme_from_mapping({
    "name": "fukuoka-band", "kind": "stages", "band": 3, "band_unit": "ポイント",
    "band_inclusive": False,
    "grades": [{"label": "達成", "role": "full"}, {"label": "前進", "role": "half"},
               {"label": "現状維持", "role": "none"}, {"label": "後退", "role": "worse"}],
})
FUKUOKA_CASES = [
    Case("under-3", "±3パーセント未満 → 現状維持: +2.9 points", n(50, "%"), n(52.9, "%"),
         n(70, "%"), "現状維持", Role.NONE, in_reasons=("幅未満",)),
    Case("3", "3 points is not 未満 3: beyond the band → 前進", n(50, "%"), n(53, "%"),
         n(70, "%"), "前進", Role.HALF),
    Case("minus-3", "−3 points → 後退", n(50, "%"), n(47, "%"), n(70, "%"), "後退",
         Role.WORSE),
]


@pytest.mark.parametrize("case", FUKUOKA_CASES, ids=[c.id for c in FUKUOKA_CASES])
def test_points_band(case: Case) -> None:
    check(FUKUOKA, case)


# --------------------------------------------------------------------------- every scheme


def test_4_1_keeps_its_mid_target_mark_under_every_scheme() -> None:
    for name in preset_names():
        s = Settings(scheme=preset(name))
        for r in ROWS:
            if r["sheet"] != "4-1":
                continue
            kw = dict(baseline=parse_value(r["baseline"]), actual=parse_value(r["actual"]),
                      projection=parse_value(r["projection"]),
                      final=parse_value(r["final_target"]), mid=parse_value(r["mid_target"]),
                      direction=DIRECTION_BY_WORD[r["direction"]])
            a = judge("4-1", **kw)  # type: ignore[arg-type]
            b = judge("4-1", settings=s, **kw)  # type: ignore[arg-type]
            assert (b.trend, b.mark, b.role) == (a.trend, a.mark, a.role), (name, r["id"])
            assert b.role in ("reached", "missed", "unknown", "suspended")


def test_every_seed_row_gets_a_mark_of_its_scheme() -> None:
    for name in preset_names():
        scheme = Settings(scheme=preset(name)).active_scheme
        known = set(grade_order(scheme))
        for r in ROWS:
            got = judge(r["sheet"], baseline=parse_value(r["baseline"]),
                        actual=parse_value(r["actual"]), projection=parse_value(r["projection"]),
                        final=parse_value(r["final_target"]),
                        mid=parse_value(r["mid_target"]) if r["sheet"] == "4-1" else None,
                        direction=DIRECTION_BY_WORD[r["direction"]],
                        settings=Settings(scheme=preset(name)))
            assert got.mark in known, (name, r["id"], got.mark)
            assert role_of(scheme, got.mark, r["sheet"]) == Role(got.role), (name, r["id"])
            assert got.scheme == name


# Monotone: for every scheme, a better value never gets a worse grade.
ints = st.integers(min_value=-1000, max_value=1000)
numbers = ints.map(lambda x: n(float(x)))
bounded = st.builds(
    lambda x, side, inc: n(float(x), bound=Bound(side, inc, "以上")),
    ints, st.sampled_from(["min", "max"]), st.booleans())
targets = st.one_of(numbers, bounded, st.just(parse_value("増加を目指します。")),
                    st.just(parse_value("毎年100件")), st.just(NONE))
schemes = st.sampled_from([preset(name) for name in preset_names()] + [FUKUOKA, None])


@settings(max_examples=examples(600), deadline=None)
@given(v1=ints, v2=ints, b=st.one_of(numbers, st.just(NONE)), t=targets,
       direction=st.sampled_from([Direction.INCREASE, Direction.DECREASE, Direction.MAINTAIN]),
       scheme=schemes, fy=st.integers(min_value=2018, max_value=2026),
       on_actual=st.booleans())
def test_a_better_value_never_gets_a_worse_grade(v1: int, v2: int, b: Parsed, t: Parsed,
                                                 direction: Direction, scheme: Scheme | None,
                                                 fy: int, on_actual: bool) -> None:
    lo, hi = sorted((v1, v2))
    worse, better = (hi, lo) if direction is Direction.DECREASE else (lo, hi)
    s = Settings(scheme=scheme, fiscal_year=fy, baseline_year=2019, final_year=2024)
    active = s.active_scheme
    rank = {g.label: i for i, g in enumerate(active.grades)}

    def mark(v: int) -> str:
        value = n(float(v))
        return judge("4-2", baseline=b, actual=value if on_actual else NONE,
                     projection=NONE if on_actual else value, final=t, direction=direction,
                     settings=s).mark

    m_worse, m_better = mark(worse), mark(better)
    if m_worse in rank and m_better in rank:
        assert rank[m_better] <= rank[m_worse], (worse, better, m_worse, m_better)
    else:  # not graded or not known: for both values alike, never depending on v
        assert m_worse == m_better, (worse, better, m_worse, m_better)


@settings(max_examples=examples(300), deadline=None)
@given(b=st.one_of(numbers, st.just(NONE), st.just(UNDETERMINED)),
       v=st.one_of(numbers, st.just(NONE), st.just(UNDETERMINED), st.just(parse_value("未整備"))),
       t=st.one_of(targets, st.just(parse_value("基準値より5割減")),
                   st.just(parse_value("現状維持")), st.just(parse_value("120件以下"))),
       direction=st.one_of(st.none(), st.sampled_from(list(Direction))), scheme=schemes,
       sheet=st.sampled_from(["4-1", "4-2", "4-3"]))
def test_every_scheme_judges_without_raising(b: Parsed, v: Parsed, t: Parsed,
                                             direction: Direction | None,
                                             scheme: Scheme | None, sheet: str) -> None:
    s = Settings(scheme=scheme)
    j = judge(sheet, baseline=b, actual=NONE, projection=v, final=t, mid=t,
              direction=direction, settings=s)
    assert j.mark in grade_order(s.active_scheme)
    assert Role(j.role) is role_of(s.active_scheme, j.mark, sheet)
    assert j.reasons and len(j.reasons) == len(j.reason_codes)


# --------------------------------------------------------------------------- the table


def test_presets_ship_with_their_sources() -> None:
    assert preset_names() == ("progress", "achievement-abcd", "four-stage", "pace")
    assert [preset(name).kind for name in preset_names()] == [
        SchemeKind.PROGRESS, SchemeKind.ACHIEVEMENT, SchemeKind.STAGES, SchemeKind.PACE]
    for name in preset_names()[1:]:
        assert preset(name).source.startswith("http"), name
        assert preset(name).rule, name


def test_legends_and_columns() -> None:
    abcd = Settings(scheme=ABCD).active_scheme
    assert legend(abcd, sep=" ") == (
        "A：達成度110%以上 B：達成度80%以上110%未満 C：達成度50%以上80%未満 D：達成度50%未満")
    assert grade_order(abcd) == ("A", "B", "C", "D", "○", "×", "評価なし", "不明",
                                 "進捗管理の停止")
    # The 設定 sheet's global labels reach every scheme.
    custom = Settings(scheme=ABCD, labels=MarkLabels(unknown="？", reached="到達"))
    assert grade_order(custom.active_scheme)[-3:] == ("評価なし", "？", "進捗管理の停止")
    assert custom.active_scheme.reached == "到達"


def test_a_legend_without_words_is_made_from_the_thresholds() -> None:
    s = scheme_from_mapping({"name": "x", "kind": "achievement", "grades": [
        {"label": "A", "role": "full", "threshold": "100%"},
        {"label": "B", "role": "half", "threshold": 0.6, "inclusive": "超"},
        {"label": "C", "role": "worse"}]})
    assert legend(s, sep=" ") == "A：100%以上 B：60%超 C：60%以下"


def test_roles_and_colours() -> None:
    s = Settings(scheme=STAGES).active_scheme
    assert role_of(s, "達成") is Role.FULL and role_of(s, "後退") is Role.WORSE
    assert role_of(s, "○", "4-1") is Role.REACHED and role_of(s, "不明") is Role.UNKNOWN
    assert role_of(s, "その他") is None
    assert set(ROLE_COLOURS) == set(Role)
    assert {Role.FULL, Role.HALF, Role.REACHED} == ON_TRACK_ROLES


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "stages", "grades": [{"label": "a", "role": "full"}]}, "4つ"),
        ({"kind": "achievement", "grades": [{"label": "A", "role": "full", "threshold": 0.5},
                                            {"label": "B", "role": "half", "threshold": 0.8},
                                            {"label": "C", "role": "worse"}]}, "大きく"),
        ({"kind": "achievement", "grades": [{"label": "A", "role": "full"},
                                            {"label": "B", "role": "worse"}]}, "基準のない"),
        ({"kind": "pace", "grades": [{"label": "A", "role": "purple", "threshold": 1},
                                     {"label": "B", "role": "worse"}]}, "役割"),
        ({"kind": "speed", "grades": []}, "種類"),
        ({"kind": "achievement", "grades": [{"label": "A", "role": "full", "threshold": "x"},
                                            {"label": "B", "role": "worse"}]}, "基準"),
    ],
)
def test_a_table_of_the_wrong_shape_is_refused(data: dict[str, Any], message: str) -> None:
    with pytest.raises(SchemeError, match=message):
        scheme_from_mapping({"name": "x", **data})


def test_a_preset_file_reads_back() -> None:
    text = (Path(__file__).resolve().parents[1] / "xlplan" / "data" / "schemes"
            / "pace.toml").read_text(encoding="utf-8")
    assert scheme_from_toml(text) == PACE
    with pytest.raises(SchemeError):
        scheme_from_toml("name = ")
    with pytest.raises(SchemeError, match="ありません"):
        preset("abc")


# --------------------------------------------------------------------------- 設定 sheet


def _grid(settings: Settings, extra: list[list[object]] | None = None) -> list[list[object]]:
    rows: list[list[object]] = [["設定"], ["項目", "値", "説明"]]
    rows += [[i.label, setting_value(settings, i.field), i.help] for i in SETTING_ITEMS]
    rows.append([])
    return rows + (extra if extra is not None else scheme_rows(settings))


@pytest.mark.parametrize("name", ["achievement-abcd", "pace", "four-stage"])
def test_scheme_rows_read_back(name: str) -> None:
    s = Settings(scheme=preset(name))
    got, findings = settings_from_grid(_grid(s))
    assert findings == [] and got.scheme == preset(name)


def test_without_a_scheme_row_the_fy2020_scheme_applies() -> None:
    got, findings = settings_from_grid(_grid(Settings(), extra=[]))
    assert got.scheme is None and findings == []
    got, findings = settings_from_grid(_grid(Settings()))  # 判定方式 = progress
    assert got.scheme is None and findings == []


def test_edited_rows_change_the_scheme() -> None:
    grid = _grid(Settings(scheme=STAGES))
    rows = {r[0]: i for i, r in enumerate(grid) if r}
    grid[rows["判定方式：幅"]][1] = 3
    grid[rows["判定方式：幅の単位"]][1] = "ポイント"
    grid[rows["判定方式：幅の境界"]][1] = "未満"
    grid[rows["判定方式：区分3"]][1] = "現状維持"
    got, findings = settings_from_grid(grid)
    assert findings == []
    assert got.scheme is not None
    assert (got.scheme.band, got.scheme.band_unit.value, got.scheme.band_inclusive) == (
        3.0, "points", False)
    assert [g.label for g in got.scheme.grades] == ["達成", "前進", "現状維持", "後退"]


def test_thresholds_typed_as_percent_text() -> None:
    grid = _grid(Settings(scheme=ABCD))
    rows = {r[0]: i for i, r in enumerate(grid) if r}
    grid[rows["判定方式：区分1"]][2] = "120%"
    got, findings = settings_from_grid(grid)
    assert findings == [] and got.scheme is not None
    assert got.scheme.grades[0].threshold == pytest.approx(1.2)


@pytest.mark.parametrize(
    ("row", "col", "value", "code", "cell_col"),
    [
        ("判定方式", 1, "abc-scheme", "settings_scheme_unknown", "B"),
        ("判定方式：区分2", 2, "八割", "settings_scheme_value_invalid", "C"),
        ("判定方式：区分2", 4, "青", "settings_scheme_value_invalid", "E"),
        ("判定方式：区分2", 3, "以降", "settings_scheme_value_invalid", "D"),
        ("判定方式：種類", 1, "速度", "settings_scheme_value_invalid", "B"),
        ("判定方式：幅", 1, "十", "settings_scheme_value_invalid", "B"),
        ("判定方式：区分2", 2, 1.5, "settings_scheme_invalid", "A"),  # B above A
    ],
)
def test_unreadable_scheme_rows_are_findings_naming_the_cell(
        row: str, col: int, value: object, code: str, cell_col: str) -> None:
    grid = _grid(Settings(scheme=ABCD))
    rows = {r[0]: i for i, r in enumerate(grid) if r}
    grid[rows[row]][col] = value
    got, findings = settings_from_grid(grid)
    assert [f.code for f in findings] == [code]
    f = findings[0]
    first_grade = rows["判定方式：区分1"] + 1
    exp_row = first_grade if code == "settings_scheme_invalid" else rows[row] + 1
    assert f.cell == f"{cell_col}{exp_row}"
    assert f.message and f.fix
    # What cannot be read falls back: the preset, or the FY2020 scheme for a bad name.
    assert got.scheme == (None if code == "settings_scheme_unknown" else ABCD)


def test_detail_rows_under_progress_are_reported_unused() -> None:
    grid = _grid(Settings(), extra=[["判定方式", "progress"], ["判定方式：区分1", "◎", 1.2]])
    got, findings = settings_from_grid(grid)
    assert got.scheme is None
    assert [(f.code, f.level.value) for f in findings] == [
        ("settings_scheme_rows_unused", "warning")]


# --------------------------------------------------------------------------- CLI


def test_cli_schemes_lists_the_presets(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schemes"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == list(preset_names())
    assert "A：達成度110%以上" in lines[1]


def test_cli_judge_with_a_scheme(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["judge", "--sheet", "4-2", "--baseline", "90件", "--projection", "120件",
            "--final", "毎年100件", "--scheme", "achievement-abcd", "--json"]
    assert main(args) == 0
    got = json.loads(capsys.readouterr().out)
    assert (got["mark"], got["role"], got["scheme"]) == ("A", "full", "achievement-abcd")
    assert any(r.startswith("判定方式：達成度") for r in got["reasons"])  # names the rule
    assert got["measure"] == pytest.approx(1.2)


def test_cli_judge_without_a_scheme_prints_what_it_always_did(
        capsys: pytest.CaptureFixture[str]) -> None:
    args = ["judge", "--sheet", "4-3", "--baseline", "0回", "--projection", "1回",
            "--final", "2回", "--json"]
    assert main(args) == 0
    got = json.loads(capsys.readouterr().out)
    assert list(got) == ["trend", "mark", "progress", "basis", "direction",
                         "direction_inferred", "evaluated_value", "baseline_value",
                         "target_value", "reasons"]
    assert (got["trend"], got["mark"]) == ("↗", "○")


def test_cli_judge_with_an_unknown_scheme_exits_2() -> None:
    r = run_cli("judge", "--sheet", "4-2", "--baseline", "1", "--final", "2",
                "--scheme", "nope")
    assert r.returncode == 2 and "nope" in r.stderr


def test_cli_parse_json_has_the_new_fields(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "1,500 人以上", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["bound"] == {"side": "min", "inclusive": True, "word": "以上"}
    assert got == parse_value("1,500 人以上").as_json()


def test_reason_codes_cover_the_templates() -> None:
    """Every reason a judgement gives has a template; unused templates are a smell."""
    used: set[str] = set()
    for scheme in [None, ABCD, PACE, STAGES, FUKUOKA]:
        for c in PROGRESS + ACHIEVEMENT + PACE_CASES + STAGE_CASES + FUKUOKA_CASES:
            used.update(run(scheme, c).reason_codes)
            used.update(run(scheme, c, sheet="4-1").reason_codes)
            used.update(run(scheme, replace(c, direction=None)).reason_codes)
    for r in ROWS:
        for direction in (DIRECTION_BY_WORD[r["direction"]], None):
            got = judge(r["sheet"], baseline=parse_value(r["baseline"]),
                        actual=parse_value(r["actual"]), projection=parse_value(r["projection"]),
                        final=parse_value(r["final_target"]),
                        mid=parse_value(r["mid_target"]) if r["sheet"] == "4-1" else None,
                        direction=direction)
            used.update(got.reason_codes)
    for k in RULE_CASES:  # the FY2020 rules' own table (tests/test_marks_rules.py)
        used.update(judge(k.sheet, baseline=k.baseline, actual=k.actual, projection=k.projection,
                          final=k.final, mid=k.mid, direction=k.direction,
                          settings=k.settings).reason_codes)
    # why_* are fragments inside untargeted_* sentences, not sentences of their own.
    assert {k for k in REASONS if not k.startswith("why_")} - used == set()


# --------------------------------------------------------------------------- integration


@settings(max_examples=examples(100), deadline=None)
@given(full=st.sampled_from([1.0, 0.9, 1.2]), half=st.sampled_from([0.5, 0.3, 0.6, 0.25]),
       labels=st.sampled_from([MarkLabels(), MarkLabels(full="達成", half="良", some="可",
                                                        none="同", worse="減", reached="到",
                                                        missed="未", unknown="？")]))
def test_the_helpers_reproduce_todays_report_writers(full: float, half: float,
                                                     labels: MarkLabels) -> None:
    """For the FY2020 scheme, the scheme helpers give what xlplan/core/report.py prints
    today (its legend and its 集計 columns), so the writers can switch to them."""
    from xlplan.core.report import legend as report_legend
    from xlplan.core.report import mark_order

    s = Settings(threshold_full=full, threshold_half=half, labels=labels)
    assert legend(s.active_scheme) == report_legend(s)
    assert legend(s.active_scheme, sep="\n") == report_legend(s, sep="\n")
    assert grade_order(s.active_scheme) == mark_order(s)
