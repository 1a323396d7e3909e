#!/usr/bin/env python3
"""The obvious alternative to Replyclock's IMAP sync: Python's imaplib fetching the same header fields
(BODY.PEEK[HEADER.FIELDS (...)] with UID and INTERNALDATE) in UID batches from INBOX and Sent, parsing each
header block with the standard library's email parser. Standard library only. Connection settings come from
the environment (IMAP_HOST, IMAP_PORT, IMAP_USER, IMAP_PASSWORD, IMAP_FIELDS, IMAP_BATCH); prints one line:
imap_fetch tool=python-imaplib messages=N seconds=S messages_per_s=R
"""
import email.parser
import email.policy
import imaplib
import os
import time

# The answer to UID SEARCH ALL is one line; for a folder of 600,000 messages it exceeds imaplib's 1 MB line limit.
imaplib._MAXLINE = 100_000_000


def fetch_folder(imap, folder, fields, batch, parser):
    imap.select(folder, readonly=True)
    typ, data = imap.uid("SEARCH", None, "ALL")
    uids = data[0].split()
    count = 0
    for i in range(0, len(uids), batch):
        chunk = uids[i:i + batch]
        first, last = chunk[0].decode(), chunk[-1].decode()
        typ, parts = imap.uid("FETCH", first + ":" + last,
                              "(UID INTERNALDATE BODY.PEEK[HEADER.FIELDS (" + fields + ")])")
        if typ != "OK":
            raise SystemExit("FETCH failed in " + folder + ": " + repr(parts))
        for part in parts:
            if isinstance(part, tuple):
                message = parser.parsebytes(part[1], headersonly=True)
                message.get("Message-ID"), message.get("From"), message.get("Date")  # decode what a monitor needs
                count += 1
    return count


def main():
    fields = os.environ.get("IMAP_FIELDS", "Message-ID In-Reply-To References Subject From To Cc Date")
    batch = int(os.environ.get("IMAP_BATCH", "500"))
    parser = email.parser.BytesParser(policy=email.policy.compat32)
    started = time.monotonic()
    imap = imaplib.IMAP4(os.environ.get("IMAP_HOST", "127.0.0.1"), int(os.environ["IMAP_PORT"]))
    imap.login(os.environ["IMAP_USER"], os.environ["IMAP_PASSWORD"])
    total = sum(fetch_folder(imap, folder, fields, batch, parser) for folder in ("INBOX", "Sent"))
    imap.logout()
    seconds = time.monotonic() - started
    print("imap_fetch tool=python-imaplib messages=%d seconds=%.2f messages_per_s=%.0f" % (total, seconds, total / seconds),
          flush=True)


if __name__ == "__main__":
    main()
