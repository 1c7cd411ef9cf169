"""``make bench`` (``python -m bench``): Confide's benchmark. See docs/performance.md.

For each size asked for: seed (or reuse) a scratch PostgreSQL database, copy it for the run,
serve the copy with gunicorn (2 sync workers, production-like settings) pinned to one core, sign
in as the manager and the key worker, fetch each page once (for its queries and size), then load
it with wrk pinned to the other core. Prints a table per size, then the three summary lines.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg2

from bench import database, load, serve
from bench.database import BenchError
from bench.report import Row, SizeResult, summary_lines, table

# The demo's password (README.md; records/management/demo_data.py).
DEMO_PASSWORD = "confide-demo-2026"  # noqa: S105 - the demo's, printed by seed_demo
USERS = ("manager", "keyworker")
# page, path; {child} and {record} are filled in by bench.pick.
PAGES = (
    ("child file", "/children/{child}/"),
    ("record", "/records/{record}/"),
    ("record twin", "/bench-twin/records/{record}/"),
    ("chronology", "/children/{child}/chronology/"),
    ("child list", "/children/"),
    ("home", "/"),
    ("audit log", "/audit/"),
)
# Pages some people may not see: a 404 for them is "not applicable", not a failure.
NOT_FOR = {("audit log", "keyworker"): "n/a: 404 for a key worker"}
# A slow page is loaded long enough to complete about this many requests, up to MAX_SECONDS.
MIN_REQUESTS = 20
MAX_SECONDS = 120.0


@dataclass(frozen=True)
class Options:
    sizes: list[int]
    records_per_child: int
    seconds: float
    warmup: float
    clients: int
    server_cpu: int | None
    client_cpu: int | None
    pages: list[str]


def parse(argv: list[str]) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--children", default="1000", help="sizes to run, comma-separated (default 1000)")
    parser.add_argument("--records-per-child", type=int, default=66, help="records in each file (66)")
    parser.add_argument("--seconds", type=float, default=10, help="load per page and person (10)")
    parser.add_argument("--warmup", type=float, default=2, help="unmeasured load before each (2)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (4)")
    parser.add_argument("--server-cpu", type=int, default=0, help="core for gunicorn (0)")
    parser.add_argument("--client-cpu", type=int, default=1, help="core for wrk (1)")
    parser.add_argument(
        "--pages", default="", help="only these pages, comma-separated (e.g. 'child file,home'; default all)"
    )
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(n) for n in args.children.split(",") if n.strip()})
    except ValueError:
        parser.error("--children takes whole numbers, comma-separated: --children 1000,15000")
    if not sizes or min(sizes) < 3 or args.records_per_child < 1:
        parser.error("each size needs at least 3 children (the demo's families), and 1 record each")
    unknown = {p.strip() for p in args.pages.split(",") if p.strip()} - {page for page, _ in PAGES}
    if unknown:
        parser.error(f"no such page: {', '.join(sorted(unknown))} (pages: {', '.join(p for p, _ in PAGES)})")
    pin = (os.cpu_count() or 1) >= 2 and shutil.which("taskset") is not None
    if not pin:
        print("bench: fewer than 2 cores or no taskset: server and wrk are not pinned", file=sys.stderr)
    return Options(
        sizes=sizes,
        records_per_child=args.records_per_child,
        seconds=args.seconds,
        warmup=args.warmup,
        clients=args.clients,
        server_cpu=args.server_cpu if pin else None,
        client_cpu=args.client_cpu if pin else None,
        pages=[p.strip() for p in args.pages.split(",") if p.strip()],
    )


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def seeded(server: database.Server, env: dict[str, str], children: int, per_child: int) -> str:
    """The seeded database at this size, made or reused; says how."""
    keys = env["FIELD_ENCRYPTION_KEYS"] + env["BLIND_INDEX_KEY"]
    wanted = database.seed_marker(children=children, records=per_child, keys=keys)
    with server.admin() as admin:
        exists, comment = database.state(admin, server.name)
        action = database.decide(exists=exists, comment=comment, wanted=wanted)
        if action == "refuse":
            raise database.refusal(server.name, comment)
        if action == "reseed":
            database.drop(admin, server.name)
        if action in ("create", "reseed"):
            database.create(admin, server.name, f"{database.MARK} seeding")
    env = env | {"DATABASE_URL": server.url(server.name)}
    serve.manage(env, "migrate", "--noinput", "--verbosity=0")
    if action == "reuse":
        return "reused"
    shutil.rmtree(serve.VAR / "media", ignore_errors=True)
    say(f"seeding {children:,} children x {per_child} records into {server.name}")
    started = time.monotonic()
    serve.manage(env, "seed_demo", "--force", f"--children={children}", f"--records-per-child={per_child}")
    seconds = time.monotonic() - started
    with server.admin() as admin:
        database.mark(admin, server.name, wanted)
    say(f"seeded in {seconds:.1f} s")
    return f"seeded in {seconds:.1f} s"


@contextmanager
def run_copy(server: database.Server) -> Iterator[str]:
    """A fresh copy of the seeded database for one run, dropped afterwards."""
    with server.admin() as admin:
        database.drop(admin, server.run_name)
        database.create(admin, server.run_name, database.run_marker(server.name), template=server.name)
    try:
        yield server.url(server.run_name)
    finally:
        with server.admin() as admin:
            database.drop(admin, server.run_name)


def measure(port: int, ids: dict[str, str], options: Options) -> list[Row]:
    cookies = {user: load.sign_in(port, user, DEMO_PASSWORD) for user in USERS}
    rows = []
    for page, template in PAGES:
        if options.pages and page not in options.pages:
            continue
        path = template.format(**ids)
        for user in USERS:
            fetched = load.fetch(port, path, cookies[user])
            if fetched.status == 404 and (page, user) in NOT_FOR:
                rows.append(Row(page, user, options.clients, note=NOT_FOR[(page, user)]))
                continue
            if fetched.status != 200:
                raise BenchError(f"{path} answered {fetched.status} to {user}, not 200.")
            for clients in [options.clients, 1] if page == "child file" else [options.clients]:
                rows.append(measured(port, page, path, user, cookies[user], fetched, clients, options))
    return rows


def measured(
    port: int,
    page: str,
    path: str,
    user: str,
    cookie: str,
    fetched: load.Fetched,
    clients: int,
    options: Options,
) -> Row:
    """One page, person and number of clients under load. A page so slow that a run of the
    usual length would complete few requests is loaded for longer (up to MAX_SECONDS)."""
    say(f"{page} as {user}, {clients} client{'s' if clients > 1 else ''}")
    seconds = max(options.seconds, min(MIN_REQUESTS * fetched.seconds, MAX_SECONDS))
    if fetched.seconds * clients < options.warmup:  # else the single fetch was the warm-up
        load.warm_up(port, path, cookie, clients=clients, seconds=options.warmup, cpu=options.client_cpu)
    result = load.wrk(port, path, cookie, clients=clients, seconds=seconds, cpu=options.client_cpu)
    # wrk stops with requests still being served: let them finish before the next run.
    time.sleep(min(result.slowest / 1000, MAX_SECONDS))
    notes = []
    if result.requests < 50:
        notes.append(f"only {result.requests} requests in {result.seconds:.0f} s")
    if result.socket_errors:
        notes.append(f"{result.socket_errors} socket errors")
    if page == "record twin":
        notes.append("unprotected, bench only")
    return Row(
        page,
        user,
        clients,
        rps=result.rps,
        p50=result.p50,
        p95=result.p95,
        p99=result.p99,
        queries=fetched.queries,
        html_kb=fetched.size / 1024,
        note="; ".join(notes),
    )


def run_size(server: database.Server, env: dict[str, str], children: int, options: Options) -> SizeResult:
    how = seeded(server, env, children, options.records_per_child)
    with run_copy(server) as url:
        env = env | {"DATABASE_URL": url}
        picked = subprocess.run(  # noqa: S603 - our own command line
            [sys.executable, "-m", "bench.pick"],
            cwd=database.ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if picked.returncode:
            raise BenchError(f"Choosing the child and record failed: {picked.stderr.strip()}")
        ids = json.loads(picked.stdout)
        env = env | {"BENCH_TWIN_RECORD": ids["record"], "BENCH_TWIN_USERS": ",".join(USERS)}
        log = serve.VAR / f"gunicorn-{children}.log"
        with serve.serving(env, cpu=options.server_cpu, log=log) as port:
            rows = measure(port, ids, options)
    return SizeResult(children, options.records_per_child, rows, seeding=how)


def machine(server: database.Server) -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.partition(":")[2].strip()
            break
    memory = next(
        int(line.split()[1]) / 1024**2
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    with server.admin() as admin, admin.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = (cursor.fetchone() or ("?",))[0]
    load_average = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} cores ({model}), {memory:.1f} GiB RAM, PostgreSQL {version}; "
        f"load average {load_average:.2f} at the start"
    )


def main(argv: list[str]) -> int:
    options = parse(argv)
    try:
        server = database.Server.from_url(os.environ.get("BENCH_DATABASE_URL") or database.DEFAULT_URL)
        env = serve.environment(serve.keys(), server.url(server.name))
        print(f"Machine: {machine(server)}", flush=True)
        serve.manage(env, "collectstatic", "--noinput", "--verbosity=0")
        results = []
        for children in options.sizes:
            results.append(run_size(server, env, children, options))
            print("\n" + table(results[-1], options.clients) + "\n", flush=True)
        if options.pages:
            say("some pages only: no summary lines (they need the child file, record and twin)")
            return 0
        for line in summary_lines(results, options.clients):
            print(line)
    except BenchError as error:
        say(str(error))
        return 2
    except psycopg2.Error as error:
        say(f"PostgreSQL refused: {error}".strip())
        return 2
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    return 0
