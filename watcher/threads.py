"""Messages into conversations: JWZ threading on Message-ID, In-Reply-To and References.

Terminology
-----------
thread
    A reply tree: every message linked to the others by reply headers, plus the "ghost" ids of
    messages that are referenced but were never seen (deleted, outside the lookback, in a folder
    we don't watch). ``Thread.root_id`` is the top of the tree and stays the same when a ghost
    later turns up.
subject fallback
    Some clients (and people who "reply" by writing a new mail) send answers without reply
    headers. Such a message joins a thread only when it has *no* reply headers at all, its
    subject is a reply subject ("RE:", "AW:", ...) of the same base subject, its sender already
    took part in the thread, and it came within ``SUBJECT_FALLBACK_WINDOW`` of the thread's last
    message. Merely sharing a participant is not enough: the mailbox owner is in every thread.

See https://www.jwz.org/doc/threading.html. The general subject merging of JWZ's step 5 is left
out on purpose: it joins unrelated mails that happen to share a subject ("Invoice", "Hello").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from watcher.model import Message, Thread
from watcher.subjects import base_subject, is_reply_subject

SUBJECT_FALLBACK_WINDOW = timedelta(days=14)


class _Container:
    __slots__ = ("id", "message", "parent", "children")

    def __init__(self, message_id: str):
        self.id = message_id
        self.message: Message | None = None
        self.parent: _Container | None = None
        self.children: list[_Container] = []


def _is_ancestor(candidate: _Container, of: _Container) -> bool:
    """True if ``candidate`` is ``of`` or one of its ancestors."""
    node: _Container | None = of
    while node is not None:
        if node is candidate:
            return True
        node = node.parent
    return False


def _link(parent: _Container, child: _Container) -> None:
    if child.parent is not None:
        child.parent.children.remove(child)
    child.parent = parent
    parent.children.append(child)


def _sort_key(message: Message) -> tuple:
    return (message.date is not None, message.date or datetime.min, message.message_id)


def build_threads(messages: Iterable[Message]) -> list[Thread]:
    """Given messages (ids normalised), return their threads, ordered by first message.

    Each thread's messages are ordered by date (undated first). A Message-ID seen twice (the
    same mail in two folders) counts once, the first one in date order wins."""
    containers: dict[str, _Container] = {}

    def container(message_id: str) -> _Container:
        found = containers.get(message_id)
        if found is None:
            found = containers[message_id] = _Container(message_id)
        return found

    for message in sorted(messages, key=_sort_key):
        this = container(message.message_id)
        if this.message is not None:
            continue  # a duplicate of a message already placed
        this.message = message
        references = [container(mid) for mid in message.parent_ids]
        # Chain the references, oldest first, without changing links made earlier and never
        # making a loop (broken References headers exist in the wild).
        for parent, child in zip(references, references[1:]):
            if child.parent is None and not _is_ancestor(child, parent):
                _link(parent, child)
        if references:
            parent = references[-1]
            if this.parent is not parent and not _is_ancestor(this, parent):
                _link(parent, this)  # the message's own headers are the best evidence of its parent

    groups = _trees(containers.values())
    _merge_headerless_replies(groups)
    threads = [_thread(root, members) for root, members in groups.items() if members is not None]
    threads = [t for t in threads if t.messages]
    threads.sort(key=lambda t: (_sort_key(t.messages[0]), t.root_id))
    return threads


def _trees(containers: Iterable[_Container]) -> dict[_Container, list[_Container] | None]:
    """Map each root container to every container in its tree (walked without recursion)."""
    groups: dict[_Container, list[_Container] | None] = {}
    for root in containers:
        if root.parent is not None:
            continue
        members, stack = [], [root]
        while stack:
            node = stack.pop()
            members.append(node)
            stack.extend(node.children)
        groups[root] = members
    return groups


def _merge_headerless_replies(groups: dict[_Container, list[_Container] | None]) -> None:
    """The subject fallback: move a headerless reply's tree into the thread it answers."""
    by_subject: dict[str, list[_Container]] = {}
    candidates = []
    for root, members in groups.items():
        for node in members:
            message = node.message
            if message is None:
                continue
            key = base_subject(message.subject)
            if key:
                by_subject.setdefault(key, [])
                if not by_subject[key] or by_subject[key][-1] is not root:
                    by_subject[key].append(root)
        if (root.message is not None and not root.message.parent_ids and root.message.date is not None
                and root.message.sender is not None and is_reply_subject(root.message.subject)):
            candidates.append(root)
    candidates.sort(key=lambda c: _sort_key(c.message))
    for candidate in candidates:
        message = candidate.message
        best, best_date = None, None
        for root in by_subject.get(base_subject(message.subject), ()):
            members = groups.get(root)
            if root is candidate or members is None:
                continue
            latest = _answers(members, message)
            if latest is not None and (best_date is None or latest > best_date):
                best, best_date = root, latest
        if best is not None:
            groups[best].extend(groups[candidate])
            groups[candidate] = None


def _answers(members: list[_Container], reply: Message) -> datetime | None:
    """If ``reply`` can answer the thread made of ``members``, return the date of the thread's
    latest message before it; otherwise None."""
    dated = [n.message for n in members if n.message is not None and n.message.date is not None]
    earlier = [m for m in dated if m.date < reply.date]
    if not earlier:
        return None  # an answer comes after the mail it answers
    latest = max(m.date for m in earlier)
    if reply.date - latest > SUBJECT_FALLBACK_WINDOW:
        return None
    sender = reply.sender.email
    participants = {a.email for m in dated for a in ((m.sender,) if m.sender else ()) + m.recipients}
    return latest if sender in participants else None


def _thread(root: _Container, members: list[_Container]) -> Thread:
    messages = sorted((n.message for n in members if n.message is not None), key=_sort_key)
    return Thread(root_id=root.id, messages=messages, ids={n.id for n in members})


def thread_index(threads: Iterable[Thread]) -> dict[str, Thread]:
    """Map every message id in every thread (ghosts included) to its thread."""
    return {mid: thread for thread in threads for mid in thread.ids}
