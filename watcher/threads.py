"""Messages -> Threads: JWZ threading (https://www.jwz.org/doc/threading.html) on reply headers.

Terminology
-----------
thread
    A conversation: messages linked by References or In-Reply-To, directly or through ids we
    never saw, plus the rare headerless reply that the subject fallback attaches.
ghost
    A message id that some message names as an ancestor but which is not among the messages
    given (deleted, older than the lookback, in an unwatched folder). It has no ``Message`` but
    holds its thread together: two replies to the same unseen mail are one thread.
root
    The top of a thread's reply tree, ghost or real: ``Thread.root_id``.
participant
    An address in the From, To or Cc of any message of a thread.
headerless reply
    A message with a reply subject ("RE: x", "AW: x") but neither In-Reply-To nor References,
    as some clients and some people who "answer" with a new mail produce.

How this differs from JWZ's algorithm:

* A message's own parent (the last of ``Message.parent_ids``) is linked before any inferred link
  from other messages' References, so JWZ's "throw away the presumed parent" step is never
  needed and links are only ever added. A union-find over the trees then refuses any link that
  would close a loop in near-constant time, without walking up deep trees.
* Empty containers are not pruned: a ghost at the top stays the root, so ``root_id`` does not
  change when a second reply to it arrives.
* There is no general subject grouping (step 5), which joins unrelated mail that merely shares
  a subject ("Invoice", "Hello"). Only the narrow fallback in ``_attach_headerless_replies``.
* Of several messages with one Message-ID (one mail in two folders) the first in date order is
  kept and the others are ignored, so a copy never makes a second thread.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone

from watcher.model import Address, Message, Thread
from watcher.subjects import base_subject, is_reply_subject

# How long after a thread's latest message a headerless reply may still join it.
SUBJECT_FALLBACK_WINDOW = timedelta(days=14)

_UNDATED = datetime.min.replace(tzinfo=timezone.utc)


def message_order(message: Message) -> tuple:
    """Sort key for messages in a thread: undated first, then by date, ties by message id."""
    if message.date is None:
        return (0, _UNDATED, message.message_id)
    return (1, message.date, message.message_id)


class _Forest:
    """Reply trees over message ids, numbered in the order they were first seen.

    Links are only added, and only to a node that has no parent yet (the root of its tree), so
    a link closes a loop exactly when both ends are already in the same tree; a union-find over
    the trees answers that, and also which node is at the top of each tree.
    """

    def __init__(self) -> None:
        self.number: dict[str, int] = {}
        self.ids: list[str] = []
        self.messages: list[Message | None] = []
        self.has_parent: list[bool] = []
        self.referrer: dict[int, int] = {}  # ghost -> the first real message that named it
        self._joined_to: list[int] = []     # union-find parent pointer
        self._size: list[int] = []
        self._top: list[int] = []           # for a tree's representative: its root

    def add_message(self, message: Message) -> int | None:
        """Add a real message; return its node, or None if its id was already added."""
        if message.message_id in self.number:
            return None
        node = self._new(message.message_id)
        self.messages[node] = message
        return node

    def node(self, message_id: str, referrer: int) -> int:
        """Return the node of ``message_id``, creating a ghost named by ``referrer`` if new."""
        node = self.number.get(message_id)
        if node is None:
            node = self._new(message_id)
            self.referrer[node] = referrer
        return node

    def _new(self, message_id: str) -> int:
        node = len(self.ids)
        self.number[message_id] = node
        self.ids.append(message_id)
        self.messages.append(None)
        self.has_parent.append(False)
        self._joined_to.append(node)
        self._size.append(1)
        self._top.append(node)
        return node

    def tree(self, node: int) -> int:
        """Return the representative of the tree that holds ``node``."""
        joined_to = self._joined_to
        while joined_to[node] != node:
            joined_to[node] = joined_to[joined_to[node]]  # path halving
            node = joined_to[node]
        return node

    def root(self, node: int) -> int:
        """Return the node at the top of the tree that holds ``node``."""
        return self._top[self.tree(node)]

    def link(self, child: int, parent: int) -> bool:
        """Make ``parent`` the parent of ``child`` unless ``child`` already has one or the link
        would close a loop; return whether the link was made."""
        if self.has_parent[child]:
            return False
        child_tree, parent_tree = self.tree(child), self.tree(parent)
        if child_tree == parent_tree:  # parent is child itself or one of its descendants
            return False
        self.has_parent[child] = True
        top = self._top[parent_tree]
        if self._size[child_tree] > self._size[parent_tree]:
            child_tree, parent_tree = parent_tree, child_tree
        self._joined_to[child_tree] = parent_tree
        self._size[parent_tree] += self._size[child_tree]
        self._top[parent_tree] = top
        return True


def build_threads(messages: Iterable[Message]) -> list[Thread]:
    """Given messages with normalised ids, return their threads ordered by first message.

    Each thread holds its real messages ordered by ``message_order`` and every id of its tree,
    ghosts included. The result does not depend on the order of ``messages``, except which of
    several copies of one Message-ID with the same date is kept (the first).
    """
    forest = _Forest()
    nodes = [node for message in sorted(messages, key=message_order)
             if (node := forest.add_message(message)) is not None]
    chains: dict[int, list[int]] = {}
    for node in nodes:  # a message's own headers are the best evidence of its parent
        chain = [forest.node(mid, referrer=node) for mid in forest.messages[node].parent_ids]
        if chain:
            forest.link(node, chain[-1])
            chains[node] = chain
    for chain in chains.values():  # then what References say about the ancestors
        for parent, child in zip(chain, chain[1:]):
            forest.link(child, parent)
    _join_gmail_conversations(forest, nodes)
    headerless = [node for node in nodes if node not in chains]
    _attach_headerless_replies(forest, nodes, headerless)
    return _threads(forest)


def _join_gmail_conversations(forest: _Forest, nodes: list[int]) -> None:
    """Gmail names each message's conversation (X-GM-THRID): trees that one conversation id
    spans are joined under the tree of its earliest message, root to root, so a reply whose
    client dropped the reply headers lands where Gmail shows it. Ids never split a tree."""
    anchors: dict[str, int] = {}
    for node in nodes:  # in message order: the first message of each conversation anchors it
        conversation = forest.messages[node].gm_thread
        if not conversation:
            continue
        anchor = anchors.setdefault(conversation, node)
        if anchor != node and forest.tree(node) != forest.tree(anchor):
            forest.link(forest.root(node), forest.root(anchor))


def thread_index(threads: Iterable[Thread]) -> dict[str, Thread]:
    """Map every id in every thread's ``ids`` (ghosts included) to its thread."""
    return {message_id: thread for thread in threads for message_id in thread.ids}


