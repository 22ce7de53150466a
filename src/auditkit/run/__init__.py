"""Orchestration: one round, many rounds, staging folders, notebook engines, scaffolding, command output.

See ARCHITECTURE.md for how a round flows through the layers, CONTRIBUTING.md for the rules between them.
"""
