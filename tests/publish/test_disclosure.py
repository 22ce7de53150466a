"""auditkit.publish.disclosure: the DfE small-number rule (shared/reference/stats/README.md, last paragraph).

Expected masks are worked out by hand in the comments. The order the algorithm visits lines is:
the area rows, the row of column totals, the columns, the column of row totals; then again until
nothing changes. "Hide" means the figure is suppressed (shown as c).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from auditkit.analysis.findings import ALL_AREAS
from auditkit.config.disclosure_rule import DisclosureRule
from auditkit.publish.disclosure import ALL, TOTAL, suppress_item_proportions, suppress_proportions, suppress_table
from auditkit.stats.proportions import proportion_ci

RULE = DisclosureRule()
AREAS = ["Leicester", "Leicestershire", "Rutland"]


def table(met: list[int], not_met: list[int], index: list[str] = AREAS) -> pd.DataFrame:
    return pd.DataFrame({"met": met, "not met": not_met}, index=pd.Index(index, name="area"))


def hidden(mask: pd.DataFrame) -> set[tuple[str, str]]:
    """The (row, column) labels of the hidden figures."""
    return {(row, column) for row in mask.index for column in mask.columns if mask.loc[row, column]}


def indicator_rows(counts: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """One item's rows shaped like Findings.indicators: the 'all' row first, then the areas."""
    numerator = [met for met, _ in counts.values()]
    denominator = [total for _, total in counts.values()]
    frame = proportion_ci(np.array(numerator), np.array(denominator))
    frame.insert(0, "area", list(counts))
    frame.insert(0, "label", "Plan in place")
    frame.insert(0, "item", "plan")
    frame.insert(0, "instrument", "cases")
    return frame


# --- suppress_table: hand-worked tables -------------------------------------------------------------


def test_one_small_cell_hides_its_row_its_column_and_the_complementary_cell():
    #               met  not met | total
    # Leicester      25       30 |    55
    # Leicestershire  2       14 |    16
    # Rutland        18       22 |    40
    # total          45       66 |   111
    # Primary: the 2. Row Leicestershire has one hidden figure -> hide 14 (its smallest other).
    # Column met (25, 2, 18 | 45) -> hide 18 (smallest). Column not met (30, 14, 22 | 66) now has
    # only the 14 hidden -> hide 22, the complementary cell. Rutland's row then hides 18 and 22,
    # every line has 0 or 2 hidden figures, and all totals stay published.
    mask = suppress_table(table([25, 2, 18], [30, 14, 22]), RULE)
    assert hidden(mask) == {
        ("Leicestershire", "met"),
        ("Leicestershire", "not met"),
        ("Rutland", "met"),
        ("Rutland", "not met"),
    }


def test_mask_has_the_cells_plus_a_total_row_and_column():
    mask = suppress_table(table([25, 2, 18], [30, 14, 22]), RULE)
    assert list(mask.index) == [*AREAS, TOTAL]
    assert list(mask.columns) == ["met", "not met", TOTAL]
    assert mask.index.name == "area"
    assert (mask.dtypes == bool).all()  # noqa: E721 - each column's dtype, compared as pandas does


def test_hides_what_a_naive_rule_would_leave_recoverable_from_the_published_total():
    #               met  not met | total
    # Leicester       3       20 |    23
    # Leicestershire 12       15 |    27
    # Rutland         9       11 |    20
    # total          24       46 |    70
    # Hiding only the 3 fails: the met total 24 is published, so 24 - 12 - 9 = 3.
    cells = table([3, 12, 9], [20, 15, 11])
    assert cells["met"].sum() - 12 - 9 == 3
    # The rule: row Leicester -> hide 20; column met -> hide 9 (smaller than 12); column not met
    # (20, 15, 11) has only the 20 hidden -> hide 11. Now the met column hides 3 and 9: 24 - 12
    # gives only their sum, 12.
    mask = suppress_table(cells, RULE)
    assert hidden(mask) == {("Leicester", "met"), ("Leicester", "not met"), ("Rutland", "met"), ("Rutland", "not met")}
    assert mask.loc[AREAS, "met"].sum() == 2


