"""`auditkit findings`: the published findings.json and findings.csv alone, as `auditkit run` writes them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import REPO, RoundCopy, copy_workbook

import auditkit
from auditkit.cli import main

FOLLOWUP = REPO / "parameters" / "llr-2017-followup.yaml"
AUDITKIT = Path(sys.executable).with_name("auditkit")


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def folder_state(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def findings_state(folder: Path) -> dict[str, bytes]:
    """What `auditkit findings` wrote, less the manifest it writes beside the findings (checked here)."""
    state = folder_state(folder)
    manifest = json.loads(state.pop("manifest.json"))
    assert [entry["path"] for entry in manifest["outputs"]] == ["findings.json", "findings.csv"]
    return state


def written_by_the_library(parameters: Path, folder: Path) -> dict[str, bytes]:
    """What auditkit run publishes as findings: write_findings on the analysis, disclosure control applied."""
    folder.mkdir()
    auditkit.write_findings(auditkit.analyse_round(parameters), folder)
    return folder_state(folder)


def test_writes_the_published_findings_of_the_example_round(tmp_path: Path):
    out = tmp_path / "out"
    result = invoke("findings", str(REPO / "parameters" / "llr-2017.yaml"), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"Findings written to {out / 'findings.json'}" in result.output
    written = folder_state(out)
    manifest = written.pop("manifest.json")  # issue 13: the findings mode writes a manifest too
    assert written == written_by_the_library(REPO / "parameters" / "llr-2017.yaml", tmp_path / "expected")
    assert sorted(written) == ["findings.csv", "findings.json"]  # no notebooks, no briefing
    assert [entry["path"] for entry in json.loads(manifest)["outputs"]] == ["findings.json", "findings.csv"]


def test_its_output_can_be_verified_against_its_data(tmp_path: Path):
    project = tmp_path / "project"
    copy_workbook(project)
    out = tmp_path / "out"
    assert invoke("findings", str(project / "parameters" / "llr-2017.yaml"), "--out", str(out)).exit_code == 0
    assert invoke("verify", str(out)).exit_code == 0
    cases = project / "data_templates" / "examples" / "llr-2017-cases.csv"
    cases.write_text(cases.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = invoke("verify", str(out))
    assert result.exit_code == 1
    assert "1 input file(s) changed or missing since it was produced (llr-2017-cases.csv)" in result.output


def test_a_follow_up_round_gets_its_comparison(tmp_path: Path):
    out = tmp_path / "out"
    result = invoke("findings", str(FOLLOWUP), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert findings_state(out) == written_by_the_library(FOLLOWUP, tmp_path / "expected")
    assert json.loads((out / "findings.json").read_text(encoding="utf-8"))["comparison"]["items"]


def test_applies_the_disclosure_rule_as_run_does(example_round: RoundCopy, tmp_path: Path):
    example_round.edit_parameters("disclosure:\n  min_count: 0\n", "")
    out = tmp_path / "out"
    result = invoke("findings", str(example_round.parameters), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert findings_state(out) == written_by_the_library(example_round.parameters, tmp_path / "expected")
    document = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert document["disclosure"]["applied"] and document["disclosure"]["min_count"] == 5
    assert ",c," in (out / "findings.csv").read_text(encoding="utf-8")


def test_writes_to_the_round_s_report_folder_by_default(example_round: RoundCopy):
    result = invoke("findings", str(example_round.parameters))
    assert result.exit_code == 0, result.output
    report = example_round.reports / "llr-2017"
    assert sorted(findings_state(report)) == ["findings.csv", "findings.json"]
    assert [path.name for path in example_round.reports.iterdir()] == ["llr-2017"]  # no staging folder left


def test_bad_data_is_listed_and_nothing_is_written(example_round: RoundCopy, tmp_path: Path):
    example_round.edit_cases("DD17-L02,Leicester", "DD17-L02,Leicster")
    out = tmp_path / "reports" / "out"
    result = invoke("findings", str(example_round.parameters), "--out", str(out))
    assert result.exit_code == 1
    assert (
        "llr-2017-cases.csv, row 3, column 'area': 'Leicster' is not one of the round's areas; "
        "allowed: Leicester, Leicestershire, Rutland. Did you mean 'Leicester'?" in result.output
    )
    assert result.output.rstrip().endswith("Nothing was written.")
    assert "Traceback" not in result.output
    assert not out.parent.exists()


def test_bad_data_leaves_an_earlier_report_as_it_was(example_round: RoundCopy, tmp_path: Path):
    out = tmp_path / "out"
    assert invoke("findings", str(example_round.parameters), "--out", str(out)).exit_code == 0
    before = folder_state(out)
    example_round.edit_cases("no,yes,partly,observed", "maybe,yes,partly,observed")
    result = invoke("findings", str(example_round.parameters), "--out", str(out), "--force")
    assert result.exit_code == 1
    assert "column 'toolkit_used': 'maybe' is not an allowed value; allowed: yes, no." in result.output
    assert folder_state(out) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out", "project"]  # no staging folder left


def test_an_existing_report_is_replaced_only_with_force(tmp_path: Path):
    out = tmp_path / "out"
    parameters = REPO / "parameters" / "llr-2017.yaml"
    assert invoke("findings", str(parameters), "--out", str(out)).exit_code == 0
    (out / "briefing.html").write_text("an earlier briefing", encoding="utf-8")
    result = invoke("findings", str(parameters), "--out", str(out))
    assert result.exit_code == 1
    assert f"The report {out} already exists. Run again with --force to replace it" in result.output
    assert "Nothing was written." in result.output
    assert (out / "briefing.html").is_file()

    result = invoke("findings", str(parameters), "--out", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert sorted(findings_state(out)) == ["findings.csv", "findings.json"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]


def test_a_folder_of_other_files_is_never_replaced(tmp_path: Path):
    out = tmp_path / "notes"
    out.mkdir()
    (out / "minutes.docx").write_bytes(b"keep me")
    result = invoke("findings", str(REPO / "parameters" / "llr-2017.yaml"), "--out", str(out), "--force")
    assert result.exit_code == 1
    assert f"The output folder {out} already holds files that are not an auditkit report" in result.output
    assert folder_state(out) == {"minutes.docx": b"keep me"}


def test_a_missing_parameters_file_is_named(tmp_path: Path):
    result = invoke("findings", str(tmp_path / "nowhere.yaml"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "nowhere.yaml" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_an_out_that_is_a_file_is_refused_with_a_sentence_and_exit_1(tmp_path: Path):
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    result = invoke("findings", str(REPO / "parameters" / "llr-2017.yaml"), "--out", str(a_file))
    assert result.exit_code == 1  # as `auditkit run --out FILE`, not click's usage error (2)
    assert result.output == (
        f"Error: The output {a_file} is a file, not a folder; choose another output folder.\nNothing was written.\n"
    )
    assert a_file.read_text() == "x"


def test_verify_names_a_findings_file_edited_after_it_was_written(tmp_path: Path):
    out = tmp_path / "out"
    assert invoke("findings", str(REPO / "parameters" / "llr-2017.yaml"), "--out", str(out)).exit_code == 0
    result = invoke("verify", str(out))
    assert result.exit_code == 0, result.output
    assert f"  unchanged {out / 'findings.json'}\n  unchanged {out / 'findings.csv'}\n" in result.output
    assert result.output.endswith(
        f"{out} matches its data: every input file is unchanged. Its 2 published file(s) listed in manifest.json "
        "are as auditkit wrote them.\n"
    )
    findings = out / "findings.json"
    findings.write_text(findings.read_text(encoding="utf-8").replace('"records": 61', '"records": 62', 1))
    (out / "findings.csv").unlink()
    result = invoke("verify", str(out))
    assert result.exit_code == 1
    assert f"  changed   {out / 'findings.json'}\n  missing   {out / 'findings.csv'}\n" in result.output
    assert result.output.endswith(
        f"Error: {out} is not as auditkit wrote it: 2 of its own file(s) changed or missing since it was written "
        "(findings.json, findings.csv). Rerun it with --force to bring it up to date.\n"
    )


#: Holds the lock a run holds on the folder named by its argument, until it reads a line.
HOLD = """
import sys
from pathlib import Path
from auditkit.run.report_lock import report_lock
with report_lock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_a_run_into_a_folder_another_run_is_writing_is_refused(tmp_path: Path):
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline() == "held\n"
        result = invoke("findings", str(REPO / "parameters" / "llr-2017.yaml"), "--out", str(out), "--force")
    finally:
        holder.communicate("\n", timeout=30)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: Another auditkit run (process {holder.pid}) is writing {out} now. Wait for it to finish, then run "
        "again.\nNothing was written.\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_two_runs_of_the_same_round_at_once_never_both_write_it(tmp_path: Path):
    out = tmp_path / "out"
    command = [str(AUDITKIT), "findings", str(REPO / "parameters" / "llr-2017.yaml"), "--out", str(out)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = sorted((run.wait(timeout=120), run.communicate()[1]) for run in runs)
    assert [code for code, _ in outcomes] == [0, 1]
    refusal = outcomes[1][1]
    busy = f"is writing {out} now. Wait for it to finish, then run again."  # the two overlapped
    written = f"The report {out} already exists. Run again with --force"  # the first had finished
    assert busy in refusal or written in refusal, refusal
    assert refusal.rstrip().endswith("Nothing was written.")
    assert invoke("verify", str(out)).exit_code == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]


