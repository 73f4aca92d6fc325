# The months after a delivery when the client gets a check-in (P30).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0009_workspace_checklist_hidden'),
    ]

    operations = [
        migrations.AddField(
            model_name='workspace',
            name='check_in_months',
            field=models.CharField(blank=True, default='3, 6, 12', max_length=40, verbose_name='check in after (months)'),
        ),
    ]
