"""Each rule of docs/rules.md "Deciding the arrow and the mark", one table row per case.

Values are built by hand (not parsed) so that these tests pin the engine alone; the seed
tests run the same engine over the real parser. Every case says why it expects what it
expects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from xlplan.core.marks import infer_direction, judge
from xlplan.core.settings import Basis, Direction, MarkLabels, Settings
from xlplan.core.values import Parsed, Part, Status

# --------------------------------------------------------------------------- builders


def n(value: float, unit: str | None = None, **kw: object) -> Parsed:
    """A plain number as the parser gives it."""
    shown = f"{value:g}{unit or ''}"
    return Parsed(text=shown, value=value, unit=unit, **kw)  # type: ignore[arg-type]


def frac(num: float, den: float) -> Parsed:
    return Parsed(text=f"{num:g}/{den:g}", value=num, denominator=den)


def q(words: str, intent: str | None = None) -> Parsed:
    """A word, not a number: 未整備, 全施設公開, 増加を目指します。"""
    return Parsed(text=words, status=Status.QUALITATIVE, words=words, intent=intent)


def counts(*items: tuple[float, str]) -> Parsed:
    """県、52市町村、1林業事業体: labelled counts, no headline."""
    text = "、".join(f"{v:g}{u}" for v, u in items)
    return Parsed(text=text, parts=tuple(Part(v, u) for v, u in items))


NONE = Parsed(text="－", status=Status.NONE)
UNDETERMINED = Parsed(text="算出不可", status=Status.UNDETERMINED)
SUSPENDED = Parsed(text="進捗管理を停止している", status=Status.SUSPENDED)
INCREASE_WORDS = q("増加を目指します", intent="increase")
DECREASE_WORDS = q("減少を目指します", intent="decrease")


@dataclass(frozen=True)
class Case:
    id: str
    why: str
    sheet: str
    baseline: Parsed
    final: Parsed
    projection: Parsed = NONE
    actual: Parsed = NONE
    mid: Parsed | None = None
    direction: Direction | None = Direction.INCREASE
    settings: Settings = field(default_factory=Settings)
    trend: str = ""
    mark: str = ""
    progress: float | None = None  # checked when not None
    flags: tuple[str, ...] = ()  # each must be present
    no_flags: tuple[str, ...] = ()  # each must be absent
    in_reasons: tuple[str, ...] = ()  # substrings of the joined reasons


CASES: list[Case] = [
    # ---- rule 4: the progress rate and its boundaries (4-2/4-3) ----
    Case(
        "half_exact",
        "情報交換の場 0→1 against 2 is exactly 50%: inclusive, so ○",
        "4-3",
        n(0, "回"),
        n(2, "回"),
        projection=n(1, "回"),
        trend="↗",
        mark="○",
        progress=0.5,
        in_reasons=("進捗率 r = (v−b)/(t−b)", "= 50%", "50%以上100%未満のため○"),
    ),
    Case(
        "full_exact",
        "ふさの国 38,382→70,000 against 70,000 is exactly 100%: inclusive, so ◎",
        "4-2",
        n(38382, "件"),
        n(70000, "件"),
        projection=n(70000, "件"),
        trend="↗",
        mark="◎",
        progress=1.0,
        in_reasons=("100%以上のため◎",),
    ),
    Case(
        "over_full",
        "健康情報ナビ 2,069→7,030 against 3,000 overshoots: ◎",
        "4-2",
        n(2069, "件"),
        n(3000, "件"),
        projection=n(7030, "件"),
        trend="↗",
        mark="◎",
    ),
    Case(
        "just_below_half",
        "49% is below the half threshold: △",
        "4-2",
        n(0, "件"),
        n(100, "件"),
        projection=n(49, "件"),
        trend="↗",
        mark="△",
        progress=0.49,
        in_reasons=("50%未満のため△",),
    ),
    Case(
        "just_below_full",
        "99% is below the full threshold: ○",
        "4-2",
        n(0, "件"),
        n(100, "件"),
        projection=n(99, "件"),
        trend="↗",
        mark="○",
    ),
    Case(
        "custom_half_threshold",
        "with threshold_half=0.6 the exact 50% case drops to △: thresholds come from Settings",
        "4-3",
        n(0, "回"),
        n(2, "回"),
        projection=n(1, "回"),
        settings=Settings(threshold_half=0.6),
        trend="↗",
        mark="△",
        in_reasons=("60%未満のため△",),
    ),
    Case(
        "custom_half_threshold_inclusive",
        "with threshold_half=0.6, exactly 60% is ○",
        "4-2",
        n(0, "件"),
        n(5, "件"),
        projection=n(3, "件"),
        settings=Settings(threshold_half=0.6),
        mark="○",
        in_reasons=("60%以上100%未満のため○",),
    ),
    Case(
        "custom_full_threshold",
        "with threshold_full=0.8, 80% is already ◎",
        "4-2",
        n(0, "件"),
        n(5, "件"),
        projection=n(4, "件"),
        settings=Settings(threshold_full=0.8),
        mark="◎",
    ),
    Case(
        "worse_is_cross",
        "ちばりすネット 7,090→6,900 against 9,000: r < 0, ×",
        "4-2",
        n(7090, "件"),
        n(9000, "件"),
        projection=n(6900, "件"),
        trend="↘",
        mark="×",
    ),
    Case(
        "no_change_is_dash",
        "データ活用事例 2→2 against 3: v equals b, ー",
        "4-3",
        n(2, "件"),
        n(3, "件"),
        projection=n(2, "件"),
        trend="→",
        mark="－",
    ),
    Case(
        "no_change_beats_target_equal",
        "共同研究 2→2 against 2: v equals b wins over t equals b, ー",
        "4-3",
        n(2, "回"),
        n(2, "回"),
        projection=n(2, "回"),
        trend="→",
        mark="－",
    ),
    Case(
        "target_equals_baseline_worse",
        "オープンデータセミナー 4→2 against 4: t equals b and v is worse, ×",
        "4-2",
        n(4, "回"),
        n(4, "回"),
        projection=n(2, "回"),
        trend="↘",
        mark="×",
        in_reasons=("目標が基準値と同じ",),
    ),
    Case(
        "target_equals_baseline_better",
        "t equals b and v is better: ◎",
        "4-2",
        n(4, "回"),
        n(4, "回"),
        projection=n(5, "回"),
        trend="↗",
        mark="◎",
    ),
    # ---- qualitative targets and values ----
    Case(
        "qualitative_target_better",
        "有害鳥獣 3→6 against 増加を目指します: better, ◎",
        "4-2",
        n(3, "市町"),
        INCREASE_WORDS,
        projection=n(6, "市町"),
        trend="↗",
        mark="◎",
    ),
    Case(
        "qualitative_target_worse",
        "ちば医療なび 65,667→40,267件/月 (actual) against 増加を目指します: (↘) ×",
        "4-2",
        n(65667, "件/月", per="月"),
        INCREASE_WORDS,
        actual=n(40267, "件/月", per="月"),
        trend="(↘)",
        mark="×",
    ),
    Case(
        "qualitative_target_no_change",
        "電子申請 21→21 against 増加を目指します: →, ー",
        "4-2",
        n(21, "団体"),
        INCREASE_WORDS,
        projection=n(21, "団体"),
        trend="→",
        mark="－",
    ),
    Case(
        "text_value_equals_text_target",
        "県有施設 0件 → 全施設公開 against 全施設公開: the target's words reached, ↗ ◎",
        "4-2",
        n(0, "件"),
        q("全施設公開"),
        projection=q("全施設公開"),
        actual=n(0, "件"),
        trend="↗",
        mark="◎",
        progress=1.0,
    ),
    Case(
        "state_word_unchanged",
        "ニーズ把握 未整備 → 未整備 against 相談窓口等の設置: a state word is a value, →, ー",
        "4-3",
        q("未整備"),
        q("相談窓口等の設置"),
        projection=q("未整備"),
        actual=q("未整備"),
        trend="→",
        mark="－",
    ),
    Case(
        "state_word_changed_not_target",
        "未整備 → 検討中 against 相談窓口等の設置: words cannot be ranked, 不明 for a person",
        "4-3",
        q("未整備"),
        q("相談窓口等の設置"),
        projection=q("検討中"),
        trend="不明",
        mark="不明",
        flags=("qualitative_change",),
    ),
    # ---- rule 1: the evaluated value ----
    Case(
        "projection_undetermined_uses_actual",
        "テレワーク: 算出不可 projection, so the actual is used and the arrow is bracketed",
        "4-1",
        n(25, "人"),
        n(280, "人"),
        projection=UNDETERMINED,
        actual=n(65791, "人"),
        mid=n(140, "人"),
        trend="(↗)",
        mark="○",
        in_reasons=("実績値",),
    ),
    Case(
        "neither_projection_nor_actual",
        "算出不可 projection and － actual: nothing to judge, 不明/不明",
        "4-2",
        n(0, "時間"),
        n(6000, "時間"),
        projection=UNDETERMINED,
        actual=NONE,
        trend="不明",
        mark="不明",
    ),
    Case(
        "projection_suspended",
        "進捗管理を停止している in the projection: both marks 進捗管理の停止",
        "4-2",
        n(98, "手続"),
        n(150, "手続"),
        projection=SUSPENDED,
        actual=n(100, "手続"),
        trend="進捗管理の停止",
        mark="進捗管理の停止",
    ),
    Case(
        "actual_suspended",
        "電子化済みの手続数: 進捗管理を停止している in the actual, － projection",
        "4-1",
        n(98, "手続"),
        n(150, "手続"),
        actual=SUSPENDED,
        mid=n(130, "手続"),
        trend="進捗管理の停止",
        mark="進捗管理の停止",
    ),
    Case(
        "new_initiative_baseline_counts_as_zero",
        "WEB会議: baseline － is 0, so 44,472人 is better",
        "4-2",
        NONE,
        n(1000, "人"),
        projection=n(44472, "人"),
        trend="↗",
        mark="◎",
        in_reasons=("基準値：0",),
    ),
    # ---- rule 2/3: direction ----
    Case(
        "decrease_worse",
        "分娩間隔 449→464日 against 419日, lower is better: ↘ ×",
        "4-2",
        n(449, "日"),
        n(419, "日"),
        projection=n(464, "日"),
        direction=Direction.DECREASE,
        trend="↘",
        mark="×",
    ),
    Case(
        "decrease_better_half",
        "100→90 against 80, lower is better: the same formula gives r = 0.5, ○",
        "4-2",
        n(100, "日"),
        n(80, "日"),
        projection=n(90, "日"),
        direction=Direction.DECREASE,
        trend="↗",
        mark="○",
        progress=0.5,
    ),
    Case(
        "decrease_paper_actual",
        "用紙使用量 went up 405,823→425,072千枚: printed (↘) ×",
        "4-2",
        n(405823000, "枚"),
        n(365241000, "枚"),
        actual=n(425072000, "枚"),
        direction=Direction.DECREASE,
        trend="(↘)",
        mark="×",
    ),
    Case(
        "decrease_target_equals_baseline_better",
        "lower is better, t equals b, v lower: ◎",
        "4-2",
        n(10, "%"),
        n(10, "%"),
        projection=n(8, "%"),
        direction=Direction.DECREASE,
        trend="↗",
        mark="◎",
    ),
    Case(
        "target_on_wrong_side",
        "増加 given, but the target is below the baseline: judged on better/worse and flagged",
        "4-2",
        n(10, "件"),
        n(5, "件"),
        projection=n(12, "件"),
        direction=Direction.INCREASE,
        trend="↗",
        mark="◎",
        flags=("target_conflicts_direction",),
    ),
    Case(
        "maintain_kept",
        "維持 100% → 100% against 100%: the level is kept, → ◎",
        "4-2",
        n(100, "%"),
        n(100, "%"),
        projection=n(100, "%"),
        direction=Direction.MAINTAIN,
        trend="→",
        mark="◎",
    ),
    Case(
        "maintain_dropped",
        "維持 100% → 98% against 100%: below the level, ↘ ×",
        "4-2",
        n(100, "%"),
        n(100, "%"),
        projection=n(98, "%"),
        direction=Direction.MAINTAIN,
        trend="↘",
        mark="×",
    ),
    Case(
        "maintain_41",
        "維持 on 4-1: at or above the mid level is ○",
        "4-1",
        n(95, "%"),
        n(95, "%"),
        projection=n(95, "%"),
        mid=n(95, "%"),
        direction=Direction.MAINTAIN,
        trend="→",
        mark="○",
    ),
    Case(
        "inferred_decrease",
        "direction blank, target below baseline: 減少 inferred and said",
        "4-2",
        n(449, "日"),
        n(419, "日"),
        projection=n(430, "日"),
        direction=None,
        trend="↗",
        mark="○",
        in_reasons=("目標が基準値を下回ることから「減少」と推定しました",),
    ),
    Case(
        "inferred_from_intent",
        "direction blank, target 減少を目指します: 減少 inferred from the words",
        "4-2",
        n(20, "%"),
        DECREASE_WORDS,
        projection=n(18, "%"),
        direction=None,
        trend="↗",
        mark="◎",
        in_reasons=("「減少」と推定しました",),
    ),
    # ---- rule 5: 4-1 中間目標到達 ----
    Case(
        "41_reached",
        "ICT業務効率化 0→5 against mid 3: ○",
        "4-1",
        n(0, "件"),
        n(5, "件"),
        projection=n(5, "件"),
        mid=n(3, "件"),
        trend="↗",
        mark="○",
    ),
    Case(
        "41_exactly_mid",
        "児童相談所 0→1 against mid 1: at the mid target is reached, ○",
        "4-1",
        n(0, "件"),
        n(8, "件"),
        projection=n(1, "件"),
        mid=n(1, "件"),
        trend="↗",
        mark="○",
        progress=0.125,
    ),
    Case(
        "41_missed",
        "離職者訓練 71.8%→60.6% against mid 75%: (↘) ×",
        "4-1",
        n(71.8, "%"),
        n(75, "%"),
        actual=n(60.6, "%"),
        mid=n(75, "%"),
        trend="(↘)",
        mark="×",
    ),
    Case(
        "41_improved_but_missed",
        "RPA 0→約2,500時間 against mid 3,000時間: better but not reached, ↗ ×",
        "4-1",
        n(0, "時間"),
        n(6000, "時間"),
        projection=n(2500, "時間", approx=True),
        actual=UNDETERMINED,
        mid=n(3000, "時間"),
        trend="↗",
        mark="×",
    ),
    Case(
        "41_qualitative_mid_better",
        "特別非常勤講師 9→14名 against 増加を目指します: better than b, (↗) ○",
        "4-1",
        n(9, "名"),
        INCREASE_WORDS,
        actual=n(14, "名"),
        mid=INCREASE_WORDS,
        trend="(↗)",
        mark="○",
    ),
    Case(
        "41_qualitative_mid_worse",
        "教員 25→22名 against 増加を目指します: worse than b, (↘) ×",
        "4-1",
        n(25, "名"),
        INCREASE_WORDS,
        actual=n(22, "名"),
        mid=INCREASE_WORDS,
        trend="(↘)",
        mark="×",
    ),
    Case(
        "41_qualitative_mid_equal",
        "equal to b against 増加を目指します: not better, so ×",
        "4-1",
        n(9, "名"),
        INCREASE_WORDS,
        actual=n(9, "名"),
        mid=INCREASE_WORDS,
        trend="(→)",
        mark="×",
    ),
    Case(
        "41_number_with_note_mid",
        "産総研 1校→1校 against mid '1校 内容の充実に努めます' (a number with a note): "
        "at the mid target, (→) ○ (the printed ↘/× is a manual judgement)",
        "4-1",
        n(1, "校"),
        n(1, "校", note="内容の充実に努めます"),
        actual=n(1, "校"),
        mid=n(1, "校", note="内容の充実に努めます"),
        trend="(→)",
        mark="○",
    ),
    Case(
        "41_mid_missing",
        "4-1 without a mid target: judged against the final target and flagged",
        "4-1",
        n(0, "件"),
        n(5, "件"),
        projection=n(5, "件"),
        mid=NONE,
        mark="○",
        flags=("mid_missing",),
    ),
    Case(
        "41_decrease_reached",
        "lower is better on 4-1: at or below the mid target is ○",
        "4-1",
        n(20, "%"),
        n(10, "%"),
        projection=n(14, "%"),
        mid=n(15, "%"),
        direction=Direction.DECREASE,
        trend="↗",
        mark="○",
    ),
    # ---- rule 6/7: several parts, fractions, labelled counts ----
    Case(
        "part_matching_target_unit",
        "WEB会議 actual 主催6,576回 延べ参加人数36,503人 against 500人: the 人 part is compared",
        "4-1",
        NONE,
        n(1000, "人"),
        actual=Parsed(
            text="主催6,576回 延べ参加人数36,503人",
            value=6576,
            unit="回",
            parts=(Part(6576, "回", "主催"), Part(36503, "人", "延べ参加人数")),
        ),
        mid=n(500, "人"),
        trend="(↗)",
        mark="○",
        in_reasons=("36,503人（延べ参加人数）",),
        no_flags=("units_differ",),
    ),
    Case(
        "total_part_wins",
        "when several parts match the target's unit, the 計 part is compared",
        "4-2",
        n(0, "人"),
        n(100000, "人"),
        projection=Parsed(
            text="開催3回 4～5月：57,891人 6～12月：7,900人 4～12月計：65,791人",
            value=3,
            unit="回",
            parts=(
                Part(3, "回", "開催"),
                Part(57891, "人", "4～5月"),
                Part(7900, "人", "6～12月"),
                Part(65791, "人", "4～12月計", is_total=True),
            ),
        ),
        mark="○",
        in_reasons=("65,791人",),
    ),
    Case(
        "fractions_compare_as_ratios",
        "電子決裁 59/465 → 209/447 against 447/447: 0.127 → 0.468 of 1, (↗) △",
        "4-2",
        frac(59, 465),
        frac(447, 447),
        actual=frac(209, 447),
        trend="(↗)",
        mark="△",
        in_reasons=("209/447（46.8%）",),
    ),
    Case(
        "fraction_against_percent",
        "a fraction against a percentage target compares as a percentage: 50/100 of 60%",
        "4-2",
        n(0, "%"),
        n(60, "%"),
        projection=frac(30, 100),
        mark="○",
        progress=0.5,
        no_flags=("units_differ",),
    ),
    Case(
        "labelled_counts",
        "森林クラウド 県、52市町村 → +1林業事業体 against 13林業事業体: 0→1 of 13, ↗ △",
        "4-2",
        counts((1, "県"), (52, "市町村")),
        counts((1, "県"), (52, "市町村"), (13, "林業事業体")),
        projection=counts((1, "県"), (52, "市町村"), (1, "林業事業体")),
        actual=counts((1, "県"), (52, "市町村")),
        trend="↗",
        mark="△",
        in_reasons=("林業事業体 1",),
    ),
    # ---- units ----
    Case(
        "yearly_rate_against_count",
        "共通語彙基盤 0件/年 → 5件 against 5件/年: a yearly rate is a count, (↗) ◎, no unit finding",
        "4-2",
        n(0, "件/年", per="年"),
        n(5, "件/年", per="年"),
        actual=n(5, "件"),
        trend="(↗)",
        mark="◎",
        no_flags=("units_differ",),
    ),
    Case(
        "monthly_rate_against_count",
        "件/月 against 件 is not the same measure: computed anyway (r = 73.7%, ○) and flagged",
        "4-2",
        n(100, "件/月", per="月"),
        n(2000, "件"),
        projection=n(1500, "件"),
        mark="○",
        flags=("units_differ",),
    ),
    Case(
        "units_differ_still_compared",
        "ICT等 418戸 → 550件 against 577戸: compared as numbers, r = 0.83 ○, flagged",
        "4-2",
        n(418, "戸"),
        n(577, "戸"),
        projection=n(550, "件"),
        trend="↗",
        mark="○",
        flags=("units_differ",),
        in_reasons=("単位が異なります",),
    ),
    Case(
        "units_differ_no_change",
        "半島振興 0件 → 0回 against 1件: equal numbers, ー, unit finding",
        "4-2",
        n(0, "件"),
        n(1, "件"),
        projection=n(0, "回"),
        actual=n(0, "件"),
        trend="→",
        mark="－",
        flags=("units_differ",),
    ),
    Case(
        "person_alias",
        "名 and 人 count the same thing: no unit finding",
        "4-2",
        n(10, "名"),
        n(20, "人"),
        projection=n(15, "名"),
        mark="○",
        no_flags=("units_differ",),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule(case: Case) -> None:
    got = judge(
        case.sheet,
        baseline=case.baseline,
        actual=case.actual,
        projection=case.projection,
        final=case.final,
        mid=case.mid,
        direction=case.direction,
        settings=case.settings,
    )
    why = f"{case.why}\n  reasons: {got.explanation}"
    if case.trend:
        assert got.trend == case.trend, why
    if case.mark:
        assert got.mark == case.mark, why
    if case.progress is not None:
        assert got.progress == pytest.approx(case.progress), why
    for flag in case.flags:
        assert flag in got.flags, why
    for flag in case.no_flags:
        assert flag not in got.flags, why
    for text in case.in_reasons:
        assert text in got.explanation, why


# --------------------------------------------------------------------------- direction


def test_explicit_direction_is_not_inferred() -> None:
    got = judge(
        "4-2",
        baseline=n(449, "日"),
        actual=NONE,
        projection=n(464, "日"),
        final=n(419, "日"),
        direction=Direction.DECREASE,
    )
    assert got.direction is Direction.DECREASE
    assert got.direction_inferred is False
    assert "推定" not in got.explanation


def test_inferred_direction_is_reported() -> None:
    got = judge(
        "4-2",
        baseline=n(405823000, "枚"),
        actual=n(425072000, "枚"),
        projection=NONE,
        final=n(365241000, "枚"),
    )
    assert got.direction is Direction.DECREASE
    assert got.direction_inferred is True
    assert "「減少」と推定しました" in got.explanation
    assert (got.trend, got.mark) == ("(↘)", "×")


def test_explicit_direction_overrides_inference() -> None:
    """Explicit 増加 with a target below the baseline is taken as given, not re-inferred."""
    got = judge(
        "4-2",
        baseline=n(10, "件"),
        actual=NONE,
        projection=n(12, "件"),
        final=n(5, "件"),
        direction=Direction.INCREASE,
    )
    assert got.direction is Direction.INCREASE
    assert got.trend == "↗"


@pytest.mark.parametrize(
    ("baseline", "final", "mid", "exp", "why"),
    [
        (n(449, "日"), n(419, "日"), None, Direction.DECREASE, "target below baseline"),
        (n(0, "件"), n(5, "件"), None, Direction.INCREASE, "target above baseline"),
        (NONE, n(1000, "人"), None, Direction.INCREASE, "new initiative: － is 0"),
        (n(20, "%"), DECREASE_WORDS, None, Direction.DECREASE, "減少を目指します"),
        (n(20, "%"), INCREASE_WORDS, None, Direction.INCREASE, "増加を目指します"),
        (n(4, "回"), n(4, "回"), None, None, "target equals baseline: nothing tells"),
        (q("未整備"), q("相談窓口等の設置"), None, None, "words: nothing tells"),
        (n(10, "件"), NONE, n(8, "件"), Direction.DECREASE, "final missing: the mid target"),
        (frac(59, 465), frac(447, 447), None, Direction.INCREASE, "fractions as ratios"),
    ],
)
def test_infer_direction(
    baseline: Parsed, final: Parsed, mid: Parsed | None, exp: Direction | None, why: str
) -> None:
    assert infer_direction(baseline, final, mid) is exp, why


def test_no_direction_information_assumes_increase() -> None:
    got = judge(
        "4-2",
        baseline=n(4, "回"),
        actual=NONE,
        projection=n(5, "回"),
        final=n(4, "回"),
    )
    assert got.direction is Direction.INCREASE
    assert got.direction_inferred is True
    assert "「増加」とみなしました" in got.explanation


# --------------------------------------------------------------------------- labels


CUSTOM = MarkLabels(
    full="S",
    half="A",
    some="B",
    none="N",
    worse="W",
    reached="Y",
    missed="X",
    unknown="?",
    suspended="STOP",
    up="UP",
    down="DOWN",
    flat="FLAT",
)


@pytest.mark.parametrize(
    ("sheet", "b", "p", "a", "t", "m", "exp", "why"),
    [
        ("4-2", n(0), n(5), NONE, n(5), None, ("UP", "S"), "◎ and ↗ come from the labels"),
        ("4-2", n(0), n(3), NONE, n(5), None, ("UP", "A"), "○"),
        ("4-2", n(0), n(1), NONE, n(5), None, ("UP", "B"), "△"),
        ("4-2", n(2), n(2), NONE, n(5), None, ("FLAT", "N"), "ー and →"),
        ("4-2", n(2), NONE, n(1), n(5), None, ("(DOWN)", "W"), "× and a bracketed ↘"),
        ("4-1", n(0), n(5), NONE, n(9), n(3), ("UP", "Y"), "4-1 reached"),
        ("4-1", n(0), n(1), NONE, n(9), n(3), ("UP", "X"), "4-1 missed"),
        ("4-2", n(0), UNDETERMINED, NONE, n(5), None, ("?", "?"), "不明"),
        ("4-2", n(0), SUSPENDED, NONE, n(5), None, ("STOP", "STOP"), "進捗管理の停止"),
    ],
)
def test_labels_come_from_settings(
    sheet: str,
    b: Parsed,
    p: Parsed,
    a: Parsed,
    t: Parsed,
    m: Parsed | None,
    exp: tuple[str, str],
    why: str,
) -> None:
    got = judge(
        sheet,
        baseline=b,
        actual=a,
        projection=p,
        final=t,
        mid=m,
        direction=Direction.INCREASE,
        settings=Settings(labels=CUSTOM),
    )
    assert (got.trend, got.mark) == exp, why


# --------------------------------------------------------------------------- the result


def test_judgement_reports_values_used() -> None:
    v = Parsed(
        text="延べ参加人数\n44,472人",
        value=44472,
        unit="人",
        parts=(Part(44472, "人", "延べ参加人数"),),
    )
    got = judge(
        "4-1",
        baseline=NONE,
        actual=NONE,
        projection=v,
        final=n(1000, "人"),
        mid=n(500, "人"),
        direction=Direction.INCREASE,
    )
    assert got.basis is Basis.PROJECTION
    assert got.evaluated is v
    assert got.evaluated_value == 44472
    assert got.evaluated_unit == "人"
    assert got.baseline_value == 0
    assert got.target_value == 500  # 4-1 compares against the mid target
    assert got.progress == pytest.approx(44.472)  # against the final target, for reference
    assert "評価値：見込値 44,472人（延べ参加人数）" in got.reasons
    assert "中間目標：500人" in got.reasons


def test_unknown_has_no_basis() -> None:
    got = judge(
        "4-2",
        baseline=n(1),
        actual=NONE,
        projection=NONE,
        final=n(2),
        direction=Direction.INCREASE,
    )
    assert got.basis is None
    assert got.evaluated is None
    assert got.progress is None


def test_float_noise_does_not_break_equality() -> None:
    """30% typed as 3/10 against a 30% baseline is 'no change', not a 4e-15 improvement."""
    got = judge(
        "4-2",
        baseline=n(30, "%"),
        actual=NONE,
        projection=frac(3, 10),
        final=n(60, "%"),
        direction=Direction.INCREASE,
    )
    assert (got.trend, got.mark) == ("→", "－")
