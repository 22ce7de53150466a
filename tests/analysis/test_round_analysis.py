"""auditkit.analysis.round_analysis: a round analysed with its history: baselines computed afresh, compared, trended.

Expected counts are read from the example CSVs with the csv module; nothing is compared with an earlier
auditkit output.
"""

from __future__ import annotations

import csv
import html
import json
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import yaml
from conftest import REPO, RoundCopy, copy_as, edit_text, examples_of, followup_of

import auditkit
from auditkit.publish.findings_files import analysis_to_dict, analysis_to_table, write_findings
from auditkit.publish.protection import protect_analysis
from auditkit.stats.inference import cochran_armitage_trend

FOLLOWUP = REPO / "parameters" / "llr-2017-followup.yaml"


# Met and not-applicable codes, copied by hand from src/auditkit/instruments/neglect_deep_dive.yaml and
# src/auditkit/instruments/toolkit_survey.yaml.
AGREE = {"agree", "strongly_agree"}


DEEP_DIVE = {
    "toolkit_used": ({"yes"}, set()),
    "drift_evident": ({"yes"}, set()),
    "voice_of_child": ({"yes"}, set()),
    "seen_alone": ({"yes", "observed"}, set()),
    "info_sharing": ({"good"}, set()),
    "conference_notice": ({"yes"}, {"not_applicable"}),
    "plan_shared": ({"yes"}, {"not_applicable"}),
    "escalation": ({"timely"}, {"not_needed"}),
    "supervision": ({"regular"}, set()),
    "overall_grade": ({"outstanding", "good"}, set()),
}


SURVEY = {
    "attended_launch": ({"yes"}, set()),
    "aware_of_toolkit": ({"yes"}, set()),
    "used_toolkit": ({"yes"}, set()),
    "toolkit_helpful": (AGREE, set()),
    "confident_recognising": (AGREE, set()),
    "aware_of_escalation": ({"yes"}, set()),
    "confident_challenging": (AGREE, set()),
}


ITEMS = {"deep_dive": DEEP_DIVE, "survey": SURVEY}


# ---------------------------------------------------------------- helpers


def rewrite_parameters(path: Path, change: Callable[[dict], None]) -> None:
    """Load a parameters file as plain YAML, change it and write it back (it holds no yes/no values)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def count_met(path: Path, instrument: str, item: str) -> tuple[int, int]:
    """(met, applicable) for one item of one CSV: blank and not-applicable answers leave the denominator."""
    met, not_applicable = ITEMS[instrument][item]
    answers = [row[item].strip() for row in read_rows(path)]
    answers = [answer for answer in answers if answer and answer not in not_applicable]
    return sum(answer in met for answer in answers), len(answers)


def test_analysing_the_followup_computes_the_baseline_from_its_own_data():
    analysis = auditkit.analyse_round(FOLLOWUP)
    assert [round_.id for round_ in analysis.rounds] == ["llr-2017", "llr-2017-followup"]
    assert [earlier.round.id for earlier in analysis.history] == ["llr-2017"]
    examples = REPO / "data_templates" / "examples"
    for which, analysed in (("llr-2017", analysis.history[0]), ("llr-2017-followup", analysis)):
        for instrument, file in (("deep_dive", f"{which}-cases.csv"), ("survey", f"{which}-survey.csv")):
            for item in ITEMS[instrument]:
                row = analysed.findings.indicator(instrument, item)
                assert (row["numerator"], row["denominator"]) == count_met(examples / file, instrument, item)
    assert analysis.trend is None  # two rounds: no test for trend


def test_a_baseline_is_computed_afresh_when_its_data_change(example_round: RoundCopy):
    example_round.edit_cases("DD17-L01,Leicester,2017-04-03,0-1,no,", "DD17-L01,Leicester,2017-04-03,0-1,yes,")
    analysis = auditkit.analyse_round(followup_of(example_round))
    assert count_met(example_round.cases, "deep_dive", "toolkit_used") == (3, 10)
    items = analysis.comparison.items.set_index("item")
    assert (items.loc["toolkit_used", "baseline_numerator"], items.loc["toolkit_used", "baseline_denominator"]) == (
        3,
        10,
    )


# ---------------------------------------------------------------- three rounds: a trend


def make_third_round(copy: RoundCopy) -> Path:
    """llr-2018: the follow-up's parameters with the follow-up as baseline, its own cases, the follow-up survey."""
    examples = examples_of(copy)
    rows = read_rows(examples / "llr-2017-followup-cases.csv")
    for row in rows:  # every case uses the toolkit, none drifts
        row["toolkit_used"], row["drift_evident"] = "yes", "no"
    write_rows(examples / "llr-2018-cases.csv", rows)
    latest = copy_as(followup_of(copy), "llr-2018.yaml")
    edit_text(latest, "round: llr-2017-followup", "round: llr-2018")
    edit_text(latest, "title: Neglect toolkit follow-up survey", "title: Neglect toolkit second follow-up survey")
    edit_text(latest, "baseline: llr-2017.yaml", "baseline: llr-2017-followup.yaml")
    edit_text(latest, "examples/llr-2017-followup-cases.csv", "examples/llr-2018-cases.csv")
    return latest


