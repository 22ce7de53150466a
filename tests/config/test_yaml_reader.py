"""auditkit.config.yaml_reader: YAML read the way non-programmers write it, and its mistakes named by file and line."""

from __future__ import annotations

import datetime as dt
import os
import time
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
    with pytest.raises(ParametersError) as caught:
        read_yaml(tmp_path, ParametersError, "parameters")
    assert str(caught.value) == f"The parameters file {tmp_path} is a folder, not a regular file."


# --- what a hostile or mistaken file can do: each refused quickly, by name -------------------------------


def alias_bomb(key: str = "title") -> str:
    """Nine anchors each nine times the one before: 9**9 strings once expanded (a "billion laughs")."""
    lines = ['x_a: &x_a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for before, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"x_{name}: &x_{name} [{','.join(['*x_' + before] * 9)}]")
    return "\n".join(lines) + f"\n{key}: *x_i\n"


def test_an_alias_bomb_is_refused_in_well_under_a_second(tmp_path):
    path = write(tmp_path, alias_bomb())
    started = time.monotonic()
    message = yaml_error(path)
    assert time.monotonic() - started < 0.5
    assert message == (
        "The parameters file round.yaml has aliases (*name, repeating an &name anchor) that expand to more than "
        "10,000 values by line 5, as a YAML alias bomb does."
    )


def test_an_alias_bomb_in_a_codebook_is_refused_with_the_codebook_named(tmp_path):
    with pytest.raises(CodebookError) as caught:
        read_yaml(write(tmp_path, alias_bomb(), "survey.yaml"), CodebookError, "codebook")
    assert str(caught.value).startswith("The codebook file survey.yaml has aliases (*name, repeating an &name")


def test_more_than_a_hundred_aliases_are_refused_at_the_one_past_the_limit(tmp_path):
    text = "agreement: &agreement [agree, disagree]\n" + "".join(f"item_{n}: *agreement\n" for n in range(101))
    assert yaml_error(write(tmp_path, text)) == (
        "The parameters file round.yaml uses more than 100 aliases (*name, repeating an &name anchor); the one "
        "past that is at line 102."
    )


def test_an_alias_inside_the_list_it_names_is_refused(tmp_path):
    assert yaml_error(write(tmp_path, "round: llr-2017\nareas: &areas [Leicester, *areas]\n")) == (
        "The parameters file round.yaml has the alias *areas at line 2 inside the very list or mapping it repeats."
    )


def test_a_shared_list_of_values_may_be_repeated_by_alias(tmp_path):
    text = "first:\n  values: &agreement [agree, disagree]\nsecond:\n  values: *agreement\n"
    assert read_yaml(write(tmp_path, text), ParametersError, "parameters") == {
        "first": {"values": ["agree", "disagree"]},
        "second": {"values": ["agree", "disagree"]},
    }


def test_a_file_over_1_mb_is_refused_before_it_is_parsed(tmp_path):
    path = write(tmp_path, "round: llr-2017\n# " + "x" * 1_000_000 + "\n")
    assert yaml_error(path) == (
        "The parameters file round.yaml is over 1 MB; a parameters file is a few KB of text, so auditkit reads "
        "none over 1 MB (1,000,000 bytes)."
    )


def test_a_file_of_exactly_1_mb_is_read(tmp_path):
    text = "round: llr-2017\n#"
    path = write(tmp_path, text + "x" * (1_000_000 - len(text)))
    assert path.stat().st_size == 1_000_000
    assert read_yaml(path, ParametersError, "parameters") == {"round": "llr-2017"}


def test_a_key_given_twice_names_the_key_and_both_lines(tmp_path):
    path = write(tmp_path, "round: llr-2017\ndisclosure:\n  min_count: 5\n  min_count: 0\n")
    assert yaml_error(path) == (
        "The parameters file round.yaml gives the key 'min_count' twice, at lines 3 and 4; keep the one you mean "
        "and delete the other."
    )


def test_a_key_given_twice_at_the_top_level_is_refused(tmp_path):
    message = yaml_error(write(tmp_path, "round: llr-2017\ntitle: One\nround: llr-2018\n"))
    assert message.startswith("The parameters file round.yaml gives the key 'round' twice, at lines 1 and 3;")


def test_a_key_given_twice_in_a_codebook_item_is_refused(tmp_path):
    text = "items:\n  - id: agency\n    type: text\n  - id: comment\n    type: text\n    type: choice\n"
    with pytest.raises(CodebookError) as caught:
        read_yaml(write(tmp_path, text, "survey.yaml"), CodebookError, "codebook")
    assert str(caught.value) == (
        "The codebook file survey.yaml gives the key 'type' twice, at lines 5 and 6; keep the one you mean and "
        "delete the other."
    )


def test_a_key_spelt_differently_but_read_alike_is_the_same_key(tmp_path):
    message = yaml_error(write(tmp_path, "'no': first\nno: second\n"))
    assert message.startswith("The parameters file round.yaml gives the key 'no' twice, at lines 1 and 2;")


def test_the_same_key_in_two_mappings_is_not_a_repeat(tmp_path):
    text = "first: {min_count: 5}\nsecond: {min_count: 0}\n"
    assert read_yaml(write(tmp_path, text), ParametersError, "parameters") == {
        "first": {"min_count": 5},
        "second": {"min_count": 0},
    }


def test_a_nul_character_in_the_text_is_named_at_its_line(tmp_path):
    assert yaml_error(write(tmp_path, "round: llr-2017\ntitle: a\x00b\n")) == (
        "The parameters file round.yaml is not valid YAML at line 2: it holds the character U+0000, which YAML "
        "does not allow."
    )


# --- a path that is not a regular file is named for what it is, and never opened ----------------------------


def test_a_named_pipe_is_refused_without_being_opened(tmp_path):
    pipe = tmp_path / "round.yaml"
    os.mkfifo(pipe)
    started = time.monotonic()
    assert yaml_error(pipe) == f"The parameters file {pipe} is a named pipe (FIFO), not a regular file."
    assert time.monotonic() - started < 0.5


def test_a_device_is_refused_without_being_read():
    assert yaml_error(Path("/dev/zero")) == "The parameters file /dev/zero is a device, not a regular file."


def test_a_symbolic_link_loop_is_named(tmp_path):
    loop = tmp_path / "round.yaml"
    loop.symlink_to(loop)
    assert yaml_error(loop) == (
        f"The parameters file {loop} is a symbolic link that loops back on itself, not a regular file."
    )


def test_a_nul_character_in_the_path_is_named(tmp_path):
    assert yaml_error(tmp_path / "round\x00.yaml") == (
        f"The parameters file {tmp_path}/round\\0.yaml holds a NUL character (\\0), not allowed in a file name."
    )
