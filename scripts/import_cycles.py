"""The largest knot of imports among `interviews` modules (issue 18's measure).

Counts every import grimp sees, function-level ones included, and prints the strongly
connected components of more than one module, largest first. Run:

    uv run python scripts/import_cycles.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import grimp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def strongly_connected(graph: grimp.ImportGraph, modules: set[str]) -> list[set[str]]:
    """Tarjan's algorithm over the import edges between `modules`."""
    edges = {m: graph.find_modules_directly_imported_by(m) & modules for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    counter = 0

    def visit(module: str) -> None:
        nonlocal counter
        index[module] = low[module] = counter
        counter += 1
        stack.append(module)
        on_stack.add(module)
        for target in edges[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == module:
                    break
            components.append(component)

    sys.setrecursionlimit(10_000)
    for module in sorted(modules):
        if module not in index:
            visit(module)
    return sorted((c for c in components if len(c) > 1), key=len, reverse=True)


def main() -> int:
    graph = grimp.build_graph("interviews", include_external_packages=False, cache_dir=None)
    modules = {m for m in graph.modules if m.startswith("interviews")}
    components = strongly_connected(graph, modules)
    largest = len(components[0]) if components else 1
    print(f"{len(modules)} modules; largest cycle: {largest} module(s)")
    for component in components:
        print(f"- {len(component)}: {', '.join(sorted(component))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
