"""Polls as the running daemon makes them: the program loaded once, the state kept between polls.

    python bench/poll.py CONFIG

Sets up a ``Daemon`` for CONFIG (without starting its scheduler), then reads commands from
standard input: ``poll`` runs one poll (the daemon's sync job) and prints ``<seconds> <new
messages> <state writes>``; ``quit`` prints the process's peak RSS in KiB (VmHWM) and ends. Run
by ``bench/scale.py``, which adds mail to the server between polls.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def peak_rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main(argv: list[str]) -> int:
    from watcher import jobs
    from watcher.config import load_config
    from watcher.daemon import Daemon

    daemon = Daemon(load_config(Path(argv[0]), os.environ), os.environ)
    for line in sys.stdin:
        if line.strip() == "quit":
            break
        started = time.perf_counter()
        summary = jobs.sync(daemon.config, daemon.environ, daemon.clock())  # what Daemon.poll runs
        print(f"{time.perf_counter() - started:.6f} {summary.new_messages} {summary.writes}", flush=True)
    print(peak_rss_kib(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
