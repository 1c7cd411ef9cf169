"""
Field and attachment encryption, the blind index and key rotation.

The lowest floor of the project: it imports nothing of ours, and every app
may use it. ``core`` is the only module that touches keys.
"""
