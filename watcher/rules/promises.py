"""Promises in my own mail: I (or we) commit to a future action toward the recipient.

Pure and stdlib only. A sentence is a promise when one of its clauses has a **commitment head**
(first person + future or commitment wording: "I'll", "we will", "I shall", "I'm going to",
"let me", "I hope/plan/intend to", a subject-less "Will …" or "…, and will …") followed by an
**action**: any verb except those of states, needs, knowledge, perception and discourse. Then:

- "I'll be …" is a promise only for "be there", "be in touch", "be happy to …" or an action in
  progress ("I'll be sending …"); "I'll be in Japan next week" is a future state.
- "I'll have it to you by Friday" is a delivery; "I'll have to", "I'll have a better idea" are not.
- Not promises: questions, negations ("I won't"), conditional offers ("if you have questions,
  I'll answer them"), pleasantries ("I'll see you tomorrow"), discourse ("let me explain"),
  stances ("I'll defer to you") and third parties' actions ("John will send it").
- Impersonal deliveries count: "Copies will be distributed", "the rest will follow today".

The due date comes from the commitment's own clause first ("…, but I'll send it next week"), then
from the rest of the sentence ("By Tuesday, I will send …"); see ``watcher.rules.dates``.

Cue words are data (``Cues``); English is the only language so far.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from watcher.rules.dates import DueDate, find_due
from watcher.rules.expects_reply import sentences


@dataclass(frozen=True)
class Promise:
    """``text`` is the sentence as written; ``due`` is None when it names no date."""

    text: str
    due: date | None = None
    due_text: str | None = None


@dataclass(frozen=True)
class Cues:
    """The words of one language that the promise rules know. Each is a regex alternative."""

    heads: tuple[str, ...]  # first person + future; the action verb follows
    subjectless: str  # "will"/"shall" with the subject left out
    first_person: str
    filler: str  # adverbs and softeners between head and verb ("also", "try to", "go ahead and")
    not_actions: tuple[str, ...]  # verbs after a head that make no promise
    pleasantries: tuple[str, ...]  # head + these words: no promise
    discourse: tuple[str, ...]  # "let me" + these words: talk about the message itself
    be_promises: tuple[str, ...]  # what may follow "I'll be" in a promise
    progressive_actions: tuple[str, ...]  # "I'll be sending": verb stems
    have_delivery: str  # "I'll have X to you/ready/done"
    negations: str
    conditions: str
    impersonal: str  # "Copies will be distributed"
    owe: str  # "I owe you a call"
    clause_breaks: str
    gate: str  # every commitment holds one of these words: sentences without any are skipped
    gate_words: tuple[str, ...]  # the same as plain lower-case substrings, checked first because it is cheaper
    speaker: str  # and every commitment names me/us, leaves the subject out, or is an impersonal delivery
    dropped_subject: str  # "Talked to legal and will …": the sentence starts with my verb, subject left out


ENGLISH = Cues(
    heads=(
        r"\b(?:i|we)\s*(?:'ll|’ll|\s+will|\s+shall|\s+am going to|'m going to|’m going to|\s+are going to"
        r"|'re going to|’re going to|\s+would be (?:happy|glad|delighted|pleased) to|'d be (?:happy|glad|delighted|pleased) to)\b",
        r"\b(?:i|we)\s+(?:also\s+|still\s+|really\s+)?(?:hope|plan|intend|expect|aim|promise|undertake|commit|mean)\s+to\b",
        r"\b(?:i|we)\s+should\s+(?=(?:be able to\s+)?(?:have|get)\b[^.;]*\b(?:to you|back to you|for you|over to you|ready)\b)",
        r"\blet me\b",
        r"\blet us\b(?!\s+know)",
        r"\blet's\b(?=\s+(?:get|set|schedule)\b)",
    ),
    subjectless=r"(?:^\s*|[,;:(]\s*|\b(?:and|but|then|so|&)\s+|\.\.\.\s*)(?:will|shall|'ll)\b",
    first_person=r"\b(?:i|we|i've|we've|i'm|we're|i'd|me|us)\b",
    filler=r"(?:(?:also|just|then|now|definitely|certainly|surely|probably|likely|personally|gladly|happily|"
           r"quickly|immediately|still|absolutely|really|further|soon|again|first|therefore|today|tomorrow|"
           r"try(?:\s+(?:to|and))?|attempt to|make (?:sure|certain) (?:to|and)|be sure to|go ahead and|"
           r"go back (?:to|and)|go (?:and|to)|come back (?:to|and)|get around to|work to|have time to|"
           r"(?:be )?(?:able|happy|glad|delighted|pleased|more than happy) to|do (?:my|our) best to|"
           r"endeavou?r to|need to double|take (?:the time|a minute|a moment) to)\s+)*",
    not_actions=(
        "be", "have to", "has to", "need", "needs", "must", "know", "see", "hear", "admit", "defer", "look forward",
        "miss", "assume", "guess", "bet", "say", "remember", "forget", "understand", "think", "wonder",
        "want", "like", "love", "hate", "feel", "stay", "remain", "wait", "end up", "probably be", "leave it",
        "leave that", "leave this", "tell you what", "thank", "apologi[sz]e", "congratulate", r"pass(?=\s*(?:[.,!;]|$|on (?:this|that|it)\b|for now|this time))", "attend",
        "meet", "use", "find out about", "probably need", "let you go", "keep that in mind",
        "keep it in mind", "keep this in mind", "keep in mind", "get", "take a (?:vacation|break|day off|holiday)",
        "go to", "come to", "talk to you (?:later|soon|then|tomorrow)", "talk w/you", "speak to you (?:later|soon)",
        "catch you", "chat (?:later|soon)", "receive", "get to see", "only", "not", "never", "no longer",
        "agree", "disagree", "accept", "take that as", "check (?:it )?out", "play", "enjoy", "return to the office",
        "be back", "back", "note", "mention", "quote", "copy", "cc", "bcc", "try it", "give it a (?:try|shot|go)",
        "look at it as", "consider it", "call it", "let it", "let that", "keep going", "spend", "sleep",
    ),
    pleasantries=(r"see you", r"talk (?:to|with|w/) ?you (?:later|soon|then|tomorrow|next)", r"look forward",
                  r"miss you", r"be in touch soon"),
    discourse=("know", "explain", "say", "add", "start", "begin", "point out", "clarify", "introduce", "reiterate",
               "summari[sz]e", "put it", "be clear", "be honest", "remind", "tell you", "ask you", "assure",
               "stress", "emphasi[sz]e", "note", "repeat", "rephrase", "try again", "correct myself", "first",
               "just say", "just add", "also say", "also add", "give you (?:some|a bit of) (?:background|context)",
               "describe", "outline", "walk you through (?:this|it|what)", "recap", "elaborate", "share (?:my|a few|some) thoughts"),
    be_promises=(r"there\b", r"in touch\b", r"back (?:to|with) you\b", r"(?:happy|glad|delighted|pleased|more than happy) to\b",
                 r"sure to\b", r"able to (?:send|get|have|provide|call|give|forward)\b", r"over\b(?! the)",
                 r"by (?:your|the) (?:office|desk)\b", r"coming\b", r"following up\b"),
    progressive_actions=(
        "send", "follow", "call", "forward", "contact", "reach", "email", "e-mail", "fax", "circulat", "distribut",
        "shar", "provid", "updat", "review", "check", "look", "set", "schedul", "arrang", "put", "draft",
        "writ", "touch", "get", "deliver", "mail", "ship", "post", "giv", "ring", "phon", "respond", "repl",
    ),
    have_delivery=r"have\s+(?!to\b|a (?:much )?(?:better|clearer) |more\b|no\b|an? (?:idea|sense|feel)\b)"
                  r"[^.;]{0,60}?\b(?:to you|for you|back to you|over to you|ready|done|finished|sent|over|out|"
                  r"completed|available|in (?:your|the) (?:hands|inbox|mail))\b|have (?:someone|somebody|(?!a |an |the |my |our |your )\w+) (?:call|send|"
                  r"contact|get|look|email|fax|forward|follow)\b",
    negations=r"^(?:not|never|no longer|n't)\b",
    conditions=r"\b(?:if|unless|whether|in case|should you|provided that)\b",
    impersonal=r"\b(?:copies|details|information|info|documents?|drafts?|minutes|notes|materials?|the (?:rest|balance|"
               r"remainder)|invitations?|agenda|updates?|report|results?|(?:a|the|further|more|final|revised|updated) "
               r"[a-z ]{0,40}?)\s+(?:will|shall)\s+(?:be\s+(?:sent|forwarded|posted|distributed|circulated|provided|"
               r"filed|emailed|e-mailed|faxed|mailed|delivered|shared|published|sent out|made available)|follow)\b",
    owe=r"\b(?:i|we)\s+owe\s+(?:you|him|her|them)\b",
    dropped_subject=r"\W*(?:(?:sorry|ok|okay|thanks|thank you|yes|sure|fine|great|hi|hello|no problem)\W+)*"
                    r"(?:[a-z]+ed|got|sent|saw|spoke|heard|met|read|went|had|did|made|took|left|spent|found|"
                    r"told|wrote|thought|caught|just|already|am|have)\b",
    gate=r"\b(?:will|shall|ll|going to|let|hope|plan|intend|expect|aim|promise|undertake|commit|mean|should|owe|"
         r"on it|taking care|looking into|working on)\b",
    gate_words=("will", "shall", "ll", "going to", "let", "hope", "plan", "intend", "expect", "aim", "promise",
                "undertake", "commit", "mean", "should", "owe", "on it", "taking care", "looking into", "working on"),
    speaker=r"\b(?:i|we|i'm|we're|i'll|we'll|let|let's|owe)\b|\b(?:will|shall) (?:be|follow)\b"
            r"|(?:^|[,;:(]|\band|\bbut|\bthen|\bso|&|\.\.\.)\W*(?:will|shall|'ll)\b|^\W*\w+ed\b",
    clause_breaks=r";|\s+--+\s+|\s+-\s+|\s+—\s+|—|,\s*but\b|\bbut\b|,\s*so\b|\.\.\.+|:\s|\(|\)|,\s*and\b",
)


class _Rules:
    def __init__(self, cues: Cues):
        self.heads = [re.compile(head, re.IGNORECASE) for head in cues.heads]
        self.subjectless = re.compile(cues.subjectless, re.IGNORECASE)
        self.first_person = re.compile(cues.first_person, re.IGNORECASE)
        self.filler = re.compile(cues.filler, re.IGNORECASE)
        self.not_action = re.compile(rf"(?:{'|'.join(cues.not_actions)})\b", re.IGNORECASE)
        self.discourse = re.compile(rf"\s*(?:{'|'.join(cues.discourse)})\b", re.IGNORECASE)
        self.pleasantry = re.compile(rf"(?:{'|'.join(cues.pleasantries)})", re.IGNORECASE)
        self.be_promise = re.compile(rf"be\s+(?:{'|'.join(cues.be_promises)})", re.IGNORECASE)
        self.be_progressive = re.compile(
            rf"be\s+(?:{'|'.join(cues.progressive_actions)})\w*ing\b", re.IGNORECASE)
        self.have_delivery = re.compile(cues.have_delivery, re.IGNORECASE)
        self.negation = re.compile(cues.negations, re.IGNORECASE)
        self.condition = re.compile(cues.conditions, re.IGNORECASE)
        self.impersonal = re.compile(cues.impersonal, re.IGNORECASE)
        self.owe = re.compile(cues.owe, re.IGNORECASE)
        self.clause_breaks = re.compile(cues.clause_breaks, re.IGNORECASE)
        self.gate = re.compile(cues.gate)  # on lower-cased text: IGNORECASE makes re several times slower
        self.speaker = re.compile(cues.speaker)
        self.question_start = re.compile(r"^\W*(?:will|shall|would|should|can|could|do|did|are|is|may)\s+"
                                         r"(?:i|we|you|he|she|they|it|this|that|there)\b", re.IGNORECASE)
        self.let_you_know = re.compile(r"let (?:you|him|her|them|everyone|everybody|all of you|y'all) know\b",
                                       re.IGNORECASE)
        self.let_me_know = re.compile(r"\blet (?:me|us) know\b", re.IGNORECASE)
        self.dropped_subject = re.compile(cues.dropped_subject, re.IGNORECASE)
        self.word = re.compile(r"[A-Za-z][\w'’/-]*")


_RULES: dict[int, _Rules] = {}


def _rules(cues: Cues) -> _Rules:
    if id(cues) not in _RULES:
        _RULES[id(cues)] = _Rules(cues)
    return _RULES[id(cues)]


def _clauses(sentence: str, rules: _Rules) -> list[tuple[int, str]]:
    """Given a sentence, return its clauses with their offsets."""
    clauses, start = [], 0
    for match in rules.clause_breaks.finditer(sentence):
        clauses.append((start, sentence[start:match.start()]))
        start = match.end()
    clauses.append((start, sentence[start:]))
    return [(offset, text) for offset, text in clauses if text.strip()]


def _head_ends(clause: str, rules: _Rules, sentence_start: bool, earlier: str) -> list[int]:
    """Given a clause, return where each commitment head in it ends (the action follows)."""
    ends = [match.end() for head in rules.heads for match in head.finditer(clause)]
    for match in rules.subjectless.finditer(clause):
        before = clause[:match.start()] if match.start() else ""
        if match.group(0).lower().startswith("'ll"):
            continue
        at_start = not clause[:match.start()].strip(" ,;:(") and sentence_start
        if at_start or rules.first_person.search(earlier + " " + before) or rules.dropped_subject.match(
                earlier + " " + before):
            follower = clause[match.end():].lstrip()
            if not re.match(r"(?:you|he|she|they|it|we|i|this|that|there|the|anyone|someone)\b", follower,
                            re.IGNORECASE):
                ends.append(match.end())
    return sorted(set(ends))


def _action_after(rest: str, rules: _Rules) -> bool:
    """Given the words after a commitment head, return whether they name an action owed."""
    rest = rest.lstrip(" ,")
    if rules.negation.match(rest) or rest.lower().startswith(("n't", "not ")):
        return False
    filler = rules.filler.match(rest).group(0)
    rest = rest[len(filler):].lstrip()
    if re.search(r"\b(?:happy|glad|delighted|pleased)\b", filler, re.IGNORECASE):
        return True  # "I'd be happy to …", "I'll be delighted to …": an acceptance
    if not rest or not rules.word.match(rest):
        return bool(re.search(r"\btry\b", filler, re.IGNORECASE))  # "… but will try to today"
    lower = rest.lower()
    if rules.pleasantry.match(lower):
        return False
    if lower.startswith("be "):
        return bool(rules.be_promise.match(lower) or rules.be_progressive.match(lower))
    if lower.startswith("have ") or lower.startswith("has "):
        return bool(rules.have_delivery.match(lower))
    if lower.startswith(("keep you ", "keep everyone ", "keep all ", "keep y")):
        return True
    if lower.startswith(("get back", "get you", "get it", "get this", "get that", "get them", "get the ",
                         "get a ", "get an ", "get your", "get something", "get together", "get in touch",
                         "get on ", "get going", "get started", "get on it", "get those", "get these",
                         "get some")):
        return True
    return not rules.not_action.match(lower)


def is_promise(sentence: str, cues: Cues = ENGLISH) -> bool:
    """Given one sentence of my mail, return whether it commits me (or us) to an action."""
    rules = _rules(cues)
    return _may_commit(sentence, cues, rules) and _commitment_at(sentence, rules) is not None


def _may_commit(sentence: str, cues: Cues, rules: _Rules) -> bool:
    """The cheap look first: a commitment needs a commitment word and a speaker (me, us, a left-out
    subject or an impersonal delivery); most sentences have neither and skip the grammar."""
    lowered = sentence.lower()
    return (any(word in lowered for word in cues.gate_words) and bool(rules.gate.search(lowered))
            and bool(rules.speaker.search(lowered.replace("’", "'"))))


def _is_question(sentence: str, rules: _Rules) -> bool:
    stripped = sentence.rstrip(" )\"'")
    return stripped.endswith("?") and not stripped.endswith(".?") or bool(rules.question_start.match(sentence))


def _commitment_at(sentence: str, rules: _Rules) -> int | None:
    """Given a sentence, return the offset of its first commitment clause, or None."""
    text = sentence.replace("’", "'")
    if _is_question(text, rules):
        return None
    clauses = _clauses(text, rules)
    for index, (offset, clause) in enumerate(clauses):
        earlier = text[:offset]
        for end in _head_ends(clause, rules, index == 0, earlier):
            before = clause[:end]
            rest = clause[end:]
            if before.lower().rstrip().endswith(("let me", "let us")) and rules.discourse.match(rest):
                continue
            if _reported(clause[:end], rules):
                continue
            if not _action_after(rest, rules):
                continue
            if _conditional(text, offset, clause, end, rest, rules):
                continue
            return offset
        if rules.impersonal.search(clause) and not rules.condition.search(clause):
            return offset
        if rules.owe.search(clause):
            return offset
        if re.search(r"\bi(?:'m| am) (?:on it|taking care of|looking into|working on (?:it|this|that|your))\b",
                     clause, re.IGNORECASE):
            return offset
    return None


def _reported(before_head: str, rules: _Rules) -> bool:
    """"It's unlikely that we will …", "they expect that we shall …": the head is inside someone
    else's statement, not my commitment; "I promise that I will …" still commits."""
    match = re.search(r"(\w+)\s+that\s+(?:i|we)\b[^,;]*$", before_head, re.IGNORECASE)
    return match is not None and match.group(1).lower() not in (
        "promise", "assure", "guarantee", "confirm", "ensure", "sure", "certain", "undertake", "agree", "commit")