def test_an_area_with_only_four_cases_hides_its_total_and_another_whole_row():
    #               met  not met | total
    # Leicester      10       12 |    22
    # Leicestershire  7        9 |    16
    # Rutland         1        3 |     4
    # total          18       24 |    42
    # Primary: 1, 3 and Rutland's total 4. Column met (10, 7, 1 | 18) -> hide 7; column not met
    # (12, 9, 3 | 24) -> hide 9; the column of area totals (22, 16, 4 | 42) -> hide 16. So
    # Leicestershire goes entirely; otherwise 42 - 22 - 16 would give Rutland's 4.
    mask = suppress_table(table([10, 7, 1], [12, 9, 3]), RULE)
    assert hidden(mask) == {
        (area, column) for area in ["Leicestershire", "Rutland"] for column in ["met", "not met", TOTAL]
    }


def test_zeros_are_published_and_never_used_as_protection():
    #               met  not met | total
    # Leicester       3       20 |    23
    # Leicestershire  0       15 |    15
    # Rutland         9       11 |    20
    # total          12       46 |    58
    # Column met (3, 0, 9 | 12): the smallest other figure is the 0, but hiding it would only
    # show "3 + 0 = 12 - 9", which is the 3. So the 9 is hidden and the 0 stays published.
    mask = suppress_table(table([3, 0, 9], [20, 15, 11]), RULE)
    assert not mask.loc["Leicestershire", "met"]
    assert hidden(mask) == {("Leicester", "met"), ("Leicester", "not met"), ("Rutland", "met"), ("Rutland", "not met")}


def test_when_only_zeros_are_left_in_a_line_its_total_is_hidden():
    #        met  not met | total
    # A        3       20 |    23
    # B       30        0 |    30
    # total   33       20 |    53
    # Pass 1: row A -> hide 20; column met (3, 30 | 33) -> hide 30; column not met (20, 0 | 20)
    # has only the 0 left, so hide its total 20. Pass 2: row B (30, 0 | 30) -> hide its total 30;
    # the total row (33, 20 | 53) -> hide 33; the column of totals (23, 30 | 53) -> hide 23.
    # Only the 0 and the grand total stay published.
    mask = suppress_table(table([3, 30], [20, 0], index=["A", "B"]), RULE)
    assert hidden(mask) == {(row, column) for row in ["A", "B", TOTAL] for column in ["met", "not met", TOTAL]} - {
        ("B", "not met"),
        (TOTAL, TOTAL),
    }


def test_ties_hide_the_first_figure_in_order():
    # Column met (2, 8, 8 | 18): 8 and 8 tie, so Leicestershire's goes; rows then pair up.
    mask = suppress_table(table([2, 8, 8], [30, 30, 30]), RULE)
    assert mask.loc["Leicestershire", "met"] and not mask.loc["Rutland", "met"]


def test_min_count_zero_suppresses_nothing():
    mask = suppress_table(table([1, 0, 2], [3, 4, 5]), DisclosureRule(min_count=0))
    assert not mask.to_numpy().any()
    assert mask.shape == (4, 3)


def test_min_count_sets_the_threshold():
    # The first example with a 3 in place of the 2: published whole under min_count 2, hidden under 3.
    cells = table([25, 3, 18], [30, 14, 22])
    assert not suppress_table(cells, DisclosureRule(min_count=2)).to_numpy().any()
    assert suppress_table(cells, DisclosureRule(min_count=3)).loc["Leicestershire", "met"]


def test_inputs_are_not_modified():
    cells = table([3, 12, 9], [20, 15, 11])
    before = cells.copy()
    suppress_table(cells, RULE)
    pd.testing.assert_frame_equal(cells, before)
    rows = indicator_rows({ALL: (24, 70), "Leicester": (3, 23), "Leicestershire": (12, 27), "Rutland": (9, 20)})
    before = rows.copy()
    suppress_proportions(rows, "area", RULE)
    pd.testing.assert_frame_equal(rows, before)


# --- suppress_table: properties over random tables -----------------------------------------------------


def lines(rows: int, columns: int) -> list[list[tuple[int, int]]]:
    """Every line of a table with totals (the last row and column): rows, then columns."""
    return [[(i, j) for j in range(columns + 1)] for i in range(rows + 1)] + [
        [(i, j) for i in range(rows + 1)] for j in range(columns + 1)
    ]


def random_tables(seed: int, count: int, columns: tuple[int, int] = (1, 5)):
    """Small tables with many zeros and small counts; some with tiny totals."""
    rng = np.random.default_rng(seed)
    for _ in range(count):
        shape = (int(rng.integers(1, 6)), int(rng.integers(*columns)))
        if rng.random() < 0.5:
            values = rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8, 12, 20, 40], size=shape)
        else:
            values = rng.integers(0, 4, size=shape)  # tiny totals
        yield pd.DataFrame(values), DisclosureRule(min_count=int(rng.choice([1, 3, 5, 5, 5, 10])))


