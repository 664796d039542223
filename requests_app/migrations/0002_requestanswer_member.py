import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_member(apps, schema_editor):
    RequestAnswer = apps.get_model("requests_app", "RequestAnswer")
    MemberRequest = apps.get_model("requests_app", "MemberRequest")
    RequestAnswer.objects.filter(member__isnull=True).update(
        member=Subquery(MemberRequest.objects.filter(pk=OuterRef("request")).values("member")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_member_collective_contract"),
        ("requests_app", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="requestanswer",
            name="member",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.member",
                verbose_name="adhérent",
            ),
        ),
        migrations.RunPython(copy_member, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="requestanswer",
            name="member",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.member",
                verbose_name="adhérent",
            ),
        ),
        migrations.AddIndex(
            model_name="requestanswer",
            index=models.Index(
                condition=models.Q(("read_at__isnull", True)),
                fields=["member"],
                name="requestanswer_unread",
            ),
        ),
    ]
