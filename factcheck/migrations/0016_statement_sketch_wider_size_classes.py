"""Statements store a sketch of their trigram minhashes, and LSH size classes get wider
(factcheck/matching.py): every stored band is salted anew, so all are recomputed here.

The bands index is dropped for the rewrite and built again by 0017: maintained row by row, 62
random keys a row, the update would take many times longer (as make_bench_data found for its
load). Built in this migration's transaction, it also indexed the rows' old versions, which
this transaction deleted: twice the size (2.7 GB at a million statements, against 1.4). On a
million statements the two take some minutes, during which the statements table is locked and
searches for earlier appearances read the whole table: stop the workers first. Every row is
rewritten, so the table holds its old versions until a vacuum marks their space free."""

import factcheck.models
from django.db import migrations

BATCH = 5000
_UPDATE_SQL = """
    UPDATE factcheck_statement s SET bands = new.bands::integer[], sketch = new.sketch::varbit
    FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS new(id, bands, sketch) WHERE s.id = new.id
"""


def recompute(apps, schema_editor):
    # The live function, not a frozen copy: stored bands must equal those computed for new
    # statements (as in 0010).
    from factcheck.statements.lsh import lsh_fields

    Statement = apps.get_model("factcheck", "Statement")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute("DROP INDEX IF EXISTS stmt_bands_gin")
    last = 0
    while True:
        rows = list(Statement.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "text")[:BATCH])
        if not rows:
            break
        fields = lsh_fields([text for _, text in rows])
        if postgres:
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(_UPDATE_SQL, [[pk for pk, _ in rows],
                                             ["{" + ",".join(map(str, f["bands"])) + "}" for f in fields],
                                             [f["sketch"] for f in fields]])
        else:
            Statement.objects.bulk_update([Statement(pk=pk, **f) for (pk, _), f in zip(rows, fields, strict=True)],
                                          ["bands", "sketch"])
        last = rows[-1][0]


class Migration(migrations.Migration):

    dependencies = [
        ('factcheck', '0015_stored_search_vectors'),
    ]

    operations = [
        migrations.AddField(
            model_name='statement',
            name='sketch',
            field=factcheck.models.SketchField(bits=434, blank=True, default='', editable=False, help_text='One bit of each minhash of the words\' trigrams (matching.lsh_fields): rows too unlike a new quote are not compared with it.'),
        ),
        # Not reversible in data: the code before this migration salts bands with other classes.
        migrations.RunPython(recompute, migrations.RunPython.noop, elidable=False),
    ]
