"""Declines: a contact says no for good, which closes the thread; or says *not now*, which is
permission to come back later.

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

A no **limited in time** is a soft no, not a decline: "we're all set for now", "this isn't a
priority for us this year", "not the right time", "we'll pass for now", "let's put this on hold
until Q3". ``find_not_now`` returns it with the date it leaves the door open again: the time it
names ("until Q3", "after the summer"), the first business day of January for "this year" or "next
year", and three months (``NOT_NOW_MONTHS``) for "for now", "right now", "at the moment".

An **objection** is neither: "we have no budget for this", "it's too expensive" want an answer, so
the thread stays a normal tracked conversation.

Cue words are data (``Cues``); English is the only language so far.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from watcher.rules.dates import find_dates, first_workday_of_year, months_after
from watcher.rules.expects_reply import sentences

PLAIN_WITHIN = 3  # plain wording declines in the first three sentences …
SHORT_MESSAGE = 5  # … or anywhere in a message of at most five sentences
FIRM_WITHIN = 10  # firm wording in the first ten; further down it is a footer ("Unsubscribe")
NOT_NOW_MONTHS = 3  # "we're all set for now": ask again in three months


@dataclass(frozen=True)
class NotNow:
    """A soft no: ``text`` the sentence, ``due`` when the door opens again, ``due_text`` why then."""

    text: str
    due: date
    due_text: str


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
    not_now: tuple[str, ...]  # a no that says its own time is not now ("not a priority", "all set for now")
    not_now_words: str  # one of these (lower case) is in every not-now wording
    limited: str  # a time that limits a no: "for now", "at the moment", "this year", "yet"
    this_year: str  # a limit that ends with the year: the door opens in January


_WE = r"(?:i|we|i'm|we're|i've|we've|i'd|we'd|i'll|we'll)"
_WE_ARE = r"(?:i\s*(?:'m|\s+am)|we\s*(?:'re|\s+are))"
# the writer's decision to do something: "we'll", "we're going to", "we have decided to"
_WE_WILL = (r"(?:(?:i|we)\s*(?:'ll|'re going to|'m going to|\s+will|\s+shall|\s+are going to|\s+am going to|"
            r"\s+have decided to|'ve decided to|\s+decided to|\s+chose to|\s+opted to|\s+have chosen to)\s+)")
_SERVICE = (r"(?:vendor|provider|supplier|company|solution|option|partner|agency|firm|tool|product|platform|service|"
            r"candidate|offer|proposal|contractor|consultant|team|system|software)s?")
_OTHER = r"(?:another|a different|an alternative|an other|other|a competing|a competitor'?s?|someone else|a cheaper)"

ENGLISH = Cues(
    firm_words=r"list|database|mailing|distribution|newsletter|contacts|unsubscribe|\bstop\b|again|any ?more|"
               r"any further|future|want to|wish to",
    plain_words=r"interested|\bpass\b|\bno,? thank|another|different|alternative|\bother\b|competi|someone else|"
                r"cheaper|current|existing|incumbent|present|direction|\bfit\b|no (?:need|use|interest|"
                r"requirement)|(?:need|use|requirement) for|forward|proceed|pursu|ahead|renew|looking|needing|"
                r"in-house|in house|internally|ourselves|signed with|going with",
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
        rf"\b(?:{_WE_WILL}|{_WE}\s+(?:have to|'ll have to|will have to|must|would "
        rf"like to|'d like to|'ve decided to|have decided to|decided to)?\s*|\b(?:i|we)'ll\s+|^\W*(?:i|we)\s+|^\W*)"
        rf"pass(?:\s+on\s+(?:this|that|it|your (?:offer|proposal))(?:\s+(?:one|opportunity|offer|time|round))?)?"
        rf"(?:\s+(?:this time|for now|at this time|at the moment))?\s*(?:[,.!;]|$|\s+(?:thanks|thank you)\b)",
        r"^\W*(?:(?:thanks|thank you),? but\s+)?no,?\s+(?:thanks|thank you)\b(?!\s+(?:for|to|needed|necessary|required|"
        r"is needed|needed)\b)",
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
        # "no budget" is left out: an objection to answer, not a no
        rf"\b{_WE}\s+(?:have|'ve got|has)\s+no\s+(?:need|use|interest|requirement)\s+(?:for|in)\b",
        rf"\b{_WE}\s+(?:won't|will not|don't|do not)\s+(?:be\s+)?need(?:ing)?\s+(?:this|it|that|them|your|the|any)\b",
        # making instead of buying: "we're going to build this in-house", "we'll handle it ourselves"
        rf"\b{_WE_WILL}(?:build|do|develop|handle|keep|make|run)\s+(?:it|this|that|them|one)?\s*(?:in-house|in house|internally|"
        rf"ourselves|on our own)\b",
        rf"\b{_WE}\s+(?:have\s+|'ve\s+)?(?:just\s+)?(?:signed|gone|going)\s+with\s+(?!you\b|your\b)[A-Z]\w+",
        rf"\b{_WE}\s+(?:do not|don't)\s+have\s+(?:a|any)\s+(?:need|use|requirement)\s+for\b",
        rf"\b{_WE}\s+(?:are|'re|will|'ll|have|'ve)?\s*(?:not|n't|decided not to|chosen not to)\s+(?:be\s+)?"
        rf"(?:moving forward|move forward|going forward|proceeding|proceed|pursuing|pursue|going ahead|go ahead|"
        rf"renewing|renew)\b",
        rf"\b{_WE}\s+won't\s+be\s+(?:moving forward|proceeding|pursuing|going ahead|renewing)\b",
        rf"\b{_WE}\s+(?:are|'re|am|'m)\s+not\s+(?:currently\s+)?looking\s+(?:for|to (?:buy|purchase|change|switch))\b"
        rf"[^.?!]{{0,40}}(?:at (?:this|the) (?:time|moment)|right now|anymore|any more|currently)",
    ),
    not_now_words=r"priorit|all set|covered|good for|fine for|set for|right time|good time|timing|not now|not right now|"
                  r"hold|park|table|shelv|not ready|back burner|revisit|bandwidth|not this|maybe|later this|pass for|"
                  r"pass at|pass this|circle back later|frozen|freeze|paus|wait|plate|busy|swamped|slammed|can't|"
                  r"cannot|can not|leave it|leave this|leave that|down the road",
    # the ways of saying "not now" in a reply to an offer (a usage family, not single sentences):
    # it is not a priority; we are covered for the time being; the timing is wrong; we are holding it
    not_now=(
        r"\b(?:this|it|that|the project|the idea)(?:\s+(?:just|really|simply|honestly|currently))?\s*(?:is|'s|isn't|"
        r"is not|won't be|will not be|wouldn't be)\s+"
        r"(?:(?:just|really|simply|currently|honestly|not)\s+)*(?:a|an)\s+(?:top\s+|high\s+|big\s+|real\s+|"
        r"immediate\s+)?priority\b",
        rf"(?:\b(?:{_WE_ARE}|(?:it|this)\s+(?:is|'s))\s+|^\W*(?:(?:sorry|thanks|thank you|honestly|unfortunately)\W+)?)"
        rf"not\s+(?:a|our)\s+(?:top\s+|high\s+)?priority\b",
        rf"\b{_WE_ARE}\s+(?:all\s+set|all\s+good|covered|good|fine|set|okay|ok)\b(?=[^.?!]{{0,40}}"
        rf"\b(?:for now|for the moment|at the moment|right now|for the time being|at this time|at present|currently|"
        rf"this year|this quarter|for this year)\b)",
        r"(?:^|\b(?:it's|it is|this is|now is|now's)\s+)\W*not\s+(?:the\s+|a\s+)?(?:right|good|best|ideal)\s+time\b",
        r"\bthe\s+timing\s+(?:isn't|is not|is wrong|is off|just isn't|doesn't work|is bad)\b|\bbad\s+timing\b",
        r"(?:^\W*(?:(?:sorry|thanks|thank you|unfortunately|honestly)\W+)?|,\s*|\bbut\s+)not\s+(?:right\s+)?now\b"
        r"|^\W*(?:(?:sorry|thanks|thank you|unfortunately|honestly)\W+)?not\s+(?:this|at the|for the)\s+"
        r"(?:year|quarter|moment|time being)\b",
        rf"(?:\b{_WE_WILL}|\b{_WE_ARE}\s+(?:going to\s+)?|\b(?:i|we)(?:'ve|\s+have)\s+(?:just\s+|now\s+)?"
        rf"|\b(?:i|we|let's|let us)\s+(?:have to|'ll have to|need to|must|"
        rf"should)?\s*)(?:hold(?:ing)?\s+off|put(?:ting)?\s+(?:this|it|that|things|everything|(?:the|our|my)\s+[a-z]+)\s+"
        rf"on\s+(?:hold|ice|the back burner)|"
        rf"park(?:ing)?\s+(?:this|it|that)|tabl(?:e|ing)\s+(?:this|it|that)|shelv(?:e|ing)\s+(?:this|it|that)|"
        rf"paus(?:e|ing)\s+(?:this|it|that|things))\b",
        # a freeze named in any noun phrase: "all new purchases are on hold", "our budget is frozen"
        rf"\b(?:this|it|that|(?:all\s+|any\s+)?(?:the\s+|our\s+|my\s+)?(?:new\s+)?[a-z]+s?)\s+(?:is|are|'s|'re|has been|"
        rf"have been|was|were)\s+(?:currently\s+|still\s+)?(?:on\s+hold|on\s+ice|shelved|parked|tabled|paused|"
        rf"frozen|on\s+the\s+back\s+burner)\b",
        rf"\b(?:this|it|that|things)\s*(?:will|'ll|would|'d|is going to|'s going to)\s+(?:have|need)\s+to\s+wait\b",
        rf"\b(?:{_WE}\s+(?:have|'ve got|has)\s+(?:too\s+much|a\s+lot|enough|plenty)\s+on\s+(?:our|my)\s+plate"
        rf"|{_WE_ARE}\s+(?:just\s+|really\s+|way\s+)?(?:too\s+)?(?:busy|swamped|slammed|stretched(?:\s+thin)?|"
        rf"maxed\s+out))\b",
        rf"\b(?:i|we)\s*(?:can't|cannot|can not|won't be able to|will not be able to|couldn't)\s+(?:look at|consider|"
        rf"take on|commit to|start|evaluate|buy|purchase|sign|approve|move on|do)\s+(?:anything|this|it|that|new|more|"
        rf"any)\b(?=[^.?!]*\b(?:before|until|till|this year|this quarter|right now|at the moment|for now)\b)",
        rf"\b(?:let's|let us|(?:i|we)\s*(?:'ll|\s+will|\s+should))\s+leave\s+(?:it|this|that|things)\s+(?:for\s+now|"
        rf"there|for\s+the\s+moment|at\s+that)\b",
        rf"\b{_WE_ARE}\s+(?:covered|set|good|locked\s+in|committed|under\s+contract)\s+(?:through|thru|until|till)\b",
        r"^\W*maybe\s+(?:down the road|later|in the future|some ?day|another time)\b|\bmaybe\s+down\s+the\s+road\b",
        rf"\b{_WE_ARE}\s+not\s+(?:quite\s+)?ready\s+(?:to|for|yet)\b",
        rf"\b{_WE}\s+(?:don't|do not)\s+have\s+(?:the\s+)?(?:bandwidth|capacity|time)\b",
        r"^\W*maybe\s+(?:next|later|in|after)\b",
    ),
    limited=r"\b(?:for now|for the moment|at the moment|right now|for the time being|at this time|at this point|"
            r"at present|currently|yet|this year|this quarter|for this year|for the rest of the year|this time)\b",
    this_year=r"\b(?:this|for this|the rest of the|rest of the) year\b|\bnot\s+this\s+year\b",
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
                        r"(?:we|i) do appreciate|(?:we|i) really appreciate|(?:we|i) appreciate|(?:i|we)(?:'ll| will) keep "
                        r"(?:your|you)|keep (?:your|you))\b",
)


@dataclass(frozen=True)
class _Rules:
    firm: re.Pattern
    firm_in_lower_case: re.Pattern
    firm_words: re.Pattern
    plain_words: re.Pattern
    not_now: re.Pattern
    not_now_words: re.Pattern
    limited: re.Pattern
    limited_in_lower_case: re.Pattern
    this_year: re.Pattern
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
        not_now=compiled("|".join(f"(?:{cue})" for cue in cues.not_now)), not_now_words=re.compile(cues.not_now_words),
        limited=compiled(cues.limited), limited_in_lower_case=re.compile(cues.limited),
        this_year=compiled(cues.this_year),
        firm_in_lower_case=re.compile("|".join(f"(?:{cue})" for cue in cues.firm)),
        plain_in_lower_case=re.compile("|".join(f"(?:{cue})" for cue in cues.plain)),
        question_request=compiled(cues.question_requests), condition=compiled(cues.conditions),
        trailing_condition=compiled(cues.trailing_conditions),
        reported=compiled(cues.reported), past=compiled(cues.past), hedge=compiled(cues.hedges),
        contrast=compiled(cues.contrasts), courteous_contrast=compiled(cues.courteous_contrasts))


_rules(ENGLISH)


@lru_cache(maxsize=8)
def find_decline(text: str, cues: Cues = ENGLISH) -> str | None:
    """Given the new text of a contact's message, return the sentence in which they say no for good
    (not interested, unsubscribe, went with someone else …), or None. Cached: the soft-no rule asks
    the same question of the same text."""
    rules = _rules(cues)
    said = sentences(text)
    short = len(said) <= SHORT_MESSAGE
    for index, sentence in enumerate(said[:FIRM_WITHIN]):
        plain_allowed = short or index < PLAIN_WITHIN
        lowered = sentence.lower()
        plain_allowed = plain_allowed and _plain_wording(lowered, rules)
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
    return any(_stands(sentence, plain, rules, question_ok=False) and not rules.past.search(_clause_around(sentence, plain))
               and not rules.limited.search(sentence[plain.start():]) for plain in rules.plain.finditer(sentence))


_CLAUSE_EDGE = re.compile(r"[;:—]|,\s*(?:so|and|but|which|as)\b|\s+(?:so|because|since|although|though)\s+")


def _clause_around(sentence: str, match: re.Match) -> str:
    """The clause of ``sentence`` that holds ``match``: "We signed with X last week, so we won't be
    needing this" → "so we won't be needing this"."""
    start, end = 0, len(sentence)
    for edge in _CLAUSE_EDGE.finditer(sentence):
        if edge.end() <= match.start():
            start = edge.start()
        elif edge.start() >= match.end():
            end = edge.start()
            break
    return sentence[start:end]


