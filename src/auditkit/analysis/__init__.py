"""A round analysed: findings, comparison between rounds, trends, area tests, quotes, actions.

See ARCHITECTURE.md for how a round flows through the layers, CONTRIBUTING.md for the rules between them.
"""
