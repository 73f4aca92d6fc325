"""The plain-words panel (P26) under a message form of a lower app (a progress update in
``projects``, an answer in ``conversations``) and of the problem report.

Rendered with the page, it lists what the form's text holds already (so the check works
without JavaScript, on a preview or a form shown again); while the provider writes, htmx asks
``care:jargon_check`` for a fresh list. It only suggests: the form's buttons are untouched.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms, template

from rapport.care.jargon.selectors import jargon_findings
from rapport.clients.models import Client, Contact

register = template.Library()


@register.inclusion_tag("care/jargon/_panel.html")
def plain_words(
    client: Client,
    form: forms.BaseForm,
    fields: str,
    contact: Contact | None = None,
) -> dict[str, Any]:
    """The panel for ``fields`` (comma-separated names of ``form``'s text fields) of a
    message to ``client``; ``contact``: the one person it goes to, when the form has no
    choice of contacts (an answer to a request)."""
    bound = [form[name.strip()] for name in fields.split(",") if name.strip() in form.fields]
    text = "\n\n".join(str(b.value() or "") for b in bound)
    chosen: Iterable[Any] = ()
    if contact is not None:
        chosen = [contact.pk]
    elif "contacts" in form.fields and form.is_bound:
        chosen = [v for v in form["contacts"].value() or () if str(v).isdigit()]
    ids = [int(v) for v in chosen]
    return {
        "client": client,
        "findings": jargon_findings(client=client, text=text, contact_ids=ids),
        "check_fields": ",".join(b.html_name for b in bound),
        "contact_id": contact.pk if contact is not None else "",
        "panel_id": f"plain-words-{form.prefix or 'form'}",
    }
