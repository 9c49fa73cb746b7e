"""Keep in touch end to end, against a real Dovecot and SMTP server through the installed command:
with `rules.keep_in_touch_after = "90d"` the two people most recently gone silent after a two-way
conversation are suggested (mail older than the 30-day lookback is read for it), one-way and
recent conversations are not, the nudge offers a Reply draft and the action links, and Done on one
does not bring in a third the same day. Messages carry server arrival dates (INTERNALDATE) as old
as their Date headers, as on a real server."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.integration.mailservers import cli_for, make_message, write_config
from tests.integration.test_command_mail import compose

NOW = datetime.now(timezone.utc)

# contact -> days since my message (their answer came a day later), or None: they never answered
PEOPLE = {
    "dana@northwind.example": 120,
    "greg@contoso.example": 100,
    "eve@tailspin.example": 130,
    "ben@bigcorp.example": 40,     # silent for only 39 days
    "olga@fabrikam.example": None,  # one-way: I wrote 110 days ago, no answer
}


@pytest.fixture
def account(dovecot, mail_user, smtp_sink, tmp_path):
    user, password = mail_user
    dovecot.create_folder(user, "Trash")
    config = write_config(tmp_path / "config.toml", dovecot_port=dovecot.port, user=user, password=password,
                          state_path=tmp_path / "state.json", smtp_port=smtp_sink.port,
                          extra_sections={"rules": {"keep_in_touch_after": "90d"}})
    for contact, days in PEOPLE.items():
        name, tag = contact.split("@")[0].title(), contact.replace("@", ".")
        sent = NOW - timedelta(days=days or 110)
        dovecot.append(user, "Sent", make_message(
            sender=f"Pat Weber <{user}>", to=f"{name} <{contact}>", subject="Pilot results",
            body=f"Hi {name},\n\nhow did the pilot go on your side?\n\nPat", date=sent,
            message_id=f"<ask.{tag}@example.com>"), flags=[b"\\Seen"], arrived=sent)
        if days is not None:
            dovecot.append(user, "INBOX", make_message(
                sender=f"{name} <{contact}>", to=user, subject="Re: Pilot results",
                body="Really well, thanks for asking!", date=sent + timedelta(days=1),
                message_id=f"<re.{tag}@example.com>", in_reply_to=f"<ask.{tag}@example.com>",
                references=f"<ask.{tag}@example.com>"), flags=[b"\\Seen"], arrived=sent + timedelta(days=1))

    class Account:
        email = user

        cli = staticmethod(cli_for(config))

        @staticmethod
        def suggested() -> dict[str, dict]:
            items = json.loads(Account.cli("list", "--json"))
            return {item["contact"]: item for item in items if item["kind"] == "keep_in_touch"}

        @staticmethod
        def nudge():
            (delivered,) = smtp_sink.wait_for(1)
            return message_from_bytes(delivered.raw, policy=policy.default)

    Account.cli("sync")
    return Account, dovecot, user


def test_the_two_most_recently_silent_are_suggested_and_done_waits_for_tomorrow(account):
    account, dovecot, user = account
    suggested = account.suggested()
    assert sorted(suggested) == ["dana@northwind.example", "greg@contoso.example"]
    assert suggested["greg@contoso.example"]["subject"] == "Re: Pilot results"
    assert suggested["greg@contoso.example"]["last_message_id"] == "<re.greg.contoso.example@example.com>"

    account.cli("digest", "--send")
    nudge = account.nudge()
    text = nudge.get_body(("plain",)).get_content()
    assert "You and Greg last wrote on" in text and "Time to check in?" in text
    (reply,) = [u for u in re.findall(r"Reply: (mailto:\S+)", text) if u.startswith("mailto:greg@contoso.example")]
    query = parse_qs(urlsplit(reply).query)
    assert query["subject"] == ["Re: Pilot results"]
    assert query["In-Reply-To"] == ["<re.greg.contoso.example@example.com>"]
    assert query["body"][0].startswith("Hi Greg,\r\n\r\nIt's been a while since we last wrote")

    done = [u for u in re.findall(r"Done: (mailto:\S+)", text)
            if parse_qs(urlsplit(u).query)["subject"][0].split()[-2] == suggested["dana@northwind.example"]["id"]]
    dovecot.append(user, "INBOX", compose(done[0], f"Pat Weber <{account.email}>"))
    assert "1 command applied" in account.cli("sync")
    assert list(account.suggested()) == ["greg@contoso.example"]  # Eve waits: two were suggested today


def test_stop_on_a_suggestion_means_never_for_that_person(account):
    account, _, _ = account
    greg = account.suggested()["greg@contoso.example"]
    assert "no more keep-in-touch suggestions for Greg" in account.cli("stop", greg["id"])
    account.cli("sync")
    assert "greg@contoso.example" not in account.suggested()
