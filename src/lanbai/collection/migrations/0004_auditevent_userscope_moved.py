"""AuditEvent and UserScope leave collection: only the migration state changes (see common 0001, access 0001)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("collection", "0003_version_values_as_json"),
        ("common", "0001_auditevent"),
        ("access", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AuditEvent"),
                migrations.DeleteModel(name="UserScope"),
            ],
            database_operations=[],
        ),
    ]
