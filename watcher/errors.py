"""The error classes the CLI turns into words. Each message says what to change or run."""

from __future__ import annotations

# Exit codes (documented in the README and in `followup-watcher --help`).
EXIT_OK = 0
EXIT_FAILURE = 1          # an operational problem: server down, bad login, delivery failed
EXIT_USAGE = 2            # bad command line (argparse's own code)
EXIT_TEMPFAIL = 75        # EX_TEMPFAIL: state busy (another process holds the lock); try again
EXIT_CONFIG = 78          # EX_CONFIG: the configuration is invalid; systemd must not restart


class WatcherError(Exception):
    """Base class: an expected failure with a message meant for the user."""

    exit_code = EXIT_FAILURE


class ConfigError(WatcherError):
    """The configuration is invalid. ``problems`` lists every problem as "dotted.key: what is wrong"."""

    exit_code = EXIT_CONFIG

    def __init__(self, problems: list[str], path: str | None = None):
        self.problems = list(problems)
        self.path = path
        where = f" in {path}" if path else ""
        lines = [f"configuration problem{'s' if len(problems) != 1 else ''}{where}:"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class SourceError(WatcherError):
    """Reading mail failed (connection, login, folder). The sync is retried on the next cycle."""


class AuthError(SourceError):
    """The server refused the credentials; retrying soon will not help."""


class StoreError(WatcherError):
    """The state file cannot be read, written or locked."""


class StateBusyError(StoreError):
    """Another process holds the state lock."""

    exit_code = EXIT_TEMPFAIL


class DeliveryError(WatcherError):
    """The nudge could not be delivered (SMTP or IMAP APPEND)."""
