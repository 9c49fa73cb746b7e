"""Promises in my own mail (watcher.rules.promises)."""

from datetime import date, datetime, timedelta, timezone

import pytest

from watcher.rules.promises import find_promises, is_promise, promise_due

WRITTEN = datetime(2026, 11, 17, 10, 0, tzinfo=timezone(timedelta(hours=1)))  # a Tuesday


@pytest.mark.parametrize("sentence", [
    "I'll call you tomorrow.",
    "Let me check with the team and get back to you.",
    "We will send the contract by Friday.",
    "I'll try to have numbers for you next week.",
    "I will get back to you by Friday.",
    "We'll keep you posted.",
    "I'm going to send you the deck tonight.",
    "I'll be sending the invoice shortly.",
    "I hope to have it done by Friday.",
    "I promise I'll review it tonight.",
    "I'll be happy to help.",
    "I'll have the draft to you by Monday.",
    "I'll ping you when it's merged.",
    "I'll forward your note to Sam.",
    "I'll let you know.",
    "Will send the slides after lunch.",
    "Talked to legal and will follow up with them on your contract.",
    "I won't make the call, but will send my comments this afternoon.",
    "Send me the figures and I'll update the model.",
    "Let me know who should attend and I'll set up the meeting.",
    "I'll let you know if anything changes.",
    "Copies of the signed agreement will be distributed tomorrow.",
    "I owe you a call about the renewal.",
    "I'm on it.",
    "I'll pass your comments along to Tom.",
    "I hope to have a summary available by Friday.",
])
def test_commitments_to_act_are_promises(sentence):
    assert is_promise(sentence)


@pytest.mark.parametrize("sentence", [
    "I'll be out next week.",  # future state
    "I will be in Berlin on Monday.",
    "Let me know if you need anything.",  # offer waiting on them
    "If you have any questions, I'll be happy to answer them.",
    "You can send it to me and I'll take a look.",
    "I sent it yesterday.",  # past
    "John will send it on Friday.",  # third party
    "Will you send it?",  # questions
    "Shall I send it over?",
    "I'll send it, OK?",
    "I won't be able to make it.",  # negations
    "I will not be sending it.",
    "I look forward to hearing from you.",  # pleasantries
    "I'll see you tomorrow!",
    "Let me explain why.",  # discourse
    "I'll have to check with my boss first.",  # necessity
    "We will need more time.",
    "I'll know more tomorrow.",  # future knowledge
    "I will defer to your judgment.",  # stance
    "It's unlikely that we will finish this year.",  # reported, not committed
    "It will be ready tomorrow.",
    "Let me think about it.",
    "Thanks for the update.",
    "We'll pass on this one.",  # a decline, not a promise
])
def test_other_future_talk_is_not_a_promise(sentence):
    assert not is_promise(sentence)


def test_find_promises_reads_every_sentence_with_its_due_date():
    text = ("Hi Dana,\n\nThanks for the call. I'll send the revised contract by Friday. "
            "I will also check the numbers with Tom and get back to you.\n\nBest,\nAlex")
    promises = find_promises(text, WRITTEN)
    assert [(p.text, p.due, p.due_text) for p in promises] == [
        ("I'll send the revised contract by Friday.", date(2026, 11, 20), "by Friday"),
        ("I will also check the numbers with Tom and get back to you.", None, None),
    ]


def test_the_commitment_clause_names_the_due_date_before_the_rest_of_the_sentence():
    sentence = "I was swamped this week, but I'll send the proposal next week."
    assert promise_due(sentence, WRITTEN).due == date(2026, 11, 23)
    assert promise_due("By Thursday, I will send you the contact list.", WRITTEN).due == date(2026, 11, 19)


def test_a_vague_time_is_kept_as_words():
    (promise,) = find_promises("I'll send it as soon as I hear from the bank.", WRITTEN)
    assert promise.due is None and promise.due_text == "as soon as I hear from the bank"


def test_curly_apostrophes_are_read_like_straight_ones():
    assert is_promise("I\u2019ll call you tomorrow.")
