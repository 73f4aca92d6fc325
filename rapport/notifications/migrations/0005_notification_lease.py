"""Claims held by lease: the worker renews ``lease_until`` before each send, and the sweeper
takes back only rows whose lease ran out."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_alert_kind_reply_received"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="lease_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RemoveIndex(
            model_name="notification",
            name="notification_claimed",
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("state", "sending")),
                fields=["lease_until"],
                name="notification_lease",
            ),
        ),
    ]
