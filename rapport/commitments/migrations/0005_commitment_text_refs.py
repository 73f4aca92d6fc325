"""Composed wordings and reasons become references read in each reader's language (ADR 0021).

Existing rows kept only the sentence, in the language of whoever was active when it was
written. Where that sentence is one of ours in any of our languages, the row gains the
reference; ``wording`` keeps the old sentence as the fallback. Typed wordings match none of
the sentences and stay as they are; reasons the system gave ("milestone archived") likewise.
The timeline events and alerts that quote a wording or a reason get the reference in their
data the same way.
"""

from typing import Any

from django.db import migrations, models

from rapport.core.texts import text_ref_from


def forwards(apps: Any, schema_editor: Any) -> None:
    commitment_model = apps.get_model("commitments", "Commitment")
    for commitment in commitment_model.objects.iterator():
        wording_ref = text_ref_from(commitment.wording)
        reason_ref = text_ref_from(commitment.reason) if commitment.reason else None
        if wording_ref is not None:
            commitment.wording_ref = wording_ref
        if reason_ref is not None:
            commitment.reason_ref = reason_ref
        if wording_ref is not None or reason_ref is not None:
            commitment.save(update_fields=["wording_ref", "reason_ref"])
    for model in (apps.get_model("core", "TimelineEvent"), apps.get_model("notifications", "Alert")):
        for key in ("wording", "reason"):
            for row in model.objects.filter(data__has_key=key).iterator():
                value = row.data.get(key)
                ref = text_ref_from(value) if isinstance(value, str) else None
                if ref is not None:
                    row.data = {**row.data, key: ref}
                    row.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0004_ledger_moved_cancel_agreed"),
        ("core", "0002_list_indexes"),
        ("notifications", "0006_alert_kind_cancel_answered"),
    ]

    operations = [
        migrations.AddField(
            model_name="commitment",
            name="wording_ref",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="commitment",
            name="reason_ref",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
