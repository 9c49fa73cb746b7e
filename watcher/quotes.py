"""The new text of a message: what the sender wrote, without the quoted mail and the signature.

Every detector reads only this text, so a question quoted from my own mail never counts as the
other person's question. Handled:

- ``>`` quotes, top-, bottom- and inline-posted (new lines between quotes are kept);
- attribution lines in many languages, also wrapped over two lines ("On Mon, 16 Nov 2026 at 09:00,
  Pat <pat@example.com> wrote:", "Am 16.11.2026 um 09:00 schrieb Pat:", "Le ... a écrit :");
- "-----Original Message-----" and forwarded-message separators in several languages;
- Outlook header blocks ("From: / Sent: / To: / Subject:", "Von: / Gesendet: / An: / Betreff:",
  "De : / Envoyé : / À : / Objet :", ...), also after a "____" rule;
- Lotus Notes forwards and quoted headers ("----- Forwarded by Pat/HOU on 10/23/2000 09:12 AM",
  "Pat Lee@EXAMPLE / 10/23/2000 09:12 AM / To: ... / cc: ... / Subject: ...");
- signatures after "-- " and "Sent from my iPhone"-style lines.

HTML bodies go through ``html_to_text`` first, which renders ``<blockquote>``, Gmail's
``gmail_quote`` and Outlook's reply header block as quoted text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_WROTE = (r"wrote|writes|schrieb|a écrit|a ecrit|escribió|escribio|ha scritto|schreef|skrev|"
          r"napisał\(a\)|napisał|napisala|napisal|kirjoitti|escreveu|написал\(а\)|написал|написала|"
          r"írta|yazdı|napsal\(a\)|napsal|scrisse|έγραψε|пише|написав|geschreven|kirjutas")
# An attribution line: "<intro> ... <wrote>:". The intro words keep prose such as "As John wrote:"
# from counting unless it also carries a date or an address.
_ATTRIBUTION = re.compile(
    rf"^\s*(?:On|Am|Le|El|Il|Op|W dniu|Den|På|Em|Dne|Am|Le \w+\.?)\b.{{0,300}}?(?:{_WROTE})\s*:\s*$",
    re.IGNORECASE,
)
# "2026-11-16 9:00 GMT+01:00 Pat Weber <pat@example.com>:" (older Gmail, some webmailers)
# "Thu, 26 Jun 2014 14:00:51 +0400 от Alexander <abc@example.com>:" (mail.ru and others)
_DATED_ADDRESS = re.compile(r"^.{0,200}(?:\b\d{1,2}:\d{2}\b|\b\d{4}\b).{0,200}<\s*[^<>\s]+@[^<>\s]+>\s*:\s*$")
_LOOSE_ATTRIBUTION = re.compile(rf"^.{{0,300}}?(?:{_WROTE})\b.{{0,100}}:\s*$", re.IGNORECASE)
_DASHED_ATTRIBUTION = re.compile(rf"^\s*-{{2,}}\s*On\b.{{0,300}}(?:{_WROTE})\s*-{{2,}}\s*$", re.IGNORECASE)
_WROTE_WORD = re.compile(rf"(?:{_WROTE})", re.IGNORECASE)
_ADDRESS_END = re.compile(r"^\s*>\s*:\s*$")  # "<name@example.com" wrapped before its ">:"
_ADDRESS_OR_DATE = re.compile(r"@|\d{1,4}[./:-]\d{1,2}|\b\d{4}\b|\b\d{1,2}:\d{2}\b")
_SEPARATOR = re.compile(
    r"^\s*[-=_*]{2,}\s*(?:Original Message|Original message|Ursprüngliche Nachricht|Originalnachricht|"
    r"Message d'origine|Message original|Mensaje original|Messaggio originale|Mensagem original|"
    r"Oorspronkelijk bericht|Originalmeddelande|Alkuperäinen viesti|Wiadomość oryginalna|"
    r"Forwarded [Mm]essage|Weitergeleitete Nachricht|Message transféré|Mensaje reenviado|"
    r"Messaggio inoltrato|Doorgestuurd bericht|Reply message|Original)\s*[-=_*]{0,}\s*$",
    re.IGNORECASE,
)
_BEGIN_FORWARD = re.compile(r"^\s*(?:Begin forwarded message|Anfang der weitergeleiteten Nachricht|"
                            r"Début du message réexpédié)\s*:\s*$", re.IGNORECASE)
_HEADER_FROM = re.compile(r"^\s*\*?(?:From|Von|De|Van|Da|Od|Fra|Från|Lähettäjä|Из|От|Date|Sent|Datum|"
                          r"Gesendet|Envoyé|Enviado|Fecha|Data|Дата|Отправлено)\s*:\*?\s*\S", re.IGNORECASE)
_HEADER_OTHER = re.compile(
    r"^\s*\*?(?:Sent|Date|To|Subject|Cc|Reply-To|Risposta|Antwort an|Répondre à|Gesendet|Datum|An|Betreff|Envoyé|Date|À|A|Objet|Enviado|Fecha|"
    r"Para|Asunto|Inviato|Data|Oggetto|Verzonden|Aan|Onderwerp|Verstuurd|Skickat|Till|Ämne|Sendt|Til|"
    r"Emne|Wysłano|Do|Temat|Lähetetty|Vastaanottaja|Aihe|Kopie|Kopia|Кому|Тема|Копия|Отправлено|Дата|От)\s*:\*?\s*", re.IGNORECASE)
_FORWARDED_BY = re.compile(r"^\s*-{2,}\s*Forwarded by\b", re.IGNORECASE)
# Lotus Notes quotes an earlier mail under "<name>" / "<date> <time>" / "To:" / "cc:" / "Subject:".
_STAMP = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?\b", re.IGNORECASE)
_DATE_AT_END = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\s*$")
_TIME_AT_START = re.compile(r"^\s*\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?\b", re.IGNORECASE)
_LOTUS_TO = re.compile(r"^\s*To:", re.IGNORECASE)
_LOTUS_CC_OR_SUBJECT = re.compile(r"^\s*(?:cc|bcc|Subject):", re.IGNORECASE)
_LOTUS_SENT_BY = re.compile(r"^\s*Sent by:", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;,]\s*$")
_RULE = re.compile(r"^\s*(?:_{8,}|-{10,})\s*$")
_ONLY_PUNCTUATION = re.compile(r"^[\s\-_=*~ᐧ]*$")
_SIGNATURE = re.compile(r"^--\s*$")
_MOBILE = re.compile(
    r"^\s*(?:(?:Sent|Sendt|Skickat|Envoyé|Enviado|Gesendet|Verstuurd|Verzonden|Inviato|Wysłane|Lähetetty)"
    r"\s+(?:from|fra|från|de|depuis|desde|von|vanaf|met|da|z|with|via)\s+(?:my|min|mon|mi|meinem|mijn|il mio|"
    r"mio|mojego|minun)?\s*(?:\S+\s*){1,4}|Get Outlook for \w+.*|Von meinem \S+(?:\s\S+){0,3} gesendet)"
    r"\s*(?:<[^>]*>)?\.?\s*$",
    re.IGNORECASE,
)
_BLANK_RUNS = re.compile(r"\n{3,}")


def _is_quote(line: str) -> bool:
    return line.lstrip().startswith(">")


def _attribution_length(lines: list[str], index: int) -> int:
    """How many lines (0, 1 or 2) at ``index`` form an attribution line."""
    line = lines[index]
    if len(line) > 400 or not line.strip():
        return 0
    if _DASHED_ATTRIBUTION.match(line):
        return 1
    # every other form ends in ":" on its own line or on one of the two it may wrap onto; checking
    # that first spares the costly patterns on ordinary lines
    if not (line.rstrip().endswith(":") or (index + 1 < len(lines) and lines[index + 1].rstrip().endswith(":"))
            or (index + 2 < len(lines) and lines[index + 2].rstrip().endswith(":"))):
        return 0
    candidates = [(line, 1)]
    for extra in (1, 2):  # clients wrap long attribution lines
        following = lines[index + extra] if index + extra < len(lines) else ""
        if not following.strip() or len(following) > 200 or (_is_quote(following) and not _ADDRESS_END.match(following)):
            break
        candidates.append((candidates[-1][0].rstrip() + " " + following.strip(), extra + 1))
    # Without an opening word ("On", "Am", "Le"...) the attribution's first line must itself look
    # like one, so the end of a paragraph is never swallowed by a join.
    first_line_fits = bool(_ADDRESS_OR_DATE.search(line) or _WROTE_WORD.search(line))
    for text, length in candidates:
        if _ATTRIBUTION.match(text) or _DATED_ADDRESS.match(text):
            return length
        if first_line_fits and _LOOSE_ATTRIBUTION.match(text) and _ADDRESS_OR_DATE.search(text):
            return length
    return 0


def _header_block_at(lines: list[str], index: int) -> bool:
    """True if an Outlook-style header block ("From: ..." then "Sent:/To:/Subject: ...") starts here."""
    if not _HEADER_FROM.match(lines[index]):
        return False
    following = [line for line in lines[index + 1:index + 5] if line.strip()][:2]
    return bool(following) and all(_HEADER_OTHER.match(line) for line in following[:1])


def _lotus_header_at(lines: list[str], index: int) -> bool:
    """True if a Lotus Notes quoted header (a date-and-time line, then "To:", then "cc:" or
    "Subject:") starts here. Up to three lines ("Sent by: ...", "Please respond to ...") may sit
    between the date and "To:"; a wrapped recipient list may run over many lines."""
    line = lines[index]
    if len(line) > 120 or "/" not in line:  # both forms below carry a d/m/y date on this line
        return False
    stamp_lines = 1
    if not _STAMP.search(line):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if not (_DATE_AT_END.search(line) and _TIME_AT_START.match(following)):
            return False
        stamp_lines = 2  # "Pat <pat@example.com> on 04/19/2001" wrapped before its time
    start = index + stamp_lines
    following = [(offset, text) for offset, text in enumerate(lines[start:start + 8], start) if text.strip()]
    for offset, text in following[:4]:
        if _LOTUS_TO.match(text):
            return any(_LOTUS_CC_OR_SUBJECT.match(later) for later in lines[offset + 1:offset + 40])
    return False


def _bare_header_at(lines: list[str], index: int) -> bool:
    """True if a quoted header without its sender and date starts here, as Lotus Notes leaves it when
    the stamp is cut: "To:" (its recipients may wrap over lines), then "cc:", then "Subject:"."""
    if not _LOTUS_TO.match(lines[index]) or (index and lines[index - 1].strip()):
        return False
    following = lines[index + 1:index + 8]
    cc = next((offset for offset, text in enumerate(following) if re.match(r"^\s*b?cc:", text, re.IGNORECASE)), None)
    return cc is not None and any(re.match(r"^\s*Subject:", text, re.IGNORECASE)
                                  for text in following[cc + 1:cc + 4])


def _next_content(lines: list[str], index: int) -> str | None:
    for line in lines[index:]:
        if line.strip():
            return line
    return None


def new_text(text: str) -> str:
    """Given a plain-text body, return what the sender newly wrote (see the module docstring)."""
    if not text:
        return ""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if _is_quote(line):
            index += 1
            continue
        # Prose (a line starting with a letter or digit, without ":" or "/") can be no separator,
        # header block, Lotus stamp or rule; skipping those checks halves the cost of long mail.
        prose = line.lstrip()[:1].isalnum() and ":" not in line and "/" not in line
        if _MOBILE.match(line) or not prose and (
                _SEPARATOR.match(line) or _BEGIN_FORWARD.match(line) or _SIGNATURE.match(line)
                or _FORWARDED_BY.match(line) or _header_block_at(lines, index) or _bare_header_at(lines, index)):
            break
        if not prose and _lotus_header_at(lines, index):
            if kept and _LOTUS_SENT_BY.match(kept[-1]):
                kept.pop()
            if kept and kept[-1].strip() and len(kept[-1]) <= 80 and not _SENTENCE_END.search(kept[-1]):
                kept.pop()  # the quoted sender's name, on the line above the date
            break
        if not prose and _RULE.match(line):
            after = _next_content(lines, index + 1)
            if after is not None and _HEADER_FROM.match(after):
                break
        length = _attribution_length(lines, index)
        if length:
            after = _next_content(lines, index + length)
            if after is None or not _is_quote(after):
                break  # an unquoted original follows the attribution: everything below is old
            index += length  # a quote follows; new text may come after it (bottom or inline posting)
            continue
        kept.append(line.rstrip())
        index += 1
    while kept and _ONLY_PUNCTUATION.match(kept[-1]):
        kept.pop()  # a rule that introduced the cut-off part, a web-beacon character
    return _BLANK_RUNS.sub("\n\n", "\n".join(kept)).strip()


# --- HTML -----------------------------------------------------------------------------------------
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table",
               "ul", "ol", "pre", "hr", "dl", "dt", "dd", "section", "article", "header", "footer"}
_PARAGRAPH_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "hr", "pre", "ul", "ol"}
_SKIP_TAGS = {"script", "style", "head", "title", "template", "noscript"}
_VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "wbr", "col", "area", "base", "source"}
_QUOTE_CLASSES = ("gmail_quote", "yahoo_quoted", "protonmail_quote", "moz-forward-container")
_QUOTE_IDS = ("divrplyfwdmsg", "appendonsend", "mail-editor-reference-message-container")
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")


class _TextRenderer(HTMLParser):
    """Renders HTML as plain text; quoted parts become ``>`` lines."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.current_depth = 0
        self.stack: list[tuple[str, bool]] = []  # (tag, whether it opened a quote)
        self.depth = 0
        self.skipping = 0
        self.rest_quoted = False  # after Outlook's reply header everything is the old mail
        self.pre = 0

    def _flush(self, blank: bool = False) -> None:
        """End the current line; ``blank`` also ends the paragraph (an empty line follows)."""
        text = "".join(self.current).strip()
        depth = max(self.current_depth, 1 if self.rest_quoted else 0)
        if text:
            self.lines.append("> " * depth + text)
        if blank and self.lines and self.lines[-1] != "":
            self.lines.append("")
        self.current = []
        self.current_depth = self.depth

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self.skipping += 1
            self.stack.append((tag, False))
            return
        attributes = {name: (value or "") for name, value in attrs}
        classes = attributes.get("class", "").lower()
        element_id = attributes.get("id", "").lower()
        quote = tag == "blockquote" or any(c in classes for c in _QUOTE_CLASSES)
        if element_id in _QUOTE_IDS:
            self._flush(blank=True)
            self.rest_quoted = True
        if tag == "br":
            self._flush(blank=not "".join(self.current).strip())
        elif tag in _BLOCK_TAGS:
            self._flush(blank=tag in _PARAGRAPH_TAGS)
        if tag == "li":
            self.current.append("- ")
        if tag == "pre":
            self.pre += 1
        if tag not in _VOID_TAGS:
            self.stack.append((tag, quote))
            if quote:
                self.depth += 1
                self.current_depth = max(self.current_depth, self.depth)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in _VOID_TAGS:
            return
        if not any(open_tag == tag for open_tag, _ in self.stack):
            return  # a stray end tag
        if tag in _BLOCK_TAGS:
            self._flush(blank=tag in _PARAGRAPH_TAGS)
        while self.stack:
            open_tag, quote = self.stack.pop()
            if open_tag in _SKIP_TAGS:
                self.skipping -= 1
            if open_tag == "pre":
                self.pre -= 1
            if quote:
                self.depth -= 1
                self._flush(blank=True)
            if open_tag == tag:
                break
        self.current_depth = self.depth

    def handle_data(self, data):
        if self.skipping:
            return
        if self.pre:
            parts = data.split("\n")
            for part in parts[:-1]:
                self.current.append(part)
                self._flush()
            self.current.append(parts[-1])
            return
        self.current.append(_SPACES.sub(" ", data))
        if data.strip():
            self.current_depth = max(self.current_depth, self.depth)

    def text(self) -> str:
        self._flush()
        return "\n".join(self.lines).strip()


# Of an HTML body, only this much is rendered: no more than the IMAP source fetches of a text
# part (sync.TEXT_FETCH_BYTES bytes), so `explain` reads no more of it than a sync can. It also
# bounds the time: when html.parser closes an unterminated tag, comment or attribute value at the
# end, it re-scans the rest from every "<" in it, which takes time growing with the square of its
# length ('<x y="' repeated over 64 KB takes 14 s, over 128 KB 67 s; over the 2 MB `explain`
# reads of a message, about an hour).
HTML_READ_CHARS = 16_384


def html_to_text(html: str) -> str:
    """Given an HTML body, return its first ``HTML_READ_CHARS`` characters as plain text with
    quoted parts as ``>`` lines. Never raises."""
    if not html:
        return ""
    html = html[:HTML_READ_CHARS]
    renderer = _TextRenderer()
    try:
        renderer.feed(html)
        renderer.close()
        return renderer.text()
    except Exception:  # html.parser can still trip over pathological markup; fall back to tags out
        return _SPACES.sub(" ", re.sub(r"<[^>]*>", " ", html)).strip()
