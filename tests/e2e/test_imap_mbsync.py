"""mbsync (isync) against imapd on a real appliance: a mailbox synced both
ways. The first sync pulls the folders and messages down into a Maildir; a
message written into the Maildir and a flag set there go up on the next."""
import imaplib
import os
import pathlib
import shutil
import ssl
import subprocess

import pytest

from mailbox_access import box_with_alice, port, set_password, tls_context

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root (service users, keyd)"),
    pytest.mark.skipif(shutil.which("mbsync") is None, reason="isync is not installed"),
]

PASSWORD = "Tq9-larch-Vesper-21-quay"
MAIL = "From: bob@example.test\r\nTo: alice@example.test\r\nSubject: {}\r\n\r\nhello\r\n"


@pytest.fixture(scope="module")
def box():
    with box_with_alice("appliance-mbsync-") as a:
        set_password(a, PASSWORD)
        yield a


def login(box):
    c = imaplib.IMAP4_SSL("127.0.0.1", port(box, "imaps"), ssl_context=tls_context(), timeout=20)
    c.login("alice@example.test", PASSWORD)
    return c


def mbsync(config):
    r = subprocess.run(["mbsync", "-c", str(config), "-a"], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_mbsync_syncs_both_ways(box, tmp_path):
    c = login(box)
    c.append("INBOX", "", None, MAIL.format("from the server").encode())
    c.logout()
    cert = tmp_path / "server.pem"
    pem = ssl.get_server_certificate(("127.0.0.1", port(box, "imaps")))
    cert.write_text(pem)
    maildir = tmp_path / "mail"
    maildir.mkdir()
    config = tmp_path / "mbsyncrc"
    config.write_text(f"""
IMAPAccount alice
Host 127.0.0.1
Port {port(box, 'imaps')}
User alice@example.test
Pass {PASSWORD}
SSLType IMAPS
CertificateFile {cert}

IMAPStore remote
Account alice

MaildirStore local
Path {maildir}/
Inbox {maildir}/INBOX
SubFolders Verbatim

Channel alice
Far :remote:
Near :local:
Patterns *
Create Both
Expunge Both
SyncState *
""")
    mbsync(config)
    pulled = list((maildir / "INBOX" / "new").iterdir()) + list((maildir / "INBOX" / "cur").iterdir())
    assert len(pulled) == 1 and b"from the server" in pulled[0].read_bytes()
    assert (maildir / "Sent").is_dir() and (maildir / "Archive").is_dir()

    # Up: a new message in the Maildir, and the pulled one marked seen and flagged.
    (maildir / "INBOX" / "new" / "1700000000.local.host").write_bytes(
        MAIL.format("from the maildir").encode())
    old = pulled[0]
    base = old.name.split(":2,")[0]
    old.rename(maildir / "INBOX" / "cur" / (base + ":2,FS"))
    mbsync(config)

    c = login(box)
    try:
        c.select("INBOX")
        typ, data = c.fetch("1:*", "(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        text = b" ".join(part[0] + part[1] if isinstance(part, tuple) else part for part in data)
        assert b"Subject: from the maildir" in text, text
        assert b"\\Seen" in text and b"\\Flagged" in text, text
    finally:
        c.logout()
