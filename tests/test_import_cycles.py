"""No import cycle runs through a services or tasks module, not even through an import written
inside a function: services queue tasks, tasks call what delivers, and nothing imports back.

The graph is read from the source (every `import`, wherever it is written), so a cycle hidden
in a function body fails here before it costs a late ImportError in a worker.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["accounts", "casework", "cover", "directory", "documents", "oversight", "partners",
            "portal", "requests_app", "support"]  # fmt: skip


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            candidates = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for candidate in candidates:
            # The longest known module the import names ("a.b.c" may be module a.b's name c).
            while candidate and candidate not in modules:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
    return targets


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _is_services_or_tasks(module: str) -> bool:
    parts = module.split(".")
    return "services" in parts or parts[-1] == "tasks"


def test_no_import_cycle_runs_through_a_services_or_tasks_module():
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    offending = [c for c in _cycles(graph) if any(_is_services_or_tasks(m) for m in c)]
    assert offending == []


def test_the_check_finds_a_cycle_hidden_in_a_function(tmp_path):
    # The check itself must see a function-level import: two modules importing each other.
    graph = {"app.services": {"app.tasks"}, "app.tasks": {"app.services"}, "app.models": set()}
    assert _cycles(graph) == [["app.services", "app.tasks"]]
    source = tmp_path / "tasks.py"
    source.write_text("def job():\n    from app.services import thing\n", encoding="utf-8")
    modules = {"app.tasks": source, "app.services": source}
    assert _imports("app.tasks", source, modules) == {"app.services"}
