"""A production process refuses to start without real keys, and says which one."""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from config import gunicorn as gunicorn_config

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
            "AUDIT_CHAIN_KEYS",
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
            "AUDIT_CHAIN_KEYS": f"a1:{key()}",
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


@pytest.mark.parametrize(
    "name", ["SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "AUDIT_CHAIN_KEYS", "ALLOWED_HOSTS"]
)
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
        ("AUDIT_CHAIN_KEYS", f"a2:{KEY_B},dev1:{KEY_A}"),
    ],
    ids=["secret key", "field key", "field key after a production key", "blind index key", "audit key"],
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
        AUDIT_CHAIN_KEYS=f"dev1:{key()}",
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


# --- local mode (`make run`): DEBUG off, loopback only, development keys and plain HTTP -------


def development_keys() -> dict[str, str]:
    return {
        "SECRET_KEY": "django-insecure-" + "x" * 50,
        "FIELD_ENCRYPTION_KEYS": f"dev1:{KEY_A}",
        "BLIND_INDEX_KEY": f"dev:{KEY_B}",
        "AUDIT_CHAIN_KEYS": f"dev1:{KEY_A}",
    }


def local_env(**overrides: str | None) -> dict[str, str]:
    return production_env(**{"CONFIDE_LOCAL": "1", "ALLOWED_HOSTS": None, **development_keys(), **overrides})


SERVING_SETTINGS = [
    "DEBUG",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "EMAIL_BACKEND",
]


def settings_in(env: dict[str, str], names: list[str]) -> dict[str, object]:
    """The values these settings take in a process started with `env`."""
    script = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_local_mode_accepts_development_keys_and_plain_http() -> None:
    assert start(local_env()).returncode == 0
    assert settings_in(local_env(), SERVING_SETTINGS) == {
        "DEBUG": False,  # no debug pages
        "ALLOWED_HOSTS": ["127.0.0.1", "localhost", "[::1]"],
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }


def test_local_mode_answers_only_to_the_loopback_names() -> None:
    result = start(local_env(ALLOWED_HOSTS="confide.example.org,localhost"))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS names confide.example.org, and CONFIDE_LOCAL is set" in result.stderr


def test_local_mode_does_not_pass_the_deployment_checks() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=local_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr + result.stdout


def test_without_local_mode_production_is_as_strict_as_ever() -> None:
    for env in (production_env(), production_env(CONFIDE_LOCAL="0")):
        assert settings_in(env, SERVING_SETTINGS) == {
            "DEBUG": False,
            "ALLOWED_HOSTS": ["confide.example.org"],
            "SECURE_SSL_REDIRECT": True,
            "SESSION_COOKIE_SECURE": True,
            "CSRF_COOKIE_SECURE": True,
            "SECURE_HSTS_SECONDS": 31536000,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    refused = start(production_env(CONFIDE_LOCAL="0", **development_keys()))
    assert refused.returncode != 0 and "SECRET_KEY holds a development key" in refused.stderr


def gunicorn(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.py", "config.wsgi"],
        cwd=ROOT,
        env={**env, "WEB_CONCURRENCY": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "bind",
    [{"HOST": "0.0.0.0"}, {"GUNICORN_BIND": "192.0.2.10:8000"}, {"GUNICORN_CMD_ARGS": "--bind [::]:8000"}],  # noqa: S104
    ids=["every interface", "another address", "on the command line"],
)
def test_local_mode_refuses_to_serve_beyond_the_loopback_address(bind: dict[str, str]) -> None:
    result = gunicorn(local_env(PORT="8000", **bind))
    assert result.returncode == 1
    assert "serves only on this machine's loopback address" in result.stderr


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1:8000", True),
        ("127.0.0.2:80", True),
        ("localhost:8000", True),
        ("[::1]:8000", True),
        ("0.0.0.0:8000", False),
        (":8000", False),
        ("[::]:8000", False),
        ("192.168.1.20:8000", False),
        ("unix:/run/confide.sock", False),
        ("fd://3", False),
    ],
)
def test_which_bind_addresses_are_loopback(address: str, loopback: bool) -> None:
    assert gunicorn_config.is_loopback(address) is loopback
    if loopback:
        gunicorn_config.refuse_unless_loopback([address], local=True)
    else:
        with pytest.raises(RuntimeError, match="loopback"):
            gunicorn_config.refuse_unless_loopback([address], local=True)
        gunicorn_config.refuse_unless_loopback([address], local=False)  # production binds anywhere


def test_make_run_serves_in_local_mode_with_links_on_its_port() -> None:
    result = subprocess.run(
        ["make", "--dry-run", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    serve = [line for line in result.stdout.splitlines() if "bin/serve-local" in line]
    assert serve and "DEBUG=0 CONFIDE_LOCAL=1" in serve[0]
    assert "SITE_URL=http://127.0.0.1:8123" in serve[0] and "PORT=8123" in serve[0]


# --- attachments in object storage ------------------------------------------------------


def test_attachments_are_stored_on_the_filesystem_by_default() -> None:
    [backend] = settings_in(production_env(), ["STORAGES"])["STORAGES"]["default"].values()
    assert backend == "django.core.files.storage.FileSystemStorage"


def test_s3_storage_is_used_when_configured(tmp_path: Path) -> None:
    secret = tmp_path / "s3_secret"
    secret.write_text("s3-secret-from-a-file\n")
    env = production_env(
        ATTACHMENT_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="confide-attachments",
        AWS_S3_ENDPOINT_URL="https://s3.example.org",
        AWS_S3_REGION_NAME="eu-west-2",
        AWS_S3_ACCESS_KEY_ID="confide-app",
        AWS_S3_SECRET_ACCESS_KEY_FILE=str(secret),
    )
    script = (
        "import django; django.setup(); "
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__module__, type(s).__name__, s.bucket_name, s.endpoint_url, s.region_name, "
        "s.access_key, s.secret_key, s.file_overwrite, s.default_acl)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "storages.backends.s3",
        "S3Storage",
        "confide-attachments",
        "https://s3.example.org",
        "eu-west-2",
        "confide-app",
        "s3-secret-from-a-file",
        "False",
        "None",
    ]


def test_s3_storage_needs_a_bucket() -> None:
    result = start(production_env(ATTACHMENT_STORAGE="s3"))
    assert result.returncode != 0
    assert "AWS_STORAGE_BUCKET_NAME is not set" in result.stderr


def test_an_unknown_storage_is_refused() -> None:
    result = start(production_env(ATTACHMENT_STORAGE="ftp"))
    assert result.returncode != 0
    assert "ATTACHMENT_STORAGE=ftp is not known" in result.stderr


def test_postgresql_connections_run_without_the_jit_compiler() -> None:
    script = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup(); "
        "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS']['options'])"
    )
    env = {**os.environ, "DATABASE_URL": "postgres://confide@db.example.org/confide"}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == "-c jit=off", result.stderr
