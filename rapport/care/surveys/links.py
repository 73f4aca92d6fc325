"""The links of a survey message: a signed token of one contact and one survey, so the client
answers without logging in (as the pulse links, ADR 0033). Opening a link records nothing;
the page behind it (``portal:survey_link``) submits the answer from the browser."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SURVEY_SALT = "rapport.survey"
# A survey is answered in its first weeks; an older link leads to the portal instead, where
# a survey stays open as long (``SURVEY_OPEN_DAYS``).
SURVEY_OPEN_DAYS = 120


def survey_token(*, contact_id: int, survey_id: int) -> str:
    """A signed, dated token naming the contact and the survey; it grants nothing but
    answering that survey."""
    return signing.dumps([contact_id, survey_id], salt=SURVEY_SALT, compress=True)


def survey_token_read(token: str) -> tuple[int, int] | None:
    """(contact id, survey id) of a valid token; None if it was altered or is too old."""
    try:
        value = signing.loads(token, salt=SURVEY_SALT, max_age=SURVEY_OPEN_DAYS * 86400)
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(
            isinstance(part, int) and not isinstance(part, bool) and part > 0 for part in value
        )
    ):
        return None
    return value[0], value[1]


def survey_url(*, contact_id: int, survey_id: int, csat: int | None = None) -> str:
    """The survey page of one contact; with ``csat`` the satisfaction is already chosen."""
    token = survey_token(contact_id=contact_id, survey_id=survey_id)
    if csat is None:
        return settings.SITE_URL + reverse("portal:survey_link", args=[token])
    return settings.SITE_URL + reverse("portal:survey_link_csat", args=[token, csat])
