"""The command-line twins of the nudge's actions, against a real Dovecot: done, snooze, stop,
mute and unmute, each checked with `list --json` after a later sync."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from tests.integration.mailservers import make_message, run_cli, write_config

NOW = datetime.now(timezone.utc)
PEOPLE = {"dana": "Dana Lee <dana@northwind.example>", "greg": "Greg Hall <greg@contoso.example>",
          "olga": "Olga Berg <olga@fabrikam.example>"}


@pytest.fixture
def account(dovecot, mail_user, tmp_path):
    user, password = mail_user
    config = write_config(tmp_path / "config.toml", dovecot_port=dovecot.port, user=user, password=password,
                          state_path=tmp_path / "state.json", delivery="imap")
    for number, (name, address) in enumerate(PEOPLE.items()):
        dovecot.append(user, "Sent", make_message(
            sender=f"Pat Weber <{user}>", to=address, subject=f"Question for {name}",
            body=f"Hi,\n\ncould you confirm the order for {name}?\n\nPat", date=NOW - timedelta(days=9 + number),
            message_id=f"<{name}@example.com>"), flags=[b"\\Seen"])

    class Account:
        @staticmethod
        def cli(*args):
            result = run_cli(*args, config=config)
            return result

        @staticmethod
        def append_sent(raw):
            dovecot.append(user, "Sent", raw, flags=[b"\\Seen"])

        email = user

    assert Account.cli("sync").returncode == 0
    return Account


def listed(account) -> dict[str, dict]:
    result = account.cli("list", "--json")
    assert result.returncode == 0, result.stderr
    return {item["contact"]: item for item in json.loads(result.stdout)}


def test_done_snooze_stop_mute_and_unmute(account):
    items = listed(account)
    assert sorted(items) == ["dana@northwind.example", "greg@contoso.example", "olga@fabrikam.example"]

    done = account.cli("done", items["dana@northwind.example"]["id"])
    assert done.returncode == 0 and done.stdout.startswith("done:"), done.stderr
    snoozed = account.cli("snooze", items["greg@contoso.example"]["id"], "2w")
    assert snoozed.returncode == 0 and "snoozed until" in snoozed.stdout, snoozed.stderr
    assert account.cli("sync").returncode == 0
    after = listed(account)
    assert "dana@northwind.example" not in after
    assert after["greg@contoso.example"]["due"] == (NOW + timedelta(weeks=2)).date().isoformat()

    # stop: a later follow-up of mine in Olga's thread starts nothing
    stopped = account.cli("stop", after["olga@fabrikam.example"]["id"])
    assert stopped.returncode == 0, stopped.stderr
    account.append_sent(make_message(
        sender=f"Pat Weber <{account.email}>", to=PEOPLE["olga"], subject="Re: Question for olga",
        body="Any news?", date=NOW - timedelta(days=4), message_id="<olga2@example.com>",
        in_reply_to="<olga@example.com>", references="<olga@example.com>"))
    assert account.cli("sync").returncode == 0
    assert "olga@fabrikam.example" not in listed(account)

    # mute a domain: Greg's reminder closes and stays away until unmuted
    muted = account.cli("mute", "@contoso.example")
    assert muted.returncode == 0 and "1 open reminder closed" in muted.stdout, muted.stderr
    assert account.cli("sync").returncode == 0
    assert listed(account) == {}
    assert account.cli("unmute", "@contoso.example").returncode == 0
    assert account.cli("sync").returncode == 0
    assert list(listed(account)) == ["greg@contoso.example"]


def test_unknown_ids_and_bad_snoozes_are_refused_with_a_clear_message(account):
    unknown = account.cli("done", "zzzzzz")
    assert unknown.returncode == 1
    assert "no reminder with id 'zzzzzz'; `followup-watcher list` shows the ids" in unknown.stderr
    some_id = next(iter(listed(account).values()))["id"]
    bad = account.cli("snooze", some_id, "later")
    assert bad.returncode == 1 and "use a number of days or weeks" in bad.stderr
    assert len(listed(account)) == 3
