"""SQLite's heap is bounded for the whole process, not per pooled connection."""

from pathlib import Path

from sqlalchemy import text

from storage.engine import SOFT_HEAP_LIMIT, create_engine


async def test_the_bots_sqlite_keeps_to_the_process_wide_heap_limit(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'heap.db'}")
    try:
        async with engine.begin() as connection:
            assert await connection.scalar(text("PRAGMA soft_heap_limit")) == SOFT_HEAP_LIMIT
    finally:
        await engine.dispose()