def find_not_now(text: str, received_at: datetime, date_order: str = "dmy", cues: Cues = ENGLISH) -> NotNow | None:
    """Given the new text of a contact's message and when it was written (in the writer's offset),
    return their soft no ("we're all set for now", "not a priority this year", "we'll pass for now")
    with the date the door opens again, or None. A firm decline anywhere in the text wins."""
    rules = _rules(cues)
    said = sentences(text)
    short = len(said) <= SHORT_MESSAGE
    considered = " ".join(said[:FIRM_WITHIN if short else PLAIN_WITHIN]).lower().replace("’", "'")
    if not (any(word in considered for word in _NOT_NOW_SUBSTRINGS) and rules.not_now_words.search(considered)) \
            and not (any(word in considered for word in _LIMIT_SUBSTRINGS) and _plain_wording(considered, rules)
                     and rules.limited_in_lower_case.search(considered)):
        return None  # the cheap gate: not-now wording, or a plain no limited in time ("pass for now")
    if find_decline(text, cues) is not None:
        return None
    for index, sentence in enumerate(said[:FIRM_WITHIN]):
        if not (short or index < PLAIN_WITHIN):
            break
        lowered = sentence.lower().replace("’", "'")
        wording = None
        if rules.not_now_words.search(lowered):
            wording = rules.not_now.search(lowered)
        if wording is None and rules.plain_words.search(lowered):
            plain = rules.plain.search(lowered)
            if plain is not None and rules.limited.search(lowered[plain.start():]):
                wording = plain  # "we'll pass for now", "not interested at the moment"
        if wording is None or not _stands(lowered, wording, rules, question_ok=True, until_ok=True):
            continue
        following = said[index + 1].lower().replace("’", "'") if index + 1 < len(said) else ""
        due, why = _door_opens(lowered, received_at, date_order, rules, following)
        return NotNow(sentence, due, why)
    return None


