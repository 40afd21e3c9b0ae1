"""AuditEvent moves here from collection (one audit trail for every app) and names its object generically.

The state moves; the table is renamed, not copied; ``submission_id`` becomes
(``object_type`` = ``collection.submission``, ``object_id``).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def submission_to_object(apps, schema_editor):
    AuditEvent = apps.get_model("common", "AuditEvent")
    AuditEvent.objects.filter(submission__isnull=False).update(
        object_type="collection.submission", object_id=models.F("submission_id")
    )


def object_to_submission(apps, schema_editor):
    AuditEvent = apps.get_model("common", "AuditEvent")
    AuditEvent.objects.filter(object_type="collection.submission").update(submission_id=models.F("object_id"))


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("collection", "0003_version_values_as_json"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="时间")),
                        ("action", models.CharField(max_length=40, verbose_name="操作")),
                        ("field", models.CharField(blank=True, max_length=60, verbose_name="字段")),
                        ("old", models.TextField(blank=True, verbose_name="原值")),
                        ("new", models.TextField(blank=True, verbose_name="新值")),
                        ("reason", models.TextField(blank=True, verbose_name="原因")),
                        ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("submission", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="collection.submission")),
                    ],
                    options={
                        "verbose_name": "审计记录",
                        "verbose_name_plural": "审计记录",
                        "ordering": ["-at", "-id"],
                        "db_table": "collection_auditevent",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="auditevent",
            name="object_type",
            field=models.CharField(blank=True, max_length=60, verbose_name="对象类型"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="object_id",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="对象编号"),
        ),
        migrations.RunPython(submission_to_object, object_to_submission),
        migrations.RemoveField(model_name="auditevent", name="submission"),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["object_type", "object_id"], name="auditevent_object"),
        ),
        migrations.AlterModelTable(name="auditevent", table=None),
    ]
