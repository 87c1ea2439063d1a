"""The documented backup procedure (README, "Backups") restores every published fact-check."""

import shutil
import subprocess
import uuid

import psycopg
import pytest
from django.db import connection

from factcheck.factchecks import actions as factchecks
from factcheck.models import AttributionVerdict, FactCheck, Rating

pytestmark = [pytest.mark.postgres,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _conninfo(dbname: str) -> dict:
    params = connection.settings_dict
    return {"host": params["HOST"] or "127.0.0.1", "port": str(params["PORT"] or 5432),
            "user": params["USER"] or "postgres", "dbname": dbname}


def _cli_args(info: dict) -> list[str]:
    return ["-h", info["host"], "-p", info["port"], "-U", info["user"]]


def test_dump_and_restore_into_a_fresh_database(editor, publisher, make_statement, tmp_path):
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed; the backup procedure needs the PostgreSQL client")
    fc = factchecks.start_factcheck(statement=make_statement(), by=editor)
    factchecks.save_factcheck(factcheck=fc, by=editor, version=fc.version, explanation="Checked.",
                              attribution_verdict=AttributionVerdict.objects.first(),
                              rating=Rating.objects.first())
    factchecks.submit_factcheck(factcheck=fc, by=editor,
                                no_sources_reason="The claim is checked against its own recording.")
    factchecks.approve(factcheck=fc, by=publisher)
    factchecks.publish(factcheck=fc, by=publisher)
    published = set(FactCheck.objects.published().values_list("slug", flat=True))

    source = _conninfo(connection.settings_dict["NAME"])
    dump = tmp_path / "factcheck.dump"
    # The commands of the README's backup section.
    subprocess.run(["pg_dump", *_cli_args(source), "--format=custom", "--no-owner",
                    f"--file={dump}", source["dbname"]], check=True)
    target = {**source, "dbname": f"restore_{uuid.uuid4().hex[:10]}"}
    with psycopg.connect(**{**source, "dbname": "postgres"}, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{target["dbname"]}"')
    try:
        subprocess.run(["pg_restore", *_cli_args(target), "--no-owner", "--exit-on-error",
                        f"--dbname={target['dbname']}", str(dump)], check=True)
        with psycopg.connect(**target) as restored:
            rows = restored.execute(
                "SELECT slug FROM factcheck_factcheck WHERE status = 'published'").fetchall()
        assert {slug for (slug,) in rows} == published and published
    finally:
        with psycopg.connect(**{**source, "dbname": "postgres"}, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target["dbname"]}"')
