"""The parts of the code import one another as docs/architecture.md says.

The contracts (which part may import which) are in pyproject.toml, checked
by import-linter; the graph of imports is grimp's, read from the source
files, imports inside functions included.
"""

from pathlib import Path

import grimp
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("newsroom", "comments")


def test_each_part_imports_only_what_the_architecture_allows():
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def test_no_module_imports_one_that_imports_it_back():
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    modules = {name for name in graph.modules if ".tests" not in name}
    cycles = []
    for module in sorted(modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module) & modules):
            back = graph.find_shortest_chain(importer=imported, imported=module, as_packages=False)
            if back:
                cycles.append(" -> ".join((module, *back)))
    assert cycles == []
