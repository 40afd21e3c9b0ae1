"""UserScope moves here from collection: the state moves, the table (collection_userscope) stays."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("plans", "0001_initial"),
        ("collection", "0003_version_values_as_json"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="UserScope",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("role", models.CharField(choices=[("enterprise_reporter", "企业填报员"), ("zone_reporter", "园区填报员"), ("zone_reviewer", "园区审核员"), ("province", "省创新办"), ("city", "市创新办"), ("evaluator", "第三方评估")], max_length=30, verbose_name="角色")),
                        ("org_unit", models.ForeignKey(blank=True, help_text="园区、市或企业；省创新办为空", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="plans.orgunit")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="scopes", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "用户权限范围",
                        "verbose_name_plural": "用户权限范围",
                        "ordering": ["user", "role"],
                        "db_table": "collection_userscope",
                        "constraints": [models.UniqueConstraint(fields=("user", "role", "org_unit"), name="userscope_unique")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
