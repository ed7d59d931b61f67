"""Imports point down the layers (pyproject.toml's import-linter contracts), and no knot of
modules imports itself in a circle."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_import_cycle_among_interviews_modules():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import grimp
        from import_cycles import strongly_connected
    finally:
        sys.path.pop(0)
    graph = grimp.build_graph("interviews", cache_dir=None)
    modules = {m for m in graph.modules if m.startswith("interviews")}
    assert strongly_connected(graph, modules) == []
