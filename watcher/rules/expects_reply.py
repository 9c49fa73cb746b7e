"""Does a message of mine ask something of the recipient?

A message expects a reply when one of its sentences is a *request*: it asks the recipient to
answer, decide, do or send something. That covers

- questions to the recipient ("Did the contract arrive?", "…, right?");
- imperatives and "please …" ("Send me the draft.", "Call me.");
- "can/could/would/will you …" and "let me know …" when a real answer is wanted;
- indirect requests ("I was wondering if …", "I'd appreciate your comments", "I'd like to know …");
- proposals that need the recipient's agreement ("We should talk.", "Let's …", "What about …?");
- short instructions to an assistant ("for meeting file", "Print for my file.").

A message also expects a reply, with no question in it, when it sends a document that waits on the
recipient's decision or comments (a proposal, quote, contract or draft: ``awaits_decision``), or
when it bumps something that waits ("Just following up on the below": ``is_bump``).

Not requests: pleasantry and rhetorical questions ("How's it going?"), conditional courtesy
closers ("Let me know if you have any questions"), pointers to attachments ("Please find
attached …"), advice phrased as a statement ("I think you should …"), thanks, reports and
promises. A message that says it needs no reply ("no need to reply") expects none.

The rules read grammar and wording only; they know nothing about particular senders.
"""

from __future__ import annotations

import functools
import re

# --- sentences ------------------------------------------------------------------------------------
_LIST_ITEM = re.compile(r"^\s*(?:[-*•·o]\s+|\(?\d{1,2}[.)]\s+|\(?[a-z][.)]\s+)")
_NAME = r"[A-Z][\w'.-]*"  # a capitalised word; the patterns below are case-sensitive except in (?i:…)
_SALUTATION = re.compile(
    rf"^(?:(?i:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings)\b"
    rf"(?:[\s,]+(?:{_NAME}|(?i:all|everyone|everybody|team|folks|guys|there|y'all)))*\s*(?:[,:!.]|-{{1,2}})?"
    rf"|{_NAME}(?:\s*(?:{_NAME}|and|&|/)){{0,4}}\s*(?:,|:|-{{1,2}}))\s*$")
_SALUTATION_PREFIX = re.compile(rf"^(?i:hi|hello|hey|dear)\s+{_NAME}(?:\s+{_NAME})?\s*[,:!-]\s+")
_VALEDICTION = re.compile(
    r"^(?i:thanks|thank you|thanks again|thanks much|many thanks|thx|tia|regards|best regards|kind regards"
    r"|warm regards|warmest regards|best wishes|best|cheers|sincerely|yours(?: truly| sincerely)?|cordially"
    rf"|respectfully|all the best|take care|love|ciao|later)\b[\s,.!]*(?:-+\s*)?(?:{_NAME}\s*){{0,3}}$")
_DASH_NAME = re.compile(rf"^-{{1,2}}\s*{_NAME}(?:\s+{_NAME}){{0,2}}\s*$")
_POSTSCRIPT = re.compile(r"^p\.?\s?s\b", re.IGNORECASE)
_FOOTER_RULE = re.compile(r"^(?:[_*=~]\s*){8,}$")
_BARE_URL = re.compile(r"^<?(?:https?://|www\.)\S+>?$", re.IGNORECASE)
_HEADING_CONTINUES = re.compile(r"[,;\-/&(]$|\b(?:and|or|the|a|to|of|in|for|with)$", re.IGNORECASE)
# A sentence ends at . ! or ? before a capital, a digit or a quote; ! and ? end one before anything.
_SENTENCE_END = re.compile(r"([.!?]+[\"')\]]*)\s+(?=[\"'(\[]?[A-Z0-9])|([!?]+[\"')\]]*)\s+")
_ABBREVIATION = re.compile(r"(?:\b(?:mr|mrs|ms|dr|prof|st|jr|sr|vs|no|e\.g|i\.e|p\.s|a\.m|p\.m|u\.s|approx|dept|ext)"
                           r"|(?<![\w.])[A-Z])$", re.IGNORECASE)
_LIST_NUMBER_ONLY = re.compile(r"^\(?\d{1,2}[.)]$")
_BREAK = "\x00"


def sentences(text: str) -> list[str]:
    """Given the new text of a message, return its sentences with whitespace collapsed.

    Hard-wrapped lines are joined; list items, blank lines and short heading lines end a
    sentence. The salutation line ("Hi Sally,"), the sign-off with everything under it
    ("Thanks,\\nJohn", "--John") except a "P.S.", footers under a long rule and bare URLs are left out.
    """
    return list(_split_sentences(text or ""))


