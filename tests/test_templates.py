"""No inline script or style in any template: the Content-Security-Policy allows
scripts and styles only from Confide's own files (static/js, static/css)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
# Python that writes HTML for templates.
TAG_MODULES = sorted(p for p in ROOT.glob("*/templatetags/*.py") if ".venv" not in p.parts)
EVENT_HANDLER = re.compile(r"^on[a-z]+$")


class InlineFinder(HTMLParser):
    """Collects what a Content-Security-Policy without 'unsafe-inline' blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        names = {name.lower(): value or "" for name, value in attrs}
        if tag == "style":
            self.found.append(f"line {line}: a <style> block")
        if tag == "script":
            if "src" not in names and names.get("type", "") not in ("application/json",):
                self.found.append(f"line {line}: an inline <script>")
            self._in_script = True
        for name, value in names.items():
            if name == "style":
                self.found.append(f"line {line}: a style attribute on <{tag}>")
            elif EVENT_HANDLER.match(name):
                self.found.append(f"line {line}: an event handler attribute {name} on <{tag}>")
            elif value.strip().lower().startswith("javascript:"):
                self.found.append(f"line {line}: a javascript: URL in {name} on <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.found.append(f"line {self.getpos()[0]}: script code inside a <script> tag")


def inline_code(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def test_there_are_templates_to_check() -> None:
    assert len(TEMPLATES) > 20


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_a_template_has_no_inline_script_or_style(path: Path) -> None:
    assert inline_code(path.read_text()) == []


@pytest.mark.parametrize("path", TAG_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_tags_write_no_inline_script_or_style(path: Path) -> None:
    text = path.read_text()
    assert not re.search(r"<script(?![^>]*\ssrc=)|<style|\sstyle=|\son[a-z]+=", text)


@pytest.mark.parametrize(
    ("html", "what"),
    [
        ("<script>alert(1)</script>", "an inline <script>"),
        ('<script type="module">import "x"</script>', "an inline <script>"),
        ("<style>p { color: red }</style>", "a <style> block"),
        ('<p style="color: red">x</p>', "a style attribute on <p>"),
        ('<button onclick="go()">Go</button>', "an event handler attribute onclick on <button>"),
        ('<a href="javascript:go()">Go</a>', "a javascript: URL in href on <a>"),
        ('<body onload="{{ x }}">', "an event handler attribute onload on <body>"),
    ],
)
def test_the_check_finds_each_kind_of_inline_code(html: str, what: str) -> None:
    assert any(what in found for found in inline_code(html))


def test_the_check_lets_scripts_from_files_and_template_tags_through() -> None:
    html = (
        "{% load static %}<script src=\"{% static 'js/confide.js' %}\" defer></script>"
        '<p class="{% if x %}a{% endif %}">{{ value }}</p><a href="{% url \'home\' %}">Home</a>'
    )
    assert inline_code(html) == []
