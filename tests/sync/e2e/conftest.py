"""The demo-server fixture, shared by the end-to-end tests."""

from tests.sync.e2e.test_two_terminals import demo  # noqa: F401 (fixture)