@functools.lru_cache(maxsize=8)
def _split_sentences(text: str) -> tuple[str, ...]:
    """Cached: every detector reads the same message's sentences, one after the other."""
    result: list[str] = []
    for segment in _segments(text or ""):
        pending = ""
        for part in _SENTENCE_END.sub(_mark_break, segment).split(_BREAK):
            part = part.strip()
            if _LIST_NUMBER_ONLY.match(part):
                pending = part + " "  # "1." belongs to the item it numbers
            elif part:
                result.append(pending + part)
                pending = ""
    return tuple(result)


def _mark_break(match: re.Match) -> str:
    punctuation = match.group(1) or match.group(2)
    before = match.string[max(0, match.start() - 8):match.start()]
    if punctuation == "." and _ABBREVIATION.search(before):
        return match.group(0)  # "P.S. Can", "Mr. Lee", "John F. Kennedy"
    return punctuation + _BREAK


def _segments(text: str) -> list[str]:
    """Paragraphs, list items and heading lines of the text, each joined into one line."""
    segments: list[str] = []
    current: list[str] = []
    seen_content = signed_off = False
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = " ".join(line.split())
        if signed_off:
            if not _POSTSCRIPT.match(line):
                continue
            signed_off = False
        if not line or (line[0] in "<hw" and _BARE_URL.match(line)):
            if current:
                segments.append(" ".join(current))
                current = []
            continue
        if line[0] in "_*=~" and _FOOTER_RULE.match(line):
            break  # ads, disclaimers and mailing-list footers sit under a rule
        if not seen_content:
            seen_content = True
            if _SALUTATION.match(line) and len(line) < 60:
                continue
            line = _SALUTATION_PREFIX.sub("", line)
        if len(line) < 45 and (_VALEDICTION.match(line) or (line[0] == "-" and _DASH_NAME.match(line))):
            signed_off = True
            continue
        if current and (_LIST_ITEM.match(line) or (_is_heading(current[-1]) and line[:1].isupper())):
            segments.append(" ".join(current))
            current = []
        current.append(line)
    if current:
        segments.append(" ".join(current))
    return segments


def _is_heading(line: str) -> bool:
    """A short line without end punctuation that a new capitalised line follows: a heading or name."""
    return len(line) < 30 and line[-1] not in ".!?" and not _HEADING_CONTINUES.search(line)


# --- requests -------------------------------------------------------------------------------------
# Patterns below run on the lower-cased sentence, except the two that need capitals (names).
_VOCATIVE = re.compile(
    r"^(?:[A-Z][\w'.]*(?:\s+[A-Z][\w'.]*)?\s*(?:,|/|&|\band\b)\s*){0,3}[A-Z][\w'.]*(?:\s+[A-Z][\w'.]*)?"
    r"\s*(?:,|-{1,2}|:)\s+(?=\S)")
_OPENER = re.compile(
    r"^(?:(?:also|and|so|but|then|finally|meanwhile|now|again|additionally|in addition|ok|okay|oh|well|"
    r"btw|by the way|otherwise|first|second|next|lastly|in the meantime|when you get a chance|"
    r"at your convenience|if possible|if so|if not|if yes|if no|either way|in any case|anyway)\b[,:;]?\s+"
    r"|\.{2,}\s*|-\s+)+", re.IGNORECASE)
_REQUEST_VERBS = (
    r"add|advise|arrange|ask|book|bring|buy|call|cancel|change|check|circulate|confirm|contact|coordinate|copy|correct|"
    r"delete|distribute|draft|e-?mail|edit|fax|fill|fix|follow|forward|get|give|go|handle|help|include|inform|"
    r"input|invite|look|mail|make|move|notify|order|pass|phone|pick|ping|place|prepare|print|process|"
    r"provide|pull|put|read|reconcile|remember|remind|remove|reply|reschedule|resend|reserve|respond|return|"
    r"review|revise|run|schedule|send|set|share|ship|sign|submit|take|talk|tell|think|transfer|try|type|"
    r"update|verify|write|see me")
# Words that can follow an imperative verb but not the same word used as a noun ("Call volumes rose").
_AFTER_VERB = (
    r"me|us|him|her|them|it|this|that|these|those|the|a|an|my|your|our|his|their|its|"
    r"all|some|any|both|each|every|another|one|two|no|everything|anything|someone|somebody|yourself|here|"
    r"up|back|out|over|off|down|in|into|on|at|to|for|with|about|through|ahead|sure|together|around|again|"
    r"and|or|if|whether|what|when|where|who|how|which")
