"""The briefing's formats and its Word template as a round's parameters name them, and a sentence for each mistake."""

from __future__ import annotations

import pytest

from auditkit.config.briefing_output import BRIEFING_FORMATS, check_formats, resolve_docx_template
from auditkit.config.round import load_round
from auditkit.errors import ParametersError


def test_every_format_is_written_unless_the_round_says_otherwise(example_round):
    assert BRIEFING_FORMATS == ("html", "pdf", "docx")
    assert load_round(example_round.parameters).formats == ("html", "pdf", "docx")


def test_the_formats_named_are_put_in_order_without_regard_to_case_spaces_or_repeats():
    assert check_formats(["docx", " HTML", "docx"]) == ("html", "docx")


def test_an_unknown_format_is_refused_listing_the_allowed():
    with pytest.raises(ValueError) as caught:
        check_formats(["html", "odt"])
    assert str(caught.value) == "'odt' is not a briefing format; allowed: html, pdf, docx"


def test_naming_no_format_is_refused():
    with pytest.raises(ValueError) as caught:
        check_formats([])
    assert str(caught.value) == "no briefing format is named; name one or more of: html, pdf, docx"


def test_a_rounds_formats_are_read_and_an_unknown_one_refused_naming_the_file(example_round):
    example_round.edit_parameters("areas:", "formats: [docx, html]\nareas:")
    assert load_round(example_round.parameters).formats == ("html", "docx")
    example_round.edit_parameters("formats: [docx, html]", "formats: [html, odt]")
    with pytest.raises(ParametersError) as caught:
        load_round(example_round.parameters)
    assert str(caught.value) == (
        f"The parameters file {example_round.parameters} has 1 problem(s):\n"
        "  llr-2017.yaml: key 'formats': 'odt' is not a briefing format; allowed: html, pdf, docx."
    )


def test_a_word_template_is_resolved_against_the_parameters_folder_and_read_as_an_input(example_round):
    template = example_round.root / "parameters" / "partnership.docx"
    template.write_bytes(b"not opened yet")
    example_round.edit_parameters("briefing:\n", "briefing:\n  docx_template: partnership.docx\n")
    round_ = load_round(example_round.parameters)
    assert round_.docx_template == template
    assert round_.inputs[-1] == template


def test_no_word_template_means_auditkits_own(example_round):
    assert resolve_docx_template(example_round.parameters, None) is None
    assert load_round(example_round.parameters).docx_template is None


def test_a_missing_word_template_is_named(example_round):
    with pytest.raises(ParametersError) as caught:
        resolve_docx_template(example_round.parameters, "partnership.docx")
    missing = example_round.root / "parameters" / "partnership.docx"
    assert str(caught.value) == f"llr-2017.yaml: briefing → docx_template names {missing}, which does not exist."


def test_a_word_template_that_is_a_folder_is_named(example_round):
    with pytest.raises(ParametersError) as caught:
        resolve_docx_template(example_round.parameters, "../data_templates")
    folder = example_round.root / "data_templates"
    assert str(caught.value) == (
        f"llr-2017.yaml: briefing → docx_template names {folder}, which is a folder, not a regular file."
    )


def test_a_word_template_not_named_docx_is_refused(example_round):
    (example_round.root / "parameters" / "partnership.dotx").write_bytes(b"")
    with pytest.raises(ParametersError) as caught:
        resolve_docx_template(example_round.parameters, "partnership.dotx")
    assert str(caught.value) == (
        "llr-2017.yaml: briefing → docx_template names partnership.dotx; a Word template must be a Word document "
        "(.docx). Open it in Word and save it as a Word Document (.docx)."
    )


def test_a_blank_word_template_is_refused(example_round):
    with pytest.raises(ParametersError) as caught:
        resolve_docx_template(example_round.parameters, "  ")
    assert str(caught.value) == (
        "llr-2017.yaml: briefing → docx_template is empty; name a Word document (.docx), or leave the key out."
    )
