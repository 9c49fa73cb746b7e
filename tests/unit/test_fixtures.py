"""The parser and the first rules on hand-written real-world-shaped messages (tests/fixtures)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from watcher.body import body_text
from watcher.parse import header_block, parse_headers
from watcher.rules.auto_reply import is_out_of_office
from watcher.rules.expects_reply import expects_reply
from watcher.subjects import base_subject, is_reply_subject
from watcher.threads import build_threads

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ARRIVED = datetime(2026, 11, 16, 7, 0, tzinfo=timezone.utc)


def raw(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parsed(name: str):
    data = raw(name)
    return parse_headers(header_block(data), "INBOX", ARRIVED).with_text(body_text(data))


def test_my_question_expects_a_reply_and_loses_its_signature():
    message = parsed("plain_question.eml")
    assert message.message_id == "6b0e4f3a-2d9c-4a71-8e15-c7f0b2a9d364@example.com"
    assert message.sender.email == "pat@example.com" and message.automated is None
    assert expects_reply(message.text)
    assert "-- " not in message.text and "Example GmbH" not in message.text.splitlines()[-1:]


def test_gmail_reply_is_only_the_new_text():
    message = parsed("gmail_reply_quote.eml")
    assert message.in_reply_to == ("6b0e4f3a-2d9c-4a71-8e15-c7f0b2a9d364@example.com",)
    assert message.text.startswith("Hi Pat,") and message.text.endswith("Hannah")
    assert "wrote:" not in message.text and ">" not in message.text


def test_replies_with_and_without_headers_thread_with_the_question():
    messages = [parsed(n) for n in ("plain_question.eml", "gmail_reply_quote.eml", "headerless_re_reply.eml")]
    assert not messages[2].parent_ids and is_reply_subject(messages[2].subject)
    [thread] = build_threads(messages)
    assert len(thread.messages) == 3


def test_outlook_crlf_reply_stops_at_the_original_message():
    message = parsed("outlook_reply_original_message_crlf.eml")
    assert b"\r\n" in raw("outlook_reply_original_message_crlf.eml")
    assert "Original Message" not in message.text and "Sent:" not in message.text
    assert "Daniel" in message.text


def test_german_reply_and_encoded_name():
    message = parsed("german_reply_am_schrieb.eml")
    assert message.sender.name == "Sabine Krüger"
    assert message.text.startswith("Hallo Frau Weber,") and "schrieb" not in message.text
    assert message.cc


@pytest.mark.parametrize("name", ["auto_reply_rfc3834.eml", "vacation_x_autoreply.eml"])
def test_auto_replies_are_automated_and_out_of_office(name):
    message = parsed(name)
    assert message.automated
    assert is_out_of_office(message.automated, message.subject)


def test_bounce_is_a_delivery_report_not_an_out_of_office():
    message = parsed("bounce_dsn.eml")
    assert message.automated and "delivery report" in message.automated
    assert not is_out_of_office(message.automated, message.subject)


def test_mailing_list_post_is_list_mail():
    message = parsed("mailing_list_post.eml")
    assert message.list_mail and message.automated
    assert not base_subject(message.subject).startswith("[")


def test_html_only_message_yields_the_new_text():
    message = parsed("html_only.eml")
    assert message.text.startswith("Hi Pat,") and message.text.rstrip().endswith("Ben")
    assert "wrote" not in message.text


def test_base64_body_and_encoded_words():
    message = parsed("base64_utf8_encoded_words.eml")
    assert message.subject == "Rückfrage zum Angebot – Preise für Zürich"
    assert message.sender.name == "Łukasz Wąsowski"
    assert message.text and "Ã" not in message.text


def test_missing_message_id_gets_a_stable_synthetic_id():
    first, second = parsed("no_message_id.eml"), parsed("no_message_id.eml")
    assert first.synthetic_id and first.message_id == second.message_id
    whole = parse_headers(raw("no_message_id.eml"))  # the same id from the whole message
    assert whole.message_id == first.message_id


def test_unparseable_date_falls_back_to_arrival():
    message = parsed("garbage_date.eml")
    assert message.date == ARRIVED
    assert is_reply_subject(message.subject)


def test_multipart_without_boundary_still_yields_its_text():
    message = parsed("malformed_mime_missing_boundary.eml")
    assert message.text.startswith("Hi Pat,") and "exhibitor badge" in message.text
    assert "JVBERi" not in message.text
