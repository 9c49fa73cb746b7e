"""Reply and forward prefixes in many languages, list tags, counters, and the base subject."""

from __future__ import annotations

import time

import pytest

from watcher.subjects import base_subject, is_forward_subject, is_reply_subject


@pytest.mark.parametrize("subject", [
    "Re: Budget", "RE: Budget", "re:Budget", "Aw: Budget", "AW: Budget", "SV: Budget", "Sv: Budget",
    "Antw: Budget", "Antwort: Budget", "Réf : Budget", "Ref: Budget", "RIF: Budget", "R: Budget",
    "Odp: Budget", "VS: Budget", "Vs: Budget", "YNT: Budget", "Atb: Budget", "Vá: Budget",
    "Απ: Budget", "ΑΠ: Budget", "ΣΧΕΤ: Budget", "Отв: Budget", "Ответ: Budget", "回复：Budget",
    "答复: Budget", "回覆：Budget", "返信: Budget", "답장: Budget",
    "Re[2]: Budget", "Re(3): Budget", "RE^2: Budget", "Re [4] : Budget",
    "[dev-list] Re: Budget", "[dev-list]Re: Budget", "[a] [b] RE: Budget",
    "Re: Fwd: Budget", "  Re:   Budget",
])
def test_reply_subjects(subject):
    assert is_reply_subject(subject)
    assert base_subject(subject) == "budget"


@pytest.mark.parametrize("subject", [
    "Fw: Budget", "FW: Budget", "Fwd: Budget", "WG: Budget", "TR: Budget", "RV: Budget",
    "Enc: Budget", "PD: Budget", "Doorst: Budget", "İlt: Budget", "İLT: Budget", "Wtr: Budget",
    "ΠΡΘ: Budget", "Пересл: Budget", "转发：Budget", "轉寄: Budget", "[ops] Fwd: Budget",
    "Fwd: Re: Budget", "Budget (fwd)", "Budget (FWD) (fwd)",
])
def test_forward_subjects_are_forwards_not_replies(subject):
    assert is_forward_subject(subject)
    assert not is_reply_subject(subject)
    assert base_subject(subject) == "budget"


@pytest.mark.parametrize("subject", [
    "Rebate offer", "Reply needed", "Re-launch on Monday", "Regarding: the budget", "Aw shucks",
    "Information: budget", "R2-D2: a story", "Rechnung 2024", "Forward planning", "Fwdx: no",
    "Budget Re: numbers", "", None,
])
def test_words_that_merely_start_like_a_prefix_are_not_prefixes(subject):
    assert not is_reply_subject(subject)
    assert not is_forward_subject(subject)
    assert base_subject(subject) == " ".join((subject or "").split()).casefold()


@pytest.mark.parametrize("subject, expected", [
    ("Re: AW: Fwd: WG: SV: VS: TR: RV: RIF: Antw: Odp: YNT: Quarterly plan", "quarterly plan"),
    ("Re: [sales] RE: Quarterly   plan", "quarterly plan"),
    ("[sales] Quarterly plan", "quarterly plan"),
    ("AW:WG: Quarterly plan", "quarterly plan"),
    ("Re:Re:Re: Quarterly plan", "quarterly plan"),
    ("Ｒｅ：Quarterly plan", "quarterly plan"),             # full-width letters and colon
    ("Re:\u00a0Quarterly\tplan ", "quarterly plan"),         # no-break space, tab
    ("RE: QUARTERLY PLAN", "quarterly plan"),
    ("Re: Straße", "strasse"),                              # case-folded, not just lower-cased
    ("Re: Budget (fwd) for Q3", "budget (fwd) for q3"),     # "(fwd)" only at the end
    ("Re: Budget: draft 2", "budget: draft 2"),             # a colon in the topic stays
    ("[Fwd: Budget]", "[fwd: budget]"),                     # an old-style wrapped forward is kept
    ("Re:", ""),
    ("[dev-list]", ""),
])
def test_base_subject(subject, expected):
    assert base_subject(subject) == expected


def test_reply_is_decided_by_the_first_prefix():
    assert is_reply_subject("Re: Fwd: x") and not is_forward_subject("Re: Fwd: x")
    assert is_forward_subject("WG: AW: x") and not is_reply_subject("WG: AW: x")


def test_hostile_subjects_are_handled_in_linear_time():
    # Nested optional whitespace in a regex can backtrack quadratically on long blank runs.
    hostile = ["Re" + " " * 50_000 + "x", "Re[1" + " " * 50_000, "x" + " " * 50_000 + "y",
               "[" + " " * 50_000, "Re: " * 20_000 + "x", "[a]" * 20_000 + "x"]
    started = time.perf_counter()
    for subject in hostile:
        base_subject(subject)
        is_reply_subject(subject)
        is_forward_subject(subject)
    assert time.perf_counter() - started < 2
