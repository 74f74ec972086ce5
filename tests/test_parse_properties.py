"""Properties of the value parser that must hold for any input, not just the seed."""

from __future__ import annotations

import calendar
import math
from datetime import date

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.lanes import examples
from xlplan.core.normalize import normalize
from xlplan.core.parse import Parser, parse_value
from xlplan.core.values import Parsed, Status

# Characters staff type into value cells, with the look-alikes the parser must fold.
SPECIAL = (
    "０１２３４５６７８９，．％～〜~（）()【】[]［］△▲－ー―‐—−-約延べ累計見込現在時点末実績"
    "令和平成昭和元年度月日RHS.:/：、。 \n\t\u3000件人回%千万億計主催"
    # issue 11: numbering, compound units, bounds, periods, roles, relative targets
    "①②⑳㉑_#No㎡²‰℃t-CO割倍以上下超未満内毎各間か年平均最終までに現状基準値目標比より減増"
    "維持半ポイント"
)
cell_chars = st.one_of(
    st.sampled_from(SPECIAL),
    st.characters(min_codepoint=0x3040, max_codepoint=0x30FF),  # kana
    st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF),  # some kanji
    st.characters(min_codepoint=0xFF00, max_codepoint=0xFFEF),  # full/half-width forms
    st.characters(codec="utf-8"),
)
cells = st.text(alphabet=cell_chars, max_size=40)
any_text = st.one_of(cells, st.text(max_size=40))

SEMANTIC = ("value", "unit", "denominator", "per", "status", "as_of", "period_start", "words")


def semantic(p: Parsed) -> tuple[object, ...]:
    return (*(getattr(p, f) for f in SEMANTIC), p.parts)


@settings(max_examples=examples(600), deadline=None)
@given(any_text)
@example("－")
@example("（令和2年12月1日現\n在")
@example("【参考（平成28年度：12.0％）")
@example("ア--")
@example("e \u0301")
def test_never_raises_and_never_needs_the_safety_net(text: str) -> None:
    p = parse_value(text)
    assert isinstance(p, Parsed)
    assert "unparseable" not in p.warning_codes
    assert p.text == text


@settings(max_examples=examples(600), deadline=None)
@given(any_text)
@example("ア－－ク")
@example("ｱ-")
@example("4～ 5月：\n 57,891人")
@example("a ー5")
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=examples(400), deadline=None)
@given(any_text)
def test_parse_reads_the_normalised_text(text: str) -> None:
    assert semantic(parse_value(text)) == semantic(parse_value(normalize(text)))


def test_long_vowel_dash_matches_long_vowel() -> None:
    assert normalize("テレワ－ク") == normalize("テレワーク") == "テレワーク"
    assert normalize("デ－タ") == "データ"


# Numbers typed the way staff type them.
units = st.sampled_from(["件", "人", "回", "時間", "団体", "%", "施設", "kW", "箇所", "a", ""])
amounts = st.integers(min_value=0, max_value=10**9)


def typed(n: int, comma: bool, wide: bool) -> str:
    s = f"{n:,}" if comma else str(n)
    if wide:
        s = s.translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))
    return s


@settings(max_examples=examples(300), deadline=None)
@given(amounts, units, st.booleans(), st.booleans())
def test_a_typed_number_reads_back(n: int, unit: str, comma: bool, wide: bool) -> None:
    p = parse_value(typed(n, comma, wide) + unit)
    assert p.value == n
    assert p.unit == (unit or None)
    assert p.warnings == ()


@settings(max_examples=examples(300), deadline=None)
@given(amounts, units, st.booleans())
def test_adding_approx_keeps_the_value(n: int, unit: str, comma: bool) -> None:
    text = typed(n, comma, False) + unit
    plain, approx = parse_value(text), parse_value("約" + text)
    assert approx.approx and not plain.approx
    assert (approx.value, approx.unit) == (plain.value, plain.unit)


@settings(max_examples=examples(300), deadline=None)
@given(
    amounts,
    units,
    st.integers(min_value=1, max_value=30),
    st.integers(min_value=1, max_value=12),
    st.sampled_from(["", "末", "末現在", "現在", "時点"]),
    st.sampled_from(["（{}）", "({})", "\n（{}）", "【{}】"]),
)
def test_an_as_of_note_does_not_change_the_value(
    n: int, unit: str, year: int, month: int, suffix: str, brackets: str
) -> None:
    text = typed(n, True, False) + unit
    era = "元" if year == 1 else str(year)
    note = brackets.format(f"令和{era}年{month}月{suffix}")
    plain, dated = parse_value(text), parse_value(text + note)
    assert (dated.value, dated.unit, dated.status) == (plain.value, plain.unit, plain.status)
    y = 2018 + year
    assert dated.as_of == date(y, month, calendar.monthrange(y, month)[1])


@settings(max_examples=examples(200), deadline=None)
@given(amounts, st.sampled_from(["△", "▲", "-", "－"]))
def test_accounting_minus(n: int, sign: str) -> None:
    assert parse_value(f"{sign}{n:,}").value == -n


@settings(max_examples=examples(200), deadline=None)
@given(st.text(alphabet="－―‐—ー- \n\u3000", min_size=1, max_size=6))
def test_dashes_alone_mean_none(text: str) -> None:
    assert parse_value(text).status is Status.NONE