# --- a large generated round, checked against an independent computation ------------------------------

AREAS = [f"District {number:02d}" for number in range(1, 31)]
AGREEMENT = {
    "Strongly disagree": "strongly_disagree",
    "Disagree": "disagree",
    "Neither agree nor disagree": "neutral",
    "Agree": "agree",
    "Strongly agree": "strongly_agree",
}
CODEBOOK = """\
codebook: big_survey
title: A large survey
record: response
records: practitioners who answered
partial_records: true
items:
  - {id: response_id, question: Response number, type: text, required: true, unique: true, identifying: true}
  - {id: area, question: Area, type: area, required: true}
  - {id: aware, question: Aware, type: choice, required: true, values: [yes, no], met: [yes]}
  - id: confident
    question: Confident
    type: choice
    ordinal: true
    values:
      - {code: strongly_disagree, label: Strongly disagree}
      - {code: disagree, label: Disagree}
      - {code: neutral, label: Neither agree nor disagree}
      - {code: agree, label: Agree}
      - {code: strongly_agree, label: Strongly agree}
    met: [agree, strongly_agree]
  - id: used
    question: Used
    type: choice
    values: [yes, no, not_applicable]
    met: [yes]
    not_applicable: [not_applicable]
  - {id: rare, question: Rare, type: choice, values: [yes, no], met: [yes]}
"""


