"""PDF documents rendered with Typst (contracts, amendments, invoices).

A document is a Typst file in ``rapport/templates/pdf/`` and the data it shows. The data reaches
Typst as JSON through ``sys.inputs`` and is read with ``json(bytes(...))``, so a client's text is
always content, never markup: a name such as ``#strong[x]`` or ``$`` prints as typed. Labels
are translated in Python (gettext) before rendering, in the document's language.

Only Typst's embedded fonts are used (system fonts ignored): the same data gives the same PDF on
every machine, which matters for documents whose SHA-256 is the evidence of what was signed.
Libertinus Serif, embedded in Typst, covers Greek, Romanian (ș ț) and Indonesian.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import typst

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "pdf"


def _default(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def render_pdf(template: str, data: dict[str, Any], *, created_at: datetime) -> bytes:
    """The PDF bytes of ``templates/pdf/<template>.typ`` filled with ``data``.

    ``created_at`` is written as the PDF's creation date, so rendering the same document
    twice gives the same bytes.
    """
    payload = json.dumps(data, default=_default, ensure_ascii=False)
    result = typst.compile(
        str(TEMPLATE_DIR / f"{template}.typ"),
        root=str(TEMPLATE_DIR),
        sys_inputs={"data": payload},
        ignore_system_fonts=True,
        timestamp=created_at.astimezone(UTC).replace(microsecond=0),
    )
    if not isinstance(result, bytes):  # a multi-page image export would be a list
        raise TypeError("Typst returned no PDF")
    return result


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
