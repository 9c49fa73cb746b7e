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

Under systemd (``Type=notify``, see ``watcher.sd_notify``) it reports READY=1 once the state is
readable and the scheduler runs (before the first poll: a mail server that is down at boot is a
STATUS=, not a failed start), a STATUS= line after each poll and nudge, and STOPPING=1 on
SIGTERM/SIGINT. With ``WatchdogSec=`` a ping job on its own thread sends WATCHDOG=1 every half
period. The scheduler's main loop dispatches it, so the watchdog catches a main loop that stopped
dispatching (a deadlock, a wedged process); the ping also stops while a poll or nudge has run for
longer than ``JOB_STUCK_AFTER``, so a job that hangs is caught too, yet a long first sync is not.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from watcher import jobs, sd_notify
from watcher.errors import AuthError, WatcherError
from watcher.store import StateLock, Store, keep_states_loaded

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 60
RETRY_FIRST = 10.0                  # seconds before the first retry of a failed sync
AUTH_RETRY_FIRST = 5 * 60.0         # a refused login: wait longer ...
AUTH_RETRY_CAP = 60 * 60.0          # ... up to an hour between tries
# A poll or nudge still running after this long is hung, and the watchdog ping stops. Every
# network step has its own timeout (imap.timeout, password_command 30 s), and a first sync of
# 50,000 messages takes about 10 s on a LAN (docs/benchmarks.md): half an hour is far beyond any
# job that makes progress, even on a slow link.
JOB_STUCK_AFTER = 30 * 60.0


def retry_delay(failures: int, first: float, cap: float, rng=random.random) -> float:
    """Seconds to wait after the ``failures``-th failure in a row: ``first`` doubling each time,
    at most ``cap``, then scaled by a random factor in [0.5, 1) (jitter)."""
    base = min(cap, first * 2 ** max(0, failures - 1))
    return base * (0.5 + rng() / 2)


def _span(seconds: float) -> str:
    return f"{seconds:.0f}s" if seconds < 120 else f"{seconds / 60:.0f} min"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _first_line(error: Exception, limit: int = 200) -> str:
    text = str(error).strip().splitlines()
    return text[0][:limit] if text else error.__class__.__name__


