"""Promises in my own mail: I (or we) commit to a future action owed to the recipient.

Pure and stdlib only. A sentence is a promise when one of its clauses has a **commitment head**
(first person + future or commitment wording: "I'll", "we will", "I shall", "I'm going to",
"let me", "I hope/plan/intend to", a subject-less "Will …" or "…, and will …") followed by an
**action owed** to the recipient. Whether an action is owed is read from the verb's class and
its objects, never from a list of verbs that once failed:

- **verbs of doing something for someone** are owed whatever their object: transfer ("send",
  "forward", "give", "provide"), contact ("call", "get back", "follow up", "let you know"),
  finding out ("check", "look into", "review", "see if"), conferring ("talk to", "discuss"),
  preparing and arranging ("draft", "put together", "set up", "schedule", "fix", "handle") and
  accepting an invitation or request ("attend", "join", "come to", "help");
- **verbs of state, mind, feeling, stance and going away** are never owed, even with "you" or
  "it": "I'll see you", "I'll know more", "I'll miss you", "we will oppose it", "I'm going to San
  Francisco", "we will need more time";
- **any other verb** is owed only when the recipient is in its phrase ("I'll teach you") or its
  object is the matter at hand ("I'll do it", "I'll finish that"): "I will teach the class on
  Thursday" is a plan that owes the reader nothing;
- a coordinated verb counts too: "I'll meet with Bob and get back to you".

Also promises: acceptances ("count me in", "happy to help", "will do"), deliveries I arrange
("I'll have my assistant send you the deck"), deliveries in the passive or to "you" ("copies will
be distributed", "it will be on its way to you tomorrow", "you'll have it by Friday"), and the
present progressive with a future time ("I'm sending the revised version shortly").

Not promises: questions, negations ("I won't"), conditional offers ("if you have questions,
I'll answer them"), pleasantries ("I'll see you tomorrow"), discourse ("let me explain"),
reported or past intentions ("I said I would …", "I told her we'll send it"), and third parties'
actions ("John will send it").

The due date comes from the commitment's own clause first ("…, but I'll send it next week"), then
from the rest of the sentence ("By Tuesday, I will send …"); see ``watcher.rules.dates``.

Cue words are data (``Cues``); English is the only language so far. The verb classes follow Levin,
*English Verb Classes and Alternations* (1993): send (11.1), bring and take (11.3), give (13.1),
contribute (13.2), fulfilling (13.4.1), create and build (26.1, 26.4), search (35.2), instrument of
communication (37.4), talk and confer (37.5, 37.6) are owed; admire (31.2), see and sight
(30.1, 30.2), stative and mental-state verbs, and the deictic "go" family (51.1) are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from watcher.rules.dates import DueDate, find_dates, find_due
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
    filler: str  # adverbs, softeners and aspect between head and verb ("also", "try to", "continue to")
    transfer_verbs: tuple[str, ...]  # sending and giving: owed whatever their object
    contact_verbs: tuple[str, ...]  # getting in touch: owed
    finding_verbs: tuple[str, ...]  # finding out and conferring on the recipient's matter: owed
    making_verbs: tuple[str, ...]  # preparing, arranging, setting right: owed
    acceptance_verbs: tuple[str, ...]  # coming, joining, helping: owed only as a short answer ("I'll attend.")
    affirmative: str  # "Yes, …", "Sounds good, …": the sentence answers a request or an invitation
    state_verbs: tuple[str, ...]  # verbs of state, mind, feeling, stance, going away: never owed
    recipient: str  # the reader in a verb phrase: "you", "your"
    matter_at_hand: str  # an object that points back at what the mail is about: "it", "this", "that"
    particles: str  # verb particles between a verb and its object ("look it over", "send it back")
    coordination: str  # "and", "& then": a second verb of the same commitment follows
    acceptances: str  # "count me in", "happy to help", "will do": a commitment without a head
    progressive: str  # "I'm sending": a present progressive head, a promise with a future time only
    separate_delivery: str  # "under separate cover": a future time for a delivery in progress
    pleasantries: tuple[str, ...]  # head + these words: no promise
    discourse: tuple[str, ...]  # "let me" + these words: talk about the message itself
    be_promises: tuple[str, ...]  # what may follow "I'll be" in a promise
    have_delivery: str  # "I'll have X to you/ready/done", "I'll have Sam call you"
    negations: str
    conditions: str
    reported: str  # "I said (that) I'd …", "I told him we'll …": someone's earlier or reported intention
    impersonal: str  # "Copies will be distributed", "it will be on its way to you"
    delivered_to_you: str  # "you'll have it": a promise when a time follows
    owe: str  # "I owe you a call"
    clause_breaks: str
    gate: str  # every commitment holds one of these words: sentences without any are skipped
    gate_words: tuple[str, ...]  # the same as plain lower-case substrings, checked first because it is cheaper
    speaker: str  # and every commitment names me/us, leaves the subject out, or is an impersonal delivery
    dropped_subject: str  # "Talked to legal and will …": the sentence starts with my verb, subject left out


ENGLISH = Cues(
    heads=(
        # "I'd be happy to …" is left out: its conditional mood makes it an offer, not a commitment
        r"\b(?:i|we)\s*(?:'ll|\s+will|\s+shall|\s+am going to|'m going to|\s+are going to|'re going to|\s+am gonna"
        r"|'m gonna)\b",
        r"\b(?:i|we)\s+(?:also\s+|still\s+|really\s+)?(?:hope|plan|intend|expect|aim|promise|undertake|commit|mean)\s+to\b",
        r"\b(?:i|we)\s+(?:am|'m|are|'re)\s+(?:planning|hoping|aiming|intending|going) to\b",
        r"\b(?:i|we)\s+should\s+(?=(?:be able to\s+)?(?:have|get)\b[^.;]*\b(?:to you|back to you|for you|over to you|ready)\b)",
        # "I can do that", "we can be there": an answer that accepts what was asked
        r"\b(?:i|we)\s+can\s+(?=(?:do (?:it|that|this|so)|make (?:it|the)|be there|attend|join|take (?:it|that|this|care)|"
        r"cover (?:it|that|this|for)|come|host|present|serve|meet)\b)",
        # negated: a promise only as "won't forget to …" or "won't have it … until Monday" (see _negated_promise)
        r"\b(?:i|we)\s*(?:won't|will not|shall not|can't|cannot|can not)\b",
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
           r"endeavou?r to|need to double|take (?:the time|a minute|a moment) to|"
           r"continue to|keep on|start(?:ing)? to|begin to|personally|hopefully|promptly|"
           r"(?:in|over) the (?:morning|afternoon|evening|meantime)|as well|in turn)\s+)*",
    # send, bring and take, give, contribute, fulfilling (Levin 11.1, 11.3, 13.1, 13.2, 13.4.1)
    transfer_verbs=(
        r"send", r"re-?send", r"forward", r"mail", r"e-?mail", r"fax", r"ship", r"deliver", r"courier", r"fed-?ex",
        r"overnight", r"transmit", r"transfer", r"return (?=(?:it|this|that|them|these|those|the|your|my|our|a|an|his|her|their|calls?)\b)", r"pass (?:it |this |that |them )?"
        # "pass on this one" declines; "pass it on", "pass on your note to Sam" hand something over
        r"(?:along|on(?! (?:this|that|it)(?: one| time| opportunity| round)?\s*(?:[.,!;]|$|for now|this time))|back|over)", r"hand (?:it |this |that |them )?(?:over|off|back)", r"bring", r"give", r"provide",
        r"supply", r"furnish", r"submit", r"distribute", r"circulate", r"share", r"post", r"publish", r"upload",
        r"attach", r"enclose", r"release", r"issue", r"pay", r"refund", r"dispatch", r"convey", r"route", r"relay", r"wire",
        r"run (?:it|this|that|them|these|those) (?:by|past)", r"offer", r"assign", r"allocate", r"show",
        # get verbs (13.5.1): obtaining something to pass on
        r"grab", r"fetch", r"pull (?!out\b)",
        # light verbs with a noun of sending or writing: "do an e-mail", "make the call", "give you a ring"
        r"(?:do|make|give(?: you| him| her| them)?|drop(?: you| him| her| them)?|shoot(?: you| him| her| them)?)"
        r" (?:an? |the |some |my |our )?(?:e-?mail|call|ring|note|line|memo|draft|review|summary|write-?up|follow-?up|"
        r"invitations?|invites?|introductions?|intro|announcement|mark-?up|revisions?|edits?|changes)\b",
    ),
    # instrument of communication and getting in touch (37.4, 37.1; phrasal business usage)
    contact_verbs=(
        r"call", r"phone", r"telephone", r"ring", r"text", r"ping", r"page", r"contact", r"reach (?:out|you|him|her|them)",
        r"follow[- ]?up", r"follow through", r"get back", r"touch base", r"circle back", r"check (?:in|back)",
        r"respond", r"reply", r"answer", r"write", r"update", r"inform", r"notify", r"advise", r"confirm",
        r"report back", r"brief", r"alert", r"remind", r"tell", r"introduce", r"connect", r"put (?:you|him|her|them) "
        r"in touch", r"loop", r"copy (?:you|him|her|them)", r"cc", r"keep (?:you|him|her|them|everyone|everybody|all|"
        r"us|the (?:group|team))\b", r"let (?:you|him|her|them|everyone|everybody|all of you|y'all|the (?:group|team))"
        r" know", r"communicate", r"approach", r"close the loop", r"get in touch",
        # a visit to the recipient is getting in touch in person
        r"(?:stop|drop|swing|come|pop) (?:by|over|round|around)",
    ),
    # finding out: search and investigate (35.2), "see" used for finding out (30.2), conferring (37.5, 37.6)
    finding_verbs=(
        r"check", r"double[- ]?check", r"re-?check", r"look (?:into|at|over|through|for|up|around|closer|further|in"
        r"|it over)", r"review", r"re-?examine", r"examine", r"investigate", r"research", r"explore", r"search",
        r"verify", r"find out", r"figure out", r"dig", r"track down", r"hunt down", r"see (?:(?:if|whether|what|how|who|when|where) (?:i|we)\b|about|to it|to that|to this)", r"inquire", r"enquire", r"ask", r"query", r"chase",
        r"test", r"evaluate", r"assess", r"analy[sz]e", r"compare", r"calculate", r"go (?:over|through)",
        r"read (?:it|this|that|them|the|your|through|over)", r"think (?:it|this|that) (?:over|through)", r"find",
        r"locate", r"retrieve", r"obtain", r"secure", r"request",
        r"talk (?:to|with)", r"speak (?:to|with)", r"discuss", r"consult", r"confer", r"coordinate", r"liaise",
        r"raise", r"escalate", r"pursue", r"negotiate", r"work (?:on|with|out|up|through|it)", r"monitor", r"track",
        r"keep (?:an eye|tabs|track) on", r"follow (?:the|it|this|that|them|progress)", r"explain (?:it|this|that|the|"
        r"how|what|why) (?:to|in)", r"walk (?:you|him|her|them|everyone) through", r"summari[sz]e", r"report",
        r"propose", r"bring (?:it|this|that|them) up", r"mention (?:it|this|that|them) to",
    ),
    # creating, preparing and arranging (26.1, 26.4) and setting things right
    making_verbs=(
        r"prepare", r"draft", r"re-?draft", r"write up", r"draw up", r"put together", r"pull together", r"compile",
        r"assemble", r"produce", r"finish", r"complete", r"finali[sz]e", r"wrap up", r"fix", r"repair", r"correct",
        r"revise", r"edit", r"amend", r"modify", r"change", r"adjust", r"incorporate", r"add", r"include", r"remove",
        r"delete", r"clean up", r"sort out", r"resolve", r"handle", r"take care of", r"deal with", r"process",
        r"file", r"sign", r"execute", r"approve", r"fill (?:out|in)", r"input", r"enter", r"print", r"order", r"buy",
        r"purchase", r"place (?:an? |the |your |our )?orders?", r"book", r"reserve", r"arrange", r"schedule", r"re-?schedule", r"organi[sz]e", r"set up",
        r"line up", r"make (?:sure|certain|a copy|copies|arrangements|the (?:changes|call|arrangements|corrections)|"
        r"time|room)", r"pick up", r"drop off", r"reconcile", r"price", r"quote", r"invoice", r"renew", r"extend",
        r"take (?:care|a look|a stab|a crack|the lead|ownership|charge|it from here|it on|that on|this on)",
        r"nominate", r"recommend", r"get (?:you|it|this|that|them|these|those|the|a|an|some|your|our|my|back|"
        r"together|in touch|on it|on this|started|going|something|copies|him|her)\b", r"help", r"assist",
        r"cover (?:it|this|that|for)",
        # creating (26.4, create verbs) and putting into effect
        r"build", r"create", r"design", r"develop", r"compose", r"compute", r"construct", r"generate", r"model",
        r"implement", r"deploy", r"install", r"configure", r"run (?:the|a|some|it|this|that|them|another)", r"set (?!off\b|out\b|sail\b|foot\b)",
        r"mark (?:it |this |that )?up", r"redline", r"proofread", r"sign off", r"start on", r"tackle",
        r"move (?:forward|ahead) (?:with|on)", r"proceed with", r"document", r"schedule",
        # a contributor's commitments on a patch or a branch (git's own command names)
        r"rebase", r"respin", r"merge", r"apply (?!for\b|to\b)", r"push (?!for\b|back\b)", r"commit (?:it|this|that|the|a)", r"revert", r"queue",
        r"backport", r"cherry-pick", r"bisect", r"land (?=(?:it|this|that|them|the|your|my|our)\b)",
    ),
    # accepting an invitation or a request: coming, joining in. "I will attend." answers an invitation;
    # "I plan to attend the conference in May" reports a plan, so these count only as a short answer.
    acceptance_verbs=(
        r"attend", r"join", r"participate", r"come", r"present", r"host",
        r"sit in", r"show up", r"make (?:it|the)", r"volunteer", r"take part", r"meet", r"be there", r"serve",
        r"take(?! part)",  # an offer taken ("we'll take the 10,000 at the posted price") only after a yes
    ),
    # an answer that says yes: after it an acceptance may name what it accepts ("Yes, I'll attend the offsite")
    affirmative=r"^\W*(?:yes|yep|yeah|sure|certainly|absolutely|of course|definitely|gladly|happy to|great|"
                r"sounds good|sounds great|works for me|that works|no problem|ok(?:ay)?|will do|count me in|"
                r"i accept|we accept|thanks?(?: you)?(?: for (?:the|your) (?:invitation|invite|offer))?)\b",
    state_verbs=(
        # states, the copula and necessity (Vendler's statives; modal "have to", "need")
        r"be", r"become", r"remain", r"stay", r"seem", r"look like", r"sound like", r"live", r"belong", r"own",
        r"cost", r"last", r"have to", r"has to", r"have got to", r"need", r"needs", r"must", r"got to", r"gotta",
        r"end up", r"wind up",
        # mind: knowing, thinking, remembering (mental-state verbs)
        r"know", r"think", r"believe", r"understand", r"remember", r"forget", r"wonder", r"assume", r"suppose",
        r"guess", r"bet", r"imagine", r"reali[sz]e", r"figure(?! out)", r"consider", r"reckon", r"doubt", r"suspect",
        r"expect", r"learn", r"keep (?:it|that|this|them|these|those)? ?in mind", r"bear (?:it|that|this) in mind",
        # perception (30.1, 30.2) and looking forward
        r"see", r"hear", r"watch", r"notice", r"feel", r"smell", r"taste", r"look forward",
        # feeling and attitude (31.2, admire verbs)
        r"like", r"love", r"hate", r"enjoy", r"miss", r"regret", r"fear", r"prefer", r"want", r"wish", r"hope",
        r"mind", r"admire", r"appreciate", r"trust", r"care", r"worry",
        # stance and verdict: taking a side, deferring, leaving a decision to someone
        r"agree", r"disagree", r"defer", r"oppose", r"object", r"accept", r"admit", r"concede", r"insist", r"argue",
        r"favou?r", r"resist", r"fight", r"vote", r"side", r"stand (?:by|firm|behind)", r"leave (?:it|that|this|the "
        r"(?:decision|choice)) (?:to|up to|with)", r"let (?:it|that|this) (?:go|slide|ride|be)\b",
        r"pass(?: on (?:this|that|it)(?: one| time| opportunity| round)?)?(?=\s*(?:[.,!;]|$|for now|this time))",
        # going away and being somewhere: the deictic "go" (51.1) and arriving; other ways of moving
        # ("fly", "drive") are plans unless the reader is in them ("I'll drive you to the airport")
        r"go(?! (?:over|through)\b)", r"depart", r"arrive", r"get (?:back )?(?:to the office|home|in town|there|here)",
        r"return (?:to|home|from)", r"sleep", r"rest", r"wait", r"retire", r"spend the",
        # social formulas
        r"thank", r"apologi[sz]e", r"congratulate", r"welcome", r"say (?:hello|hi|goodbye|bye|thanks)",
    ),
    recipient=r"\b(?:you|your|yours|yourself|yourselves|u|y'all)\b",
    matter_at_hand=r"(?:it|this|that|them|these|those|everything|all of (?:it|this|that|them)|the same)\b",
    particles=r"(?:up|out|over|back|along|on|through|in|off|down|around|together|away|ahead)",
    coordination=r"\s(?:and|&|or)\s+(?:then\s+|also\s+|will\s+|'ll\s+|to\s+|try to\s+)?",
    acceptances=r"^\W*(?:(?:sure|yes|yep|absolutely|of course|no problem|ok(?:ay)?|definitely|gladly|great|will do)\W+)*"
                r"(?:count (?:me|us) in|consider it done|(?:you can )?count on (?:me|us)|will do\W*$|(?:i'm|we're|i am|"
                r"we are) in\W*$|(?:i'm |we're |i am |we are )?"
                r"(?:more than )?(?:happy|glad|delighted|pleased) to\s+)",
    progressive=r"\b(?:i|we)(?:'m|\s+am|'re|\s+are)\s+(?:also\s+|just\s+|now\s+)?(?=\w+ing\b)",
    separate_delivery=r"\b(?:under separate cover|separately|in a separate (?:e-?mail|message|note)|in a (?:bit|minute|"
                      r"moment|sec(?:ond)?)|later)\b",
    # seeing and talking to each other later, keeping the mail short, letting someone go, social meals: nothing owed
    pleasantries=(r"see you", r"(?:talk|speak|chat|catch up) (?:to|with|w/) ?you (?:later|soon|then|tomorrow|next|after|"
                  r"when|at|on|in)", r"look forward", r"miss you", r"be in touch soon", r"catch you",
                  r"chat (?:later|soon)", r"call it (?:a day|a night|quits|even)",
                  r"keep (?:it|this|that|my (?:note|reply|answer)) (?:short|brief|simple)", r"be brief",
                  r"let (?:you|him|her|them) (?:go|get back|get on|enjoy|be)\b",
                  r"(?:grab|get|have|do) (?:a )?(?:lunch|coffee|a drink|drinks|dinner|breakfast|a beer|a bite)\b"),
    discourse=("know", "explain", "say", "add", "start", "begin", "point out", "clarify", "introduce", "reiterate",
               "summari[sz]e", "put it", "be clear", "be honest", "remind", "tell you", "ask you", "assure",
               "stress", "emphasi[sz]e", "note", "repeat", "rephrase", "try again", "correct myself", "first",
               "just say", "just add", "also say", "also add", "give you (?:some|a bit of) (?:background|context)",
               "describe", "outline", "walk you through (?:this|it|what)", "recap", "elaborate", "share (?:my|a few|some) thoughts"),
    be_promises=(r"there\b", r"in touch\b", r"back (?:to|with) you\b", r"(?:happy|glad|delighted|pleased|more than happy) to\b",
                 r"sure to\b", r"able to (?:send|get|have|provide|call|give|forward)\b", r"over\b(?! the)",
                 r"by (?:your|the) (?:office|desk)\b", r"coming\b", r"following up\b"),
    have_delivery=r"have\s+(?!to\b|a (?:much )?(?:better|clearer) |more\b|no\b|an? (?:idea|sense|feel)\b)"
                  r"[^.;]{0,60}?\b(?:to you|for you|back to you|over to you|ready|done|finished|sent|over|out|"
                  r"completed|available|in (?:your|the) (?:hands|inbox|mail))\b"
                  # "I'll have my assistant send you the deck": someone I arrange does it
                  r"|have\s+(?!to\b|a\b|an\b|no\b|more\b|time\b|the chance\b|any\b|some\b)(?:[\w'.-]+\s+){1,4}?"
                  r"(?:call|send|contact|get|look|e-?mail|fax|forward|follow|check|review|prepare|draft|set up|"
                  r"schedule|arrange|reach out|give|provide|deliver|ship|mail|update|drop|bring|run|pull|put)\b",
    negations=r"^(?:not|never|no longer|n't)\b",
    conditions=r"\b(?:if|unless|whether|in case|should you|provided that)\b",
    # reported speech (a past verb of saying or thinking) or a negated belief before the head
    reported=r"(?:\b(?:said|told|mentioned|promised|thought|figured|assumed|decided|hoped|planned|wrote|agreed|"
             r"indicated|claimed)(?:\s+[\w']+){0,3}?|\b(?:don't|do not|didn't|doesn't|not|never) (?:think|expect|"
             r"believe|imagine|know (?:if|whether))|\b(?:doubt|not sure|unsure|uncertain)(?:\s+(?:if|whether))?)"
             r"(?:\s+that)?\s+(?:i|we)\b[^,;.]*$",
    impersonal=r"\b(?:copies|details|information|info|documents?|drafts?|minutes|notes|materials?|the (?:rest|balance|"
               r"remainder)|invitations?|agenda|updates?|report|results?|(?:a|an|the|your|my|our|further|more|final|revised|"
               r"updated) [a-z ]{0,40}?)\s+(?:will|shall)\s+(?:be\s+(?:sent|forwarded|posted|distributed|circulated|provided|"
               r"filed|emailed|e-mailed|faxed|mailed|delivered|shared|published|sent out|made available|couriered|"
               r"shipped|wired|paid|refunded|transferred|credited)|follow)\b"
               # the thing on its way to the reader: "it will be on its way to you", "the deck will reach you Monday"
               r"|\b(?:it|they|(?:the|a|an|your|my|our) [a-z0-9 -]{1,40}?|[a-z]+s)\s+(?:(?:will|shall|'ll|should)\s+"
               r"(?:be on (?:its|their) way|go out to you|reach you|be (?:in|on) your (?:inbox|desk|hands|way)|be with you|"
               r"arrive (?:in your|at your|on your))|(?:is|are|'s|'re) (?:coming|on (?:its|their) way|headed) to you)\b",
    # "you'll have it by Friday", "you will receive the contract Monday": my delivery, once a time is named
    delivered_to_you=r"\byou(?:'ll| will| should| shall)\s+(?:have|get|receive)\s+(?!to\b|no\b|more\b|time\b|"
                     r"(?:an?|the|any) (?:chance|opportunity|idea|sense|feel|choice|option)\b)",
    owe=r"\b(?:i|we)\s+owe\s+(?:you|him|her|them)\b",
    dropped_subject=r"\W*(?:(?:sorry|ok|okay|thanks|thank you|yes|sure|fine|great|hi|hello|no problem)\W+)*"
                    r"(?:[a-z]+ed|got|sent|saw|spoke|heard|met|read|went|had|did|made|took|left|spent|found|"
                    r"told|wrote|thought|caught|just|already|am|have|(?:still |now )?[a-z]+ing)\b",
    gate=r"\b(?:will|shall|ll|going to|gonna|let|hope|hoping|plan|planning|intend|expect|aim|promise|undertake|commit|"
         r"mean|should|owe|on it|taking care|looking into|working on|i can|we can|count (?:me|us) in|count on|"
         r"(?:happy|glad|delighted|pleased) to|i'm|we're|i am|we are|on (?:its|their) way|"
         r"(?:coming|headed) to you|won't|can't|cannot)\b",
    gate_words=("will", "shall", "ll", "going to", "gonna", "let", "hope", "hoping", "plan", "intend", "expect",
                "aim", "promise", "undertake", "commit", "mean", "should", "owe", "on it", "taking care",
                "looking into", "working on", "i can", "we can", "count", "happy to", "glad to", "delighted to",
                "pleased to", "i'm", "we're", "i’m", "we’re", "i am", "we are", "its way", "their way", "to you",
                "won't", "won’t", "can't", "can’t", "cannot"),
    speaker=r"\b(?:i|we|i'm|we're|i'll|we'll|let|let's|owe|you'll)\b|\byou (?:will|should|shall)\b"
            r"|\b(?:coming|headed) to you\b|\bon (?:its|their) way\b|\b(?:will|shall) (?:be|follow|go|reach|"
            r"arrive|be mailed|be sent)\b|(?:^|[,;:(]|\band|\bbut|\bthen|\bso|&|\.\.\.)\W*(?:will|shall|'ll)\b|^\W*\w+ed\b"
            r"|^\W*(?:\w+\W+){0,3}(?:count|happy|glad|delighted|pleased|consider|will do)\b",
    clause_breaks=r";|\s+--+\s+|\s+-\s+|\s+—\s+|—|,\s*but\b|\bbut\b|,\s*so\b|\.\.\.+|:\s|\(|\)|,\s*and\b"
                  r"|,\s*(?=(?:would|could|can|will|do|did|are|is|may|might)\s+(?:you|u)\b)",
)


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


def _ing(verb: str) -> str:
    """The -ing form of a base verb ("send" → "sending", "make" → "making", "set" → "setting")."""
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    if re.fullmatch(r"[a-z]*[^aeiou][aeiou][bdgklmnprt]", verb) and len(verb) <= 4:
        return verb + verb[-1] + "ing"  # one syllable ending consonant-vowel-consonant doubles it
    return verb + "ing"


def _progressive_verbs(owed: tuple[str, ...]) -> str:
    """The owed verbs with their first word in the -ing form ("send" → "sending", "get back" →
    "getting back"), for those whose first word is a plain word, as one alternative."""
    forms = set()
    for entry in owed:
        first, _, rest = entry.partition(" ")
        if re.fullmatch(r"[a-z]+", first):
            forms.add(_ing(first) + (" " + rest if rest else ""))
    return _alternatives(tuple(forms))


class _Rules:
    def __init__(self, cues: Cues):
        flags = re.IGNORECASE
        # one pattern for every head: a clause is scanned once (heads never overlap in practice)
        self.heads = re.compile("|".join(f"(?:{head})" for head in cues.heads), flags)
        self.subjectless = re.compile(cues.subjectless, flags)
        self.first_person = re.compile(cues.first_person, flags)
        self.filler = re.compile(cues.filler, flags)
        owed = cues.transfer_verbs + cues.contact_verbs + cues.finding_verbs + cues.making_verbs
        self.owed = re.compile(rf"(?:{_alternatives(owed)})\b", flags)
        self.acceptance_verb = re.compile(rf"(?:{_alternatives(cues.acceptance_verbs)})\b", flags)
        self.affirmative = re.compile(cues.affirmative, flags)
        self.state = re.compile(rf"(?:{_alternatives(cues.state_verbs)})\b", flags)
        self.recipient = re.compile(cues.recipient, flags)
        self.matter_at_hand = re.compile(rf"[a-z'-]+(?:\s+{cues.particles})?\s+{cues.matter_at_hand}", flags)
        self.coordination = re.compile(cues.coordination, flags)
        self.acceptance = re.compile(cues.acceptances, flags)
        self.progressive = re.compile(cues.progressive, flags)
        # "I'm sending it Monday": sending and contacting only; "we're preparing our issue this week" reports work
        self.progressive_owed = re.compile(
            rf"(?:{_progressive_verbs(cues.transfer_verbs + cues.contact_verbs)})\b", flags)
        self.separate_delivery = re.compile(cues.separate_delivery, flags)
        self.discourse = re.compile(rf"\s*(?:{'|'.join(cues.discourse)})\b", flags)
        self.pleasantry = re.compile(rf"(?:{'|'.join(cues.pleasantries)})", flags)
        self.be_promise = re.compile(rf"be\s+(?:{'|'.join(cues.be_promises)})", flags)
        # "I'll be sending": only sending and contact verbs; "we will be asking the Board" is a plan
        self.be_progressive = re.compile(rf"be\s+(?:{_progressive_verbs(cues.transfer_verbs + cues.contact_verbs)})\b",
                                         flags)
        self.have_delivery = re.compile(cues.have_delivery, flags)
        self.negation = re.compile(cues.negations, flags)
        self.condition = re.compile(cues.conditions, flags)
        self.reported = re.compile(cues.reported, flags)
        self.impersonal = re.compile(cues.impersonal, flags)
        self.delivered_to_you = re.compile(cues.delivered_to_you, flags)
        self.owe = re.compile(cues.owe, flags)
        self.clause_breaks = re.compile(cues.clause_breaks, flags)
        self.gate = re.compile(cues.gate)  # on lower-cased text: IGNORECASE makes re several times slower
        self.speaker = re.compile(cues.speaker)
        self.question_start = re.compile(r"^\W*(?:will|shall|would|should|can|could|do|did|are|is|may)\s+"
                                         r"(?:i|we|you|he|she|they|it|this|that|there)\b", flags)
        self.let_you_know = re.compile(r"let (?:you|him|her|them|everyone|everybody|all of you|y'all) know\b", flags)
        self.dropped_subject = re.compile(cues.dropped_subject, flags)
        self.word = re.compile(r"[A-Za-z][\w'/-]*")


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


def _heads(clause: str, rules: _Rules, sentence_start: bool, earlier: str) -> list[tuple[int, int]]:
    """Given a clause, return where each commitment head in it starts and ends (the action follows)."""
    ends = [(match.start(), match.end()) for match in rules.heads.finditer(clause)]
    subjectless = list(rules.subjectless.finditer(clause))
    if not subjectless:
        return sorted(set(ends), key=lambda span: span[1])
    # once per clause, not per "will": is there a first person before, or a left-out subject at the start?
    first_person = rules.first_person.search(earlier) is not None
    first_in_clause = rules.first_person.search(clause)
    dropped = rules.dropped_subject.match((earlier + " " + clause)[:120]) is not None
    for match in subjectless:
        if match.group(0).lower().startswith("'ll"):
            continue
        at_start = not clause[:match.start()].strip(" ,;:(") and sentence_start
        speaker_before = first_person or (first_in_clause is not None and first_in_clause.start() < match.start())
        if at_start or speaker_before or dropped:
            follower = clause[match.end():].lstrip()
            if not re.match(r"(?:you|he|she|they|it|we|i|this|that|there|the|anyone|someone)\b", follower,
                            re.IGNORECASE):
                ends.append((match.start(), match.end()))
    return sorted(set(ends), key=lambda span: span[1])


def _action_after(rest: str, rules: _Rules, head: str = "", answering: bool = False) -> bool:
    """Given the words after a commitment head (and the head; ``answering`` when the sentence opens
    with a yes), return whether they name an action owed to the recipient (see the module
    docstring for how the verb's class and objects decide)."""
    rest = rest.lstrip(" ,")
    if _NEGATED_HEAD.search(head):
        return _negated_promise(rest, rules)
    if rules.negation.match(rest) or rest.lower().startswith(("n't", "not ")):
        return _negated_promise(re.sub(r"^(?:n't|not|never)\s*", "", rest, flags=re.IGNORECASE), rules)
    filler = rules.filler.match(rest).group(0)
    rest = rest[len(filler):].lstrip()
    lower = rest.lower()
    if re.search(r"\b(?:happy|glad|delighted|pleased)\b", filler, re.IGNORECASE):
        # "I'd be happy to …": an acceptance, unless what follows is a feeling ("happy to hear")
        return not rules.state.match(lower) and not lower.startswith(("report", "say", "announce", "share that"))
    if not rest or not rules.word.match(rest):
        return bool(re.search(r"\btry\b", filler, re.IGNORECASE))  # "… but will try to today"
    if rules.pleasantry.match(lower):
        return False
    if lower.startswith("be "):
        return bool(rules.be_promise.match(lower) or rules.be_progressive.match(lower))
    if lower.startswith(("have ", "has ")):
        after_have = lower.split(" ", 1)[1] if " " in lower else ""
        return bool(rules.have_delivery.match(lower)) or _arranged(after_have, rules) or _handed_over(after_have)
    if lower.startswith("get ") and _arranged(lower[4:], rules, through="to"):
        return True  # "I'll get someone to fix it"
    if rules.acceptance_verb.match(lower) and not rules.owed.match(lower):
        return (answering and _ANSWER_HEAD.search(head) is not None) or _short_answer(lower, head, rules) \
            or bool(rules.matter_at_hand.match(lower)) or _coordinated_owed(lower, rules)
    return _owed(lower, rules)


_NEGATED_HEAD = re.compile(r"(?:n't|\bnot|\bcannot)\s*$", re.IGNORECASE)


def _negated_promise(rest: str, rules: _Rules) -> bool:
    """After "I won't", a promise only as "won't forget to send …" (a commitment said as a negation)
    or "won't have it … until Monday" (the guidelines: it announces when it comes)."""
    forget = re.match(r"\s*forget to\s+", rest, re.IGNORECASE)
    if forget:
        return _action_after(rest[forget.end():], rules)
    until = re.search(r"\b(?:until|till|before)\b", rest, re.IGNORECASE)
    if until is None or not re.search(r"\b(?:have|get|send|be able to|deliver|finish|provide)\b", rest[:until.start()],
                                      re.IGNORECASE):
        return False
    due = find_due(rest[until.start():], _NO_DATE)
    return due is not None and due.due is not None


_ARRANGED_SKIP = re.compile(r"(?!to\b|no\b|more\b|time\b|the chance\b|any\b|some\b|one\b)"
                            r"(?:(?!to\b)[\w'.-]+\s+){1,4}?")


def _arranged(after_verb: str, rules: _Rules, through: str = "") -> bool:
    """"(have) my assistant send you the deck", "(get) legal to look at it": someone I arrange does
    an owed action (``through`` is the word before their verb, if any)."""
    match = _ARRANGED_SKIP.match(after_verb)
    if match is not None:
        following = after_verb[match.end():]
        if through:
            if not following.startswith(through + " "):
                return False
            following = following[len(through) + 1:]
        return bool(rules.owed.match(following)) and not rules.state.match(following)
    return False


_NOT_HANDED_OVER = re.compile(
    r"(?:(?:to|no|more|time|any|the chance)\b|(?:an? |the |much )?(?:better|clearer|good|great|nice|long|short|quick)\b|"
    r"an? (?:idea|sense|feel|word|chance|look|meeting|call|chat|conversation|discussion|lunch|dinner|drink|coffee|"
    r"baby|party|holiday|vacation|day|week|trip|flight|appointment))", re.IGNORECASE)


_INDEFINITE = re.compile(r"(?:an?|another)\s+(?!(?:\w+\s+){0,2}(?:draft|copy|copies|proposal|quote|estimate|report|summary|list|"
                         r"answer|update|response|decision|recommendation|revision|version|markup|redline|schedule|"
                         r"contract|agreement|invoice|analysis|memo|letter|deck|presentation)\b)", re.IGNORECASE)


def _handed_over(after_have: str) -> bool:
    """"(I'll have) the corrected file on the FTP site by 8am": something of mine in the reader's
    reach by a time named. "A legal happy hour tomorrow" is an event, not a delivery: an indefinite
    object counts only as a document ("a draft", "a revised quote")."""
    if _NOT_HANDED_OVER.match(after_have) or _INDEFINITE.match(after_have):
        return False
    due = find_due(after_have[:100], _NO_DATE)
    return due is not None and due.due is not None


def _owed(phrase: str, rules: _Rules) -> bool:
    """Given a verb phrase (lower case, verb first), return whether it is an action owed: an owed
    verb, or another verb (not a state) whose phrase holds the recipient or the matter at hand; or
    the same for a verb coordinated with it ("meet with Bob and get back to you"). Where a state and
    an owed phrase both fit, the longer wins: "see if" finds out, "see" alone perceives."""
    state, owed = rules.state.match(phrase), rules.owed.match(phrase)
    if owed and (state is None or owed.end() > state.end()):
        return True
    if state is None and (rules.recipient.search(phrase[:80]) or rules.matter_at_hand.match(phrase)):
        return True
    return _coordinated_owed(phrase, rules)


def _coordinated_owed(phrase: str, rules: _Rules) -> bool:
    for joint in rules.coordination.finditer(phrase):
        following = phrase[joint.end():]
        state, owed = rules.state.match(following), rules.owed.match(following)
        if owed and (state is None or owed.end() > state.end()):
            return True
        if state is None and following.startswith("have ") and rules.have_delivery.match(following):
            return True
    return False


_ANSWER_HEAD = re.compile(r"(?:'ll|will|shall|\bcan)\s*$", re.IGNORECASE)
_ANSWER_WORDS = 2  # "I will attend.", "I'll join you", "we can make it Tuesday", "I'll come to the meeting"


def _short_answer(phrase: str, head: str, rules: _Rules) -> bool:
    """"I will attend.", "I'll join you then": an acceptance verb after "will"/"can" with at most
    ``_ANSWER_WORDS`` words besides times, the way an answer to an invitation reads. "I plan to
    attend the conference in May" and "I shall attend the RISK conference" report a plan."""
    if not _ANSWER_HEAD.search(head):
        return False
    verb = rules.acceptance_verb.match(phrase)
    if verb.group(0).startswith("take") and not verb.group(0).startswith("take part"):
        return False  # "I'll take the train": taking is an acceptance only after a yes
    rest = phrase[verb.end():]
    for start, end, _, _ in reversed(find_dates(rest, _NO_DATE)):
        rest = rest[:start] + rest[end:]
    words = [word for word in re.findall(r"[a-z0-9'-]+", rest)
             if word not in ("too", "also", "then", "there", "as", "well", "definitely", "happily", "gladly")]
    return len(words) <= _ANSWER_WORDS


def _progressive_promise(clause: str, rules: _Rules) -> bool:
    """"I'm sending the revised version shortly", "we're getting it to you Monday": a present
    progressive of an owed verb is a promise when the clause puts it in the future; "I'm sending
    you the file" (sent with this very mail) is not."""
    for match in rules.progressive.finditer(clause):
        rest = clause[match.end():]
        verb = rules.progressive_owed.match(rest)
        if not verb or _in_subordinate(clause[:match.start()]):
            continue
        if re.match(r"\s+(?!I\b)[A-Z][a-z]+\s+to\s+[a-z]+", rest[verb.end():]):
            continue  # "I'm paying Cheli to clean the house on Tuesday": someone else's errand
        if rules.separate_delivery.search(rest) or find_due(rest, _NO_DATE) is not None:
            return True
    return False


# A head inside a clause of time, condition or relation is no commitment of its own: "let her know
# when we will be there", "the positions that we are booking tomorrow", "when the credit will be posted".
_SUBORDINATE = re.compile(r"\b(?:when|whenever|while|once|as soon as|by the time|until|till|whether|that|which|"
                          r"who|where)\s+(?:(?!and\b|but\b|or\b|so\b|then\b)[\w'-]+\s+){0,4}$", re.IGNORECASE)


def _in_subordinate(before: str) -> bool:
    """Whether the words ``before`` a head leave it inside a subordinate clause that follows its main
    clause ("let her know when we will be there"); a clause put first ("As soon as you approve the
    PO I will place the order") leaves the head in the main clause."""
    match = _SUBORDINATE.search(before)
    if match is None or not before[:match.start()].strip(" ,;:(\"'-"):
        return False
    # "I promise that I will …", "I can confirm that we will …": a commitment said as a that-clause
    return not (match.group(0).lower().startswith("that") and re.search(
        rf"\b(?:{'|'.join(_COMMITTING_VERBS)})\s*$", before[:match.start()], re.IGNORECASE))


_NO_DATE = datetime(2000, 1, 3)  # find_due only says here whether a time is named, not which


def is_promise(sentence: str, cues: Cues = ENGLISH) -> bool:
    """Given one sentence of my mail, return whether it commits me (or us) to an action."""
    rules = _rules(cues)
    return _may_commit(sentence, cues, rules) and _commitment_at(sentence, rules) is not None


def _may_commit(sentence: str, cues: Cues, rules: _Rules) -> bool:
    """The cheap look first: a commitment needs a commitment word and a speaker (me, us, a left-out
    subject or an impersonal delivery); most sentences have neither and skip the grammar."""
    lowered = sentence.lower().replace("’", "'")
    return (any(word in lowered for word in cues.gate_words) and bool(rules.gate.search(lowered))
            and bool(rules.speaker.search(lowered)))


def _is_question(sentence: str, rules: _Rules) -> bool:
    stripped = sentence.rstrip(" )\"'")
    return stripped.endswith("?") and not stripped.endswith(".?") or bool(rules.question_start.match(sentence))


def _commitment_at(sentence: str, rules: _Rules) -> int | None:
    """Given a sentence, return the offset of its first commitment (its head, or the clause of a
    head-less one), or None."""
    text = sentence.replace("’", "'")
    if rules.question_start.match(text):
        return None
    answering = bool(rules.affirmative.match(text))
    clauses = _clauses(text, rules)
    for index, (offset, clause) in enumerate(clauses):
        if _is_question(clause if index < len(clauses) - 1 else text, rules):
            continue  # "I'll send it, OK?" asks; "I'll send it tomorrow; can you check it?" promises first
        earlier = text[:offset]
        for start, end in _heads(clause, rules, index == 0, earlier):
            # Only the words near a head decide about it: the windows keep a clause of many heads linear.
            before = clause[max(0, end - _WINDOW):end]
            rest = clause[end:end + _WINDOW]
            if before.lower().rstrip().endswith(("let me", "let us")) and rules.discourse.match(rest):
                continue
            if _reported(before, rules) or _in_subordinate(clause[max(0, start - _WINDOW):start]):
                continue
            if not _action_after(rest, rules, before, answering):
                continue
            if _conditional(text[:offset][-_WINDOW:], clause[max(0, end - _WINDOW):], min(end, _WINDOW), rest,
                            rules, whole=text):
                continue
            return offset + start
        head_less = _head_less_commitment(text, offset, clause, rules)
        if head_less is not None:
            return head_less
    return None


def _head_less_commitment(text: str, offset: int, clause: str, rules: _Rules) -> int | None:
    """A commitment without a head in ``clause`` (an impersonal or "you'll have it" delivery, an
    acceptance, a progressive with a future time, "I owe you", "I'm on it"): its offset, or None.
    Each shape is looked for only when the clause holds a word it cannot do without."""
    lowered = clause.lower()
    if any(word in lowered for word in ("will", "shall", "'ll", "should", "coming", "way", "headed")):
        impersonal = rules.impersonal.search(clause)
        if impersonal and not rules.condition.search(clause) and not _in_subordinate(clause[:impersonal.start()]):
            return offset
    if "you" in lowered:
        delivered = rules.delivered_to_you.search(clause)
        if delivered and not rules.condition.search(clause) and find_due(clause[delivered.end():][:80], _NO_DATE):
            return offset + delivered.start()
    if any(word in lowered for word in _ACCEPTANCE_WORDS):
        acceptance = rules.acceptance.match(clause)
        if acceptance and (acceptance.end() == len(clause) or not acceptance.group(0).rstrip().endswith("to")
                           or _action_after("happy to " + clause[acceptance.end():], rules)) \
                and not _conditional(text[:offset][-_WINDOW:], clause, acceptance.end(), clause[acceptance.end():],
                                     rules, whole=text):
            return offset
    if "ing" in lowered and _progressive_promise(clause, rules) and not rules.condition.search(clause):
        return offset
    if "owe" in lowered and rules.owe.search(clause):
        return offset
    if any(word in lowered for word in ("on it", "taking care", "looking into", "working on")) and re.search(
            r"\bi(?:'m| am) (?:on it|taking care of|looking into|working on (?:it|this|that|your))\b", clause,
            re.IGNORECASE):
        return offset
    return None


_ACCEPTANCE_WORDS = ("count", "consider", "will do", "happy", "glad", "delighted", "pleased", "i'm in", "we're in",
                     "am in", "are in")


def _reported(before_head: str, rules: _Rules) -> bool:
    """"It's unlikely that we will …", "they expect that we shall …", "I told her we'll …", "I don't
    think I'll …": the head is inside someone else's statement, an earlier one or a doubt, not my
    commitment now; "I promise that I will …" still commits."""
    if rules.reported.search(before_head):
        return True
    match = re.search(r"(\w+)\s+that\s+(?:i|we)\b[^,;]*$", before_head, re.IGNORECASE)
    return match is not None and match.group(1).lower() not in _COMMITTING_VERBS


# verbs (and adjectives) whose that-clause commits the speaker: "I promise that I will …"
_COMMITTING_VERBS = ("promise", "assure", "guarantee", "confirm", "ensure", "sure", "certain", "undertake", "agree",
                     "commit", "pledge", "swear")


_WINDOW = 200  # characters around a head that decide about it


def _conditional(earlier: str, clause: str, end: int, rest: str, rules: _Rules, whole: str = "") -> bool:
    """A commitment that waits on an "if" is an offer, not a promise. "Let me know X and I'll …"
    is a firm plan; "let you know if …" still informs either way. ``earlier`` is the sentence before
    the clause, ``end`` where the head ends in ``clause``, ``whole`` the sentence."""
    whole = whole or earlier + clause
    if _INPUT_CONDITION.match(whole):
        return False  # "If you can send me the data, I'll …": a firm plan that needs only their input
    if re.match(r"\W*(?:if|unless|should you|in case)\b", whole, re.IGNORECASE):
        return True  # "If so, let me know and I'll …": the whole sentence waits on the condition
    if re.search(r"\byou (?:can|could|may|might)\b", earlier + clause[:end], re.IGNORECASE):
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


# the recipient supplying what I need (the guidelines' "firm plan that only needs an input")
_INPUT_CONDITION = re.compile(
    r"\W*(?:if|once|as soon as) you (?:can |could |will |would |)(?:please )?(?:send|get|give|confirm|provide|forward|"
    r"e-?mail|fax|approve|sign|return|tell me|let me know (?:which|what|who|when|where))\b", re.IGNORECASE)
# words before "if" that make it "whether" ("see if"), or a polite request ("grateful if you could")
_IF_AS_WHETHER = ("know", "see", "check", "ask", "find out", "wonder", "determine", "confirm", "verify", "whether",
                  "learn", "tell", "even", "grateful", "appreciate it", "appreciated", "great", "helpful", "nice",
                  "good", "ideal", "thankful", "obliged")


def find_promises(text: str, written: datetime, date_order: str = "dmy", cues: Cues = ENGLISH) -> list[Promise]:
    """Given the new text of my message and when I wrote it, return the promises in it with their
    due dates (None when no date is named)."""
    rules = _rules(cues)
    if not rules.gate.search(text.lower().replace("’", "'")):
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
