"""The revision policy of deliverables (P08): set from the accepted quote on every deliverable,
edited on each deliverable's form, refused with the field named when it makes no sense."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from rapport.conftest import Persona
from rapport.core.errors import ApplicationError
from rapport.projects.models import Deliverable, Milestone
from rapport.projects.revision_policy import deliverables_apply_revision_policy
from rapport.projects.services import deliverable_create


def test_policy_from_the_quote_applies_to_every_deliverable(
    layouts: Deliverable, design_milestone: Milestone, alice: Persona
) -> None:
    other = deliverable_create(
        milestone=design_milestone, actor=alice.user, title="Icons", spec="12", format=".svg"
    )
    changed = deliverables_apply_revision_policy(
        project=design_milestone.project, free_rounds=1, rate="55.50"
    )
    assert changed == 2
    for d in (layouts, other):
        d.refresh_from_db()
        assert d.revision_free_rounds == 1
        assert d.revision_hourly_rate == Decimal("55.50")
    # The same policy again changes nothing.
    assert (
        deliverables_apply_revision_policy(
            project=design_milestone.project, free_rounds=1, rate=Decimal("55.5")
        )
        == 0
    )


@pytest.mark.parametrize(
    ("rounds", "rate", "field"),
    [
        ("-1", "40", "revision_free_rounds"),
        ("two", "40", "revision_free_rounds"),
        ("2", "-5", "revision_hourly_rate"),
        ("2", "12.345", "revision_hourly_rate"),
        ("2", "1e20", "revision_hourly_rate"),
    ],
)
def test_bad_policy_is_refused_naming_the_field(
    layouts: Deliverable, rounds: str, rate: str, field: str
) -> None:
    with pytest.raises(ApplicationError) as exc:
        deliverables_apply_revision_policy(
            project=layouts.milestone.project, free_rounds=rounds, rate=rate
        )
    assert exc.value.field == field


def test_policy_is_edited_on_the_deliverable_form(
    layouts: Deliverable, alice_http: HttpClient
) -> None:
    url = reverse("projects:deliverable_edit", args=[layouts.pk])
    data = {
        "title": layouts.title,
        "spec": layouts.spec,
        "format": layouts.format,
        "status": "pending",
        "revision_free_rounds": "3",
        "revision_hourly_rate": "-10",
    }
    response = alice_http.post(url, data)
    assert response.status_code == 400
    assert "cannot be negative" in response.content.decode()
    data["revision_hourly_rate"] = "45"
    assert alice_http.post(url, data).status_code == 302
    layouts.refresh_from_db()
    assert (layouts.revision_free_rounds, layouts.revision_hourly_rate) == (3, Decimal("45"))
