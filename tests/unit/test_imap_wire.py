"""The quick FETCH reader (``watcher.imap_wire``) against imapclient's own parser as the oracle, on
responses shaped the way imaplib hands them over, from several servers' habits."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest
from imapclient.datetime_util import parse_to_datetime
from imapclient.response_parser import parse_fetch_response

from watcher import imap_wire
from watcher.imap_source import ImapSource

FIELDS = b"BODY[HEADER.FIELDS (MESSAGE-ID FROM TO SUBJECT DATE)]"
HEADER = b"From: Ann <ann@example.com>\r\nSubject: Quote\r\n\r\n"


def oracle(data) -> dict[int, dict]:
    """imapclient's reading, keyed by UID, with INTERNALDATE left as the server wrote it."""
    parsed = parse_fetch_response(list(data), normalise_times=False, uid_is_key=False)
    result = {}
    for _seq, items in parsed.items():
        if b"UID" in items:
            result[items[b"UID"]] = {k: v for k, v in items.items() if k not in (b"SEQ", b"INTERNALDATE")}
    return result


def ours(data) -> dict[int, dict]:
    return {m[b"UID"]: {k: v for k, v in m.items() if k != b"INTERNALDATE"}
            for m in imap_wire.messages(data) if b"UID" in m}


def test_dovecot_shape_one_literal_then_the_closing_paren():
    data = [(b'1 (UID 7 RFC822.SIZE 1153 INTERNALDATE "29-Dec-2025 07:39:28 +0000" ' + FIELDS + b" {%d}" % len(HEADER),
             HEADER), b")",
            (b'2 (UID 9 RFC822.SIZE 20 INTERNALDATE " 1-Jan-2026 00:00:01 -0500" ' + FIELDS + b" {2}", b"\r\n"), b")"]
    messages = list(imap_wire.messages(data))
    assert [m[b"UID"] for m in messages] == [7, 9]
    assert messages[0][FIELDS] == HEADER
    assert messages[0][b"RFC822.SIZE"] == 1153
    assert messages[1][b"INTERNALDATE"] == b" 1-Jan-2026 00:00:01 -0500"
    assert ours(data) == oracle(data)


def test_items_in_another_order_flags_after_the_literal_and_unsolicited_updates():
    data = [b"5 (FLAGS (\\Seen \\Answered))",  # an unsolicited flag change: no UID
            (b"3 (RFC822.SIZE 99 " + FIELDS + b" {%d}" % len(HEADER), HEADER),
            b' INTERNALDATE "02-Feb-2026 10:00:00 +0100" UID 12 FLAGS (\\Seen))',
            (b"4 (UID 13 " + FIELDS + b" NIL RFC822.SIZE 5)")]
    assert ours(data) == oracle(data)
    got = ours(data)
    assert got[12][FIELDS] == HEADER and got[12][b"FLAGS"] == (b"\\Seen",)
    assert got[13][FIELDS] is None


def test_quoted_strings_with_escapes_and_nested_lists():
    data = [b'8 (UID 20 X-GM-LABELS ("\\\\Important" "a \\"b\\"") BODY[HEADER.FIELDS (FROM)] "From: x"'
            b' X-NESTED ((1 2) (NIL "z") ()))']
    assert ours(data) == oracle(data)
    assert ours(data)[20][b"X-NESTED"] == ((1, 2), (None, b"z"), ())


@pytest.mark.parametrize("data, why", [
    ([b"1 (UID 3 RFC822.SIZE 5"], "not closed"),
    ([b"1 (UID 3 " + FIELDS + b" {5})"], "literal announced, none given"),
    ([(b"1 (UID 3 RFC822.SIZE 5)", b"stray")], "a literal nobody announced"),
    ([b"1 UID 3)"], "no opening paren"),
    ([b"1 (UID 3 {5}"], "bare brace is no item name"),
    ([b"1 (UID 3 RFC822.SIZE 5) trailing"], "text after the end"),
    ([b"1 (UID 3 RFC822.SIZE ((1)"], "unbalanced list"),
])
def test_unreadable_responses_raise_wire_error(data, why):
    with pytest.raises(imap_wire.WireError):
        list(imap_wire.messages(data))


