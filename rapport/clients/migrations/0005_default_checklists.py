from django.db import migrations

# The first checklist of workspaces created before checklists existed (English; the owner
# edits it in Settings). New workspaces get theirs at sign-up, in their language.
QUESTIONS = [
    ("Did they say what they want to achieve, not only what they want to see?", "no"),
    ("Did they speak badly of every provider they had before?", "yes"),
    ("Do they want a fixed price before the scope is clear?", "yes"),
    ("Did they refuse a deposit or a written agreement?", "yes"),
    ("Is the deadline realistic for the scope?", "no"),
    ("Were they respectful and on time in the first contacts?", "no"),
]


def create(apps, schema_editor):
    Workspace = apps.get_model("accounts", "Workspace")
    Question = apps.get_model("clients", "ScreeningQuestion")
    for workspace in Workspace.objects.exclude(
        pk__in=Question.objects.values("workspace_id")
    ).only("pk"):
        Question.objects.bulk_create(
            Question(workspace_id=workspace.pk, text=text, red_flag=flag, position=i)
            for i, (text, flag) in enumerate(QUESTIONS)
        )


class Migration(migrations.Migration):
    dependencies = [("clients", "0004_list_indexes"), ("accounts", "0004_workspace_channels_off")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