_IMPERATIVE = re.compile(  # on the original case, so a capitalised name may follow the verb ("Call Maria")
    r"^(?:(?i:(?:please\s+)?(?:(?:don't|do not) forget to|remember to|be (?:sure|certain) to|make sure (?:to|that|you)))\s+\w"
    rf"|(?i:(?:please\s+)?(?:be (?:prepared|ready) to\s+)?(?:{_REQUEST_VERBS})\b\s*)"
    rf"(?:$|[.!]|[\"'A-Z0-9$]|(?i:(?:{_AFTER_VERB})\b)))")

_CLAUSE_BREAK = re.compile(r";\s+|\s+-{1,2}\s+|\.{3,}\s*|,?\s+and,?\s+(?=(?:if|please|let|feel|call|send)\b)")
_CLAUSE_MARKS = (";", " -", "..", " and")
_QUESTION_END = re.compile(r"\?[\s\"')\]!?]*$")
_TRAILING_ASIDE = re.compile(r"\s*(?:\([^()]*\)|:-?\)|;-?\)|:-?d)\s*[.!]?\s*$")
_ARTIFACT_QUESTION = re.compile(r"\.\s*\?$")  # "…sent to you.?": a stray '?' where a space was
_PLEASANTRY = re.compile(
    r"^(?:how(?:'s| is| are| was| were| have)\s+(?:it going|things|you|your|everything|life|the (?:weekend|trip|"
    r"holiday|vacation|family|kids))|what'?s up|how goes it|how have you been|how are you doing|"
    r"(?:are|were) you (?:partied|tired|having fun|enjoying)|isn't it (?:great|nice|amazing)|"
    r"did i (?:say|mention|tell you)|who knows|who cares|why not\??$|guess what|what else is new|"
    r"(?:(?:do you have|are there|have you got) )?(?:any )?(?:other |further |more )?(?:questions|problems|concerns)"
    r"(?: or (?:comments|concerns|questions))?\s*\?$)")
_RHETORICAL = re.compile(r"\b(?:thinking out loud|rhetorical question|just kidding|don't mind me)\b")
_BOILERPLATE = re.compile(
    r"\b(?:(?:received|got) this (?:\S+ )?(?:message|e-?mail|communication|transmission) in error|intended recipient|"
    r"unsubscribe|click here|visit (?:us|our)|(?:this|the) (?:message|e-?mail) (?:is|may be) (?:confidential|privileged))")
_ASIDE_WORDS = ("loud", "rhetorical", "kidding", "mind me", "error", "intended", "subscribe", "click", "visit",
                 "confidential", "privileged")
_NOMINAL_COURTESY = re.compile(  # "Questions or comments -- let me know."
    r"^(?:any )?(?:questions?|comments?|concerns?|problems?)(?:,? (?:or|and) (?:questions?|comments?|concerns?|problems?))?"
    r"\s*(?:\?|-+|:|,|\.{2,})\s*(?:please )?(?:let|call|e-?mail|contact|give|ping|see)\b")
_COURTESY = re.compile(
    r"\b(?:(?:do not|don't|dont) hesitate|feel free|happy to (?:help|answer|discuss)|glad to (?:help|answer)|"
    r"(?:call|contact|e-?mail|see) me for (?:further|more|additional|any) (?:background|information|info|details)|"
    # "call or e-mail with questions", "reach out with any concerns": a courtesy closer without its "if"
    r"(?:call|contact|e-?mail|write|ping|reach out|get in touch|come back)(?: (?:me|us))?(?: (?:or|and) \w+(?: me| us)?)?"
    r" with (?:any )?(?:further |other |more )?(?:questions|concerns|comments|problems|issues)\b|"
    r"(?:happy|glad) to (?:walk you through|go (?:over|through)|take you through|jump on a call|hop on a call)|"
    r"(?:i'm|i am|we're|we are) (?:here|available) (?:to|if|for|should))")
# The condition of a courtesy closer: "… if you have any questions", "… should you need anything".
_COURTESY_CONDITION = re.compile(
    r"\b(?:if|should|in case|whenever|when)\b[^.?!;]{0,60}?"
    r"(?:\b(?:any|further|more|additional|other|follow-?up)?\s*(?:questions?|q's|\?'s|comments?|concerns?|problems?|"
    r"issues?|clarification|assistance|trouble|difficult(?:y|ies))\b"
    r"|\bi (?:can|could|may) (?:help|assist|be of|do)\b|\banything (?:else )?(?:i|we) can\b"
    r"|\b(?:you|anyone) (?:need|want|wish|would like|require|care|prefer)\b|\byou'd (?:like|prefer|want|care)\b"
    r"|\bneed (?:anything|help|more|further)\b|\bthere (?:is|are) (?:any|anything)\b"
    r"|\b(?:something|anything) (?:else )?(?:comes up|changes|is (?:missing|wrong|unclear))\b"
    r"|\b(?:is )?preferr?ed\b)")
