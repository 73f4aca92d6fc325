"""The tone of what a client writes, read as it arrives (P23, P24; ADR 0032).

Connected in ``CareConfig.ready`` to ``conversations.signals.client_wrote``; it runs inside
the message's transaction, in a savepoint that the sender guards, so a failure here never
costs the message (``client_wrote_announce``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rapport.care import tone
from rapport.care.tone import Label, ToneResult
from rapport.care.upset.services import UpsetSource, client_upset_raise
from rapport.core.texts import text_ref

if TYPE_CHECKING:
    from rapport.clients.models import Contact
    from rapport.conversations.models import InboundEmail, Request

# What the alert keeps of the message: enough to read the cues in their sentence on the
# de-escalation page; the whole message stays on the request.
EXCERPT_CHARS = 1200


def cues_stored(result: ToneResult) -> list[dict[str, Any]]:
    """The cues as the row keeps them (JSON), in the message's order."""
    return [
        {
            "kind": str(cue.kind),
            "text": cue.text,
            "weight": round(cue.weight, 2),
            "negated": cue.negated,
            "intensified": cue.intensified,
        }
        for cue in result.cues
    ]


def tone_read(
    sender: type,
    *,
    message: Request | InboundEmail,
    request: Request,
    contact: Contact | None,
    text: str,
    **kwargs: Any,
) -> None:
    """Label the client's words in their contact's language and keep label, score and cues on
    the row; an unhappy message raises the client-upset alert as a warning, a hostile one as
    urgent with the boundary message offered (docs/de-escalation.md)."""
    # The contact's language tells the lexicon; without a contact the classifier detects it.
    language = contact.effective_language if contact is not None else None
    result = tone.classify(text, language)
    cues = cues_stored(result)
    message.tone = str(result.label)
    message.tone_score = round(result.score, 3)
    message.tone_cues = cues
    message.save(update_fields=["tone", "tone_score", "tone_cues"])
    if result.label == Label.NEUTRAL:
        return
    hostile = result.label == Label.HOSTILE
    client_upset_raise(
        client=request.client,
        source=UpsetSource.TONE,
        subject=message,
        reason=text_ref("upset.tone_hostile" if hostile else "upset.tone_unhappy"),
        contact=contact,
        hostile=hostile,
        data={
            "request_id": request.pk,
            "subject": request.subject_data,
            "label": str(result.label),
            "score": round(result.score, 3),
            "language": result.language,
            "excerpt": text[:EXCERPT_CHARS],
            "cues": cues,
        },
    )
