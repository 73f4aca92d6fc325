"""Composed wordings become references read in each reader's language (ADR 0021).

Existing rows kept only the sentence, in the language of whoever was active when it was
written. Where that sentence is one of ours in any of our languages, the row gains the
reference; ``wording`` keeps the old sentence as the fallback. Typed wordings match none of
the sentences and stay as they are. The timeline events and alerts that quote a wording get
the reference in their data the same way.
"""

from typing import Any

from django.db import migrations, models

from rapport.core.texts import text_ref_from


def forwards(apps: Any, schema_editor: Any) -> None:
    commitment_model = apps.get_model("commitments", "Commitment")
    for commitment in commitment_model.objects.filter(wording_ref={}).iterator():
        ref = text_ref_from(commitment.wording)
        if ref is not None:
            commitment.wording_ref = ref
            commitment.save(update_fields=["wording_ref"])
    for model in (apps.get_model("core", "TimelineEvent"), apps.get_model("notifications", "Alert")):
        for row in model.objects.filter(data__has_key="wording").iterator():
            wording = row.data.get("wording")
            ref = text_ref_from(wording) if isinstance(wording, str) else None
            if ref is not None:
                row.data = {**row.data, "wording": ref}
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
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