def with_totals(cells: pd.DataFrame) -> np.ndarray:
    values = cells.to_numpy()
    full = np.zeros((values.shape[0] + 1, values.shape[1] + 1), dtype=int)
    full[:-1, :-1] = values
    full[:-1, -1] = values.sum(axis=1)
    full[-1, :] = full[:-1, :].sum(axis=0)
    return full


def test_random_tables_never_leave_a_lone_hidden_figure_in_a_line():
    for cells, rule in random_tables(seed=20240601, count=200):
        full = with_totals(cells)
        mask = suppress_table(cells, rule).to_numpy()
        assert mask.shape == full.shape
        for line in lines(*cells.shape):
            assert sum(mask[p] for p in line) != 1, (cells.to_numpy().tolist(), rule.min_count, line)
        assert (mask[(full >= 1) & (full <= rule.min_count)]).all()  # primary suppression
        assert not mask[full == 0].any()  # zeros published


def recoverable(full: np.ndarray, mask: np.ndarray) -> list[tuple[int, int]]:
    """Hidden figures fixed by the lines' sums: those whose unit vector lies in the span of the lines."""
    unknowns = [tuple(p) for p in np.argwhere(mask)]
    if not unknowns:
        return []
    rows = []
    for line in lines(full.shape[0] - 1, full.shape[1] - 1):
        total = line[-1]
        rows.append([1 if p in line[:-1] else -1 if p == total else 0 for p in unknowns])
    system = np.array(rows, dtype=float)
    rank = np.linalg.matrix_rank(system)
    found = []
    for k, p in enumerate(unknowns):
        unit = np.zeros(len(unknowns))
        unit[k] = 1
        if np.linalg.matrix_rank(np.vstack([system, unit])) == rank:
            found.append(p)
    return found


def test_no_figure_of_a_two_column_table_can_be_worked_out_from_several_lines():
    for cells, rule in random_tables(seed=7, count=200, columns=(2, 3)):
        mask = suppress_table(cells, rule).to_numpy()
        assert recoverable(with_totals(cells), mask) == [], cells.to_numpy().tolist()


def test_limit_a_larger_table_can_still_give_a_figure_away_through_several_lines():
    # A documented limit, not a wish: the heuristic only looks at one line at a time.
    #          a    b    c | total
    # r0       3   20    3 |    26      hidden: r0.a, r0.c, r0.total
    # r1       4    0    0 |     4      hidden: r1.a, r1.total
    # r2      30    1    1 |    32      hidden: r2.b, r2.c
    # total   37   21    4 |    62      hidden: total.b, total.c
    # Every line hides 0, 2 or 3 figures, yet r0.c is recoverable from published figures:
    # row r2 gives r2.b + r2.c = 32 - 30 = 2; column b gives total.b = 20 + r2.b;
    # the total row gives total.b + total.c = 62 - 37 = 25; column c gives total.c = r0.c + r2.c.
    # So 20 + r2.b + r0.c + r2.c = 25, and r0.c = 25 - 20 - 2 = 3.
    cells = pd.DataFrame([[3, 20, 3], [4, 0, 0], [30, 1, 1]], index=["r0", "r1", "r2"], columns=["a", "b", "c"])
    mask = suppress_table(cells, RULE)
    assert hidden(mask) == {
        ("r0", "a"),
        ("r0", "c"),
        ("r0", TOTAL),
        ("r1", "a"),
        ("r1", TOTAL),
        ("r2", "b"),
        ("r2", "c"),
        (TOTAL, "b"),
        (TOTAL, "c"),
    }
    assert (0, 2) in recoverable(with_totals(cells), mask.to_numpy())


# --- DisclosureRule ------------------------------------------------------------------------------------


def test_rule_describes_itself_in_one_sentence():
    assert RULE.active
    assert RULE.describe() == (
        "Counts from 1 to 5 are shown as c, and so are other figures from which they could be worked out."
    )
    assert DisclosureRule(min_count=1, symbol="*").describe().startswith("Counts of 1 are shown as *,")


def test_rule_with_min_count_zero_is_inactive_and_says_why():
    rule = DisclosureRule(min_count=0)
    assert not rule.active
    assert "No figures are suppressed" in rule.describe()
    assert "not for wider publication" in rule.describe()


