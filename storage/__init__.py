"""Persistence: SQLAlchemy models, repositories returning core dataclasses, the unit of work."""