class _Conversation:
    """What the subject fallback needs to know about one tree: its dates and participants."""

    __slots__ = ("dates", "participants", "subjects")

    def __init__(self) -> None:
        self.dates: list[datetime] = []
        self.participants: set[str] = set()
        self.subjects: set[str] = set()

    def add(self, message: Message, subject: str) -> None:
        """Count ``message``, whose base subject is ``subject``, as part of the conversation."""
        if message.date is not None:
            insort(self.dates, message.date)
        self.participants.update(address.email for address in _addresses(message))
        if subject:
            self.subjects.add(subject)

    def absorb(self, other: "_Conversation") -> None:
        """Take in ``other``, a tree just linked into this one."""
        for date in other.dates:
            insort(self.dates, date)
        self.participants |= other.participants
        self.subjects |= other.subjects

    def latest_answered_by(self, reply: Message) -> datetime | None:
        """Return the date of this conversation's latest message before ``reply`` if ``reply``
        may answer it: it comes after the first message, within ``SUBJECT_FALLBACK_WINDOW`` of
        that latest one, from a participant, and to a participant when it names anyone besides
        its sender (I am in every thread, so my headerless mail must also be to someone in it).
        """
        earlier = bisect_left(self.dates, reply.date)
        if earlier == 0:
            return None
        latest = self.dates[earlier - 1]
        if reply.date - latest > SUBJECT_FALLBACK_WINDOW:
            return None
        sender = reply.sender.email
        if sender not in self.participants:
            return None
        others = {address.email for address in reply.recipients} - {sender}
        if others and not others & self.participants:
            return None
        return latest