_FYI = re.compile(
    r"\b(?:please\s+)?(?:find|see)\s+(?:the\s+)?(?:attached|enclosed|below|above|attachment|following|my (?:note|notes|"
    r"comments) below)\b|\bplease find\b[^.?!]{0,60}\b(?:attached|enclosed|below|herewith)\b|"
    r"\bfor (?:more|further|additional) (?:information|info|details|background)\b|\battached,? please find\b|\bplease (?:note|be (?:advised|aware|informed))\b"
    r"|\bplease (?:see|read) (?:the )?(?:attached|below|article|note|message)\b|\bfor your (?:information|review|"
    r"records|files|reference|reading pleasure)\b(?! and)")
_FYI_THEN_ASK = re.compile(r"\b(?:and|then)\s+(?:please\s+)?(?:let|call|send|sign|review|return|confirm|advise)\b")
_THANKS = re.compile(r"^(?:thanks|thank you|many thanks|thx)\b")

_MODAL_YOU = re.compile(r"\b(?:can|could|would|will|won't)\s+(?:you|u|y'all|you all|you guys)\b(?!\s+(?:believe|imagine))"
                        r"|^(?:do|did|does|are|were|have|has|is|didn't|don't|haven't|aren't) you\b")
_LET_KNOW = re.compile(  # on the original case: "let Sally know" asks, "let everyone know" announces
    r"(?i:\blet (?:me|us|him|her|them) know\b|\blmk\b|\bget back to (?:me|us)\b|"
    r"\b(?:give|drop) (?:me|us) (?:a call|a ring|a line|a shout|your)\b)|\b[Ll]et [A-Z]\w* know\b")
_INDIRECT = re.compile(
    r"\b(?:i|we) (?:was|were|am|are) wondering\b|\b(?:i'm|we're|i've been|we've been) wondering\b"
    r"|\bi wonder (?:if|whether)\b"
    r"|\b(?:i|we)(?:'d| would| will)(?: (?:really|greatly|very much|certainly))? (?:appreciate|welcome|value)\b"
    r"|\b(?:i|we)(?:'d| would)(?: also| really)? (?:like|love|want) to (?:know|hear|get|have|see|receive|ask|request|nominate|invite|"
    r"set up|schedule|find out|confirm)\b"
    r"|\b(?:i|we)(?:'d| would)?(?: also| really)? (?:like|love|want|need) to (?:talk|discuss|meet|chat|speak|go over|"
    r"get together|sit down|catch up)\b[^.?!]{0,40}\b(?:you|u)\b"
    r"|\bit (?:would|will) be (?:great|helpful|nice|good|wonderful|appreciated) if you (?:could|would|can)\b"
    r"|\b(?:i|we)(?:'d| would) (?:like|love|want) (?:your|you to|someone|somebody)\b"
    r"|\b(?:i|we)(?:'ll| will)? need (?:you to|your|to (?:get|obtain|have|receive|see) your)\b"
    r"|\b(?:i|we) (?:need|want) (?:you to|your (?:help|input|comments|feedback|approval|signature|answer|thoughts))\b"
    r"|\b(?:i|we) (?:also |still )?(?:need|want|would like|expect) to (?:receive|hear|get|see) (?:\S+ ){0,4}?"
    r"(?:confirmation|comments|feedback|input|approval|answers?|responses?|sign-?offs?|signatures?)\b"
    r"|\byou(?:'ll| will)? (?:need|have) to\b|\byou (?:must|should|shall)\b(?! (?:be|have) (?:received|gotten|seen))"
    r"|\b(?:it's|it is|i'll leave it|i will leave it) (?:up )?to you to\b|^(?:it's |it is )?(?:entirely |all )?up to you\b"
    # not understanding what the reader wrote asks them to explain: "I'm not sure I understand your
    # second paragraph", "I don't follow your point about the credits"
    r"|\b(?:i'm|i am) (?:not sure (?:i|that i) (?:understand|follow)|unclear on|confused by|not clear on) (?:your|what you|"
    r"why you|how you|the point)\b|\bi (?:don't|do not|didn't|did not) (?:understand|follow|get) (?:your|what you|why you|"
    r"how you)\b"
    r"|\bawaiting your\b|\blook(?:ing)? forward to (?:your|receiving|getting (?:your|a reply|an answer|back|feedback|comments)|"
    r"hearing (?:from you|back|your|what|how|"
    r"whether|if|which|when))\b"
    r"|\byour (?:thoughts|comments|feedback|input|suggestions|advice|approval)\s+(?:would be|are|is)\s+"
    r"(?:\w+ ){0,2}(?:appreciated|welcome|helpful)\b"
    r"|\bfor your (?:comments?|approval|signature|input|feedback|decision|review and (?:any )?comments?|"
    r"review and (?:approval|signature|sign-?off)|sign-?off)\b|\bfor (?:review and )?(?:comments?|comment and review)\b")
