"""Orchestration: one round, many rounds, staging folders, notebook engines, scaffolding, command output.

See ARCHITECTURE.md for how a round flows through the layers, CONTRIBUTING.md for the rules between them.
"""

import sys

# nbformat imports jsonschema, whose format checkers import rfc3987_syntax when it is installed (JupyterLab's
# jupyter-events installs it); importing it builds some thirty Lark parsers, over a second of every run
# (python-jsonschema/jsonschema#1428). It checks only the "iri" and "iri-reference" formats, which no notebook
# schema uses and which nbformat never asks jsonschema to check: marked absent here, before any module of this
# layer imports nbformat, jsonschema leaves those two formats unchecked.
sys.modules.setdefault("rfc3987_syntax", None)
