"""auditkit: reproducible neglect audit briefings for safeguarding children partnerships.

The public surface is small: load a round, check its data, compute its findings,
render its briefing. Notebooks import these names and nothing private.

The names are imported when first used (``auditkit.render_section`` imports the briefing
and its charts then), so a command that only computes findings never pays for matplotlib.
"""

from importlib import import_module

#: Each public name and the module it comes from.
_EXPORTS = {
    "Analysis": "auditkit.analysis.round_analysis",
    "analyse_round": "auditkit.analysis.round_analysis",
    "SECTION_NAMES": "auditkit.briefing.html",
    "render_section": "auditkit.briefing.html",
    "Codebook": "auditkit.config.codebook",
    "load_codebook": "auditkit.config.codebook",
    "AuditkitError": "auditkit.errors",
    "Findings": "auditkit.analysis.findings",
    "compute_findings": "auditkit.analysis.findings",
    "findings_to_dict": "auditkit.publish.findings_json",
    "Round": "auditkit.config.round",
    "load_round": "auditkit.config.round",
    "select_quotes": "auditkit.analysis.quotes",
    "show": "auditkit.analysis.notebook_display",
    "analysis_to_dict": "auditkit.publish.findings_json",
    "analysis_to_table": "auditkit.publish.findings_csv",
    "write_findings": "auditkit.publish.findings_files",
    "load_round_records": "auditkit.read.validation",
    "workbook_file": "auditkit.config.workbook",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def _installed_version() -> str:
    # Looked up when first asked for: importlib.metadata takes a twentieth of a second to import, and validate
    # never shows the version.
    from importlib.metadata import PackageNotFoundError, version

    try:
        # The distribution's name (pyproject.toml): "auditkit" on the package index is another project.
        return version("neglect-auditkit")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0+unknown"


def __getattr__(name: str):
    """Import a public name's module the first time the name is used."""
    if name == "__version__":
        globals()[name] = _installed_version()
        return globals()[name]
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'auditkit' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
