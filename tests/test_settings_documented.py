"""Every environment variable the settings read is in the README's configuration table, and
every variable the table lists is still read.

Both sides are read as text: the settings with `ast` (importing them would read the
environment once, on whichever branches this machine takes), the README's table by the
backticked names in its first column. A new `os.environ.get("X")`, `os.getenv("X")`,
`os.environ["X"]` or helper call such as `envint("X", 5)` without a row fails here, and so
does a row whose variable nothing reads any more.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The project's settings, and the test settings `make test` runs on (the "tests" group).
SETTINGS_FILES = (ROOT / "factcheck" / "settings.py", ROOT / "tests" / "settings.py")
README = ROOT / "README.md"
CONFIG_HEADING = "## Configuration"
GROUPS = {"required", "deployment", "tuning", "tests"}


def _is_os_environ(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ"
            and isinstance(node.value, ast.Name) and node.value.id == "os")


def _is_direct_read(call: ast.Call) -> bool:
    """os.environ.get(...) or os.getenv(...)."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr == "get" and _is_os_environ(func.value):
        return True
    return func.attr == "getenv" and isinstance(func.value, ast.Name) and func.value.id == "os"


def _helpers(tree: ast.Module) -> set[str]:
    """The module's own functions that read the environment (envbool, envint, ...), also
    through each other (envbool_or_none calls envbool)."""
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    helpers: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, function in functions.items():
            if name in helpers:
                continue
            for node in ast.walk(function):
                reads = (
                    (isinstance(node, ast.Call) and (_is_direct_read(node) or (
                        isinstance(node.func, ast.Name) and node.func.id in helpers)))
                    or (isinstance(node, ast.Subscript) and _is_os_environ(node.value))
                )
                if reads:
                    helpers.add(name)
                    changed = True
                    break
    return helpers


def variables_read(source: str) -> tuple[set[str], list[str]]:
    """The names a settings module reads, and the reads this test cannot name (a variable
    name that is not a string literal, outside the helpers that pass one through)."""
    tree = ast.parse(source)
    helpers = _helpers(tree)
    inside_helpers = {id(node) for function in tree.body
                      if isinstance(function, ast.FunctionDef) and function.name in helpers
                      for node in ast.walk(function)}
    names: set[str] = set()
    unnamed: list[str] = []

    def record(node: ast.AST, key: ast.AST | None) -> None:
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            names.add(key.value)
        elif id(node) not in inside_helpers:
            unnamed.append(f"line {node.lineno}: {ast.unparse(node)}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (
                _is_direct_read(node)
                or (isinstance(node.func, ast.Name) and node.func.id in helpers)):
            record(node, node.args[0] if node.args else None)
        elif (isinstance(node, ast.Subscript) and _is_os_environ(node.value)
              and isinstance(node.ctx, ast.Load)):
            record(node, node.slice)
        elif (isinstance(node, ast.Compare) and len(node.ops) == 1
              and isinstance(node.ops[0], ast.In | ast.NotIn)
              and _is_os_environ(node.comparators[0])):
            record(node, node.left)
    return names, unnamed


def configuration_table(readme: str) -> list[list[str]]:
    """The rows (lists of cells) of the one table in the README's Configuration section."""
    lines = readme.splitlines()
    try:
        start = lines.index(CONFIG_HEADING)
    except ValueError:
        raise AssertionError(f"README.md has no {CONFIG_HEADING!r} section") from None
    rows = []
    for line in lines[start + 1:]:
        if line.startswith("## "):
            break
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    header, separator, *body = rows
    assert set("".join(separator)) <= set("-: "), f"not a table separator: {separator}"
    return [header, *body]


def variables_documented(readme: str) -> tuple[dict[str, str], list[str]]:
    """Each variable of the table's first column with its group, and malformed rows."""
    header, *body = configuration_table(readme)
    columns = [cell.lower() for cell in header]
    assert "group" in columns, f"the configuration table has no 'group' column: {header}"
    group_column = columns.index("group")
    documented: dict[str, str] = {}
    problems = []
    for row in body:
        names = re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", row[0])
        group = row[group_column].strip("*_ ").lower() if len(row) > group_column else ""
        if not names:
            problems.append(f"a row without a backticked variable: {' | '.join(row)}")
        if group not in GROUPS:
            problems.append(f"{names or row[0]}: group {group!r} is not one of {sorted(GROUPS)}")
        for name in names:
            if name in documented:
                problems.append(f"{name} has two rows")
            documented[name] = group
    return documented, problems


def read_by_settings() -> set[str]:
    names: set[str] = set()
    for path in SETTINGS_FILES:
        found, unnamed = variables_read(path.read_text(encoding="utf-8"))
        assert not unnamed, f"{path.relative_to(ROOT)} reads variables this test cannot name: {unnamed}"
        names |= found
    return names


