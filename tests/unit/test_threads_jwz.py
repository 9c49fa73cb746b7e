"""Threading: reply headers, ghosts, loops, duplicates, order, and the gated subject fallback."""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta, timezone

import pytest

from watcher.model import Address, Message
from watcher.threads import SUBJECT_FALLBACK_WINDOW, build_threads, thread_index

ME, BOB, CAROL, DAVE = "me@example.com", "bob@example.net", "carol@example.org", "dave@example.org"
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def mail(message_id: str, day: float | None = 0, *, sender: str = BOB, to: tuple[str, ...] = (ME,),
         cc: tuple[str, ...] = (), subject: str = "Budget", references: tuple[str, ...] = (),
         in_reply_to: tuple[str, ...] = (), folder: str = "INBOX") -> Message:
    """A message ``day`` days after MONDAY (None: undated)."""
    return Message(
        message_id=message_id, subject=subject, sender=Address(sender),
        to=tuple(Address(a) for a in to), cc=tuple(Address(a) for a in cc),
        date=None if day is None else MONDAY + timedelta(days=day),
        references=references, in_reply_to=in_reply_to, folder=folder,
    )


def shape(threads) -> list[tuple[str, list[str]]]:
    """Each thread as (root id, message ids in order)."""
    return [(t.root_id, [m.message_id for m in t.messages]) for t in threads]


def conversation(prefix: str = "b", sender: str = BOB, subject: str = "Budget") -> list[Message]:
    """sender -> me, my reply, sender's answer: days 0, 1, 2."""
    return [
        mail(f"{prefix}1@x", 0, sender=sender, subject=subject),
        mail(f"{prefix}2@x", 1, sender=ME, to=(sender,), subject=f"Re: {subject}",
             references=(f"{prefix}1@x",), in_reply_to=(f"{prefix}1@x",)),
        mail(f"{prefix}3@x", 2, sender=sender, subject=f"Re: {subject}",
             references=(f"{prefix}1@x", f"{prefix}2@x"), in_reply_to=(f"{prefix}2@x",)),
    ]


# --- reply headers -------------------------------------------------------------------------

def test_references_chain_makes_one_thread_in_date_order():
    messages = conversation()
    threads = build_threads(reversed(messages))
    assert shape(threads) == [("b1@x", ["b1@x", "b2@x", "b3@x"])]
    assert threads[0].ids == {"b1@x", "b2@x", "b3@x"}
    assert threads[0].subject == "Budget"


def test_in_reply_to_alone_links():
    threads = build_threads([mail("a@x", 0), mail("b@x", 1, sender=ME, in_reply_to=("a@x",))])
    assert shape(threads) == [("a@x", ["a@x", "b@x"])]


def test_a_ghost_parent_joins_two_siblings_and_is_the_root():
    threads = build_threads([
        mail("b@x", 1, references=("ghost@x",)),
        mail("c@x", 2, sender=CAROL, in_reply_to=("ghost@x",)),
        mail("other@x", 3, subject="Unrelated"),
    ])
    assert shape(threads) == [("ghost@x", ["b@x", "c@x"]), ("other@x", ["other@x"])]
    assert threads[0].ids == {"ghost@x", "b@x", "c@x"}


def test_ghosts_in_the_middle_of_a_references_chain_hold_it_together():
    threads = build_threads([
        mail("a@x", 0),
        mail("d@x", 3, references=("a@x", "b@x", "c@x")),
        mail("e@x", 4, references=("a@x", "x@x")),
    ])
    assert shape(threads) == [("a@x", ["a@x", "d@x", "e@x"])]
    assert threads[0].ids == {"a@x", "b@x", "c@x", "d@x", "x@x", "e@x"}


def test_a_message_s_own_parent_wins_over_what_other_references_presume():
    # c's References claim b's parent is "wrong@x"; b's own header says a.
    threads = build_threads([
        mail("c@x", 2, references=("wrong@x", "b@x")),
        mail("a@x", 0),
        mail("b@x", 1, in_reply_to=("a@x",)),
    ])
    assert threads[0].root_id == "a@x"
    assert [m.message_id for m in threads[0].messages] == ["a@x", "b@x", "c@x"]
    assert "wrong@x" in threads[0].ids   # still known to the thread that named it
    assert len(threads) == 1


