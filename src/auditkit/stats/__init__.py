"""Pure statistics on counts: numbers in, numbers or tidy frames out; nothing of auditkit but its errors.

See ARCHITECTURE.md for how a round flows through the layers, CONTRIBUTING.md for the rules between them.
"""
