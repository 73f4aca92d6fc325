"""Milestone.start_date (its own window) and Milestone.risk_at (when it becomes at risk), P16.

Existing open milestones of active projects get ``risk_at`` = now: the delay-risk scan then
forecasts each exactly, in bounded batches, and moves the moment on (to never, to the day it
will be at risk, or to the day its warning turns urgent). Computing the forecast here would
copy the application's rules into a migration that can never change again.
"""

from django.db import migrations, models
from django.utils import timezone


def risk_at_now(apps, schema_editor):
    Milestone = apps.get_model("projects", "Milestone")
    Milestone.objects.filter(
        archived_at__isnull=True,
        project__archived_at__isnull=True,
        project__status="active",
    ).exclude(status="done").update(risk_at=timezone.now())


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0006_milestone_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="milestone",
            name="start_date",
            field=models.DateField(blank=True, null=True, verbose_name="start date"),
        ),
        migrations.AddField(
            model_name="milestone",
            name="risk_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddConstraint(
            model_name="milestone",
            constraint=models.CheckConstraint(
                condition=models.Q(("start_date__isnull", True))
                | models.Q(("start_date__lte", models.F("due_date"))),
                name="milestone_start_before_due",
            ),
        ),
        migrations.AddIndex(
            model_name="milestone",
            index=models.Index(
                condition=models.Q(("risk_at__isnull", False)),
                fields=["risk_at", "id"],
                name="milestone_risk_at",
            ),
        ),
        migrations.RunPython(risk_at_now, migrations.RunPython.noop),
    ]
