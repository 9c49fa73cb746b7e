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


def render_html(items: list[Reminder], today: date, zone: tzinfo, declines: list[Reminder] = (),
                more: int = 0, links: dict | None = None) -> str:
    rows = []
    for number, item in enumerate(items, 1):
        (_, reply), *actions = _links(item, links)
        action_row = " · ".join(f'<a href="{html.escape(uri)}" style="color:#1a73e8;text-decoration:none;">'
                                f"{html.escape(label)}</a>" for label, uri in actions)
        details = "".join(
            f'<div style="margin:4px 0 0 0;color:#444;font-size:14px;">{html.escape(line)}</div>'
            for line in describe(item, today, zone)
        )
        rows.append(
            '<tr><td style="padding:14px 16px;border-top:1px solid #e3e3e3;">'
            f'<div style="font-size:16px;font-weight:600;color:#111;">{number}. '
            f'{html.escape(item.contact.display())}</div>'
            f'<div style="font-size:15px;color:#111;margin-top:2px;word-break:break-word;">'
            f'{html.escape(item.subject or "(no subject)")}</div>{details}'
            f'<div style="margin-top:10px;"><a href="{html.escape(reply)}" '
            'style="display:inline-block;padding:8px 14px;background:#1a73e8;color:#ffffff;'
            'text-decoration:none;border-radius:4px;font-size:14px;">Reply</a>'
            f'<span style="color:#888;font-size:12px;margin-left:10px;">id {item.id}</span></div>'
            + (f'<div style="margin-top:8px;font-size:13px;">{action_row}</div>' if action_row else "")
            + "</td></tr>"
        )
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark"></head>'
        '<body style="margin:0;padding:0;background:#f6f6f6;">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
        'style="background:#f6f6f6;"><tr><td align="center" style="padding:16px 8px;">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
        'style="max-width:600px;background:#ffffff;border-radius:6px;'
        'font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;">'
        '<tr><td style="padding:16px;font-size:18px;font-weight:600;color:#111;">'
        f"Follow-ups due today, {html.escape(_day(today))}</td></tr>"
        + "".join(rows)
        + (('<tr><td style="padding:12px 16px;border-top:1px solid #e3e3e3;color:#444;font-size:14px;">'
             + html.escape(more_line(more)).replace("`followup-watcher list`", "<code>followup-watcher list</code>")
             + "</td></tr>") if more else "")
        + ("".join(['<tr><td style="padding:12px 16px;border-top:1px solid #e3e3e3;color:#444;font-size:14px;">'
                    "<b>Declined since the last nudge</b>"]
                   + [f'<div style="margin-top:4px;">{html.escape(decline_line(d, zone))}</div>' for d in declines]
                   + ["</td></tr>"]) if declines else "")
        + '<tr><td style="padding:12px 16px;border-top:1px solid #e3e3e3;color:#888;font-size:12px;">'
        "Sent by followup-watcher. <code>followup-watcher list</code> shows every open reminder."
        "</td></tr></table></td></tr></table></body></html>"
    )
