"""Keep in touch: the contact ledger (pure rule) and suggestions through the sync, in memory.

The sync tests use a 90-day wait. NOW is Tue 17 Nov 2026, so a conversation 100 days ago is due
for a suggestion and one 80 days ago is not.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from tests.fakes import FakeSource, make_raw
from tests.unit.test_sync import ME, NOW, policy
from watcher import actions
from watcher.digest import describe, silence
from watcher.drafts import draft
from watcher.model import Address, Message
from watcher.rules import keep_in_touch
from watcher.rules.keep_in_touch import Contact, Touch, gone_silent, note, touches
from watcher.records import reminder_from_record
from watcher.store import Store
from watcher.sync import run_once

UTC = timezone.utc
DANA = Address("dana@northwind.example", "Dana Lee")


def is_me(email: str) -> bool:
    return email.lower() in (ME, "pat@old.example")


def message(sender: Address, *to: Address, cc=(), when=datetime(2026, 8, 1, 10, tzinfo=UTC), **fields) -> Message:
    return Message(message_id=fields.pop("message_id", "m1@example.com"), subject=fields.pop("subject", "Pricing"),
                   sender=sender, to=tuple(to), cc=tuple(cc), date=when, **fields)


PAT = Address(ME, "Pat Weber")


# --- touches ------------------------------------------------------------------------------------
def test_my_mail_touches_each_person_i_wrote_to():
    greg = Address("greg@contoso.example", "Greg Hall")
    found = touches(message(PAT, DANA, cc=(greg, Address("pat@old.example"))), is_me)
    assert [(t.contact.email, t.mine) for t in found] == [("dana@northwind.example", True),
                                                        ("greg@contoso.example", True)]


def test_their_mail_to_me_touches_the_sender():
    (found,) = touches(message(DANA, PAT, message_id="d1@northwind.example"), is_me)
    assert (found.contact, found.mine, found.message_id) == (DANA, False, "d1@northwind.example")


@pytest.mark.parametrize("case", ["automated", "list", "undated", "crowd", "machine sender", "not to me",
                                  "machine recipient"])
def test_what_is_not_a_personal_conversation_touches_nobody(case):
    others = [Address(f"p{n}@team.example") for n in range(4)]
    cases = {
        "automated": message(DANA, PAT, automated="Auto-Submitted: auto-replied"),
        "list": message(DANA, PAT, list_mail=True),
        "undated": message(DANA, PAT, when=None),
        "crowd": message(PAT, DANA, *others),  # five people: a team mail, not a conversation
        "machine sender": message(Address("noreply@shop.example"), PAT),
        "not to me": message(DANA, Address("greg@contoso.example")),
        "machine recipient": message(PAT, Address("notifications@github.example")),
    }
    assert touches(cases[case], is_me) == []


# --- the ledger ---------------------------------------------------------------------------------
def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 10, tzinfo=UTC)


def test_the_ledger_keeps_the_latest_touch_each_way_and_is_idempotent():
    first = Touch(DANA, at(6, 1), True, "Pricing", "m1@example.com")
    answer = Touch(Address(DANA.email, "Dana L."), at(6, 3), False, "Re: Pricing", "d1@northwind.example")
    older = Touch(DANA, at(5, 1), True, "Intro", "m0@example.com")
    contact = note(note(note(None, first), answer), older)
    assert (contact.last_from_me, contact.last_from_them) == (at(6, 1), at(6, 3))
    assert (contact.subject, contact.message_id, contact.name) == ("Re: Pricing", "d1@northwind.example", "Dana L.")
    assert contact.two_way and contact.last_touch == at(6, 3)
    assert note(note(contact, answer), first) == contact  # seen again: nothing changes


def test_one_way_mail_is_not_a_conversation():
    only_mine = note(None, Touch(DANA, at(6, 1), True, "Pricing", "m1@example.com"))
    assert not only_mine.two_way
    assert gone_silent([only_mine], at(11, 17), timedelta(days=90), lambda c: False) == []


def test_gone_silent_is_the_most_recently_silent_first_and_honours_skip():
    def two_way(email: str, last: datetime) -> Contact:
        return Contact(email, last_from_me=last - timedelta(days=1), last_from_them=last)

    contacts = [two_way("a@x.example", at(5, 1)), two_way("b@x.example", at(8, 1)),
                two_way("c@x.example", at(9, 1)), two_way("d@x.example", at(10, 1))]
    found = gone_silent(contacts, at(11, 17), timedelta(days=60), lambda c: c.email == "b@x.example")
    assert [c.email for c in found] == ["c@x.example", "a@x.example"]  # d: only 47 days; b: skipped


def test_a_suggestion_is_made_once_per_silence():
    contact = Contact("dana@northwind.example", last_from_me=at(6, 1), last_from_them=at(6, 3))
    assert keep_in_touch.already_suggested(contact, {"dana@northwind.example": at(6, 3)})
    assert not keep_in_touch.already_suggested(contact, {"dana@northwind.example": at(4, 1)})  # an older silence
    assert not keep_in_touch.already_suggested(contact, {})


# --- through the sync -----------------------------------------------------------------------------
AFTER = timedelta(days=90)


def conversation(source: FakeSource, who: str, days_ago: float, n: int = 1) -> None:
    """My question ``days_ago`` days before NOW and their answer a day later."""
    name = who.split("@")[0].title()
    mid = f"ask{n}.{who.replace('@', '.')}"
    source.append("Sent", make_raw(sender=f"Pat Weber <{ME}>", to=f"{name} <{who}>", subject=f"Catch-up {n}",
                                   body="Could you tell me how the pilot went?", date=NOW - timedelta(days=days_ago),
                                   message_id=mid))
    source.append("INBOX", make_raw(sender=f"{name} <{who}>", to=ME, subject=f"Re: Catch-up {n}",
                                    body="It went well, thanks!", date=NOW - timedelta(days=days_ago - 1),
                                    message_id=f"re.{mid}", in_reply_to=mid, references=[mid]))


def sync(source, state, now=NOW, after=AFTER):
    with Store.open(state, "test") as store:
        summary = run_once(replace(policy(), keep_in_touch_after=after), source, store, now)
        store.commit()
        return summary, {r["contact"][0]: dict(r) for r in store.reminders() if r["kind"] == keep_in_touch.KIND}


@pytest.fixture
def source():
    source = FakeSource()
    source.add_folder("INBOX")
    source.add_folder("Sent")
    return source


def test_a_silent_two_way_conversation_is_suggested_and_a_recent_or_one_way_one_is_not(source, tmp_path):
    conversation(source, "dana@northwind.example", 120)
    conversation(source, "greg@contoso.example", 60)  # silent for only 59 days
    source.append("Sent", make_raw(sender=f"Pat Weber <{ME}>", to="olga@fabrikam.example", subject="Offer",
                                   body="Would this work for you?", date=NOW - timedelta(days=150),
                                   message_id="offer@example.com"))  # never answered: not a conversation
    summary, found = sync(source, tmp_path / "state.json")
    assert list(found) == ["dana@northwind.example"]
    dana = found["dana@northwind.example"]
    assert (dana["status"], dana["due"], dana["subject"]) == ("open", "2026-11-17", "Re: Catch-up 1")
    assert dana["last_message_id"] == "re.ask1.dana.northwind.example"
    assert summary.opened == 1 and summary.open_reminders == 1


def test_off_by_default(source, tmp_path):
    conversation(source, "dana@northwind.example", 120)
    with Store.open(tmp_path / "state.json", "test") as store:
        run_once(policy(), source, store, NOW)
        assert [r for r in store.reminders() if r["kind"] == keep_in_touch.KIND] == []
        assert store.contacts() == {}


def test_at_most_two_a_day_and_two_open_at_a_time(source, tmp_path):
    for n, who in enumerate(("a@one.example", "b@two.example", "c@three.example", "d@four.example")):
        conversation(source, who, 100 + 10 * n, n)
    state = tmp_path / "state.json"
    _, found = sync(source, state)
    assert sorted(who for who, r in found.items() if r["status"] == "open") == ["a@one.example", "b@two.example"]
    _, found = sync(source, state, NOW + timedelta(days=1))  # still two open: no room
    assert len(found) == 2
    with Store.open(state, "test") as store:
        actions.mark_done(store, found["a@one.example"]["id"], NOW)
        actions.mark_done(store, found["b@two.example"]["id"], NOW)
        store.commit()
    _, found = sync(source, state, NOW + timedelta(hours=1))  # the same day: two were opened already
    assert sorted(who for who, r in found.items() if r["status"] == "open") == []
    _, found = sync(source, state, NOW + timedelta(days=1))
    assert sorted(who for who, r in found.items() if r["status"] == "open") == ["c@three.example", "d@four.example"]
    assert found["a@one.example"]["status"] == "closed"  # done stays done for this silence


def test_writing_to_them_ends_the_suggestion_and_a_later_silence_brings_a_new_one(source, tmp_path):
    conversation(source, "dana@northwind.example", 120)
    state = tmp_path / "state.json"
    _, found = sync(source, state)
    assert found["dana@northwind.example"]["status"] == "open"
    conversation(source, "dana@northwind.example", 2, n=2)
    _, found = sync(source, state)
    assert found["dana@northwind.example"]["status"] == "closed"
    assert found["dana@northwind.example"]["closed_reason"] == "you are back in touch"
    _, found = sync(source, state, NOW + timedelta(days=95))
    assert found["dana@northwind.example"]["status"] == "open"
    assert found["dana@northwind.example"]["subject"] == "Re: Catch-up 2"


def test_stop_means_never_again_and_a_muted_contact_is_not_suggested(source, tmp_path):
    conversation(source, "dana@northwind.example", 120)
    conversation(source, "greg@contoso.example", 130)
    state = tmp_path / "state.json"
    _, found = sync(source, state)
    with Store.open(state, "test") as store:
        assert "no more keep-in-touch suggestions" in actions.stop(store, found["dana@northwind.example"]["id"], NOW).summary
        actions.mute(store, "@contoso.example", NOW)
        store.commit()
    conversation(source, "dana@northwind.example", 100, n=2)  # talked again, then silent again
    _, found = sync(source, state, NOW + timedelta(days=1))
    assert found["dana@northwind.example"]["status"] == "closed"
    assert found["greg@contoso.example"]["status"] == "closed"


def test_contacts_with_an_open_reminder_are_not_suggested(source, tmp_path):
    conversation(source, "dana@northwind.example", 120)
    source.append("Sent", make_raw(sender=f"Pat Weber <{ME}>", to="Dana Lee <dana@northwind.example>",
                                   subject="New pricing", body="Could you confirm the new prices?",
                                   date=NOW - timedelta(days=100), message_id="new@example.com"))
    with Store.open(tmp_path / "state.json", "test") as store:
        run_once(replace(policy(), keep_in_touch_after=AFTER, lookback=timedelta(days=120)), source, store, NOW)
        kinds = sorted(r["kind"] for r in store.reminders() if r["status"] == "open")
    assert kinds == ["no_reply"]


def test_turning_it_on_later_reads_older_mail_once(source, tmp_path):
    conversation(source, "dana@northwind.example", 120)
    state = tmp_path / "state.json"
    with Store.open(state, "test") as store:
        run_once(policy(), source, store, NOW)  # keep-in-touch off: only the 30-day lookback is read
        store.commit()
    fetches = source.header_fetches
    _, found = sync(source, state, NOW + timedelta(hours=1))
    assert found["dana@northwind.example"]["status"] == "open"
    assert source.header_fetches > fetches
    fetches = source.header_fetches
    sync(source, state, NOW + timedelta(hours=2))
    assert source.header_fetches == fetches  # read back once: nothing new, nothing fetched


# --- the nudge ----------------------------------------------------------------------------------
def test_the_nudge_line_and_the_draft(source, tmp_path):
    conversation(source, "dana@northwind.example", 120)
    _, found = sync(source, tmp_path / "state.json")
    item = reminder_from_record(found["dana@northwind.example"])
    zone = NOW.tzinfo
    assert describe(item, NOW.date(), zone) == ["You and Dana last wrote on Tue 21 Jul, 4 months ago. Time to check in?"]
    text = draft(item, NOW.date(), zone, "Pat Weber")
    assert text.startswith("Hi Dana,\n\nIt's been a while since we last wrote, about “Catch-up 1” back in July")
    assert "Would a 15-minute call on Thursday work?" not in text  # lowered into the sentence
    assert "would a 15-minute call on Thursday work?" in text


@pytest.mark.parametrize("days, words", [(10, "1 week"), (45, "6 weeks"), (95, "3 months"), (370, "1 year"),
                                         (500, "over 1 year"), (760, "2 years"), (800, "over 2 years")])
def test_silence_reads_like_people_say_it(days, words):
    today = NOW.date()
    assert silence(today - timedelta(days=days), today) == words
