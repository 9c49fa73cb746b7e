"""FETCH responses as imaplib hands them over, read quickly.

imapclient parses every response byte by byte in Python; for the header fetch of a first sync
that costs several times what the server and the network do (the response to each message
repeats the whole ``BODY[HEADER.FIELDS (...)]`` field list). The header fetch therefore reads
imaplib's raw response here, with regular expressions. It understands the general form of a
FETCH response (RFC 3501 section 7.4.2: any items in any order, numbers, quoted strings,
literals, NIL and nested lists), not just what Dovecot sends; a response it cannot read raises
``WireError`` and the caller fetches that chunk again through imapclient.

Pure: bytes in, values out; no sockets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone


class WireError(ValueError):
    """A FETCH response this module cannot read."""


_TOKEN = re.compile(rb"""
    (?P<atom>[^\s()"{}\[\]]+(?:\[[^\]]*\](?:<\d+(?:\.\d+)?>)?)?) |
    (?P<space>[ \r\n]+) | (?P<open>\() | (?P<close>\)) |
    "(?P<quoted>(?:[^"\\]|\\.)*)" |
    \{(?P<literal>\d+)\+?\}(?=\r?\n?\Z) |
    (?P<bad>.)""", re.VERBOSE | re.DOTALL)
_START = re.compile(rb"\d+ \(")
_ESCAPE = re.compile(rb"\\(.)")
_OPEN, _CLOSE = object(), object()  # list brackets among the tokens


def messages(data: Iterable) -> Iterator[dict[bytes, object]]:
    """Given the data imaplib returns for a FETCH (strings, and ``(text, literal)`` pairs where a
    literal follows), yield one ``{item name: value}`` per message. Names are upper-case bytes
    as the server wrote them (``b"UID"``, ``b"BODY[HEADER.FIELDS (FROM)]"``); values are ints,
    bytes (quoted strings and literals), None (NIL) or tuples (lists)."""
    pieces: list = []
    for entry in data:
        if entry is None:
            continue
        head = entry[0] if isinstance(entry, tuple) else entry
        if _START.match(head) and pieces:
            yield _parse(_tokens(pieces))
            pieces = []
        pieces.append(entry)
    if pieces:
        yield _parse(_tokens(pieces))


def _tokens(pieces: list) -> list:
    """The message's tokens: atoms as ``("atom", bytes)``, strings and literals as ``("value",
    bytes)``, and the ``_OPEN``/``_CLOSE`` markers."""
    tokens: list = []
    add = tokens.append
    for entry in pieces:
        text, literal = (entry[0], entry[1]) if isinstance(entry, tuple) else (entry, None)
        for match in _TOKEN.finditer(text):
            kind = match.lastgroup
            if kind == "atom":
                add(("atom", match.group(1)))
            elif kind == "space":
                continue
            elif kind == "open":
                add(_OPEN)
            elif kind == "close":
                add(_CLOSE)
            elif kind == "quoted":
                add(("value", _ESCAPE.sub(rb"\1", match["quoted"])))
            elif kind == "literal" and literal is not None:
                add(("value", literal))
                literal = None
            else:
                raise WireError(f"cannot read the FETCH response near {text[match.start():match.start() + 40]!r}")
        if literal is not None:
            raise WireError("a literal arrived that no item announced")
    return tokens


def _parse(tokens: list) -> dict[bytes, object]:
    if len(tokens) < 3 or tokens[0][0] != "atom" or not tokens[0][1].isdigit() or tokens[1] is not _OPEN:
        raise WireError("a FETCH response must start with a message number and '('")
    items: dict[bytes, object] = {}
    position, end = 2, len(tokens)
    while position < end:
        token = tokens[position]
        if token is _CLOSE:
            if position != end - 1:
                raise WireError("text after the end of a FETCH response")
            return items
        if token is _OPEN or token[0] != "atom" or position + 1 >= end:
            raise WireError(f"expected an item name, got {token!r}")
        items[token[1].upper()], position = _value(tokens, position + 1)
    raise WireError("the FETCH response ended early")


def _value(tokens: list, position: int) -> tuple[object, int]:
    """The value that starts at ``tokens[position]``, and the position after it."""
    token = tokens[position]
    if token is _OPEN:
        values = []
        position += 1
        while position < len(tokens) and tokens[position] is not _CLOSE:
            value, position = _value(tokens, position)
            values.append(value)
        if position >= len(tokens):
            raise WireError("a list in the FETCH response is not closed")
        return tuple(values), position + 1
    if token is _CLOSE:
        raise WireError("')' where a value belongs")
    kind, value = token
    if kind == "atom":
        if value.isdigit():
            value = int(value)
        elif value.upper() == b"NIL":
            value = None
    return value, position + 1


_MONTHS = {name: number for number, name in enumerate(
    (b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec"), 1)}
_INTERNALDATE = re.compile(rb" ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)\Z")
_ZONES: dict[bytes, timezone] = {}


def internaldate(value) -> datetime | None:
    """Given an INTERNALDATE value (``b"29-Dec-2025 07:36:18 +0100"``), return an aware
    datetime in the offset it states, or None if it is missing or unreadable."""
    if not isinstance(value, bytes):
        return None
    match = _INTERNALDATE.match(value)
    if match is None or match[2].lower() not in _MONTHS:
        return None
    day, month, year, hour, minute, second, sign, zone_h, zone_m = match.groups()
    key = sign + zone_h + zone_m
    zone = _ZONES.get(key)
    if zone is None:
        offset = timedelta(hours=int(zone_h), minutes=int(zone_m))
        zone = _ZONES.setdefault(key, timezone(-offset if sign == b"-" else offset))
    try:
        return datetime(int(year), _MONTHS[month.lower()], int(day), int(hour), int(minute), int(second),
                        tzinfo=zone)
    except ValueError:
        return None


def uid_set(uids: Iterable[int]) -> str:
    """The UIDs as an IMAP sequence set, consecutive ones as ranges: ``[1, 2, 3, 7]`` -> ``"1:3,7"``.
    Only UIDs that are given appear: no open ranges, no ``*``."""
    ranges: list[str] = []
    start = previous = None
    for uid in sorted(set(uids)):
        if previous is not None and uid == previous + 1:
            previous = uid
            continue
        if start is not None:
            ranges.append(str(start) if start == previous else f"{start}:{previous}")
        start = previous = uid
    if start is not None:
        ranges.append(str(start) if start == previous else f"{start}:{previous}")
    return ",".join(ranges)
