"""What the user says about reminders (watcher.actions), and later syncs honouring it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tests.unit.test_sync import NOW, ME, mailbox, make_raw, policy, question, reply
from watcher import actions
from watcher.actions import ActionError
from watcher.store import Store
from watcher.sync import run_once
from watcher.workdays import WorkCalendar

DANA = "Dana Lee <dana@northwind.example>"
GREG = "Greg Hall <greg@contoso.example>"


def sync(source, state, now=NOW):
    with Store.open(state, "test") as store:
        run_once(policy(), source, store, now)
        return {r["key"]: dict(r) for r in store.reminders()}


def act(state, action, *args, now=NOW):
    with Store.open(state, "test") as store:
        applied = action(store, *args, now) if action is not actions.unmute else action(store, *args)
        store.commit()
        return applied


def open_ids(reminders):
    return sorted(r["id"] for r in reminders.values() if r["status"] == "open" and r["kind"] != "stop")


def by_contact(reminders, email):
    (record,) = [r for r in reminders.values() if r["contact"][0] == email and r["kind"] == "no_reply"]
    return record


@pytest.fixture
def two_questions(tmp_path):
    source = mailbox()
    source.append("Sent", question(9))
    source.append("Sent", question(8, mid="q2@example.com", to=GREG, subject="Budget"))
    state = tmp_path / "state.json"
    reminders = sync(source, state)
    return source, state, reminders


def test_done_closes_a_reminder_for_good(two_questions):
    source, state, reminders = two_questions
    dana = by_contact(reminders, "dana@northwind.example")
    assert "done:" in act(state, actions.mark_done, dana["id"]).summary
    # a later follow-up of mine in the same thread does not bring it back
    source.append("Sent", question(1, mid="q3@example.com", subject="Re: Pricing for 2027",
                                   body="Any news on the price list?"))
    after = sync(source, state)
    assert after[dana["key"]]["status"] == "closed"
    assert after[dana["key"]]["closed_reason"] == "done (you marked it)"
    assert open_ids(after) == [by_contact(reminders, "greg@contoso.example")["id"]]


def test_snooze_moves_the_due_date_and_later_syncs_keep_it(two_questions):
    source, state, reminders = two_questions
    dana = by_contact(reminders, "dana@northwind.example")
    act(state, actions.snooze, dana["id"], date(2026, 11, 27))
    after = sync(source, state)
    assert after[dana["key"]]["status"] == "open"
    assert after[dana["key"]]["due"] == "2026-11-27"
    assert after[dana["key"]]["snoozed_until"] == "2026-11-27"


@pytest.mark.parametrize("text, expected", [
    ("3d", date(2026, 11, 20)),  # Tue 17 Nov + 3 business days
    ("1d", date(2026, 11, 18)),
    ("2w", date(2026, 12, 1)),
    ("2026-12-01", date(2026, 12, 1)),
])
def test_snooze_until_reads_days_weeks_and_dates(text, expected):
    assert actions.snooze_until(text, date(2026, 11, 17), WorkCalendar(True, frozenset())) == expected


@pytest.mark.parametrize("text", ["0d", "soon", "2026-11-17", "2026-11-01", "3 months"])
def test_snooze_until_refuses_what_it_cannot_use(text):
    with pytest.raises(ActionError):
        actions.snooze_until(text, date(2026, 11, 17), WorkCalendar(True, frozenset()))


def test_stop_closes_the_thread_for_good(two_questions):
    source, state, reminders = two_questions
    dana = by_contact(reminders, "dana@northwind.example")
    act(state, actions.stop, dana["id"])
    source.append("Sent", question(1, mid="q3@example.com", subject="Re: Pricing for 2027",
                                   body="Could you also add the support plans?"))
    source.append("Sent", make_raw(sender=f"Pat Weber <{ME}>", to=DANA, subject="Re: Pricing for 2027",
                                   body="One more question: is VAT included?", date=NOW - timedelta(hours=2),
                                   message_id="q4@example.com", in_reply_to="q3@example.com",
                                   references=["q1@example.com", "q3@example.com"]))
    after = sync(source, state)
    assert [r for r in after.values() if r["contact"][0] == "dana@northwind.example" and r["status"] == "open"] == []
    assert after[dana["key"]]["closed_reason"] == "you stopped tracking this thread"
    # another thread with Dana is still tracked
    source.append("Sent", question(5, mid="q9@example.com", subject="Training dates"))
    assert any(r["contact"][0] == "dana@northwind.example" and r["status"] == "open"
               for r in sync(source, state).values())


def test_mute_a_domain_closes_and_ignores_it_until_unmuted(two_questions):
    source, state, reminders = two_questions
    assert "1 open reminder closed" in act(state, actions.mute, "@contoso.example").summary
    source.append("Sent", question(6, mid="q5@example.com", to=GREG, subject="Another question"))
    after = sync(source, state)
    assert [r["contact"][0] for r in after.values() if r["status"] == "open"] == ["dana@northwind.example"]
    act(state, actions.unmute, "@contoso.example")
    again = sync(source, state)
    assert sorted(r["subject"] for r in again.values() if r["status"] == "open" and
                  r["contact"][0] == "greg@contoso.example") == ["Another question", "Budget"]


def test_muted_contacts_check_back_requests_are_ignored_too(tmp_path):
    source = mailbox()
    source.append("Sent", question(9))
    source.append("INBOX", make_raw(sender=DANA, to=ME, subject="Re: Pricing for 2027",
                                    body="Not now. Please check back with me in two weeks.",
                                    date=NOW - timedelta(days=8), message_id="r1@northwind.example",
                                    in_reply_to="q1@example.com", references=["q1@example.com"]))
    state = tmp_path / "state.json"
    assert [r["kind"] for r in sync(source, state).values() if r["status"] == "open"] == ["check_back"]
    act(state, actions.mute, "dana@northwind.example")
    assert [r for r in sync(source, state).values() if r["status"] == "open"] == []


@pytest.mark.parametrize("action, args, words", [
    (actions.mark_done, ("zzzzzz",), "no reminder with id"),
    (actions.snooze, ("zzzzzz", date(2026, 12, 1)), "no reminder with id"),
    (actions.stop, ("zzzzzz",), "no reminder with id"),
    (actions.mute, ("not an address",), "give an address"),
    (actions.unmute, ("@nobody.example",), "is not muted"),
])
def test_bad_input_gets_a_clear_message_and_changes_nothing(two_questions, action, args, words):
    _, state, reminders = two_questions
    with pytest.raises(ActionError, match=words):
        act(state, action, *args)
    with Store.open(state, "test") as store:
        assert {r["key"]: r["status"] for r in store.reminders()} == {k: r["status"] for k, r in reminders.items()}


def test_a_closed_reminder_cannot_be_acted_on_again(two_questions):
    _, state, reminders = two_questions
    dana = by_contact(reminders, "dana@northwind.example")
    act(state, actions.mark_done, dana["id"])
    with pytest.raises(ActionError, match="already closed"):
        act(state, actions.snooze, dana["id"], date(2026, 12, 1))


def test_a_snooze_reaches_at_most_a_year_ahead():
    today = date(2026, 11, 17)
    calendar = WorkCalendar(True, frozenset())
    assert actions.snooze_until("2027-11-18", today, calendar) == date(2027, 11, 18)
    for text in ("2027-11-19", "9999-12-31", "999w"):
        with pytest.raises(ActionError, match="at most a year ahead"):
            actions.snooze_until(text, today, calendar)
