"""The command line: subcommands, exit codes, and the one place that turns errors into words."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import traceback
from datetime import datetime, timezone
from pathlib import Path

from watcher import __version__
from watcher.errors import EXIT_CONFIG, EXIT_FAILURE, EXIT_OK, EXIT_TEMPFAIL, WatcherError

log = logging.getLogger("watcher")

EXIT_CODES = f"""exit codes:
  {EXIT_OK}   success
  {EXIT_FAILURE}   an operational failure (server unreachable, login refused, delivery failed)
  2   bad command line
  {EXIT_TEMPFAIL}  the state is in use by another followup-watcher process; try again
  {EXIT_CONFIG}  the configuration is invalid (every problem is listed with its key)
"""

EXAMPLES = {
    "run": "example:\n  followup-watcher --config ~/.config/followup-watcher/config.toml run",
    "sync": "example:\n  followup-watcher sync\n  synced 2 folders (Sent, INBOX), 14 new messages, 3 open reminders (1 new, 0 closed)",
    "digest": "examples:\n  followup-watcher digest --preview\n  followup-watcher digest --preview --html /tmp/nudge.html\n  followup-watcher digest --send",
    "list": "examples:\n  followup-watcher list\n  followup-watcher list --json | jq '.[].contact'",
    "status": "examples:\n  followup-watcher status\n  followup-watcher status --json | jq .errors_24h",
    "check": "example:\n  followup-watcher check",
    "explain": "examples:\n  followup-watcher explain message.eml\n  followup-watcher explain ~/Mail/work/Sent ~/Mail/archive.mbox",
    "demo": "examples:\n  followup-watcher demo\n  followup-watcher demo --html /tmp/demo-nudge.html",
    "done": "example:\n  followup-watcher done q6bpzo",
    "snooze": "examples:\n  followup-watcher snooze q6bpzo 3d\n  followup-watcher snooze q6bpzo 2w\n"
              "  followup-watcher snooze q6bpzo 2026-12-01",
    "stop": "example:\n  followup-watcher stop q6bpzo",
    "keep": "example:\n  followup-watcher keep q6bpzo",
    "mute": "examples:\n  followup-watcher mute dana@northwind.example\n  followup-watcher mute @bigcorp.example",
    "unmute": "example:\n  followup-watcher unmute @bigcorp.example",
    "init": "examples:\n  followup-watcher init                     # asks for what it needs\n"
            "  followup-watcher init --email pat@fastmail.com --password-command 'pass show mail' --no-input\n"
            "  followup-watcher --config /etc/followup-watcher/config.toml init --email pat@example.com \\\n"
            "      --imap-host imap.example.com --password-env IMAP_PASSWORD --no-input",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="followup-watcher",
        description="Watches your mailbox over IMAP (read-only) and sends you one email each "
                    "morning with the follow-ups that are due.",
        epilog="example:\n  followup-watcher demo          # see it work on a bundled sample mailbox\n\n"
               + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--config", metavar="PATH", help="configuration file (default: "
                        "$FOLLOWUP_WATCHER_CONFIG, ~/.config/followup-watcher/config.toml, "
                        "/etc/followup-watcher/config.toml)")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more detail (-vv for debugging)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors")
    parser.add_argument("--version", action="version", version=f"followup-watcher {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help_text, description=help_text, epilog=EXAMPLES[name],
                                   formatter_class=argparse.RawDescriptionHelpFormatter)

    command("run", "run the daemon: poll the mailbox and send the nudge every day")
    command("sync", "run one poll cycle, print a one-line summary, and exit")
    digest = command("digest", "show or send today's nudge")
    mode = digest.add_mutually_exclusive_group(required=True)
    mode.add_argument("--preview", action="store_true", help="print the nudge's text part; change nothing")
    mode.add_argument("--send", action="store_true", help="deliver the nudge now and record that it was sent")
    digest.add_argument("--html", metavar="FILE", type=Path, help="also write the nudge's HTML part to FILE")
    digest.add_argument("--again", action="store_true",
                        help="with --send: send even if today's nudge already went out")
    listing = command("list", "list open reminders")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    command("check", "validate the config, log in to IMAP and SMTP, show the folders used")
    status = command("status", "show the last sync per folder, the last nudge, recent errors and skipped mail")
    status.add_argument("--json", action="store_true", help="print a JSON object")
    explain = command("explain", "show what the watcher makes of messages in files, mboxes or Maildirs")
    explain.add_argument("paths", nargs="+", type=Path, metavar="FILE|MBOX|MAILDIR")
    explain.add_argument("--date-order", choices=("dmy", "mdy"), default="dmy",
                         help="how to read numeric dates such as 3/12 (default: dmy, 3 December)")
    done = command("done", "close a reminder: you did it (or it needs nothing more)")
    done.add_argument("id", metavar="ID", help="the reminder's id, as `list` shows it")
    snooze = command("snooze", "keep a reminder but not before a later day")
    snooze.add_argument("id", metavar="ID", help="the reminder's id, as `list` shows it")
    snooze.add_argument("until", metavar="3d|2w|YYYY-MM-DD",
                        help="days (business days unless rules.business_days = false), weeks, or a date")
    keep = command("keep", "keep following up after the last call (\"stop, or keep going?\")")
    keep.add_argument("id", metavar="ID", help="the reminder's id, as the nudge or `list` shows it")
    stop = command("stop", "stop tracking a reminder's thread for good")
    stop.add_argument("id", metavar="ID", help="the reminder's id, as `list` shows it")
    mute = command("mute", "never track an address or a whole @domain again; closes its open reminders")
    mute.add_argument("pattern", metavar="ADDRESS|@DOMAIN")
    unmute = command("unmute", "track a muted address or @domain again")
    unmute.add_argument("pattern", metavar="ADDRESS|@DOMAIN")
    init = command("init", "write a configuration (asking for what it needs), test the login, say what's next")
    init.add_argument("--email", help="your address")
    init.add_argument("--name", help="your name, for the nudge and reply drafts")
    init.add_argument("--provider", help="gmail, outlook, fastmail, icloud or yahoo (found from the address when it can be)")
    init.add_argument("--imap-host", metavar="HOST")
    init.add_argument("--imap-port", metavar="PORT", type=int)
    init.add_argument("--security", choices=("tls", "starttls", "none"), help="IMAP connection security (default tls)")
    init.add_argument("--username", help="IMAP login name (default: the address)")
    secret = init.add_mutually_exclusive_group()
    secret.add_argument("--password-command", metavar="COMMAND", help="a command that prints the password, e.g. 'pass show mail'")
    secret.add_argument("--password-file", metavar="FILE", type=Path, help="a file holding the password (chmod 600)")
    secret.add_argument("--password-env", metavar="VARIABLE", help="an environment variable holding the password")
    secret.add_argument("--token-command", metavar="COMMAND",
                        help="an OAuth2 token helper that prints an access token, e.g. 'oama access pat@gmail.com'")
    secret.add_argument("--password-stdin", action="store_true",
                        help="read the password from standard input and keep it in a 0600 file beside the config")
    init.add_argument("--smtp-host", metavar="HOST", help="for sending the nudge (default: from the provider, or asked)")
    init.add_argument("--smtp-port", metavar="PORT", type=int)
    init.add_argument("--smtp-security", choices=("tls", "starttls", "none"))
    init.add_argument("--delivery", choices=("smtp", "imap"), default=None,
                      help="send the nudge by SMTP (default) or append it to your INBOX over IMAP")
    init.add_argument("--timezone", help="IANA time zone for the nudge (default: this machine's)")
    init.add_argument("--time", default="08:00", help="when the nudge goes out (default 08:00)")
    init.add_argument("--force", action="store_true", help="replace an existing config (kept as .bak)")
    init.add_argument("--no-test", action="store_true", help="do not try to log in")
    init.add_argument("--no-input", action="store_true", help="never ask: fail naming the flags that are missing")
    demo = command("demo", "run the whole pipeline on a bundled sample mailbox and print the nudge")
    demo.add_argument("--html", metavar="FILE", type=Path, help="also write the nudge's HTML part to FILE")
    return parser


def setup_logging(verbose: int, quiet: bool) -> None:
    """Log to stderr at WARNING (-v INFO, -vv DEBUG, -q ERROR). When stderr is the journal
    ($JOURNAL_STREAM names its device and inode, sd-daemon(3)), each line starts with its syslog
    priority ("<3>" error ... "<7>" debug) and carries no timestamp, which the journal adds;
    otherwise (a terminal, or a file the output was redirected to) lines start with the time."""
    level = logging.ERROR if quiet else {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    try:
        stderr = os.fstat(sys.stderr.fileno())
        to_journal = os.environ.get("JOURNAL_STREAM", "") == f"{stderr.st_dev}:{stderr.st_ino}"
    except (AttributeError, ValueError, OSError):  # stderr closed, or replaced by a non-file
        to_journal = False

    priorities = ((logging.CRITICAL, 2), (logging.ERROR, 3), (logging.WARNING, 4), (logging.INFO, 6))

    class JournalFormatter(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            priority = next((p for floor, p in priorities if record.levelno >= floor), 7)
            # Every line, so a traceback's lines keep the priority of the error they belong to.
            return "\n".join(f"<{priority}>{line}" for line in super().format(record).splitlines())

    if to_journal:
        handler.setFormatter(JournalFormatter("%(levelname)s %(message)s"))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("apscheduler", "mailparser", "imapclient"):  # their chatter only with -vv
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING) if verbose < 2 else logging.NOTSET)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_logging(args.verbose, args.quiet)
    try:
        return COMMANDS[args.command](args) or EXIT_OK
    except WatcherError as error:
        print(f"followup-watcher: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the one place an unexpected error becomes words
        if args.verbose:
            traceback.print_exc()
        print(f"followup-watcher: unexpected error: {error.__class__.__name__}: {error} "
              f"(run with -v for the traceback)", file=sys.stderr)
        return EXIT_FAILURE


def now() -> datetime:
    return datetime.now(timezone.utc)


def load(args):
    from watcher.config import find_config_path, load_config

    return load_config(find_config_path(args.config, os.environ), os.environ)


# --- commands -------------------------------------------------------------------------------------
def cmd_run(args) -> int:
    from watcher.daemon import Daemon

    Daemon(load(args), os.environ).start()
    return EXIT_OK


def cmd_sync(args) -> int:
    from watcher import jobs

    summary = jobs.sync(load(args), os.environ, now())
    if not args.quiet:
        print(summary.line())
    return EXIT_OK


def cmd_digest(args) -> int:
    from watcher import command_mail, jobs
    from watcher.digest import build_nudge
    from watcher.store import Store

    config = load(args)
    if args.send:
        result = jobs.send_nudge(config, os.environ, now(), again=args.again)
        print(result.detail)
        return EXIT_OK
    with Store.open(config.state.path, lock=False) as store:
        nudge = build_nudge(jobs.open_reminders(store), now(),
                            jobs.nudge_settings(config, store.meta(command_mail.SECRET) or ""),
                            jobs.unreported_declines(store))
    return show_nudge(nudge, args.html)


def show_nudge(nudge, html_path: Path | None) -> int:
    if nudge is None:
        print("Nothing is due today: no nudge would be sent.")
        return EXIT_OK
    print(f"Subject: {nudge['Subject']}\n")
    print(nudge.get_body(("plain",)).get_content(), end="")
    if html_path:
        html_path.write_text(nudge.get_body(("html",)).get_content(), encoding="utf-8")
        print(f"\n(HTML part written to {html_path})")
    return EXIT_OK


def reminder_json(record: dict) -> dict:
    return {
        "id": record["id"], "kind": record["kind"], "subject": record["subject"],
        "contact": record["contact"][0], "contact_name": record["contact"][1],
        "since": record["since"], "due": record["due"], "followups": record.get("followups", 0),
        "max_followups": record.get("max_followups", 0),
        "thread": f"<{record['thread']}>", "last_message_id": f"<{record['last_message_id']}>",
        "text": record.get("text", ""),
        "said_not_now": bool(record.get("not_now", False)),
    }


def cmd_status(args) -> int:
    from watcher import health, status
    from watcher.store import StateLock, Store

    config = load(args)
    path = Path(config.state.path)
    with Store.open(path, lock=False) as store:
        meta = {key: store.meta(key) for key in ("last_nudge_at", "last_nudge_items", "last_nudge_message_id",
                                                 "nudge_attempt")}
        facts = status.Facts(
            now=now(), zone=config.digest.timezone, state_path=str(path),
            state_bytes=path.stat().st_size if path.exists() else 0, messages=store.message_count(),
            open_reminders=sum(1 for r in store.reminders() if r["status"] == "open"),
            daemon=StateLock(path, "status", suffix=".run.lock").holder(), cursors=store.cursors(), meta=meta,
            health=health.load(health.health_path(path)))
    if args.json:
        print(json.dumps(status.report(facts), indent=2, ensure_ascii=False))
    else:
        print("\n".join(status.render(facts)))
    return EXIT_OK


def cmd_list(args) -> int:
    from watcher.store import Store

    config = load(args)
    with Store.open(config.state.path, lock=False) as store:
        records = sorted((r for r in store.reminders() if r["status"] == "open"),
                         key=lambda r: (r["due"], r["since"]))
    items = [reminder_json(r) for r in records]
    if args.json:
        print(json.dumps(items, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not items:
        print("No open reminders.")
        return EXIT_OK
    print(f"{'ID':<7} {'KIND':<13} {'DUE':<10} {'CONTACT':<28} SUBJECT")
    for item in items:
        contact = item["contact_name"] or item["contact"]
        kind = "said not now" if item["said_not_now"] else item["kind"]
        print(f"{item['id']:<7} {kind:<13} {item['due']:<10} {contact[:28]:<28} {item['subject']}")
    return EXIT_OK


def cmd_check(args) -> int:
    config = load(args)
    print(f"config: {config.path} is valid")
    check_logins(config)
    return EXIT_OK


def check_logins(config) -> None:
    """Log in to the mailbox (and SMTP), print what was found; raise with what to fix if not."""
    from watcher import jobs
    from watcher.credentials import resolve_secret
    from watcher.deliver import smtp_login_check
    from watcher.source import choose_folders

    source = jobs.open_source(config, os.environ)
    try:
        settings = config.imap or config.local
        key = "imap" if config.imap else "local"
        sent, watched, warnings = choose_folders(source.list_folders(), settings.sent_folder, settings.folders, key)
    finally:
        source.close()
    print(f"mail: logged in, {source.description}")
    print(f"sent folder: {sent}")
    print(f"watched folders: {', '.join(watched)}")
    for warning in warnings:
        print(f"warning: {warning}")
    if config.digest.delivery == "smtp":
        smtp_login_check(config.smtp, resolve_secret(config.smtp.secret, os.environ) if config.smtp.secret else None)
        print(f"smtp: {config.smtp.host}:{config.smtp.port} accepted the connection"
              f"{' and the login' if config.smtp.secret else ''}")
    else:
        print(f"nudge delivery: appended to {config.digest.folder} over IMAP")


def cmd_init(args) -> int:
    from watcher.config import config_candidates, load_config, system_timezone
    from watcher.errors import ConfigError
    from watcher.init import Setup, detect_provider, render, save_password, validate, write_new_config

    path = Path(args.config).expanduser() if args.config else config_candidates({
        k: v for k, v in os.environ.items() if k != "FOLLOWUP_WATCHER_CONFIG"})[0]
    missing: list[str] = []

    def ask(flag: str, question: str, default: str = "", required: bool = True) -> str:
        """The answer to ``question`` (``default`` if none); a required one that cannot be asked
        for is noted as a missing ``flag``."""
        answer = ""
        if not args.no_input:
            try:
                answer = input(f"{question}{f' [{default}]' if default else ''}: ").strip()
            except EOFError:
                pass
        answer = answer or default
        if not answer and required:
            missing.append(flag)
        return answer

    email = args.email or ask("--email", "Your email address")
    if missing:
        raise ConfigError([f"init: give {', '.join(missing)} (or run it where it can ask)"])
    domain = email.rpartition("@")[2]
    provider = args.provider or (None if args.imap_host else detect_provider(email))
    name = args.name if args.name is not None else ask("--name", "Your name (for the nudge)", required=False)
    setup = Setup(email=email, name=name,
                  provider=provider, imap_port=args.imap_port, imap_security=args.security,
                  username=args.username, smtp_host=args.smtp_host, smtp_port=args.smtp_port,
                  smtp_security=args.smtp_security, delivery=args.delivery or "smtp", send_time=args.time,
                  timezone=args.timezone or system_timezone(os.environ)[1])
    if provider:
        print(f"provider: {provider} (hosts, ports and folders come from its settings)")
    else:
        setup.imap_host = args.imap_host or ask("--imap-host", "IMAP server", f"imap.{domain}")
        setup.imap_security = setup.imap_security or "tls"
        if setup.delivery == "smtp" and not setup.smtp_host:
            setup.smtp_host = ask("--smtp-host", "SMTP server for the nudge", f"smtp.{domain}")
            setup.smtp_security = setup.smtp_security or "starttls"
    typed_password = None
    if args.password_command:
        import shlex
        setup.secret = ("password_command", shlex.split(args.password_command))
    elif args.password_file:
        setup.secret = ("password_file", args.password_file.expanduser().resolve())
    elif args.password_env:
        setup.secret = ("password_env", args.password_env)
    elif args.token_command:
        import shlex
        setup.secret = ("token_command", shlex.split(args.token_command))
    elif args.password_stdin:
        typed_password = sys.stdin.readline().rstrip("\r\n")
    elif not args.no_input:
        import getpass
        if provider in ("gmail", "outlook"):
            print(f"{provider}: your account password will not work. Type an app password (Gmail), or stop "
                  f"here and run init again with --token-command for OAuth2 (see the README, Mail providers).")
        try:
            typed_password = getpass.getpass("Password (an app password where your provider asks for one; "
                                             "kept in a 0600 file beside the config): ")
        except EOFError:
            typed_password = None
    if setup.secret is None and not typed_password:
        missing.append("--password-command, --password-file, --password-env, --token-command or --password-stdin")
    if missing:
        raise ConfigError([f"init: give {', '.join(missing)} (or run it where it can ask)"])
    if typed_password:
        setup.secret = ("password_file", save_password(path, typed_password))
    text = render(setup)
    validate(text, path, os.environ)
    backup = write_new_config(path, text, replace=args.force)
    print(f"wrote {path} (mode 0600){f'; the old one is {backup}' if backup else ''}")
    if not args.no_test:
        check_logins(load_config(path, os.environ))
    print(next_steps(path))
    return EXIT_OK


def next_steps(path: Path) -> str:
    """What to run after ``init``: a first sync and preview, then the service that reads the
    config where it was written (see README, "Running it as a service")."""
    from watcher.config import SYSTEM_CONFIG

    units = Path(__file__).resolve().parent.parent / "systemd"
    user_default = Path.home() / ".config" / "followup-watcher" / "config.toml"
    option = "" if path.resolve() in (user_default.resolve(), SYSTEM_CONFIG) else f" --config {path}"
    lines = [f"next: followup-watcher{option} sync && followup-watcher{option} digest --preview"]
    if path.resolve() == SYSTEM_CONFIG:  # the service keeps its own state: no sync as root here
        unit = units / "followup-watcher.service"
        lines = [f"next: install the system service (steps at the top of "
                 f"{unit if unit.exists() else 'systemd/followup-watcher.service'}), then",
                 "  sudo systemctl enable --now followup-watcher && systemctl status followup-watcher"]
    elif not option:
        unit = units / "user" / "followup-watcher.service"
        source = unit if unit.exists() else "systemd/user/followup-watcher.service"
        lines += ["then keep it running as a user service:",
                  f"  mkdir -p ~/.config/systemd/user && cp {source} ~/.config/systemd/user/",
                  "  systemctl --user daemon-reload && systemctl --user enable --now followup-watcher",
                  '  loginctl enable-linger "$USER"   # keeps it running when you are logged out']
    else:
        lines += [f"then keep it running: followup-watcher{option} run   (the services read "
                  f"{user_default} or {SYSTEM_CONFIG}; see the README)"]
    return "\n".join(lines)


def cmd_explain(args) -> int:
    from watcher.explain import explain_paths

    for result in explain_paths(args.paths, args.date_order):
        print(json.dumps(result, ensure_ascii=False))
    return EXIT_OK


def cmd_demo(args) -> int:
    from watcher.demo import SAMPLE_MAILBOX, run_demo

    summary, nudge, as_of = run_demo(os.environ)
    print(f"Sample mailbox: {SAMPLE_MAILBOX}")
    print(f"As of {as_of:%a %d %b %Y %H:%M %Z}: {summary.line()}\n")
    print("The nudge followup-watcher would send:\n" + "=" * 72)
    show_nudge(nudge, args.html)
    return EXIT_OK


def cmd_action(args) -> int:
    """done / snooze / stop / mute / unmute: one decision, recorded in the state."""
    from watcher import actions
    from watcher.store import Store
    from watcher.workdays import WorkCalendar

    config = load(args)
    moment = now()
    with Store.open(config.state.path, args.command) as store:
        if args.command == "done":
            applied = actions.mark_done(store, args.id, moment)
        elif args.command == "snooze":
            today = moment.astimezone(config.digest.timezone).date()
            calendar = WorkCalendar(config.rules.business_days, config.rules.holidays)
            applied = actions.snooze(store, args.id, actions.snooze_until(args.until, today, calendar), moment)
        elif args.command == "stop":
            applied = actions.stop(store, args.id, moment)
        elif args.command == "keep":
            today = moment.astimezone(config.digest.timezone).date()
            calendar = WorkCalendar(config.rules.business_days, config.rules.holidays)
            applied = actions.keep(store, args.id, calendar.add_days(today, max(1, config.rules.cadence[-1].days)),
                                   moment)
        elif args.command == "mute":
            applied = actions.mute(store, args.pattern, moment)
        else:
            applied = actions.unmute(store, args.pattern)
        store.commit()
    if not args.quiet:
        print(applied.summary)
    return EXIT_OK


COMMANDS = {
    "run": cmd_run, "sync": cmd_sync, "digest": cmd_digest, "list": cmd_list, "status": cmd_status,
    "check": cmd_check, "explain": cmd_explain, "demo": cmd_demo,
    "done": cmd_action, "snooze": cmd_action, "stop": cmd_action, "keep": cmd_action, "mute": cmd_action,
    "unmute": cmd_action, "init": cmd_init,
}