def test_every_variable_the_settings_read_is_documented():
    documented, _ = variables_documented(README.read_text(encoding="utf-8"))
    missing = sorted(read_by_settings() - documented.keys())
    assert not missing, (
        "read by the settings but not in the README's configuration table: "
        + ", ".join(missing))


def test_every_documented_variable_is_still_read():
    documented, _ = variables_documented(README.read_text(encoding="utf-8"))
    stale = sorted(documented.keys() - read_by_settings())
    assert not stale, (
        "in the README's configuration table but read by no settings module: "
        + ", ".join(stale))


def test_the_table_has_one_row_per_variable_and_a_group_for_each():
    _, problems = variables_documented(README.read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems)


def test_the_parser_finds_reads_of_every_form():
    # The checker itself: were it blind to a form, the tests above would pass vacuously.
    source = '''
import os

def env_flag(name, default):
    return os.environ.get(name, default) == "1"

def env_flag_or_none(name):
    return env_flag(name, "0") if os.environ.get(name) else None

A = os.environ.get("A", "")
B = os.environ["B"]
C = os.getenv("C")
D = env_flag("D", "0")
E = env_flag_or_none("E")
F = "F" in os.environ
os.environ["NOT_A_READ"] = "1"
'''
    names, unnamed = variables_read(source)
    assert names == {"A", "B", "C", "D", "E", "F"}
    assert unnamed == []
    _, unnamed = variables_read("import os\nNAME = 'X'\nX = os.environ.get(NAME)\n")
    assert unnamed == ["line 3: os.environ.get(NAME)"]


def test_the_checker_reports_undocumented_and_stale_variables():
    readme = (f"# x\n\n{CONFIG_HEADING}\n\n| variable | group | default | meaning |\n"
              "|---|---|---|---|\n| `A` | required | none | a |\n| `GONE` | tuning | 1 | g |\n"
              "\n## Next\n\n| `NOT_CONFIG` | x |\n")
    documented, problems = variables_documented(readme)
    assert documented == {"A": "required", "GONE": "tuning"} and problems == []
    names, _ = variables_read('import os\nA = os.environ.get("A")\nB = os.getenv("B")\n')
    assert names - documented.keys() == {"B"}
    assert documented.keys() - names == {"GONE"}
    _, problems = variables_documented(readme.replace("| tuning |", "| knobs |"))
    assert problems == ["['GONE']: group 'knobs' is not one of "
                        "['deployment', 'required', 'tests', 'tuning']"]


def environment_reads(source: str) -> list[str]:
    """Every read of the environment in a module (writes such as setdefault are not reads)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if ((isinstance(node, ast.Call) and _is_direct_read(node))
                or (isinstance(node, ast.Subscript) and _is_os_environ(node.value)
                    and isinstance(node.ctx, ast.Load))
                or (isinstance(node, ast.Compare) and any(map(_is_os_environ, node.comparators)))):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_only_the_settings_module_reads_the_environment():
    # Code below settings takes its configuration as arguments (extract.set_model,
    # checkworthy.set_spacy_model, ...), so the table above is the whole of it.
    settings_py = ROOT / "factcheck" / "settings.py"
    readers = {}
    for path in sorted((ROOT / "factcheck").rglob("*.py")):
        if path != settings_py:
            reads = environment_reads(path.read_text(encoding="utf-8"))
            if reads:
                readers[str(path.relative_to(ROOT))] = reads
    assert not readers, f"read the environment outside factcheck/settings.py: {readers}"


def test_the_app_hands_the_spacy_model_setting_to_the_engine_and_the_claim_scorer():
    from django.conf import settings

    from factcheck import extract
    from factcheck.extract import checkworthy

    assert checkworthy.spacy_model() == settings.FACTCHECK_SPACY_MODEL
    assert extract._chosen_model == settings.FACTCHECK_SPACY_MODEL
    assert checkworthy.DEFAULT_SPACY_MODEL == extract.DEFAULT_MODEL


def test_the_plain_claim_scorer_cli_takes_the_spacy_model_as_a_flag(tmp_path, capsys):
    from factcheck.extract.checkworthy import cli

    sentences = tmp_path / "sentences.txt"
    sentences.write_text("Unemployment fell to 4 per cent last year.\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--spacy-model", "no_such_spacy_pipeline", str(sentences)])
    assert exit_.value.code == 2
    assert "no_such_spacy_pipeline" in capsys.readouterr().err


def test_importing_the_engine_package_for_its_model_name_imports_no_spacy():
    # settings.py imports factcheck.extract.DEFAULT_MODEL: that must stay cheap.
    code = ("import sys, factcheck.extract as e; "
            "print(e.DEFAULT_MODEL, 'spacy' in sys.modules, 'django' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out[1:] == ["False", "False"]
