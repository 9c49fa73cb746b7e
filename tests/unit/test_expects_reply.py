"""Does my message ask something of the recipient? Sentence by sentence, then whole messages, then
the accuracy on the hand-labelled messages of ../shared/eval-dev."""

from __future__ import annotations

import pytest

from watcher.evaldata import load_messages, message_text
from watcher.rules.expects_reply import asking_sentences, expects_reply, is_request, sentences

MIN_MESSAGE_ACCURACY = 0.85


@pytest.mark.parametrize("sentence", [
    # questions to the recipient, tag questions included
    "Did the signed lease arrive yesterday?",
    "Marta - any news from the landlord?",
    "The meeting moved to Thursday, right?",
    "When would suit you for the site visit?",
    "Because the portal is down again? (It worked for me this morning.)",
    # imperatives and "please …"
    "Send me the final figures before lunch.",
    "Call me.",
    "Please book the large room for the offsite.",
    "Paulo, forward this to the auditors.",
    "Also, sign both copies and return one to Lena.",
    "Be sure to copy legal on your reply.",
    "Don't forget to renew the parking permits.",
    # can / could / would you
    "Could you check whether the invoice was paid?",
    "Would you mind reviewing the second section.",
    "Can you and Omar cover the Tuesday shift",
    # "let me know" when a real answer is wanted
    "Let me know which date works best for the team.",
    "Please let us know if the revised terms are acceptable.",
    "Let me know if this is OK with you.",
    "If so, please let Priya know by Friday.",
    # indirect requests
    "I was wondering if you could present the results next week.",
    "I'm wondering whether you heard back from the supplier.",
    "I'd appreciate your comments on the draft by Monday.",
    "We would greatly appreciate any help you can give us on this.",
    "I would like to invite you to join the review panel.",
    "It would be great if you could send the slides tonight.",
    "You will need to sign the consent form before the visit.",
    "I will need your expense report by the 5th.",
    "Up to you and Kofi.",
    # proposals awaiting agreement
    "You, Dmitri and I should talk before the board meeting.",
    "Perhaps we should set up a call early next week.",
    "What about moving the launch to March?",
    "Why not ask the vendor for a discount?",
    "Let's add the new hires to the distribution list.",
    "I'd like to go over the budget with you this week.",
    # instructions to an assistant
    "for meeting file",
    "Print for my binder.",
    "Please calendar.",
])
def test_requests(sentence):
    assert is_request(sentence)


@pytest.mark.parametrize("sentence", [
    # pleasantries and rhetorical questions
    "How's it going?",
    "How was your trip to Lisbon?",
    "Just thinking out loud -- who reads these reports anyway?",
    "Any questions?",
    "Do you have any other questions or concerns?",
    # conditional courtesy closers
    "Let me know if you have any questions.",
    "Please call me if you need anything else.",
    "Please do not hesitate to contact me should you have further questions.",
    "Let me know if I can help.",
    "Feel free to call me with any concerns.",
    "Let me know if you want to be added to the mailing list.",
    "Questions or comments -- let me know.",
    "Please call me for further background.",
    # advice phrased as a statement
    "I think you should ask for a bigger budget.",
    "I'd suggest starting with the smaller site.",
    "If you want faster builds, you could switch compilers.",
    # FYI, deliveries, thanks, announcements, answers, promises
    "FYI, the server will be down on Saturday.",
    "Attached is the revised schedule.",
    "Please find attached the minutes of Tuesday's meeting.",
    "Attached please find the signed copy.",
    "Please note that the office closes early on Friday.",
    "Please see the article below.",
    "Thanks for the quick turnaround on the contract.",
    "Thank you for your input on the proposal.",
    "The team will move to the 21st floor next weekend.",
    "I just wanted to let everyone know that the cafeteria reopens Monday.",
    "Yes, the shipment left on Tuesday.",
    "I'll send you the final version tomorrow.",
    "I'll let you know when I hear from the bank.",
    "Let me explain why the numbers differ.",
    "Looks fine to me.",
    # an encoding artefact, not a question
    "The courier will bring it to you.?",
    # boilerplate
    "If you have received this e-mail in error, please notify the sender and delete it.",
])
def test_not_requests(sentence):
    assert not is_request(sentence)


def test_a_request_survives_a_courtesy_clause_in_the_same_sentence():
    assert is_request("Please review the memo and, if you have any questions, let me know.")
    assert not is_request("Please call me if you have any questions.")


def test_sentences_skip_salutation_and_sign_off():
    text = ("Hi Sally,\n\nThe draft is attached. Could you review section 2\nbefore Friday?\n\n"
            "Thanks,\nJohn\nJohn Miller | Example Corp | +1 555 0100")
    assert sentences(text) == ["The draft is attached.", "Could you review section 2 before Friday?"]


def test_sentences_split_list_items_and_keep_their_numbers():
    text = "Two points:\n1. The venue is booked.\n2. Catering is open.\n- Parking is free"
    assert sentences(text) == ["Two points:", "1. The venue is booked.", "2. Catering is open.", "- Parking is free"]


def test_sentences_keep_a_postscript_and_drop_a_footer():
    text = "See below.\n\nRegards,\nAna\n\nP.S. Can you bring the badge?\n\n__________\nDo You Yahoo!?\nGet mail"
    assert sentences(text) == ["See below.", "P.S. Can you bring the badge?"]


def test_an_inline_greeting_is_not_part_of_the_first_sentence():
    assert sentences("Hi Tom, would you order two more chairs? Thanks!") == [
        "would you order two more chairs?", "Thanks!"]


@pytest.mark.parametrize("text, expected", [
    ("Hi Rosa,\n\nCan we move our call to 3pm?\n\nBest,\nKim", True),
    ("Rosa -\n\nHere is the signed contract. Please countersign and send it back.\n\nKim", True),
    ("The budget draft is attached for your comments.\n\nKim", True),
    ("for meeting file", True),
    ("Thanks for the update, much appreciated!\n\nKim", False),
    ("FYI - the vendor confirmed delivery for next week.", False),
    ("Attached is the final report. Let me know if you have any questions.\n\nRegards,\nKim", False),
    ("Congratulations on the promotion! Well deserved.", False),
    ("I'll send the revised numbers by Thursday.", False),
    ("Yes, that works for me.", False),
    ("Can you believe how fast this year went? No need to reply, just wanted to say hi.", False),
    ("", False),
])
def test_messages(text, expected):
    assert expects_reply(text) is expected


def test_unread_body_is_unknown():
    assert expects_reply(None) is None


def test_no_need_to_reply_silences_every_question():
    assert asking_sentences("Could you check the figures? No need to reply if they match.") == []




def test_message_accuracy_on_labelled_mail(eval_dev, corpora):
    messages = load_messages(eval_dev)
    right = sum(expects_reply(message_text(m, corpora)) == m.expects_reply for m in messages)
    accuracy = right / len(messages)
    print(f"expects_reply accuracy on eval-dev: {right}/{len(messages)} = {accuracy:.3f}")
    assert accuracy >= MIN_MESSAGE_ACCURACY
