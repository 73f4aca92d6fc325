"""Background tasks shared by every app."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.tasks import task

from rapport.core.periodic import tick_run


@task()
def email_deliver(*, to: list[str], subject: str, body: str, html: str | None = None) -> None:
    """Send one already rendered email through the default mailer.

    Raising on failure lets the task backend record the error; the message is rendered by the
    service that queued it, in the recipient's language.
    """
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


@task()
def tick() -> dict[str, int]:
    """The once-a-minute tick enqueued by the scheduler."""
    return tick_run()
