"""Shared test plumbing: where the shared corpora live, and the CI rule that nothing may skip."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def corpora_dir() -> Path:
    """The real-world mail corpora (never copied into the repo): $FOLLOWUP_CORPORA or ../shared/corpora."""
    return Path(os.environ.get("FOLLOWUP_CORPORA", REPO.parent / "shared" / "corpora"))


def eval_dev_dir() -> Path:
    """The hand-labelled evaluation data: $FOLLOWUP_EVAL_DEV or ../shared/eval-dev."""
    return Path(os.environ.get("FOLLOWUP_EVAL_DEV", REPO.parent / "shared" / "eval-dev"))


@pytest.fixture(scope="session")
def corpora() -> Path:
    """Path of ../shared/corpora; skips with a reason when absent, fails in CI (CI=true)."""
    path = corpora_dir()
    if not path.is_dir():
        message = f"shared corpora not found at {path} (set FOLLOWUP_CORPORA to point at them)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def eval_dev() -> Path:
    """Path of ../shared/eval-dev (labelled email); skips with a reason when absent, fails in CI."""
    path = eval_dev_dir()
    if not (path / "messages.jsonl").is_file() or not (path / "sentences.jsonl").is_file():
        message = f"labelled eval data not found at {path} (set FOLLOWUP_EVAL_DEV to point at it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With CI=true a skipped test is a failure: CI must prove every part, Dovecot included."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped under CI=true, which counts as a failure: {reason}"
