"""The package layout the code promises: one package per step of the flow, each importing only
the steps before it, no import cycles, and imports at the top of modules.

Read from the source with the standard library's ast, so a new cycle or a step reaching
forward fails here before it confuses a reader or a lazy import hides it.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "factcheck"

# The steps in the order the code depends on them. ingest hands stored articles to the
# statement step (its tasks extract them), so statements sits below it; review, factchecks
# and publish follow the data from the queue to the public page.
STEPS = ["extract", "statements", "ingest", "review", "factchecks", "publish"]
# What the steps share from the package root: the domain model and small helpers.
SHARED = {"factcheck.models", "factcheck.textdiff", "factcheck.security"}
# Imports kept inside functions on purpose, each for the reason given.
LAZY = {
    # Importing the extractor must not load spaCy (seconds, hundreds of MB) in web processes
    # that never extract: the engine loads on first use.
    "factcheck.extract": {"importlib"},
    # The claim scorer loads a spaCy pipeline only when it is given text rather than Docs,
    # and ONNX Runtime (reader.py) only where the shipped score is computed.
    "factcheck.extract.checkworthy": {"spacy", None},
    "factcheck.extract.checkworthy.cli": {"spacy", None},
    # Django's documented place for connecting signals and reading settings once apps load.
    "factcheck.apps": {"factcheck", "factcheck.extract"},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, ast.Module]:
    return {_module_name(p): ast.parse(p.read_text(encoding="utf-8"), filename=str(p))
            for p in ROOT.rglob("*.py") if "migrations" not in p.parts}


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imports(modules: dict[str, ast.Module]) -> dict[str, set[str]]:
    """module -> the factcheck modules it imports (a `from package import name` counts as the
    submodule when there is one)."""
    graph: dict[str, set[str]] = {}
    for name, tree in modules.items():
        is_package = (ROOT.parent / Path(*name.split("."))).is_dir()
        targets = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(name, node, is_package)
                targets |= {f"{target}.{a.name}" if f"{target}.{a.name}" in modules else target
                            for a in node.names}
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as the path around it, or []."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def _step(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STEPS else None


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert _cycle(graph) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    cycle = _cycle(_imports(_modules()))
    assert not cycle, "import cycle: " + " -> ".join(cycle)


def test_each_step_imports_only_the_steps_before_it():
    wrong = []
    for module, targets in _imports(_modules()).items():
        step = _step(module)
        if step is None:
            continue
        for target in targets:
            other = _step(target)
            if other is None:
                if target not in SHARED and target != "factcheck":
                    wrong.append(f"{module} -> {target} (not a step nor shared)")
            elif STEPS.index(other) > STEPS.index(step):
                wrong.append(f"{module} -> {target} ({other} comes after {step})")
    assert not wrong, "\n".join(sorted(wrong))


def test_the_extractor_is_pure_python_and_spacy():
    """extract/ is text in, dataclasses out: no Django, nothing of the app's."""
    wrong = []
    for module, tree in _modules().items():
        if _step(module) != "extract":
            continue
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                     else [])
            wrong += [f"{module} imports {n}" for n in names
                      if n.split(".")[0] == "django"
                      or (n.startswith("factcheck.") and not n.startswith("factcheck.extract"))]
    assert not wrong, "\n".join(wrong)


def test_imports_sit_at_the_top_of_modules():
    lazy = []
    for module, tree in _modules().items():
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.Import):
                    found = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom):
                    found = [node.module if not node.level else None]
                else:
                    continue
                lazy += [f"{module}:{node.lineno} imports {n} inside {func.name}()"
                         for n in found if n not in LAZY.get(module, set())]
    assert not lazy, "\n".join(sorted(set(lazy)))


@pytest.mark.parametrize("step", STEPS)
def test_every_step_is_a_package(step):
    assert (ROOT / step / "__init__.py").is_file()
