"""Forged and random command mails in a real Dovecot INBOX, through the installed command.

Two hundred seeded cases from the unit fuzz (tests/unit/test_command_mail_fuzz.py: garbage, wrong
tokens, valid tokens from foreign or lookalike senders, replies to a nudge never sent or from
someone else, replies naming no item) aimed at a mailbox that has just received its nudge. One
``followup-watcher sync`` must apply none of them: ``list --json`` is unchanged, every mail is
still in INBOX byte for byte, Trash stays empty, and the command exits 0 without a traceback.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from tests.integration.mailservers import run_cli
from tests.integration.test_command_mail import account, listed  # noqa: F401 (account is a fixture)
from tests.unit.test_command_mail_fuzz import SEED, Target, fuzz_case
from watcher import command_mail
from watcher.parse import header_block, parse_headers
from watcher.store import Store

CASES = 200


def target_of(account, state) -> Target:  # noqa: F811 (the fixture's value)
    """What the forger aims at in this account: its address, the state's secret, today's nudge."""
    with Store.open(state, "test") as store:
        secret = store.meta(command_mail.SECRET)
        nudge = (store.meta(command_mail.NUDGES) or [])[-1]
    text = account.nudge.get_body(("plain",)).get_content()
    return Target(account.email, (), secret, tuple(nudge["items"]), (), nudge["message_id"].strip("<>"),
                  date.fromisoformat(nudge["day"]), text, datetime.now(timezone.utc))


def as_stored(raw: bytes) -> bytes:
    """What an IMAP server accepts and keeps as is: CRLF line endings and no NUL bytes."""
    return raw.replace(b"\x00", b"").replace(b"\r\n", b"\n").replace(b"\r", b"\n").replace(b"\n", b"\r\n")


def test_two_hundred_forged_command_mails_change_nothing(account, dovecot, tmp_path):  # noqa: F811
    before = listed(account)
    target = target_of(account, tmp_path / "state.json")
    cases = [fuzz_case(SEED, number, target) for number in range(CASES)]
    raws = [as_stored(case.raw) for case in cases]
    with dovecot.client(account.email) as client:
        for raw in raws:
            client.append("INBOX", raw)
    gate = {target.nudge_id}
    reached = sum(command_mail.is_candidate(parse_headers(header_block(raw)), gate) for raw in raws)

    result = run_cli("-v", "sync", config=tmp_path / "config.toml")

    context = f"seed {SEED}, {CASES} cases\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    assert result.returncode == 0 and "Traceback" not in result.stderr + result.stdout, context
    assert "command applied" not in result.stdout and "commands applied" not in result.stdout, context
    assert result.stderr.count("ignored:") >= reached > CASES // 2, context
    assert listed(account) == before, context
    assert sorted(account.folder("INBOX")) == sorted(raws), context
    assert account.folder("Trash") == [], context
