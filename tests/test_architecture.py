"""The boundaries of the code, checked on every run so that a change which closes an import
circle, reaches up the core's ladder, lets the desk or the documents query the database, or
writes an over-long function fails the build.

Everything here reads the source with `ast` (no import of the code under test), and counts
imports inside functions as well as at the top of a module: every circle the core used to have
was closed by an import inside a function.
"""

from __future__ import annotations

import ast
import copy
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = "canteen"

# The ladder: storage → models → integrity → rules → services → command line. A module may import
# only modules on its own rung or a lower one (and the import graph must still have no circle).
# `NAME` places one module, `NAME.*` a package and everything in it; the most specific entry wins.
# A module on no rung fails `test_every_core_module_is_on_a_rung`: place a new module here.
RUNGS = {
    0: ("canteen", "errors", "timeutil", "numbers", "validation", "columns", "fields", "fieldtypes",
        "vocabulary", "sheetfile", "meat", "places", "remedies", "integrity.canonical", "rules.catalogue", "rules.finding"),
    1: ("db", "migrations", "row_security"),
    2: ("models", "models.*", "settings"),
    3: ("integrity", "integrity.*"),
    4: ("rules", "rules.*", "ledger"),
    5: ("services", "services.*", "read", "read.*", "today", "bulk", "import_checks"),
    6: ("sheet_*", "demo", "demo_cases", "demo_district", "transfer", "cli_push", "pushing", "receiving",
        "receiving_signers", "bundle", "restore", "cli", "__main__",
        "services.district_push"),  # the desk's push: a service over pushing.py
}

# Function length: every folder of product code.
LENGTH_CHECKED = ("canteen", "ui", "reports")
MAX_FUNCTION_LINES = 60

# ruff (configured in pyproject.toml) over every folder of code.
RUFF_CHECKED = ("canteen", "ui", "reports", "tests", "bench")

FORBIDDEN_IN_DESK = ("peewee", "canteen.models", "canteen.db")
QUERY_METHODS = frozenset({"select", "where", "get_or_none", "get_by_id", "execute"})


# ---- reading the source ---------------------------------------------------------------------------

