"""The nudge: open reminders that are due -> one multipart/alternative email (text and HTML).

Pure: takes reminders, ``now`` and settings; returns an ``EmailMessage`` or None when nothing
is due. Delivery is someone else's job (``watcher.deliver``).

A daily focus, not a wall of guilt: at most ``max_items`` items, the most pressing first
(promises, earliest due first; then check-backs, earliest due first; then unanswered mail,
longest waiting first and, on the same day, the one further along its cadence first). The rest
are counted in one line at the end. Whether to send on a weekend is ``should_send``'s question;
``build_nudge`` renders any day, so ``digest --preview`` works on a Sunday too.
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from datetime import date, datetime, timezone, tzinfo
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from watcher import __version__
from watcher.cadence import is_last_call, step_label
from watcher.ics import calendar_filename, promises_calendar
from watcher.commands import nudge_tag
from watcher.links import action_links, reply_link
from watcher.model import Reminder
from watcher.parse import WATCHER_HEADER

KIND_ORDER = {"promise": 0, "check_back": 1, "no_reply": 2, "keep_in_touch": 3}


@dataclass(frozen=True)
class NudgeSettings:
    """``max_items``: items listed in full (``digest.max_items``); ``weekdays_only``: no nudge
    on Saturday and Sunday (``digest.weekdays_only``, see ``should_send``)."""

    to: str
    sender: str
    account_email: str
    zone: tzinfo
    max_items: int = 10
    weekdays_only: bool = True
    secret: str = ""  # the state's key for action-link tokens; without it the nudge has no action links
    command_address: str = ""  # where action links mail to (digest.command_address; default: account_email)
    my_name: str = ""  # signs the reply drafts
    calendar: bool = False  # attach the open promises as an .ics (digest.calendar)


@dataclass(frozen=True)
class Focus:
    """Today's due items in order: ``shown`` in full (numbered 1, 2, … in the nudge), ``more``
    only counted. ``all`` is both, in the same order."""

    shown: list[Reminder]
    more: list[Reminder]

    @property
    def all(self) -> list[Reminder]:
        return self.shown + self.more


def should_send(today: date, settings: NudgeSettings) -> bool:
    """Given the local date, return False on Saturday and Sunday when ``weekdays_only`` is set
    (what falls due then is in Monday's nudge), else True."""
    return not settings.weekdays_only or today.weekday() < 5


def focus_order(item: Reminder, zone: tzinfo) -> tuple:
    """The sort key of the daily focus: promises, then check-backs (each earliest due first),
    then unanswered mail by the day I wrote (longest waiting first) and, on the same day, the
    one with more follow-ups first; other kinds last."""
    kind = KIND_ORDER.get(item.kind, 9)
    if item.kind == "no_reply":
        return (kind, item.since.astimezone(zone).date(), -item.followups, item.since, item.key)
    return (kind, item.due, item.since, item.key)


def due_reminders(reminders: list[Reminder], today: date, zone: tzinfo | None = None) -> list[Reminder]:
    """Return the reminders due on or before ``today``, in focus order (``focus_order``; days
    are taken in ``zone``, UTC when it is not given)."""
    zone = zone or timezone.utc
    return sorted((r for r in reminders if r.due <= today), key=lambda r: focus_order(r, zone))


def focus(reminders: list[Reminder], today: date, settings: NudgeSettings) -> Focus:
    """Return today's focus: the due reminders in order, the first ``settings.max_items`` shown."""
    items = due_reminders(reminders, today, settings.zone)
    return Focus(items[:settings.max_items], items[settings.max_items:])


def nudge_message_id(account_email: str, day: date, secret: str = "") -> str:
    """One fixed Message-ID per account and day, so a resent nudge is recognisably the same one.
    With the state's secret it is also unguessable: a reply that refers to it proves that its
    writer received the nudge (``watcher.command_mail``)."""
    tag = nudge_tag(secret, day.isoformat()) if secret else hashlib.sha256(account_email.lower().encode()).hexdigest()[:12]
    return f"<nudge.{day.isoformat()}.{tag}@followup-watcher.invalid>"


def item_links(item: Reminder, today: date, settings: NudgeSettings) -> list[tuple[str, str]]:
    """``(label, mailto URI)`` for one item: Reply (with a draft), then the actions when the
    settings carry the secret that signs them."""
    found = [("Reply", reply_link(item, today, settings.zone, settings.my_name))]
    if settings.secret:
        found += action_links(item, settings.secret, settings.command_address or settings.account_email,
                              last_call=is_last_call(item))
    return found


def subject_line(items: list[Reminder]) -> str:
    """E.g. "3 follow-ups due: Dana Lee, Greg Hall, +1"."""
    names: list[str] = []
    for item in items:
        name = item.contact.display()
        if name not in names:
            names.append(name)
    shown = names[:2]
    more = len(names) - len(shown)
    count = f"{len(items)} follow-up{'s' if len(items) != 1 else ''} due"
    return f"{count}: {', '.join(shown)}{f', +{more}' if more else ''}"


def build_nudge(reminders: list[Reminder], now: datetime, settings: NudgeSettings,
                declines: list[Reminder] = ()) -> EmailMessage | None:
    """Return the nudge for ``now`` (local day in ``settings.zone``), or None if nothing is due.

    It lists ``focus(...).shown`` and counts the rest; the subject counts every due item. It
    renders any day of the week: skipping weekends is the sender's call (``should_send``).
    ``declines`` (threads a contact closed by saying no, not reported yet) are listed at the end;
    on their own they are no reason to send a nudge. With ``settings.calendar`` the open promises
    among ``reminders`` are attached as an iCalendar file."""
    today = now.astimezone(settings.zone).date()
    today_focus = focus(reminders, today, settings)
    if not today_focus.shown:
        return None
    items, more = today_focus.shown, len(today_focus.more)
    message = EmailMessage()
    message["Subject"] = subject_line(today_focus.all)
    message["From"] = formataddr(("followup-watcher", settings.sender))
    message["To"] = settings.to
    message["Date"] = format_datetime(now.astimezone(settings.zone))
    message["Message-ID"] = nudge_message_id(settings.account_email, today, settings.secret)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message[WATCHER_HEADER] = f"nudge; version={__version__}"
    links = {item.key: item_links(item, today, settings) for item in items}
    message.set_content(render_text(items, today, settings.zone, declines, more, links))
    message.add_alternative(render_html(items, today, settings.zone, declines, more, links), subtype="html")
    calendar = promises_calendar(reminders, now, settings.zone) if settings.calendar else None
    if calendar:  # every open promise, due today or later too, so the calendar shows what is coming
        message.add_attachment(calendar.encode("utf-8"), maintype="text", subtype="calendar",
                               filename=calendar_filename(today), params={"method": "PUBLISH", "charset": "utf-8"})
    return message


def _day(value: date) -> str:
    return f"{value:%a} {value.day} {value:%b}"


def waited(item: Reminder, today: date, zone: tzinfo) -> str:
    """E.g. "waiting 9 days (you wrote on Sun 8 Nov)"."""
    started = item.since.astimezone(zone).date()
    days = (today - started).days
    span = "since today" if days <= 0 else f"{days} day{'s' if days != 1 else ''}"
    return f"no reply for {span} (you wrote on {_day(started)})" if days > 0 else f"no reply {span}"


def silence(since: date, today: date) -> str:
    """How long since ``since``, roughly, as people say it: "5 weeks", "3 months", "1 year"."""
    days = (today - since).days
    if days < 60:
        weeks = max(1, days // 7)
        return f"{weeks} week{'s' if weeks != 1 else ''}"
    months = round(days / 30.44)
    if months < 12:
        return f"{months} months"
    years = days // 365
    return f"{years} year{'s' if years != 1 else ''}" if days % 365 < 60 else f"over {years} year{'s' if years != 1 else ''}"


def _relative(due: date, today: date) -> str:
    days = (today - due).days
    if days == 0:
        return "today"
    if days < 0:
        return f"in {-days} day{'s' if days != -1 else ''}"
    return f"{days} day{'s' if days != 1 else ''} ago"


def describe(item: Reminder, today: date, zone: tzinfo) -> list[str]:
    """The lines that describe one item, shared by the text and HTML parts."""
    written = _day(item.since.astimezone(zone).date())
    name = first_name(item.contact)
    due = f"Due {_day(item.due)}, {_relative(item.due, today)}."
    quoted = (item.text or item.snippet).rstrip()
    if quoted.endswith(".") and not quoted.endswith(".."):
        quoted = quoted[:-1]  # the sentence's own full stop would double ours
    if item.kind == "promise":
        return [f"You told {name} on {written}: “{quoted}”. {due}"]
    if item.kind == "check_back" and item.not_now:
        return [f"{name} said not now on {written}: “{quoted}”. {due}"]
    if item.kind == "check_back":
        return [f"{name} asked you on {written} to get back in touch: “{quoted}”. {due}"]
    if item.kind == "keep_in_touch":
        return [f"You and {name} last wrote on {written}, {silence(item.since.astimezone(zone).date(), today)} "
                "ago. Time to check in?"]
    lines = [waited(item, today, zone)]
    if item.followups:
        lines[0] += f"; you followed up {item.followups} time{'s' if item.followups != 1 else ''}"
    step = step_label(item)
    if is_last_call(item):
        lines.append(step[0].upper() + step[1:])  # a question of its own: "No answer after 5 …"
    elif step:
        lines[0] += f"; {step}"
    if item.snippet:
        lines.append(f"You wrote: \u201c{item.snippet}\u201d")
    return lines


_TITLES = {"dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "prof", "prof.", "sir", "herr", "frau"}


def first_name(contact) -> str:
    """How the nudge calls a contact in a sentence: "Dana" for "Dana Lee", "Lee, Dana" and
    "Dr. Dana Lee"; the address when there is no name."""
    name = contact.name or ""
    if "," in name:
        name = name.split(",", 1)[1]
    words = [word for word in name.split() if word.lower() not in _TITLES]
    return words[0] if words else contact.email


def decline_line(item: Reminder, zone: tzinfo) -> str:
    """E.g. 'Kevin Murphy (Partner programme): “We went with another vendor.” Closed for good.'"""
    return (f"{item.contact.display()} ({item.subject or 'no subject'}) on {_day(item.since.astimezone(zone).date())}: "
            f"“{item.text}” Closed for good; they won't be nudged again.")


def more_line(more: int) -> str:
    """E.g. "+7 more: run `followup-watcher list` to see them"; "" when nothing is left out."""
    return f"+{more} more: run `followup-watcher list` to see them." if more else ""


def _links(item: Reminder, links: dict | None) -> list[tuple[str, str]]:
    return (links or {}).get(item.key) or [("Reply", reply_link(item))]


def render_text(items: list[Reminder], today: date, zone: tzinfo, declines: list[Reminder] = (),
                more: int = 0, links: dict | None = None) -> str:
    out = [f"Follow-ups due today, {_day(today)} {today.year}:", ""]
    footnotes = []
    for number, item in enumerate(items, 1):
        out.append(f"{number}. {item.contact.display()} <{item.contact.email}>: {item.subject or '(no subject)'}")
        out += [f"   {line}" for line in describe(item, today, zone)]
        item_links = _links(item, links)
        out.append(f"   (id {item.id} · links: [{number}])")
        out.append("")
        footnotes.append([f"[{number}] {item.contact.display()}"] + [f"    {label}: {uri}" for label, uri in item_links])
    actions = any(len(_links(item, links)) > 1 for item in items)
    if more:
        out += [more_line(more), ""]
    if declines:
        out.append("Declined since the last nudge:")
        out += [f"- {decline_line(item, zone)}" for item in declines]
        out.append("")
    if actions:
        out += ["To act, answer this mail with one command per line, by number or id: \"done 1\",",
                "\"snooze 2 5d\", \"stop 3\", \"mute 4\" (\"keep N\" after a last call). Or open an item's",
                "links below: each composes a mail to you, and sending it is the click.", ""]
    else:
        out += ["Reply links:", ""]
    for block in footnotes:
        out += [*block, ""]
    out.append("-- ")
    out.append("Sent by followup-watcher. `followup-watcher list` shows every open reminder.")
    return "\n".join(out) + "\n"


# The HTML part. Mail clients keep inline styles and tables and little else: Gmail drops most of a
# <style> block, Outlook on Windows lays out with Word (no max-width, no padding on links), phone
# apps invert colours on their own. So: one centred column of at most 600 px that shrinks to any
# width, every colour inline, no pure-white background or pure-black text (forced inversion stays readable),
# text that wraps anywhere, buttons that are table cells and flow onto more lines on a phone.
# The <style> blocks only add dark colours for clients that honour prefers-color-scheme (Apple
# Mail, iOS) or mark Outlook.com's dark mode with data-ogsc/data-ogsb.
_LIGHT = {"page": "#eef1f5", "card": "#fcfcfd", "rule": "#d9dee5", "text": "#1f2328", "muted": "#4b5563",
          "button": "#0b57d0", "button_text": "#ffffff", "action": "#e8effc", "action_rule": "#b6c8ee",
          "action_text": "#0b47a8"}
_DARK = {"page": "#101215", "card": "#1b1e23", "rule": "#2f353d", "text": "#e6e8eb", "muted": "#b3bac4",
         "button": "#8ab4f8", "button_text": "#0a1b36", "action": "#1f2a3a", "action_rule": "#3b5279",
         "action_text": "#c6dafc"}
_FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"
_WRAP = "word-break:break-word;overflow-wrap:anywhere;"  # long subjects, addresses and URLs wrap


def _dark_css(prefixes: tuple[str, ...]) -> str:
    rules = {".fw-page": f"background-color:{_DARK['page']}",
             ".fw-card": f"background-color:{_DARK['card']};border-color:{_DARK['rule']}",
             ".fw-row": f"border-color:{_DARK['rule']}", ".fw-text": f"color:{_DARK['text']}",
             ".fw-muted": f"color:{_DARK['muted']}",
             ".fw-button": f"background-color:{_DARK['button']};border-color:{_DARK['button']}",
             ".fw-button a": f"color:{_DARK['button_text']}",
             ".fw-action": f"background-color:{_DARK['action']};border-color:{_DARK['action_rule']}",
             ".fw-action a": f"color:{_DARK['action_text']}"}
    return "".join(",".join(prefix + selector for prefix in prefixes)
                   + f"{{{rule.replace(';', ' !important;')} !important}}\n" for selector, rule in rules.items())


# Two blocks: a client that rejects a rule it does not know (attribute selectors) drops only that block.
_HTML_STYLE = ("<style>\n:root{color-scheme:light dark;supported-color-schemes:light dark}\n"
               "@media (prefers-color-scheme: dark){\n" + _dark_css(("",)) + "}\n</style>\n"
               "<style>\n" + _dark_css(("[data-ogsc] ", "[data-ogsb] ")) + "</style>")


def _div(text: str, css: str, tone: str = "muted") -> str:
    """One block of escaped text in the ``text`` or ``muted`` colour."""
    return f'<div class="fw-{tone}" dir="auto" style="{css}color:{_LIGHT[tone]};">{html.escape(text)}</div>'


def _row(content: str, padding: str = "14px 20px") -> str:
    """One row of the card under a rule, in small muted text unless its content says otherwise."""
    return (f'<tr><td class="fw-row fw-muted" style="padding:{padding};border-top:1px solid {_LIGHT["rule"]};'
            f'color:{_LIGHT["muted"]};font-size:14px;line-height:20px;{_WRAP}">{content}</td></tr>\n')


def _button(label: str, uri: str, primary: bool) -> str:
    """A button that survives Outlook: a floating one-cell table (so a row of them wraps on a
    phone) whose cell carries the colour, with a padded link for the clients that pad links."""
    kind, background, rule, colour = (("button", _LIGHT["button"], _LIGHT["button"], _LIGHT["button_text"])
                                      if primary else
                                      ("action", _LIGHT["action"], _LIGHT["action_rule"], _LIGHT["action_text"]))
    return ('<table role="presentation" align="left" cellpadding="0" cellspacing="0" border="0" '
            'style="margin:0 8px 8px 0;mso-table-rspace:6pt;mso-table-bspace:6pt;border-collapse:separate;">'
            f'<tr><td class="fw-{kind}" bgcolor="{background}" style="background-color:{background};'
            f'border:1px solid {rule};border-radius:6px;">'
            f'<a href="{html.escape(uri)}" style="display:inline-block;padding:9px 14px;font-size:15px;'
            f'line-height:20px;font-weight:600;color:{colour};text-decoration:none;border-radius:6px;">'
            f"{html.escape(label)}</a></td></tr></table>")


def _html_item(number: int, item: Reminder, today: date, zone: tzinfo, links: dict | None) -> str:
    """One item: who, their address, the subject, what happened, its id, then its buttons."""
    (_, reply), *actions = _links(item, links)
    name = item.contact.display()
    lines = [_div(f"{number}. {name}", "font-size:17px;line-height:24px;font-weight:600;", "text")]
    if name != item.contact.email:
        lines.append(_div(item.contact.email, "font-size:14px;line-height:20px;"))
    lines.append(_div(item.subject or "(no subject)", "margin-top:6px;font-size:16px;line-height:22px;", "text"))
    lines += [_div(line, "margin-top:6px;font-size:15px;line-height:22px;") for line in describe(item, today, zone)]
    lines.append(_div(f"id {item.id}", "margin-top:6px;font-size:14px;line-height:20px;"))
    buttons = _button("Reply", reply, True) + "".join(_button(label, uri, False) for label, uri in actions)
    return _row("".join(lines) + f'<div style="margin-top:12px;">{buttons}</div>', "16px 20px 8px 20px")


def preheader(items: list[Reminder], limit: int = 150) -> str:
    """The preview a mail client shows next to the subject: who and what, cut at ``limit``."""
    summary = " · ".join(f"{item.contact.display()}: {item.subject or '(no subject)'}" for item in items)
    return summary if len(summary) <= limit else summary[:limit - 1].rstrip() + "…"


def render_html(items: list[Reminder], today: date, zone: tzinfo, declines: list[Reminder] = (),
                more: int = 0, links: dict | None = None) -> str:
    """The nudge as one HTML document for mail clients: the same items, lines and links as
    ``render_text``, laid out to read at 375 px and in dark mode (see the notes above)."""
    title = f"Follow-ups due today, {_day(today)}"
    body = [f'<tr><td class="fw-text" style="padding:20px 20px 14px 20px;font-size:20px;line-height:28px;'
            f'font-weight:700;color:{_LIGHT["text"]};{_WRAP}">{html.escape(title)}</td></tr>\n']
    body += [_html_item(number, item, today, zone, links) for number, item in enumerate(items, 1)]
    if more:
        body.append(_row(html.escape(more_line(more)).replace("`followup-watcher list`",
                                                              "<code>followup-watcher list</code>")))
    if declines:
        body.append(_row("<b>Declined since the last nudge</b>" + "".join(
            _div(decline_line(d, zone), "margin-top:4px;") for d in declines)))
    if any(len(_links(item, links)) > 1 for item in items):
        body.append(_row("Each button composes a mail to you: sending it is the click. Or answer this mail "
                         "with one command per line, by number or id: “done 1”, “snooze 2 5d”, “stop 3”, "
                         "“mute 4” (“keep N” after a last call)."))
    body.append(_row("Sent by followup-watcher. <code>followup-watcher list</code> shows every open reminder."))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="x-apple-disable-message-reformatting">\n'
        '<meta name="color-scheme" content="light dark">\n<meta name="supported-color-schemes" content="light dark">\n'
        f"<title>{html.escape(title)}</title>\n{_HTML_STYLE}</head>\n"
        f'<body class="fw-page" style="margin:0;padding:0;background-color:{_LIGHT["page"]};'
        '-webkit-text-size-adjust:100%;text-size-adjust:100%;">\n'
        '<div style="display:none;max-height:0;overflow:hidden;opacity:0;mso-hide:all;">'
        f'{html.escape(preheader(items))}{"&#8204;&nbsp; " * 60}</div>\n'
        f'<table role="presentation" class="fw-page" width="100%" cellpadding="0" cellspacing="0" border="0" '
        f'style="width:100%;background-color:{_LIGHT["page"]};"><tr><td align="center" style="padding:16px 8px;">\n'
        '<!--[if mso]><table role="presentation" width="600" align="center" cellpadding="0" cellspacing="0" '
        'border="0"><tr><td><![endif]-->\n'
        '<table role="presentation" class="fw-card" width="100%" cellpadding="0" cellspacing="0" border="0" '
        'style="width:100%;max-width:600px;table-layout:fixed;border-collapse:separate;'
        f'background-color:{_LIGHT["card"]};border:1px solid {_LIGHT["rule"]};border-radius:8px;'
        f'font-family:{_FONT};{_WRAP}">\n'
        + "".join(body)
        + "</table>\n<!--[if mso]></td></tr></table><![endif]-->\n</td></tr></table>\n</body></html>\n"
    )
