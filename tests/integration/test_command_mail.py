"""Acting on the nudge by mail, against a real Dovecot and SMTP server, as a person would: the
nudge arrives; the mail a Done link composes closes that item at the next sync; a Snooze link
moves it; replying "stop <id>" or "stop <number>" to the nudge stops it; the same from a foreign
address, or with a tampered token, changes nothing. Applied command mails end up in Trash."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from tests.integration.mailservers import cli_for, make_message, write_config

NOW = datetime.now(timezone.utc)
PEOPLE = ("Dana Lee <dana@northwind.example>", "Greg Hall <greg@contoso.example>",
          "Olga Berg <olga@fabrikam.example>")


@pytest.fixture
def account(dovecot, mail_user, smtp_sink, tmp_path):
    user, password = mail_user
    dovecot.create_folder(user, "Trash")
    config = write_config(tmp_path / "config.toml", dovecot_port=dovecot.port, user=user, password=password,
                          state_path=tmp_path / "state.json", smtp_port=smtp_sink.port)
    for number, person in enumerate(PEOPLE):
        dovecot.append(user, "Sent", make_message(
            sender=f"Pat Weber <{user}>", to=person, subject=f"Order {number + 1}",
            body="Hi,\n\ncould you confirm the order?\n\nPat", date=NOW - timedelta(days=12 - number),
            message_id=f"<order{number + 1}@example.com>"), flags=[b"\\Seen"])

    class Account:
        email = user

        cli = staticmethod(cli_for(config))

        @staticmethod
        def deliver(raw: bytes):
            """What the mail server does with a mail the user sends to themselves."""
            dovecot.append(user, "INBOX", raw)

        @staticmethod
        def folder(name):
            return dovecot.messages(user, name)

    Account.cli("sync")
    Account.cli("digest", "--send")
    (delivered,) = smtp_sink.wait_for(1)
    Account.nudge = message_from_bytes(delivered.raw, policy=policy.default)
    return Account


def listed(account) -> dict[str, dict]:
    return {item["contact"]: item for item in json.loads(account.cli("list", "--json"))}


def links(nudge, label) -> list[str]:
    text = nudge.get_body(("plain",)).get_content()
    return re.findall(rf"{re.escape(label)}: (mailto:\S+)", text)


def compose(uri: str, sender: str, in_reply_to: str | None = None, body: str | None = None) -> bytes:
    """The mail a client composes from a mailto: link (RFC 6068), sent from ``sender``."""
    parts = urlsplit(uri)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    message = EmailMessage()
    message["From"] = sender
    message["To"] = unquote(parts.path)
    message["Subject"] = query.get("subject", "")
    message["Date"] = format_datetime(datetime.now(timezone.utc))
    message["Message-ID"] = make_msgid(domain="client.example")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content(body if body is not None else query.get("body", ""))
    return message.as_bytes()


def item_id_in(uri: str) -> str:
    subject = parse_qs(urlsplit(uri).query)["subject"][0]
    return subject.split()[-2]  # "followup-watcher snooze 1w <id> <token>"


def test_done_and_snooze_links_act_at_the_next_sync(account):
    before = listed(account)
    done_links = links(account.nudge, "Done")
    snooze_links = links(account.nudge, "Snooze 1 week")
    assert len(done_links) == len(snooze_links) == 3
    dana = before["dana@northwind.example"]["id"]
    greg = before["greg@contoso.example"]["id"]
    account.deliver(compose(next(u for u in done_links if item_id_in(u) == dana), f"Pat Weber <{account.email}>"))
    account.deliver(compose(next(u for u in snooze_links if item_id_in(u) == greg), f"Pat Weber <{account.email}>"))
    out = account.cli("sync")
    assert "2 commands applied" in out
    after = listed(account)
    assert "dana@northwind.example" not in after
    assert after["greg@contoso.example"]["due"] == (NOW + timedelta(weeks=1)).date().isoformat()
    assert account.folder("INBOX") == [] and len(account.folder("Trash")) == 2


def test_replying_stop_with_an_id_or_a_number_stops_that_item(account):
    items = listed(account)
    nudge_id = account.nudge["Message-ID"]
    text = account.nudge.get_body(("plain",)).get_content()
    numbers = {m.group(2): int(m.group(1)) for m in re.finditer(r"^(\d+)\. .*?<([^>]+)>:", text, re.MULTILINE)}
    olga_number = numbers["olga@fabrikam.example"]
    reply = compose(f"mailto:{account.email}?subject=Re%3A%20nudge", f"Pat Weber <{account.email}>",
                    in_reply_to=nudge_id,
                    body=f"stop {items['dana@northwind.example']['id']}\nstop {olga_number}\n\n> quoted nudge")
    account.deliver(reply)
    account.cli("sync")
    assert list(listed(account)) == ["greg@contoso.example"]


def test_forged_sender_and_tampered_tokens_change_nothing(account):
    before = listed(account)
    done = links(account.nudge, "Done")[0]
    account.deliver(compose(done, "Pat Weber <pat@evil.example>"))
    tampered = re.sub(r"(%20)([0-9a-f]{20})(&|$)", lambda m: m.group(1) + "0" * 20 + m.group(3), done)
    assert tampered != done
    account.deliver(compose(tampered, f"Pat Weber <{account.email}>"))
    forged_reply = compose(f"mailto:{account.email}?subject=Re%3A%20nudge", "Pat Weber <pat@evil.example>",
                           in_reply_to=account.nudge["Message-ID"], body="done 1\ndone 2\ndone 3")
    account.deliver(forged_reply)
    account.cli("sync")
    assert listed(account) == before
    assert len(account.folder("INBOX")) == 3 and account.folder("Trash") == []
