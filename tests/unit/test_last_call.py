"""The last call through the state: shown once, then stopped; `keep` (CLI or mail) or a new
follow-up of mine brings it back, past the planned number.

The cadence here is one business day per step and two follow-ups, so a short thread gets there:
my question, then two unanswered follow-ups.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from tests.fakes import FakeSource, make_raw
from tests.unit.test_sync import ME, NOW, policy
from watcher import actions, command_mail, commands
from watcher.cadence import Cadence, CadenceRules, is_last_call, step_label
from watcher.jobs import close_last_calls
from watcher.records import reminder_from_record
from watcher.store import Store
from watcher.sync import run_once

SECRET = "22" * 32
DANA = "Dana Lee <dana@northwind.example>"
SHORT = CadenceRules(Cadence((timedelta(days=1),), max_followups=2))


def short_policy():
    base = policy()
    return replace(base, no_reply=replace(base.no_reply, cadence=SHORT))


def mine(days_ago: float, n: int) -> bytes:
    parent = f"m{n - 1}@example.com" if n > 1 else None
    return make_raw(sender=f"Pat Weber <{ME}>", to=DANA, subject="Pricing for 2027" if n == 1 else "Re: Pricing for 2027",
                    body="Could you send me the updated price list?" if n == 1 else "Any news on the price list?",
                    date=NOW - timedelta(days=days_ago), message_id=f"m{n}@example.com",
                    in_reply_to=parent, references=[f"m{k}@example.com" for k in range(1, n)] or None)


def sync(source, state, now=NOW):
    with Store.open(state, "test") as store:
        if not store.meta(command_mail.SECRET):
            store.set_meta(**{command_mail.SECRET: SECRET})
        summary = run_once(short_policy(), source, store, now)
        (record,) = [dict(r) for r in store.reminders() if r["kind"] == "no_reply"]
        return summary, record


def nudge_shows(state, record, now=NOW):
    """What send_nudge does with a shown item after delivery."""
    with Store.open(state, "test") as store:
        close_last_calls(store, [reminder_from_record(record)], now)
        store.commit()


@pytest.fixture
def at_last_call(tmp_path):
    source = FakeSource(special_use={"Sent": "\\sent", "Trash": "\\trash"})
    for folder in ("INBOX", "Sent", "Trash"):
        source.add_folder(folder)
    for n, days_ago in ((1, 9), (2, 6), (3, 3)):
        source.append("Sent", mine(days_ago, n))
    state = tmp_path / "state.json"
    _, record = sync(source, state)
    return source, state, record


def test_two_unanswered_follow_ups_make_the_last_call(at_last_call):
    _, _, record = at_last_call
    reminder = reminder_from_record(record)
    assert (record["status"], record["followups"], record["max_followups"]) == ("open", 2, 2)
    assert is_last_call(reminder)
    assert step_label(reminder) == "no answer after 2 follow-ups: stop, or keep going?"
    assert record["due"] == "2026-11-16"  # sent Sat 14 Nov: one business day on is Mon 16 Nov


def test_once_shown_the_last_call_stops_and_later_syncs_leave_it_stopped(at_last_call):
    source, state, record = at_last_call
    nudge_shows(state, record)
    _, after = sync(source, state, NOW + timedelta(days=1))
    assert after["status"] == "closed"
    assert after["closed_by"] == "last_call"
    assert after["closed_reason"] == "no answer after 2 follow-ups"


def test_a_reminder_that_is_not_the_last_call_stays_open_when_shown(tmp_path):
    source = FakeSource()
    for folder in ("INBOX", "Sent"):
        source.add_folder(folder)
    source.append("Sent", mine(9, 1))
    state = tmp_path / "state.json"
    _, record = sync(source, state)
    nudge_shows(state, record)
    _, after = sync(source, state)
    assert after["status"] == "open" and after["followups"] == 0


def test_keep_brings_it_back_with_no_limit(at_last_call):
    source, state, record = at_last_call
    nudge_shows(state, record)
    with Store.open(state, "test") as store:
        applied = actions.keep(store, record["id"], date(2026, 12, 15), NOW)
        store.commit()
    assert "keeping it going, next on Tue 15 Dec 2026" in applied.summary
    _, after = sync(source, state, NOW + timedelta(days=1))
    assert (after["status"], after["kept"], after["max_followups"], after["due"]) == ("open", True, 0, "2026-12-15")
    assert not is_last_call(reminder_from_record(after))
    nudge_shows(state, after)  # shown again: no longer a last call, so it stays
    _, again = sync(source, state, NOW + timedelta(days=2))
    assert again["status"] == "open"


def test_keep_refuses_what_is_not_a_waiting_follow_up(at_last_call):
    _, state, record = at_last_call
    with Store.open(state, "test") as store:
        with pytest.raises(actions.ActionError, match="no follow-up with id 'nope12'"):
            actions.keep(store, "nope12", date(2026, 12, 15), NOW)
        actions.mark_done(store, record["id"], NOW)  # done is done: keep cannot revive it
        with pytest.raises(actions.ActionError):
            actions.keep(store, record["id"], date(2026, 12, 15), NOW)


def test_a_keep_link_from_the_nudge_works_by_mail(at_last_call):
    source, state, record = at_last_call
    nudge_shows(state, record)
    subject = commands.action_subject(SECRET, record["id"], "keep")
    source.append("INBOX", make_raw(sender=f"Pat Weber <{ME}>", to=ME, subject=subject, body="",
                                    date=NOW + timedelta(minutes=5), message_id="keep1@example.com"))
    summary, after = sync(source, state, NOW + timedelta(hours=1))
    assert summary.commands == 1
    assert after["status"] == "open" and after["kept"] is True
    assert after["due"] > NOW.date().isoformat()


def test_writing_again_after_the_last_call_reopens_it_past_the_plan(at_last_call):
    source, state, record = at_last_call
    nudge_shows(state, record)
    source.append("Sent", mine(0.5, 4))
    summary, after = sync(source, state, NOW + timedelta(hours=1))
    assert summary.opened == 1
    assert (after["status"], after["followups"], after["closed_by"]) == ("open", 3, None)
    assert step_label(reminder_from_record(after)) == "next: follow-up 4 (past the 2 planned)"


def test_an_answer_after_the_last_call_leaves_it_closed(at_last_call):
    source, state, record = at_last_call
    nudge_shows(state, record)
    source.append("INBOX", make_raw(sender=DANA, to=ME, subject="Re: Pricing for 2027", body="Here it is.",
                                    date=NOW - timedelta(hours=2), message_id="r1@northwind.example",
                                    in_reply_to="m3@example.com", references=["m1@example.com", "m3@example.com"]))
    _, after = sync(source, state, NOW + timedelta(hours=1))
    assert after["status"] == "closed"
