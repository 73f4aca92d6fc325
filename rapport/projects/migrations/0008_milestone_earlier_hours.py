"""Milestone.earlier_hours: its owner's load before it, kept with ``risk_at`` (P16).

For existing open milestones the load is summed here (each owner's open, estimated milestones
of active projects in date order; an unowned milestone is the workspace owner's), and their
moment is put back to now so that the first scans forecast them with it.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import migrations, models
from django.utils import timezone


def loads_sum(apps, schema_editor):
    Milestone = apps.get_model("projects", "Milestone")
    Membership = apps.get_model("accounts", "Membership")
    members: dict[int, set[int]] = defaultdict(set)
    owners: dict[int, int] = {}
    for workspace_id, user_id, role in Membership.objects.values_list(
        "workspace_id", "user_id", "role"
    ):
        members[workspace_id].add(user_id)
        if role == "owner" or workspace_id not in owners:
            owners[workspace_id] = user_id
    rows = (
        Milestone.objects.filter(
            archived_at__isnull=True,
            project__archived_at__isnull=True,
            project__status="active",
        )
        .exclude(status="done")
        .order_by("workspace_id", "due_date", "id")
    )
    load: dict[tuple[int, int | None], Decimal] = defaultdict(Decimal)
    changed = []
    for milestone in rows.iterator(chunk_size=2000):
        ws = milestone.workspace_id
        owner = milestone.owner_id if milestone.owner_id in members[ws] else owners.get(ws)
        if milestone.estimate_hours is None:
            continue
        milestone.earlier_hours = load[(ws, owner)].quantize(Decimal("0.01"))
        load[(ws, owner)] += milestone.estimate_hours * (100 - milestone.progress) / 100
        changed.append(milestone)
    Milestone.objects.bulk_update(changed, ["earlier_hours"], batch_size=500)
    rows.update(risk_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_workspace_channels_off"),
        ("projects", "0007_milestone_risk"),
    ]

    operations = [
        migrations.AddField(
            model_name="milestone",
            name="earlier_hours",
            field=models.DecimalField(
                decimal_places=2, default=Decimal(0), editable=False, max_digits=9
            ),
        ),
        migrations.RunPython(loads_sum, migrations.RunPython.noop),
    ]