def test_messages_without_headers_are_separate_threads():
    threads = build_threads([mail("a@x", 0), mail("b@x", 1, subject="Budget")])
    assert shape(threads) == [("a@x", ["a@x"]), ("b@x", ["b@x"])]


@pytest.mark.parametrize("messages", [
    [mail("a@x", 0, references=("b@x",)), mail("b@x", 1, references=("a@x",))],
    [mail("a@x", 0, references=("c@x",)), mail("b@x", 1, references=("a@x",)),
     mail("c@x", 2, references=("b@x",))],
    [mail("a@x", 0, references=("a@x",)), mail("b@x", 1, references=("b@x", "a@x", "b@x"))],
    [mail("a@x", 0, references=("g1@x", "g2@x")),
     mail("b@x", 1, references=("g2@x", "g1@x", "a@x"))],
], ids=["two-cycle", "three-cycle", "self-reference", "ghost-cycle"])
def test_loops_in_references_terminate_and_lose_nothing(messages):
    threads = build_threads(messages)
    placed = [m.message_id for t in threads for m in t.messages]
    assert sorted(placed) == sorted(m.message_id for m in messages)
    assert len(threads) == 1


def test_a_refused_loop_link_leaves_the_message_free_for_a_real_parent():
    # a and b name each other; the later link (b under a) is refused, so b is still the top and
    # c's References can then place b under x.
    threads = build_threads([
        mail("a@x", 0, references=("b@x",)),
        mail("b@x", 1, references=("a@x",)),
        mail("c@x", 2, references=("x@x", "b@x")),
    ])
    assert shape(threads) == [("x@x", ["a@x", "b@x", "c@x"])]


def test_a_mail_in_two_folders_is_one_message_in_one_thread():
    inbox = mail("a@x", 0, folder="INBOX")
    archive = mail("a@x", 0, folder="Archive")
    reply = mail("b@x", 1, sender=ME, in_reply_to=("a@x",))
    threads = build_threads([inbox, reply, archive])
    assert shape(threads) == [("a@x", ["a@x", "b@x"])]
    assert threads[0].messages[0].folder == "INBOX"   # the first copy is kept


def test_a_duplicate_id_does_not_move_the_original():
    original = mail("a@x", 0, subject="Budget")
    clash = mail("a@x", 5, sender=DAVE, subject="Something else", in_reply_to=("z@x",))
    threads = build_threads([clash, original])
    assert shape(threads) == [("a@x", ["a@x"])]
    assert threads[0].messages == [original]


# --- order ---------------------------------------------------------------------------------

def test_messages_are_ordered_undated_first_then_by_date_then_by_id():
    messages = [
        mail("root@x", 0),
        mail("late@x", 3, in_reply_to=("root@x",)),
        mail("undated@x", None, in_reply_to=("root@x",)),
        mail("tie-b@x", 1, in_reply_to=("root@x",)),
        mail("tie-a@x", 1, in_reply_to=("root@x",)),
    ]
    (thread,) = build_threads(messages)
    assert [m.message_id for m in thread.messages] == [
        "undated@x", "root@x", "tie-a@x", "tie-b@x", "late@x"]


def test_dates_in_different_zones_are_compared_as_instants():
    early = mail("a@x", 0)
    new_york = timezone(timedelta(hours=-5))
    later = Message(message_id="b@x", date=datetime(2026, 3, 2, 5, 0, tzinfo=new_york),
                    in_reply_to=("a@x",))   # 10:00 UTC, after 09:00 UTC
    (thread,) = build_threads([later, early])
    assert [m.message_id for m in thread.messages] == ["a@x", "b@x"]


def test_threads_come_in_order_of_their_first_message_whatever_the_input_order():
    messages = conversation("b") + conversation("c", sender=CAROL, subject="Lunch") + [
        mail("d1@x", -1, sender=DAVE, subject="Earlier"), mail("u@x", None, subject="Undated")]
    expected = shape(build_threads(messages))
    assert [root for root, _ in expected] == ["u@x", "d1@x", "b1@x", "c1@x"]
    for seed in range(5):
        shuffled = messages[:]
        random.Random(seed).shuffle(shuffled)
        assert shape(build_threads(shuffled)) == expected


