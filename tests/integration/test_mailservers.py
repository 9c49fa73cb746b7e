"""The test servers themselves: if these are wrong, every other integration test proves nothing."""

from __future__ import annotations

import smtplib
from datetime import datetime, timezone
from email import message_from_bytes

from tests.integration.mailservers import make_message

NOW = datetime.now(timezone.utc)


def sample(mid="<m1@example.com>"):
    return make_message(sender="Dana <dana@northwind.example>", to="pat@example.com", subject="Hello",
                        body="Hi Pat", date=NOW, message_id=mid)


def test_append_returns_uids_and_sets_flags(dovecot, mail_user):
    user, _ = mail_user
    first = dovecot.append(user, "INBOX", sample("<a@x>"))
    second = dovecot.append(user, "INBOX", sample("<b@x>"), flags=[b"\\Seen", b"\\Flagged"])
    assert second > first
    flags = dovecot.snapshot_flags(user)
    assert flags[("INBOX", first)] == ()
    assert flags[("INBOX", second)] == (b"\\Flagged", b"\\Seen")


def test_special_use_folders_are_advertised(dovecot, mail_user):
    user, _ = mail_user
    with dovecot.client(user) as client:
        folders = {name: flags for flags, _sep, name in client.list_folders()}
    assert b"\\Sent" in folders["Sent"] and b"\\Trash" in folders["Trash"] and b"\\Junk" in folders["Junk"]


def test_reading_helpers_change_no_flags(dovecot, mail_user):
    user, _ = mail_user
    uid = dovecot.append(user, "INBOX", sample())
    dovecot.snapshot_flags(user)
    [raw] = dovecot.messages(user, "INBOX")
    assert message_from_bytes(raw)["Subject"] == "Hello"
    assert dovecot.snapshot_flags(user)[("INBOX", uid)] == ()


def test_users_are_isolated(dovecot):
    first, _ = dovecot.add_user()
    second, _ = dovecot.add_user()
    dovecot.append(first, "INBOX", sample())
    assert len(dovecot.messages(first, "INBOX")) == 1
    assert dovecot.messages(second, "INBOX") == []


def test_smtp_sink_receives_what_is_sent(smtp_sink):
    with smtplib.SMTP("127.0.0.1", smtp_sink.port, timeout=10) as client:
        client.sendmail("a@example.com", ["pat@example.com"], sample())
    [delivered] = smtp_sink.wait_for(1, timeout=10)
    assert delivered.rcpt_tos == ["pat@example.com"]
    assert message_from_bytes(delivered.raw)["Subject"] == "Hello"
