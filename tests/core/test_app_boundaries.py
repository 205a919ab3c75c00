"""DESIGN.md: an app imports another app's services/selectors, never reaches into its models.

An AST scan of every module under ``src/intact`` (migrations excluded): a module of app A
that imports ``intact.B.models`` (or ``models`` from ``intact.B``) for another app B fails
the test, unless B is one of the foundational apps every app builds on.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "intact"

# Every app uses Organisation, Person, Membership, the audit trail and crypto.
FOUNDATIONAL = {"organisations", "security"}


def _app_of(path: Path) -> str | None:
    parts = path.relative_to(SRC).parts
    return parts[0] if len(parts) > 1 else None


def _imported_models_apps(tree: ast.AST) -> list[tuple[int, str, str]]:
    """(line, app, import text) for each import of some app's ``models`` module."""
    found: list[tuple[int, str, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            names = ", ".join(alias.name for alias in node.names)
            text = f"from {node.module} import {names}"
            if len(parts) >= 3 and parts[0] == "intact" and parts[2] == "models":
                found.append((node.lineno, parts[1], text))
            elif len(parts) == 2 and parts[0] == "intact":
                if any(alias.name == "models" for alias in node.names):
                    found.append((node.lineno, parts[1], text))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if len(parts) >= 3 and parts[0] == "intact" and parts[2] == "models":
                    found.append((node.lineno, parts[1], f"import {alias.name}"))
    return found


def boundary_violations() -> list[str]:
    """Every cross-app models import, as ``file:line: import``."""
    out: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.relative_to(SRC).parts:
            continue
        app = _app_of(path)
        if app is None:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, other, text in _imported_models_apps(tree):
            if other != app and other not in FOUNDATIONAL:
                out.append(f"{path.relative_to(SRC.parent)}:{line}: {text}")
    return out


def test_the_scan_sees_a_cross_app_models_import() -> None:
    tree = ast.parse(
        "def f():\n"
        "    from intact.cases.models import Case\n"
        "import intact.learning.models\n"
        "from intact.registers import models\n"
    )
    apps = sorted(app for _, app, _ in _imported_models_apps(tree))
    assert apps == ["cases", "learning", "registers"]


def test_no_app_reaches_into_another_apps_models() -> None:
    violations = boundary_violations()
    assert not violations, "Imports of another app's models (use its selectors):\n" + "\n".join(
        violations
    )
