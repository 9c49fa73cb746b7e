"""New text only: quotes, attribution lines, forwarded blocks and signatures are cut."""

from __future__ import annotations

import pytest

from watcher.quotes import html_to_text, new_text

REPLY = "Thursday works for me.\nDana"


@pytest.mark.parametrize("attribution", [
    "On Mon, Nov 16, 2026 at 9:00 AM Pat Weber <pat@example.com> wrote:",
    "On Mon, Nov 16, 2026 at 9:00 AM Pat Weber <pat@example.com>\nwrote:",
    "Am 16.11.2026 um 09:00 schrieb Pat Weber <pat@example.com>:",
    "Le lun. 16 nov. 2026 à 09:00, Pat Weber <pat@example.com> a écrit :",
    "El lun, 16 nov 2026 a las 9:00, Pat Weber (<pat@example.com>) escribió:",
    "Il giorno lun 16 nov 2026 alle ore 09:00 Pat Weber <pat@example.com> ha scritto:",
    "Op ma 16 nov. 2026 om 09:00 schreef Pat Weber <pat@example.com>:",
    "W dniu 16.11.2026 o 09:00, Pat Weber pisze napisał(a):",
    "Den 16. nov. 2026 kl. 09.00 skrev Pat Weber <pat@example.com>:",
    "Pat Weber <pat@example.com> schrieb am Mo., 16. Nov. 2026 um\n09:00 Uhr:",
    "2026-11-16 9:00 GMT+01:00 Pat Weber <pat@example.com>:",
])
def test_quoted_original_after_attribution_is_cut(attribution):
    body = f"{REPLY}\n\n{attribution}\n> Could we talk on Thursday?\n> Pat\n"
    assert new_text(body) == REPLY


def test_unquoted_original_after_attribution_is_cut():
    body = f"{REPLY}\n\nOn Mon, Nov 16, 2026 at 9:00 AM Pat <pat@example.com> wrote:\n\nCould we talk on Thursday?\n"
    assert new_text(body) == REPLY


@pytest.mark.parametrize("separator", [
    "-----Original Message-----", "----- Ursprüngliche Nachricht -----", "-------- Message d'origine --------",
    "---------- Forwarded message ---------", "-------- Forwarded Message --------", "Begin forwarded message:",
])
def test_original_message_separators(separator):
    body = f"{REPLY}\n\n{separator}\nFrom: Pat\nSubject: Pricing\n\nCould we talk on Thursday?"
    assert new_text(body) == REPLY


@pytest.mark.parametrize("block", [
    "From: Pat Weber <pat@example.com>\nSent: Monday, November 16, 2026 9:00 AM\nTo: Dana\nSubject: Pricing",
    "*From:* Pat Weber\n*Sent:* Monday, November 16, 2026 9:00 AM\n*To:* Dana",
    "Von: Pat Weber <pat@example.com>\nGesendet: Montag, 16. November 2026 09:00\nAn: Dana\nBetreff: Preise",
    "De : Pat Weber\nEnvoyé : lundi 16 novembre 2026 09:00\nÀ : Dana\nObjet : Prix",
    "De: Pat Weber\nEnviado: lunes, 16 de noviembre de 2026 9:00\nPara: Dana\nAsunto: Precios",
    "________________________________\nFrom: Pat Weber <pat@example.com>\nSent: Monday\nTo: Dana",
])
def test_outlook_header_blocks(block):
    assert new_text(f"{REPLY}\n\n{block}\n\nCould we talk on Thursday?") == REPLY


def test_from_in_prose_is_kept():
    body = "From: the team's point of view, Thursday is best.\nLet me know.\n\nDana"
    assert new_text(body) == body


def test_on_in_prose_is_kept():
    body = "On Monday we will ship the release.\nOn Tuesday we rest."
    assert new_text(body) == body


def test_inline_replies_keep_new_lines_between_quotes():
    body = ("On Mon, 16 Nov 2026 at 09:00, Pat <pat@example.com> wrote:\n> Can you do Thursday?\n"
            "Yes, Thursday is fine.\n> And can you bring the contract?\nI will bring it.\n")
    assert new_text(body) == "Yes, Thursday is fine.\nI will bring it."


def test_bottom_posting_keeps_the_reply_below_the_quote():
    body = "Pat wrote on 16.11.2026:\n> Can you do Thursday?\n> Pat\n\nYes, Thursday works.\n"
    assert new_text(body) == "Yes, Thursday works."


@pytest.mark.parametrize("signature", [
    "-- \nDana Lee\nNorthwind", "--\nDana Lee", "Sent from my iPhone", "Von meinem iPhone gesendet",
    "Get Outlook for iOS<https://aka.ms/o0ukef>", "Envoyé de mon iPad", "Sent from my Samsung Galaxy smartphone.",
])
def test_signatures_are_dropped(signature):
    assert new_text(f"{REPLY}\n\n{signature}") == REPLY


def test_a_sentence_starting_with_sent_from_is_kept():
    body = "Sent from the warehouse yesterday, the parcel should arrive on Monday, according to the carrier."
    assert new_text(body) == body


def test_line_endings_and_blank_runs_are_normalised():
    assert new_text("Hi,\r\n\r\n\r\n\r\nthanks!\r\n") == "Hi,\n\nthanks!"


def test_empty_and_quote_only():
    assert new_text("") == ""
    assert new_text("> only a quote\n> here") == ""


def test_html_paragraphs_and_entities():
    assert html_to_text("<p>Hi&nbsp;Pat,</p><p>Yes &amp; no.<br>Dana</p>") == "Hi Pat,\n\nYes & no.\nDana"


def test_html_script_and_style_are_dropped():
    assert html_to_text("<style>p{color:red}</style><script>x()</script><p>Hello</p>") == "Hello"


@pytest.mark.parametrize("quote", [
    '<blockquote type="cite">Could we talk on Thursday?</blockquote>',
    '<div class="gmail_quote"><div class="gmail_attr">On Mon, Pat wrote:</div>'
    '<blockquote class="gmail_quote">Could we talk on Thursday?</blockquote></div>',
    '<div id="divRplyFwdMsg"><b>From:</b> Pat<br><b>Sent:</b> Monday</div><div>Could we talk on Thursday?</div>',
])
def test_html_quotes_are_dropped(quote):
    html = f"<html><body><div>Thursday works for me.</div><div>Dana</div>{quote}</body></html>"
    assert new_text(html_to_text(html)) == REPLY


def test_broken_html_never_raises():
    for html in ("<div><p>unclosed", "</div></div>text", "<<<>>>", "<a href='x>y</a>", "&#xZZZ; &bogus;"):
        assert isinstance(html_to_text(html), str)


def test_large_input_is_handled():
    body = ("Line of new text.\n" * 20000) + "On Mon, Nov 16, 2026, Pat <pat@example.com> wrote:\n" + "> old\n" * 20000
    assert new_text(body).count("\n") == 19999
