"""A page as its reader has it once the sections loaded after it are in place (core.sections).

Tests that read a section's content on a hot page (dashboard, client, project, portal home) ask
for the page with its sections: each placeholder (``includes/lazy_section.html``) is replaced by
what its URL answers to htmx, as the browser does.
"""

from __future__ import annotations

import html
import re

from django.test import Client as HttpClient

HTMX = {"HX-Request": "true"}

# A section's place on a page, which htmx fills after the page is shown.
LAZY_SECTION = re.compile(r'<section class="card lazy"[^>]*?\shx-get="([^"]+)".*?</section>', re.S)


def with_sections(http: HttpClient, body: str) -> str:
    """``body`` with each section's placeholder replaced by the section."""

    def section(found: re.Match[str]) -> str:
        url = html.unescape(found.group(1))
        answer = http.get(url, headers=HTMX)
        assert answer.status_code == 200, url
        return answer.content.decode()

    return LAZY_SECTION.sub(section, body)


def page_with_sections(http: HttpClient, url: str) -> str:
    """The page at ``url`` (a 200), its sections in place."""
    response = http.get(url)
    assert response.status_code == 200, url
    return with_sections(http, response.content.decode())
