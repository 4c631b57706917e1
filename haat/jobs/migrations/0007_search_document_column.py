"""PostgreSQL: keep each job's search document in a ``tsvector`` column instead of computing it from the text.

The expression index of 0004 answers "which jobs contain these words", but a prefix search (``'logo':*``) must
recheck every candidate row, and ranking, counting and filtering by other columns do too; each recheck parses
title and description again. At a million jobs that parsing was most of a search's time (see
``bench/results``). The column ``search_document`` is filled by a trigger on insert and on changes of title or
description (a trigger rather than a generated column, so a later migration may still alter those columns),
and the GIN index moves to it. SQLite keeps its FTS5 table; nothing changes there.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE jobs_job ADD COLUMN IF NOT EXISTS search_document tsvector",
    """CREATE OR REPLACE FUNCTION jobs_job_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_document := to_tsvector('simple'::regconfig, NEW.title || ' ' || NEW.description);
        RETURN NEW;
    END $$""",
    "DROP TRIGGER IF EXISTS jobs_job_search_document ON jobs_job",
    """CREATE TRIGGER jobs_job_search_document BEFORE INSERT OR UPDATE OF title, description ON jobs_job
    FOR EACH ROW EXECUTE FUNCTION jobs_job_search_document()""",
    "UPDATE jobs_job SET search_document = to_tsvector('simple'::regconfig, title || ' ' || description)",
    "CREATE INDEX IF NOT EXISTS jobs_job_search_document_gin ON jobs_job USING gin (search_document)",
    "DROP INDEX IF EXISTS jobs_job_search_gin",
    # Statistics for the new column, so the planner knows how selective a word is right away.
    "ANALYZE jobs_job",
]
BACKWARD = [
    """CREATE INDEX IF NOT EXISTS jobs_job_search_gin ON jobs_job
    USING gin (to_tsvector('simple'::regconfig, title || ' ' || description))""",
    "DROP INDEX IF EXISTS jobs_job_search_document_gin",
    "DROP TRIGGER IF EXISTS jobs_job_search_document ON jobs_job",
    "DROP FUNCTION IF EXISTS jobs_job_search_document()",
    "ALTER TABLE jobs_job DROP COLUMN IF EXISTS search_document",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("jobs", "0006_restore_search_triggers")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