def _conditional(text: str, offset: int, clause: str, end: int, rest: str, rules: _Rules) -> bool:
    """A commitment that waits on an "if" is an offer, not a promise. "Let me know X and I'll …"
    is a firm plan; "let you know if …" still informs either way."""
    if re.match(r"\W*(?:if|unless|should you|in case)\b", text, re.IGNORECASE):
        return True  # "If so, let me know and I'll …": the whole sentence waits on the condition
    if re.search(r"\byou (?:can|could|may|might)\b", text[:offset] + clause[:end], re.IGNORECASE):
        return True  # "You can forward it to me and I'll make sure …": an offer
    before = clause[:end]
    condition = None
    for condition in rules.condition.finditer(before):
        pass
    if condition is not None and not before[:condition.start()].lower().rstrip().endswith(_IF_AS_WHETHER):
        return True
    if rules.let_you_know.match(rules.filler.sub("", rest.lstrip(), count=1)):
        return False
    after = re.match(r"[^,;]*?\b(\w+)\s+(?:if|unless)\b", rest, re.IGNORECASE)
    return after is not None and not after.group(1).lower().endswith(_IF_AS_WHETHER)


_IF_AS_WHETHER = ("know", "see", "check", "ask", "find out", "wonder", "determine", "confirm", "verify", "whether",
                  "learn", "tell", "even")


