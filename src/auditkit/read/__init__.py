"""Files to validated frames: CSV and XLSX readers, the quick CSV path, survey formats, validation.

See ARCHITECTURE.md for how a round flows through the layers, CONTRIBUTING.md for the rules between them.
"""
