"""Provider presets: `imap.provider` fills in servers, ports and security for IMAP and the nudge's
SMTP, keys in the config win, an unknown name is a config error, and each provider's folders are
handled (the Sent folder found, Gmail's All Mail and other views never watched)."""

from __future__ import annotations

import pytest

from watcher.config import parse_config
from watcher.errors import EXIT_CONFIG, ConfigError
from watcher.providers import PROVIDERS, password_hint
from watcher.source import FolderListing, choose_folders

ENV = {"HOME": "/home/pat"}


def config_for(provider: str, email: str = "pat@example.com", imap: dict | None = None, smtp: dict | None = None):
    data = {"account": {"email": email}, "imap": {"provider": provider, **(imap or {})}}
    if smtp is not None:
        data["smtp"] = smtp
    return parse_config(data, ENV)


@pytest.mark.parametrize("provider, imap, smtp", [
    ("gmail", ("imap.gmail.com", 993, "tls"), ("smtp.gmail.com", 465, "tls")),
    ("outlook", ("outlook.office365.com", 993, "tls"), ("smtp.office365.com", 587, "starttls")),
    ("fastmail", ("imap.fastmail.com", 993, "tls"), ("smtp.fastmail.com", 465, "tls")),
    ("icloud", ("imap.mail.me.com", 993, "tls"), ("smtp.mail.me.com", 587, "starttls")),
    ("yahoo", ("imap.mail.yahoo.com", 993, "tls"), ("smtp.mail.yahoo.com", 465, "tls")),
])
def test_a_provider_fills_in_imap_and_smtp(provider, imap, smtp):
    config = config_for(provider, smtp={})  # an empty [smtp]: the nudge goes through the provider
    assert (config.imap.host, config.imap.port, config.imap.security) == imap
    assert (config.smtp.host, config.smtp.port, config.smtp.security) == smtp
    assert config.imap.provider == config.smtp.provider == provider
    assert config.digest.delivery == "smtp"
    # The provider's SMTP server wants a login: the account address, with the IMAP password.
    assert config.smtp.username == "pat@example.com" and config.smtp.secret.fallback is config.imap.secret


def test_without_smtp_the_nudge_is_appended_over_imap():
    config = config_for("gmail")
    assert config.smtp is None and config.digest.delivery == "imap"


@pytest.mark.parametrize("imap, expected", [
    ({"host": "imap.googlemail.com"}, ("imap.googlemail.com", 993, "tls")),
    ({"port": 1993}, ("imap.gmail.com", 1993, "tls")),
    # Another security than the preset's takes that security's usual port, not the preset's.
    ({"security": "starttls"}, ("imap.gmail.com", 143, "starttls")),
    ({"security": "starttls", "port": 10143}, ("imap.gmail.com", 10143, "starttls")),
])
def test_keys_in_the_config_win_over_the_preset(imap, expected):
    config = config_for("gmail", imap=imap)
    assert (config.imap.host, config.imap.port, config.imap.security) == expected


@pytest.mark.parametrize("smtp, expected", [
    ({"security": "starttls"}, ("smtp.gmail.com", 587, "starttls")),
    ({"port": 2525}, ("smtp.gmail.com", 2525, "tls")),
    ({"host": "relay.example.com"}, ("relay.example.com", 587, "starttls")),  # not Gmail's: plain defaults
])
def test_smtp_keys_win_too(smtp, expected):
    config = config_for("gmail", smtp=smtp)
    assert (config.smtp.host, config.smtp.port, config.smtp.security) == expected


def test_an_own_smtp_server_is_not_the_providers():
    config = config_for("outlook", smtp={"host": "localhost", "security": "none"})
    assert config.smtp.provider is None
    assert config.smtp.secret is None  # a local relay: no login unless asked for, as without a provider


@pytest.mark.parametrize("email, imap, username", [
    ("johnappleseed@icloud.com", {}, "johnappleseed"),  # Apple: the name part of the iCloud address
    ("j.appleseed@me.com", {}, "j.appleseed"),
    ("john@appleseed.example", {}, "john@appleseed.example"),  # a custom domain: nothing to derive
    ("johnappleseed@icloud.com", {"username": "johnappleseed@icloud.com"}, "johnappleseed@icloud.com"),
])
def test_icloud_imap_login_is_the_name_part_of_the_address(email, imap, username):
    config = config_for("icloud", email=email, imap=imap, smtp={})
    assert config.imap.username == username
    assert config.smtp.username == email  # SMTP takes the full address


