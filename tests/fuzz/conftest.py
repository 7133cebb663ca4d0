"""The fuzz tier reuses the end-to-end fixtures: the real bot against the fake Bot API."""

from tests.e2e.conftest import fake, team  # noqa: F401 - fixtures
