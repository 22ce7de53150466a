"""auditkit.briefing.chart_style: the chart libraries, loaded where a chart is drawn and nowhere else."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
from auditkit.briefing.chart_style import load_chart_libraries
load_chart_libraries({arguments})
import seaborn._statistics
loaded_before = "scipy.stats" in sys.modules
import scipy.stats
print(seaborn._statistics._no_scipy, loaded_before, scipy.stats.norm.ppf(0.975) > 1.95)
"""


def _run(arguments: str) -> str:
    done = subprocess.run([sys.executable, "-c", SCRIPT.format(arguments=arguments)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_by_default_seaborn_keeps_scipy_for_its_densities():
    # A batch's workers run the analyst's notebook: seaborn's cumulative densities need scipy.stats there.
    assert _run("") == ["False", "True", "True"]


def test_the_chart_drawer_loads_seaborn_without_scipy_stats_which_stays_importable():
    assert _run("densities=False") == ["True", "False", "True"]
