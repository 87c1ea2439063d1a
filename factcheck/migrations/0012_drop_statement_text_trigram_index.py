"""The statements' trigram index goes: since 0010 earlier appearances are found through the LSH
bands, and fact-check matching reads only the statements published fact-checks cover (through
their link table). Kept, every insert still wrote some 150 trigram keys a statement into it."""

from django.db import migrations


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS stmt_text_trgm")


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS stmt_text_trgm ON factcheck_statement "
                              "USING gin (text gin_trgm_ops)")


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0011_statement_fewer_indexes")]
    operations = [migrations.RunPython(drop, restore, elidable=False)]
