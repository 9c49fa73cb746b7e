"""Fixtures for the integration tests: a private Dovecot for the session, a fresh mailbox per
test, and a real SMTP server per test. Without Dovecot they skip (and so fail under CI=true)."""

from __future__ import annotations

import pytest

from tests.integration.mailservers import DOVECOT_MISSING, Dovecot, SmtpSink


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/integration/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def dovecot():
    server = Dovecot()
    if server.binary is None:
        pytest.skip(DOVECOT_MISSING)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_user(dovecot) -> tuple[str, str]:
    """A fresh, empty mailbox on the shared Dovecot: ``(user, password)``."""
    return dovecot.add_user()


@pytest.fixture
def smtp_sink():
    sink = SmtpSink()
    yield sink
    sink.stop()
