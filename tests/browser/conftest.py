"""The real-browser tier: the running bot (the end-to-end fixtures) opened in headless
Debian Chromium driven by Selenium."""

from tests.e2e.conftest import fake, team  # noqa: F401 - fixtures shared with tests/e2e