# The fast path (plain number, known unit, one as-of bracket) must agree with the general
# reader on every cell it accepts, and must accept the common shape: a test that only
# compared what it accepted would still pass with the fast path deleted or returning
# None for everything.
fast_shaped = st.builds(
    lambda pre, sign, n, comma, unit, note: f"{pre}{sign}{typed(n, comma, False)}{unit}{note}",
    st.sampled_from(["", "約", "延", "延べ"]),
    st.sampled_from(["", "△", "▲", "-"]),
    amounts,
    st.booleans(),
    units,
    st.sampled_from(["", "（見込）", "\n(H30実績)", "（令和元年11時点）", "（平成30年度～令和2年12月累計）",
                     "(令和2年13月)", "（年度末見込)", "（試験課題数11）", "(54団体)"]),
)


@settings(max_examples=examples(400), deadline=None)
@given(st.one_of(fast_shaped, cells))
def test_fast_path_agrees_with_the_general_reader(text: str) -> None:
    parser = Parser(cache_size=0)
    s = normalize(text)
    fast = parser._parse_fast(text, s)
    if fast is not None:
        assert fast == parser._parse_normalized(text, s)


# The common shape with a note the fast path reads itself (an as-of or qualifier note).
fast_taken = st.builds(
    lambda pre, sign, n, comma, unit, note: f"{pre}{sign}{typed(n, comma, False)}{unit}{note}",
    st.sampled_from(["", "約", "延", "延べ"]),
    st.sampled_from(["", "△", "▲", "-"]),
    amounts,
    st.booleans(),
    st.sampled_from(["件", "人", "回", "時間", "団体", "%", "施設", "kW", "箇所", "a", ""]),
    st.sampled_from(["", "（見込）", "\n(H30実績)", "（令和元年11時点）", "（年度末見込)",
                     "（平成30年度～令和2年12月累計）", "(令和2年13月)", "（累計）",
                     "(令和2年12月末現在)", "（現状値）"]),
)


@settings(max_examples=examples(300), deadline=None)
@given(fast_taken)
def test_fast_path_takes_the_common_shape(text: str) -> None:
    parser = Parser(cache_size=0)
    s = normalize(text)
    fast = parser._parse_fast(text, s)
    assert fast is not None, f"the fast path must read {text!r}"
    assert fast == parser._parse_normalized(text, s)


def test_parse_goes_through_the_fast_path() -> None:
    """parse() must use the fast path: with the general reader broken, the common shape
    still reads (a fast path left unwired would give 'unparseable' here)."""

    class GeneralBroken(Parser):
        def _parse_normalized(self, raw: str, s: str) -> Parsed:
            raise AssertionError("the general reader was used")

    p = GeneralBroken(cache_size=0)
    for text, value, unit in (("約2,500時間", 2500, "時間"), ("25人\n（令和元年12月）", 25, "人"),
                              ("▲5件", -5, "件"), ("86.50%", 86.5, "%")):
        got = p.parse(text)
        assert (got.value, got.unit, got.warning_codes) == (value, unit, ()), text


# --------------------------------------------------------------------------- issue 11

scales = st.sampled_from([("千", 1_000), ("万", 10_000), ("億", 100_000_000), ("百万", 10**6)])
small = st.integers(min_value=1, max_value=9_999)


@settings(max_examples=examples(200), deadline=None)
@given(small, scales, st.sampled_from(["人", "件", "円", "回"]), st.booleans())
def test_a_scale_reads_the_same_after_a_space(n: int, scale: tuple[str, int], unit: str,
                                               space: bool) -> None:
    word, factor = scale
    p = parse_value(f"{n:,}{' ' if space else ''}{word}{unit}")
    assert (p.value, p.unit, p.unit_text) == (n * factor, unit, word + unit)
    assert p.value is not None and p.value / p.unit_scale == n


bounds = st.sampled_from([("以上", "min", True), ("以下", "max", True), ("超", "min", False),
                          ("未満", "max", False), ("以内", "max", True)])


@settings(max_examples=examples(200), deadline=None)
@given(amounts, units, bounds, st.booleans())
def test_a_bound_word_keeps_the_value(n: int, unit: str, bound: tuple[str, str, bool],
                                      space: bool) -> None:
    word, side, inclusive = bound
    text = typed(n, True, False) + (" " if space and unit else "") + unit
    plain, bounded = parse_value(text), parse_value(text + word)
    assert (bounded.value, bounded.unit) == (plain.value, plain.unit)
    assert bounded.bound is not None
    assert (bounded.bound.side, bounded.bound.inclusive) == (side, inclusive)


@settings(max_examples=examples(200), deadline=None)
@given(amounts, st.sampled_from(["件", "人", "回", "%"]),
       st.sampled_from(["毎年", "毎年度 ", "年間 ", "5年間で\n", "3か年で", "最終年度までに ",
                        "累計 ", "①利用件数 ", "指標3_件数:", "目標1：満足度 ", "No.4 "]))
def test_a_prefix_is_never_the_value(n: int, unit: str, prefix: str) -> None:
    text = typed(n, True, False) + unit
    p = parse_value(prefix + text)
    assert (p.value, p.unit, p.status) == (n, unit, None)


@settings(max_examples=examples(200), deadline=None)
@given(st.floats(min_value=0, max_value=10, allow_nan=False),
       st.sampled_from(["0%", "0.0%", "0.00%", "#,##0.0%"]))
def test_a_percent_format_is_a_percent(x: float, fmt: str) -> None:
    p = parse_value(x, fmt)
    assert p.unit == "%" and p.value is not None
    assert math.isclose(p.value, x * 100, rel_tol=1e-12, abs_tol=1e-12)
