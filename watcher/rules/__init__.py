"""Detectors: one module per kind of follow-up. Pure functions of messages, threads and ``now``.

Terminology
-----------
me
    The account address or an alias. "Mine" means a message whose From is me.
human message
    A message a person wrote: not an auto-reply, bounce, list or bulk mail, and not the
    watcher's own nudge.
contact
    For a message of mine: the first recipient who is not me, not a no-reply address and not
    ignored. That is who owes the answer.
reminder
    Something the user should act on, keyed durably by kind and the Message-ID that started it.
due
    The calendar date (in the digest's time zone) from which a reminder appears in the nudge.
"""
