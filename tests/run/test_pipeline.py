"""auditkit.run.pipeline: a run stage by stage, and nothing written when a stage fails."""

from __future__ import annotations

import errno
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import RoundCopy, followup_of

from auditkit.cli import main
from auditkit.errors import DataValidationError, OutputError

AUDITKIT = Path(sys.executable).with_name("auditkit")


@pytest.mark.slow
def test_a_screenshot_that_fails_leaves_no_half_written_report(example_round, monkeypatch):
    from auditkit.run import pipeline
    from auditkit.run.screenshot import ScreenshotError

    def broken(html, png, chromium=None):
        assert Path(html).is_file() and (Path(html).parent / "briefing.pdf").is_file()
        raise ScreenshotError("Chromium could not show briefing.html: it crashed.")

    monkeypatch.setattr(pipeline, "take_screenshot", broken)
    with pytest.raises(ScreenshotError):
        pipeline.run_round(example_round.parameters, screenshot=True)
    assert list(example_round.reports.iterdir()) == []


def test_bad_data_stops_the_run_before_anything_is_written(example_round: RoundCopy):
    from auditkit.run.pipeline import run_round

    example_round.edit_cases("DD17-L02,Leicester", "DD17-L02,Leicster")
    with pytest.raises(DataValidationError, match="'Leicster' is not one of the round's areas"):
        run_round(example_round.parameters)
    assert list(example_round.reports.iterdir()) == []


def test_a_missing_browser_stops_the_run_before_anything_is_written(example_round: RoundCopy, monkeypatch):
    from auditkit.run.pipeline import run_round
    from auditkit.run.screenshot import CHROMIUM_VARIABLE, ScreenshotError

    monkeypatch.setenv(CHROMIUM_VARIABLE, str(example_round.root / "no-such-browser"))
    progress = []
    with pytest.raises(ScreenshotError, match="AUDITKIT_CHROMIUM names"):
        run_round(example_round.parameters, screenshot=True, progress=progress.append)
    assert progress == []  # not even validated: the browser is looked for first
    assert list(example_round.reports.iterdir()) == []


def test_a_full_disk_met_by_the_analysts_workbook_in_its_own_process_is_a_sentence(example_round, monkeypatch):
    from auditkit.run import pipeline

    def execute(notebook, output, parameters, engine):
        if notebook.name == "analysis.ipynb":  # in the forked process, alongside the briefing
            raise OSError(errno.ENOSPC, "No space left on device", str(output))
        return None

    monkeypatch.setattr(pipeline, "execute_notebook", execute)
    monkeypatch.setattr("auditkit.briefing.page.render_briefing_html", lambda briefing, round_: "<p>the briefing</p>")
    monkeypatch.setattr(pipeline, "render_briefing_pdf", lambda html, path: path.write_bytes(b"%PDF-1.7"))
    with pytest.raises(OutputError) as caught:  # no Word briefing: it would lay out the (absent) notebook's sections
        pipeline.run_round(example_round.parameters, engine="kernel", formats=("html", "pdf"))
    assert str(caught.value) == (
        f"The report cannot be written to {example_round.reports / 'llr-2017'}: the disk is full; free some space "
        "or choose another folder with --out."
    )
    assert list(example_round.reports.iterdir()) == []


@pytest.mark.slow
def test_two_runs_of_the_same_round_at_once_never_both_write_it(example_round: RoundCopy):
    command = [str(AUDITKIT), "run", "--quiet", str(example_round.parameters)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = sorted((run.wait(timeout=600), run.communicate()[1]) for run in runs)
    assert [code for code, _ in outcomes] == [0, 1]
    refusal = outcomes[1][1]
    report = example_round.reports / "llr-2017"
    busy = f"is writing {report} now. Wait for it to finish, then run again."  # the two overlapped
    written = f"The report {report} already exists. Run again with --force"  # the first had finished
    assert busy in refusal or written in refusal, refusal
    assert refusal.rstrip().endswith("Nothing was written.")
    assert "Traceback" not in refusal
    assert [path.name for path in example_round.reports.iterdir()] == ["llr-2017"]
    assert (report / "briefing.pdf").is_file()


@pytest.mark.slow
def test_the_report_is_readable_but_its_internal_folder_is_not(example_round: RoundCopy):
    from auditkit.run.pipeline import run_round

    folder = run_round(example_round.parameters).folder
    modes = {str(path.relative_to(folder)): stat.S_IMODE(path.stat().st_mode) for path in [folder, *folder.rglob("*")]}
    assert modes.pop(".") == 0o755 and modes.pop("internal") == 0o700
    assert modes.pop("internal/analysis.ipynb") == 0o600
    assert {path: mode for path, mode in modes.items() if not path.startswith("internal/")} == dict.fromkeys(
        [
            "briefing.docx",
            "briefing.html",
            "briefing.ipynb",
            "briefing.pdf",
            "findings.csv",
            "findings.json",
            "manifest.json",
        ],
        0o644,
    )


def test_validate_runs_no_statistical_test_and_no_power_calculation(example_round: RoundCopy, monkeypatch):
    # Issue 18: "None of these tests runs in validate". A follow-up broken down by agency has every kind of test.
    example_round.edit_parameters("\ninstruments:", "\nbreakdowns: [agency]\ninstruments:")
    followup = followup_of(example_round)
    followup.write_text(
        followup.read_text(encoding="utf-8").replace("\ninstruments:", "\nbreakdowns: [agency]\ninstruments:", 1),
        encoding="utf-8",
    )

    def refuse(*args, **kwargs):
        raise AssertionError("validate ran a statistical test or a power calculation")

    for module, name in (
        ("auditkit.analysis.area_tests", "table_test"),
        ("auditkit.analysis.comparison", "detectable_change"),
        ("auditkit.analysis.comparison", "rank_sum_test"),
        ("auditkit.analysis.comparison", "mcnemar_exact_test"),
        ("auditkit.analysis.comparison_tests", "fisher_exact_test"),
        ("auditkit.analysis.comparison_tests", "mcnemar_exact_test"),
        ("auditkit.analysis.comparison_tests", "partially_overlapping_test"),
        ("auditkit.analysis.round_power", "sample_size"),
        ("auditkit.analysis.round_analysis", "trend_over_rounds"),
        ("auditkit.stats.contingency", "network_p_value"),
        ("auditkit.stats.contingency", "simulated_p_value"),
    ):
        monkeypatch.setattr(f"{module}.{name}", refuse)
    result = CliRunner().invoke(main, ["validate", str(followup)])
    assert result.exit_code == 0, result.output
    assert "llr-2017-followup.yaml is ready to run." in result.output
