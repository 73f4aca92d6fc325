import datetime

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_workspace_inbound_mailbox"),
    ]

    operations = [
        migrations.AddField(
            model_name="workspace",
            name="default_contact_hours_start",
            field=models.TimeField(
                default=datetime.time(8, 0), verbose_name="default contact hours from"
            ),
        ),
        migrations.AddField(
            model_name="workspace",
            name="default_contact_hours_end",
            field=models.TimeField(
                default=datetime.time(20, 0), verbose_name="default contact hours until"
            ),
        ),
        migrations.AddField(
            model_name="workspace",
            name="sender_name",
            field=models.CharField(
                blank=True, default="", max_length=100, verbose_name="sender name"
            ),
        ),
        migrations.AddField(
            model_name="workspace",
            name="sender_email",
            field=models.EmailField(
                blank=True, default="", max_length=254, verbose_name="sender address"
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="notify_channel",
            field=models.CharField(default="email", max_length=16, verbose_name="notify me by"),
        ),
        migrations.AddField(
            model_name="membership",
            name="notify_address",
            field=models.CharField(
                blank=True, max_length=254, verbose_name="address on that channel"
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="quiet_hours_start",
            field=models.TimeField(blank=True, null=True, verbose_name="quiet from"),
        ),
        migrations.AddField(
            model_name="membership",
            name="quiet_hours_end",
            field=models.TimeField(blank=True, null=True, verbose_name="quiet until"),
        ),
        migrations.AddField(
            model_name="membership",
            name="digest_due_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(fields=["digest_due_at"], name="membership_digest_due"),
        ),
    ]
