"""The "Export my data" download, streamed: a real appliance, HTTPS, http.client.

alice's INBOX holds 12 MiB of mail, put there over IMAP (APPEND). The export
arrives chunked, read slowly in small pieces, and is a whole tar archive whose
mbox gives back every message (mailbox.mbox). Clients that go away in the
middle of a download give their place back: after three abandoned downloads,
a fourth still gets the whole archive, where a place kept would have answered
503 export_busy (two may run at once)."""
import http.client
import imaplib
import io
import mailbox
import os
import tarfile
import tempfile
import time

import pytest

from mailbox_access import box_with_alice, port, set_password, tls_context
from test_web_api import HOST, sign_in

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (service users, keyd)")

PASSWORD = "correct horse battery staple 7"
MESSAGES = 48
BODY_LINES = 4000  # of 64 bytes: 256 KiB a message


@pytest.fixture(scope="module")
def box():
    with box_with_alice("appliance-export-") as a:
        set_password(a, PASSWORD)
        c = imaplib.IMAP4_SSL("127.0.0.1", port(a, "imaps"), ssl_context=tls_context(), timeout=60)
        c.login("alice@example.test", PASSWORD)
        line = b"x" * 62 + b"\r\n"
        for i in range(MESSAGES):
            text = (f"From: bob@example.test\r\nSubject: part {i}\r\n\r\n".encode()
                    + b"From here on, line after line.\r\n" + line * BODY_LINES)
            typ, _ = c.append("INBOX", None, None, text)
            assert typ == "OK"
        c.logout()
        yield a


def start_export(box):
    browser, r, body = sign_in(box)
    assert r.status == 200 and body["signed_in"], body
    r, body = browser.call("POST", "/api/v1/session/sudo", {"password": PASSWORD})
    assert r.status == 200 and body["sudo"], body
    c = http.client.HTTPSConnection("127.0.0.1", port(box, "web"), timeout=60,
                                    context=tls_context())
    c.request("POST", "/api/v1/me/export",
              headers={"Host": HOST, "Origin": f"https://{HOST}", "X-CSRF-Token": browser.csrf,
                       "Cookie": f"__Host-session={browser.cookie}"})
    return c, c.getresponse()


def test_a_large_export_streams_whole_to_a_slow_reader(box):
    c, r = start_export(box)
    assert r.status == 200, r.read()[:300]
    assert r.getheader("Transfer-Encoding") == "chunked"
    assert r.getheader("Content-Length") is None
    data = bytearray()
    while piece := r.read(256 * 1024):
        data += piece
        if len(data) < 4 << 20:
            time.sleep(0.02)  # behind the server: it must wait, not buffer it all
    c.close()
    assert len(data) > MESSAGES * BODY_LINES * 63  # mbox lines end in LF alone
    archive = tarfile.open(fileobj=io.BytesIO(bytes(data)))
    with tempfile.NamedTemporaryFile() as f:
        f.write(archive.extractfile("mail/INBOX.mbox").read())
        f.flush()
        # Besides the sign-in notices the appliance itself delivers.
        messages = [m for m in mailbox.mbox(f.name) if m["Subject"].startswith("part ")]
    assert [m["Subject"] for m in messages] == [f"part {i}" for i in range(MESSAGES)]
    body = messages[-1].get_payload()
    assert body.startswith(">From here on") and body.count("x" * 62) == BODY_LINES, body[:200]


def test_abandoned_downloads_give_their_place_back(box):
    for _ in range(3):
        c, r = start_export(box)
        assert r.status == 200
        r.read(100 * 1024)
        c.sock.close()  # gone in the middle of the download
        c.close()
    time.sleep(3)  # a server worker sees it at its next chunk, or within a second of waiting
    c, r = start_export(box)
    assert r.status == 200, r.read()[:300]
    names = tarfile.open(fileobj=io.BytesIO(r.read())).getnames()
    assert "mail/INBOX.mbox" in names, names
    c.close()
