"""The API's test client (a fresh SQLite database per test), for the metrics and logging tests."""

from tests.api.conftest import client  # noqa: F401 - a fixture
