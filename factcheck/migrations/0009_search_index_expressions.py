"""Full-text indexes on exactly the expressions Django's SearchVector(field, ...) writes, so
the planner uses them (0007's concatenations did not match and were never used)."""

from django.db import migrations

INDEXES = {
    "article_fts": ("factcheck_article", ["title", "text"]),
    "fc_fts": ("factcheck_factcheck", ["claim_reviewed", "headline", "explanation"]),
}


def _expression(columns):
    return " || ' ' || ".join(f"COALESCE({c}, '')" for c in columns)


def recreate(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, columns) in INDEXES.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(f"CREATE INDEX {name} ON {table} USING gin "
                              f"(to_tsvector('english'::regconfig, {_expression(columns)}))")


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0008_open_queue_indexes")]

    operations = [migrations.RunPython(recreate, migrations.RunPython.noop)]
