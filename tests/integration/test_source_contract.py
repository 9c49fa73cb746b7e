"""One contract, two sources: the in-memory fake used by unit tests and the real IMAP source on
Dovecot must answer the same questions the same way, so the fake cannot drift from a server."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from tests.fakes import FakeSource
from tests.integration.mailservers import make_message
from watcher.errors import SourceError
from watcher.imap_source import ImapSource
from watcher.parse import parse_headers

NOW = datetime.now(timezone.utc)

QUOTED = make_message(
    sender="Dana Lee <dana@northwind.example>", to="pat@example.com", subject="Re: Pricing",
    body="Yes, Thursday works for me.\n\nOn Mon, Nov 16, 2026 at 9:00 AM Pat <pat@example.com> wrote:\n"
         "> Could we talk on Thursday?\n> Pat\n",
    date=NOW - timedelta(days=1), message_id="<r1@northwind.example>", in_reply_to="<q1@example.com>",
)
PLAIN = make_message(sender="pat@example.com", to="dana@northwind.example", subject="Pricing",
                     body="Could we talk on Thursday?", date=NOW - timedelta(days=2), message_id="<q1@example.com>")


@dataclass
class ImapSettings:
    host: str
    port: int
    username: str
    security: str = "none"
    timeout: float = 20.0
    ca_file: None = None


@pytest.fixture(params=["fake", "dovecot"])
def source_with_mail(request):
    if request.param == "fake":
        source = FakeSource()
        for folder in ("INBOX", "Sent", "Trash"):
            source.add_folder(folder)
        source.append("Sent", PLAIN)
        source.append("INBOX", QUOTED)
        yield source
        return
    dovecot = request.getfixturevalue("dovecot")
    user, password = request.getfixturevalue("mail_user")
    dovecot.append(user, "Sent", PLAIN)
    dovecot.append(user, "INBOX", QUOTED)
    source = ImapSource.connect(ImapSettings("127.0.0.1", dovecot.port, user), password)
    yield source
    source.close()


def test_sent_folder_is_marked(source_with_mail):
    folders = {f.name: f.special_use for f in source_with_mail.list_folders()}
    assert "\\sent" in folders["Sent"]
    assert "INBOX" in folders


def test_new_uids_respect_the_cursor(source_with_mail):
    status = source_with_mail.select("INBOX")
    assert status.uidnext >= 2 and status.exists == 1
    uids = source_with_mail.new_uids(0, None)
    assert len(uids) == 1
    assert source_with_mail.new_uids(uids[-1], None) == []


def test_headers_parse_to_the_same_message(source_with_mail):
    source_with_mail.select("INBOX")
    [fetched] = source_with_mail.fetch_headers(source_with_mail.new_uids(0, None))
    message = parse_headers(fetched.raw, "INBOX")
    assert message.message_id == "r1@northwind.example"
    assert message.in_reply_to == ("q1@example.com",)
    assert message.sender.email == "dana@northwind.example"
    assert fetched.size > 0


def test_texts_are_the_new_text_only(source_with_mail):
    source_with_mail.select("INBOX")
    uids = source_with_mail.new_uids(0, None)
    texts = source_with_mail.fetch_texts(uids, 16384)
    assert texts[uids[0]] == "Yes, Thursday works for me."


def test_unknown_folder_is_a_source_error(source_with_mail):
    with pytest.raises(SourceError):
        source_with_mail.select("No Such Folder")
