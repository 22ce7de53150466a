"""auditkit.config.workbook: which workbook a round belongs to, what the package ships, codebooks by name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import INSTRUMENTS, NOTEBOOKS, REPO, RoundCopy

import auditkit
from auditkit.config.round import load_round
from auditkit.config.workbook import (
    codebook_names,
    find_codebook,
    find_workbook,
    is_codebook_name,
    package_folder,
    resolve_codebook,
    workbook_file,
    workbook_of,
)
from auditkit.errors import UnknownCodebookError, WorkbookPathError

PACKAGED = ("cp_plans_neglect", "neglect_deep_dive", "toolkit_survey")


# --- finding the workbook -------------------------------------------------------------------------------


def test_the_repository_root_is_the_example_workbook():
    assert (REPO / "auditkit.yaml").is_file()
    assert workbook_of(REPO / "parameters" / "llr-2017.yaml") == REPO


def test_a_folder_holding_auditkit_yaml_is_a_workbook(tmp_path: Path):
    (tmp_path / "auditkit.yaml").write_text("# a workbook\n", encoding="utf-8")
    (tmp_path / "rounds" / "2024").mkdir(parents=True)
    assert workbook_of(tmp_path / "rounds" / "2024" / "round.yaml") == tmp_path


def test_a_folder_holding_parameters_is_a_workbook_without_the_marker(example_round: RoundCopy):
    (example_round.root / "auditkit.yaml").unlink()
    assert workbook_of(example_round.parameters) == example_round.root


def test_the_nearest_workbook_wins(example_round: RoundCopy):
    inner = example_round.root / "parameters" / "area-a"
    inner.mkdir()
    (inner / "auditkit.yaml").write_text("", encoding="utf-8")
    assert workbook_of(inner / "round.yaml") == inner
    assert workbook_of(example_round.parameters) == example_round.root


def test_a_folder_named_auditkit_yaml_or_a_file_named_parameters_marks_nothing(tmp_path: Path):
    (tmp_path / "auditkit.yaml").mkdir()
    (tmp_path / "parameters").write_text("", encoding="utf-8")
    assert find_workbook(tmp_path) is None


def test_outside_any_workbook_there_is_none(tmp_path: Path):
    assert workbook_of(tmp_path / "round.yaml") is None


# --- the package's own files ----------------------------------------------------------------------------


def test_the_package_ships_the_standard_instruments_and_the_notebooks_from_this_source_tree():
    # importlib.resources finds them beside the auditkit that is imported: this tree's, on PYTHONPATH or installed.
    assert package_folder("instruments") == Path(auditkit.__file__).parent / "instruments"
    assert sorted(path.stem for path in package_folder("instruments").glob("*.yaml")) == list(PACKAGED)
    assert sorted(path.name for path in package_folder("notebooks").glob("*.ipynb")) == [
        "analysis.ipynb",
        "briefing.ipynb",
    ]
    assert package_folder("instruments") == INSTRUMENTS.resolve()
    assert package_folder("notebooks") == NOTEBOOKS.resolve()


# --- a notebook's parameters file -----------------------------------------------------------------------


def test_a_notebook_finds_its_parameters_file_from_the_workbook_root_and_from_a_notebooks_folder(
    example_round: RoundCopy,
):
    notebooks = example_round.own_notebooks()
    for start in (example_round.root, notebooks):
        assert workbook_file("parameters/llr-2017.yaml", start) == example_round.parameters


def test_the_working_directory_is_where_a_notebook_looks(example_round: RoundCopy, monkeypatch):
    monkeypatch.chdir(example_round.own_notebooks())
    assert workbook_file("parameters/llr-2017.yaml") == example_round.parameters


def test_an_absolute_parameters_path_is_used_as_it_is(tmp_path: Path):
    assert workbook_file(tmp_path / "round.yaml", tmp_path) == tmp_path / "round.yaml"


def test_a_relative_parameters_path_outside_any_workbook_is_refused_with_a_sentence(tmp_path: Path):
    with pytest.raises(WorkbookPathError) as caught:
        workbook_file("parameters/llr-2017.yaml", tmp_path)
    assert str(caught.value) == (
        f"'parameters/llr-2017.yaml' is a path inside an auditkit workbook, but no folder at or above {tmp_path} "
        f"holds auditkit.yaml or parameters/; open the notebook inside a workbook, or give the parameters file's "
        f"full path."
    )


# --- codebooks by name ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("toolkit_survey", True),
        ("lancashire_cp_plans", True),
        ("toolkit_survey.yaml", False),
        ("toolkit_survey.YML", False),
        ("../data_templates/toolkit_survey", False),
        ("/srv/codebooks/survey", False),
    ],
)
def test_a_value_with_no_slash_and_no_yaml_ending_is_a_name(value: str, name: bool):
    assert is_codebook_name(value) is name


def test_a_name_is_the_workbooks_own_codebook_first(example_round: RoundCopy):
    own = example_round.own_codebook("toolkit_survey")
    assert resolve_codebook("toolkit_survey", example_round.parameters, "here") == own
    assert load_round(example_round.parameters).instruments["survey"].codebook.path == own


def test_a_name_the_workbook_lacks_is_auditkits_own(example_round: RoundCopy):
    assert resolve_codebook("toolkit_survey", example_round.parameters, "here") == INSTRUMENTS / "toolkit_survey.yaml"
    assert resolve_codebook("lancashire_cp_plans", example_round.parameters, "here") == (
        example_round.root / "data_templates" / "lancashire_cp_plans.yaml"
    )


def test_a_path_is_taken_from_the_parameters_files_folder(example_round: RoundCopy):
    assert resolve_codebook("../data_templates/x.yaml", example_round.parameters, "here") == (
        example_round.root / "data_templates" / "x.yaml"
    )


def test_the_names_known_are_the_workbooks_and_auditkits(example_round: RoundCopy):
    shutil.copyfile(INSTRUMENTS / "toolkit_survey.yaml", example_round.root / "data_templates" / "survey 2.yaml")
    assert codebook_names(example_round.root) == tuple(sorted(("lancashire_cp_plans", *PACKAGED)))  # no "survey 2"
    assert codebook_names(None) == PACKAGED


def test_an_unknown_name_lists_the_names_known_and_the_nearest(example_round: RoundCopy):
    example_round.edit_parameters("codebook: toolkit_survey", "codebook: toolkit_surevy")
    with pytest.raises(UnknownCodebookError) as caught:
        load_round(example_round.parameters)
    assert str(caught.value) == (
        f"llr-2017.yaml: instruments → survey → codebook names the codebook 'toolkit_surevy', which is not in "
        f"{example_round.root / 'data_templates'}/ nor among auditkit's own instruments; known: cp_plans_neglect, "
        f"lancashire_cp_plans, neglect_deep_dive, toolkit_survey. Did you mean 'toolkit_survey'?"
    )


def test_an_unknown_name_outside_a_workbook_lists_auditkits_own(tmp_path: Path):
    with pytest.raises(UnknownCodebookError) as caught:
        find_codebook("incidents", None, tmp_path, "auditkit template")
    assert str(caught.value) == (
        "auditkit template names the codebook 'incidents', which is not among auditkit's own instruments (outside a "
        "workbook, no data_templates/ is looked in); known: cp_plans_neglect, neglect_deep_dive, toolkit_survey."
    )


@pytest.mark.parametrize("value", ["..", ".", "toolkit\0survey", "", "toolkit survey"])
def test_a_name_that_could_leave_the_folder_or_is_no_file_name_is_unknown(example_round: RoundCopy, value: str):
    with pytest.raises(UnknownCodebookError) as caught:
        resolve_codebook(value, example_round.parameters, "here")
    assert "known: cp_plans_neglect, lancashire_cp_plans, neglect_deep_dive, toolkit_survey." in str(caught.value)
    assert "\0" not in str(caught.value)


def test_an_indicator_table_may_name_its_codebook(example_round: RoundCopy):
    round_ = load_round(example_round.root / "parameters" / "lancashire-2018.yaml")
    table = round_.indicator_tables["cp_plans_neglect"]
    assert table.codebook.path == example_round.root / "data_templates" / "lancashire_cp_plans.yaml"


def test_the_standard_cp_plans_codebook_reads_the_lancashire_tables(example_round: RoundCopy):
    parameters = example_round.root / "parameters" / "lancashire-2018.yaml"
    text = parameters.read_text(encoding="utf-8").replace("codebook: lancashire_cp_plans", "codebook: cp_plans_neglect")
    parameters.write_text(text, encoding="utf-8")
    analysis = auditkit.analyse_round(parameters, reuse=False)
    table = analysis.indicator_tables["cp_plans_neglect"]
    assert table.codebook.path == INSTRUMENTS / "cp_plans_neglect.yaml"
    assert table.codebook.total_area is None
    assert len(table.rows) > 0


def test_a_file_is_named_from_its_workbook_or_in_full(tmp_path):
    from auditkit.config.workbook import workbook_relative

    (tmp_path / "book" / "parameters").mkdir(parents=True)
    assert workbook_relative(tmp_path / "book" / "parameters" / "r.yaml") == "parameters/r.yaml"
    assert workbook_relative(tmp_path / "loose.yaml") == str(tmp_path / "loose.yaml")
