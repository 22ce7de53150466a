"""Words and pictures from a protected analysis: wording, charts, sections, the HTML page and PDF.

See ARCHITECTURE.md for how a round flows through the layers, CONTRIBUTING.md for the rules between them.
"""
