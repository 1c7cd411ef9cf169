"""A production process refuses to start without real keys, and says which one."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


# Parametrised tests need the same ids in every test process: fixed keys, made once here.
KEY_A, KEY_B = key(), key()


def production_env(**overrides: str | None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "FIELD_ENCRYPTION_KEYS",
            "BLIND_INDEX_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
        }
    }
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "FIELD_ENCRYPTION_KEYS": f"k1:{key()}",
            "BLIND_INDEX_KEY": f"b1:{key()}",
            "ALLOWED_HOSTS": "confide.example.org",
            "DATABASE_URL": "sqlite:///:memory:",
        }
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_with_real_keys_start() -> None:
    result = start(production_env())
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", ["SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_when_a_setting_is_missing(name: str) -> None:
    result = start(production_env(**{name: None}))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{name} is not set" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SECRET_KEY", "django-insecure-" + "x" * 50),
        ("FIELD_ENCRYPTION_KEYS", f"dev1:{KEY_A}"),
        ("FIELD_ENCRYPTION_KEYS", f"k2:{KEY_B},dev1:{KEY_A}"),
        ("BLIND_INDEX_KEY", f"dev:{KEY_B}"),
    ],
    ids=["secret key", "field key", "field key after a production key", "blind index key"],
)
def test_production_refuses_development_keys(name: str, value: str) -> None:
    result = start(production_env(**{name: value}))
    assert result.returncode != 0
    assert f"{name} holds a development key" in result.stderr


def test_development_keys_are_fine_with_debug_on() -> None:
    env = production_env(
        DEBUG="1",
        SECRET_KEY="django-insecure-" + "x" * 50,
        FIELD_ENCRYPTION_KEYS=f"dev1:{key()}",
        BLIND_INDEX_KEY=f"dev:{key()}",
    )
    assert start(env).returncode == 0


def test_a_secret_can_be_read_from_a_file(tmp_path: Path) -> None:
    secret_file = tmp_path / "field_keys"
    secret_file.write_text(f"k1:{key()}\n")
    result = start(production_env(FIELD_ENCRYPTION_KEYS=None, FIELD_ENCRYPTION_KEYS_FILE=str(secret_file)))
    assert result.returncode == 0, result.stderr


def test_a_malformed_key_is_reported_by_name() -> None:
    result = start(production_env(FIELD_ENCRYPTION_KEYS="k1:not-base64-and-too-short"))
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr


def test_an_empty_variable_does_not_hide_its_file(tmp_path: Path) -> None:
    secret_file = tmp_path / "field_keys"
    secret_file.write_text(f"k1:{key()}\n")
    result = start(production_env(FIELD_ENCRYPTION_KEYS="", FIELD_ENCRYPTION_KEYS_FILE=str(secret_file)))
    assert result.returncode == 0, result.stderr


def test_manage_py_uses_the_development_keys_only_when_nothing_is_configured(tmp_path: Path) -> None:
    from config.devkeys import load_if_unconfigured

    dev_env = tmp_path / "dev.env"
    dev_env.write_text("DEBUG=1\nSECRET_KEY=django-insecure-x\nFIELD_ENCRYPTION_KEYS=dev1:abc\n")
    empty: dict[str, str] = {}
    assert load_if_unconfigured(dev_env, empty) and empty["DEBUG"] == "1"
    configured = {"FIELD_ENCRYPTION_KEYS_FILE": "/run/secrets/keys"}
    assert not load_if_unconfigured(dev_env, configured) and "DEBUG" not in configured