def test_other_providers_log_in_with_the_full_address():
    assert config_for("gmail", email="pat@gmail.com").imap.username == "pat@gmail.com"


def test_an_unknown_provider_lists_the_known_ones():
    with pytest.raises(ConfigError) as raised:
        parse_config({"account": {"email": "pat@example.com"}, "imap": {"provider": "Gmail", "port": "imaps"}}, ENV)
    assert raised.value.exit_code == EXIT_CONFIG
    assert raised.value.problems == [
        "imap.provider: expected one of gmail, outlook, fastmail, icloud, yahoo, got \"Gmail\" (did you mean 'gmail'?)",
        "imap.port: expected a port number 1-65535, got \"imaps\"",
    ]


def test_without_a_provider_the_host_is_required():
    with pytest.raises(ConfigError) as raised:
        parse_config({"account": {"email": "pat@example.com"}, "imap": {}, "smtp": {}}, ENV)
    assert raised.value.problems == [
        "imap.host: required (or set imap.provider to one of gmail, outlook, fastmail, icloud, yahoo)",
        "smtp.host: required (or set imap.provider to one of gmail, outlook, fastmail, icloud, yahoo)",
    ]


@pytest.mark.parametrize("provider, needs", [
    ("gmail", "use an app password"), ("outlook", "set imap.token_command"),
    ("fastmail", "needs an app password"), ("icloud", "needs an app-specific password"),
    ("yahoo", "needs an app password"),
])
def test_each_provider_says_what_replaces_the_account_password(provider, needs):
    assert needs in password_hint(provider, "imap")


def test_password_hints_name_the_section_and_nothing_for_other_servers():
    assert "smtp.token_command (OAuth2)" in password_hint("gmail", "smtp")
    assert password_hint(None, "imap") == "" and password_hint("example", "imap") == ""


# --- folders --------------------------------------------------------------------------------------
@pytest.mark.parametrize("provider", sorted(PROVIDERS))
def test_auto_finds_each_providers_sent_folder_even_unmarked(provider):
    sent = PROVIDERS[provider].sent_folder
    listing = [FolderListing("INBOX"), FolderListing("Archive"), FolderListing(sent)]
    assert choose_folders(listing, "auto", ("INBOX",), "imap")[0] == sent


GMAIL_LISTING = [  # as Gmail lists them (RFC 6154 attributes), English and German interfaces
    FolderListing("INBOX"), FolderListing("Clients"), FolderListing("[Gmail]", frozenset({"\\noselect"})),
    FolderListing("[Gmail]/All Mail", frozenset({"\\all"})), FolderListing("[Gmail]/Drafts", frozenset({"\\drafts"})),
    FolderListing("[Gmail]/Important", frozenset({"\\important"})),
    FolderListing("[Gmail]/Sent Mail", frozenset({"\\sent"})), FolderListing("[Gmail]/Spam", frozenset({"\\junk"})),
    FolderListing("[Gmail]/Starred", frozenset({"\\flagged"})), FolderListing("[Gmail]/Trash", frozenset({"\\trash"})),
]
GMAIL_GERMAN = [
    FolderListing("INBOX"), FolderListing("Kunden"),
    FolderListing("[Google Mail]/Alle Nachrichten", frozenset({"\\all"})),
    FolderListing("[Google Mail]/Gesendet", frozenset({"\\sent"})),
    FolderListing("[Google Mail]/Markiert", frozenset({"\\flagged"})),
    FolderListing("[Google Mail]/Papierkorb", frozenset({"\\trash"})),
    FolderListing("[Google Mail]/Wichtig", frozenset({"\\important"})),
]


@pytest.mark.parametrize("listing, sent, labels", [
    (GMAIL_LISTING, "[Gmail]/Sent Mail", ["INBOX", "Clients"]),
    (GMAIL_GERMAN, "[Google Mail]/Gesendet", ["INBOX", "Kunden"]),
    # Without attributes, Gmail's views are still known by name.
    ([FolderListing(name) for name in ("INBOX", "Clients", "[Gmail]/All Mail", "[Gmail]/Important",
                                       "[Gmail]/Sent Mail", "[Gmail]/Starred")], "[Gmail]/Sent Mail",
     ["INBOX", "Clients"]),
])
def test_every_folder_on_gmail_leaves_out_all_mail_and_the_other_views(listing, sent, labels):
    chosen, watched, _warnings = choose_folders(listing, "auto", ("*",), "imap")
    assert chosen == sent
    assert watched == [sent, *labels]
