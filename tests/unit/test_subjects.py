"""Reply and forward prefixes across languages, and the base subject behind them."""

from __future__ import annotations

import pytest

from watcher.subjects import base_subject, is_forward_subject, is_reply_subject


@pytest.mark.parametrize("subject", [
    "Re: Pricing", "RE: Pricing", "re:Pricing", "AW: Pricing", "Aw: Pricing", "SV: Pricing", "Antw: Pricing",
    "Réf : Pricing", "RIF: Pricing", "R: Pricing", "Odp: Pricing", "VS: Pricing", "YNT: Pricing", "Re[2]: Pricing",
    "Re(3): Pricing", "RE^2: Pricing", "回复：Pricing", "Ответ: Pricing", "ΑΠ: Pricing", "[sales] Re: Pricing",
    "  Re:  Pricing",
])
def test_reply_prefixes(subject):
    assert is_reply_subject(subject)
    assert base_subject(subject) == "pricing"


@pytest.mark.parametrize("subject", [
    "Rebate offer", "Reply needed: contract", "Re-launch plan", "Aw shucks: it slipped", "Information: hours",
    "Fwd: Pricing", "WG: Pricing", "", None, "Research: results", "Resume attached",
])
def test_not_replies(subject):
    assert not is_reply_subject(subject)


@pytest.mark.parametrize("subject", ["Fwd: x", "FW: x", "WG: x", "TR: x", "RV: x", "Enc: x", "I: x", "VL: x"])
def test_forward_prefixes(subject):
    assert is_forward_subject(subject)
    assert base_subject(subject) == "x"


@pytest.mark.parametrize("subject, expected", [
    ("Re: AW: Fwd: WG: SV: VS: TR: RV: RIF: Antw: Odp: YNT: Quarterly plan", "quarterly plan"),
    ("[team] Re: [team] RE: x", "x"),
    ("AW:WG: x", "x"),
    ("Fwd: Meeting notes (fwd)", "meeting notes"),
    ("Rechnung   2024", "rechnung 2024"),
    ("Aw shucks: x", "aw shucks: x"),
    ("Re: ", ""),
])
def test_base_subject(subject, expected):
    assert base_subject(subject) == expected
