from django.db import migrations

# The first questionnaire of workspaces created before briefs existed (English; the owner
# edits it in Settings → Briefs). New workspaces get theirs at sign-up, in their language.
QUESTIONS = [
    (
        "text",
        "What do you want to achieve with this work?",
        "The result you hope for, not only what it should look like.",
        True,
        [],
    ),
    (
        "text",
        "Who is it for?",
        "Your audience or customers: who they are and what they need.",
        True,
        [],
    ),
    (
        "text",
        "Which examples do you like, and why?",
        "Links to work you like or dislike, with a word on why.",
        False,
        [],
    ),
    (
        "file",
        "References or samples",
        "A logo, a brand guide, sketches, earlier material (one file).",
        False,
        [],
    ),
    (
        "text",
        "Are there dates that matter?",
        "A launch, an event, a season: when must it be ready, and why.",
        False,
        [],
    ),
    (
        "choice",
        "What budget do you have in mind?",
        "In your currency. It helps us propose what fits.",
        False,
        ["Under 1,000", "1,000 to 5,000", "5,000 to 15,000", "Over 15,000", "Not sure yet"],
    ),
]


def create(apps, schema_editor):
    Workspace = apps.get_model("accounts", "Workspace")
    Template = apps.get_model("clients", "BriefTemplate")
    Question = apps.get_model("clients", "BriefQuestion")
    for workspace in Workspace.objects.exclude(pk__in=Template.objects.values("workspace_id")).only(
        "pk"
    ):
        template = Template.objects.create(
            workspace_id=workspace.pk, title="Discovery brief", language="en"
        )
        Question.objects.bulk_create(
            Question(
                template=template,
                position=i,
                kind=kind,
                text=text,
                help_text=hint,
                required=required,
                choices=choices,
            )
            for i, (kind, text, hint, required, choices) in enumerate(QUESTIONS)
        )


class Migration(migrations.Migration):
    dependencies = [("clients", "0006_brieftemplate_briefquestion_brief_briefanswer")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