def _addresses(message: Message) -> Iterator[Address]:
    if message.sender is not None:
        yield message.sender
    yield from message.recipients


def _is_headerless_reply(forest: _Forest, node: int) -> bool:
    """True for a message with a reply subject that nothing links to a parent (the caller gives
    only messages without reply headers; another's References may still have placed it)."""
    message = forest.messages[node]
    return (not forest.has_parent[node] and message.date is not None
            and message.sender is not None and is_reply_subject(message.subject))


def _attach_headerless_replies(forest: _Forest, nodes: list[int], headerless: list[int]) -> None:
    """The subject fallback: link each headerless reply (oldest first) under the thread it most
    plausibly answers, one with the same base subject whose ``latest_answered_by`` accepts it;
    of several, the one with the most recent message before it. A reply attached this way
    counts for the next ones, so a run of headerless replies stays together."""
    candidates = [node for node in headerless if _is_headerless_reply(forest, node)]
    if not candidates:
        return
    base_subjects: dict[str, str] = {}  # many messages share a subject; normalise each once
    conversations: dict[int, _Conversation] = {}
    for node in nodes:
        message = forest.messages[node]
        subject = base_subjects.get(message.subject)
        if subject is None:
            subject = base_subjects[message.subject] = base_subject(message.subject)
        conversations.setdefault(forest.tree(node), _Conversation()).add(message, subject)
    # base subject -> trees having it; a tree merged into another later is found through
    # forest.tree(), which gives the tree it is now part of.
    by_subject: dict[str, set[int]] = {}
    for tree, conversation in conversations.items():
        for subject in conversation.subjects:
            by_subject.setdefault(subject, set()).add(tree)
    for node in candidates:
        reply = forest.messages[node]
        subject = base_subjects[reply.subject]
        own = forest.tree(node)
        best: tuple[datetime, str, int] | None = None
        for tree in {forest.tree(t) for t in by_subject.get(subject, ())} - {own}:
            latest = conversations[tree].latest_answered_by(reply)
            if latest is not None:
                choice = (latest, forest.ids[forest.root(tree)], tree)
                best = choice if best is None or choice > best else best
        if best is None:
            continue
        target = best[2]
        forest.link(node, forest.root(target))
        conversation = conversations.pop(target)
        conversation.absorb(conversations.pop(own))
        conversations[forest.tree(node)] = conversation


def _threads(forest: _Forest) -> list[Thread]:
    """Group the forest into threads. A tree of ghosts only (a link to it was refused) has no
    thread of its own; its ids join the thread of the first message that named its root."""
    threads: dict[int, Thread] = {}
    ghost_trees: dict[int, list[str]] = {}
    # Real messages were numbered in message_order, so each thread's list comes out sorted.
    for node, message in enumerate(forest.messages):
        tree = forest.tree(node)
        if message is not None:
            thread = threads.get(tree)
            if thread is None:
                thread = threads[tree] = Thread(root_id=forest.ids[forest.root(tree)])
            thread.messages.append(message)
    for node, message_id in enumerate(forest.ids):
        tree = forest.tree(node)
        if tree in threads:
            threads[tree].ids.add(message_id)
        else:
            ghost_trees.setdefault(tree, []).append(message_id)
    for tree, message_ids in ghost_trees.items():
        named_by = forest.referrer[forest.root(tree)]
        threads[forest.tree(named_by)].ids.update(message_ids)
    return sorted(threads.values(), key=lambda t: (message_order(t.messages[0]), t.root_id))
