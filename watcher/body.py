"""Whole messages and bodies -> the new text their sender wrote; a whole message -> ``Message``
and text in one pass (``parse_message``, for ``explain`` and the labelled data).

Bodies are read only where a rule needs them (my own mail, replies to it) and are size-capped by
the source. A well-formed body is read with the stdlib's compat32 parser (several times faster
than mail-parser, which parses every ``Received`` hop and encodes every attachment); a body the
stdlib finds defects in goes through mail-parser, which copes with broken MIME and charsets.
Quotes and signatures are then removed.
"""

from __future__ import annotations

import logging
import re
from email import errors
from email.parser import BytesHeaderParser, BytesParser
from email.policy import compat32

from watcher.model import Message
from watcher.parse import _message_from_headers, _wanted_fields, header_block, header_fields, parse_headers

log = logging.getLogger(__name__)
_body_parser = BytesParser(policy=compat32)


def parse_message(raw: bytes) -> tuple[Message, str]:
    """Given a whole raw message, return its ``Message`` (without text) and its new text, parsing
    the bytes once (for reading many message files, as ``explain`` does). A single-part
    text/plain message, the most common kind, is decoded straight from its bytes."""
    head = header_block(raw)
    headers = header_fields(_wanted_fields(head))
    content_type = str(headers.get("Content-Type") or "text/plain").lower()
    encoding = str(headers.get("Content-Transfer-Encoding") or "").strip().lower()
    if content_type.startswith("text/plain") and encoding in _SIMPLE_ENCODINGS and headers.clean:
        charset_match = _CHARSET.search(content_type)
        charset = charset_match.group(1) if charset_match else "utf-8"
        text = decoded_part_text(raw[len(head):len(head) + BODY_READ_BYTES], encoding, charset, "plain")
        return _message_from_headers(headers), text
    try:
        parsed = _body_parser.parsebytes(raw[:BODY_READ_BYTES])
    except Exception as error:  # the stdlib parser gave up: read the parts separately
        log.debug("stdlib could not parse the message: %s", error)
        return parse_headers(header_block(raw)), body_text(raw)
    text = _well_formed_text(parsed)
    return _message_from_headers(headers), text if text is not None else _thorough_body(raw)


