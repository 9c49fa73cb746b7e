"""Bad input found by tests/integration/test_bad_input.py, pinned down at the unit level.

* A text part whose charset names a codec that cannot replace bad bytes ("idna", "punycode",
  "undefined") or a name with a NUL in it raised UnicodeError/ValueError out of the body decoder:
  one such message in a watched folder made every sync fail, and ``explain`` report an error.
* Broken HTML (an unterminated tag at the end) took time growing with the square of its length
  in html.parser: about an hour for the 2 MB ``explain`` reads of a message.
"""

from __future__ import annotations

import base64
import quopri

import pytest

from watcher.explain import explain_message
from watcher.body import body_text, decoded_part_text, parse_message
from watcher.quotes import HTML_READ_CHARS, html_to_text

QUESTION = "Could you send the contract by Friday?"
# Labels Python cannot decode with errors="replace" (or does not know); "punycode" is below: it
# decodes ASCII, into what punycode means, and raises on other bytes.
ODD_CHARSETS = ["idna", "undefined", "utf\x00", "utf-8\x00x", "no-such-charset", ""]
ENCODINGS = {
    "7bit": lambda text: text,
    "base64": base64.encodebytes,
    "quoted-printable": quopri.encodestring,
}


def message(content_type: str, body: bytes, encoding: str = "7bit") -> bytes:
    return (b"From: Dana Lee <dana@northwind.example>\r\nTo: pat@example.com\r\nSubject: Contract\r\n"
            b"Date: Mon, 16 Nov 2026 09:00:00 +0000\r\nMessage-ID: <c1@northwind.example>\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: " + content_type.encode() + b"\r\nContent-Transfer-Encoding: " + encoding.encode()
            + b"\r\n\r\n" + body)


@pytest.mark.parametrize("charset", ODD_CHARSETS)
@pytest.mark.parametrize("encoding", list(ENCODINGS))
@pytest.mark.parametrize("subtype", ["plain", "html"])
def test_a_part_in_an_odd_charset_is_read_as_utf8(charset, encoding, subtype):
    """What the IMAP source does with the start of a text part (imap_source.fetch_texts)."""
    text = f"<p>{QUESTION}</p>" if subtype == "html" else QUESTION
    payload = ENCODINGS[encoding](text.encode())
    assert decoded_part_text(payload, encoding, charset, subtype) == QUESTION


def test_bytes_an_odd_codec_chokes_on_are_read_as_utf8():
    # whatever the error handler, "punycode" raises on bytes beyond ASCII and "idna" on any
    assert decoded_part_text("Café at 10?".encode(), "8bit", "punycode", "plain") == "Café at 10?"
    assert decoded_part_text(b"Caf\xff at 10?", "8bit", "idna", "plain") == "Caf\ufffd at 10?"


@pytest.mark.parametrize("charset", ["idna", "undefined", "utf\x00"])
def test_whole_messages_in_an_odd_charset_are_read(charset):
    """What ``explain`` does with a message file: single part, and a part of a multipart."""
    single = message(f"text/plain; charset={charset}", QUESTION.encode())
    multipart = message('multipart/alternative; boundary="B"',
                        b"--B\r\nContent-Type: text/plain; charset=\"" + charset.encode() + b"\"\r\n\r\n"
                        + QUESTION.encode() + b"\r\n--B--\r\n")
    for raw in (single, multipart):
        assert parse_message(raw)[1] == QUESTION
        assert body_text(raw) == QUESTION
        assert explain_message(raw)["expects_reply"] is True


def test_only_the_start_of_an_html_body_is_rendered():
    html = f"<p>{QUESTION}</p>" + " " * HTML_READ_CHARS + "<p>Never read.</p>"
    assert html_to_text(html) == QUESTION


def test_broken_html_is_read_up_to_the_limit_and_no_further():
    """'<x y="' repeated: html.parser re-scans the unterminated tag from every "<" in it."""
    broken = f"<p>{QUESTION}</p>" + '<x y="' * 350_000  # 2 MB
    text = html_to_text(broken)
    assert text.startswith(QUESTION)
    assert len(text) < HTML_READ_CHARS


def test_a_2_mb_broken_html_part_of_a_damaged_message_is_explained():
    """A defect (a header line without a colon) sends the message to mail-parser, which hands
    the whole 2 MB HTML part on: the case that took about an hour."""
    raw = message('multipart/alternative; boundary="B1"',
                  b"--B1\r\nContent-Type: text/html; charset=utf-8\r\nno colon in this header\r\n\r\n"
                  + f"<p>{QUESTION}</p>".encode() + b'<x y="' * 350_000 + b"\r\n")
    result = explain_message(raw)
    assert QUESTION in result["new_text"]
    assert result["expects_reply"] is True
