"""Full-text search index for jobs (title + description), one per database vendor.

PostgreSQL: a GIN expression index on ``to_tsvector('simple', title || ' ' || description)``; the selector
(``haat.jobs.search``) queries exactly this expression so the planner can use the index. The ``simple``
configuration lower-cases and does not stem, which also serves Bengali.

SQLite: an FTS5 virtual table ``jobs_job_fts(title, description)`` whose rowid is the job's id, kept in sync
by triggers on ``jobs_job`` (and refreshed by ``haat.jobs.search.index_job``). The tokenizer is
``unicode61`` with the combining-mark categories (M*) counted as token characters: the default categories
(L* N* Co) would cut Bengali words at every vowel sign (``লোগো`` → ``ল`` ``গ``) and match fragments.
Diacritics are kept, as PostgreSQL's ``simple`` configuration keeps them.

On the other vendor each operation is a no-op; both directions are reversible.
"""

from django.db import migrations

FTS_TABLE = "jobs_job_fts"
PG_INDEX = "jobs_job_search_gin"

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        title, description, tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
    )""",
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
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS jobs_job_fts_delete",
    "DROP TRIGGER IF EXISTS jobs_job_fts_update",
    "DROP TRIGGER IF EXISTS jobs_job_fts_insert",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
POSTGRES_FORWARD = [
    f"""CREATE INDEX IF NOT EXISTS {PG_INDEX} ON jobs_job
        USING gin (to_tsvector('simple'::regconfig, title || ' ' || description))""",
]
POSTGRES_BACKWARD = [f"DROP INDEX IF EXISTS {PG_INDEX}"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("jobs", "0003_job_jobattachment_jobinvitation_ndaacceptance_and_more")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
            elidable=False,
        )
    ]