def python_files(folder: str) -> list[Path]:
    return sorted(p for p in (ROOT / folder).rglob("*.py") if "__pycache__" not in p.parts)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def imported_names(tree: ast.AST, name: str, package: bool) -> Iterator[tuple[tuple[str, ...], int]]:
    """Every import statement anywhere in the tree (inside functions too), as the module names it
    may load, most specific first, with its line: `from X import y` gives (X.y, X), since y may be
    a submodule or a name defined in X; relative forms are resolved against `name`."""
    here = name if package else name.rpartition(".")[0]
    for node in ast.walk(without_type_checking_blocks(tree)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield (alias.name,), node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = here.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                yield (f"{base}.{alias.name}", base), node.lineno


def without_type_checking_blocks(tree: ast.AST) -> ast.AST:
    """The tree less its `if TYPE_CHECKING:` blocks: names imported there only annotate and are
    never loaded, so they close no circle (a type checker reads them; Python does not)."""
    class Drop(ast.NodeTransformer):
        def visit_If(self, node: ast.If):
            test = node.test
            named = test.id if isinstance(test, ast.Name) else getattr(test, "attr", "")
            return node.orelse or None if named == "TYPE_CHECKING" else self.generic_visit(node)
    return Drop().visit(copy.deepcopy(tree))


def test_a_type_checking_import_closes_no_circle():
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .fields import Spec\nimport json\n"
    names = [n for n, _ in imported_names(ast.parse(source), "canteen.fieldtypes", False)]
    assert names == [("typing.TYPE_CHECKING", "typing"), ("json",)]


def parse(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def core_graph() -> dict[str, dict[str, int]]:
    """module → {imported core module: line of the first such import}."""
    files = {module_name(p): p for p in python_files(CORE)}
    graph: dict[str, dict[str, int]] = {}
    for name, path in files.items():
        edges: dict[str, int] = {}
        for candidates, line in imported_names(parse(path), name, is_package(path)):
            target = next((c for c in candidates if c in files), None)  # a submodule, else the package
            if target is not None and target != name:
                edges.setdefault(target, line)
        graph[name] = edges
    return graph


# ---- no circle ------------------------------------------------------------------------------------

def strongly_connected(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of modules that can each reach every other one."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [g for g in groups if len(g) > 1]


def one_cycle(graph: dict[str, dict[str, int]], group: list[str]) -> str:
    """The shortest circle through the group's first module, as `a [line] -> b [line] -> … -> a`
    (each line is that of the import on the importing side)."""
    members, start = set(group), group[0]
    came_from: dict[str, str | None] = {start: None}
    queue = [start]
    for node in queue:
        for nxt in sorted(graph[node]):
            if nxt == start:
                path = [node]
                while came_from[path[-1]] is not None:
                    path.append(came_from[path[-1]])
                path = path[::-1] + [start]
                return " -> ".join(f"{a} [line {graph[a][b]}]" for a, b in zip(path, path[1:])) + f" -> {start}"
            if nxt in members and nxt not in came_from:
                came_from[nxt] = node
                queue.append(nxt)
    return " -> ".join(group)


def test_the_core_has_no_import_circle():
    graph = core_graph()
    circles = [f"{', '.join(group)}\n  e.g. {one_cycle(graph, group)}" for group in strongly_connected(graph)]
    assert not circles, "import circles in canteen/ (imports inside functions count):\n" + "\n".join(circles)


def test_the_circle_finder_finds_a_circle_closed_inside_a_function():
    graph = {"a": {"b": 3}, "b": {"c": 5}, "c": {"a": 40}, "d": {"a": 1}}
    assert strongly_connected(graph) == [["a", "b", "c"]]
    assert one_cycle(graph, ["a", "b", "c"]) == "a [line 3] -> b [line 5] -> c [line 40] -> a"
    source = "def late():\n    from .engine import x\n"
    found = set(imported_names(ast.parse(source), "canteen.rules.blocks", False))
    assert (("canteen.rules.engine.x", "canteen.rules.engine"), 2) in found


# ---- the ladder -----------------------------------------------------------------------------------

def rung_of(module: str) -> int | None:
    """The rung of a core module: an exact entry first, then the longest `package.*` entry."""
    short = module[len(CORE) + 1:] if module.startswith(CORE + ".") else module
    best: tuple[int, int] | None = None
    for rung, entries in RUNGS.items():
        for entry in entries:
            if entry == short:
                return rung
            if entry.endswith("*") and short.startswith(entry[:-1]) and (best is None or len(entry) > best[0]):
                best = (len(entry), rung)
    return best[1] if best else None


def test_every_core_module_is_on_a_rung():
    unplaced = sorted(m for m in core_graph() if rung_of(m) is None)
    assert not unplaced, f"place these modules on a rung in RUNGS (tests/test_architecture.py): {unplaced}"


def test_no_core_module_imports_from_a_higher_rung():
    graph = core_graph()
    upward = [f"{m} (rung {rung_of(m)}) imports {t} (rung {rung_of(t)}) at line {line}"
              for m, edges in sorted(graph.items()) for t, line in sorted(edges.items())
              if rung_of(m) is not None and rung_of(t) is not None and rung_of(t) > rung_of(m)]
    assert not upward, "imports up the ladder:\n" + "\n".join(upward)


def test_rung_table_places_packages_and_their_modules():
    assert rung_of("canteen.integrity.chain") == 3
    assert rung_of("canteen.integrity.canonical") == 0
    assert rung_of("canteen.read.lists") == 5
    assert rung_of("canteen.sheet_import") == 6
    assert rung_of("canteen.nowhere") is None


# ---- function length ------------------------------------------------------------------------------

def long_functions(folders) -> list[str]:
    """Functions (methods and nested ones too) over the limit, measured from the first decorator
    to the last line."""
    found = []
    for folder in folders:
        for path in python_files(folder):
            for node in ast.walk(parse(path)):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    first = min([node.lineno] + [d.lineno for d in node.decorator_list])
                    length = node.end_lineno - first + 1
                    if length > MAX_FUNCTION_LINES:
                        found.append(f"{path.relative_to(ROOT)}:{first} {node.name}: {length} lines")
    return found


def test_no_function_is_over_60_lines():
    too_long = long_functions(LENGTH_CHECKED)
    assert not too_long, f"functions over {MAX_FUNCTION_LINES} lines:\n" + "\n".join(too_long)


# ---- the desk and the documents read only through the core ------------------------------------------

def desk_reaches_database() -> list[str]:
    """Imports of peewee, canteen.models or canteen.db (any form, anywhere in a module), `_meta`
    and query calls in ui/ and reports/."""
    found = []
    for folder in ("ui", "reports"):
        for path in python_files(folder):
            where = path.relative_to(ROOT)
            tree = parse(path)
            for candidates, line in imported_names(tree, module_name(path), is_package(path)):
                target = candidates[0]
                if any(target == f or target.startswith(f + ".") for f in FORBIDDEN_IN_DESK):
                    found.append(f"{where}:{line} imports {target}")
            for node in ast.walk(tree):
                if isinstance(node, ast.Attribute) and node.attr == "_meta":
                    found.append(f"{where}:{node.lineno} reads _meta")
                elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                      and node.func.attr in QUERY_METHODS):
                    found.append(f"{where}:{node.lineno} calls .{node.func.attr}()")
    return sorted(set(found))


def test_desk_and_documents_import_no_peewee_models_or_db():
    reaching = desk_reaches_database()
    assert not reaching, "ui/ and reports/ must read through canteen.read:\n" + "\n".join(reaching)


def test_the_desk_check_sees_every_import_form():
    source = ("import peewee\nfrom canteen import db\nimport canteen.db\n"
              "def f():\n    from canteen.models.records import X\n    from peewee import fn\n")
    names = {candidates[0] for candidates, _ in imported_names(ast.parse(source), "ui.pages.x", False)}
    assert {"peewee", "canteen.db", "canteen.models.records.X", "peewee.fn"} <= names


# ---- field types dispatch through the registry ----------------------------------------------------

SWITCH_ALLOWED = ("canteen/fieldtypes.py",)


def _names_a_kind(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "kind") or (isinstance(node, ast.Name) and node.id == "kind")


def _constants(node: ast.AST) -> list:
    if isinstance(node, ast.Constant):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [e.value for e in node.elts if isinstance(e, ast.Constant)]
    return []


def field_type_switches(source: str, type_names) -> list[int]:
    """Lines comparing a `kind` (`spec.kind == "money"`, `kind in ("int", "decimal")`) with a
    field type's name: what the type's own `FieldType` should answer instead."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(_names_a_kind(o) for o in operands) and any(
                    isinstance(v, str) and v in type_names for o in operands for v in _constants(o)):
                lines.append(node.lineno)
    return lines


def test_no_field_type_is_switched_on_by_name():
    from canteen.fieldtypes import TYPES
    found = []
    for folder in LENGTH_CHECKED:
        for path in python_files(folder):
            where = path.relative_to(ROOT).as_posix()
            if where not in SWITCH_ALLOWED:
                found += [f"{where}:{line}" for line in field_type_switches(path.read_text(encoding="utf-8"), TYPES)]
    assert not found, "ask the field type (spec.type, fieldtypes.of) instead of its name:\n" + "\n".join(found)


def test_the_switch_check_sees_a_switch_but_not_a_record_kind():
    source = ('if spec.kind == "money": pass\nif col.kind in ("longtext", "list"): pass\n'
              'if kind != "ref": pass\nif self.kind == "samples": pass\nif spec.type.in_yuan: pass\n')
    assert field_type_switches(source, {"money", "longtext", "list", "ref"}) == [1, 2, 3]


# ---- ruff -----------------------------------------------------------------------------------------

def test_ruff_passes():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", *RUFF_CHECKED],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
