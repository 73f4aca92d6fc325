"""A subject the system gave a request is read in each reader's language (ADR 0021).

Requests opened from an email without a subject stored "(no subject)" in whichever language
was active. Rows whose subject is that text in any of our languages get the reference; the
stored text stays as the fallback. The alerts and timeline events that quote it follow.
"""

from typing import Any

from django.db import migrations, models

from rapport.core.texts import text_ref_from


def forwards(apps: Any, schema_editor: Any) -> None:
    request_model = apps.get_model("conversations", "Request")
    no_subject = {"text": "request.no_subject", "args": {}}
    for request in request_model.objects.filter(subject_ref={}).iterator():
        if text_ref_from(request.subject) == no_subject:
            request.subject_ref = no_subject
            request.save(update_fields=["subject_ref"])
    for model in (apps.get_model("core", "TimelineEvent"), apps.get_model("notifications", "Alert")):
        for row in model.objects.filter(data__has_key="subject").iterator():
            subject = row.data.get("subject")
            if isinstance(subject, str) and text_ref_from(subject) == no_subject:
                row.data = {**row.data, "subject": no_subject}
                row.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0003_request_urgent"),
        ("core", "0002_list_indexes"),
        ("notifications", "0006_alert_kind_cancel_answered"),
    ]

    operations = [
        migrations.AddField(
            model_name="request",
            name="subject_ref",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
