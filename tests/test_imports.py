"""Tests share helpers through `tests/support/` only; no test module imports another.

A test module that imports another runs (and collects) that module's tests' dependencies and
breaks when it is renamed; a helper in `tests/support/` is found in one place. bench/ may reuse
tests/support too, and nothing else of tests/.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.support.paths import ROOT

SUPPORT = "tests.support"


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, root: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute module) of every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    name = _module_name(path, root)
    package = name.rsplit(".", 1)[0] if path.name != "__init__.py" else name
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            yield node.lineno, module
            yield from ((node.lineno, f"{module}.{alias.name}") for alias in node.names)


def _is_support(module: str) -> bool:
    return module == SUPPORT or module.startswith(f"{SUPPORT}.")


def _wrong_imports(files: list[Path], root: Path = ROOT) -> list[str]:
    wrong = []
    for path in files:
        for line, module in _imports(path, root):
            if module == "tests" or not module.startswith("tests."):
                continue
            if not _is_support(module):
                wrong.append(f"{path.relative_to(root)}:{line} imports {module}")
    return sorted(set(wrong))


def test_test_modules_import_helpers_only_from_tests_support() -> None:
    files = list((ROOT / "tests").rglob("*.py"))
    assert len(files) > 50
    assert _wrong_imports(files) == []


def test_bench_reuses_tests_support_and_nothing_else_of_tests() -> None:
    assert _wrong_imports(list((ROOT / "bench").rglob("*.py"))) == []


def test_the_check_catches_an_import_of_another_test_module(tmp_path: Path) -> None:
    """The rule can fail: a module importing a test module (absolute or relative) is named."""
    probe = tmp_path / "tests" / "ingest" / "_probe_imports.py"
    probe.parent.mkdir(parents=True)
    probe.write_text("from tests.runtime.test_log import x\nfrom .test_docx import y\n")
    assert _wrong_imports([probe], tmp_path) == [
        "tests/ingest/_probe_imports.py:1 imports tests.runtime.test_log",
        "tests/ingest/_probe_imports.py:1 imports tests.runtime.test_log.x",
        "tests/ingest/_probe_imports.py:2 imports tests.ingest.test_docx",
        "tests/ingest/_probe_imports.py:2 imports tests.ingest.test_docx.y",
    ]