def find_promises(text: str, written: datetime, date_order: str = "dmy", cues: Cues = ENGLISH) -> list[Promise]:
    """Given the new text of my message and when I wrote it, return the promises in it with their
    due dates (None when no date is named)."""
    rules = _rules(cues)
    if not rules.gate.search(text.lower()):
        return []  # the cheap gate: no commitment wording anywhere
    found = []
    for sentence in sentences(text):
        start = _commitment_at(sentence, rules) if _may_commit(sentence, cues, rules) else None
        if start is None:
            continue
        due = _due(sentence, start, written, date_order)
        found.append(Promise(sentence, due.due if due else None, due.text if due else None))
    return found


def promise_due(sentence: str, written: datetime, date_order: str = "dmy", cues: Cues = ENGLISH) -> DueDate | None:
    """Given a promise sentence and when it was written, return its due date as ``find_promises``
    would (from the commitment's clause first), or None when it names no time."""
    start = _commitment_at(sentence, _rules(cues))
    return _due(sentence, start or 0, written, date_order)


def _due(sentence: str, start: int, written: datetime, date_order: str) -> DueDate | None:
    own = find_due(sentence[start:], written, date_order)
    if own is not None and own.due is not None:
        return own
    whole = find_due(sentence, written, date_order)
    if whole is not None and whole.due is not None:
        return whole
    return own or whole
