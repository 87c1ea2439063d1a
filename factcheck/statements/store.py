"""New statements into the database: each grouped with its first appearance, with the
published fact-checks that match it, inserted in as few statements as the database allows."""

from django.db import connections, transaction

from factcheck.models import BandsField, FactCheck, Statement
from factcheck.statements.lsh import bands_and_probes, set_lsh_fields
from factcheck.statements.matching import (
    checks_of,
    find_first_appearances_in_batch,
    match_factchecks,
    record_appearances,
    worth_matching,
)


def store_new_statements(statements: list[Statement]) -> None:
    """Insert new statements (fingerprint set), each grouped with its first appearance, and
    record the published fact-checks that match them.

    Runs in the extraction task, so its cost is the ingest's: a fixed number of queries for
    the whole batch (exact repeats, a trigram search for quotes without one, fact-check
    matching once something is published), however many statements an article brings. The
    first appearances are looked up before the insert, so the new rows are written once.
    """
    if not statements:
        return
    stored, probes = bands_and_probes([s.text for s in statements])
    set_lsh_fields(statements, stored)  # bulk_create skips Model.save(), where they are normally set
    with transaction.atomic(savepoint=False):  # the caller's transaction, when there is one
        firsts = find_first_appearances_in_batch(statements, probes)
        checks = checks_of(firsts)
        for statement, first in zip(statements, firsts, strict=True):
            statement.duplicate_of = first
            statement.in_published_factcheck = first is not None and any(
                published for _, published in checks.get(first.pk, []))
        # A repeat of a statement of the same batch is inserted once its first appearance has an id.
        repeats_in_batch = [s for s in statements if s.duplicate_of is not None and s.duplicate_of.pk is None]
        waiting = {id(s) for s in repeats_in_batch}
        insert_all([s for s in statements if id(s) not in waiting])
        if repeats_in_batch:
            insert_all(repeats_in_batch)
        if FactCheck.objects.published().exists():
            match_factchecks(worth_matching(statements))
        record_appearances([(s, first) for s, first in zip(statements, firsts, strict=True) if first],
                           checks)


def insert_all(statements: list[Statement]) -> list[Statement]:
    """bulk_create, by COPY on PostgreSQL, with ids taken from the table's sequence first.

    Django's bulk_create sends a VALUES list of 30 parameters a row for a table with an array
    column (its INSERT ... FROM UNNEST would flatten the bands of all rows into one list), and
    building and splitting that took longer than PostgreSQL took to run it. Until 6 Dec this
    sent one array a column to INSERT ... SELECT FROM unnest instead: a batch's 560 rows took
    67 ms, 41 of them quoting the arrays into the query (psycopg quotes each element in Python,
    and a row's bands and sketch are 1,900 characters) and parsing them back. COPY carries the
    same values as they are: 33 ms. Each row's bands travel as the text of an int array."""
    queryset = Statement.objects.all()
    connection = connections[queryset.db]
    if not statements or connection.vendor != "postgresql":
        return queryset.bulk_create(statements)
    for statement in statements:  # as bulk_create does: duplicate_of saved since it was set
        statement._prepare_related_fields_for_save(operation_name="insert_all")
    fields = [f for f in Statement._meta.concrete_fields if not (f.primary_key or f.generated)]
    columns = []
    for field in fields:
        values = [field.get_db_prep_save(field.pre_save(s, add=True), connection) for s in statements]
        if isinstance(field, BandsField):
            # None stays NULL: match_bands is null until computed (matching.refresh_match_fields).
            values = [None if v is None else "{" + ",".join(map(str, v)) + "}" for v in values]
        columns.append(values)
    pk = Statement._meta.pk
    table = connection.ops.quote_name(Statement._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in [pk, *fields])
    with connection.cursor() as cursor:
        # In ascending order, as the rows are listed: an earlier statement has the smaller id.
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s) "
                       "ORDER BY 1", [Statement._meta.db_table, pk.column, len(statements)])
        ids = [row[0] for row in cursor.fetchall()]
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in zip(ids, *columns, strict=True):
                copy.write_row(row)
    for statement, pk_value in zip(statements, ids, strict=True):
        statement.pk = pk_value
        statement._state.adding, statement._state.db = False, queryset.db
    return statements
