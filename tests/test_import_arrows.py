"""Imports follow DESIGN.md's arrows: audit ← notifications ← training ← quizzes ← portal ← config."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["audit", "notifications", "training", "quizzes", "portal", "config"]
ALLOWED = {
    "audit": set(),
    "notifications": {"audit"},
    "training": {"notifications", "audit"},
    "quizzes": {"training", "notifications", "audit"},
    "portal": {"training", "quizzes", "notifications", "audit"},
    "config": {"audit", "notifications", "training", "quizzes", "portal"},
}


def imported_packages(source: str, module_package: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        found |= {name.split(".")[0] for name in names if name.split(".")[0] in PACKAGES}
    found.discard(module_package)
    return found


def violations() -> list[str]:
    bad = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            used = imported_packages(path.read_text(encoding="utf-8"), package)
            for target in sorted(used - ALLOWED[package]):
                bad.append(f"{path.relative_to(ROOT)} imports {target}")
    return bad


def test_no_import_runs_against_the_arrows():
    assert violations() == []


@pytest.mark.parametrize(
    ("package", "source", "expected"),
    [
        ("training", "from quizzes.models import Quiz", {"quizzes"}),
        ("audit", "import training.models", {"training"}),
        ("notifications", "from portal import views", {"portal"}),
        ("quizzes", "from training.selectors import hours_earned\nfrom . import models", {"training"}),
    ],
)
def test_the_checker_sees_imports(package, source, expected):
    assert imported_packages(source, package) == expected


def test_the_checker_flags_a_backward_import():
    used = imported_packages("from quizzes.selectors import credential_for", "training")
    assert used - ALLOWED["training"] == {"quizzes"}
