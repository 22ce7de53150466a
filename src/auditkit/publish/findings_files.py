"""``findings.json`` and ``findings.csv`` written into a report, published or (for ``internal/``) not.

:mod:`auditkit.publish.findings_json` and :mod:`auditkit.publish.findings_csv` give the two shapes; both
carry full precision and are byte-identical for the same inputs. Both are written through
:mod:`auditkit.publish.safe_text`: no invisible characters, and no CSV cell a spreadsheet would run as a formula.
"""

from __future__ import annotations

import json
from pathlib import Path

from auditkit.analysis.round_analysis import Analysis
from auditkit.publish.findings_csv import CSV_COLUMNS, analysis_to_table
from auditkit.publish.findings_json import analysis_to_dict
from auditkit.publish.protection import protect_analysis
from auditkit.publish.safe_text import safe_cells, strip_invisible_in

__all__ = ["CSV_COLUMNS", "analysis_to_dict", "analysis_to_table", "write_findings"]


def write_findings(analysis: Analysis, folder: str | Path, published: bool = True) -> tuple[Path, Path]:
    """Write ``findings.json`` and ``findings.csv`` into ``folder``.

    By default the published figures are written, under the round's disclosure rule.
    ``published=False`` writes the unsuppressed figures as ``findings-unsuppressed.*``: for the
    report's internal folder only.

    Returns
    -------
    tuple of (Path, Path)
        The JSON file and the CSV file written.
    """
    folder = Path(folder)
    if published:
        analysis = protect_analysis(analysis)
    stem = "findings" if published else "findings-unsuppressed"
    json_path, csv_path = folder / f"{stem}.json", folder / f"{stem}.csv"
    text = json.dumps(strip_invisible_in(analysis_to_dict(analysis)), indent=2, ensure_ascii=False, allow_nan=False)
    json_path.write_text(text + "\n", encoding="utf-8")
    safe_cells(analysis_to_table(analysis)).to_csv(csv_path, index=False, lineterminator="\n")
    return json_path, csv_path