def test_a_trend_resting_on_a_hidden_count_publishes_none_of_its_figures(example_round: RoundCopy):
    latest = make_third_round(example_round)
    for parameters in (example_round.parameters, followup_of(example_round), latest):
        edit_text(parameters, "min_count: 0", "min_count: 5")  # the DfE rule in every round
    trend = protect_analysis(auditkit.analyse_round(latest)).trend.set_index("item")
    toolkit = trend.loc["toolkit_used"]  # 2 of 10 in llr-2017: a count from 1 to 5, hidden
    assert list(toolkit["numerators"]) == [None, None, None]
    assert list(toolkit["proportions"]) == [None, None, None]  # 2/10 would give the hidden 2 back
    assert np.isnan(toolkit["z"]) and np.isnan(toolkit["p_value"])
    assert list(toolkit["denominators"]) == [10, 12, 12]


def test_three_rounds_give_a_cochran_armitage_trend_for_every_common_item(example_round: RoundCopy):
    latest = make_third_round(example_round)
    analysis = auditkit.analyse_round(latest)
    trend = analysis.trend_table()
    examples = examples_of(example_round)
    files = {
        "deep_dive": ["llr-2017-cases.csv", "llr-2017-followup-cases.csv", "llr-2018-cases.csv"],
        "survey": ["llr-2017-survey.csv", "llr-2017-followup-survey.csv", "llr-2017-followup-survey.csv"],
    }
    expected_keys = [(name, item) for name, items in ITEMS.items() for item in items]
    assert sorted(zip(trend["instrument"], trend["item"])) == sorted(expected_keys)
    assert len(trend) == len(expected_keys)
    for _, row in trend.iterrows():
        found = [count_met(examples / file, row["instrument"], row["item"]) for file in files[row["instrument"]]]
        numerators, denominators = [x for x, _ in found], [n for _, n in found]
        assert list(row["rounds"]) == ["llr-2017", "llr-2017-followup", "llr-2018"]
        assert list(row["numerators"]) == numerators and list(row["denominators"]) == denominators
        expected = cochran_armitage_trend(numerators, denominators).iloc[0]
        assert row["z"] == pytest.approx(expected["z"], rel=1e-12), row["item"]
        assert row["p_value"] == pytest.approx(expected["p_value"], rel=1e-12), row["item"]
    toolkit = trend.set_index("item").loc["toolkit_used"]
    assert list(toolkit["numerators"]) == [2, 9, 12] and list(toolkit["denominators"]) == [10, 12, 12]
    assert list(toolkit["proportions"]) == [0.2, 0.75, 1.0]  # worked out once, for the briefing to word
    assert toolkit["z"] > 0  # rising
    assert trend.set_index("item").loc["drift_evident", "z"] < 0  # falling