class Daemon:
    def __init__(self, config, environ: Mapping[str, str], clock=None, job_stuck_after: float = JOB_STUCK_AFTER):
        self.config = config
        self.environ = environ
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.job_stuck_after = job_stuck_after
        self._busy = threading.Lock()
        self._job: tuple[str, float] | None = None  # the running job's name and monotonic start
        self._stuck_reported = False
        self._status = {"sync": "first poll now", "nudge": ""}
        # scheduler.shutdown() holds the job store lock while it waits for the running job, so a
        # job that then asked the scheduler anything would wait forever: jobs ask under this lock,
        # and not at all once stopping is set.
        self._scheduler_calls = threading.Lock()
        self._stopping = False
        keep_states_loaded()  # a poll that finds the state file unchanged does not parse it again
        self._failures = 0
        self._last_auth_error: str | None = None
        self.scheduler = BlockingScheduler(
            timezone=config.digest.timezone,
            executors={"default": ThreadPoolExecutor(1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )

    # --- jobs ---------------------------------------------------------------------------------
    @contextmanager
    def _running(self, name: str) -> Iterator[None]:
        """Run one job at a time, and note which one runs since when (for the watchdog)."""
        with self._busy:
            self._job = (name, time.monotonic())
            try:
                yield
            finally:
                self._job = None

    def poll(self) -> None:
        with self._running("poll"):
            started = self.clock()
            try:
                summary = jobs.sync(self.config, self.environ, started)
            except AuthError as error:
                # Retrying soon will not help: wait longer each time, and say it once.
                delay = self._retry_later(AUTH_RETRY_FIRST, AUTH_RETRY_CAP)
                level = logging.ERROR if str(error) != self._last_auth_error else logging.DEBUG
                self._last_auth_error = str(error)
                log.log(level, "sync failed: %s (next try in %s)", error, _span(delay))
                self._report("sync", f"sync failed at {self._local(started)}: {_first_line(error)}; "
                                     f"next try {self._next_poll()}")
            except WatcherError as error:
                delay = self._retry_later(RETRY_FIRST, self.config.daemon.poll_interval.total_seconds())
                log.warning("sync failed, retrying in %s: %s", _span(delay), error)
                self._report("sync", f"sync failed at {self._local(started)}: {_first_line(error)}; "
                                     f"next try {self._next_poll()}")
            except Exception as error:  # a bug must not kill the daemon; show it in full
                delay = self._retry_later(RETRY_FIRST, self.config.daemon.poll_interval.total_seconds())
                log.exception("sync failed unexpectedly; retrying in %s", _span(delay))
                self._report("sync", f"sync failed at {self._local(started)} with an unexpected "
                                     f"{error.__class__.__name__} (see the log); next try {self._next_poll()}")
            else:
                if self._failures:
                    log.info("sync works again after %d failed attempt%s", self._failures,
                             "s" if self._failures != 1 else "")
                self._failures, self._last_auth_error = 0, None
                log.info("%s", summary.line())
                self._report_sync(summary, started)

    def _retry_later(self, first: float, cap: float) -> float:
        """Move the next poll closer (or further) after a failure: capped exponential backoff
        with jitter, so many watchers restarting with one server do not knock in step."""
        self._failures += 1
        delay = retry_delay(self._failures, first, cap)
        try:
            self._ask_scheduler(lambda: self.scheduler.modify_job(
                "poll", next_run_time=datetime.now(timezone.utc) + timedelta(seconds=delay)))
        except Exception as error:  # the poll job is gone: nothing to move
            log.debug("could not reschedule the poll: %s", error)
        return delay

    def _ask_scheduler(self, call):
        """Return ``call()``, a call into the scheduler from a job, or None once it is stopping."""
        with self._scheduler_calls:
            return None if self._stopping else call()

    def nudge_if_due(self) -> None:
        with self._running("nudge"):
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
                self._report_sync(summary, now)
            except WatcherError as error:
                log.warning("sync before the nudge failed (%s); sending from the last known state", error)
            except Exception:
                log.exception("sync before the nudge failed unexpectedly")
            try:
                result = jobs.send_nudge(self.config, self.environ, self.clock())
                log.info("%s", result.detail)
                self._report("nudge", f"{result.detail} ({self._local(self.clock())})")
            except WatcherError as error:
                retry_at = jobs.nudge_retry_at(self.config)
                when = f"at {retry_at.astimezone(digest.timezone):%H:%M}" if retry_at else "later"
                log.error("the nudge could not be sent, trying again %s: %s", when, error)
                self._report("nudge", f"nudge failed at {self._local(self.clock())}: {_first_line(error)}; "
                                      f"trying again {when}")
            except Exception as error:
                log.exception("the nudge failed unexpectedly; retrying in a minute")
                jobs.record_error(self.config, self.clock(), "nudge", jobs.describe_error(error))
                self._report("nudge", f"nudge failed at {self._local(self.clock())} with an unexpected "
                                      f"{error.__class__.__name__} (see the log); trying again in a minute")

    # --- systemd ------------------------------------------------------------------------------
    def _local(self, moment: datetime) -> str:
        return f"{moment.astimezone(self.config.digest.timezone):%H:%M}"

    def _next_poll(self) -> str:
        job = self._ask_scheduler(lambda: self.scheduler.get_job("poll"))
        return self._local(job.next_run_time) if job is not None and job.next_run_time else "not scheduled"

    def _report_sync(self, summary, started: datetime) -> None:
        self._report("sync", f"synced {_plural(len(summary.folders), 'folder')} at {self._local(started)}, "
                             f"{_plural(summary.open_reminders, 'open reminder')}; next poll {self._next_poll()}")

    def _report(self, part: str, text: str) -> None:
        """Show the latest sync and nudge outcome as the unit's status (``systemctl status``);
        once stopping, that says so instead."""
        self._status[part] = text
        if not self._stopping:
            sd_notify.notify("STATUS=" + "; ".join(t for t in self._status.values() if t), self.environ)

    def ping_watchdog(self) -> bool:
        """Send WATCHDOG=1, unless a job has run for longer than ``job_stuck_after``: then say
        so once and stay silent, so that systemd's watchdog restarts the service. Return True
        if the ping was sent."""
        job = self._job
        if job is not None and time.monotonic() - job[1] > self.job_stuck_after:
            if not self._stuck_reported:
                self._stuck_reported = True
                log.error("the %s job has been running for %s; it looks hung, so the systemd watchdog "
                          "is no longer answered and systemd will restart the service",
                          job[0], _span(time.monotonic() - job[1]))
            return False
        self._stuck_reported = False
        return sd_notify.notify("WATCHDOG=1", self.environ)

    # --- lifecycle ------------------------------------------------------------------------------
    def start(self) -> None:
        """Run until SIGTERM or SIGINT. Raise StateBusyError if another daemon runs on this state."""
        run_lock = StateLock(Path(self.config.state.path), "run", suffix=".run.lock")
        run_lock.acquire(wait=0)
        try:
            # Read the state once before saying READY: a damaged state file stops the start-up
            # with its own message instead of failing every poll.
            with Store.open(Path(self.config.state.path), lock=False) as store:
                open_reminders = sum(1 for record in store.reminders() if record["status"] == "open")
            self._schedule()
            self._install_signal_handlers()
            ready = (f"READY=1\nSTATUS=ready with {_plural(open_reminders, 'open reminder')}; first poll now, "
                     f"then every {_span(self.config.daemon.poll_interval.total_seconds())}")
            # Sent from inside start(), once the executors run and the jobs are scheduled.
            self.scheduler.add_listener(lambda _event: sd_notify.notify(ready, self.environ), EVENT_SCHEDULER_STARTED)
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
        watchdog = sd_notify.watchdog_interval(self.environ)
        if watchdog is not None:
            # Its own thread: a long poll on the worker must not delay the ping.
            self.scheduler.add_executor(ThreadPoolExecutor(1), "watchdog")
            self.scheduler.add_job(
                self.ping_watchdog, IntervalTrigger(seconds=watchdog / 2), executor="watchdog",
                id="watchdog", next_run_time=now, replace_existing=True,
            )
            log.info("answering the systemd watchdog every %gs", watchdog / 2)

    def _shutdown(self) -> None:
        with self._scheduler_calls:  # a job's call into the scheduler finishes first
            if self._stopping:  # a second SIGTERM or ^C
                return
            self._stopping = True
        self.scheduler.shutdown(wait=True)

    def _install_signal_handlers(self) -> None:
        def stop(signum, _frame):
            log.info("received %s, stopping after the current job", signal.Signals(signum).name)
            sd_notify.notify("STOPPING=1\nSTATUS=stopping after the running job", self.environ)
            # shutdown() from the handler would join the worker from inside the main loop's
            # thread; do it from a helper thread so the signal handler returns at once.
            threading.Thread(target=self._shutdown, daemon=True).start()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