_HEDGED_ADVICE = re.compile(
    r"\b(?:i think|i believe|i feel|i guess|i suppose|i suspect|in my (?:opinion|view)|i'd suggest|i would suggest|"
    r"i suggest|if you (?:want|wish|like|prefer)|maybe you|perhaps you|you might want)\b")
_PROPOSAL = re.compile(
    r"\b(?:we|you and i|you, \w+ and i|\w+ and i) (?:should|could|might|must|ought to|need to)\s+(?:probably |"
    r"perhaps |maybe |all |also )?(?:talk|meet|discuss|get together|chat|speak|sit down|have (?:a|another)|set up|"
    r"schedule|plan|go over|catch up|touch base|review)\b"
    r"|^(?:let's|lets|let us)\s+(?!(?:see|hope|say|face it|not forget|just say|be honest|assume|pray)\b)"
    r"|^(?:shall|should) we\b|^why (?:don't|dont|not) (?:you|we)\b|(?:^|[,;:]\s*)(?:what about|how about|why not)\b")
_FILING = (r"(?:(?:pls\s+)?(?:print|file|calendar|copy|schedule)|for (?:my |the |our )?(?:\w+ )?(?:file|files|calendar|"
           r"binder|folder|records)|(?:my |the |our )?(?:meeting |reading |travel )?(?:file|files|binder|folder))")
_ASSISTANT_NOTE = re.compile(  # "for meeting file", "Print for my file.", "calendar", "calendar and meeting file"
    rf"^(?:please\s+)?(?:(?:pls\s+)?(?:print|file|calendar|copy|schedule)(?:\s+(?:this|it|these|for|to|in|on)\b.*)?"
    rf"|for (?:my |the |our )?(?:\w+ )?(?:file|files|calendar|binder|folder|records)(?:\s+\w+)?"
    rf"|{_FILING}(?:\s*(?:,|and|&|\+)\s*{_FILING}){{1,3}})\W*$")
# Word gates: a pattern is only searched when the clause holds one of its words (keeps it fast).
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_PLEASE_WORDS = frozenset({"please", "pls", "plz", "kindly"})
_YOU_WORDS = frozenset({"you", "u", "y'all"})
_LET_KNOW_WORDS = frozenset({"know", "lmk", "back", "give", "drop"})
# wanting to hear: "I'm keen to hear how it lands", "curious to know what you think"
_WANTS_TO_HEAR = re.compile(
    r"\b(?:i'm|i am|we're|we are|i'd be|we'd be|i would be|we would be) (?:really |very )?(?:keen|eager|curious|"
    r"interested|anxious) to (?:hear|know|learn|get your) (?:what|how|if|whether|which|when|your|from you|back)\b")
_WANTS_TO_HEAR_WORDS = frozenset({"keen", "eager", "curious", "interested", "anxious"})
# a sign-off that waits on their approval: "If it looks right to you, I'll lock in the dates"
_IF_APPROVED = re.compile(
    r"^if (?:it|this|that|these|everything|all of this|the \w+) (?:looks|sounds|seems|works|reads) (?:\w+ )?(?:good|ok|"
    r"okay|right|fine|acceptable|correct) (?:to|for|with) you\b|^if you (?:agree|approve|are (?:ok|okay|fine|happy) "
    r"with)\b")
_INDIRECT_WORDS = frozenset({"understand", "follow", "unclear", "confused", "wondering", "wonder", "appreciate", "welcome", "value", "like", "love", "want", "need",
                             "expect", "must", "should", "shall", "have", "awaiting", "forward", "up", "your", "great",
                             "helpful", "nice", "good", "appreciated"})
