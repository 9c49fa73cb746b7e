"""The fast header reader (``watcher.parse.header_fields``) reads what the stdlib's compat32 parser
reads: the same fields, names and values, on real mail from the corpora and on odd blocks, and
decodes raw 8-bit values instead of turning them into U+FFFD."""

from __future__ import annotations

from email.errors import MissingHeaderBodySeparatorDefect
from email.parser import BytesHeaderParser
from email.policy import compat32

import pytest

from watcher.parse import _wanted_fields, header_block, header_fields, parse_headers

STDLIB = BytesHeaderParser(policy=compat32)


def stdlib_fields(raw: bytes) -> list[tuple[str, str]]:
    return [(name, str(value)) for name, value in STDLIB.parsebytes(raw).items()]


def corpus_blocks(corpora) -> list[bytes]:
    files = [p for p in sorted(corpora.rglob("*")) if p.is_file() and p.suffix not in (".json", ".md", ".jsonl", ".cats")]
    blocks = [header_block(p.read_bytes()) for p in files]
    return [b for b in blocks if b.strip()]


def test_real_mail_reads_as_the_stdlib_reads_it(corpora):
    blocks = corpus_blocks(corpora)
    assert len(blocks) > 3000
    eight_bit = 0
    for block in blocks:
        ours = header_fields(block)
        theirs = stdlib_fields(block)
        assert [name for name, _ in ours.items()] == [name for name, _ in theirs], block[:300]
        for name, value in theirs:
            # Values agree where the stdlib could read them; for 8-bit values the stdlib shows
            # U+FFFD per byte, which is exactly what as_stdlib_showed reproduces.
            assert ours.as_stdlib_showed(name) == str(STDLIB.parsebytes(block).get(name)), (name, block[:300])
        if not block.isascii():
            eight_bit += 1
        wanted = _wanted_fields(block)  # the subset the IMAP source fetches
        if wanted.isascii():
            assert header_fields(wanted).items() == stdlib_fields(wanted)
    assert eight_bit > 0, "the corpora should hold some raw 8-bit headers"


@pytest.mark.parametrize("raw", [
    b"Subject: one\r\nFrom: a@example.com\r\n\r\nbody: not a header\r\n",
    b"Subject: folded\r\n  over\r\n\ttwo lines\r\nTo: b@example.com\r\n\r\n",
    b"Subject: lf only\nTo: b@example.com\n\n",
    b"From someone@example.com Mon Jan  1 00:00:00 2024\nSubject: mbox\n\n",
    b" starts folded\r\nSubject: x\r\n\r\n",
    b"Subject: x\r\nnot a header line\r\nTo: y@example.com\r\n\r\n",
    b"Subject: no blank line at the end",
    b"Subject:\r\n continued only\r\n\r\n",
    b"Subject : space before the colon\r\n\r\n",
    b": empty name\r\nSubject: x\r\n\r\n",
    b"Subject: bare cr\rTo: y@example.com\r\r",
    b"X-Empty:\r\nSubject:   padded   \r\n\r\n",
    b"",
])
def test_odd_blocks_read_as_the_stdlib_reads_them(raw):
    ours = header_fields(raw)
    assert ours.items() == stdlib_fields(raw)
    defects = STDLIB.parsebytes(raw).defects
    assert ours.clean == (not defects), defects


def test_a_line_that_is_no_header_ends_the_block_and_is_not_clean():
    fields = header_fields(b"Subject: x\r\nthis is body text\r\nTo: y@example.com\r\n")
    assert fields.items() == [("Subject", "x")]
    assert not fields.clean
    assert any(isinstance(d, MissingHeaderBodySeparatorDefect)
               for d in STDLIB.parsebytes(b"Subject: x\r\nthis is body text\r\n").defects)


def test_raw_utf8_values_are_decoded_and_the_synthetic_id_is_unchanged():
    raw = "Subject: Grüße aus Köln\r\nFrom: Jörg <jorg@example.de>\r\nDate: Mon, 2 Mar 2026 10:00:00 +0100\r\n\r\n"
    message = parse_headers(raw.encode("utf-8"))
    assert message.subject == "Grüße aus Köln"
    assert message.sender.name == "Jörg"
    # Earlier versions saw each 8-bit byte as U+FFFD; a message without Message-ID keeps its id.
    fields = header_fields(raw.encode("utf-8"))
    assert fields.as_stdlib_showed("Subject") == str(STDLIB.parsebytes(raw.encode("utf-8"))["Subject"])
    assert message.synthetic_id


def test_latin1_values_fall_back_to_windows_1252():
    message = parse_headers("Subject: Bestätigung – Termin\r\nFrom: a@example.de\r\n\r\n".encode("cp1252"))
    assert message.subject == "Bestätigung – Termin"
