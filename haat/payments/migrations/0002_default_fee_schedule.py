"""The default fee schedule (DESIGN.md: buyer 3 %, freelancer 10 %, 15 % under a threshold)."""

from django.db import migrations


def create_default(apps, schema_editor):
    FeeSchedule = apps.get_model("payments", "FeeSchedule")
    FeeSchedule.objects.get_or_create(
        currency="*",
        defaults={
            "buyer_fee_bps": 300,
            "freelancer_fee_bps": 1000,
            "small_contract_fee_bps": 1500,
            "small_contract_threshold": 0,
        },
    )
    # Rent-A-Coder's line: contracts under $150 pay the higher rate.
    FeeSchedule.objects.get_or_create(
        currency="USD",
        defaults={
            "buyer_fee_bps": 300,
            "freelancer_fee_bps": 1000,
            "small_contract_fee_bps": 1500,
            "small_contract_threshold": 15000,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
