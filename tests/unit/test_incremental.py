"""Deriving only the threads new mail joins gives the same reminders as deriving every thread, and
the sync knows when it must derive every thread (or nothing at all)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bench.genmail import ME, Generator
from tests.fakes import FakeSource
from tests.unit.test_sync import BERLIN, NOW, mailbox, policy, question, reply
from watcher import actions, sync
from watcher.store import Store

DERIVED = ("key", "id", "kind", "status", "subject", "contact", "since", "due", "thread", "last_message_id",
           "followups", "max_followups", "snippet", "text")


def generated_mail(seed: int, count: int):
    """Realistic mail (bench/genmail.py) from the 40 days before NOW, oldest first."""
    generator = Generator(seed=seed, now=NOW.astimezone(timezone.utc), span=timedelta(days=40))
    return sorted(generator.mailbox(count), key=lambda mail: mail.arrived)


def load(source: FakeSource, mails) -> None:
    for mail in mails:
        source.append(mail.folder, mail.raw.replace(b"\n", b"\r\n"))


def open_reminders(store: Store) -> dict[str, dict]:
    return {r["key"]: {k: r.get(k) for k in DERIVED} for r in store.reminders()
            if r["status"] == "open" or r["kind"] == "decline"}


def me_policy(**overrides):
    return policy(is_me=lambda address: address.lower() == ME[1], **overrides)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mail_arriving_in_batches_gives_the_reminders_of_one_full_derivation(tmp_path, monkeypatch, seed):
    mails = generated_mail(seed, 700)
    batches = [mails[i:i + 100] for i in range(0, len(mails), 100)]
    touched_runs = []
    real = sync.update_reminders

    def spy(policy_, store, index, now, summary, touched=None):
        touched_runs.append(touched)
        return real(policy_, store, index, now, summary, touched)

    monkeypatch.setattr(sync, "update_reminders", spy)
    growing = mailbox()
    growing.add_folder("Archive")
    seen = []
    for number, batch in enumerate(batches):
        load(growing, batch)
        seen += batch
        with Store.open(tmp_path / "growing.json", "test") as store:
            sync.run_once(me_policy(), growing, store, NOW)
            got = open_reminders(store)
        whole = mailbox()
        whole.add_folder("Archive")
        load(whole, seen)
        with Store.open(tmp_path / f"whole-{number}.json", "test") as store:
            sync.run_once(me_policy(), whole, store, NOW)
            expected = open_reminders(store)
        assert got == expected, f"batch {number}"
    assert len(expected) > 20, "the generated mail should leave plenty of open reminders"
    # The first sync derived everything; the later ones only the threads their mail joined.
    growing_runs = touched_runs[0::2]
    assert growing_runs[0] is None
    assert all(touched for touched in growing_runs[1:])


def run(source, tmp_path, now=NOW, **overrides):
    with Store.open(tmp_path / "state.json", "test") as store:
        summary = sync.run_once(policy(**overrides), source, store, now)
        return summary, {r["key"]: r for r in store.reminders()}


@pytest.fixture
def calls(monkeypatch):
    """How each sync derived: None (every thread), a set of Message-IDs, or not at all."""
    seen: list = []
    real = sync.update_reminders

    def spy(policy_, store, index, now, summary, touched=None):
        seen.append(touched)
        return real(policy_, store, index, now, summary, touched)

    monkeypatch.setattr(sync, "update_reminders", spy)
    return seen


def test_nothing_new_derives_nothing_and_reads_no_index(tmp_path, calls, monkeypatch):
    source = mailbox()
    source.append("Sent", question(9))
    run(source, tmp_path)
    assert calls == [None]
    monkeypatch.setattr(Store, "messages", lambda self: pytest.fail("the index was read"))
    summary, reminders = run(source, tmp_path)
    assert calls == [None] and summary.writes == 0 and summary.open_reminders == 1


def test_new_mail_derives_only_its_threads(tmp_path, calls):
    source = mailbox()
    source.append("Sent", question(9))
    source.append("Sent", question(8, mid="q2@example.com", to="Greg <greg@contoso.example>", subject="Other"))
    run(source, tmp_path)
    source.append("INBOX", reply(1, "q1@example.com"))
    _, reminders = run(source, tmp_path)
    assert calls == [None, {"r1@northwind.example"}]
    assert reminders["no_reply:q1@example.com"]["status"] == "closed"
    assert reminders["no_reply:q2@example.com"]["status"] == "open"


def test_a_changed_configuration_derives_every_thread_without_new_mail(tmp_path, calls):
    source = mailbox()
    source.append("Sent", question(9))
    _, before = run(source, tmp_path)
    _, after = run(source, tmp_path, track="all", promise_default_due=timedelta(days=5))
    assert calls == [None, None]
    _, again = run(source, tmp_path, track="all", promise_default_due=timedelta(days=5))
    assert calls == [None, None], "the same configuration again derives nothing"


def test_a_change_by_another_command_derives_every_thread_next_time(tmp_path, calls):
    source = mailbox()
    source.append("Sent", question(9))
    run(source, tmp_path)
    with Store.open(tmp_path / "state.json", "cli") as store:
        reminder = next(r for r in store.reminders() if r["status"] == "open")
        actions.mute(store, "@northwind.example", NOW)
        store.commit()
    run(source, tmp_path)
    assert calls == [None, None]


def test_the_first_sync_of_a_day_derives_every_thread(tmp_path, calls):
    source = mailbox()
    source.append("Sent", question(9))
    run(source, tmp_path)
    run(source, tmp_path, now=NOW + timedelta(hours=1))
    run(source, tmp_path, now=NOW + timedelta(days=1))
    assert calls == [None, None]


class BreaksInFolder(FakeSource):
    """Fails while reading one folder, once."""

    def __init__(self, folder):
        super().__init__()
        self.broken = folder

    def fetch_headers(self, uids):
        if self.selected == self.broken:
            self.broken = None
            from watcher.errors import SourceError
            raise SourceError("connection lost")
        return super().fetch_headers(uids)


def test_a_sync_cut_short_keeps_the_folders_it_finished_and_the_next_derives_everything(tmp_path, calls):
    from watcher.errors import SourceError

    source = BreaksInFolder("nothing yet")
    source.add_folder("Sent")
    source.add_folder("INBOX")
    source.append("Sent", question(9))
    run(source, tmp_path)
    source.append("Sent", question(2, mid="q3@example.com", to="Greg <greg@contoso.example>", subject="Other"))
    source.append("INBOX", reply(1, "q1@example.com"))
    source.broken = "INBOX"
    with pytest.raises(SourceError):
        run(source, tmp_path)
    with Store.open(tmp_path / "state.json", "test") as store:
        assert set(store.messages()) == {"q1@example.com", "q3@example.com"}  # Sent was read completely
        assert store.cursor("Sent")["last_uid"] == 2 and store.cursor("INBOX")["last_uid"] == 0
        assert [r["key"] for r in store.reminders()] == ["no_reply:q1@example.com"]  # not derived yet
    _, reminders = run(source, tmp_path)
    # Only the INBOX reply is new to this sync, but the Sent mail of the sync cut short was never
    # derived: every thread is.
    assert calls == [None, None]
    assert reminders["no_reply:q1@example.com"]["status"] == "closed"
    assert reminders["no_reply:q3@example.com"]["status"] == "open"


def test_one_write_per_sync(tmp_path):
    source = mailbox()
    for day in range(5):
        source.append("Sent", question(9 + day, mid=f"q{day}@example.com", subject=f"Topic {day}"))
        source.append("INBOX", reply(8 + day, f"q{day}@example.com", mid=f"r{day}@northwind.example",
                                     subject=f"Re: Topic {day}"))
    summary, _ = run(source, tmp_path)
    assert summary.writes == 1
    source.append("INBOX", reply(1, "q1@example.com", mid="late@northwind.example"))
    source.append("Sent", question(1, mid="new@example.com", subject="New"))
    summary, _ = run(source, tmp_path)
    assert summary.new_messages == 2 and summary.writes == 1
