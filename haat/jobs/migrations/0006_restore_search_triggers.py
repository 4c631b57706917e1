"""Restore the SQLite search triggers of 0004.

On SQLite, adding a column (0005) rebuilds ``jobs_job`` as a new table, and the triggers that kept the FTS5
table ``jobs_job_fts`` in step with it are dropped with the old table: jobs written without the services'
``index_job`` (bulk loads, the admin, raw SQL) would never be found. This re-creates them (``IF NOT EXISTS``)
and re-fills the index. A later migration that adds or alters a column of ``jobs_job`` must do the same.
PostgreSQL's expression index survives such changes; nothing to do there.
"""

from django.db import migrations

FTS_TABLE = "jobs_job_fts"

SQLITE_FORWARD = [
    f"""CREATE TRIGGER IF NOT EXISTS jobs_job_fts_insert AFTER INSERT ON jobs_job BEGIN
        DELETE FROM {FTS_TABLE} WHERE rowid = new.id;
        INSERT INTO {FTS_TABLE}(rowid, title, description) VALUES (new.id, new.title, new.description);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS jobs_job_fts_update AFTER UPDATE OF title, description ON jobs_job BEGIN
        DELETE FROM {FTS_TABLE} WHERE rowid = old.id;
        INSERT INTO {FTS_TABLE}(rowid, title, description) VALUES (new.id, new.title, new.description);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS jobs_job_fts_delete AFTER DELETE ON jobs_job BEGIN
        DELETE FROM {FTS_TABLE} WHERE rowid = old.id;
    END""",
    f"DELETE FROM {FTS_TABLE}",
    f"INSERT INTO {FTS_TABLE}(rowid, title, description) SELECT id, title, description FROM jobs_job",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in SQLITE_FORWARD:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("jobs", "0005_job_hidden_at_job_hidden_reason")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
