"""The nudge's HTML part as mail clients get it, checked without a browser: it parses, nothing in it
is wider than a phone, every colour has a dark-mode counterpart with enough contrast, every item
and link is there; and the text part alone still carries every item and every action.

``hostile_reminders`` is the worst day we can think of; tests/integration/test_nudge_render.py
renders it in Chromium too. Today is Tue 17 Nov 2026 in Berlin.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email import message_from_bytes, policy
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from watcher.digest import NudgeSettings, build_nudge, decline_line, describe, focus, item_links
from watcher.model import Address, Reminder

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 17, 8, 0, tzinfo=BERLIN)
TODAY = NOW.date()
PLAIN = NudgeSettings(to="pat@example.com", sender="pat@example.com", account_email="pat@example.com", zone=BERLIN)
SIGNED = NudgeSettings(**{**PLAIN.__dict__, "secret": "5e" * 32, "my_name": "Pat Weber", "max_items": 12})

LONG_ADDRESS = ("accounts-payable.quarterly-reconciliation.department-of-procurement@"
                "shared-services.finance.emea.subsidiary-holding-company-international.example")
UNBROKEN_SUBJECT = ("Rechnungsnummer" * 14)[:200]
LONG_URL = ("https://intranet.northwind.example/projects/2027/rollout/pricing/" + "a1b2c3d4e5" * 16
            + "?utm_source=followup&session=" + "f" * 64)
LONG_NAME = "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessenschafewaren"


def reminder(number: int, kind: str, name: str, email: str, subject: str, *, text: str = "", snippet: str = "",
             followups: int = 0, max_followups: int = 0, days_ago: int = 9) -> Reminder:
    since = datetime(2026, 11, 17, 9, 0, tzinfo=BERLIN) - timedelta(days=days_ago)
    return Reminder(key=f"{kind}:m{number}@example.com", kind=kind, subject=subject, contact=Address(email, name),
                    since=since, due=date(2026, 11, 16), thread=f"m{number}@example.com",
                    last_message_id=f"m{number}@example.com", followups=followups, snippet=snippet or text,
                    text=text, max_followups=max_followups)


def hostile_reminders() -> tuple[list[Reminder], list[Reminder]]:
    """Fourteen due reminders (twelve shown with ``SIGNED``) and two declines, with everything
    that can push a layout sideways: a 200-character subject without a break, a very long
    address with no name, a long unbroken name, a long URL, CJK, Arabic, Cyrillic, Greek, emoji,
    a last call (its extra button), HTML metacharacters and no subject at all."""
    items = [
        reminder(1, "promise", "", LONG_ADDRESS, "Signed contract", text="I'll send the signed contract by Friday."),
        reminder(2, "no_reply", "Dana Lee", "dana@northwind.example", UNBROKEN_SUBJECT,
                 snippet="Could you send me the price list?"),
        reminder(3, "no_reply", "Greg Hall", "greg@contoso.example", "Pricing <v2> & terms", followups=5,
                 max_followups=5, snippet=f"The details are at {LONG_URL} as discussed.", days_ago=16),
        reminder(4, "check_back", "山田 太郎", "taro.yamada@example.jp", "見積書の再送についてのお願い" * 6,
                 text="来週また連絡してください。"),
        reminder(5, "no_reply", "محمد عبد الله", "m.abdullah@example.ae", "اجتماع الميزانية للربع القادم وخطة التوظيف",
                 snippet="هل يمكنك تأكيد الموعد؟", days_ago=10),
        reminder(6, "keep_in_touch", "Анна Каренина", "anna@example.ru", "Встреча в Санкт-Петербурге", days_ago=40),
        reminder(7, "no_reply", "Γιώργος Παπαδόπουλος", "g.papadopoulos@example.gr", "🚀 Launch 🎉 " * 8,
                 snippet="Θα τα πούμε σύντομα 👋", days_ago=8),
        reminder(8, "no_reply", LONG_NAME, "w@example.de", "", snippet="", days_ago=7),
        *(reminder(number, "no_reply", f"Contact {number}", f"contact{number}@example.org",
                   f"Follow-up number {number}", snippet="Any news?", days_ago=number % 6 + 1)
          for number in range(9, 15)),
    ]
    declines = [
        Reminder(key="decline:d1@example.com", kind="decline", subject=UNBROKEN_SUBJECT,
                 contact=Address(LONG_ADDRESS), since=datetime(2026, 11, 16, 9, 0, tzinfo=BERLIN),
                 due=date(2026, 11, 16), thread="d1@example.com", last_message_id="d1@example.com",
                 text="No thanks, see " + LONG_URL),
        Reminder(key="decline:d2@example.com", kind="decline", subject="Partner programme",
                 contact=Address("kevin@tailspin.example", "Kevin Murphy"),
                 since=datetime(2026, 11, 15, 9, 0, tzinfo=BERLIN), due=date(2026, 11, 15),
                 thread="d2@example.com", last_message_id="d2@example.com", text="We went with another vendor."),
    ]
    return items, declines


def everyday_reminders() -> list[Reminder]:
    return [reminder(1, "promise", "José Álvarez", "jose@example.com", "SAML single sign-on",
                     text="I'll get back to you next week."),
            reminder(2, "no_reply", "Greg Hall", "greg@contoso.example", "Proposal", followups=1, max_followups=5,
                     snippet="Just checking in on the proposal.")]


@dataclass(frozen=True)
class Case:
    """One nudge under test: what went in, and its two parts."""

    items: list[Reminder]
    declines: list[Reminder]
    settings: NudgeSettings
    text: str
    html: str
    markup: "Markup"

    @property
    def shown(self) -> list[Reminder]:
        return focus(self.items, TODAY, self.settings).shown


def make_case(items: list[Reminder], declines: list[Reminder], settings: NudgeSettings) -> Case:
    parsed = message_from_bytes(build_nudge(items, NOW, settings, declines).as_bytes(), policy=policy.default)
    document = parsed.get_body(("html",)).get_content()
    return Case(items, declines, settings, parsed.get_body(("plain",)).get_content(), document, Markup(document))


CASES = {
    "hostile, signed": lambda: make_case(*hostile_reminders(), SIGNED),
    "everyday, signed": lambda: make_case(everyday_reminders(), [], SIGNED),
    "everyday, reply links only": lambda: make_case(everyday_reminders(), [], PLAIN),
}


@pytest.fixture(params=list(CASES))
def case(request) -> Case:
    return CASES[request.param]()


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Markup(HTMLParser):
    """Every element with its attributes and its ancestors, the text of the <style> blocks,
    the text a reader sees (``visible``), the comments, and any tag closed out of order or never."""

    def __init__(self, document: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.stack: list[dict] = []
        self.unbalanced: list[str] = []
        self.styles: list[str] = []
        self.visible: list[str] = []
        self.comments: list[str] = []
        self.feed(document)
        self.close()
        self.unbalanced += [f"<{open_['tag']}> never closed" for open_ in self.stack]

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": {name: value or "" for name, value in attrs}, "ancestors": list(self.stack)}
        element["classes"] = element["attrs"].get("class", "").split()
        element["style"] = declarations(element["attrs"].get("style", ""))
        self.elements.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1]["tag"] != tag:
            self.unbalanced.append(f"</{tag}> does not close <{self.stack[-1]['tag'] if self.stack else '-'}>")
            return
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1]["tag"] == "style":
            self.styles.append(data)
        elif not any(e["tag"] == "head" or e["style"].get("display") == "none" for e in self.stack):
            self.visible.append(data)

    def handle_comment(self, data):
        self.comments.append(data)

    def all(self, tag: str) -> list[dict]:
        return [element for element in self.elements if element["tag"] == tag]


def declarations(css: str) -> dict[str, str]:
    found = {}
    for declaration in css.split(";"):
        name, colon, value = declaration.partition(":")
        if colon:
            found[name.strip().lower()] = value.replace("!important", "").strip().lower()
    return found


def dark_rules(markup: Markup) -> dict[str, dict[str, str]]:
    """Selector -> declarations inside ``@media (prefers-color-scheme: dark)``."""
    css = "".join(markup.styles)
    match = re.search(r"@media\s*\(prefers-color-scheme:\s*dark\)\s*\{((?:[^{}]*\{[^{}]*\})*)\s*\}", css)
    assert match, "no @media (prefers-color-scheme: dark) block"
    return {selector.strip(): declarations(body) for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", match[1])}


def test_the_html_parses_with_every_tag_closed_in_order(case):
    assert case.html.startswith("<!DOCTYPE html>")
    assert case.markup.unbalanced == []
    assert [element["tag"] for element in case.markup.elements[:2]] == ["html", "head"]
    assert not case.markup.all("script") and not case.markup.all("img") and not case.markup.all("link")


def test_nothing_is_wider_than_a_phone(case):
    """Widths: 100% or at most 375 px; only max-width may say 600 px. The one exception is the
    600 px frame inside ``<!--[if mso]>``, which only Outlook on Windows (a desktop client that
    ignores max-width) reads: to every other client it is a comment."""
    for element in case.markup.elements:
        attribute = element["attrs"].get("width")
        if attribute is not None:
            assert attribute == "100%" or (attribute.isdigit() and int(attribute) <= 375), element
        for name, value in element["style"].items():
            if name in ("width", "min-width"):
                assert value == "100%" or pixels(value) <= 375, (name, value, element["tag"])
            if name == "max-width":
                assert pixels(value) <= 600, (name, value)
            assert not (name == "white-space" and value in ("nowrap", "pre")), element
    wide_in_comments = [comment for comment in case.markup.comments if re.search(r'width="?\d{3,}', comment)]
    assert all(comment.startswith("[if mso]") for comment in wide_in_comments), wide_in_comments
    assert not re.search(r"(?<![-\w])(min-)?width:\s*\d{3,}", "".join(case.markup.styles))


def pixels(value: str) -> int:
    match = re.fullmatch(r"(\d+)(px)?", value.strip())
    assert match, f"not a pixel length: {value!r}"
    return int(match[1])


def test_long_words_wrap_inside_the_one_column(case):
    """The column is a fixed-layout table (content cannot widen it) whose text may break
    anywhere (inherited by every cell); each row repeats it for clients that drop it on tables."""
    [card] = [element for element in case.markup.all("table") if element["style"].get("max-width") == "600px"]
    assert card["style"]["width"] == "100%" and card["style"]["table-layout"] == "fixed"
    rows = [element for element in case.markup.all("td") if element["ancestors"][-2:-1] == [card]]
    assert len(rows) >= len(case.shown) + 2
    for element in [card, *rows]:
        assert element["style"]["overflow-wrap"] == "anywhere" and element["style"]["word-break"] == "break-word"


def test_every_link_has_a_target_and_every_item_link_is_there(case):
    hrefs = [anchor["attrs"].get("href", "") for anchor in case.markup.all("a")]
    expected = [uri for item in case.shown for _, uri in item_links(item, TODAY, case.settings)]
    assert hrefs == expected  # each link once, in item order: Reply, then the actions
    labels = [label for item in case.shown for label, _ in item_links(item, TODAY, case.settings)]
    assert re.findall(r"<a [^>]*>([^<]*)</a>", case.html) == labels


def test_dark_mode_is_declared_and_recolours_every_colour(case):
    metas = {meta["attrs"].get("name"): meta["attrs"].get("content") for meta in case.markup.all("meta")}
    assert metas["color-scheme"] == "light dark" and metas["supported-color-schemes"] == "light dark"
    rules = dark_rules(case.markup)
    coloured = 0
    for element in case.markup.elements:
        for property_ in ("color", "background-color"):
            if property_ in element["style"]:
                assert dark_value(element, property_, rules), (property_, element["tag"], element["classes"])
                coloured += 1
    assert coloured > 10


def dark_value(element: dict, property_: str, rules: dict) -> str | None:
    """The colour the dark-mode rules give ``element``, None if they leave its inline one."""
    selectors = [f".{name}" for name in element["classes"]]
    if element["tag"] == "a":
        selectors += [f".{name} a" for ancestor in element["ancestors"] for name in ancestor["classes"]]
    values = [rules[selector][property_] for selector in selectors if property_ in rules.get(selector, {})]
    return values[-1] if values else None


def test_text_is_large_and_contrasted_enough_in_light_and_dark(case):
    rules = dark_rules(case.markup)
    checked = 0
    for element in case.markup.elements:
        if "font-size" in element["style"]:
            assert pixels(element["style"]["font-size"]) >= 14, element
        if "color" not in element["style"]:
            continue
        painted = [e for e in [*element["ancestors"], element] if "background-color" in e["style"]]
        assert painted, element
        light = (element["style"]["color"], painted[-1]["style"]["background-color"])
        dark = (dark_value(element, "color", rules), dark_value(painted[-1], "background-color", rules))
        assert contrast(*light) >= 4.5 and contrast(*dark) >= 4.5, (element["tag"], element["classes"], light, dark)
        checked += 1
    assert checked >= 5 * len(case.shown)


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_preheader_is_hidden_and_names_the_first_item(case):
    [body] = case.markup.all("body")
    first = next(element for element in case.markup.elements if element["ancestors"][-1:] == [body])
    assert first["tag"] == "div" and first["style"]["display"] == "none"
    preview = re.search(r"<body[^>]*>\s*<div[^>]*>([^<&]*)", case.html)[1]
    assert preview.startswith(html.escape(case.shown[0].contact.display()[:100]))
    assert len(html.unescape(preview)) <= 150


def test_the_html_has_every_item_line_and_decline():
    case = CASES["hostile, signed"]()
    more = focus(case.items, TODAY, SIGNED).more
    assert len(case.shown) == 12 and len(more) == 2
    seen = "\n".join(case.markup.visible)
    for item in case.shown:
        for needle in (item.contact.display(), item.contact.email, item.subject or "(no subject)",
                       *describe(item, TODAY, BERLIN), f"id {item.id}"):
            assert f"\n{needle}\n" in seen or f". {needle}\n" in seen, needle  # a block of its own
    for item in more:
        assert item.contact.display() not in seen
    for item in case.declines:
        assert f"\n{decline_line(item, BERLIN)}\n" in seen
    assert "+2 more: run <code>followup-watcher list</code> to see them." in case.html
    assert "“done 1”, “snooze 2 5d”, “stop 3”, “mute 4”" in case.html  # answering by command, as in the text


def test_without_a_secret_the_html_does_not_explain_commands():
    assert "done 1" not in CASES["everyday, reply links only"]().html


def test_a_full_nudge_stays_under_gmails_clipping_size():
    """Gmail hides an HTML part over 102 KB behind "View entire message", the links with it: the
    default ten items, each with long lines, a long reply draft and every action, must fit."""
    long = [reminder(n, "no_reply", f"Someone With A Long Name {n}", f"someone.with.a.long.address{n}@example.org",
                     "Re: " + "A fairly long subject line about the rollout " * 3, followups=5, max_followups=5,
                     snippet="A long opening paragraph of what I wrote to them. " * 5, days_ago=9)
            for n in range(1, 11)]
    case = make_case(long, [], NudgeSettings(**{**SIGNED.__dict__, "max_items": 10}))
    assert len(case.shown) == 10 and len(case.markup.all("a")) == 70
    assert len(case.html.encode("utf-8")) < 100_000


def test_the_text_part_alone_has_every_item_and_every_action(case):
    body, _, footnotes = case.text.partition("\n[1] ")
    footnotes = "[1] " + footnotes
    for number, item in enumerate(case.shown, 1):
        assert (f"\n{number}. {item.contact.display()} <{item.contact.email}>: {item.subject or '(no subject)'}\n"
                in body)
        for line in describe(item, TODAY, BERLIN):
            assert f"\n   {line}\n" in body
        assert f"\n   (id {item.id} · links: [{number}])\n" in body
        block = footnotes.split(f"[{number}] {item.contact.display()}\n", 1)[1].split("\n\n", 1)[0]
        links = item_links(item, TODAY, case.settings)
        assert block.splitlines() == [f"    {label}: {uri}" for label, uri in links]
        assert len(links) == (1 if not case.settings.secret else 7 if item.followups >= 5 else 6)
    for item in case.declines:
        assert f"\n- {decline_line(item, BERLIN)}\n" in body
    if case.settings.secret:
        assert '"done 1",\n"snooze 2 5d", "stop 3", "mute 4" ("keep N" after a last call)' in body
    else:
        assert "Reply links:" in body and "done 1" not in body