# plain substrings of every not-now wording and time limit, checked before any pattern (much cheaper)
_LIMIT_SUBSTRINGS = ("now", "moment", "time", "point", "present", "currently", "yet", "year", "quarter")
# plain substrings of every plain decline's wording (the ``plain_words`` cue), checked before its pattern
_PLAIN_SUBSTRINGS = ("interested", "pass", "thank", "another", "different", "alternative", "other", "competi",
                     "someone else", "cheaper", "current", "existing", "incumbent", "present", "direction", "fit",
                     "no need", "no use", "no interest", "no requirement", "need for", "use for", "requirement for",
                     "forward", "proceed", "pursu", "ahead", "renew", "looking", "needing", "in-house", "in house",
                     "internally", "ourselves", "signed with", "going with")


def _plain_wording(lowered: str, rules: _Rules) -> bool:
    return any(word in lowered for word in _PLAIN_SUBSTRINGS) and bool(rules.plain_words.search(lowered))


_NOT_NOW_SUBSTRINGS = ("priorit", "all set", "covered", "good for", "fine for", "set for", "right time", "good time",
                       "timing", "not now", "right now", "hold", "park", "table", "shelv", "ready", "burner",
                       "revisit", "bandwidth", "not this", "maybe", "later this", "pass ", "froz", "freeze", "paus",
                       "wait", "plate", "busy", "swamped", "slammed", "can't", "cannot", "can not", "leave it",
                       "leave this", "leave that", "down the road", "stretched", "maxed", "locked in", "committed",
                       "under contract")


