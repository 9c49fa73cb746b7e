"""Quote stripping measured on real replies from many mail clients (../shared/corpora/fixtures).

Expected outputs come with the corpora: Discourse's trimmed replies and Talon's reply texts. The
corpora are never copied into this repository.
"""

from __future__ import annotations

import re

import pytest

from watcher.body import body_text
from watcher.quotes import html_to_text, new_text

TALON_HTML_REPLY = "Hi. I am fine.\n\nThanks,\nAlex"
# Discourse keeps a leading quote or a whole forwarded mail when nothing else was written; we
# return only what the sender newly wrote, so those few cases can never match. 54 of 64 match.
DISCOURSE_MIN_SHARE = 0.83
DISCOURSE_MUST_MATCH = [
    "email_headers_1", "email_headers_2", "email_headers_3", "email_headers_4", "email_headers_5",
    "embedded_email_german_1", "embedded_email_german_2", "embedded_email_german_4", "embedded_email_german_6",
    "embedded_email_french_1", "embedded_email_french_2", "embedded_email_spanish_1", "embedded_email_italian",
    "embedded_email_dutch_1", "embedded_email_dutch_2", "embedded_email_polish_1", "embedded_email_swedish",
    "embedded_email_norwegian", "embedded_email_portuguese", "embedded_email_russian_1",
    "embedded_email_ukrainian", "embedded_email_chinese", "forwarded_gmail", "forwarded_apple", "signatures",
]
MOBILE_SIGNATURE = re.compile(r"^(Sent from my iPhone|Sent with Sparrow.*)$", re.MULTILINE)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def discourse_pairs(corpora):
    root = corpora / "fixtures" / "discourse-email_reply_trimmer"
    return [(path.stem, path.read_text(errors="replace"), (root / "trimmed" / path.name).read_text(errors="replace"))
            for path in sorted((root / "emails").glob("*.txt"))]


def test_discourse_trimmed_replies(corpora):
    pairs = discourse_pairs(corpora)
    assert len(pairs) >= 60
    matched = {name for name, email, expected in pairs if normalise(new_text(email)) == normalise(expected)}
    missing = [name for name in DISCOURSE_MUST_MATCH if name not in matched]
    assert not missing, f"these replies were not trimmed as expected: {missing}"
    assert len(matched) / len(pairs) >= DISCOURSE_MIN_SHARE, f"{len(matched)} of {len(pairs)}"


def test_talon_html_replies_from_nine_clients(corpora):
    files = sorted((corpora / "fixtures" / "talon" / "html_replies").glob("*.html"))
    assert len(files) == 9
    for path in files:
        got = new_text(html_to_text(path.read_text(errors="replace")))
        assert squash(got) == squash(TALON_HTML_REPLY), path.name


def test_talon_standard_replies_through_the_message_parser(corpora):
    files = sorted((corpora / "fixtures" / "talon" / "standard_replies").glob("*.eml"))
    assert len(files) >= 12
    for path in files:
        expected_file = path.with_name(path.stem + "_reply_text")
        expected = expected_file.read_text() if expected_file.exists() else "Hello"
        # Talon keeps signatures ("Sent from my iPhone", "-- \nname"); we drop them.
        expected = re.split(r"^--\s*$", MOBILE_SIGNATURE.sub("", expected), flags=re.MULTILINE)[0]
        assert squash(body_text(path.read_bytes())) == squash(expected), path.name


def test_every_reply_fixture_yields_text_without_quote_lines(corpora):
    roots = [corpora / "fixtures" / name for name in
             ("crisp-email-reply-parser", "github-email_reply_parser", "discourse-email_reply_trimmer", "quotequail")]
    paths = [p for root in roots for p in sorted(root.rglob("*")) if p.is_file() and p.suffix in (".txt", ".html")]
    assert len(paths) > 150
    for path in paths:
        text = path.read_text(errors="replace")
        result = new_text(html_to_text(text) if path.suffix == ".html" else text)
        assert len(result) <= len(text), path.name
        assert not any(line.lstrip().startswith(">") for line in result.splitlines()), path.name
