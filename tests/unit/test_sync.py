"""The sync cycle against the in-memory source: indexing, cursors, reminders opened and closed."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tests.fakes import FakeSource, make_raw
from watcher.rules.no_reply import NoReplySettings
from watcher.store import Store
from watcher.sync import Policy, run_once
from watcher.workdays import WorkCalendar

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 17, 8, 0, tzinfo=BERLIN)  # a Tuesday
ME = "pat@example.com"


def policy(**overrides) -> Policy:
    values = dict(
        is_me=lambda address: address.lower() in (ME, "pat@old.example"),
        lookback=timedelta(days=30),
        no_reply=NoReplySettings(wait=timedelta(days=3), calendar=WorkCalendar(True, frozenset()), zone=BERLIN),
    )
    values.update(overrides)
    return Policy(**values)


def mailbox() -> FakeSource:
    source = FakeSource()
    source.add_folder("INBOX")
    source.add_folder("Sent")
    return source


def question(days_ago: float, mid: str = "q1@example.com", to: str = "Dana Lee <dana@northwind.example>",
             subject: str = "Pricing for 2027", body: str = "Could you send me the updated price list?") -> bytes:
    return make_raw(sender=f"Pat Weber <{ME}>", to=to, subject=subject, body=body,
                    date=NOW - timedelta(days=days_ago), message_id=mid)


def reply(days_ago: float, parent: str, sender="Dana Lee <dana@northwind.example>", mid="r1@northwind.example",
          subject="Re: Pricing for 2027", headers=True, extra=None) -> bytes:
    return make_raw(sender=sender, to=ME, subject=subject, body="Here it is.",
                    date=NOW - timedelta(days=days_ago), message_id=mid,
                    in_reply_to=parent if headers else None, references=[parent] if headers else None,
                    extra=extra)


def sync(source, tmp_path, now=NOW, **overrides):
    with Store.open(tmp_path / "state.json", "test") as store:
        summary = run_once(policy(**overrides), source, store, now)
        reminders = {r["key"]: r for r in store.reminders()}
    return summary, reminders


def open_ones(reminders):
    return [r for r in reminders.values() if r["status"] == "open"]


def test_unanswered_question_becomes_a_due_reminder(tmp_path):
    source = mailbox()
    source.append("Sent", question(9))
    summary, reminders = sync(source, tmp_path)
    [reminder] = open_ones(reminders)
    assert reminder["kind"] == "no_reply"
    assert reminder["contact"] == ["dana@northwind.example", "Dana Lee"]
    assert reminder["followups"] == 0
    # sent Sun 8 Nov 08:00 Berlin -> 3 business days later is Wed 11 Nov
    assert reminder["due"] == "2026-11-11"
    assert "price list" in reminder["snippet"]
    assert summary.new_messages == 1 and summary.opened == 1 and summary.open_reminders == 1


def test_reply_in_a_later_sync_closes_it(tmp_path):
    source = mailbox()
    source.append("Sent", question(9))
    sync(source, tmp_path)
    source.append("INBOX", reply(1, "q1@example.com"))
    summary, reminders = sync(source, tmp_path)
    assert open_ones(reminders) == []
    [closed] = reminders.values()
    assert closed["status"] == "closed"
    assert closed["closed_reason"].startswith("answered by Dana Lee")
    assert summary.closed == 1


@pytest.mark.parametrize("subject", ["RE: Pricing for 2027", "AW: Pricing for 2027", "Re: Re: pricing for 2027"])
def test_reply_without_headers_but_reply_subject_from_same_person_counts(tmp_path, subject):
    source = mailbox()
    source.append("Sent", question(9))
    source.append("INBOX", reply(2, "q1@example.com", subject=subject, headers=False))
    _, reminders = sync(source, tmp_path)
    assert open_ones(reminders) == []


def test_same_subject_from_a_stranger_is_not_an_answer(tmp_path):
    source = mailbox()
    source.append("Sent", question(9))
    source.append("INBOX", reply(2, "q1@example.com", sender="x@elsewhere.example", subject="RE: Pricing for 2027",
                                 headers=False))
    _, reminders = sync(source, tmp_path)
    assert len(open_ones(reminders)) == 1


@pytest.mark.parametrize("extra", [
    {"Auto-Submitted": "auto-replied"},
    {"X-Autoreply": "yes"},
    {"Precedence": "bulk"},
])
def test_auto_replies_are_not_answers(tmp_path, extra):
    source = mailbox()
    source.append("Sent", question(9))
    source.append("INBOX", reply(8, "q1@example.com", subject="Automatic reply: Pricing", extra=extra))
    _, reminders = sync(source, tmp_path)
    assert len(open_ones(reminders)) == 1


def test_bounce_is_not_an_answer(tmp_path):
    source = mailbox()
    source.append("Sent", question(9))
    source.append("INBOX", reply(9, "q1@example.com", sender="MAILER-DAEMON@mx.example.com",
                                 subject="Undelivered Mail Returned to Sender"))
    _, reminders = sync(source, tmp_path)
    assert len(open_ones(reminders)) == 1


def test_a_cc_colleague_answering_closes_it(tmp_path):
    source = mailbox()
    source.append("Sent", make_raw(sender=ME, to="dana@northwind.example", cc="sam@northwind.example",
                                   subject="Contract", body="Can you sign?", date=NOW - timedelta(days=9),
                                   message_id="c1@example.com"))
    source.append("INBOX", reply(3, "c1@example.com", sender="sam@northwind.example", subject="Re: Contract"))
    _, reminders = sync(source, tmp_path)
    assert open_ones(reminders) == []


def test_my_follow_up_keeps_it_open_and_counts(tmp_path):
    source = mailbox()
    source.append("Sent", question(12))
    source.append("Sent", make_raw(sender=ME, to="dana@northwind.example", subject="Re: Pricing for 2027",
                                   body="Just checking in on this.", date=NOW - timedelta(days=6),
                                   message_id="q2@example.com", in_reply_to="q1@example.com",
                                   references=["q1@example.com"]))
    _, reminders = sync(source, tmp_path)
    [reminder] = open_ones(reminders)
    assert reminder["followups"] == 1
    assert reminder["key"] == "no_reply:q1@example.com"
    assert reminder["last_message_id"] == "q2@example.com"
    assert "checking in" in reminder["snippet"]


@pytest.mark.parametrize("to", ["noreply@billing.example", "no-reply@shop.example", ME,
                                "Pat <pat@old.example>"])
def test_mail_to_noreply_or_only_myself_starts_nothing(tmp_path, to):
    source = mailbox()
    source.append("Sent", question(9, to=to))
    _, reminders = sync(source, tmp_path)
    assert reminders == {}


def test_ignored_addresses_start_nothing(tmp_path):
    source = mailbox()
    source.append("Sent", question(9, to="alerts@notifications.example.com"))
    settings = NoReplySettings(wait=timedelta(days=3), calendar=WorkCalendar(), zone=BERLIN,
                               ignore=("*@notifications.example.com",))
    _, reminders = sync(source, tmp_path, no_reply=settings)
    assert reminders == {}


def test_mailing_list_thread_starts_nothing(tmp_path):
    source = mailbox()
    source.append("INBOX", make_raw(sender="ann@lists.example", to="dev@lists.example", subject="Release",
                                    body="Thoughts?", date=NOW - timedelta(days=12), message_id="l1@lists.example",
                                    extra={"List-Id": "<dev.lists.example>"}))
    source.append("Sent", make_raw(sender=ME, to="dev@lists.example", subject="Re: Release", body="Ship it?",
                                   date=NOW - timedelta(days=10), message_id="l2@example.com",
                                   in_reply_to="l1@lists.example", references=["l1@lists.example"]))
    _, reminders = sync(source, tmp_path)
    assert reminders == {}


def test_second_sync_without_new_mail_fetches_and_writes_nothing(tmp_path):
    source = mailbox()
    source.append("Sent", question(9))
    sync(source, tmp_path)
    fetches_before = source.header_fetches
    state_before = (tmp_path / "state.json").read_bytes()
    summary, _ = sync(source, tmp_path)
    assert source.header_fetches == fetches_before
    assert summary.writes == 0
    assert (tmp_path / "state.json").read_bytes() == state_before


def test_bodies_are_read_only_for_my_mail_and_replies_to_it(tmp_path):
    source = mailbox()
    mine = source.append("Sent", question(9))
    newsletter = source.append("INBOX", make_raw(sender="news@shop.example", to=ME, subject="Deals",
                                                 body="Buy now", date=NOW - timedelta(days=2),
                                                 message_id="n1@shop.example"))
    answer = source.append("INBOX", reply(1, "q1@example.com"))
    sync(source, tmp_path)
    assert ("Sent", mine) in source.fetched_texts and ("INBOX", answer) in source.fetched_texts
    assert ("INBOX", newsletter) not in source.fetched_texts


def test_uidvalidity_change_rescans_without_duplicates(tmp_path):
    source = mailbox()
    source.append("Sent", question(9))
    source.append("Sent", question(8, mid="q9@example.com", to="greg@contoso.example", subject="Proposal"))
    _, first = sync(source, tmp_path)
    source.reset_uidvalidity("Sent", 99)
    summary, second = sync(source, tmp_path)
    assert summary.new_messages == 0
    assert second.keys() == first.keys()
    with Store.open(tmp_path / "state.json", "test") as store:
        assert store.cursor("Sent")["uidvalidity"] == 99


def test_messages_older_than_the_lookback_are_not_indexed(tmp_path):
    source = mailbox()
    source.append("Sent", question(45))
    summary, reminders = sync(source, tmp_path)
    assert summary.new_messages == 0 and reminders == {}


def test_watchers_own_nudge_is_never_tracked(tmp_path):
    source = mailbox()
    source.append("INBOX", make_raw(sender=ME, to="dana@northwind.example", subject="1 follow-up due: Dana",
                                    body="Could you?", date=NOW - timedelta(days=9), message_id="nudge@x.invalid",
                                    extra={"X-Followup-Watcher": "nudge"}))
    summary, reminders = sync(source, tmp_path)
    assert reminders == {} and summary.new_messages == 0


def test_reply_landing_in_a_second_watched_folder_closes_it(tmp_path):
    source = mailbox()
    source.add_folder("Clients")
    source.append("Sent", question(9))
    sync(source, tmp_path, folders=("INBOX", "Clients"))
    source.append("Clients", reply(1, "q1@example.com"))
    _, reminders = sync(source, tmp_path, folders=("INBOX", "Clients"))
    assert open_ones(reminders) == []


def test_old_messages_are_pruned_unless_a_reminder_needs_them(tmp_path):
    source = mailbox()
    source.append("Sent", question(20))
    source.append("INBOX", make_raw(sender="x@y.example", to=ME, subject="Hello", body="hi",
                                    date=NOW - timedelta(days=20), message_id="other@y.example"))
    sync(source, tmp_path)
    later = NOW + timedelta(days=15)
    sync(source, tmp_path, now=later)
    with Store.open(tmp_path / "state.json", "test") as store:
        ids = set(store.messages())
        assert "q1@example.com" in ids          # pinned by the open reminder
        assert "other@y.example" not in ids     # nothing needs it any more
