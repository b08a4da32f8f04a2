import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("organizations", "0004_person_postal_code"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="WorkerBeat",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("worker_id", models.CharField(max_length=64, unique=True)),
                ("host", models.CharField(blank=True, max_length=200)),
                ("pid", models.PositiveIntegerField(default=0)),
                ("queues", models.CharField(blank=True, max_length=200)),
                ("started_at", models.DateTimeField()),
                ("last_seen", models.DateTimeField(db_index=True)),
            ],
        ),
        migrations.CreateModel(
            name="Job",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=40)),
                ("label", models.CharField(blank=True, max_length=200)),
                ("created_at", models.DateTimeField(db_index=True)),
                ("task_id", models.CharField(blank=True, db_index=True, max_length=64)),
                ("status", models.CharField(choices=[("queued", "queued"), ("running", "running"), ("done", "done"), ("failed", "failed")], db_index=True, default="queued", max_length=10)),
                ("worker_id", models.CharField(blank=True, max_length=64)),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("counted", models.BooleanField(default=True, help_text="Counts against the organization's limit of jobs at once (later chunks of one sweep do not).")),
                ("started_at", models.DateTimeField(blank=True, null=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("error", models.TextField(blank=True)),
                ("created_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("organization", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="organizations.organization")),
            ],
            options={
                "ordering": ["created_at", "id"],
                "indexes": [models.Index(fields=["organization", "status"], name="jobs_job_organiz_01f5e3_idx")],
            },
        ),
    ]
