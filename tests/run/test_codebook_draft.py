"""Drafting a codebook from an export: it never holds a respondent's own words, and `auditkit validate` on the draft
with the same export passes, for every kind of export."""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import INSTRUMENTS, REPO, RoundCopy

from auditkit.cli import main
from auditkit.config.codebook import load_codebook
from auditkit.errors import CodebookDraftError
from auditkit.read.export_profile import profile_export
from auditkit.run.codebook_draft import draft_items, write_codebook_draft

EXAMPLES = REPO / "data_templates" / "examples"
sys.path.insert(0, str(EXAMPLES))

import make_survey_exports as exports  # noqa: E402

#: Words respondents wrote or are called, planted in the exports: none may reach a draft.
PLANTED = {
    "comment": "ZQXCOMMENT Tyler's mum said the scores made sense",
    "comment_twice": "ZQXTWICE the toolkit was a lifeline",
}
NEVER_IN_A_DRAFT = ("ZQX", "Tyler", "Alex", "Chris", "example.org", "198.51.100", "Probation", "Youth offending")


def planted_records() -> list[dict[str, str]]:
    """The example survey's responses, with free text planted: once, twice, and as a consented comment."""
    records = copy.deepcopy(exports.read_codes(EXAMPLES / "llr-2017-survey.csv"))
    records[0]["comment"] = PLANTED["comment"]
    records[1]["comment"] = records[2]["comment"] = PLANTED["comment_twice"]
    records[1]["quote_consent"] = "yes"
    return records


def _codebook():
    return load_codebook(INSTRUMENTS / "toolkit_survey.yaml")


WRITERS: dict[str, Callable[[list[dict[str, str]], Path], None]] = {
    "surveymonkey.csv": lambda records, path: exports.write_csv(exports.surveymonkey_rows(_codebook(), records), path),
    "msforms.xlsx": lambda records, path: exports.write_xlsx(exports.msforms_rows(_codebook(), records), path, "Form1"),
    "googleforms.csv": lambda records, path: exports.write_csv(
        exports.google_rows(_codebook(), records, "forms"), path, byte_order_mark=False, quote_all=True
    ),
    "googlesheet.xlsx": lambda records, path: exports.write_xlsx(
        exports.google_rows(_codebook(), records, "sheet"), path, "Form Responses 1", blank_rows=20
    ),
    "googlesheet.csv": lambda records, path: exports.write_csv(
        exports.google_rows(_codebook(), records, "sheet-csv"), path, byte_order_mark=False
    ),
    "plain.csv": lambda records, path: exports.write_csv(exports.plain_rows(_codebook(), records), path),
}

ROUND = """\
round: drafted
title: A round read with a drafted codebook
partnership: Example partnership
period: {{start: 2016-07-01, end: 2017-04-30}}
instruments:
  survey:
    codebook: ../data_templates/drafted.yaml
    data: ../data_templates/examples/{export}
"""


@pytest.mark.parametrize("kind", list(WRITERS))
def test_a_draft_holds_no_respondents_words_and_validates_its_own_export(example_round: RoundCopy, kind: str):
    export = example_round.root / "data_templates" / "examples" / f"planted-{kind}"
    WRITERS[kind](planted_records(), export)
    draft = example_round.root / "data_templates" / "drafted.yaml"
    result = CliRunner().invoke(main, ["draft-codebook", str(export), "--out", str(draft)])
    assert result.exit_code == 0, result.output
    text = draft.read_text(encoding="utf-8")
    assert [word for word in NEVER_IN_A_DRAFT if word.casefold() in text.casefold()] == []
    parameters = example_round.root / "parameters" / "drafted.yaml"
    parameters.write_text(ROUND.format(export=export.name), encoding="utf-8")
    checked = CliRunner().invoke(main, ["validate", str(parameters)])
    assert checked.exit_code == 0, checked.output
    assert checked.output.splitlines() == [
        f"survey: 61 records in {export.name}: no problems found.",
        "drafted.yaml is ready to run.",
    ]


def test_a_table_of_item_ids_drafts_the_same_ids(example_round: RoundCopy):
    draft = write_codebook_draft(EXAMPLES / "llr-2017-survey.csv", example_round.root / "ids.yaml")
    assert [item.id for item in draft.codebook.items] == [
        "response_id",
        "agency",
        "area",
        "attended_launch",
        "aware_of_toolkit",
        "used_toolkit",
        "toolkit_helpful",
        "confident_recognising",
        "aware_of_escalation",
        "confident_challenging",
        "comment",
        "quote_consent",
    ]
    assert draft.codebook.quotes is not None
    assert (draft.codebook.quotes.text, draft.codebook.quotes.consent) == ("comment", "quote_consent")


def test_each_item_has_its_question_as_source_a_short_unique_id_and_a_readable_label(tmp_path: Path):
    draft = write_codebook_draft(EXAMPLES / "llr-2017-survey-googleforms.csv", tmp_path / "toolkit.yaml")
    items = {item.id: item for item in draft.codebook.items}
    assert len(items) == len(draft.codebook.items) == 16
    assert all(len(item_id) <= 32 for item_id in items)
    assert [(item.id, item.label, item.source) for item in draft.codebook.items[3:5]] == [
        (
            "attend_launch_event",
            "Attend the launch event for the neglect toolkit on 7 July 2016",
            "Did you attend the launch event for the neglect toolkit on 7 July 2016?",
        ),
        (
            "aware_neglect_toolkit",
            "Aware of the neglect toolkit",
            "Before today, were you aware of the neglect toolkit?",
        ),
    ]
    helped = items["helped_assessment"]
    assert (helped.label, helped.type, helped.met, helped.ordinal) == (
        "It helped my assessment",
        "choice",
        ("agree", "strongly_agree"),
        True,
    )
    option = items["parts_toolkit_health_growth_deve"]
    assert (option.label, option.source, option.codes) == (
        "Health, growth and development",
        "Which parts of the toolkit have you used? (Tick all that apply.) | Health, growth and development",
        ("yes", "no"),
    )
    assert items["response_id"].identifying and items["response_id"].unique
    assert draft.codebook.quotes is not None
    assert (draft.codebook.quotes.text, draft.codebook.quotes.consent) == (
        "used_toolkit_difference",
        "quote_comment_briefing",
    )
    assert items["quote_comment_briefing"].met == ()  # consent is not a standard


