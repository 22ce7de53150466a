"""auditkit.briefing.charts: alt text from the data, readable text, and marks that do not rely on colour."""

from __future__ import annotations

import pandas as pd
import seaborn as sns
from matplotlib.colors import to_rgb
from matplotlib.text import Text

from auditkit.briefing.charts import chart_proportions, describe_chart, figure_png, plot_change, plot_proportions
from auditkit.stats.proportions import proportion_ci


def _rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": ["Toolkit used", "Drift evident", "Voice recorded"],
            "numerator": [2, 7, 5],
            "denominator": [10, 10, 10],
            "proportion": [0.2, 0.7, 0.5],
            "ci_low": [0.0567, 0.3968, 0.2366],
            "ci_high": [0.5098, 0.8922, 0.7634],
            "lower_is_better": [False, True, False],
        }
    )


def test_chart_alt_text_says_what_is_plotted_with_the_highest_and_lowest_and_their_intervals():
    alt = describe_chart(_rows(), "the case audit")
    assert alt.startswith(
        "Chart of the case audit: the percentage meeting each of 3 standards, each with its 95% confidence interval."
    )
    assert "Highest: Drift evident (lower is better), 70% (7 of 10; 95% CI 40% to 89%)." in alt
    assert "Lowest: Toolkit used, 20% (2 of 10; 95% CI 6% to 51%)." in alt
    html = chart_proportions(_rows(), "Case audit", "the case audit").to_html()
    assert 'alt="Chart of the case audit' in html and "<figcaption>" in html


def test_chart_alt_text_of_one_standard_names_it_once():
    alt = describe_chart(_rows().iloc[[0]], "the case audit")
    assert alt == (
        "Chart of the case audit: the percentage meeting one standard, with its 95% confidence interval: "
        "Toolkit used, 20% (2 of 10; 95% CI 6% to 51%)."
    )


def _contrast(colour) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in to_rgb(colour))
    return 1.05 / (0.2126 * red + 0.7152 * green + 0.0722 * blue + 0.05)


def test_charts_use_readable_text_and_colour_blind_safe_marks_that_do_not_rely_on_colour():
    comparison = pd.DataFrame(
        {
            "label": ["Toolkit used", "Drift evident"],
            "lower_is_better": [False, True],
            "baseline_numerator": [2, 7],
            "baseline_denominator": [10, 10],
            "followup_numerator": [9, 5],
            "followup_denominator": [12, 12],
        }
    )
    # The chart draws the proportions and intervals the comparison carries (as compare_rounds gives them).
    for side in ("baseline", "followup"):
        interval = proportion_ci(comparison[f"{side}_numerator"], comparison[f"{side}_denominator"])
        comparison[f"{side}_proportion"] = interval["proportion"]
        comparison[f"{side}_ci_low"] = interval["ci_low"]
        comparison[f"{side}_ci_high"] = interval["ci_high"]
    palette = {tuple(round(value, 3) for value in colour) for colour in sns.color_palette("colorblind")}
    palette.add((0.498, 0.498, 0.498))  # the baseline's grey
    for figure in (plot_proportions(_rows()), plot_change(comparison, "April 2017", "December 2017")):
        figure_png(figure)  # drawing it sets every tick label
        sizes = [text.get_fontsize() for text in figure.findobj(Text) if text.get_text().strip()]
        assert sizes and min(sizes) >= 10, "chart text smaller than 10pt on a 7-inch chart is hard to read"
        marks = [line for line in figure.axes[0].get_lines() if line.get_marker() not in ("None", None, "")]
        for line in figure.axes[0].get_lines():
            colour = tuple(round(value, 3) for value in to_rgb(line.get_color()))
            assert colour in palette
            assert _contrast(colour) >= 3, "marks need 3:1 contrast against the white page"
        # Two kinds of point are told apart by their shape as well as their colour.
        assert {line.get_marker() for line in marks} == {"o", "s"}
