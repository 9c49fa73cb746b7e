"""``followup-watcher run``: the same sync and nudge jobs as the CLI, on an APScheduler schedule.

- poll: ``jobs.sync`` every ``daemon.poll_interval``, first right at start-up;
- nudge: at ``digest.time`` in ``digest.timezone`` (a cron job that runs however late it is), and a
  one-minute heartbeat that sends a nudge missed while the machine slept or the daemon was down.
  Both check ``nudge_is_due``, so the nudge goes out at most once a day.
- one worker thread: a sync and a nudge never run at the same time.
- SIGTERM/SIGINT stop the scheduler after the running job finishes.
A failing sync is retried with capped, jittered exponential backoff (10 s doubling up to the poll
interval; a refused login from 5 minutes up to an hour, said once); a failed nudge is retried from
the time ``jobs.send_nudge`` set. The daemon itself never dies of a failing job.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import threading
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from watcher import jobs
from watcher.errors import AuthError, WatcherError
from watcher.store import StateLock, keep_states_loaded

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 60
RETRY_FIRST = 10.0                  # seconds before the first retry of a failed sync
AUTH_RETRY_FIRST = 5 * 60.0         # a refused login: wait longer ...
AUTH_RETRY_CAP = 60 * 60.0          # ... up to an hour between tries


def retry_delay(failures: int, first: float, cap: float, rng=random.random) -> float:
    """Seconds to wait after the ``failures``-th failure in a row: ``first`` doubling each time,
    at most ``cap``, then scaled by a random factor in [0.5, 1) (jitter)."""
    base = min(cap, first * 2 ** max(0, failures - 1))
    return base * (0.5 + rng() / 2)


def _span(seconds: float) -> str:
    return f"{seconds:.0f}s" if seconds < 120 else f"{seconds / 60:.0f} min"


class Daemon:
    def __init__(self, config, environ: Mapping[str, str], clock=None):
        self.config = config
        self.environ = environ
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self._busy = threading.Lock()
        keep_states_loaded()  # a poll that finds the state file unchanged does not parse it again
        self._failures = 0
        self._last_auth_error: str | None = None
        self.scheduler = BlockingScheduler(
            timezone=config.digest.timezone,
            executors={"default": ThreadPoolExecutor(1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )

    # --- jobs ---------------------------------------------------------------------------------
    def poll(self) -> None:
        with self._busy:
            try:
                summary = jobs.sync(self.config, self.environ, self.clock())
            except AuthError as error:
                # Retrying soon will not help: wait longer each time, and say it once.
                delay = self._retry_later(AUTH_RETRY_FIRST, AUTH_RETRY_CAP)
                level = logging.ERROR if str(error) != self._last_auth_error else logging.DEBUG
                self._last_auth_error = str(error)
                log.log(level, "sync failed: %s (next try in %s)", error, _span(delay))
            except WatcherError as error:
                delay = self._retry_later(RETRY_FIRST, self.config.daemon.poll_interval.total_seconds())
                log.warning("sync failed, retrying in %s: %s", _span(delay), error)
            except Exception:  # a bug must not kill the daemon; show it in full
                delay = self._retry_later(RETRY_FIRST, self.config.daemon.poll_interval.total_seconds())
                log.exception("sync failed unexpectedly; retrying in %s", _span(delay))
            else:
                if self._failures:
                    log.info("sync works again after %d failed attempt%s", self._failures,
                             "s" if self._failures != 1 else "")
                self._failures, self._last_auth_error = 0, None
                log.info("%s", summary.line())

    def _retry_later(self, first: float, cap: float) -> float:
        """Move the next poll closer (or further) after a failure: capped exponential backoff
        with jitter, so many watchers restarting with one server do not knock in step."""
        self._failures += 1
        delay = retry_delay(self._failures, first, cap)
        try:
            self.scheduler.modify_job("poll", next_run_time=datetime.now(timezone.utc) + timedelta(seconds=delay))
        except Exception as error:  # the poll job is gone (shutting down): nothing to move
            log.debug("could not reschedule the poll: %s", error)
        return delay

    def nudge_if_due(self) -> None:
        with self._busy:
            now = self.clock()
            digest = self.config.digest
            try:
                last_sent = jobs.last_nudge_date(self.config)
                if not jobs.nudge_is_due(now, last_sent, digest.time, digest.timezone):
                    local = now.astimezone(digest.timezone)
                    log.debug("nudge: %s", "already handled today" if last_sent == local.date()
                              else f"not before {digest.time:%H:%M}")
                    return
                retry_at = jobs.nudge_retry_at(self.config)
                if retry_at is not None and now < retry_at:
                    log.debug("nudge: delivery failed earlier; next try at %s", retry_at.isoformat(timespec="minutes"))
                    return
                summary = jobs.sync(self.config, self.environ, now)
                log.info("before the nudge: %s", summary.line())
            except WatcherError as error:
                log.warning("sync before the nudge failed (%s); sending from the last known state", error)
            except Exception:
                log.exception("sync before the nudge failed unexpectedly")
            try:
                result = jobs.send_nudge(self.config, self.environ, self.clock())
                log.info("%s", result.detail)
            except WatcherError as error:
                retry_at = jobs.nudge_retry_at(self.config)
                when = f"at {retry_at.astimezone(digest.timezone):%H:%M}" if retry_at else "later"
                log.error("the nudge could not be sent, trying again %s: %s", when, error)
            except Exception as error:
                log.exception("the nudge failed unexpectedly; retrying in a minute")
                jobs.record_error(self.config, self.clock(), "nudge", jobs.describe_error(error))

    # --- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        """Run until SIGTERM or SIGINT. Raise StateBusyError if another daemon runs on this state."""
        run_lock = StateLock(Path(self.config.state.path), "run", suffix=".run.lock")
        run_lock.acquire(wait=0)
        try:
            self._schedule()
            self._install_signal_handlers()
            log.info("followup-watcher running (pid %d): polling every %s, nudge at %s %s",
                     os.getpid(), self.config.daemon.poll_interval, self.config.digest.time.strftime("%H:%M"),
                     self.config.digest.timezone_name)
            self.scheduler.start()
        finally:
            run_lock.release()
            log.info("followup-watcher stopped")

    def _schedule(self) -> None:
        now = datetime.now(self.config.digest.timezone)
        self.scheduler.add_job(
            self.poll, IntervalTrigger(seconds=self.config.daemon.poll_interval.total_seconds()),
            id="poll", next_run_time=now, replace_existing=True,
        )
        send_time = self.config.digest.time
        self.scheduler.add_job(
            self.nudge_if_due,
            CronTrigger(hour=send_time.hour, minute=send_time.minute, timezone=self.config.digest.timezone),
            id="nudge", replace_existing=True,
        )
        # The scheduler sleeps on a monotonic clock that stops during suspend; waking every minute
        # both catches a nudge missed while asleep or down and bounds the delay after resume.
        self.scheduler.add_job(
            self.nudge_if_due, IntervalTrigger(seconds=HEARTBEAT_SECONDS),
            id="heartbeat", next_run_time=now, replace_existing=True,
        )

    def _install_signal_handlers(self) -> None:
        def stop(signum, _frame):
            log.info("received %s, stopping after the current job", signal.Signals(signum).name)
            # shutdown() from the handler would join the worker from inside the main loop's
            # thread; do it from a helper thread so the signal handler returns at once.
            threading.Thread(target=self.scheduler.shutdown, kwargs={"wait": True}, daemon=True).start()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
