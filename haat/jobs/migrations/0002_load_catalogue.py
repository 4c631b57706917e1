"""Load the starting catalogue of categories and skills (DESIGN.md §1)."""

from django.db import migrations


def load_catalogue(apps, schema_editor):
    from haat.jobs import catalogue

    catalogue.load(apps.get_model("jobs", "Category"), apps.get_model("jobs", "Skill"))


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_initial")]

    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
