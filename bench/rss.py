"""Run a command; write its wall time and peak RSS to a file.

    python bench/rss.py RESULT_FILE COMMAND [ARGS...]

The command inherits this process's standard streams and exit status. Its peak RSS comes from
``wait4``; the command is forked from this small process, so its figure does not include the
memory of whatever started this one (``bench/scale.py`` holds the generated mailbox). RESULT_FILE
gets ``<seconds> <peak RSS in KiB>``, timed from just before the fork to the reaping.
"""

from __future__ import annotations

import os
import sys
import time


def main(argv: list[str]) -> int:
    result, command = argv[0], argv[1:]
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    _pid, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    with open(result, "w", encoding="ascii") as handle:
        handle.write(f"{seconds:.6f} {usage.ru_maxrss}\n")
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
