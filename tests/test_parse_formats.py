"""Value formats other governments type (issue 11, Part A), one table per category.

The seed table (``test_parse_table.py``) pins the FY2020 cells; this one pins what
KPI progress reports of other prefectures and municipalities write. The first cases of
each category are the issue's examples; the rest are shapes of the same category as
such reports print them, so that the category works and not just its examples. Every
expectation was written from the category's rule (``docs/rules.md``), not by running
the parser, and says why.

Each case names only the fields that matter for it; ``value``/``unit`` are always
checked (None when not named), and ``status`` is None unless named.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from xlplan.core.parse import excel_serial_date, number_format_kind, parse_value
from xlplan.core.values import Parsed, PeriodKind, Status, ValueRole


@dataclass(frozen=True)
class C:
    text: str
    why: str
    exp: dict[str, Any]


def got_field(p: Parsed, key: str) -> Any:
    if key == "warnings":
        return p.warning_codes
    if key == "period":
        return (p.period.kind, p.period.years) if p.period else None
    if key == "bound":
        return (p.bound.side, p.bound.inclusive) if p.bound else None
    if key == "relative":
        r = p.relative
        return (round(r.factor, 9), r.offset, r.intent) if r else None
    if key == "relative_bound":
        r = p.relative
        return (r.bound.side, r.bound.inclusive) if r and r.bound else None
    if key == "reference_year":
        return p.relative.reference_year if p.relative else None
    if key == "part_values":
        return tuple(part.value for part in p.parts)
    return getattr(p, key)


def check(case: C) -> None:
    p = parse_value(case.text)
    exp = {"value": None, "unit": None, "status": None, **case.exp}
    diff = {k: (got_field(p, k), v) for k, v in exp.items() if got_field(p, k) != v}
    assert not diff, f"{case.text!r} ({case.why}): field: (got, exp) {diff}"


def table(name: str, cases: list[C]) -> list[Any]:
    return [pytest.param(c, id=f"{name}-{i:02d}-{c.text[:14]}".replace("\n", " "))
            for i, c in enumerate(cases)]


def N(value: float, unit: str | None = None, **kw: Any) -> dict[str, Any]:
    return {"value": value, "unit": unit, **kw}


def FY(y: int) -> dict[str, Any]:
    return {"as_of": date(y + 1, 3, 31), "period_start": date(y, 4, 1)}


# --------------------------------------------------------------------------- 1 scales
# A multiplier after a space or inside the unit: the value in the base unit, the unit as
# written (with its scale) in unit_text, value / unit_scale is the number shown.
SCALES = [
    C("412 万回", "万 after a space: 412 × 10,000 回",
      N(4_120_000, "回", unit_text="万回", unit_scale=10_000)),
    C("3,120 千人", "千 after a space",
      N(3_120_000, "人", unit_text="千人", unit_scale=1_000)),
    C("27.5 万人", "a decimal with 万 after a space",
      N(275_000, "人", unit_text="万人", unit_scale=10_000)),
    C("2,480百万円", "百万 is 百 × 万: scale characters run together multiply",
      N(2_480_000_000, "円", unit_text="百万円", unit_scale=1_000_000)),
    C("7,500千円", "千円 like 千枚 in the seed", N(7_500_000, "円", unit_text="千円")),
    C("2億4,350万円", "億 and 万 groups add up; the unit as written is the last group's",
      N(243_500_000, "円", unit_text="万円", unit_scale=10_000)),
    C("850百万円", "百万円 without a comma", N(850_000_000, "円", unit_text="百万円")),
    C("2.5 億円", "億 after a space", N(250_000_000, "円", unit_text="億円")),
    C("1 千万円", "千万 after a space", N(10_000_000, "円", unit_scale=10_000_000)),
    C("約1.2万件（年間）", "約 and 万, with a period note",
      N(12_000, "件", approx=True, unit_text="万件")),
    C("5万 人", "the unit after a space following the scale", N(50_000, "人")),
    C("満足度7割", "割 is a scaled percent: 7割 = 70 %, as written 割",
      N(70, "%", label="満足度", unit_text="割", unit_scale=10)),
    C("25件", "no scale: unit_text is the unit, scale 1",
      N(25, "件", unit_text="件", unit_scale=1.0)),
    C("25千葉県", "千葉 is a place, not 千: never a scale", N(25, "千葉県")),
]

# --------------------------------------------------------------------------- 2 labels
# The number inside a label or a numbering is not the value; it stays in the label.
LABELS = [
    C("指標3_相談件数:1,200件/年", "指標3_ numbers the label; 1,200件/年 is the value",
      N(1200, "件/年", per="年", label="指標3_相談件数")),
    C("[講座数]21", "a bracketed label before the number", N(21, label="講座数")),
    C("①利用件数 420件", "a circled number is numbering (NFKC would make it 1)",
      N(420, "件", label="①利用件数")),
    C("目標1：満足度 80%", "目標1: numbers the label; 80% is the value",
      N(80, "%", label="目標1:満足度")),
    C("②延べ利用者数 3,500人", "circled numbering before a person-times label",
      N(3500, "人", person_times=True, label="②延べ利用者数")),
    C("指標1 120件", "a number glued to a word, then the value after a space",
      N(120, "件", label="指標1")),
    C("1.相談件数 120件", "1. opening the line is numbering", N(120, "件", label="1.相談件数")),
    C("No.2 参加者数 45人", "No.2: a digit after a dot is never a value",
      N(45, "人", label="No.2 参加者数")),
    C("KPI2:開催回数 6回", "KPI2: a digit after letters is never a value",
      N(6, "回", label="KPI2:開催回数")),
    C("（1）相談件数 120件", "a bracketed number before the label is not the value",
      {"value": 120, "unit": "件", "label": "相談件数"}),
    C("1-1 相談件数 120件", "an outline number opening the line is numbering",
      N(120, "件", label="1-1 相談件数")),
    C("第2期 120件", "an ordinal (第…) before the value is numbering, unit or not",
      N(120, "件", label="第2期")),
    C("県内全市町村（54市町村）", "a short word naming the one count in brackets",
      N(54, "市町村", label="県内全市町村")),
    C("65歳以上の割合 28.1%", "a number with its unit and bound before の describes the "
      "noun (an age band); the value follows", N(28.1, "%", label="65歳以上の割合")),
    C("1日あたりの利用者 120人", "…あたりの: a rate phrase describing the noun, not the value",
      N(120, "人", label="1日あたりの利用者")),
    C("人口10万人あたりの件数 5.2件", "a per-capita base in the label (10万人) is not the value",
      N(5.2, "件", label="人口10万人あたりの件数")),
    C("前年比10%の増加", "…の with no number after it: the number is the value",
      N(10, "%", label="前年比")),
    C("目標 1", "a lone number after a word is the value (nothing follows it)", N(1)),
    C("満足度 80%", "an ordinary label", N(80, "%", label="満足度")),
]

# --------------------------------------------------------------------------- 3 periods
# A period or frequency before (or after) the value: the value is the number after it;
# the qualifier goes to ``period`` (kind, years) for the judge.
CUM, EVERY, FINAL, YEAR, AVG = (PeriodKind.CUMULATIVE, PeriodKind.EVERY_YEAR,
                                 PeriodKind.BY_FINAL, PeriodKind.PER_YEAR,
                                 PeriodKind.AVERAGE)
PERIODS = [
    C("5年間で\n2,000人", "5年間で: cumulative over 5 years; 5 is not the value",
      N(2000, "人", period=(CUM, 5), cumulative=True)),
    C("毎年90%", "毎年: every year", N(90, "%", period=(EVERY, None))),
    C("最終年度までに 12,000", "by the final year", N(12_000, period=(FINAL, None))),
    C("年間 1,200件", "年間 before the number: per year", N(1200, "件", period=(YEAR, None))),
    C("3か年で600人", "3か年で: cumulative over 3 years",
      N(600, "人", period=(CUM, 3), cumulative=True)),
    C("5年間の累計で 2,000人", "5年間の累計で", N(2000, "人", period=(CUM, 5))),
    C("毎年度 100％", "毎年度", N(100, "%", period=(EVERY, None))),
    C("各年度 50件以上", "各年度 with a bound", N(50, "件", period=(EVERY, None),
                                                bound=("min", True), note="以上")),
    C("年12回", "年 directly before a number: per year", N(12, "回", period=(YEAR, None))),
    C("累計 2,000人", "累計 before the number", N(2000, "人", period=(CUM, None),
                                                 cumulative=True)),
    C("令和7年度までに 12,000人", "a deadline after a date: by then, as of that year",
      N(12_000, "人", period=(FINAL, None), **FY(2025))),
    C("R7年度までに100%", "a deadline with an era abbreviation",
      N(100, "%", period=(FINAL, None), **FY(2025))),
    C("1,200件（年間）", "the period in brackets after the value",
      N(1200, "件", period=(YEAR, None))),
    C("2,000人（5年間累計）", "5年間累計 in brackets", N(2000, "人", period=(CUM, 5))),
    C("12,000人（計画期間累計）", "計画期間累計 in brackets",
      N(12_000, "人", period=(CUM, None), cumulative=True)),
    C("90%（毎年）", "毎年 in brackets", N(90, "%", period=(EVERY, None))),
    C("年間延べ利用者数 1,200人", "年間 not followed by the number: part of the label",
      N(1200, "人", label="年間延べ利用者数", person_times=True, period=None)),
    C("平均在職5年", "a duration of 5 years is a value, not a period", N(5, "年", label="平均在職")),
    C("5年間（R3～R7）で2,000人", "the period's tail after a bracketed range",
      N(2000, "人", period=(CUM, 5), period_start=date(2021, 4, 1), as_of=date(2026, 3, 31))),
    C("令和3年度から令和7年度までの累計 2,000人", "から joins a range; までの goes with the date",
      N(2000, "人", period=(CUM, None), label=None, note=None,
        period_start=date(2021, 4, 1), as_of=date(2026, 3, 31))),
    C("延べ10,000人（5年間）", "a number of years alone in brackets",
      N(10_000, "人", person_times=True, period=(CUM, 5))),
    C("（5か年平均）48人", "an average over 5 years", N(48, "人", period=(AVG, 5))),
    C("1日あたり 1,200人", "a rate in words: 1,200 people per day", N(1200, "人/日", per="日")),
    C("月平均 300件", "a monthly average is per month", N(300, "件/月", per="月",
                                                        period=(AVG, None))),
    C("120件（月平均）", "the same in brackets", N(120, "件/月", per="月")),
    C("20,000件（累計）", "（累計） as in the seed: cumulative",
      N(20_000, "件", cumulative=True, period=(CUM, None))),
]

# --------------------------------------------------------------------------- 4 units
UNITS = [
    C("18,200 t-CO2", "a chemical suffix after a hyphen is part of the unit",
      N(18_200, "t-CO2")),
    C("20,000 t-CO₂", "subscript ₂ folds to 2", N(20_000, "t-CO2")),
    C("820g/人日", "grams per person-day", N(820, "g/人日", per="人日")),
    C("820g/人・日", "a middle dot inside the period", N(820, "g/人・日", per="人・日")),
    C("1.2‰", "per mille is a symbol unit", N(1.2, "‰")),
    C("3,512.5平方メートル", "平方メートル is m2", N(3512.5, "m2", unit_text="平方メートル")),
    C("120㎡", "㎡ folds to m2; the 2 is an exponent, not a number", N(120, "m2")),
    C("15 km²", "km² folds to km2", N(15, "km2")),
    C("500kWh/年", "energy per year", N(500, "kWh/年", per="年")),
    C("65,667件/月", "a monthly rate", N(65_667, "件/月", per="月")),
    C("12人/日", "people per day", N(12, "人/日", per="日")),
    C("16.4人/10万人", "a rate per 100,000 people", N(16.4, "人/10万人", per="10万人")),
    C("25.3℃", "℃ folds to °C", N(25.3, "°C")),
    C("5 ha", "hectares after a space", N(5, "ha")),
    C("35.2 μg/m3", "an ASCII period with an exponent", N(35.2, "μg/m3", per="m3")),
    C("20/54市町村", "a unit after a fraction counts both numbers",
      N(20, "市町村", denominator=54)),
    C("20市町村/54市町村", "a fraction with its unit on both sides",
      N(20, "市町村", denominator=54)),
    C("有効求人倍率1.52倍", "倍 is a unit when nothing is relative",
      N(1.52, "倍", label="有効求人倍率")),
    C("CO2削減量500t", "CO2 and 削減 inside a label (not a relative target)",
      N(500, "t", label="CO2削減量")),
]

# --------------------------------------------------------------------------- 5 bounds
# The bound is not part of the unit; it is recorded (side, inclusive). The word also
# stays in the note, as 50%以上 always did.
BOUNDS = [
    C("1,500 人以上", "以上: at least, inclusive",
      N(1500, "人", bound=("min", True), note="以上")),
    C("120件以下", "以下: at most, inclusive", N(120, "件", bound=("max", True), note="以下")),
    C("30%超", "超: more than, exclusive", N(30, "%", bound=("min", False), note="超")),
    C("5%未満", "未満: less than, exclusive", N(5, "%", bound=("max", False), note="未満")),
    C("3日以内", "以内: at most, inclusive", N(3, "日", bound=("max", True))),
    C("7割以上", "a bound after a scaled unit", N(70, "%", bound=("min", True))),
    C("1,000人を上回る", "を上回る: more than", N(1000, "人", bound=("min", False))),
    C("10kW未満", "未満 after an ASCII unit", N(10, "kW", bound=("max", False))),
    C("100件/年以上", "a bound after a rate is not part of its period",
      N(100, "件/年", per="年", bound=("min", True))),
    C("1,500人", "no bound word, no bound", N(1500, "人", bound=None)),
]

# --------------------------------------------------------------------------- 6 roles, dates
ROLES_DATES = [
    C("H27年度  61,000人(現状値)", "a fiscal year before, a role word after",
      N(61_000, "人", role=ValueRole.BASELINE, **FY(2015))),
    C("(平成29年度) 33.4%", "the year in brackets before the value", N(33.4, "%", **FY(2017))),
    C("12 %(令和2年度)", "a space before %", N(12, "%", **FY(2020))),
    C("40 人(2015～19 年)", "a range of years, century left out at its end: a period",
      N(40, "人", period_start=date(2015, 1, 1), as_of=date(2019, 12, 31))),
    C("350 人(年平均)", "a yearly average, no date",
      N(350, "人", period=(AVG, None), as_of=None)),
    C("22年度", "a year without its era: flagged, no date guessed, not a value",
      {"status": Status.QUALITATIVE, "era_omitted": True, "warnings": ("era_omitted",),
       "as_of": None}),
    C("22年度 1,200件", "the value beside an era-less year", N(1200, "件", era_omitted=True,
                                                           warnings=("era_omitted",))),
    C("1,234件（元年度）", "元年度 without the era", N(1234, "件", era_omitted=True, as_of=None)),
    C("平成 27 年 45 件", "spaces inside the date and before the unit, as PDF copies leave them",
      N(45, "件", as_of=date(2015, 12, 31), period_start=date(2015, 1, 1))),
    C("2021 年 3 月末 1,200件", "a spaced Western date; 末 goes with the date, not the label",
      N(1200, "件", as_of=date(2021, 3, 31), label=None)),
    C("現状値:61,000人", "a role word as the label is the role", N(61_000, "人", label=None,
                                                                 role=ValueRole.BASELINE)),
    C("目標値 80%", "目標値", N(80, "%", role=ValueRole.TARGET, label=None)),
    C("2,662件\n(H30実績)", "the seed's (H30実績) says actual",
      N(2662, "件", role=ValueRole.ACTUAL, **FY(2018))),
    C("H27年度実績 61,000人", "実績 after the year", N(61_000, "人", role=ValueRole.ACTUAL)),
    C("H27～R1平均 1,234人", "a range of fiscal years and an average",
      N(1234, "人", period=(AVG, None), period_start=date(2015, 4, 1),
        as_of=date(2020, 3, 31))),
    C("（R元年度）1,234件", "R元年度 in brackets before the value", N(1234, "件", **FY(2019))),
    C("56.3%（H26調査）", "a survey year: 調査 goes with the date", N(56.3, "%", note=None,
                                                               **FY(2014))),
    C("R2年度見込 1,200件", "見込 after the year is a flag, not a label",
      N(1200, "件", estimate=True, label=None, **FY(2020))),
    C("2015～2019年度 平均 40人", "a Western range whose end says 年度: fiscal years",
      N(40, "人", period_start=date(2015, 4, 1), as_of=date(2020, 3, 31))),
]

# --------------------------------------------------------------------------- 7 empty, relative
EMPTY_RELATIVE = [
    C("―", "horizontal bar", {"status": Status.NONE}),
    C("—", "em dash", {"status": Status.NONE}),
    C("－", "full-width hyphen-minus", {"status": Status.NONE}),
    C("― 人/年", "a dash with a unit is still empty", {"status": Status.NONE}),
    C("－件", "a dash glued to a unit", {"status": Status.NONE}),
    C("-%", "a dash with %", {"status": Status.NONE}),
    C("－（－）", "a dash and a bracketed dash", {"status": Status.NONE}),
    C("―\n（令和2年度）", "a dash with an as-of note", {"status": Status.NONE}),
    C("－（未調査）", "a dash with its reason in brackets is still empty",
      {"status": Status.NONE, "note": "未調査"}),
    C("なし", "none word", {"status": Status.NONE}),
    C("基準値より5割減", "5割減: 0.5 × baseline, decreasing",
      {"status": Status.QUALITATIVE, "intent": "decrease", "relative": (0.5, 0.0, "decrease")}),
    C("基準値の2倍", "2倍: 2 × baseline", {"status": Status.QUALITATIVE, "intent": "increase",
                                          "relative": (2.0, 0.0, "increase")}),
    C("現状維持", "keep the baseline", {"status": Status.QUALITATIVE, "intent": "maintain",
                                     "relative": (1.0, 0.0, "maintain")}),
    C("現状値より10%増加を目指す", "10%増: 1.1 × baseline; the sentence ending adds nothing",
      {"status": Status.QUALITATIVE, "relative": (1.1, 0.0, "increase")}),
    C("平成25年度比40%削減", "relative to another year: recorded with its year",
      {"status": Status.QUALITATIVE, "relative": (0.6, 0.0, "decrease"),
       "reference_year": 2013}),
    C("2013年度比46%削減", "a Western reference year",
      {"status": Status.QUALITATIVE, "relative": (0.54, 0.0, "decrease"),
       "reference_year": 2013}),
    C("現状値から5ポイント向上", "points are added, not multiplied",
      {"status": Status.QUALITATIVE, "relative": (1.0, 5.0, "increase")}),
    C("1,000人増加を目指す", "an offset in the value's unit",
      {"status": Status.QUALITATIVE, "relative": (1.0, 1000.0, "increase")}),
    C("半減", "半減: half", {"status": Status.QUALITATIVE, "relative": (0.5, 0.0, "decrease")}),
    C("倍増", "倍増: double", {"status": Status.QUALITATIVE, "relative": (2.0, 0.0, "increase")}),
    C("現状値以上", "at least the baseline", {"status": Status.QUALITATIVE,
                                         "relative": (1.0, 0.0, "maintain"),
                                         "relative_bound": ("min", True)}),
    C("基準値より30%以上削減", "a change of at least 30%: at most 0.7 × baseline",
      {"status": Status.QUALITATIVE, "relative": (0.7, 0.0, "decrease"),
       "relative_bound": ("max", True)}),
    C("現状値の1.5倍以上", "at least 1.5 × baseline",
      {"status": Status.QUALITATIVE, "relative": (1.5, 0.0, "increase"),
       "relative_bound": ("min", True)}),
    C("H30比10%減", "a year reference without 年度", {"status": Status.QUALITATIVE,
                                                    "reference_year": 2018}),
    C("増加を目指します。", "no number: a qualitative target as before, not relative",
      {"status": Status.QUALITATIVE, "intent": "increase", "relative": None}),
    C("前年度比5%増", "relative to last year: recorded, the judge leaves it qualitative",
      {"status": Status.QUALITATIVE, "relative": (1.05, 0.0, "increase")}),
]


@pytest.mark.parametrize("case", table("scale", SCALES))
def test_scales(case: C) -> None:
    check(case)


@pytest.mark.parametrize("case", table("label", LABELS))
def test_labels_and_numbering(case: C) -> None:
    check(case)


@pytest.mark.parametrize("case", table("period", PERIODS))
def test_periods(case: C) -> None:
    check(case)


@pytest.mark.parametrize("case", table("unit", UNITS))
def test_compound_units(case: C) -> None:
    check(case)


@pytest.mark.parametrize("case", table("bound", BOUNDS))
def test_bounds(case: C) -> None:
    check(case)


@pytest.mark.parametrize("case", table("role", ROLES_DATES))
def test_roles_and_dates(case: C) -> None:
    check(case)


@pytest.mark.parametrize("case", table("empty", EMPTY_RELATIVE))
def test_empty_and_relative(case: C) -> None:
    check(case)


def test_relative_keeps_the_reference_words() -> None:
    r = parse_value("基準値より5割減").relative
    assert r is not None and r.reference == "基準値" and r.words == "基準値より5割減"


def test_a_value_beside_a_relative_phrase_stays_the_value() -> None:
    p = parse_value("30,500人 基準値より5割減")
    assert (p.value, p.unit, p.status) == (30_500, "人", None)
    assert p.relative is not None and p.relative.factor == 0.5


# --------------------------------------------------------------------------- changes, M of N
# Shapes seen beside the issue's categories: a change written with an arrow (the newest
# figure is the value, the older one a note), "M of N" (10校中8校, a fraction), and a
# footnote mark after the unit.
CHANGES_FRACTIONS = [
    C("R2：1,234人→R3：1,500人", "a change from one year's figure to the next: the newest",
      N(1500, "人", as_of=date(2022, 3, 31), note="R2:1,234人")),
    C("1,234人(H30)→1,500人(R1)", "the same with dates in brackets; each date stays with "
      "its figure", N(1500, "人", as_of=date(2020, 3, 31), note="1,234人(H30)")),
    C("50%⇒60%", "another arrow", N(60, "%", note="50%")),
    C("1,234人（→減少傾向）", "an arrow inside brackets is a comment, not a change",
      N(1234, "人")),
    C("100人→", "an arrow with nothing after it is not part of the unit", N(100, "人")),
    C("10校中8校", "M of N: 8 of 10 schools, read as the fraction 8/10",
      N(8, "校", denominator=10)),
    C("54市町村中 40市町村（R2）", "M of N with a space and a date",
      N(40, "市町村", denominator=54, as_of=date(2021, 3, 31))),
    C("調査中 3件", "中 after a word is not M of N", N(3, "件", label="調査中")),
    C("1,200人*", "a footnote mark is not part of the unit", N(1200, "人")),
]


@pytest.mark.parametrize("case", table("change", CHANGES_FRACTIONS))
def test_changes_fractions_and_marks(case: C) -> None:
    check(case)


# --------------------------------------------------------------------------- 8 typed by Excel
# (value, number format, expected (value, unit, status, as_of), why)
TYPED = [
    (0.5, "0%", (50.0, "%", None, None), "a percent format: 0.5 is 50 %"),
    (0.123, "0.0%", (12.3, "%", None, None), "decimals in the percent format"),
    (1, "0%", (100.0, "%", None, None), "an int with a percent format"),
    (0.25, "0.00%;[Red]-0.00%", (25.0, "%", None, None), "first section decides"),
    (44286, "yyyy/m/d", (None, None, Status.QUALITATIVE, date(2021, 3, 31)),
     "a date-formatted serial is a date-only cell"),
    (44286, '[$-411]ggge"年"m"月"d"日"', (None, None, Status.QUALITATIVE, date(2021, 3, 31)),
     "a Japanese era date format"),
    (44286.5, "m/d", (None, None, Status.QUALITATIVE, date(2021, 3, 31)),
     "a serial with a time of day is still that date"),
    (1234, '#,##0"人"', (1234.0, "人", None, None), "a literal unit in the format"),
    (12.5, '0.0"%"', (12.5, "%", None, None), "a quoted % is a unit, not a percent format"),
    (3, "General", (3.0, None, None, None), "General: a plain number"),
    (0.5, "h:mm", (0.5, None, None, None), "a time format is not a date"),
    (5, "@", (5.0, None, None, None), "text format around a number"),
    (0.5, None, (0.5, None, None, None), "no format given: as before"),
]


@pytest.mark.parametrize(("value", "fmt", "exp", "why"),
                         [pytest.param(*t, id=f"typed-{i:02d}") for i, t in enumerate(TYPED)])
def test_numbers_excel_typed(value: float, fmt: str | None, exp: tuple[Any, ...],
                             why: str) -> None:
    p = parse_value(value, fmt)
    assert (p.value, p.unit, p.status, p.as_of) == exp, why


def test_a_date_cell_with_a_format_is_date_only() -> None:
    from datetime import datetime

    p = parse_value(datetime(2021, 3, 31, 9, 0), "yyyy/m/d h:mm")
    assert (p.status, p.as_of, p.warning_codes) == (Status.QUALITATIVE, date(2021, 3, 31),
                                                   ("date_only",))


def test_text_ignores_the_number_format() -> None:
    assert parse_value("50%", "0%").value == 50
    assert parse_value("25人", "yyyy/m/d").value == 25


@pytest.mark.parametrize(
    ("fmt", "kind"),
    [("0%", ("percent", None)), ("yyyy/m/d", ("date", None)), ('m"月"d"日"', ("date", None)),
     ("#,##0", ("number", None)), ('#,##0"件"', ("number", "件")), ("[h]:mm:ss", ("number", None)),
     ('0.0"%"', ("number", "%")), ("General", ("number", None)), ("\\%0", ("number", "%"))],
)
def test_number_format_kind(fmt: str, kind: tuple[str, str | None]) -> None:
    assert number_format_kind(fmt) == kind


@pytest.mark.parametrize(
    ("serial", "day"),
    # Excel's own serials: 1 = 1900-01-01, 59 = 1900-02-28, 61 = 1900-03-01 (after the
    # 29 February 1900 Excel counts), 43922 = 2020-04-01, 44286 = 2021-03-31.
    [(1, date(1900, 1, 1)), (59, date(1900, 2, 28)), (61, date(1900, 3, 1)),
     (43922, date(2020, 4, 1)), (44286, date(2021, 3, 31))],
)
def test_excel_serial_date(serial: int, day: date) -> None:
    assert excel_serial_date(serial) == day


def test_as_json_has_every_new_field() -> None:
    j = parse_value("5年間で 2,000人以上（現状値）").as_json()
    assert j["period"] == {"kind": "cumulative", "years": 5, "words": "5年間で"}
    assert j["bound"] == {"side": "min", "inclusive": True, "word": "以上"}
    assert j["role"] == "baseline" and j["unit_text"] == "人" and j["era_omitted"] is False
    assert parse_value("基準値の2倍").as_json()["relative"]["factor"] == 2.0


def test_compute_row_passes_the_number_formats_on() -> None:
    """What the workbook readers will call: a row of Excel-typed percents, with and
    without their formats (without them, as before: 0.5 is 0.5)."""
    from xlplan.core.compute import compute_row
    from xlplan.core.settings import Settings

    row = {"baseline": 0.4, "actual": None, "projection": 0.5, "final_target": 0.6,
           "direction": "増加"}
    fmts = {"baseline": "0%", "projection": "0%", "final_target": "0%"}
    with_formats = compute_row("4-2", row, Settings(), fmts)
    assert with_formats.parsed["projection"].unit == "%"
    assert (with_formats.values["evaluated"], with_formats.values["computed_mark"]) == ("50%", "○")
    without = compute_row("4-2", row, Settings())
    assert without.parsed["projection"].value == 0.5 and without.parsed["projection"].unit is None
