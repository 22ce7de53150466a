"""What may leave the building: disclosure control, the protected analysis, findings files, manifest.

See ARCHITECTURE.md for how a round flows through the layers, CONTRIBUTING.md for the rules between them.
"""
