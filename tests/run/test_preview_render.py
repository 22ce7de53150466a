"""run/preview_render.py: the preview's briefing is `auditkit run`'s, its script is the preview's alone, and a save
that does not validate shows its errors as the command line prints them, keeping the last good briefing."""

from __future__ import annotations

import re

import pytest
from conftest import run_auditkit_run

from auditkit.analysis.memo import MEMO
from auditkit.run.preview_render import PreviewPages, inject_reload, render_briefing_preview

_SCRIPT = re.compile(r"<script>.*?</script>\n", re.DOTALL)


@pytest.mark.slow
def test_the_preview_renders_the_briefing_auditkit_run_writes_and_only_its_page_holds_a_script(
    example_round, monkeypatch
):
    ran = run_auditkit_run(example_round.parameters, "--formats", "html")  # SOURCE_DATE_EPOCH=1700000000
    assert ran.returncode == 0, ran.stderr
    published = (example_round.reports / "llr-2017" / "briefing.html").read_text(encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    MEMO.clear()  # an analysis of the same files kept from another test would carry its own date

    preview = render_briefing_preview(example_round.parameters)
    assert preview.html == published
    assert "<script" not in published
    pages = PreviewPages(example_round.parameters)
    pages.render()
    page = pages.pages(7)["/"].decode("utf-8")
    assert page.count("<script>") == 1
    assert "const version = 7;" in page
    assert _SCRIPT.sub("", page) == published


def test_the_preview_watches_every_input_and_the_notebook(example_round):
    preview = render_briefing_preview(example_round.parameters)
    names = {path.name for path in preview.files}
    assert {"llr-2017.yaml", "llr-2017-cases.csv", "llr-2017-survey.csv", "briefing.ipynb"} <= names
    assert {"neglect_deep_dive.yaml", "toolkit_survey.yaml"} <= names
    assert all(path.is_absolute() for path in preview.files)
    assert preview.left_out == ()


def test_a_follow_up_round_watches_its_baselines_files_too(example_round):
    preview = render_briefing_preview(example_round.root / "parameters" / "llr-2017-followup.yaml")
    assert example_round.parameters in preview.files
    assert example_round.cases in preview.files


def test_the_reload_script_goes_before_the_end_of_the_body():
    assert inject_reload("<html><body><p>x</p></body></html>", 3).endswith("</script>\n</body></html>")
    assert "const version = 3;" in inject_reload("<p>no body</p>", 3)


def test_a_save_that_breaks_validation_shows_the_errors_escaped_and_keeps_the_last_good_briefing(example_round):
    pages = PreviewPages(example_round.parameters)
    assert pages.render().preview is not None
    example_round.edit_cases("DD17-L01,Leicester,2017-04-03,0-1,no,", "DD17-L01,Leicester,2017-04-03,0-1,<b>maybe</b>,")
    outcome = pages.render()
    assert outcome.preview is None
    assert outcome.error == (
        "Error: The data has 1 problem:\n"
        "  llr-2017-cases.csv, row 2, column 'toolkit_used': '<b>maybe</b>' is not an allowed value; allowed: yes, no."
    )
    served = pages.pages(2)
    page = served["/"].decode("utf-8")
    assert (
        "Error: The data has 1 problem:\n"
        "  llr-2017-cases.csv, row 2, column &#39;toolkit_used&#39;: &#39;&lt;b&gt;maybe&lt;/b&gt;&#39; is not an "
        "allowed value; allowed: yes, no.</pre>"
    ) in page
    assert "<b>maybe</b>" not in page
    assert '<a href="/last-good">the last briefing that rendered</a>' in page
    assert "Key findings and recommendations" in served["/last-good"].decode("utf-8")
    assert pages.loaded() is False

    example_round.edit_cases("<b>maybe</b>", "no")
    assert pages.render().preview is not None
    back = pages.pages(3)
    assert "Key findings and recommendations" in back["/"].decode("utf-8")
    assert back["/"] == back["/last-good"]


def test_a_round_that_never_rendered_says_so_and_watches_its_parameters_file(example_round):
    example_round.edit_parameters("round: llr-2017", "round: [llr-2017")
    pages = PreviewPages(example_round.parameters)
    outcome = pages.render()
    assert outcome.error is not None and outcome.error.startswith("Error: The parameters file llr-2017.yaml")
    page = pages.pages(1)["/"].decode("utf-8")
    assert "No briefing has rendered since the preview started." in page
    assert "/last-good" not in pages.pages(1)
    assert pages.files() == frozenset({example_round.parameters})


def test_a_notebook_cell_the_preview_cannot_show_is_named_above_the_briefing(example_round):
    import nbformat

    path = example_round.own_notebooks() / "briefing.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("analysis.comparison_table()"))
    nbformat.write(notebook, path)
    pages = PreviewPages(example_round.parameters)
    assert pages.render().preview.left_out == ("analysis.comparison_table()",)
    page = pages.pages(1)["/"].decode("utf-8")
    assert "These cells of briefing.ipynb show only in\n<code>auditkit run</code>" in page
    assert "<li><code>analysis.comparison_table()</code></li>" in page
