"""auditkit.run.next_round: the next round's parameters file, scaffolded from this one by `auditkit new-round`."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from click.testing import CliRunner
from conftest import RoundCopy

from auditkit.cli import main
from auditkit.config.round import load_round
from auditkit.errors import ParametersError
from auditkit.run.next_round import advance_period, suggest_round_id, write_next_round


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_period_advances_by_the_same_length():
    assert advance_period(dt.date(2016, 7, 1), dt.date(2017, 4, 30)) == (dt.date(2017, 5, 1), dt.date(2018, 2, 28))
    assert advance_period(dt.date(2017, 7, 1), dt.date(2017, 12, 31)) == (dt.date(2018, 1, 1), dt.date(2018, 6, 30))
    # not whole months: the same number of days
    assert advance_period(dt.date(2017, 1, 15), dt.date(2017, 2, 14)) == (dt.date(2017, 2, 15), dt.date(2017, 3, 17))
    assert suggest_round_id("llr-2017", dt.date(2018, 2, 28)) == "llr-2018"
    assert suggest_round_id("llr-2017-followup", dt.date(2018, 6, 30)) == "llr-2017-followup-next"


def test_new_round_scaffolds_the_next_parameters_file(example_round: RoundCopy):
    target = example_round.root / "parameters" / "llr-2018.yaml"
    result = invoke("new-round", str(example_round.parameters), "--out", str(target))
    assert result.exit_code == 0, result.output
    assert "Fill in the data paths marked FILL IN" in result.output
    # A notebook names the round as a path in the workbook, found from wherever it runs in the workbook.
    assert result.output.splitlines()[-1] == 'In a notebook, set parameters_path = "parameters/llr-2018.yaml".'
    text = target.read_text(encoding="utf-8")
    assert "FILL IN: this round's deep_dive data file" in text and "CHANGE: where does it stand now?" in text
    document = yaml.safe_load(text)
    assert document["baseline"] == "llr-2017.yaml"
    assert document["period"] == {"start": dt.date(2017, 5, 1), "end": dt.date(2018, 2, 28)}
    assert document["round"] == "llr-2018"
    assert [(a["ref"], a["item"], a["status"]) for a in document["actions"]] == [
        ("A1", "deep_dive.toolkit_used", "not_started"),
        ("A2", "deep_dive.drift_evident", "not_started"),
        ("A3", "deep_dive.voice_of_child", "not_started"),
        ("A4", "deep_dive.escalation", "not_started"),
        ("A5", "deep_dive.conference_notice", "not_started"),
    ]
    assert document["instruments"]["survey"] == {"codebook": "toolkit_survey", "data": ""}
    assert document["briefing"]["recommendations"]
    result = invoke("validate", str(target))
    assert result.exit_code == 1
    assert "llr-2018.yaml: instruments → deep_dive → data is empty; fill in the path" in result.output


def test_new_round_refuses_to_overwrite(example_round: RoundCopy):
    result = invoke("new-round", str(example_round.parameters), "--out", str(example_round.parameters))
    assert result.exit_code == 1
    assert "already exists; choose a new file name for the next round." in result.output


@pytest.mark.slow
def test_the_scaffolded_round_validates_and_runs_once_data_is_added(example_round: RoundCopy):
    target = example_round.root / "parameters" / "llr-2018.yaml"
    assert invoke("new-round", str(example_round.parameters), "--out", str(target)).exit_code == 0
    text = target.read_text(encoding="utf-8")
    text = text.replace(
        'data: ""   # FILL IN: this round\'s deep_dive data file (.csv or .xlsx)',
        "data: ../data_templates/examples/llr-2017-followup-cases.csv",
        1,
    )
    text = text.replace(
        'data: ""   # FILL IN: this round\'s survey data file (.csv or .xlsx)',
        "data: ../data_templates/examples/llr-2017-followup-survey.csv",
        1,
    )
    text = text.replace("status: not_started   # CHANGE: where does it stand now?", "status: done", 1)
    target.write_text(text, encoding="utf-8")
    # The follow-up's audit dates fall in December 2017, inside the scaffolded period.
    assert invoke("validate", str(target)).exit_code == 0
    result = invoke("run", "--quiet", str(target))
    assert result.exit_code == 0, result.output
    page = (example_round.reports / "llr-2018" / "briefing.html").read_text(encoding="utf-8")
    assert "Progress on actions from Neglect toolkit survey and deep dive audit" in page
    assert "Change since Neglect toolkit survey and deep dive audit" in page


def test_whole_months_stay_whole_months_across_a_leap_year_end():
    # 12 whole months ending on 29 February: the next 12 end on the last day of February 2021, a non-leap year.
    assert advance_period(dt.date(2019, 3, 1), dt.date(2020, 2, 29)) == (dt.date(2020, 3, 1), dt.date(2021, 2, 28))
    # One whole month ending in December: the next is January.
    assert advance_period(dt.date(2017, 12, 1), dt.date(2017, 12, 31)) == (dt.date(2018, 1, 1), dt.date(2018, 1, 31))


def test_a_round_id_without_a_year_at_its_end_gets_next():
    assert suggest_round_id("neglect-audit", dt.date(2018, 6, 30)) == "neglect-audit-next"
    assert suggest_round_id("2017-llr", dt.date(2018, 6, 30)) == "2017-llr-next"


def test_the_next_rounds_file_must_be_yaml(example_round: RoundCopy):
    target = example_round.root / "parameters" / "llr-2018.txt"
    with pytest.raises(ParametersError) as caught:
        write_next_round(load_round(example_round.parameters), target)
    assert str(caught.value) == "llr-2018.txt: a parameters file must end in .yaml."
    assert not target.exists()


def test_the_next_round_is_written_into_a_new_folder_with_paths_relative_to_it(example_round: RoundCopy):
    example_round.own_codebook("neglect_deep_dive")
    example_round.edit_parameters("codebook: neglect_deep_dive", "codebook: ../data_templates/neglect_deep_dive.yaml")
    target = example_round.root / "parameters" / "2018" / "llr-2018.yaml"
    assert write_next_round(load_round(example_round.parameters), target) == target
    document = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert document["baseline"] == "../llr-2017.yaml"
    assert document["instruments"]["deep_dive"]["codebook"] == "../../data_templates/neglect_deep_dive.yaml"
    assert document["instruments"]["survey"]["codebook"] == "toolkit_survey"  # a name stays a name


def test_the_word_template_and_the_formats_are_carried_over(example_round: RoundCopy):
    from auditkit.briefing.docx_template import DEFAULT_TEMPLATE

    (example_round.root / "parameters" / "partnership.docx").write_bytes(DEFAULT_TEMPLATE.read_bytes())
    example_round.edit_parameters("briefing:\n", "formats: [docx]\nbriefing:\n  docx_template: partnership.docx\n")
    target = example_round.root / "parameters" / "2018" / "llr-2018.yaml"
    write_next_round(load_round(example_round.parameters), target)
    document = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert document["formats"] == ["docx"]
    assert document["briefing"]["docx_template"] == "../partnership.docx"


def test_the_default_formats_are_left_unsaid(example_round: RoundCopy):
    target = example_round.root / "parameters" / "llr-2018.yaml"
    write_next_round(load_round(example_round.parameters), target)
    assert "formats" not in yaml.safe_load(target.read_text(encoding="utf-8"))