_PROPOSAL_WORDS = frozenset({"should", "could", "might", "must", "ought", "need", "let's", "lets", "let", "shall", "about",
                             "why"})
_HEDGE_WORDS = frozenset({"think", "believe", "feel", "guess", "suppose", "suspect", "opinion", "view", "suggest",
                          "if", "maybe", "perhaps", "might"})
_CUE_WORDS = _PLEASE_WORDS | _YOU_WORDS | _LET_KNOW_WORDS | _INDIRECT_WORDS | _PROPOSAL_WORDS | _WANTS_TO_HEAR_WORDS | {"if"}


def _core(sentence: str) -> str:
    """The sentence without a leading vocative ("Sean - ", "Jeff, Steve, ") and openers ("Also, ")."""
    core = sentence.strip()
    for _ in range(3):  # "Also, Sean - please …"
        shorter = core
        if shorter[:1].isupper() and any(mark in shorter[:80] for mark in ",-:/&") or " and " in shorter[:80]:
            shorter = _VOCATIVE.sub("", shorter, count=1)
        if shorter[:1] in ".-" or shorter.split(" ", 1)[0].rstrip(",:;").lower() in _OPENER_FIRST_WORDS:
            shorter = _OPENER.sub("", shorter, count=1)
        if shorter == core:
            break
        core = shorter
    return core


# The first word of every _OPENER alternative: a sentence starting otherwise has no opener to drop.
_OPENER_FIRST_WORDS = frozenset({
    "also", "and", "so", "but", "then", "finally", "meanwhile", "now", "again", "additionally", "in", "ok", "okay",
    "oh", "well", "btw", "by", "otherwise", "first", "second", "next", "lastly", "when", "at", "if", "either",
    "anyway"})


def _is_question(lowered: str) -> bool:
    text = lowered
    while True:
        shorter = _TRAILING_ASIDE.sub("", text)
        if shorter == text:
            break
        text = shorter
    return bool(_QUESTION_END.search(text)) and not _ARTIFACT_QUESTION.search(text)


# --- mail that waits without asking ----------------------------------------------------------------
# A bump: a sentence whose only content is that something earlier still waits ("Just following up on
# the below", "Circling back on this", "Gentle nudge on the order form"). The forms are those of the
# follow-up lines in sales-writing guides: following up, circling back, checking in, bumping, nudging,
# making sure it was not lost, asking for any update.
_BUMP = re.compile(
    # the opening words, each at most once and in this order (no repetition: hostile text cannot make it backtrack)
    r"^(?:(?:i'm|i am|i|we|we're|we are)\s+)?(?:just\s+)?(?:(?:wanted|want|would like|'d like) to\s+)?(?:just\s+)?"
    r"(?:quickly\s+|briefly\s+|one more\s+|a quick\s+)?"
    r"(?:follow(?:ing)?[- ]?up|circl(?:e|ing) back|check(?:ing)? (?:in|back)|loop(?:ing)? back|touch(?:ing)? base|"
    r"bump(?:ing)?|nudg(?:e|ing)|ping(?:ing)?|re-?sen(?:d|ding)|re-?forward(?:ing)?|forwarding (?:this )?again)"
    # what it points back at: my earlier mail or "the below"; a follow-up "regarding the issues raised" brings news
    r"(?:\W*$|(?: (?:with you|again))?(?: (?:on|about|regarding|re:?|to|in on))? (?:the (?:below|above|email below|"
    r"note below|thread below)|below|this|that|it|my (?:\w+ )?(?:note|e-?mail|message|mail|voicemail|letter|"
    r"proposal|quote|offer)|our (?:\w+ )?(?:proposal|quote|offer)|the (?:\w+ ){0,4}(?:i|we) (?:sent|shared|"
    r"forwarded|emailed|mailed|put together|left)|where (?:we|things) (?:are|stand)|whether|if you))"
    r"|^(?:a |just a |this is a )?(?:gentle|friendly|quick|polite|brief|small|little|final|last)\s+(?:nudge|reminder|"
    r"bump|follow-?up|ping|note)\b(?!\s+(?:that|to (?:say|let)))"
    r"|\bbump(?:ing)? (?:this|it|my (?:note|email|e-mail|message))\b"
    r"|\b(?:wanted|want|just) to (?:make sure|check|see|confirm) (?:that |if |whether )?(?:(?:this|it|my (?:\w+ )?(?:note|"
    r"email|e-mail|message|mail))(?: didn't| did not| hasn't| has not| doesn't| does not)? (?:get|go|fall|got|went)"
    r" (?:lost|buried|missed|overlooked|through the cracks|to spam)|you (?:saw|got|received|had a chance|have seen|"
    r"have had a chance))\b"
    r"|\bin case (?:it|this|my (?:note|email|e-mail|message)|the (?:below|above)) (?:got|was|has been|went) (?:buried|"
    r"lost|missed|overlooked|to spam)"
    r"|^(?:any|an) (?:update|news|word|progress|movement|thoughts)\b")