def random_response(rng: random.Random, seq: int, uid: int) -> list:
    """One message's FETCH response split as imaplib splits it, items in a random order."""
    when = datetime(2020, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=rng.randrange(10 ** 8))
    offset = rng.choice(["+0000", "-0800", "+0530", "+1200"])
    stamp = when.strftime("%d-%b-%Y %H:%M:%S ").encode() + offset.encode()
    if rng.random() < 0.3:
        stamp = b" " + stamp.lstrip(b"0") if stamp.startswith(b"0") else stamp
    body = bytes(rng.choice(b"abc xyz\r\n()\"{}[]\\") for _ in range(rng.randrange(0, 300)))
    items = [[b"UID %d" % uid], [b"RFC822.SIZE %d" % rng.randrange(10 ** 7)], [b'INTERNALDATE "' + stamp + b'"'],
             [FIELDS + b" {%d}" % len(body), body], [b"FLAGS (" + b" ".join(rng.sample([b"\\Seen", b"\\Flagged", b"$Label1"], rng.randrange(4))) + b")"]]
    rng.shuffle(items)
    pieces: list = []
    text = b"%d (" % seq
    for number, item in enumerate(items):
        text += (b" " if number else b"") + item[0]
        if len(item) == 2:
            pieces.append((text, item[1]))
            text = b""
    pieces.append(text + b")")
    return pieces


def test_random_responses_read_as_imapclient_reads_them():
    rng = random.Random(20261123)
    for round_ in range(300):
        data = []
        for number in range(rng.randrange(1, 8)):
            data += random_response(rng, number + 1, 100 * round_ + number)
        assert ours(data) == oracle(data), data
        for message in imap_wire.messages(data):
            expected = parse_to_datetime(message[b"INTERNALDATE"].strip(), normalise=False)
            assert imap_wire.internaldate(message[b"INTERNALDATE"]) == expected
            assert imap_wire.internaldate(message[b"INTERNALDATE"]).utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("value", [b"29-Foo-2025 07:39:28 +0000", b"31-Feb-2025 07:39:28 +0000", b"yesterday",
                                   b"", None, 17])
def test_unreadable_internaldates_are_none(value):
    assert imap_wire.internaldate(value) is None


def test_uid_sets_name_exactly_the_given_uids():
    assert imap_wire.uid_set([]) == ""
    assert imap_wire.uid_set([5]) == "5"
    assert imap_wire.uid_set([1, 2, 3, 7, 9, 10]) == "1:3,7,9:10"
    assert imap_wire.uid_set([10, 3, 2, 2, 1]) == "1:3,10"


class FakeImaplib:
    def __init__(self, typ, data):
        self.typ, self.data = typ, data

    def uid(self, command, uid_set, items):
        return self.typ, self.data


class FakeClient:
    def __init__(self, raw, parsed):
        self._imap = raw
        self.parsed = parsed
        self.fetched: list = []

    def capabilities(self):
        return (b"IMAP4REV1",)

    def fetch(self, uids, items):
        self.fetched.append(list(uids))
        return self.parsed


def test_a_response_the_quick_reader_cannot_read_is_fetched_again_through_imapclient():
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    client = FakeClient(FakeImaplib("OK", [b"1 (UID 4 RFC822.SIZE 10"]),
                        {4: {b"UID": 4, b"RFC822.SIZE": 10, b"INTERNALDATE": when, FIELDS: HEADER}})
    fetched = ImapSource(client, "fake").fetch_headers([4])
    assert client.fetched == [[4]]
    assert [(f.uid, f.raw, f.size, f.internaldate) for f in fetched] == [(4, HEADER, 10, when)]


def test_the_quick_reader_serves_a_readable_response_without_imapclient():
    data = [(b'1 (UID 4 RFC822.SIZE 10 INTERNALDATE "02-Jan-2026 03:04:05 +0000" ' + FIELDS + b" {%d}" % len(HEADER),
             HEADER), b")"]
    client = FakeClient(FakeImaplib("OK", data), {})
    fetched = ImapSource(client, "fake").fetch_headers([4, 5])  # 5 was expunged meanwhile
    assert client.fetched == []
    assert [(f.uid, f.raw, f.size, f.internaldate) for f in fetched] == [
        (4, HEADER, 10, datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc))]


def test_a_refused_fetch_is_a_source_error_that_says_what_the_server_said():
    from watcher.errors import SourceError

    client = FakeClient(FakeImaplib("NO", [b"[SERVERBUG] internal error"]), {})
    with pytest.raises(SourceError, match="NO .*internal error"):
        ImapSource(client, "fake").fetch_headers([1])


def test_servers_that_quote_or_lower_case_the_field_list_echo_are_read():
    data = [(b'1 (UID 5 body[header.fields ("message-id" "from")] {%d}' % len(HEADER), HEADER), b")"]
    message = next(imap_wire.messages(data))
    key = next(k for k in message if k.startswith(b"BODY[HEADER.FIELDS"))
    assert message[key] == HEADER and message[b"UID"] == 5