def _large_round(folder: Path, rows: int) -> Path:
    rng = np.random.default_rng(7)
    data = pd.DataFrame(
        {
            "response_id": [f"R{number:06d}" for number in range(rows)],
            "area": rng.choice(AREAS, rows),
            "aware": rng.choice(["yes", "no", "Yes", " NO "], rows, p=[0.5, 0.3, 0.15, 0.05]),
            "confident": rng.choice([*AGREEMENT, "", "agree"], rows),
            "used": rng.choice(["yes", "no", "not_applicable", ""], rows, p=[0.4, 0.3, 0.2, 0.1]),
            "rare": rng.choice(["yes", "no", ""], rows, p=[0.001, 0.989, 0.01]),
        }
    )
    data.to_csv(folder / "big.csv", index=False)
    (folder / "big_survey.yaml").write_text(CODEBOOK, encoding="utf-8")
    areas = "".join(f"  - {area}\n" for area in AREAS)
    (folder / "big.yaml").write_text(
        "round: big-2024\ntitle: A large survey\npartnership: Somewhere\nperiod: {start: 2024-01-01, end: 2024-12-31}\n"
        f"areas:\n{areas}disclosure:\n  min_count: 0\n"
        "instruments:\n  survey:\n    codebook: big_survey.yaml\n    data: big.csv\n",
        encoding="utf-8",
    )
    return folder / "big.yaml"


def test_a_large_round_counts_as_an_independent_computation_does(tmp_path: Path):
    parameters = _large_round(tmp_path, 20_000)
    result = invoke("findings", str(parameters), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    survey = document["instruments"]["survey"]

    data = pd.read_csv(tmp_path / "big.csv", dtype=str, keep_default_na=False)
    codes = data.apply(lambda column: column.str.strip().str.lower())
    codes["confident"] = data["confident"].map(AGREEMENT).fillna(data["confident"])
    codes["area"] = data["area"]
    assert survey["records"] == 20_000
    assert survey["complete"] == int((codes["aware"] != "").sum())
    assert survey["by_area"] == {area: int((codes["area"] == area).sum()) for area in AREAS}
    for item, met, not_applicable in (
        ("aware", {"yes"}, set()),
        ("confident", {"agree", "strongly_agree"}, set()),
        ("used", {"yes"}, {"not_applicable"}),
        ("rare", {"yes"}, set()),
    ):
        answered = (codes[item] != "") & ~codes[item].isin(not_applicable)
        is_met = codes[item].isin(met)
        entry = survey["indicators"][item]
        assert (entry["numerator"], entry["denominator"]) == (int(is_met.sum()), int(answered.sum())), item
        per_area = pd.DataFrame({"met": is_met, "answered": answered}).groupby(codes["area"]).sum()
        for area in AREAS:
            shown = entry["by_area"][area]
            assert (shown["numerator"], shown["denominator"]) == tuple(per_area.loc[area]), (item, area)
            assert shown["proportion"] == pytest.approx(per_area.loc[area, "met"] / per_area.loc[area, "answered"])
        assert entry["distribution"]["yes" if item != "confident" else "agree"] == int(
            (codes[item] == ("yes" if item != "confident" else "agree")).sum()
        )
    assert set(survey["area_tests"]) == {"aware", "confident", "used", "rare"}
    assert all(0 <= test["p_value"] <= 1 for test in survey["area_tests"].values())


def test_a_large_round_under_the_dfe_rule_publishes_no_small_count(tmp_path: Path):
    parameters = _large_round(tmp_path, 20_000)
    parameters.write_text(
        parameters.read_text(encoding="utf-8").replace("disclosure:\n  min_count: 0\n", ""), encoding="utf-8"
    )
    result = invoke("findings", str(parameters), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert findings_state(tmp_path / "out") == written_by_the_library(parameters, tmp_path / "expected")
    rare = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    rare = rare["instruments"]["survey"]["indicators"]["rare"]
    shown = [entry["numerator"] for entry in rare["by_area"].values()]
    assert None in shown and not any(1 <= count <= 5 for count in shown if count is not None)