# --- subject fallback ----------------------------------------------------------------------

@pytest.mark.parametrize("subject", ["RE: Budget", "AW: Budget", "Re: Re: budget",
                                     "[team] Re: Budget"])
def test_a_headerless_reply_from_a_participant_joins_the_thread(subject):
    reply = mail("h@x", 5, sender=BOB, subject=subject)
    threads = build_threads(conversation() + [reply])
    assert shape(threads) == [("b1@x", ["b1@x", "b2@x", "b3@x", "h@x"])]


def test_a_participant_in_cc_counts():
    first = mail("a@x", 0, sender=ME, to=(BOB,), cc=(CAROL,))
    reply = mail("h@x", 1, sender=CAROL, to=(ME, BOB), subject="Re: Budget")
    assert shape(build_threads([first, reply])) == [("a@x", ["a@x", "h@x"])]


def test_my_headerless_reply_joins_the_thread_with_its_recipient():
    first = mail("a@x", 0, sender=BOB)
    reply = mail("h@x", 1, sender=ME, to=(BOB,), subject="Re: Budget")
    assert shape(build_threads([first, reply])) == [("a@x", ["a@x", "h@x"])]


def test_the_most_recent_matching_thread_wins():
    older = conversation("o")                    # days 0-2
    newer = [mail("n1@x", 4, sender=BOB), mail("n2@x", 6, sender=ME, to=(BOB,),
                                               subject="Re: Budget", in_reply_to=("n1@x",))]
    reply = mail("h@x", 8, sender=BOB, subject="RE: Budget")
    threads = build_threads(older + newer + [reply])
    assert shape(threads) == [("o1@x", ["o1@x", "o2@x", "o3@x"]), ("n1@x", ["n1@x", "n2@x", "h@x"])]


def test_a_run_of_headerless_replies_stays_together():
    first = mail("a@x", 0, sender=ME, to=(BOB,))
    replies = [mail(f"h{i}@x", 10 * i, sender=BOB if i % 2 else ME, to=(ME,) if i % 2 else (BOB,),
                    subject="RE: Budget") for i in range(1, 5)]   # 10 days apart: 40 days in all
    assert shape(build_threads([first] + replies)) == [
        ("a@x", ["a@x", "h1@x", "h2@x", "h3@x", "h4@x"])]


def test_replies_to_a_headerless_reply_come_along():
    first = mail("a@x", 0, sender=ME, to=(BOB,))
    reply = mail("h@x", 1, sender=BOB, subject="RE: Budget")
    answer = mail("k@x", 2, sender=ME, to=(BOB,), subject="Re: Budget", in_reply_to=("h@x",))
    threads = build_threads([first, reply, answer])
    assert shape(threads) == [("a@x", ["a@x", "h@x", "k@x"])]
    assert thread_index(threads)["k@x"] is threads[0]


def test_the_window_is_counted_from_the_latest_message_before_the_reply():
    messages = conversation()   # the latest message before the reply is on day 2
    inside = mail("h@x", 2 + SUBJECT_FALLBACK_WINDOW.days, sender=BOB, subject="RE: Budget")
    outside = mail("h@x", 2 + SUBJECT_FALLBACK_WINDOW.days + 0.01, sender=BOB, subject="RE: Budget")
    assert len(build_threads(messages + [inside])) == 1
    assert shape(build_threads(messages + [outside]))[1] == ("h@x", ["h@x"])


