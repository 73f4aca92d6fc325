# Portal links now live in the clients app (clients.0009); the table is kept for them.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("clients", "0009_portallink"),
        ("portal", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PortalLink")],
            database_operations=[],
        ),
    ]
