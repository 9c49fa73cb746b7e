"""The follow-up cadence end to end, against a real Dovecot and SMTP server through the installed
command: `list --json` counts follow-ups, each follow-up waits the next step, a per-domain override
applies, the nudge says where each thread is, the last call is shown once and then stops, and
`keep` or a new follow-up brings it back.

Waits count calendar days here (`rules.business_days = false`) so the expected dates are plain
day arithmetic; business-day counting has its own unit tests. Messages are sent at noon UTC on
days before today, and the nudge's time zone is UTC.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time, timedelta, timezone
from email import message_from_bytes, policy

import pytest

from tests.integration.mailservers import cli_for, make_message, write_config

TODAY = datetime.now(timezone.utc).date()


def noon(days_ago: int) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), time(12), tzinfo=timezone.utc)


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


# (contact, days ago of my question and of each unanswered follow-up)
THREADS = {
    "dana@northwind.example": (20, 10),        # one follow-up: the second step (4d) after it
    "greg@contoso.example": (3,),              # no follow-up yet: the first step (2d)
    "olga@fabrikam.example": (1,),             # not due until tomorrow
    "ben@bigcorp.example": (5, 3),             # the override: 1d steps, last call after 1 follow-up
    "eve@tailspin.example": (30, 20, 10),      # two follow-ups: the last call
}


@pytest.fixture
def account(dovecot, mail_user, smtp_sink, tmp_path):
    user, password = mail_user
    config = write_config(tmp_path / "config.toml", dovecot_port=dovecot.port, user=user, password=password,
                          state_path=tmp_path / "state.json", smtp_port=smtp_sink.port,
                          extra_sections={"rules": {"cadence": ["2d", "4d", "8d"], "max_followups": 2,
                                                    "business_days": False, "lookback": "60d"}})
    with config.open("a") as out:
        out.write('[[rules.contact]]\nmatch = "@bigcorp.example"\ncadence = ["1d"]\nmax_followups = 1\n')

    def send(contact: str, n: int, when: datetime):
        name, tag = contact.split("@")[0].title(), contact.replace("@", ".")
        refs = " ".join(f"<{tag}.{k}@example.com>" for k in range(n))
        dovecot.append(user, "Sent", make_message(
            sender=f"Pat Weber <{user}>", to=f"{name} <{contact}>",
            subject="Proposal for 2027" if n == 0 else "Re: Proposal for 2027",
            body=("Hi,\n\ncould you tell me whether the proposal works for you?\n\nPat" if n == 0
                  else "Hi,\n\nany thoughts on the proposal? Would a short call help?\n\nPat"),
            date=when, message_id=f"<{tag}.{n}@example.com>",
            in_reply_to=f"<{tag}.{n - 1}@example.com>" if n else None, references=refs or None),
            flags=[b"\\Seen"])

    for contact, days in THREADS.items():
        for n, days_ago in enumerate(days):
            send(contact, n, noon(days_ago))

    class Account:
        sent = staticmethod(send)

        cli = staticmethod(cli_for(config))

        @staticmethod
        def listed() -> dict[str, dict]:
            return {item["contact"]: item for item in json.loads(Account.cli("list", "--json"))}

        @staticmethod
        def nudge(number: int) -> str:
            delivered = smtp_sink.wait_for(number)[number - 1]
            return message_from_bytes(delivered.raw, policy=policy.default).get_body(("plain",)).get_content()

    Account.cli("sync")
    return Account


def test_list_counts_follow_ups_and_each_waits_its_step(account):
    items = account.listed()
    assert {c: (i["followups"], i["max_followups"], i["due"]) for c, i in items.items()} == {
        "dana@northwind.example": (1, 2, day(-10 + 4)),
        "greg@contoso.example": (0, 2, day(-3 + 2)),
        "olga@fabrikam.example": (0, 2, day(-1 + 2)),
        "ben@bigcorp.example": (1, 1, day(-3 + 1)),
        "eve@tailspin.example": (2, 2, day(-10 + 8)),
    }


def item_block(text: str, contact: str) -> str:
    """The lines of one numbered nudge item, from its heading to the next."""
    match = re.search(rf"^\d+\. [^\n]*<{re.escape(contact)}>:.*?(?=^\d+\. |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"{contact} is not in the nudge:\n{text}"
    return match.group(0)


def links_of(text: str, block: str) -> str:
    """The links listed at the end of the nudge for the item whose lines are ``block``."""
    number = block.split(".", 1)[0]
    match = re.search(rf"^\[{number}\] .*?(?=^\[\d+\] |^-- |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"no links for item {number}:\n{text}"
    return match.group(0)


def test_the_nudge_says_where_each_thread_is_and_the_last_call_comes_once(account):
    account.cli("digest", "--send")
    text = account.nudge(1)
    assert "olga@fabrikam.example" not in text  # not due yet
    assert "next: follow-up 2 of 2" in item_block(text, "dana@northwind.example")
    assert "next: follow-up 1 of 2" in item_block(text, "greg@contoso.example")
    ben = item_block(text, "ben@bigcorp.example")
    eve = item_block(text, "eve@tailspin.example")
    assert "No answer after 1 follow-up: stop, or keep going?" in ben
    assert "No answer after 2 follow-ups: stop, or keep going?" in eve
    greg = item_block(text, "greg@contoso.example")
    assert "Keep going: mailto:" in links_of(text, eve) and "Keep going: mailto:" in links_of(text, ben)
    assert "Keep going" not in links_of(text, greg)

    # shown once: the last calls are stopped now, and later syncs leave them stopped
    account.cli("sync")
    assert set(account.listed()) == {"dana@northwind.example", "greg@contoso.example", "olga@fabrikam.example"}

    # keep one going from the command line; write to the other again
    eve_id = re.search(r"Keep going: mailto:\S+?subject=followup-watcher%20keep%20([a-z0-9]+)%20",
                       links_of(text, eve)).group(1)
    assert "keeping it going" in account.cli("keep", eve_id)
    account.sent("ben@bigcorp.example", 2, datetime.now(timezone.utc) - timedelta(minutes=5))
    account.cli("sync")
    items = account.listed()
    assert (items["eve@tailspin.example"]["followups"], items["eve@tailspin.example"]["max_followups"]) == (2, 0)
    assert items["eve@tailspin.example"]["due"] == day(8)  # kept: due after the last step of the cadence
    assert (items["ben@bigcorp.example"]["followups"], items["ben@bigcorp.example"]["due"]) == (2, day(1))
