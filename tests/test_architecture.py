"""
The house's floors (docs/architecture.md): imports flow one way, with no cycles.

Every module of ours is parsed (no imports are run) and given a floor by what it
is. A module may import only from its own floor or below, there may be no cycle
between files, and our own modules are imported at the top of a file, except in
an app's ``ready()`` (signal wiring), with a reason on the line.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = (
    "crypto",
    "jobs",
    "audit",
    "records",
    "access",
    "portal",
    "sharing",
    "governance",
    "submissions",
    "config",
)

# Bottom up. A module's floor is the first rule whose name matches it.
CRYPTO, AUDIT, FILES, ACCESS, SERVICES, PAGES = range(6)
FLOOR_NAMES = ["crypto and jobs", "audit", "the files' models", "access", "services", "pages"]
RULES: list[tuple[str, int]] = [
    ("crypto", CRYPTO),
    ("jobs", CRYPTO),  # the runner of timed work: imports nothing of ours
    ("*.jobs", SERVICES),  # an app's timed work (audit.jobs comes before the "audit" rule)
    ("audit", AUDIT),
    ("records.models", FILES),
    ("records.choices", FILES),
    ("records.categories", FILES),
    ("records.dates", FILES),
    ("access.models", ACCESS),
    ("access.policy", ACCESS),
    ("access.selectors", ACCESS),
    ("access.http", ACCESS),
    ("submissions.tokens", ACCESS),  # signs and checks one-time form tokens: imports nothing of ours
    ("*.models", ACCESS),
    ("*.services", SERVICES),
    ("*.selectors", SERVICES),
    ("*.receivers", SERVICES),
    ("portal.pdf", SERVICES),
    ("sharing.pdf", SERVICES),
    ("*.views", PAGES),
    ("*.decorators", PAGES),
    ("*.urls", PAGES),
    ("*.staff_urls", PAGES),
    ("*.forms", PAGES),
    ("*.admin", PAGES),
    ("*.apps", PAGES),
    ("*.middleware", PAGES),
    ("*.templatetags", PAGES),
    ("*.context_processors", PAGES),
    ("*.management", PAGES),
    ("*.migrations", PAGES),
    ("config", PAGES),
]


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int
    top_level: bool
    reason: str


def floor_of(module: str) -> int | None:
    if module in APPS:
        return CRYPTO  # an app's package itself: docs only, it imports nothing
    parts = module.split(".")
    for pattern, floor in RULES:
        wanted = pattern.split(".")
        if len(parts) >= len(wanted) and all(w in ("*", p) for w, p in zip(wanted, parts, strict=False)):
            return floor
    return None


def modules(root: Path, packages: tuple[str, ...]) -> dict[str, Path]:
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root).with_suffix("")
            parts = list(relative.parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def resolve(name: str, known: dict[str, Path], *, imported: str = "") -> str | None:
    """The module of ours an import names: `from a.b import c` is a.b.c if c is a module."""
    if imported and f"{name}.{imported}" in known:
        return f"{name}.{imported}"
    return name if name in known else None


def imports_of(module: str, path: Path, known: dict[str, Path]) -> Iterator[Import]:
    source = path.read_text()
    lines = source.splitlines()
    tree = ast.parse(source)
    top_level = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        targets: list[str | None] = []
        if isinstance(node, ast.Import):
            targets = [resolve(alias.name, known) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [resolve(node.module, known, imported=alias.name) for alias in node.names]
        line = lines[node.lineno - 1] if hasattr(node, "lineno") else ""
        for target in targets:
            if target and target != module:
                reason = line.partition("#")[2].strip()
                yield Import(module, target, node.lineno, id(node) in top_level, reason)


def all_imports(root: Path, packages: tuple[str, ...]) -> list[Import]:
    known = modules(root, packages)
    return [i for module, path in known.items() for i in imports_of(module, path, known)]


def cycles(found: list[Import]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    graph: dict[str, set[str]] = {}
    for i in found:
        if i.top_level:
            graph.setdefault(i.source, set()).add(i.target)
            graph.setdefault(i.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


# --- the project -------------------------------------------------------------------


def test_every_module_has_a_floor() -> None:
    unplaced = [m for m in modules(ROOT, APPS) if floor_of(m) is None]
    assert unplaced == [], "give these a floor in RULES (and in docs/architecture.md)"


def test_imports_never_reach_up_a_floor() -> None:
    upward = []
    for i in all_imports(ROOT, APPS):
        source, target = floor_of(i.source), floor_of(i.target)
        if source is not None and target is not None and target > source:
            upward.append(
                f"{i.source}:{i.line} ({FLOOR_NAMES[source]}) imports {i.target} ({FLOOR_NAMES[target]})"
            )
    assert upward == []


def test_there_is_no_import_cycle_between_files() -> None:
    assert cycles(all_imports(ROOT, APPS)) == []


def test_our_modules_are_imported_at_the_top_except_in_ready_with_a_reason() -> None:
    hidden = [
        f"{i.source}:{i.line} imports {i.target} inside a function"
        for i in all_imports(ROOT, APPS)
        if not i.top_level and not (i.source.endswith(".apps") and i.reason)
    ]
    assert hidden == []


def test_no_module_of_an_app_grows_past_400_lines() -> None:
    long = [
        f"{path.relative_to(ROOT)}: {n} lines"
        for module, path in modules(ROOT, APPS).items()
        if ".migrations." not in module and (n := len(path.read_text().splitlines())) > 400
    ]
    assert long == []


# --- the checks themselves, on a small fake project -----------------------------------


@pytest.fixture
def fake(tmp_path: Path) -> Path:
    def write(name: str, text: str) -> None:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))

    write("shop/__init__.py", "")
    write("shop/models.py", "from shop.prices import euro\n")
    write("shop/prices.py", "from shop.models import Item  # the cycle\n\ndef euro(): ...\n")
    write("shop/views.py", "from shop import models\n\ndef page():\n    from shop.prices import euro\n")
    return tmp_path


def test_the_check_finds_an_injected_cycle(fake: Path) -> None:
    assert cycles(all_imports(fake, ("shop",))) == [["shop.models", "shop.prices"]]


def test_the_check_finds_an_import_inside_a_function(fake: Path) -> None:
    found = [i for i in all_imports(fake, ("shop",)) if not i.top_level]
    assert [(i.source, i.target, i.line) for i in found] == [("shop.views", "shop.prices", 4)]


def test_the_check_resolves_a_submodule_named_in_from_import(fake: Path) -> None:
    found = {(i.source, i.target) for i in all_imports(fake, ("shop",))}
    assert ("shop.views", "shop.models") in found


def test_floors_order_the_layers_as_the_docs_say() -> None:
    assert floor_of("crypto.fields") < floor_of("audit.models") < floor_of("records.models.people")
    assert floor_of("records.models") < floor_of("access.policy") < floor_of("records.services.entries")
    assert floor_of("access.services.grants") < floor_of("portal.views.pages")
    assert floor_of("records.views.home") == floor_of("config.urls") == PAGES
    assert floor_of("jobs.runner") == floor_of("jobs.management.commands.run_due_jobs") == CRYPTO
    assert floor_of("audit.jobs") == floor_of("records.jobs") == SERVICES
