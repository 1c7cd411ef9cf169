"""
Write development keys to an env file, once.

    python -m config.devkeys var/dev.env

Runs without Django (the settings refuse to load without keys). The keys are
random but marked as development keys, so a process with DEBUG off refuses them.
"""

import base64
import secrets
import sys
from collections.abc import MutableMapping
from pathlib import Path


def _key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def development_keys() -> dict[str, str]:
    return {
        "SECRET_KEY": f"django-insecure-{secrets.token_urlsafe(40)}",
        "FIELD_ENCRYPTION_KEYS": f"dev1:{_key()}",
        "BLIND_INDEX_KEY": f"dev:{_key()}",
        "AUDIT_CHAIN_KEYS": f"dev1:{_key()}",
    }


def development_env() -> str:
    lines = [f"{name}={value}" for name, value in development_keys().items()]
    return (
        "# Development keys for this checkout only. Never use them in production.\n"
        "DEBUG=1\n" + "\n".join(lines) + "\n"
    )


def add_missing_keys(path: Path) -> list[str]:
    """Keys added to Confide since an env file was written are appended to it
    (its own keys are kept). Returns the names added."""
    text = path.read_text()
    present = {line.partition("=")[0].strip() for line in text.splitlines() if "=" in line}
    missing = {n: v for n, v in development_keys().items() if n not in present}
    if missing:
        separator = "" if text.endswith("\n") or not text else "\n"
        path.write_text(text + separator + "".join(f"{n}={v}\n" for n, v in missing.items()))
    return list(missing)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m config.devkeys PATH", file=sys.stderr)
        return 2
    path = Path(argv[1])
    if path.exists():
        added = add_missing_keys(path)
        path.touch()
        print(
            f"{path} already exists; keeping its keys" + (f", adding {', '.join(added)}." if added else ".")
        )
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(development_env())
    path.chmod(0o600)
    print(f"Wrote development keys to {path}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))


KEY_NAMES = ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "AUDIT_CHAIN_KEYS")


def load_if_unconfigured(path: Path, environ: MutableMapping[str, str]) -> bool:
    """Load a development env file into `environ`, but only when the environment
    configures none of the keys itself: a configured (production) environment is
    never mixed with development keys. Returns whether the file was loaded."""
    if not path.exists() or any(environ.get(n) or environ.get(f"{n}_FILE") for n in KEY_NAMES):
        return False
    for line in path.read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and not line.lstrip().startswith("#"):
            environ.setdefault(name.strip(), value.strip())
    return True
