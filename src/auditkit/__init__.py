"""auditkit: reproducible neglect audit briefings for safeguarding children partnerships.

The public surface is small: load a round, check its data, compute its findings,
render its briefing. Notebooks import these names and nothing private.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("auditkit")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

from auditkit.analysis import Analysis, analyse_round  # noqa: E402
from auditkit.briefing import SECTION_NAMES, render_section  # noqa: E402
from auditkit.codebook import Codebook, load_codebook  # noqa: E402
from auditkit.errors import AuditkitError  # noqa: E402
from auditkit.findings import Findings, compute_findings, findings_to_dict  # noqa: E402
from auditkit.parameters import Round, load_round  # noqa: E402
from auditkit.quotes import select_quotes  # noqa: E402
from auditkit.serialise import analysis_to_dict, analysis_to_table, write_findings  # noqa: E402
from auditkit.validation import load_round_records  # noqa: E402

__all__ = [
    "Analysis",
    "AuditkitError",
    "Codebook",
    "Findings",
    "Round",
    "SECTION_NAMES",
    "__version__",
    "analyse_round",
    "analysis_to_dict",
    "analysis_to_table",
    "compute_findings",
    "findings_to_dict",
    "load_codebook",
    "load_round",
    "load_round_records",
    "render_section",
    "select_quotes",
    "write_findings",
]