@pytest.mark.parametrize("min_count", [-1, 2.5, True])
def test_rule_rejects_a_bad_min_count(min_count):
    with pytest.raises(ValueError, match="min_count"):
        DisclosureRule(min_count=min_count)


# --- suppress_proportions ------------------------------------------------------------------------------


def test_proportions_hide_numerators_and_intervals_of_the_suppressed_areas():
    # The met / not met table is the naive-rule example above: Leicester and Rutland lose both
    # counts, their denominators and every total stay published.
    rows = indicator_rows({ALL: (24, 70), "Leicester": (3, 23), "Leicestershire": (12, 27), "Rutland": (9, 20)})
    result = suppress_proportions(rows, "area", RULE)
    assert list(result["area"]) == [ALL, *AREAS]
    assert list(result["suppressed"]) == [False, True, False, True]
    assert list(result["denominator_suppressed"]) == [False, False, False, False]
    for column in ["numerator", "proportion", "ci_low", "ci_high"]:
        assert list(result[column].isna()) == [False, True, False, True], column
    assert list(result["denominator"]) == [70, 23, 27, 20]
    assert result.loc[2, "numerator"] == 12
    assert result.loc[2, "proportion"] == pytest.approx(12 / 27)
    assert list(result["label"]) == ["Plan in place"] * 4


def test_proportions_hide_the_denominator_of_an_area_with_four_cases_and_of_its_partner():
    # The four-case example above: Leicestershire (7 of 16) and Rutland (1 of 4) lose everything.
    rows = indicator_rows({ALL: (18, 42), "Leicester": (10, 22), "Leicestershire": (7, 16), "Rutland": (1, 4)})
    result = suppress_proportions(rows, "area", RULE)
    assert list(result["suppressed"]) == [False, False, True, True]
    assert list(result["denominator_suppressed"]) == [False, False, True, True]
    assert list(result["denominator"].isna()) == [False, False, True, True]
    assert list(result["numerator"].isna()) == [False, False, True, True]


def test_proportions_hide_the_all_row_when_its_numerator_is_small():
    #                met  not met | total
    # Leicester        1       19 |    20
    # Leicestershire   2       28 |    30
    # Rutland          0       25 |    25
    # all              3       72 |    75
    # Primary: 1, 2 and the met total 3. Rows -> hide 19 and 28; the total row (3, 72 | 75) -> hide
    # 72. Rutland's 0 of 25 is published; every denominator is published.
    rows = indicator_rows({"Leicester": (1, 20), "Leicestershire": (2, 30), "Rutland": (0, 25), ALL: (3, 75)})
    result = suppress_proportions(rows, ["area"], RULE)
    assert list(result["suppressed"]) == [True, True, False, True]
    assert not result["denominator_suppressed"].any()
    assert list(result["numerator"].isna()) == [True, True, False, True]


def test_records_without_an_area_count_as_one_more_group():
    # As the naive-rule example, but 'all' is 26 of 74: 2 met and 2 not met have no area, and a
    # reader works out that unassigned group (4 cases) by subtraction. It is protected like an area:
    #                met  not met | total
    # Leicester        3       20 |    23
    # Leicestershire  12       15 |    27
    # Rutland          9       11 |    20
    # (no area)        2        2 |     4
    # all             26       48 |    74
    # Pass 1: Leicester -> hide 20; columns met and not met already hide two each; the column of
    # totals (23, 27, 20, 4 | 74) -> hide 20, Rutland's total. Pass 2: Rutland (9, 11 | 20) -> hide 9.
    rows = indicator_rows({ALL: (26, 74), "Leicester": (3, 23), "Leicestershire": (12, 27), "Rutland": (9, 20)})
    result = suppress_proportions(rows, "area", RULE)
    assert list(result["suppressed"]) == [False, True, False, True]
    assert list(result["denominator_suppressed"]) == [False, False, False, True]


def test_inactive_rule_returns_the_rows_unchanged_with_false_flags():
    rows = indicator_rows({ALL: (24, 70), "Leicester": (3, 23), "Leicestershire": (12, 27), "Rutland": (9, 20)})
    result = suppress_proportions(rows, "area", DisclosureRule(min_count=0))
    pd.testing.assert_frame_equal(result.drop(columns=["suppressed", "denominator_suppressed"]), rows)
    assert not result["suppressed"].any() and not result["denominator_suppressed"].any()


