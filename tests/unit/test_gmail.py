"""Gmail: its conversation ids (X-GM-THRID) are fetched where the server offers them, kept in the
state and used for threading; its All Mail, Important and Starred views are never watched."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from tests.fakes import FakeSource, make_raw
from tests.unit.test_imap_wire import FIELDS, HEADER, FakeClient
from tests.unit.test_sync import ME, NOW, policy, question
from watcher.imap_source import ImapSource
from watcher.source import FolderListing, choose_folders
from watcher.store import Store
from watcher.sync import run_once


class RecordingImaplib:
    def __init__(self, data):
        self.data = data
        self.items: list[str] = []

    def uid(self, command, uid_set, items):
        self.items.append(items)
        return "OK", self.data


class GmailClient(FakeClient):
    def capabilities(self):
        return (b"IMAP4REV1", b"X-GM-EXT-1")


def test_gmail_servers_are_asked_for_the_conversation_id_and_others_are_not():
    data = [(b'1 (UID 4 X-GM-THRID 1789012345678901234 RFC822.SIZE 10 ' + FIELDS + b" {%d}" % len(HEADER), HEADER),
            b")"]
    gmail = RecordingImaplib(data)
    fetched = ImapSource(GmailClient(gmail, {}), "gmail").fetch_headers([4])
    assert "X-GM-THRID" in gmail.items[0]
    assert fetched[0].gm_thread == "1789012345678901234"
    other = RecordingImaplib(data)
    ImapSource(FakeClient(other, {}), "dovecot").fetch_headers([4])
    assert "X-GM-THRID" not in other.items[0]


class GmailSource(FakeSource):
    """The in-memory source, giving each message the conversation id the test sets."""

    def __init__(self):
        super().__init__(special_use={"[Gmail]/Sent Mail": "\\sent", "[Gmail]/All Mail": "\\all"})
        self.conversations: dict[tuple[str, int], str] = {}

    def fetch_headers(self, uids):
        return [replace(f, gm_thread=self.conversations.get((self.selected, f.uid)))
                for f in super().fetch_headers(uids)]


def test_a_reply_without_headers_in_the_same_gmail_conversation_answers_my_question(tmp_path):
    source = GmailSource()
    for folder in ("[Gmail]/Sent Mail", "INBOX", "[Gmail]/All Mail"):
        source.add_folder(folder)
    asked = question(6)
    uid = source.append("[Gmail]/Sent Mail", asked)
    source.conversations[("[Gmail]/Sent Mail", uid)] = "42"
    answer = make_raw(sender="Dana Lee <dana@northwind.example>", to=ME, subject="prices",
                      body="Attached.", date=NOW - timedelta(days=1), message_id="answer@northwind.example")
    source.conversations[("INBOX", source.append("INBOX", answer))] = "42"
    source.append("[Gmail]/All Mail", asked)  # Gmail's copy of everything: never read
    with Store.open(tmp_path / "state.json", "test") as store:
        summary = run_once(policy(folders=("*",)), source, store, NOW)
        assert summary.folders == ["[Gmail]/Sent Mail", "INBOX"]
        reminders = store.reminders()
        assert store.messages()["answer@northwind.example"].gm_thread == "42"
    assert [r for r in reminders if r["status"] == "open"] == []  # answered, though subject and headers differ


def test_without_the_conversation_id_the_same_mail_stays_unanswered(tmp_path):
    source = GmailSource()
    for folder in ("[Gmail]/Sent Mail", "INBOX"):
        source.add_folder(folder)
    source.append("[Gmail]/Sent Mail", question(6))
    source.append("INBOX", make_raw(sender="Dana Lee <dana@northwind.example>", to=ME, subject="prices",
                                    body="Attached.", date=NOW - timedelta(days=1),
                                    message_id="answer@northwind.example"))
    with Store.open(tmp_path / "state.json", "test") as store:
        run_once(policy(folders=("*",)), source, store, NOW)
        assert [r["kind"] for r in store.reminders() if r["status"] == "open"] == ["no_reply"]


def test_gmail_views_that_repeat_every_message_are_never_watched():
    listing = [FolderListing("INBOX"), FolderListing("[Gmail]/Sent Mail", frozenset({"\\sent"})),
               FolderListing("[Gmail]/All Mail", frozenset({"\\all"})),
               FolderListing("[Gmail]/Important", frozenset({"\\important"})),
               FolderListing("[Gmail]/Starred", frozenset({"\\flagged"})),
               FolderListing("[Google Mail]/Important"), FolderListing("Clients/Acme")]
    _sent, watched, _warnings = choose_folders(listing, "auto", ("*",), "imap")
    assert watched == ["[Gmail]/Sent Mail", "INBOX", "Clients/Acme"]
