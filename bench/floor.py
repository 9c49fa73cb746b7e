"""The floor: the least an IMAP client does to read the headers followup-watcher reads.

A bare imapclient session: log in, and in each folder EXAMINE, SEARCH SINCE the same date and
FETCH the same items (size, arrival, the same header fields) in chunks of 500, using nothing of
what it fetched. Run as its own process by ``bench/scale.py`` so that both sides pay for an
interpreter start. With ``--wire`` it does the same through the standard library's imaplib and
leaves the responses unparsed: what the server and the connection take.

    python bench/floor.py [--wire] HOST PORT USER PASSWORD_FILE SINCE ITEMS FOLDER...

Prints how many messages and header bytes it read.
"""

from __future__ import annotations

import sys
from datetime import date

import imapclient

CHUNK = 500


def wire(host, port, user, password, since: date, items: list[str], folders: list[str]) -> tuple[int, int]:
    """The same fetch through imaplib, responses left as the bytes it returns."""
    import imaplib

    connection = imaplib.IMAP4(host, int(port))
    connection.login(user, password)
    messages = header_bytes = 0
    for folder in folders:
        connection.select(folder, readonly=True)
        _typ, data = connection.uid("SEARCH", "SINCE", since.strftime("%d-%b-%Y"))
        uids = data[0].split()
        for start in range(0, len(uids), CHUNK):
            _typ, data = connection.uid("FETCH", b",".join(uids[start:start + CHUNK]).decode(), f"({' '.join(items)})")
            for entry in data:
                if isinstance(entry, tuple):
                    messages += 1
                    header_bytes += len(entry[1])
    connection.logout()
    return messages, header_bytes


def main(argv: list[str]) -> int:
    if argv[0] == "--wire":
        host, port, user, password_file, since, items = argv[1:7]
        password = open(password_file, encoding="utf-8").read().strip()
        print(*wire(host, port, user, password, date.fromisoformat(since), items.split("\t"), argv[7:]))
        return 0
    host, port, user, password_file, since, items = argv[:6]
    folders = argv[6:]
    client = imapclient.IMAPClient(host, port=int(port), ssl=False, timeout=60)
    client.login(user, open(password_file, encoding="utf-8").read().strip())
    messages = header_bytes = 0
    wanted = items.split("\t")
    for folder in folders:
        client.select_folder(folder, readonly=True)
        uids = client.search(["SINCE", date.fromisoformat(since)])
        for start in range(0, len(uids), CHUNK):
            response = client.fetch(uids[start:start + CHUNK], wanted)
            messages += len(response)
            for data in response.values():
                header_bytes += sum(len(v) for k, v in data.items() if k.startswith(b"BODY["))
    client.logout()
    print(f"{messages} {header_bytes}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
