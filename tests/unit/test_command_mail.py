"""Commands by mail (watcher.commands, watcher.command_mail) through the sync, in memory."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.fakes import FakeSource, make_raw
from tests.unit.test_sync import ME, NOW, policy, question
from watcher import command_mail, commands
from watcher.store import Store
from watcher.sync import run_once

SECRET = "11" * 32
NUDGE_ID = "nudge.2026-11-17.abc@followup-watcher.invalid"


def source_with_question() -> FakeSource:
    source = FakeSource(special_use={"Sent": "\\sent", "Trash": "\\trash"})
    for folder in ("INBOX", "Sent", "Trash"):
        source.add_folder(folder)
    source.append("Sent", question(9))
    return source


def sync(source, state, now=NOW):
    with Store.open(state, "test") as store:
        if not store.meta(command_mail.SECRET):
            store.set_meta(**{command_mail.SECRET: SECRET})
        summary = run_once(policy(), source, store, now)
        return summary, {r["key"]: dict(r) for r in store.reminders()}


def first_open(reminders):
    (record,) = [r for r in reminders.values() if r["status"] == "open"]
    return record


def command(subject, sender=f"Pat Weber <{ME}>", mid="c1@example.com", body="", in_reply_to=None):
    return make_raw(sender=sender, to=ME, subject=subject, body=body, date=NOW - timedelta(minutes=5),
                    message_id=mid, in_reply_to=in_reply_to, references=[in_reply_to] if in_reply_to else None)


def record_nudge(state, items):
    with Store.open(state, "test") as store:
        command_mail.record_nudge(store, f"<{NUDGE_ID}>", "2026-11-17", items)
        store.commit()


@pytest.fixture
def setup(tmp_path):
    source = source_with_question()
    state = tmp_path / "state.json"
    _, reminders = sync(source, state)
    return source, state, first_open(reminders)


def test_a_done_link_from_me_closes_the_item_and_goes_to_trash(setup):
    source, state, item = setup
    source.append("INBOX", command(commands.action_subject(SECRET, item["id"], "done")))
    summary, reminders = sync(source, state)
    assert reminders[item["key"]]["status"] == "closed"
    assert summary.commands == 1 and "1 command applied" in summary.line()
    assert source.folders["INBOX"] == {} and len(source.folders["Trash"]) == 1


def test_a_snooze_link_moves_the_due_date(setup):
    source, state, item = setup
    source.append("INBOX", command("Re: " + commands.action_subject(SECRET, item["id"], "snooze 1w")))
    _, reminders = sync(source, state)
    assert reminders[item["key"]]["status"] == "open"
    assert reminders[item["key"]]["due"] == (NOW.date() + timedelta(weeks=1)).isoformat()


@pytest.mark.parametrize("subject, sender", [
    (None, "Mallory <pat@example.com.evil.example>"),  # a valid link, but not from me
    ("followup-watcher done {id} 0123456789abcdef0123", f"Pat Weber <{ME}>"),  # a made-up token
    ("followup-watcher stop {id} {done_token}", f"Pat Weber <{ME}>"),  # another action's token
])
def test_forged_or_tampered_commands_change_nothing(setup, subject, sender):
    source, state, item = setup
    done_token = commands.token(SECRET, item["id"], "done")
    subject = (subject or commands.action_subject(SECRET, item["id"], "done")).format(id=item["id"],
                                                                                   done_token=done_token)
    source.append("INBOX", command(subject, sender=sender))
    summary, reminders = sync(source, state)
    assert reminders[item["key"]]["status"] == "open"
    assert summary.commands == 0 and any("command mail ignored" in w for w in summary.warnings)
    assert len(source.folders["INBOX"]) == 1 and source.folders["Trash"] == {}


def test_a_reply_to_the_nudge_applies_each_command_line_by_number_or_id(setup):
    source, state, item = setup
    source.append("Sent", question(8, mid="q2@example.com", to="Greg Hall <greg@contoso.example>",
                                   subject="Budget"))
    _, reminders = sync(source, state)
    greg = next(r for r in reminders.values() if r["contact"][0] == "greg@contoso.example")
    record_nudge(state, [item["id"], greg["id"]])
    body = f"done 1\nsnooze {greg['id']} 5d\n\nThanks!\n\n> 1. Dana Lee ..."
    source.append("INBOX", command("Re: 2 follow-ups due", body=body, in_reply_to=NUDGE_ID))
    _, reminders = sync(source, state)
    assert reminders[item["key"]]["status"] == "closed"
    assert reminders[greg["key"]]["due"] == "2026-11-24"  # Tue 17 Nov + 5 business days


def test_a_reply_to_no_nudge_of_ours_is_just_mail(setup):
    source, state, item = setup
    source.append("INBOX", command("Re: hello", body="done 1", in_reply_to="someone-else@example.com"))
    summary, reminders = sync(source, state)
    assert reminders[item["key"]]["status"] == "open" and summary.commands == 0


def test_each_command_mail_is_applied_once_and_every_copy_is_moved(setup):
    source, state, item = setup
    raw = command(commands.action_subject(SECRET, item["id"], "snooze 2d"))
    source.append("Sent", raw)
    source.append("INBOX", raw)
    summary, reminders = sync(source, state)
    assert summary.commands == 1
    assert source.folders["INBOX"] == {} and len(source.folders["Trash"]) == 2
    due = reminders[item["key"]]["due"]
    source.append("INBOX", raw)  # delivered again: already applied, only moved
    summary, reminders = sync(source, state)
    assert summary.commands == 0 and reminders[item["key"]]["due"] == due


@pytest.mark.parametrize("action", ["done", "snooze 2d", "snooze 1w", "stop", "mute"])
def test_tokens_are_per_item_and_action_and_long_enough(action):
    own = commands.token(SECRET, "q6bpzo", action)
    assert len(own) >= 16
    assert own != commands.token(SECRET, "q6bpzq", action)
    assert own != commands.token("22" * 32, "q6bpzo", action)
    assert commands.command_in_subject(commands.action_subject(SECRET, "q6bpzo", action), SECRET).action == \
        action.split()[0]


@pytest.mark.parametrize("text, expected", [
    ("done 3", [("done", "3", None)]),
    ("snooze 2 5d\nstop 4\nmute 1", [("snooze", "2", "5d"), ("stop", "4", None), ("mute", "1", None)]),
    ("Snooze q6bpzo", [("snooze", "q6bpzo", "2d")]),
    ("snooze 1 2026-12-01.", [("snooze", "1", "2026-12-01")]),
    ("Hi, please mark it done 3 when you can", []),
    ("done", []),
])
def test_reply_lines(text, expected):
    assert [(c.action, c.target, c.until) for c in commands.commands_in_reply(text)] == expected


def test_a_genuine_command_that_cannot_be_applied_is_reported_not_counted(setup):
    source, state, item = setup
    record_nudge(state, [item["id"]])
    source.append("INBOX", command("Re: 1 follow-up due", body="snooze 1 2099-01-01\ndone 1", in_reply_to=NUDGE_ID))
    summary, reminders = sync(source, state)
    assert summary.commands == 1 and "1 command applied" in summary.line()  # the done
    assert any(w.startswith("command not applied: snooze ") and "at most a year ahead" in w for w in summary.warnings)
    assert reminders[item["key"]]["status"] == "closed"
