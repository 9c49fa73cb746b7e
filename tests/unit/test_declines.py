"""Declines: the contact says no for good."""

from __future__ import annotations

import pytest

from watcher.rules.declines import find_decline

DECLINES = [
    "Not interested.",
    "Please remove me from your list.",
    "Take me off your mailing list, please.",
    "Unsubscribe",
    "Please unsubscribe me.",
    "Stop emailing me.",
    "Don't contact me again.",
    "I no longer wish to receive these emails.",
    "Can you please remove me from your mailing list?",
    "We went with another vendor.",
    "We've decided to go with a different provider.",
    "We chose a competitor.",
    "We have decided to stay with our current provider.",
    "We'll pass.",
    "We'll pass on this one, thanks.",
    "No thanks.",
    "No thanks, we're good.",
    "This is not a fit for us.",
    "We have no need for this.",
    "We are not moving forward.",
    "We've decided not to proceed.",
    "Unfortunately we will not be proceeding.",
    "We won't be renewing.",
    "We're not interested, but thanks for reaching out.",
]


@pytest.mark.parametrize("text", DECLINES)
def test_decline(text):
    assert find_decline(text) == text


NOT_DECLINES = [
    "I'm not interested in the blue one, but the red one looks great.",
    "We're not interested in the blue one.",
    "Not interested? Just let me know.",
    "You're not interested?",
    "If you're not interested, no worries.",
    "My boss said he is not interested, but I am.",
    "We went with another vendor last year and regretted it.",
    "No thanks needed!",
    "No, thank you for your help!",
    "Thanks, no problem.",
    "I'll pass this on to my team.",
    "Sounds good, we will pass it along to the team.",
    "How do I unsubscribe?",
    "To unsubscribe, click here.",
    "Please stop emailing me at my old address.",
    "We're not moving forward until legal signs off.",
    "We are not moving forward with option A, but option B looks promising.",
    "We are not interested at this time, but please check back in Q1.",
    "I'm not sure it's a fit for us.",
    "We decided to go with your proposal.",
    "Could you send the revised quote by Friday?",
]


@pytest.mark.parametrize("text", NOT_DECLINES)
def test_not_a_decline(text):
    assert find_decline(text) is None


def test_the_declining_sentence_is_returned_from_a_longer_message():
    text = ("Hi Pat,\n\nThanks for the call on Monday. We've decided to go in a different direction.\n\n"
            "Best of luck with the launch!")
    assert find_decline(text) == "We've decided to go in a different direction."


def test_plain_wording_deep_in_a_long_message_is_not_a_decline():
    filler = "The workshop covered the migration plan. The slides are attached. Lunch was great. "
    assert find_decline(filler * 2 + "We're not interested, frankly. See you on Monday.") is None
    assert find_decline("We're not interested, frankly. " + filler * 2) == "We're not interested, frankly."


def test_firm_wording_counts_anywhere():
    filler = "The workshop covered the migration plan. The slides are attached. Lunch was great. "
    assert find_decline(filler * 2 + "Please remove me from your mailing list.") == \
        "Please remove me from your mailing list."


def test_curly_apostrophes():
    assert find_decline("We’ve decided not to proceed.") == "We’ve decided not to proceed."
