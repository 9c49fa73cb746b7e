"""JWZ threading, and the subject fallback for answers sent without reply headers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from watcher.model import Address, Message
from watcher.threads import build_threads, thread_index

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
PAT = Address("pat@example.com", "Pat")
DANA = Address("dana@northwind.example", "Dana")
GREG = Address("greg@contoso.example", "Greg")


def msg(mid, day=0, sender=PAT, to=(DANA,), subject="Pricing", refs=(), irt=(), cc=()):
    return Message(message_id=mid, subject=subject, sender=sender, to=tuple(to), cc=tuple(cc),
                   date=T0 + timedelta(days=day), references=tuple(refs), in_reply_to=tuple(irt))


def ids(thread):
    return [m.message_id for m in thread.messages]


def test_references_chain_forms_one_thread_in_date_order():
    threads = build_threads([
        msg("c", 2, DANA, (PAT,), "Re: Pricing", refs=("a", "b")),
        msg("a", 0),
        msg("b", 1, DANA, (PAT,), "Re: Pricing", refs=("a",)),
    ])
    assert len(threads) == 1
    assert ids(threads[0]) == ["a", "b", "c"] and threads[0].root_id == "a"


def test_in_reply_to_alone_is_enough():
    [thread] = build_threads([msg("a", 0), msg("b", 1, DANA, (PAT,), "Re: Pricing", irt=("a",))])
    assert ids(thread) == ["a", "b"]


def test_ghost_parent_joins_siblings_and_is_indexed():
    threads = build_threads([
        msg("b", 1, DANA, (PAT,), "Re: Pricing", refs=("ghost",)),
        msg("c", 2, GREG, (PAT,), "Re: Pricing", refs=("ghost",)),
    ])
    assert len(threads) == 1 and threads[0].root_id == "ghost"
    index = thread_index(threads)
    assert index["ghost"] is index["b"] is index["c"]


def test_unrelated_messages_stay_apart():
    threads = build_threads([msg("a", 0), msg("b", 1, GREG, (PAT,), "Lunch?")])
    assert len(threads) == 2


def test_reference_loops_do_not_hang_or_lose_messages():
    threads = build_threads([
        msg("a", 0, refs=("b",)),
        msg("b", 1, DANA, (PAT,), "Re: Pricing", refs=("a",)),
        msg("c", 2, refs=("c", "a", "c")),
    ])
    assert sorted(m for t in threads for m in ids(t)) == ["a", "b", "c"]


def test_duplicate_message_ids_count_once():
    [thread] = build_threads([msg("a", 0), msg("a", 0), msg("b", 1, DANA, (PAT,), "Re: Pricing", refs=("a",))])
    assert ids(thread) == ["a", "b"]


def test_deep_chain_does_not_recurse():
    chain = [msg("m0", 0)] + [msg(f"m{i}", 0, refs=(f"m{i - 1}",)) for i in range(1, 3000)]
    [thread] = build_threads(chain)
    assert len(thread.messages) == 3000


def test_headerless_reply_from_a_participant_joins_the_thread():
    [thread] = build_threads([msg("a", 0), msg("b", 3, DANA, (PAT,), "RE: Pricing")])
    assert ids(thread) == ["a", "b"]


def test_headerless_reply_in_another_language_joins_the_thread():
    [thread] = build_threads([msg("a", 0), msg("b", 3, DANA, (PAT,), "AW: pricing")])
    assert ids(thread) == ["a", "b"]


def test_headerless_reply_from_a_stranger_stays_apart():
    # Pat is in both, but sharing the mailbox owner proves nothing.
    threads = build_threads([msg("a", 0), msg("b", 3, GREG, (PAT,), "RE: Pricing")])
    assert len(threads) == 2


def test_headerless_reply_too_late_stays_apart():
    threads = build_threads([msg("a", 0), msg("b", 15, DANA, (PAT,), "RE: Pricing")])
    assert len(threads) == 2


def test_headerless_mail_without_reply_prefix_stays_apart():
    threads = build_threads([msg("a", 0), msg("b", 3, DANA, (PAT,), "Pricing")])
    assert len(threads) == 2


def test_mail_with_reply_headers_is_never_moved_by_subject():
    threads = build_threads([msg("a", 0), msg("b", 3, DANA, (PAT,), "RE: Pricing", irt=("elsewhere",))])
    assert len(threads) == 2


def test_headerless_reply_before_the_question_stays_apart():
    threads = build_threads([msg("a", 5), msg("b", 3, DANA, (PAT,), "RE: Pricing")])
    assert len(threads) == 2


def test_headerless_reply_picks_the_most_recent_matching_thread():
    threads = build_threads([
        msg("old", 0), msg("new", 5), msg("b", 6, DANA, (PAT,), "RE: Pricing"),
    ])
    index = thread_index(threads)
    assert index["b"] is index["new"] and index["b"] is not index["old"]


def test_window_counts_from_the_latest_message_in_the_thread():
    [thread] = build_threads([
        msg("a", 0), msg("f", 10, refs=("a",)), msg("b", 20, DANA, (PAT,), "RE: Pricing"),
    ])
    assert ids(thread) == ["a", "f", "b"]


# --- Gmail's conversation ids (X-GM-THRID) ------------------------------------------------------
def gmail(mid, subject, days, sender="dana@northwind.example", thread=None, parents=()):
    from datetime import datetime, timedelta, timezone

    from watcher.model import Address, Message

    return Message(message_id=mid, subject=subject, sender=Address(sender),
                   to=(Address("pat@example.com"),),
                   date=datetime(2026, 11, 1, tzinfo=timezone.utc) + timedelta(days=days),
                   references=tuple(parents), gm_thread=thread)


def test_gmail_conversation_ids_join_a_reply_without_headers_whatever_its_subject():
    from watcher.threads import build_threads

    messages = [gmail("a@x", "Quote for 2027", 0, sender="pat@example.com", thread="1789"),
                gmail("b@x", "numbers", 2, thread="1789"),                      # no Re:, no headers
                gmail("c@x", "Quote for 2027", 3, thread="2001")]              # another conversation
    threads = build_threads(messages)
    assert sorted(sorted(m.message_id for m in t.messages) for t in threads) == [["a@x", "b@x"], ["c@x"]]
    joined = next(t for t in threads if len(t.messages) == 2)
    assert joined.root_id == "a@x"


def test_gmail_conversation_ids_join_trees_root_to_root_and_never_split_one():
    from watcher.threads import build_threads

    messages = [gmail("a@x", "Plan", 0, thread="7"),
                gmail("b@x", "Re: Plan", 1, thread="7", parents=["a@x"]),
                gmail("c@x", "Re: Plan", 2, thread="8", parents=["b@x"]),  # Gmail split it; headers win
                gmail("d@x", "other words", 3, thread="8", parents=["ghost@x"])]
    threads = build_threads(messages)
    assert len(threads) == 1
    assert {m.message_id for m in threads[0].messages} == {"a@x", "b@x", "c@x", "d@x"}
    assert "ghost@x" in threads[0].ids


def test_without_conversation_ids_nothing_changes():
    from watcher.threads import build_threads

    messages = [gmail("a@x", "Quote", 0, sender="pat@example.com"), gmail("b@x", "numbers", 2)]
    assert len(build_threads(messages)) == 2
