"""Fact-check matching finds its candidates through MinHash LSH bands of its own (statements/lsh.py,
MATCH_BANDS), not pg_trgm's trigram indexes: those returned every row sharing 0.35 of a new
statement's trigrams, mostly function words', each then compared with similarity(), so the cost
grew with the number of published fact-checks (8.4x from 10 to 1,000 in `make bench`).

The statements published fact-checks cover get `match_bands`, and published claims
`claim_bands` and `claim_sketch` (statements have their sketch since 0016), each with a partial
GIN index of the rows matching reads. Nothing is computed here: matching computes the bands of
the rows it reads that lack them (refresh_match_fields), through the partial indexes on those
rows, so a claim changed by a correction, or a statement published after this migration but
stored before it, is never missed. On the first batch extracted after this migration that is
every published fact-check once (about 0.2 ms each). The trigram indexes go: nothing else
reads them, and every publish and every appearance of a checked quote wrote to them."""

from django.db import migrations, models

import factcheck.models

FORWARD = [
    "DROP INDEX IF EXISTS stmt_checked_text_trgm",
    "DROP INDEX IF EXISTS fc_claim_trgm",
    # Written at publish and by ingest, read by every batch: no pending list (see 0013).
    "CREATE INDEX IF NOT EXISTS stmt_checked_match_bands ON factcheck_statement USING gin (match_bands) "
    "WITH (fastupdate = off) WHERE in_published_factcheck AND duplicate_of_id IS NULL",
    "CREATE INDEX IF NOT EXISTS fc_published_claim_bands ON factcheck_factcheck USING gin (claim_bands) "
    "WITH (fastupdate = off) WHERE status = 'published'",
    # The rows waiting for their bands: usually none.
    "CREATE INDEX IF NOT EXISTS stmt_checked_unbanded ON factcheck_statement (id) "
    "WHERE in_published_factcheck AND duplicate_of_id IS NULL AND match_bands IS NULL",
    "CREATE INDEX IF NOT EXISTS fc_published_unbanded ON factcheck_factcheck (id) "
    "WHERE status = 'published' AND banded_claim <> claim_reviewed",
]
BACKWARD = [
    *(f"DROP INDEX IF EXISTS {name}" for name in ("stmt_checked_match_bands", "fc_published_claim_bands",
                                                   "stmt_checked_unbanded", "fc_published_unbanded")),
    "CREATE INDEX IF NOT EXISTS stmt_checked_text_trgm ON factcheck_statement USING gin (text gin_trgm_ops) "
    "WITH (fastupdate = off) WHERE in_published_factcheck AND duplicate_of_id IS NULL",
    "CREATE INDEX IF NOT EXISTS fc_claim_trgm ON factcheck_factcheck USING gin (claim_reviewed gin_trgm_ops) "
    "WITH (fastupdate = off)",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)
    return apply


class Migration(migrations.Migration):

    dependencies = [
        ('factcheck', '0024_desk_assignment_notes_notifications_views'),
    ]

    operations = [
        migrations.AddField(
            model_name='factcheck',
            name='banded_claim',
            field=models.CharField(blank=True, default='', editable=False, max_length=500),
        ),
        migrations.AddField(
            model_name='factcheck',
            name='claim_bands',
            field=factcheck.models.BandsField(default=list, editable=False),
        ),
        migrations.AddField(
            model_name='factcheck',
            name='claim_sketch',
            field=factcheck.models.SketchField(bits=434, blank=True, default='', editable=False),
        ),
        migrations.AddField(
            model_name='statement',
            name='match_bands',
            field=factcheck.models.BandsField(default=None, editable=False, help_text='LSH bands fact-check matching looks up (statements/lsh.py); null until computed.', null=True),
        ),
        migrations.RunPython(run(FORWARD), run(BACKWARD), elidable=False),
    ]
