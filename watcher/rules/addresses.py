"""Addresses that never start a follow-up: no-reply senders, daemons, and user-ignored patterns."""

from __future__ import annotations

import fnmatch
import re

# Local parts of addresses nobody reads, recognised without any configuration.
_MACHINE_LOCAL_PART = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|dont[-_.]?reply|mailer[-_.]?daemon|postmaster"
    r"|bounces?|notifications?|notify|auto[-_.]?(?:reply|confirm|responder)|daemon"
    r"|no[-_.]?response|unsubscribe)(?:[-+_.].*)?$",
    re.IGNORECASE,
)


def is_machine_address(email: str) -> bool:
    """Return True for addresses such as ``noreply@…``, ``no-reply+x@…``, ``mailer-daemon@…``."""
    local = email.partition("@")[0]
    return bool(_MACHINE_LOCAL_PART.match(local))


def is_ignored(email: str, patterns: tuple[str, ...]) -> bool:
    """Return True if ``email`` matches one of the user's glob patterns (``*@news.example.com``,
    ``@domain.example`` meaning the whole domain, or an exact address). Case-insensitive."""
    email = email.lower()
    for pattern in patterns:
        pattern = pattern.lower()
        if pattern.startswith("@"):
            if email.endswith(pattern):
                return True
        elif fnmatch.fnmatchcase(email, pattern):
            return True
    return False
