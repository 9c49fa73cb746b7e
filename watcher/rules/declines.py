"""Declines: a contact says no for good, which closes the thread.

Pure and stdlib only. A false decline silences a thread for good, so precision beats recall.
``find_decline`` returns the first sentence of a contact's new text that declines:

- **firm** wording counts wherever it stands: "please remove me from your list", "unsubscribe me",
  "stop emailing me", "don't contact me again", "I no longer wish to receive these emails";
- **plain** wording counts only in the first few sentences (or in a short message): "not
  interested", "we'll pass", "no thanks", "we went with another vendor", "we've decided not to
  proceed", "not a fit for us", "we have no need for this".

Plain wording must have the contact as subject ("I'm not interested", "we chose a competitor") or
open the sentence ("Not interested."). It is no decline in a question ("Not interested?"), under a
condition ("if you're not interested, …"), in reported speech ("my boss said he is not
interested"), about the past ("we went with another vendor last year and regretted it"), or with
a contrast after it ("not interested in the blue one, but the red one looks great"); a courteous
contrast ("…, but thanks for reaching out") still declines.

Cue words are data (``Cues``); English is the only language so far.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from watcher.rules.expects_reply import sentences

PLAIN_WITHIN = 3  # plain wording declines in the first three sentences …
SHORT_MESSAGE = 5  # … or anywhere in a message of at most five sentences
FIRM_WITHIN = 10  # firm wording in the first ten; further down it is a footer ("Unsubscribe")


@dataclass(frozen=True)
class Cues:
    """The words of one language that the decline rules know. Each is a regex alternative."""

    firm: tuple[str, ...]
    plain: tuple[str, ...]
    question_requests: str  # "can you please remove me …?" is a firm request, not a question
    conditions: str
    trailing_conditions: str  # "not moving forward until legal signs off"
    reported: str  # "he said", "my boss thinks": someone else's no
    past: str  # "last year", "previously": history, not a decision
    hedges: str  # "I'm not sure it's a fit": no decision
    contrasts: str  # "…, but the red one looks great"
    courteous_contrasts: str  # "…, but thanks for reaching out"
    firm_words: str  # at least one of these (lower case) is in every firm decline …
    plain_words: str  # … and one of these in every plain one: sentences without any skip the patterns


_WE = r"(?:i|we|i'm|we're|i've|we've|i'd|we'd|i'll|we'll)"
_SERVICE = (r"(?:vendor|provider|supplier|company|solution|option|partner|agency|firm|tool|product|platform|service|"
            r"candidate|offer|proposal|contractor|consultant|team|system|software)s?")
_OTHER = r"(?:another|a different|an alternative|an other|other|a competing|a competitor'?s?|someone else|a cheaper)"

ENGLISH = Cues(
    firm_words=r"list|database|mailing|distribution|newsletter|contacts|unsubscribe|\bstop\b|again|any ?more|"
               r"any further|future|want to|wish to",
    plain_words=r"interested|\bpass\b|\bno,? thank|another|different|alternative|\bother\b|competi|someone else|"
                r"cheaper|current|existing|incumbent|present|direction|\bfit\b|no (?:need|use|interest|budget|"
                r"requirement)|(?:need|use|requirement) for|forward|proceed|pursu|ahead|renew|looking",
    firm=(
        r"\b(?:remove|take|delete|drop)\s+(?:me|us|my (?:e-?mail|address|name|details)|our (?:e-?mail|address|names?"
        r"|details))\s+(?:from|off(?: of)?)\s+(?:your|the|this|all|any)\b[^.?!]{0,30}?\b(?:list|lists|database|"
        r"mailings?|distribution|newsletter|contacts)\b",
        r"^\W*(?:please\s+)?unsubscribe(?:\s+(?:me|us))?\b(?!\s+(?:link|button|here|page|option))",
        r"\b(?:i|we)\s+(?:would like|want|wish|'d like)\s+to\s+unsubscribe\b",
        r"\bstop\s+(?:e-?mailing|contacting|messaging|calling|spamming|writing to|sending (?:me|us)\b[^.?!]{0,20}?)"
        r"(?:\s+(?:me|us)\b)?(?=\s*(?:[,.!;]|$|\s+(?:please|now|immediately|already|again)\b))",
        r"\b(?:do not|don't|please don't|never)\s+(?:contact|e-?mail|call|message|write to|reach out to)\s+(?:me|us)"
        r"\s+(?:again|any ?more|any further|in (?:the )?future|ever again)\b",
        r"\b(?:i|we)\s+(?:no longer|do not|don't)\s+(?:want|wish)\s+to\s+(?:receive|get|hear from you|be contacted)\b",
    ),
    plain=(
        rf"\b{_WE}\s+(?:am\s+|are\s+)?(?:really\s+|just\s+|simply\s+|currently\s+|honestly\s+)?not\s+"
        rf"(?:really\s+|currently\s+)?interested\b(?!\s+in\s+(?!(?:this|that|it|your|these|those|the (?:offer|proposal|"
        rf"opportunity|product|service|role|position)|any|buying|purchasing|moving|pursuing|proceeding|continuing|"
        rf"a (?:demo|call|meeting)|further|changing|switching)\b))",
        r"^\W*(?:(?:sorry|thanks|thank you|unfortunately|honestly)\W+)?not\s+(?:really\s+)?interested\b"
        r"(?!\s+in\s+the\b(?!\s+(?:slightest|least)\b))",
        rf"\b{_WE}\s+(?:am\s+|are\s+|have\s+)?no longer\s+interested\b",
        rf"\b(?:{_WE}\s+(?:will|shall|'ll|'re going to|are going to|have to|'ll have to|will have to|must|would "
        rf"like to|'d like to|'ve decided to|have decided to|decided to)?\s*|\b(?:i|we)'ll\s+|^\W*(?:i|we)\s+|^\W*)"
        rf"pass(?:\s+on\s+(?:this|that|it|your (?:offer|proposal))(?:\s+(?:one|opportunity|offer|time|round))?)?"
        rf"(?:\s+(?:for now|this time|at this time|at the moment))?\s*(?:[,.!;]|$|\s+(?:thanks|thank you)\b)",
        r"^\W*no,?\s+(?:thanks|thank you)\b(?!\s+(?:for|to|needed|necessary|required|is needed|needed)\b)",
        rf"\b{_WE}\s+(?:have\s+|'ve\s+)?(?:decided\s+to\s+|chose\s+to\s+|opted\s+to\s+)?(?:go|gone|went|going|"
        rf"go ahead|move|moved|moving|proceed|proceeded|proceeding|sign|signed|stay|stick|stuck|partner|partnered)"
        rf"\s+(?:forward\s+)?(?:with|for|to)\s+{_OTHER}\b",
        rf"\b{_WE}\s+(?:have\s+|'ve\s+)?(?:decided on|chose|chosen|selected|picked|hired|engaged"
        rf"|awarded[^.?!]{{0,30}}to)"
        rf"\s+{_OTHER}\b",
        rf"\b{_WE}\s+(?:have\s+|'ve\s+)?(?:decided\s+to\s+)?(?:stay|stick|remain|continue)\s+with\s+(?:our|the)\s+"
        rf"(?:current|existing|incumbent|present)\s+{_SERVICE}",
        rf"\b{_WE}\s+(?:have\s+|'ve\s+)?decided\s+to\s+go\s+(?:in\s+)?(?:a\s+)?(?:different|another)\s+direction\b",
        r"\b(?:is|are|'s|isn't|aren't|not|wouldn't be|won't be)\s+(?:not\s+)?(?:a|the)\s+(?:good\s+|great\s+|right\s+)?"
        r"fit\s+(?:for\s+(?:us|our|me)|right now|at (?:this|the moment)|at present)\b",
        rf"\b{_WE}\s+(?:have|'ve got|has)\s+no\s+(?:need|use|interest|budget|requirement)\s+(?:for|in)\b",
        rf"\b{_WE}\s+(?:do not|don't)\s+have\s+(?:a|any)\s+(?:need|use|requirement)\s+for\b",
        rf"\b{_WE}\s+(?:are|'re|will|'ll|have|'ve)?\s*(?:not|n't|decided not to|chosen not to)\s+(?:be\s+)?"
        rf"(?:moving forward|move forward|going forward|proceeding|proceed|pursuing|pursue|going ahead|go ahead|"
        rf"renewing|renew)\b",
        rf"\b{_WE}\s+won't\s+be\s+(?:moving forward|proceeding|pursuing|going ahead|renewing)\b",
        rf"\b{_WE}\s+(?:are|'re|am|'m)\s+not\s+(?:currently\s+)?looking\s+(?:for|to (?:buy|purchase|change|switch))\b"
        rf"[^.?!]{{0,40}}(?:at (?:this|the) (?:time|moment)|right now|anymore|any more|currently)",
    ),
    question_requests=r"^\W*(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:just\s+)?"
                      r"(?:remove|take|stop|unsubscribe)\b",
    conditions=r"\b(?:if|unless|in case|whether|should you|provided|when|once)\b",
    trailing_conditions=r"\s*,?\s*(?:if|unless|until|when|once|before)\b",
    reported=r"\b(?:said|says|say|told|tells|thinks|thought|mentioned|feels|felt|believes|claims|claimed|heard|"
             r"wrote|according to)\b",
    past=r"\b(?:last (?:year|month|week|time|quarter)|previously|in the past|years? ago|months? ago|back then|"
         r"at the time|used to|originally|regrett?(?:ed|ing)?|didn't work out|did not work out|back in \d{4})\b",
    hedges=r"\b(?:not sure|unsure|wonder(?:ing)?|maybe|perhaps|might|may be|don't know|not certain|yet)\b",
    contrasts=r",?\s*\b(?:but|however|although|though|except|unless|until|yet|rather|instead|only)\b",
    courteous_contrasts=r"\s*(?:(?:we|i)\s+)?(?:thanks|thank you|appreciate|good luck|best of luck|wish you|"
                        r"(?:we|i) do appreciate|(?:we|i) really appreciate|(?:we|i) appreciate)\b",
)


@dataclass(frozen=True)
class _Rules:
    firm: re.Pattern
    firm_in_lower_case: re.Pattern
    firm_words: re.Pattern
    plain_words: re.Pattern
    plain_in_lower_case: re.Pattern
    plain: re.Pattern
    question_request: re.Pattern
    condition: re.Pattern
    trailing_condition: re.Pattern
    reported: re.Pattern
    past: re.Pattern
    hedge: re.Pattern
    contrast: re.Pattern
    courteous_contrast: re.Pattern


@lru_cache(maxsize=None)
def _rules(cues: Cues) -> _Rules:
    def compiled(pattern: str) -> re.Pattern:
        return re.compile(pattern, re.IGNORECASE)

    return _Rules(
        firm=compiled("|".join(f"(?:{cue})" for cue in cues.firm)),
        plain=compiled("|".join(f"(?:{cue})" for cue in cues.plain)),
        firm_words=re.compile(cues.firm_words), plain_words=re.compile(cues.plain_words),
        firm_in_lower_case=re.compile("|".join(f"(?:{cue})" for cue in cues.firm)),
        plain_in_lower_case=re.compile("|".join(f"(?:{cue})" for cue in cues.plain)),
        question_request=compiled(cues.question_requests), condition=compiled(cues.conditions),
        trailing_condition=compiled(cues.trailing_conditions),
        reported=compiled(cues.reported), past=compiled(cues.past), hedge=compiled(cues.hedges),
        contrast=compiled(cues.contrasts), courteous_contrast=compiled(cues.courteous_contrasts))


_rules(ENGLISH)


def find_decline(text: str, cues: Cues = ENGLISH) -> str | None:
    """Given the new text of a contact's message, return the sentence in which they say no for good
    (not interested, unsubscribe, went with someone else …), or None."""
    rules = _rules(cues)
    said = sentences(text)
    short = len(said) <= SHORT_MESSAGE
    for index, sentence in enumerate(said[:FIRM_WITHIN]):
        plain_allowed = short or index < PLAIN_WITHIN
        lowered = sentence.lower()
        plain_allowed = plain_allowed and bool(rules.plain_words.search(lowered))
        if not (plain_allowed or rules.firm_words.search(lowered)):
            continue  # the cheap gate: every decline pattern needs one of these words
        if _declines(sentence.replace("’", "'"), plain_allowed, rules):
            return sentence
    return None


def _declines(sentence: str, plain_allowed: bool, rules: _Rules) -> bool:
    """Given one sentence, return whether it declines; plain wording only when ``plain_allowed``."""
    lowered = sentence.lower()
    if not (rules.firm_in_lower_case.search(lowered) or (plain_allowed and rules.plain_in_lower_case.search(lowered))):
        return False  # the quick look: IGNORECASE makes Python's re several times slower
    firm = rules.firm.search(sentence)
    if firm and _stands(sentence, firm, rules, question_ok=bool(rules.question_request.match(sentence))):
        return True
    if not plain_allowed:
        return False
    plain = rules.plain.search(sentence)
    return bool(plain) and _stands(sentence, plain, rules, question_ok=False) and not rules.past.search(sentence)


def _stands(sentence: str, match: re.Match, rules: _Rules, question_ok: bool) -> bool:
    """Given decline wording in a sentence, return whether it is the writer's own unconditional no:
    not asked, not conditional, not reported, not hedged, not taken back by a contrast."""
    if sentence.rstrip(" )\"'").endswith("?") and not question_ok:
        return False
    before, after = sentence[:match.start()], sentence[match.end():]
    if rules.condition.search(before) or rules.reported.search(before) or rules.hedge.search(before):
        return False
    if rules.trailing_condition.match(after):
        return False
    contrast = rules.contrast.search(after)
    return contrast is None or bool(rules.courteous_contrast.match(after, contrast.end()))
