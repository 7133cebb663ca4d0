"""The core must read and test on its own: no Telegram, no SQL inside domain/."""

import ast
from pathlib import Path

import domain

BANNED = ("aiogram", "sqlalchemy", "aiohttp", "storage", "handlers", "bot", "services")


def test_domain_imports_no_infrastructure() -> None:
    offenders = []
    for path in Path(domain.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in BANNED]
    assert offenders == []