def test_three_rounds_publish_the_trend(example_round: RoundCopy):
    analysis = auditkit.analyse_round(make_third_round(example_round))
    document = analysis_to_dict(analysis)
    json.dumps(document, allow_nan=False)
    assert len(document["trend"]) == 17
    entry = next(e for e in document["trend"] if e["item"] == "toolkit_used")
    assert set(entry) >= {"instrument", "item", "rounds", "z", "p_value"}
    assert entry["rounds"] == ["llr-2017", "llr-2017-followup", "llr-2018"]
    # the trend p-values are adjusted with the rest of the round's
    assert all(not math.isnan(p) for p in analysis.trend["p_adjusted"])
    text = html.unescape(auditkit.render_section("change", analysis).html)
    assert "Trend over 3 rounds" in text


# ---------------------------------------------------------------- rounds with items in one round only


def drop_actions_on(document: dict, instrument: str) -> None:
    """Actions name the item they answer, so they go with their instrument."""
    document["actions"] = [
        action for action in document.get("actions", []) if not action["item"].startswith(f"{instrument}.")
    ]


def drop_survey_from(document: dict) -> None:
    del document["instruments"]["survey"]
    drop_actions_on(document, "survey")
    document["briefing"]["methodology"].pop("survey", None)
    for key, entry in list(document["briefing"]["recommendations"].items()):
        if key.startswith("survey."):
            del document["briefing"]["recommendations"][key]
        elif isinstance(entry, dict):
            entry["also"] = [other for other in entry.get("also", []) if not other.startswith("survey.")]


def drop_deep_dive_from(document: dict) -> None:
    del document["instruments"]["deep_dive"]
    drop_actions_on(document, "deep_dive")
    document["briefing"]["methodology"].pop("deep_dive", None)
    document["briefing"]["recommendations"] = {"survey.used_toolkit": "Keep encouraging practitioners to use it."}


def test_an_instrument_in_the_baseline_only_is_listed_not_dropped(example_round: RoundCopy):
    rewrite_parameters(followup_of(example_round), drop_survey_from)
    analysis = auditkit.analyse_round(followup_of(example_round))
    comparison = analysis.comparison
    assert set(comparison.items["instrument"]) == {"deep_dive"}
    assert sorted(comparison.items["item"]) == sorted(DEEP_DIVE)
    assert sorted(comparison.only_in_baseline) == sorted(f"survey.{item}" for item in SURVEY)
    assert comparison.only_in_followup == ()
    document = analysis_to_dict(analysis)
    assert sorted(document["comparison"]["only_in_baseline"]) == sorted(f"survey.{item}" for item in SURVEY)
    text = html.unescape(auditkit.render_section("change", analysis).html)
    assert "Not compared, because they were asked in one round only" in text
    assert "survey.used_toolkit" in text


def test_rounds_with_no_items_in_common_still_analyse_and_say_so(example_round: RoundCopy, tmp_path: Path):
    rewrite_parameters(example_round.parameters, drop_survey_from)
    rewrite_parameters(followup_of(example_round), drop_deep_dive_from)
    analysis = auditkit.analyse_round(followup_of(example_round))
    comparison = analysis.comparison
    assert comparison is not None
    assert comparison.items.empty
    assert sorted(comparison.only_in_baseline) == sorted(f"deep_dive.{item}" for item in DEEP_DIVE)
    assert sorted(comparison.only_in_followup) == sorted(f"survey.{item}" for item in SURVEY)
    # the follow-up's own areas are still tested against each other
    assert sorted(analysis.area_tests["item"]) == sorted(SURVEY)
    assert not analysis.area_tests["p_adjusted"].isna().any()

    document = analysis_to_dict(analysis)
    assert document["comparison"]["items"] == []
    assert sorted(document["comparison"]["only_in_followup"]) == sorted(f"survey.{item}" for item in SURVEY)
    table = analysis_to_table(analysis)
    assert not (table["section"] == "comparison").any()
    write_findings(analysis, tmp_path)
    assert json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))["comparison"]["items"] == []

    text = html.unescape(auditkit.render_section("change", analysis).html)
    assert "Change since Neglect toolkit survey and deep dive audit" in text
    assert "The two rounds have no standards in common, so nothing can be compared." in text
    assert "deep_dive.toolkit_used" in text and "survey.used_toolkit" in text
    assert "Since" not in auditkit.render_section("key_findings", analysis).html
