"""LSH bands on statements, so the search for a quote's earlier appearances reads a few rows
instead of the trigram posting lists of its common words (factcheck/matching.py)."""

import factcheck.models
from django.db import migrations

BATCH = 2000


def backfill(apps, schema_editor):
    # The live function, not a frozen copy: stored bands must equal those computed for new
    # statements. A later change of the LSH scheme needs a migration that recomputes them.
    from factcheck.statements.lsh import statement_bands

    Statement = apps.get_model("factcheck", "Statement")
    last = 0
    while True:
        rows = list(Statement.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "text")[:BATCH])
        if not rows:
            break
        Statement.objects.bulk_update(
            [Statement(pk=pk, bands=bands)
             for (pk, _), bands in zip(rows, statement_bands([text for _, text in rows]), strict=True)],
            ["bands"])
        last = rows[-1][0]


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Only the rows a search for earlier appearances can return: claims are grouped by
        # identical wording alone, and repeats point at their first appearance. A quarter of
        # the entries (62 a row) fewer. fastupdate off: with it, new rows' keys wait in a
        # pending list that every search reads in full, and ingest searches right after it
        # inserts (28 ms a quote once the list had filled, against well under 1 ms).
        schema_editor.execute("CREATE INDEX IF NOT EXISTS stmt_bands_gin ON factcheck_statement USING gin (bands) "
                              "WITH (fastupdate = off) WHERE duplicate_of_id IS NULL AND kind <> 'claim'")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS stmt_bands_gin")


class Migration(migrations.Migration):

    dependencies = [
        ('factcheck', '0009_search_index_expressions'),
    ]

    operations = [
        migrations.AddField(
            model_name='statement',
            name='bands',
            field=factcheck.models.BandsField(default=list, editable=False, help_text="LSH band hashes of the words' trigrams (matching.statement_bands), to find near repeats."),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
