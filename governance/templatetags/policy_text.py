"""A policy's text: Markdown rendered to HTML, then sanitised to a small set of tags
(no scripts, styles, images or links elsewhere than http, https and mailto)."""

from __future__ import annotations

import markdown
import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "b", "i",
    "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td", "hr", "code", "pre",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}, "th": {"scope"}}


def render_policy(text: str) -> str:
    # A policy's own first-level headings become second-level: the page has its h1.
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


@register.filter
def policy_html(text: str) -> SafeString:
    # Sanitised by nh3 (render_policy): only the allowed tags and attributes remain.
    return mark_safe(render_policy(text))  # noqa: S308  # nosec B308 B703
