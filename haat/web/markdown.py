"""User Markdown to safe HTML: markdown-it-py renders, nh3 (Ammonia) removes anything active."""

from __future__ import annotations

import functools

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}


@functools.cache
def _parser() -> MarkdownIt:
    # "js-default" disables raw HTML and unsafe link schemes; nh3 below is the real guarantee.
    return MarkdownIt("js-default", {"linkify": False, "typographer": False}).enable("table")


def render_markdown(text: str) -> SafeString:
    """Render user-written Markdown to HTML that is safe to put in a page."""
    html = _parser().render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer ugc",
    )
    return mark_safe(clean)  # noqa: S308  (sanitized by nh3 just above)  # nosec B308, B703