def _door_opens(sentence: str, received_at: datetime, date_order: str, rules: _Rules,
                following: str = "") -> tuple[date, str]:
    """When a soft no may be asked about again: the time it (or the next sentence, "Maybe next year.")
    names, the day after for "covered through June", January for this year's no, or
    ``NOT_NOW_MONTHS`` months."""
    today = received_at.date()
    this_year = rules.this_year.search(sentence)
    for text in (sentence, following):
        later = [(start, when, words) for start, _, when, words in find_dates(text, received_at, date_order)
                 if when > today + timedelta(days=1) and not (text is sentence and this_year
                                                               and this_year.start() <= start < this_year.end())]
        if later:
            start, when, words = later[0]
            through = re.search(r"\b(?:through|thru)\s+(?:the\s+)?$", text[:start])
            return (when + timedelta(days=1) if through else when), words
    if this_year:
        return first_workday_of_year(today.year + 1), this_year.group(0)
    limit = rules.limited.search(sentence)
    return months_after(today, NOT_NOW_MONTHS), limit.group(0) if limit else "for now"


def _stands(sentence: str, match: re.Match, rules: _Rules, question_ok: bool, until_ok: bool = False) -> bool:
    """Given decline wording in a sentence, return whether it is the writer's own unconditional no:
    not asked, not conditional, not reported, not hedged, not taken back by a contrast. With
    ``until_ok`` a following "until …" is the no's own horizon ("on hold until Q3"), not a condition."""
    if sentence.rstrip(" )\"'").endswith("?") and not question_ok:
        return False
    before, after = sentence[:match.start()], sentence[match.end():]
    if rules.condition.search(before) or rules.reported.search(before) or rules.hedge.search(before):
        return False
    if until_ok:
        return True  # a not-now's "until …", "but maybe next year" only say when: no contrast takes it back
    if rules.trailing_condition.match(after):
        return False
    contrast = rules.contrast.search(after)
    return contrast is None or bool(rules.courteous_contrast.match(after, contrast.end()))
