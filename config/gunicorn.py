"""
Gunicorn's configuration: production (bin/start) and local mode (`make run`).

    gunicorn --config config/gunicorn.py config.wsgi

Sync workers, 2 per core plus 1 (WEB_CONCURRENCY to change). Binds to
HOST:PORT (GUNICORN_BIND for anything else): by default 0.0.0.0:8000 in
production, where a TLS proxy or load balancer stands in front, and
127.0.0.1:8000 in local mode.

Local mode (CONFIDE_LOCAL=1) allows development keys and plain HTTP
(config/settings.py), so the server then refuses to start on any address but a
loopback one, however the address was given: here, on the command line or in
GUNICORN_CMD_ARGS.

Gunicorn reads this file by path; it imports nothing of ours and no Django.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from typing import Protocol

LOCAL = os.environ.get("CONFIDE_LOCAL", "").strip().lower() in {"1", "true", "yes", "on"}


def _address(host: str, port: str) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


# Production listens on every interface: a proxy or load balancer stands in front.
_HOST = os.environ.get("HOST") or ("127.0.0.1" if LOCAL else "0.0.0.0")  # noqa: S104  # nosec B104
bind = [os.environ.get("GUNICORN_BIND") or _address(_HOST, os.environ.get("PORT") or "8000")]
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)
# A request that waits this long is cut off (the SQLite busy timeout is shorter).
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 20
# Workers are replaced now and then, so that no slow leak builds up.
max_requests = 2000
max_requests_jitter = 200
# gunicorn's own heartbeat files in memory, not on a container's overlay disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108  # nosec B108
# No control socket: it would be one path in $HOME shared by every server on the host.
control_socket_disable = True
# Access logs name pages and client addresses: off unless asked for
# (GUNICORN_CMD_ARGS="--access-logfile -").


def host_of(address: str) -> str | None:
    """The host part of a gunicorn bind address; None for a unix socket or a file descriptor."""
    if address.startswith(("unix:", "fd://")):
        return None
    address = address.removeprefix("tcp://")
    if address.startswith("["):
        return address[1 : address.find("]")]
    if address.count(":") == 1:
        return address.partition(":")[0]
    return address  # a bare host, or a bare IPv6 address


def is_loopback(address: str) -> bool:
    """Whether every address `address` can mean is on this machine's loopback interface."""
    host = host_of(address)
    if not host:
        return False  # a unix socket, or every interface (":8000")
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass  # a name: every address it resolves to must be loopback
    try:
        resolved = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False
    return bool(resolved) and all(ipaddress.ip_address(ip.split("%")[0]).is_loopback for ip in resolved)


class _Settings(Protocol):
    bind: list[str]


class _Arbiter(Protocol):
    cfg: _Settings


def refuse_unless_loopback(binds: list[str], *, local: bool = LOCAL) -> None:
    """In local mode, stop unless every bind address is a loopback one."""
    if not local:
        return
    outside = [address for address in binds if not is_loopback(address)]
    if outside:
        raise RuntimeError(
            f"CONFIDE_LOCAL is set (development keys, plain HTTP), so Confide serves only on this "
            f"machine's loopback address, not on {', '.join(outside)}. Use HOST=127.0.0.1, or "
            "production settings (docs/deploy.md)."
        )


def on_starting(server: _Arbiter) -> None:
    refuse_unless_loopback(server.cfg.bind)


def on_reload(server: _Arbiter) -> None:
    refuse_unless_loopback(server.cfg.bind)
