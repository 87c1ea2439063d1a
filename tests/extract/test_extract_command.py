"""`manage.py extract`: one JSON line per file with offsets into the file as stored."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

ARTICLE = ('Ferry Chief Says Winter Timetable Will Hold\r\n\r\n'
           '"We have two spare engines," harbour master Jonas Ekberg said on Monday.\r\n')


def run(*args):
    out = io.StringIO()
    call_command("extract", *args, stdout=out)
    return out.getvalue()


def test_jsonl_has_one_line_per_file_with_offsets_into_the_raw_file(tmp_path):
    first = tmp_path / "first.txt"
    first.write_bytes(ARTICLE.encode("utf-8"))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    lines = run(str(first), str(empty)).splitlines()
    assert len(lines) == 2
    record = json.loads(lines[0])
    assert record["path"] == str(first)
    assert set(record) == {"path", "quotes", "claims"}
    raw = ARTICLE  # CRLF kept: read with newline=""
    for quote in record["quotes"]:
        assert raw[quote["start"]:quote["end"]] == quote["text"]
    kinds = {q["kind"] for q in record["quotes"]}
    assert kinds == {"indirect", "direct"}
    direct = next(q for q in record["quotes"] if q["kind"] == "direct")
    assert direct["speaker"]["name"] == "Jonas Ekberg"
    assert json.loads(lines[1]) == {"path": str(empty), "quotes": [], "claims": []}


def test_invalid_utf8_is_replaced_not_fatal(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes('"Caf\xe9 prices rose by 12 percent," the owner said.'.encode("latin-1"))
    record = json.loads(run(str(path)))
    assert record["quotes"][0]["speaker"]["mention"] == "the owner"


def test_table_format_is_for_people(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    out = run("--format", "table", str(path))
    assert "Jonas Ekberg [said]: We have two spare engines," in out


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run(str(tmp_path / "nope.txt"))