_BUMP_WORDS = ("follow", "circl", "checking in", "check in", "checking back", "check back", "loop", "touch", "bump",
               "nudg", "ping", "resend", "re-send", "forward", "reminder", "make sure", "in case", "any update",
               "any news", "any word", "any progress", "any movement", "any thoughts", "an update", "wanted to check",
               "want to check", "to see if you", "to confirm you", "final note", "last note", "quick note")

# A document sent with the mail that exists to be accepted or declined: an offer to the recipient in
# the stages of a sale (quote, estimate, bid, proposal, pricing, order form, statement of work, term
# sheet, renewal offer), or anything sent "for your review/approval/signature". A draft, contract or
# agreement alone may be a delivery of what they asked for, so it needs one of those words or an ask.
_DECISION_DOCUMENT = re.compile(
    r"\b(?:proposals?|quotes?|quotations?|estimates?|bids?|offers?|term ?sheets?|sows?|statements? of work|"
    r"order forms?|pricing|price (?:proposal|quote|sheet)s?|lois?|letters? of intent|renewal (?:quote|offer|proposal|"
    r"terms)s?)\b"
    r"|\bfor (?:your )?(?:review|approval|signature|consideration|decision|comments?|feedback|input|sign-?off|"
    r"thoughts)\b")
_SENT_WITH_THIS = re.compile(
    r"\b(?:attached|enclosed|attaching|enclosing|here(?:'s| is| are)|below (?:is|are)|please find|(?:i'm|i am|we're|"
    r"we are) sending|sending (?:you|over|along)|i've (?:put together|drafted|prepared|written up)|i have (?:put "
    r"together|drafted|prepared))\b")
_SETTLED_DOCUMENT = re.compile(
    r"\b(?:signed|executed|countersigned|fully executed|final(?:ized|ised)? (?:and )?signed|for your (?:records|files|"
    r"information|reference)|for (?:your |our )?records|copy of (?:the|our|your) (?:signed|executed|final))\b")


_SENT_WORDS = ("attach", "enclos", "here", "below", "find", "sending", "put together", "drafted", "prepared",
               "written up")


def awaits_decision(sentence: str) -> bool:
    """Given one sentence of my mail, return whether it sends a document that waits on the
    recipient's decision or comments ("Attached is our proposal …", "Here's the revised quote"):
    not a signed or final one for their records."""
    lowered = sentence.lower().replace("’", "'")
    if not any(word in lowered for word in _SENT_WORDS):
        return False
    return bool(_SENT_WITH_THIS.search(lowered) and _DECISION_DOCUMENT.search(lowered)
                and not _SETTLED_DOCUMENT.search(lowered))


def is_bump(sentence: str) -> bool:
    """Given one sentence of my mail, return whether it bumps something that waits ("Just following
    up on the below", "Any update on this?", "Wanted to make sure this didn't get lost")."""
    lowered = sentence.lower().replace("’", "'")
    if not any(word in lowered for word in _BUMP_WORDS):
        return False  # the cheap gate, before the sentence is even trimmed
    return bool(_BUMP.search(_core(sentence).lower().replace("’", "'")))


def is_request(sentence: str) -> bool:
    """Given one sentence of a message I wrote, return whether it asks the recipient to answer,
    decide, do or send something (see the module docstring for what counts)."""
    core = _core(sentence.replace("’", "'"))
    lowered = core.lower()
    if not core or _PLEASANTRY.match(lowered) or _NOMINAL_COURTESY.match(lowered):
        return False
    if any(word in lowered for word in _ASIDE_WORDS) and (_RHETORICAL.search(lowered) or _BOILERPLATE.search(lowered)):
        return False
    if "?" in lowered and _is_question(lowered):
        return not _COURTESY.search(lowered)
    if not any(mark in core for mark in _CLAUSE_MARKS):
        return _clause_asks(core)
    # "Please review this and, if you have questions, let me know": the courtesy part of a sentence
    # does not cancel the request made in another of its clauses.
    return any(_clause_asks(_core(clause)) for clause in _CLAUSE_BREAK.split(core))