def test_the_draft_says_at_its_top_what_to_check_and_what_it_left_out(tmp_path: Path):
    write_codebook_draft(EXAMPLES / "llr-2017-survey-surveymonkey.csv", tmp_path / "toolkit.yaml")
    lines = (tmp_path / "toolkit.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[0] == (
        "# A codebook drafted by `auditkit draft-codebook` from the SurveyMonkey export llr-2017-survey-surveymonkey.csv"
    )
    assert "# Left out, never read:" in lines
    assert "#   - IP Address: the tool's column of personal data." in lines
    assert "# The survey tool's own columns, not read: Collector ID, Start Date, End Date." in lines
    assert sum("# CHECK met:" in line for line in lines) == 7  # 4 yes/no and 3 agreement items; consent has none


def test_questions_that_would_break_yaml_are_written_safely(tmp_path: Path):
    questions = ['Is it "safe": yes # or no?', "Two\nlines: - [x]", "{brace} & *star", "Which team?"]
    rows = [[*questions], *[["Yes", "No", "Yes", f"Team {'AB'[number % 2]}"] for number in range(6)]]
    export = tmp_path / "odd.csv"
    exports.write_csv(rows, export)
    draft = write_codebook_draft(export, tmp_path / "odd.yaml")
    assert [item.source for item in draft.codebook.items] == [
        'Is it "safe": yes # or no?',
        "Two\nlines: - [x]",
        *questions[2:],
    ]
    text = (tmp_path / "odd.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(text)["codebook"] == "odd"
    assert "# Left out" not in text  # nothing was left out


def test_an_existing_file_is_not_replaced_without_force(tmp_path: Path):
    target = tmp_path / "instrument.yaml"
    target.write_text("keep me\n", encoding="utf-8")
    with pytest.raises(CodebookDraftError) as caught:
        write_codebook_draft(EXAMPLES / "llr-2017-survey-plain.csv", target)
    assert str(caught.value) == f"{target} already exists; choose another name, or add --force to replace it."
    assert target.read_text(encoding="utf-8") == "keep me\n"
    write_codebook_draft(EXAMPLES / "llr-2017-survey-plain.csv", target, force=True)
    assert load_codebook(target).codebook == "instrument"
    assert [path.name for path in tmp_path.iterdir()] == ["instrument.yaml"]  # no temporary file left


def test_a_target_that_is_not_yaml_or_in_no_folder_is_refused(tmp_path: Path):
    with pytest.raises(CodebookDraftError) as caught:
        write_codebook_draft(EXAMPLES / "llr-2017-survey-plain.csv", tmp_path / "a\0b.yaml")
    assert str(caught.value) == f"{tmp_path}/a\\0b.yaml holds a NUL character (\\0), not allowed in a file name."
    with pytest.raises(CodebookDraftError) as caught:
        write_codebook_draft(EXAMPLES / "llr-2017-survey-plain.csv", tmp_path / "instrument.csv")
    assert str(caught.value) == "instrument.csv: a codebook is a YAML file; end its name with .yaml."
    with pytest.raises(CodebookDraftError) as caught:
        write_codebook_draft(EXAMPLES / "llr-2017-survey-plain.csv", tmp_path / "missing" / "instrument.yaml")
    assert str(caught.value) == (
        f"The folder {tmp_path / 'missing'} does not exist; create it first or choose another --out."
    )


def test_draft_items_propose_no_quotes_without_a_consent_question():
    profile = profile_export(EXAMPLES / "llr-2017-survey-plain.csv")
    items, quotes = draft_items(profile)
    assert quotes == {"text": "used_toolkit_difference", "consent": "quote_comment_briefing"}
    without = type(profile)(
        profile.path,
        profile.format_name,
        profile.format_title,
        profile.responses,
        profile.columns[:-1],
        profile.left_out,
        profile.metadata,
    )
    assert draft_items(without)[1] is None


@pytest.mark.slow
def test_a_round_read_with_a_drafted_codebook_runs_with_no_areas_format_or_background(example_round: RoundCopy):
    draft = example_round.root / "data_templates" / "drafted.yaml"
    write_codebook_draft(EXAMPLES / "llr-2017-survey-googlesheet.xlsx", draft)
    parameters = example_round.root / "parameters" / "drafted.yaml"
    parameters.write_text(ROUND.format(export="llr-2017-survey-googlesheet.xlsx"), encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(parameters), "--quiet"])
    assert result.exit_code == 0, result.output
    page = (example_round.reports / "drafted" / "briefing.html").read_text(encoding="utf-8")
    assert 'id="background"' not in page  # no background text: no empty heading
    assert '<h2 id="methodology">Methodology</h2>' in page
    assert "example.org" not in page and "Alex" not in page