_SIMPLE_ENCODINGS = ("", "7bit", "8bit", "binary", "quoted-printable", "base64")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""")


# A person's own words come first; whatever follows this much text is pasted material (reports,
# articles, logs) that no rule needs, and reading it would make long mail cost more than all the rest.
BODY_TEXT_LIMIT = 16_000  # characters of a text part that quote stripping looks at (as the IMAP source fetches)
NEW_TEXT_LIMIT = 8_000  # characters of new text the rules read
BODY_READ_BYTES = 64 * 1024  # of a whole message, for finding its text part (attachments come later)


def new_text(text: str) -> str:
    """``watcher.quotes.new_text``, loaded on first use: only bodies need it."""
    from watcher.quotes import new_text as strip_quotes

    return strip_quotes(text)


def html_to_text(html: str) -> str:
    """``watcher.quotes.html_to_text``, loaded on first use: only bodies need it."""
    from watcher.quotes import html_to_text as render

    return render(html)


def newly_written(text: str) -> str:
    """Given the decoded text of a body part, return the new text the rules read: quotes and
    signature removed, at most ``NEW_TEXT_LIMIT`` characters, cut at a line end where possible."""
    text = new_text(text[:BODY_TEXT_LIMIT])
    if len(text) <= NEW_TEXT_LIMIT:
        return text
    cut = text.rfind("\n", 0, NEW_TEXT_LIMIT)
    return text[:cut if cut > NEW_TEXT_LIMIT // 2 else NEW_TEXT_LIMIT]


def body_text(raw: bytes) -> str:
    """Given a whole (possibly truncated) raw message, return the new text the sender wrote:
    the first text/plain part (or text/html turned into text), quotes and signature removed."""
    try:
        text = _well_formed_body(raw)
    except Exception as error:  # the stdlib parser gave up: mail-parser is more forgiving
        log.debug("stdlib could not read the body: %s", error)
        text = None
    return text if text is not None else _thorough_body(raw)


def _well_formed_body(raw: bytes) -> str | None:
    """The body text by the stdlib parser, or None when the message has MIME defects or no text
    part (then mail-parser should look at it)."""
    return _well_formed_text(_body_parser.parsebytes(raw[:BODY_READ_BYTES]))


def _well_formed_text(message) -> str | None:
    plain = html = None
    for part in message.walk():
        if any(not isinstance(defect, errors.CloseBoundaryNotFoundDefect) for defect in part.defects):
            return None  # a message cut short lacks its closing boundary: that alone is no damage
        if part.is_multipart() or part.get_filename() or (part.get("Content-Disposition") or "").lower().startswith(
                "attachment"):
            continue
        content_type = part.get_content_type()
        if content_type == "text/plain" and plain is None:
            plain = part
        elif content_type == "text/html" and html is None:
            html = part
    for part, subtype in ((plain, "plain"), (html, "html")):
        if part is None:
            continue
        payload = part.get_payload(decode=True) or b""
        text = _decode_charset(payload, part.get_content_charset() or "utf-8")
        if text.strip():
            return newly_written(html_to_text(text) if subtype == "html" else text)
    return None


def _thorough_body(raw: bytes) -> str:
    import mailparser  # imported here: only body reading needs it, and it is slow to import

    logging.getLogger("mailparser").setLevel(logging.ERROR)
    try:
        mail = mailparser.parse_from_bytes(raw)
        plain = [part for part in mail.text_plain if part and part.strip()]
        if plain:
            return newly_written(plain[0])
        html = [part for part in mail.text_html if part and part.strip()]
        if html:
            return newly_written(html_to_text(html[0]))
    except Exception as error:  # mail-parser raises assorted errors on broken MIME
        log.debug("could not read the body: %s", error)
    return _text_of_unmarked_parts(raw)


_PART_BOUNDARY = re.compile(rb"^--([^\s-][^\s]{4,69})\s*$", re.MULTILINE)


def _text_of_unmarked_parts(raw: bytes) -> str:
    """Last resort for a multipart message whose Content-Type lost its boundary parameter: find
    the boundary lines in the body and read the first text part between them."""
    body = raw[len(header_block(raw)):]
    match = _PART_BOUNDARY.search(body)
    if not match:
        return ""
    for part in body.split(b"--" + match.group(1))[1:]:
        head, _, content = part.lstrip(b"\r\n").replace(b"\r\n", b"\n").partition(b"\n\n")
        headers = BytesHeaderParser(policy=compat32).parsebytes(head + b"\n\n")
        content_type = (headers.get("Content-Type") or "text/plain").lower()
        if content_type.startswith("text/"):
            subtype = content_type.split("/", 1)[1].split(";", 1)[0].strip()
            charset = headers.get_param("charset") or "utf-8"
            return decoded_part_text(content, headers.get("Content-Transfer-Encoding", ""), str(charset), subtype)
    return ""


def decoded_part_text(payload: bytes, encoding: str, charset: str, subtype: str) -> str:
    """Given the (possibly truncated) bytes of one MIME part as the server sent them, its
    Content-Transfer-Encoding, charset and text subtype, return the new text the sender wrote."""
    import base64
    import binascii
    import quopri

    encoding = (encoding or "").lower()
    if encoding == "base64":
        compact = re.sub(rb"[^A-Za-z0-9+/=]", b"", payload)
        compact = compact[: len(compact) - len(compact) % 4]
        try:
            payload = base64.b64decode(compact)
        except (binascii.Error, ValueError):
            payload = b""
    elif encoding == "quoted-printable":
        payload = quopri.decodestring(payload)
    text = _decode_charset(payload, charset)
    if subtype.lower() == "html":
        text = html_to_text(text)
    return newly_written(text)


def _decode_charset(payload: bytes, charset: str) -> str:
    """Given the bytes of a text part and the charset its sender named, return the text; bytes
    that do not decode become U+FFFD. A name Python does not know, or a codec that cannot
    replace bad bytes ("idna", "punycode", "undefined", a name with a NUL in it), is read as
    UTF-8 instead: the charset label is the sender's, and one odd label must not stop a sync."""
    try:
        return payload.decode(charset or "utf-8", errors="replace")
    except (LookupError, ValueError):  # unknown name; UnicodeError and "embedded null" are ValueErrors
        return payload.decode("utf-8", errors="replace")
