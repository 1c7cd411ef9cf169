def changed(value: str) -> str:
    """What a change record shows for an encrypted field: that it changed, nothing more."""
    return "[changed]"