def test_items_suppressed_in_one_pass_as_each_alone():
    # Three items of two instruments in one table, as Findings.indicators holds them: each item's rows must come out
    # as suppress_proportions gives them for that item alone (the naive-rule, four-case and small-all examples
    # above), rows in input order.
    plan = indicator_rows({ALL: (24, 70), "Leicester": (3, 23), "Leicestershire": (12, 27), "Rutland": (9, 20)})
    seen = indicator_rows({ALL: (18, 42), "Leicester": (10, 22), "Leicestershire": (7, 16), "Rutland": (1, 4)})
    heard = indicator_rows({"Leicester": (1, 20), "Leicestershire": (2, 30), "Rutland": (0, 25), ALL: (3, 75)})
    seen["item"], heard["item"], heard["instrument"] = "seen", "heard", "survey"
    rows = pd.concat([plan, seen, heard], ignore_index=True)
    result = suppress_item_proportions(rows, ["instrument", "item"], "area", RULE)
    alone = pd.concat([suppress_proportions(part, "area", RULE) for part in (plan, seen, heard)], ignore_index=True)
    pd.testing.assert_frame_equal(result, alone)
    assert list(result["suppressed"]) == [False, True, False, True] + [False, False, True, True] + [
        True,
        True,
        False,
        True,
    ]


def test_items_in_one_pass_need_each_items_all_row():
    plan = indicator_rows({ALL: (24, 70), "Leicester": (3, 23), "Leicestershire": (12, 27), "Rutland": (9, 20)})
    seen = indicator_rows({"Leicester": (10, 22), "Leicestershire": (7, 16)}).assign(item="seen")
    with pytest.raises(ValueError, match="no 'all' row"):
        suppress_item_proportions(pd.concat([plan, seen], ignore_index=True), ["instrument", "item"], "area", RULE)


def test_all_matches_the_findings_area_label():
    assert ALL == ALL_AREAS


# --- errors ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("met", "message"),
    [([3, -1, 9], "must not be negative"), ([3, 2.5, 9], "whole numbers"), ([3, None, 9], "whole numbers")],
)
def test_table_rejects_counts_that_are_not_whole_and_non_negative(met, message):
    cells = pd.DataFrame({"met": met, "not met": [1, 2, 3]})
    with pytest.raises(ValueError, match=message):
        suppress_table(cells, RULE)


def test_table_rejects_text_counts_and_a_row_already_called_total():
    with pytest.raises(ValueError, match="whole numbers"):
        suppress_table(pd.DataFrame({"met": ["3", "4"]}), RULE)
    with pytest.raises(ValueError, match="labelled 'total'"):
        suppress_table(table([1, 2], [3, 4], index=["A", TOTAL]), RULE)


def test_proportions_need_an_all_row():
    rows = indicator_rows({"Leicester": (3, 23), "Leicestershire": (12, 27)})
    with pytest.raises(ValueError, match="no 'all' row"):
        suppress_proportions(rows, "area", RULE)


def test_proportions_take_one_item_at_a_time():
    rows = indicator_rows({ALL: (15, 50), "Leicester": (3, 23), "Leicestershire": (12, 27)})
    with pytest.raises(ValueError, match="one item at a time"):
        suppress_proportions(pd.concat([rows, rows], ignore_index=True), "area", RULE)


def test_proportions_name_a_group_given_twice():
    rows = indicator_rows({ALL: (15, 50), "Leicester": (3, 23), "Leicestershire": (12, 27)})
    rows.loc[2, "area"] = "Leicester"
    with pytest.raises(ValueError, match=r"^group \('Leicester',\) appears more than once$"):
        suppress_proportions(rows, "area", RULE)


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ({ALL: (15, 50), "Leicester": (-3, 23), "Leicestershire": (12, 27)}, "must not be negative"),
        ({ALL: (15, 50), "Leicester": (30, 23), "Leicestershire": (12, 27)}, "between 0 and its denominator"),
        ({ALL: (10, 50), "Leicester": (3, 23), "Leicestershire": (12, 27)}, "smaller than the sum"),
    ],
)
def test_proportions_reject_impossible_counts(counts, message):
    numerator, denominator = zip(*counts.values())
    rows = pd.DataFrame({"area": list(counts), "numerator": numerator, "denominator": denominator})
    with pytest.raises(ValueError, match=message):
        suppress_proportions(rows, "area", RULE)


def test_proportions_name_a_missing_column():
    rows = indicator_rows({ALL: (15, 50), "Leicester": (3, 23), "Leicestershire": (12, 27)})
    with pytest.raises(ValueError, match="no column 'region'"):
        suppress_proportions(rows, "region", RULE)