@pytest.mark.parametrize("reply", [
    mail("h@x", 5, sender=DAVE, to=(BOB,), subject="RE: Budget"),          # a stranger writes
    mail("h@x", 5, sender=DAVE, to=(ME,), subject="RE: Budget"),           # only me in common
    mail("h@x", 5, sender=ME, to=(DAVE,), subject="Re: Budget"),           # I write to a stranger
    mail("h@x", 30, sender=BOB, subject="RE: Budget"),                     # weeks later
    mail("h@x", -1, sender=BOB, subject="RE: Budget"),                     # before the first
    mail("h@x", 0, sender=BOB, subject="RE: Budget"),                      # with the first
    mail("h@x", 5, sender=BOB, subject="Budget"),                          # not a reply subject
    mail("h@x", 5, sender=BOB, subject="Fwd: Budget"),                     # a forward
    mail("h@x", 5, sender=BOB, subject="RE: Budget 2027"),                 # another topic
    mail("h@x", 5, sender=BOB, subject="RE: Budget", in_reply_to=("elsewhere@x",)),
    mail("h@x", None, sender=BOB, subject="RE: Budget"),                   # undated
], ids=["stranger", "only-me-in-common", "me-to-stranger", "outside-window", "before-first",
        "same-instant", "not-reply-subject", "forward", "other-subject", "reply-headers",
        "undated"])
def test_a_headerless_reply_that_fails_a_gate_stays_alone(reply):
    threads = build_threads(conversation() + [reply])
    assert len(threads) == 2
    assert ("b1@x", ["b1@x", "b2@x", "b3@x"]) in shape(threads)


def test_an_empty_base_subject_never_matches():
    first = mail("a@x", 0, sender=BOB, subject="")
    reply = mail("h@x", 1, sender=BOB, subject="Re:")
    assert len(build_threads([first, reply])) == 2


def test_a_headerless_reply_placed_by_others_references_is_not_moved():
    elsewhere = mail("e1@x", 0, sender=BOB, subject="Other")
    reply = mail("h@x", 3, sender=BOB, subject="RE: Budget")
    follow = mail("f@x", 4, sender=ME, to=(BOB,), subject="Re: Budget", references=("e1@x", "h@x"))
    threads = build_threads(conversation() + [elsewhere, reply, follow])
    assert ("e1@x", ["e1@x", "h@x", "f@x"]) in shape(threads)


# --- index and size ------------------------------------------------------------------------

def test_thread_index_covers_every_id_ghosts_included():
    threads = build_threads([mail("b@x", 1, references=("ghost@x", "gap@x")),
                             mail("c@x", 2, in_reply_to=("ghost@x",)), mail("z@x", 3, subject="Z")])
    index = thread_index(threads)
    assert set(index) == {"ghost@x", "gap@x", "b@x", "c@x", "z@x"}
    assert index["ghost@x"] is index["gap@x"] is index["c@x"] is not index["z@x"]


def test_a_deep_chain_is_walked_without_recursion():
    depth = 5000   # well past Python's default recursion limit of 1000
    chain = [mail("m0@x", 0)] + [
        mail(f"m{i}@x", i / 1000, references=("m0@x", f"m{i - 1}@x"), in_reply_to=(f"m{i - 1}@x",))
        for i in range(1, depth)]
    (thread,) = build_threads(reversed(chain))
    assert thread.root_id == "m0@x" and len(thread.messages) == depth
    assert thread.messages[-1].message_id == f"m{depth - 1}@x"


def test_a_large_mailbox_threads_quickly():
    messages = []
    for number in range(8000):
        root = f"t{number}.0@x"
        messages.append(mail(root, number / 100, subject=f"Topic {number}"))
        for reply in range(1, 5):
            messages.append(mail(f"t{number}.{reply}@x", number / 100 + reply / 10, sender=ME,
                                 to=(BOB,), subject=f"Re: Topic {number}",
                                 references=(root, f"t{number}.{reply - 1}@x")))
        if number % 4 == 0:
            messages.append(mail(f"h{number}@x", number / 100 + 1, subject=f"RE: Topic {number}"))
    messages += [mail(f"deep{i}@x", 200 + i / 1000, in_reply_to=(f"deep{i - 1}@x",))
                 for i in range(10_000)]
    random.Random(7).shuffle(messages)
    started = time.perf_counter()
    threads = build_threads(messages)
    elapsed = time.perf_counter() - started
    assert len(threads) == 8001
    assert sum(len(t.messages) for t in threads) == len(messages)
    assert elapsed < 5, f"{len(messages)} messages took {elapsed:.1f}s"
