"""The whole path against a real Dovecot and a real SMTP server, driving the installed command.

Done-when of the end-to-end issue: a question sent 9 days ago and never answered is listed by
`sync` and `list --json` and appears in the nudge delivered by `digest --send`; a reply in the
INBOX or a watched subfolder closes it; RE:/AW: answers without reply headers count;
out-of-office replies and bounces don't; and every flag is unchanged afterwards.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy

import pytest

from tests.integration.mailservers import make_message, run_cli, write_config

NOW = datetime.now(timezone.utc)
DANA = "Dana Lee <dana@northwind.example>"


@pytest.fixture
def account(dovecot, mail_user, smtp_sink, tmp_path):
    """A fresh mailbox and a config for it; returns a small namespace of what tests need."""
    user, password = mail_user

    class Account:
        email = user
        state = tmp_path / "state.json"

        @staticmethod
        def config(**kwargs):
            return write_config(tmp_path / "config.toml", dovecot_port=dovecot.port, user=user,
                                password=password, state_path=Account.state,
                                smtp_port=smtp_sink.port, **kwargs)

        @staticmethod
        def append(folder, raw, flags=()):
            return dovecot.append(user, folder, raw, flags=flags)

    return Account


def question(me, days_ago=9, mid="q1@example.com", subject="Pricing for the 2027 rollout"):
    return make_message(sender=f"Pat Weber <{me}>", to=DANA, subject=subject,
                        body="Hi Dana,\n\ncould you send me the updated price list for 2027?\n\nThanks,\nPat",
                        date=NOW - timedelta(days=days_ago), message_id=f"<{mid}>")


def answer(days_ago=1, subject="Re: Pricing for the 2027 rollout", headers=True, sender=DANA, extra=None,
           mid="a1@northwind.example", to="pat@example.com"):
    return make_message(sender=sender, to=to, subject=subject,
                        body="Hi Pat, attached. Best, Dana", date=NOW - timedelta(days=days_ago),
                        message_id=f"<{mid}>",
                        in_reply_to="<q1@example.com>" if headers else None,
                        references="<q1@example.com>" if headers else None, extra_headers=extra)


def listed(config):
    result = run_cli("list", "--json", config=config)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def sync_ok(config):
    result = run_cli("sync", config=config)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_unanswered_question_is_listed_nudged_and_closed_by_the_reply(account, smtp_sink, dovecot):
    config = account.config()
    account.append("Sent", question(account.email), flags=[b"\\Seen"])
    account.append("INBOX", make_message(sender="Greg <greg@contoso.example>", to=account.email,
                                         subject="Lunch?", body="Free on Friday?",
                                         date=NOW - timedelta(days=2), message_id="<l1@contoso.example>"))
    flags_before = dovecot.snapshot_flags(account.email)

    out = sync_ok(config)
    assert "1 open reminder" in out and "2 new messages" in out

    [item] = listed(config)
    assert item["kind"] == "no_reply"
    assert item["contact"] == "dana@northwind.example"
    assert item["subject"] == "Pricing for the 2027 rollout"
    assert item["followups"] == 0
    assert item["last_message_id"] == "<q1@example.com>"
    assert datetime.fromisoformat(item["since"]) < NOW - timedelta(days=8)
    assert datetime.fromisoformat(item["due"]).date() < NOW.date()

    preview = run_cli("digest", "--preview", config=config)
    assert "Dana Lee" in preview.stdout and smtp_sink.messages == []

    sent = run_cli("digest", "--send", config=config)
    assert sent.returncode == 0, sent.stderr
    [delivered] = smtp_sink.wait_for(1, timeout=10)
    nudge = message_from_bytes(delivered.raw if hasattr(delivered, "raw") else delivered["raw"], policy=policy.default)
    assert nudge["Subject"] == "1 follow-up due: Dana Lee"
    assert nudge.get_content_type() == "multipart/alternative"
    text = nudge.get_body(("plain",)).get_content()
    assert "Pricing for the 2027 rollout" in text and "updated price list" in text
    assert "mailto:dana@northwind.example" in text

    account.append("INBOX", answer())
    out = sync_ok(config)
    assert "0 open reminders" in out and "1 closed" in out
    assert listed(config) == []
    after = dovecot.snapshot_flags(account.email)
    assert {key: after[key] for key in flags_before} == flags_before


def test_reply_filed_into_a_watched_subfolder_closes_it(account, dovecot):
    dovecot.create_folder(account.email, "Clients")
    config = account.config(extra_sections={"imap": {"folders": ["INBOX", "Clients"]}})
    account.append("Sent", question(account.email))
    sync_ok(config)
    assert len(listed(config)) == 1
    account.append("Clients", answer())
    sync_ok(config)
    assert listed(config) == []


@pytest.mark.parametrize("subject", ["RE: Pricing for the 2027 rollout", "AW: Pricing for the 2027 rollout"])
def test_answer_without_reply_headers_but_reply_subject_counts(account, subject):
    config = account.config()
    account.append("Sent", question(account.email))
    account.append("INBOX", answer(subject=subject, headers=False, to=account.email))
    sync_ok(config)
    assert listed(config) == []


def test_same_subject_from_someone_outside_the_thread_is_not_an_answer(account):
    config = account.config()
    account.append("Sent", question(account.email))
    account.append("INBOX", answer(subject="RE: Pricing for the 2027 rollout", headers=False, to=account.email,
                                   sender="Eve <eve@elsewhere.example>"))
    sync_ok(config)
    assert [item["contact"] for item in listed(config)] == ["dana@northwind.example"]


def test_out_of_office_and_bounce_are_not_answers(account):
    config = account.config()
    account.append("Sent", question(account.email))
    account.append("INBOX", answer(days_ago=9, subject="Automatic reply: Pricing for the 2027 rollout",
                                   extra={"Auto-Submitted": "auto-replied"}, mid="ooo@northwind.example"))
    account.append("INBOX", answer(days_ago=9, sender="Mail Delivery System <MAILER-DAEMON@mx.example.com>",
                                   subject="Undelivered Mail Returned to Sender", mid="bounce@mx.example.com"))
    sync_ok(config)
    [item] = listed(config)
    assert item["contact"] == "dana@northwind.example"


def test_imap_delivery_appends_the_nudge_unread_and_never_tracks_it(account, dovecot, smtp_sink):
    config = account.config(delivery="imap")
    account.append("Sent", question(account.email))
    sync_ok(config)
    sent = run_cli("digest", "--send", config=config)
    assert sent.returncode == 0, sent.stderr
    inbox = [message_from_bytes(raw, policy=policy.default) for raw in dovecot.messages(account.email, "INBOX")]
    nudges = [m for m in inbox if m["X-Followup-Watcher"]]
    assert len(nudges) == 1 and nudges[0]["Subject"] == "1 follow-up due: Dana Lee"
    flags = dovecot.snapshot_flags(account.email)
    assert all(b"\\Seen" not in f and "\\Seen" not in f for f in flags.values())
    assert smtp_sink.messages == []
    out = sync_ok(config)
    assert "1 open reminder" in out
    assert len(listed(config)) == 1


def test_nothing_due_sends_nothing(account, smtp_sink):
    config = account.config()
    account.append("Sent", question(account.email, days_ago=0.1))  # not due for 3 business days
    sync_ok(config)
    result = run_cli("digest", "--send", config=config)
    assert result.returncode == 0
    assert "nothing is due" in result.stdout
    assert smtp_sink.messages == []


def test_check_shows_sent_and_watched_folders(account, dovecot):
    dovecot.create_folder(account.email, "Archive")
    result = run_cli("check", config=account.config(extra_sections={"imap": {"folders": ["*"]}}))
    assert result.returncode == 0, result.stderr
    assert "sent folder: Sent" in result.stdout
    watched = result.stdout.split("watched folders:")[1].splitlines()[0]
    assert "INBOX" in watched and "Archive" in watched
    assert "Trash" not in watched and "Junk" not in watched and "Drafts" not in watched


def test_wrong_password_is_one_clear_sentence(account, tmp_path):
    config = account.config()
    (tmp_path / "imap-password").write_text("wrong")
    result = run_cli("sync", config=config)
    assert result.returncode == 1
    assert "refused the login" in result.stderr and "imap.username" in result.stderr
    assert "Traceback" not in result.stderr
