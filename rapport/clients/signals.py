"""What happens to contacts that other code acts on (as ``projects.signals``, ADR 0013).

Each signal is sent inside the sending service's transaction, and Django runs its receivers
synchronously: their writes commit or roll back with the sender's. A receiver that fails makes
the service fail (``send``, not ``send_robust``).
"""

from __future__ import annotations

from django.dispatch import Signal

contact_dates_changed = Signal()
"""Something a contact's important dates hang on changed: the contact was created or restored,
its name, language or time zone changed (its own, or its client's that it inherits), or one
of its dates was added or removed (``clients.services``).

Arguments: ``sender`` (the Contact class), ``contacts`` (a list of Contact).
Receivers: the care app's name-day calendar and greeting moments (P31, ADR 0036), which
rewrite the calendar's name day and each date's next moment in the same transaction.
"""

# The fields of a contact and of a client whose change moves a contact's dates.
CONTACT_DATE_FIELDS = frozenset({"name", "language", "timezone"})
CLIENT_DATE_FIELDS = frozenset({"language", "timezone"})
