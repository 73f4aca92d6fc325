"""The links of the pulse, "How are we doing?" (P23), at the end of a progress update.

Each link carries a signed token of the contact and the update it was sent with, so the client
answers without logging in and the answer lands on the right update; the page behind it is in
the portal and the answer is recorded by ``care`` (ADR 0033). The tokens live here, beside
the updates that send them, because ``projects`` may not import ``care`` (layers, ADR 0013).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

PULSE_SALT = "rapport.pulse"
# An update is answered in its first days; a link some months old is turned away (a clear
# page, with the way into the portal, where the pulse can still be given).
PULSE_MAX_AGE_DAYS = 120

# Faces from Unicode 6 (2010), which older phones and mail clients draw too; the "slightly"
# faces of Unicode 7 are missing from many of their fonts.
FACES = {1: "😞", 2: "😕", 3: "😐", 4: "😊", 5: "😀"}
LABELS = {
    1: pgettext_lazy("pulse", "Unhappy"),
    2: pgettext_lazy("pulse", "Not so good"),
    3: pgettext_lazy("pulse", "Okay"),
    4: pgettext_lazy("pulse", "Good"),
    5: pgettext_lazy("pulse", "Great"),
}
QUESTION = _("How are we doing?")


@dataclass(frozen=True, slots=True)
class Face:
    score: int
    face: str
    # Lazy: a message is composed under its contact's language after the context is made.
    label: StrPromise
    url: str = ""


def faces(base_url: str = "") -> list[Face]:
    """The five faces, worst first, with their labels (read in the active language); with
    ``base_url`` each has its link (``<base_url><score>/``)."""
    return [
        Face(score, face, LABELS[score], f"{base_url}{score}/" if base_url else "")
        for score, face in FACES.items()
    ]


def pulse_token(*, contact_id: int, update_id: int) -> str:
    """A signed, dated token naming the contact and the update; it grants nothing but
    answering the pulse of that update."""
    return signing.dumps([contact_id, update_id], salt=PULSE_SALT, compress=True)


def pulse_token_read(token: str) -> tuple[int, int] | None:
    """(contact id, update id) of a valid token; None if it was altered or is too old."""
    try:
        value = signing.loads(token, salt=PULSE_SALT, max_age=PULSE_MAX_AGE_DAYS * 86400)
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(part, int) and part > 0 for part in value)
    ):
        return None
    return value[0], value[1]


def pulse_url(*, contact_id: int, update_id: int) -> str:
    """The page of the pulse of one update for one contact (it shows the five faces)."""
    token = pulse_token(contact_id=contact_id, update_id=update_id)
    return settings.SITE_URL + reverse("portal:pulse", args=[token])


def pulse_context(*, contact_id: int, update_id: int) -> dict[str, object]:
    """What a progress update message needs for "How are we doing?": the page's link (one
    line on channels other than email) and the five faces, each a link of its own."""
    url = pulse_url(contact_id=contact_id, update_id=update_id)
    return {"pulse_url": url, "pulse_faces": faces(url)}
