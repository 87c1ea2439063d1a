"""The bands index, dropped by 0016 for its rewrite of every row's bands, built again in a
transaction of its own: one that saw 0016's deletes committed indexes only the rows' new
versions."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":  # as in 0010
        # With the default 64 MB of sort memory this took 9 minutes at a million statements.
        schema_editor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        schema_editor.execute("CREATE INDEX IF NOT EXISTS stmt_bands_gin ON factcheck_statement USING gin (bands) "
                              "WITH (fastupdate = off) WHERE duplicate_of_id IS NULL AND kind <> 'claim'")


class Migration(migrations.Migration):

    dependencies = [
        ('factcheck', '0016_statement_sketch_wider_size_classes'),
    ]

    operations = [
        migrations.RunPython(create_index, migrations.RunPython.noop, elidable=False),
    ]
