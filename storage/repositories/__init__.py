"""Repositories: SQL in, core dataclasses out. They never commit; the unit of work does."""
