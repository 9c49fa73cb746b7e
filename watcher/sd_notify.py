"""Telling systemd how the daemon is doing: the sd_notify(3) protocol, in the standard library.

Under ``Type=notify`` systemd passes a datagram socket in ``$NOTIFY_SOCKET`` (a path, or an
abstract socket written with a leading ``@``) and, with ``WatchdogSec=``, the watchdog period in
``$WATCHDOG_USEC``. A message is one datagram of ``KEY=value`` lines: ``READY=1``,
``STATUS=...``, ``WATCHDOG=1``, ``STOPPING=1``. Outside systemd both functions do nothing, and a
failure to send is logged, never raised: the daemon must not die because systemd is unreachable.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)

SEND_TIMEOUT = 1.0  # seconds; systemd drains the socket at once, a full queue must not hang a job
_last_failure: str | None = None


def notify(state: str, environ: Mapping[str, str] | None = None) -> bool:
    """Send ``state`` (for example ``"READY=1\\nSTATUS=polling"``) to ``$NOTIFY_SOCKET``.
    Return True if it was sent, False if no socket is set or sending failed (logged once)."""
    global _last_failure
    address = (os.environ if environ is None else environ).get("NOTIFY_SOCKET", "")
    if not address:
        return False
    if address.startswith("@"):
        target = b"\0" + address[1:].encode()  # the abstract namespace
    elif address.startswith("/"):
        target = os.fsencode(address)
    else:  # e.g. systemd 254's "vsock:" addresses, meant for virtual machines, not services
        log.debug("NOTIFY_SOCKET=%s is not a Unix socket address; not notifying systemd", address)
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.settimeout(SEND_TIMEOUT)
            sock.sendto(state.encode("utf-8"), target)
    except OSError as error:
        # Said once per distinct failure: the watchdog ping would repeat it every few minutes.
        failure = f"cannot notify systemd through {address}: {error}"
        log.log(logging.DEBUG if failure == _last_failure else logging.WARNING, "%s", failure)
        _last_failure = failure
        return False
    _last_failure = None
    return True


def watchdog_interval(environ: Mapping[str, str] | None = None) -> float | None:
    """Seconds within which systemd expects ``WATCHDOG=1`` (``$WATCHDOG_USEC``), or None when
    the watchdog is off, the value is not a positive integer, or ``$WATCHDOG_PID`` names
    another process (the variables were inherited, not meant for us)."""
    environ = os.environ if environ is None else environ
    try:
        usec = int(environ.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    if usec <= 0:
        return None
    watchdog_pid = environ.get("WATCHDOG_PID")
    if watchdog_pid is not None:
        try:
            if int(watchdog_pid) != os.getpid():
                return None
        except ValueError:
            return None
    return usec / 1_000_000
