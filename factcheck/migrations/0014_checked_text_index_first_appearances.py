"""Fact-check matching reads only first appearances among the statements published fact-checks
cover. A fact-check always covers a quote's first appearance with all its repeats (starting one
adds the whole group, and ingest links each new repeat to its first appearance's checks), and
a repeat is at least as similar as APPEARANCE_THRESHOLD to its first appearance, mostly the same
words: reading the repeats too only multiplied the rows each new statement's search visits by
the number of outlets that printed the checked quote, which grows with every batch ingested
(the bench's matching time grew from 0.5 to 2.2 s a round over five rounds)."""

from django.db import migrations

CREATE = ("CREATE INDEX IF NOT EXISTS stmt_checked_text_trgm ON factcheck_statement "
          "USING gin (text gin_trgm_ops) WITH (fastupdate = off) WHERE {}")


def first_appearances_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS stmt_checked_text_trgm")
        schema_editor.execute(CREATE.format("in_published_factcheck AND duplicate_of_id IS NULL"))


def every_covered_statement(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS stmt_checked_text_trgm")
        schema_editor.execute(CREATE.format("in_published_factcheck"))


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0013_statement_in_published_factcheck")]
    operations = [migrations.RunPython(first_appearances_only, every_covered_statement, elidable=False)]
