"""What happens to projects that other code acts on (as ``agreements.signals``, ADR 0013).

Each signal is sent inside the sending service's transaction, and Django runs its receivers
synchronously: their writes commit or roll back with the sender's. A receiver that fails makes
the service fail (``send``, not ``send_robust``).
"""

from __future__ import annotations

from django.dispatch import Signal

project_delivered = Signal()
"""A project's status left the work for delivered or closed, and ``project.delivered_at`` was
stamped (``projects.services.project_update``). Not sent for a project created as delivered:
nothing was handed over at that moment.

Arguments: ``sender`` (the Project class), ``project``, ``actor`` (the provider, or None).
Receivers: the care app's follow-ups of a delivery (thank-you and survey, check-ins; P30, P34).
"""

project_reopened = Signal()
"""A delivered project went back to work: its status left delivered or closed and
``project.delivered_at`` was cleared (``projects.services.project_update``).

Arguments: ``sender`` (the Project class), ``project``, ``actor`` (the provider, or None).
Receivers: the care app cancels the check-ins still to come after that delivery (P30).
"""