def _clause_asks(clause: str) -> bool:
    lowered = clause.lower()
    words = set(_WORD.findall(lowered))
    if _IMPERATIVE.match(clause) or _ASSISTANT_NOTE.match(lowered):
        asks = True
    elif words.isdisjoint(_CUE_WORDS):
        return False
    else:
        hedged = not words.isdisjoint(_HEDGE_WORDS) and bool(_HEDGED_ADVICE.search(lowered))
        if not hedged and not words.isdisjoint(_PROPOSAL_WORDS) and _PROPOSAL.search(lowered):
            return not _COURTESY.search(lowered)
        asks = bool(not words.isdisjoint(_PLEASE_WORDS)
                    or (not words.isdisjoint(_YOU_WORDS) and _MODAL_YOU.search(lowered))
                    or (not words.isdisjoint(_LET_KNOW_WORDS) and _LET_KNOW.search(clause))
                    or (not hedged and not words.isdisjoint(_INDIRECT_WORDS) and not _THANKS.match(lowered)
                        and _INDIRECT.search(lowered))
                    or (not words.isdisjoint(_WANTS_TO_HEAR_WORDS) and _WANTS_TO_HEAR.search(lowered))
                    or (lowered.startswith("if ") and _IF_APPROVED.match(lowered)))
    if not asks or _COURTESY.search(lowered) or _COURTESY_CONDITION.search(lowered):
        return False
    return not (_FYI.search(lowered) and not _FYI_THEN_ASK.search(lowered))


def asking_sentences(text: str) -> list[str]:
    """Given the new text of my message, return the sentences that ask the recipient to answer,
    decide or do something; none when the text says no reply is needed."""
    if not text or _says_no_reply_needed(text):
        return []
    said = sentences(text)
    return [sentence for index, sentence in enumerate(said)
            if _waits(sentence, index, len(said)) and not _answered_by_me(said, index)]


_NO_REPLY_WORDS = ("repl", "respon", "answer", "get back", "from you", "fyi", "out loud", "need to do", "for you to do",
                   "no action")
_NO_REPLY_NEEDED = re.compile(  # on the whole lower-cased text
    r"\b(?:no need to (?:reply|respond|answer|get back)|no (?:reply|response|answer|action) (?:is )?(?:needed|necessary|"
    r"required|expected)|(?:don't|do not|dont) (?:need to |have to )?(?:reply|respond|answer)|nothing (?:is )?"
    r"(?:needed|required) from you|just fyi|fyi only|just thinking out loud"
    r"|(?:nothing|\w+n't (?:\w+ ){0,3}anything|not (?:\w+ ){0,3}anything) (?:else )?(?:(?:that )?you need to do|for you to do|"
    r"(?:is )?(?:needed|required) (?:from|of|on) (?:you|your (?:side|end|part)))|no action (?:is )?(?:needed|required)"
    r"(?: on your (?:side|end|part)| from you)?)\b")


def expects_reply(text: str | None) -> bool | None:
    """Given the new text of my message, return whether it expects a reply; None if unknown
    (the body was not read)."""
    if text is None:
        return None
    if not text or _says_no_reply_needed(text):
        return False
    said = sentences(text)
    return any(_waits(sentence, index, len(said)) and not _answered_by_me(said, index)
               for index, sentence in enumerate(said))


# A question its writer answers at once asks nothing: "Are you interested in going? I thought not."
_SELF_ANSWER = re.compile(r"^\W*(?:i (?:thought|guess|figured|assume|suppose|bet) (?:not|so)|(?:probably|of course|"
                          r"guess) not|(?:i )?didn't think so|thought not|i doubt it)\b", re.IGNORECASE)


def _answered_by_me(said: list[str], index: int) -> bool:
    return said[index].rstrip().endswith("?") and index + 1 < len(said) and bool(_SELF_ANSWER.match(said[index + 1]))


BUMP_WITHIN = 2  # a bump opens a short note: one of its first two sentences …
BUMP_MAX_SENTENCES = 6  # … of a mail of at most six; further down a longer mail, "following up" brings news


def _waits(sentence: str, index: int = 0, count: int = 1) -> bool:
    """A sentence (``index`` of ``count`` in its mail) that leaves the message waiting for the
    recipient: a request, a document sent for their decision, or a bump of something that waits."""
    return is_request(sentence) or awaits_decision(sentence) or (
        index < BUMP_WITHIN and count <= BUMP_MAX_SENTENCES and is_bump(sentence))


def _says_no_reply_needed(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in _NO_REPLY_WORDS) and bool(_NO_REPLY_NEEDED.search(lowered))
