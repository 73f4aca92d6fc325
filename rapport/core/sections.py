"""A page's secondary section, loaded after the page is shown (ADR 0014).

The hot pages (dashboard, client, project, portal home) render what a reader needs first in
their own request. Each secondary section is a GET view of the app that owns its rows; the page
holds a placeholder (``includes/lazy_section.html``) that htmx swaps for the section once the
page is shown, and whose link opens the same URL as a page of its own without JavaScript::

    @login_required
    def client_quotes(request: StaffRequest, pk: int) -> HttpResponse:
        client = client_or_404(request, pk)
        return render_section(
            request,
            "agreements/quote_client_list.html",
            {"client": client, "quotes": quotes_for_client(client=client)},
            back=client,
        )
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers

STAFF_PAGE = "includes/section_page.html"


class Page(Protocol):
    """What a section leads back to: an object with a page of its own (a client, a project)."""

    def get_absolute_url(self) -> str: ...


def render_section(
    request: HttpRequest,
    template_name: str,
    context: Mapping[str, Any],
    *,
    back: Page | tuple[str, str],
    page: str = STAFF_PAGE,
) -> HttpResponse:
    """The section alone for htmx, otherwise inside a small page.

    ``back``: the object whose page the section belongs to (its ``str`` and its
    ``get_absolute_url``), or that page's name and URL; the small page (``page``,
    which extends the site's base template: the portal passes its own) leads back to it, and
    says so when the section has nothing to show. Both answers vary on ``HX-Request``.
    """
    back_label, back_url = back if isinstance(back, tuple) else (str(back), back.get_absolute_url())
    if getattr(request, "htmx", False):
        response = render(request, template_name, context)
    else:
        section = render_to_string(template_name, context, request=request)
        page_context = {
            **context,
            # A section with nothing to show renders nothing; the page says so instead.
            "section": section if section.strip() else "",
            "back_label": back_label,
            "back_url": back_url,
        }
        response = render(request, page, page_context)
    patch_vary_headers(response, ("HX-Request",))
    return response
