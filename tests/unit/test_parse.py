"""Header parsing, ids, dates, addresses and body text."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from watcher.body import body_text, decoded_part_text
from watcher.parse import MAX_REFERENCES, header_block, message_ids, parse_date, parse_headers


def raw(*headers: str, body: str = "Hello") -> bytes:
    return ("\r\n".join(headers) + "\r\n\r\n" + body).encode("utf-8")


def test_ids_are_lower_cased_without_brackets_in_order_once():
    assert message_ids("<A@X.com> <b@y>  <a@x.com>") == ("a@x.com", "b@y")
    assert message_ids("bare@id.example") == ("bare@id.example",)
    assert message_ids("") == ()


def test_full_header_set():
    message = parse_headers(raw(
        "From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <JM@Example.DE>",
        "To: Pat <pat@example.com>, dana@x.example",
        "Cc: sam@x.example",
        "Subject: =?iso-8859-1?q?R=E9f=3A_Angebot?=",
        "Date: Tue, 17 Nov 2026 09:15:00 +0100",
        "Message-ID: <Abc.1@Mail.Example.DE>",
        "In-Reply-To: <q1@example.com>",
        "References: <root@example.com> <q1@example.com>",
    ), folder="INBOX")
    assert message.message_id == "abc.1@mail.example.de"
    assert message.sender.email == "jm@example.de" and message.sender.name == "Jürgen Müller"
    assert [a.email for a in message.to] == ["pat@example.com", "dana@x.example"]
    assert [a.email for a in message.cc] == ["sam@x.example"]
    assert message.subject == "Réf: Angebot"
    assert message.date == datetime(2026, 11, 17, 9, 15, tzinfo=timezone(timedelta(hours=1)))
    assert message.date.utcoffset() == timedelta(hours=1)   # the sender's offset is kept
    assert message.in_reply_to == ("q1@example.com",)
    assert message.references == ("root@example.com", "q1@example.com")
    assert message.folder == "INBOX" and message.automated is None and not message.synthetic_id


def test_missing_message_id_gets_a_stable_synthetic_one():
    headers = raw("From: a@x.example", "Subject: hi", "Date: Tue, 17 Nov 2026 09:15:00 +0100")
    first, second = parse_headers(headers), parse_headers(headers)
    assert first.synthetic_id and first.message_id == second.message_id
    assert parse_headers(headers + b"x").message_id == first.message_id  # only headers count
    other = parse_headers(raw("From: b@x.example", "Subject: hi"))
    assert other.message_id != first.message_id


@pytest.mark.parametrize("value, expected", [
    ("Tue, 17 Nov 2026 09:15:00 -0500", datetime(2026, 11, 17, 9, 15, tzinfo=timezone(timedelta(hours=-5)))),
    ("17 Nov 2026 09:15:00 +0000", datetime(2026, 11, 17, 9, 15, tzinfo=timezone.utc)),
    ("Tue, 17 Nov 2026 09:15:00", datetime(2026, 11, 17, 9, 15, tzinfo=timezone.utc)),   # no zone: UTC
    ("yesterday", None),
    ("Mon, 1 Jan 1979 00:00:00 +0000", None),   # bogus dates fall back
    ("", None),
])
def test_dates(value, expected):
    assert parse_date(value) == expected


def test_unreadable_date_falls_back_to_the_servers_date():
    fallback = datetime(2026, 11, 17, 8, 0, tzinfo=timezone.utc)
    message = parse_headers(raw("From: a@x.example", "Date: someday", "Message-ID: <m@x>"), internaldate=fallback)
    assert message.date == fallback


def test_huge_references_are_bounded_but_keep_both_ends():
    refs = " ".join(f"<r{n}@x>" for n in range(10_000))
    message = parse_headers(raw("From: a@x.example", "Message-ID: <m@x>", f"References: {refs}"))
    assert len(message.references) == MAX_REFERENCES
    assert message.references[0] == "r0@x" and message.references[-1] == "r9999@x"


@pytest.mark.parametrize("header, reason_part", [
    ("Auto-Submitted: auto-replied", "Auto-Submitted"),
    ("X-Autoreply: yes", "X-Autoreply"),
    ("Precedence: bulk", "Precedence"),
    ("List-Unsubscribe: <mailto:u@x>", "List-Unsubscribe"),
    ("Return-Path: <>", "Return-Path"),
    ("Content-Type: multipart/report; report-type=delivery-status", "delivery report"),
])
def test_automated_mail_is_recognised_from_headers(header, reason_part):
    message = parse_headers(raw("From: someone@x.example", "Message-ID: <m@x>", "Subject: Hi", header))
    assert message.automated and reason_part in message.automated


@pytest.mark.parametrize("sender, subject", [
    ("MAILER-DAEMON@mx.example.com", "Undelivered Mail Returned to Sender"),
    ("noreply@shop.example", "Your order"),
    ("dana@x.example", "Automatic reply: Pricing"),
    ("dana@x.example", "Out of Office: Pricing"),
    ("jm@x.de", "Abwesenheitsnotiz: Angebot"),
])
def test_automated_mail_is_recognised_from_sender_or_subject(sender, subject):
    assert parse_headers(raw(f"From: {sender}", "Message-ID: <m@x>", f"Subject: {subject}")).automated


@pytest.mark.parametrize("header", ["Auto-Submitted: no", "X-Auto-Response-Suppress: All"])
def test_person_written_mail_is_not_automated(header):
    assert parse_headers(raw("From: dana@x.example", "Message-ID: <m@x>", "Subject: Re: Pricing", header)).automated is None


def test_watcher_mail_is_marked():
    assert parse_headers(raw("From: pat@example.com", "X-Followup-Watcher: nudge")).watcher_mail


def test_list_mail_is_marked():
    assert parse_headers(raw("From: a@x.example", "List-Id: <dev.lists.example>")).list_mail


def test_header_block_stops_at_the_blank_line():
    assert header_block(b"A: 1\r\nB: 2\r\n\r\nbody") == b"A: 1\r\nB: 2\r\n\r\n"
    assert header_block(b"A: 1\nB: 2\n\nbody\n\nmore") == b"A: 1\nB: 2\n\n"


def test_body_text_takes_the_new_text_of_the_plain_part():
    message = raw("From: a@x.example", "Content-Type: text/plain; charset=utf-8",
                  body="Thanks, that works.\n\nOn Mon, Nov 16, 2026 at 9:00 AM Pat wrote:\n> Does Thursday work?\n")
    assert body_text(message) == "Thanks, that works."


def test_body_text_falls_back_to_html():
    message = raw("From: a@x.example", "MIME-Version: 1.0", "Content-Type: text/html; charset=utf-8",
                  body="<html><body><p>Could you call me?</p><blockquote>old stuff</blockquote></body></html>")
    assert body_text(message) == "Could you call me?"


def test_body_text_never_raises_on_garbage():
    assert isinstance(body_text(b"\x00\xff garbage without headers"), str)


@pytest.mark.parametrize("payload, encoding, charset, expected", [
    (b"Q291bGQgeW91IGNhbGwgbWU/", "base64", "utf-8", "Could you call me?"),
    (b"Q291bGQgeW91IGNhbGwgbWU/IFRoYW5rcw", "base64", "utf-8", "Could you call me? Thank"),  # cut mid-quantum
    (b"Gr=FC=DFe aus K=F6ln", "quoted-printable", "iso-8859-1", "Grüße aus Köln"),
    (b"plain", "7bit", "no-such-charset", "plain"),
])
def test_decoded_part_text(payload, encoding, charset, expected):
    assert decoded_part_text(payload, encoding, charset, "plain") == expected
