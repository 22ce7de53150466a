"""auditkit.config.yaml_reader: YAML read the way non-programmers write it, and its mistakes named by file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from auditkit.config.yaml_reader import read_yaml
from auditkit.errors import CodebookError, ParametersError


def write(tmp_path: Path, text: str, name: str = "round.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def yaml_error(path: Path) -> str:
    with pytest.raises(ParametersError) as caught:
        read_yaml(path, ParametersError, "parameters")
    return str(caught.value)


def test_only_true_and_false_in_their_usual_spellings_are_booleans(tmp_path):
    path = write(tmp_path, "answers: [true, True, TRUE, false, False, FALSE, tRUE, y, n, Y, N, On, OFF]\n")
    assert read_yaml(path, ParametersError, "parameters") == {
        "answers": [True, True, True, False, False, False, "tRUE", "y", "n", "Y", "N", "On", "OFF"]
    }


def test_iso_dates_are_dates_and_other_spellings_stay_as_typed(tmp_path):
    path = write(tmp_path, "start: 2017-04-30\nend: 30/04/2017\nround: llr-2017\n")
    assert read_yaml(path, ParametersError, "parameters") == {
        "start": dt.date(2017, 4, 30),
        "end": "30/04/2017",
        "round": "llr-2017",
    }


def test_an_empty_file_holds_nothing(tmp_path):
    assert read_yaml(write(tmp_path, ""), ParametersError, "parameters") is None


def test_an_impossible_date_is_named_at_its_line(tmp_path):
    path = write(tmp_path, "period:\n  start: 2017-02-01\n  end: 2017-02-30\n")
    assert yaml_error(path) == (
        "The parameters file round.yaml is not valid YAML at line 3: '2017-02-30' is not a real date "
        "(day is out of range for month)."
    )


def test_an_unquoted_colon_in_a_value_says_to_quote_it(tmp_path):
    path = write(tmp_path, "round: llr-2017\ntitle: Neglect: a survey\n")
    assert yaml_error(path) == (
        "The parameters file round.yaml is not valid YAML at line 2: mapping values are not allowed here "
        "(a value that contains ': ' must be put in quotes)."
    )


def test_a_tab_says_to_indent_with_spaces(tmp_path):
    path = write(tmp_path, "round: llr-2017\nareas:\n\t- Leicester\n")
    assert yaml_error(path) == (
        "The parameters file round.yaml is not valid YAML at line 3: found character '\\t' that cannot start any "
        "token (indent with spaces, not tabs)."
    )


def test_a_key_without_its_colon_gets_a_hint(tmp_path):
    message = yaml_error(write(tmp_path, "round: llr-2017\ntitle Neglect audit\nareas: [Leicester]\n"))
    assert message.startswith("The parameters file round.yaml is not valid YAML at line ")
    assert message.endswith("could not find expected ':' (a key is missing its ':' or a quote is not closed).")


def test_a_mistake_without_a_hint_still_names_the_file_the_line_and_the_problem(tmp_path):
    message = yaml_error(write(tmp_path, "areas: [Leicester, Rutland\nround: llr-2017\n"))
    assert message == "The parameters file round.yaml is not valid YAML at line 2: expected ',' or ']', but got ':'."


def test_a_file_saved_in_windows_1252_is_not_utf8_text(tmp_path):
    path = tmp_path / "round.yaml"
    path.write_bytes("title: Café audit\n".encode("cp1252"))
    assert yaml_error(path) == "The parameters file round.yaml is not UTF-8 text."


def test_a_missing_file_is_named_in_full_with_the_error_and_the_word_asked_for(tmp_path):
    with pytest.raises(CodebookError) as caught:
        read_yaml(tmp_path / "codebooks" / "survey.yaml", CodebookError, "codebook")
    assert str(caught.value) == f"The codebook file {tmp_path / 'codebooks' / 'survey.yaml'} does not exist."


def test_a_folder_is_not_a_file(tmp_path):
    with pytest.raises(ParametersError, match=r"The parameters file .* does not exist\."):
        read_yaml(tmp_path, ParametersError, "parameters")
