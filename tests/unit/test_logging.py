"""Log lines as a person at a terminal and as journald see them (watcher.cli.setup_logging).

systemd tells a service that its stderr is the journal with $JOURNAL_STREAM="<device>:<inode>"
of that stream (sd-daemon(3)); the tests point it at (or away from) a real file standing in for
stderr."""

from __future__ import annotations

import logging
import os
import re
import sys

import pytest

from watcher.cli import setup_logging

NOISY = ("apscheduler", "mailparser", "imapclient")
STAMP = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"


@pytest.fixture(autouse=True)
def restore_logging():
    root = logging.getLogger()
    saved = root.handlers[:], root.level, {name: logging.getLogger(name).level for name in NOISY}
    yield
    root.handlers[:], level, noisy = saved
    root.setLevel(level)
    for name, value in noisy.items():
        logging.getLogger(name).setLevel(value)


class FileAsStderr:
    """A real file in the place of stderr while ``setup_logging`` runs (inside the test: pytest
    swaps sys.stderr between a fixture and the test)."""

    def __init__(self, path, monkeypatch):
        self.path = path
        self.handle = path.open("w", encoding="utf-8")
        self.monkeypatch = monkeypatch

    def identity(self) -> str:
        """What systemd would put in $JOURNAL_STREAM if this file were the journal stream."""
        info = os.fstat(self.handle.fileno())
        return f"{info.st_dev}:{info.st_ino}"

    def setup_logging(self, verbose: int, quiet: bool) -> None:
        self.monkeypatch.setattr(sys, "stderr", self.handle)
        setup_logging(verbose, quiet)

    def lines(self) -> list[str]:
        self.handle.flush()
        return self.path.read_text(encoding="utf-8").splitlines()


@pytest.fixture
def stderr(tmp_path, monkeypatch):
    monkeypatch.delenv("JOURNAL_STREAM", raising=False)
    made = FileAsStderr(tmp_path / "stderr", monkeypatch)
    yield made
    made.handle.close()


def log_every_level() -> None:
    log = logging.getLogger("watcher.test")
    log.debug("polling INBOX")
    log.info("synced 2 folders")
    log.warning("imap.folders: folder 'Projects' does not exist; skipping it")
    log.error("the nudge could not be sent")
    log.critical("out of disk space")


def test_a_terminal_gets_timestamps_and_level_names_without_priorities(stderr):
    stderr.setup_logging(verbose=2, quiet=False)
    log_every_level()
    lines = stderr.lines()
    assert len(lines) == 5
    for line, level in zip(lines, ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")):
        assert re.fullmatch(rf"{STAMP} {level} .+", line), line
    assert not any(line.startswith("<") for line in lines)


def test_the_journal_gets_syslog_priorities_and_no_timestamps(stderr, monkeypatch):
    monkeypatch.setenv("JOURNAL_STREAM", stderr.identity())
    stderr.setup_logging(verbose=2, quiet=False)
    log_every_level()
    assert stderr.lines() == [
        "<7>DEBUG polling INBOX",
        "<6>INFO synced 2 folders",
        "<4>WARNING imap.folders: folder 'Projects' does not exist; skipping it",
        "<3>ERROR the nudge could not be sent",
        "<2>CRITICAL out of disk space",
    ]


def test_every_line_of_a_traceback_keeps_the_errors_priority(stderr, monkeypatch):
    monkeypatch.setenv("JOURNAL_STREAM", stderr.identity())
    stderr.setup_logging(verbose=0, quiet=False)
    try:
        raise ValueError("bad header\nsecond line")
    except ValueError:
        logging.getLogger("watcher.daemon").exception("sync failed unexpectedly")
    lines = stderr.lines()
    assert lines[0] == "<3>ERROR sync failed unexpectedly"
    assert "<3>Traceback (most recent call last):" in lines
    assert lines[-2:] == ["<3>ValueError: bad header", "<3>second line"]
    assert all(line.startswith("<3>") for line in lines)


def test_a_journal_stream_that_is_not_stderr_means_plain_lines(stderr, monkeypatch, tmp_path):
    # Started by systemd, but stderr was redirected to a file: the variable is inherited, stale.
    other = tmp_path / "elsewhere"
    other.write_text("")
    monkeypatch.setenv("JOURNAL_STREAM", f"{os.stat(other).st_dev}:{os.stat(other).st_ino}")
    stderr.setup_logging(verbose=0, quiet=False)
    logging.getLogger("watcher").warning("sync failed")
    [line] = stderr.lines()
    assert re.fullmatch(rf"{STAMP} WARNING sync failed", line)


@pytest.mark.parametrize("verbose, quiet, shown", [
    (0, False, ["WARNING", "ERROR", "CRITICAL"]),
    (1, False, ["INFO", "WARNING", "ERROR", "CRITICAL"]),
    (2, False, ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]),
    (0, True, ["ERROR", "CRITICAL"]),
])
def test_verbose_and_quiet_choose_the_levels_under_the_journal_too(stderr, monkeypatch, verbose, quiet, shown):
    monkeypatch.setenv("JOURNAL_STREAM", stderr.identity())
    stderr.setup_logging(verbose=verbose, quiet=quiet)
    log_every_level()
    assert [line.split(">", 1)[1].split(" ", 1)[0] for line in stderr.lines()] == shown


def test_library_chatter_waits_for_double_verbose(stderr):
    stderr.setup_logging(verbose=1, quiet=False)
    logging.getLogger("apscheduler.scheduler").info("Added job")
    logging.getLogger("watcher").info("synced")
    assert [line.split(" ", 2)[2] for line in stderr.lines()] == ["INFO synced"]
    stderr.setup_logging(verbose=2, quiet=False)
    logging.getLogger("apscheduler.scheduler").info("Added job")
    assert stderr.lines()[-1].endswith("INFO Added job")
