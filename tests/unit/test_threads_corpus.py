"""Threading real mail from the shared corpora, read in place (never copied into the repo).

The notmuch corpora are mailing-list archives with full Message-ID, In-Reply-To and References
headers; the Enron messages have none of those (the CMU export dropped them), so there threads
can only come from the subject fallback.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from watcher.model import Message
from watcher.parse import parse_headers
from watcher.subjects import base_subject, is_reply_subject
from watcher.threads import SUBJECT_FALLBACK_WINDOW, build_threads, thread_index

NOTMUCH = "fixtures/notmuch-corpora"


def load(folder: Path, pattern: str = "*") -> list[Message]:
    """Parse every file under ``folder`` matching ``pattern``; the folder is the path's parent."""
    return [parse_headers(path.read_bytes(), folder=str(path.parent.relative_to(folder)))
            for path in sorted(folder.rglob(pattern)) if path.is_file()]


def reply_graph_components(messages: list[Message]) -> int:
    """Count the connected components of "names as parent" among messages and the ids they name:
    an independent oracle for how many threads well-formed reply headers make."""
    neighbours: dict[str, set[str]] = {}
    for message in messages:
        neighbours.setdefault(message.message_id, set())
        for parent in message.parent_ids:
            neighbours[message.message_id].add(parent)
            neighbours.setdefault(parent, set()).add(message.message_id)
    seen: set[str] = set()
    components = 0
    for message in messages:
        if message.message_id in seen:
            continue
        components += 1
        stack = [message.message_id]
        seen.add(message.message_id)
        while stack:
            for other in neighbours[stack.pop()] - seen:
                seen.add(other)
                stack.append(other)
    return components


@pytest.mark.parametrize("archive", ["lkml", "default"])
def test_a_list_archive_threads_by_its_reply_headers(corpora, archive):
    messages = load(corpora / NOTMUCH / archive)
    distinct = {m.message_id for m in messages}
    assert len(distinct) > 40   # the corpus is there and parsed
    threads = build_threads(messages)
    index = thread_index(threads)

    placed = [m.message_id for t in threads for m in t.messages]
    assert Counter(placed) == Counter(distinct)          # nothing lost, nothing twice
    for message in messages:                             # every named parent is in the same thread
        for parent in message.parent_ids:
            assert index[parent] is index[message.message_id], (message.message_id, parent)
    assert len(threads) == reply_graph_components(messages) < len(distinct)
    for thread in threads:
        assert thread.root_id in thread.ids
        dates = [m.date for m in thread.messages]
        assert None not in dates and dates == sorted(dates)


def test_lkml_has_long_threads(corpora):
    threads = build_threads(load(corpora / NOTMUCH / "lkml"))
    sizes = sorted((len(t.messages) for t in threads), reverse=True)
    assert sizes[0] >= 20 and sum(sizes) == 176, sizes


def test_ghost_roots_from_the_notmuch_threading_corpus(corpora):
    threads = build_threads(load(corpora / NOTMUCH / "threading" / "ghost-root"))
    by_root = {t.root_id: t for t in threads}
    ticket_id = "rt-ticket-33575@xxxxxxx-xxxxxxxxxxxxxxxxx-xxxxxxxxx-xxxxxxxxx.de"
    assert set(by_root) == {"000-real-root@example.org", ticket_id}
    real = by_root["000-real-root@example.org"]
    # fake-root's In-Reply-To names a message that does not exist, but its References place it.
    assert {m.message_id for m in real.messages} == {
        "000-real-root@example.org", "001-child@example.org", "001-grand-child@example.org",
        "001-grand-child2@example.org", "001-great-grand-child@example.org",
        "001-fake-message-root@example.org"}
    assert "nonexistent-message@example.org" in real.ids
    # A request tracker's messages all reference the ticket, which is never a message itself:
    # the ghost ticket id holds the user's mail, the auto-reply and the resolution together.
    ticket = by_root[ticket_id]
    assert len(ticket.messages) == 3
    assert ticket.messages[0].message_id == "87bmc6lp3h.fsf@len.workgroup"


def test_duplicate_message_ids_from_the_notmuch_corpus_count_once(corpora):
    messages = load(corpora / NOTMUCH / "duplicate")
    threads = build_threads(messages)
    placed = Counter(m.message_id for t in threads for m in t.messages)
    assert len(messages) > len(placed)
    assert set(placed) == {m.message_id for m in messages} and set(placed.values()) == {1}


def test_the_same_mail_in_two_folders_makes_no_second_thread(corpora):
    root = corpora / "enron" / "quagga-zoning"
    one_folder = load(root / "annotated_all", "*.txt")
    both_folders = load(root, "*.txt")
    assert len(both_folders) == 2 * len(one_folder) > 0
    alone, together = build_threads(one_folder), build_threads(both_folders)
    assert len(together) == len(alone)
    assert sum(len(t.messages) for t in together) == len(one_folder)


def test_enron_mail_without_reply_headers_threads_only_through_the_gated_fallback(corpora):
    messages = [m for m in load(corpora / "enron" / "berkeley-categories", "*.txt")
                if m.date is not None]
    assert not any(m.parent_ids for m in messages)
    threads = build_threads(messages)
    joined = [t for t in threads if len(t.messages) > 1]
    assert len(joined) >= 50       # headerless replies do find their conversations
    assert len(threads) > len(messages) / 2   # but most mail stays alone
    for thread in joined:
        assert len({base_subject(m.subject) for m in thread.messages}) == 1, thread.subject
        for position, message in enumerate(thread.messages[1:], start=1):
            earlier = thread.messages[:position]
            assert is_reply_subject(message.subject), message.subject
            assert message.date - earlier[-1].date <= SUBJECT_FALLBACK_WINDOW
            participants = {a.email for m in earlier for a in (m.sender, *m.recipients) if a}
            assert message.sender.email in participants
