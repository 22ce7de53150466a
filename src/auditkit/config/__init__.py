"""The round and its instruments as data: parameters, codebooks, actions, the disclosure rule, YAML.

See ARCHITECTURE.md for how a round flows through the layers, CONTRIBUTING.md for the rules between them.
"""
