"""Confirmations by mail between two appliances (two_boxes.py): alice@a.test
makes bob@b.test her contact address through A's REST API; the code travels
through A's outbound queue and deliverd to bob's INBOX on B, read here with
imaplib. Then "Forgot password": the same answer for an unknown address, a
reset code to bob's INBOX, the new password works over IMAP and the old
sessions are gone; a used code is refused. The export comes as a tar archive
that Python's tarfile reads, with the notices in mail/INBOX.mbox. Last,
`appliancectl accounts set-email`."""
import http.client
import imaplib
import io
import mailbox
import os
import re
import tarfile
import tempfile

import pytest

from conftest import wait_for
from test_web_api import HOST, Browser
from two_boxes import PASSWORD, boxes, ctl, inbox, no_verify, port  # noqa: F401 (boxes: a fixture)

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (keyd administration)")

NEW_PASSWORD = "a fresh and long passphrase 9"


def signed_in(a, password=PASSWORD):
    b = Browser(a)
    r, body = b.call("POST", "/api/v1/session", {"address": "alice@a.test", "password": password})
    assert r.status == 200 and body["signed_in"], body
    return b


def mailed_code(b, subject):
    """The code of the newest mail with this subject in bob's INBOX on B."""
    mails = wait_for(lambda: [m for m in inbox(b, "bob@b.test") if subject.encode() in m],
                     timeout=60, what=f"'{subject}' in bob's INBOX on B")
    text = mails[-1].decode()
    assert "://" not in text and "never asks for your password" in text, text
    return re.search(r"Code: +([a-z2-7-]{29})", text).group(1), len(mails)


def export(a, browser):
    """POST /api/v1/me/export as the UI sends it; the answer is binary, not JSON."""
    c = http.client.HTTPSConnection("127.0.0.1", port(a, "web"), timeout=60, context=no_verify())
    c.request("POST", "/api/v1/me/export",
              headers={"Host": HOST, "Origin": f"https://{HOST}", "X-CSRF-Token": browser.csrf,
                       "Cookie": f"__Host-session={browser.cookie}"})
    return c.getresponse()


def test_contact_address_then_password_reset_then_export(boxes):
    a, b = boxes
    alice = signed_in(a)
    r, body = alice.call("POST", "/api/v1/me/email", {"address": "bob@b.test"})
    assert r.status == 403 and body["error"]["code"] == "sudo_required"
    r, body = alice.call("POST", "/api/v1/session/sudo", {"password": PASSWORD})
    assert r.status == 200 and body["sudo"], body
    r, body = alice.call("POST", "/api/v1/me/email", {"address": "bob@b.test"})
    assert r.status == 202, body
    code, _ = mailed_code(b, "Code to confirm your contact address")
    r, _ = alice.call("POST", "/api/v1/me/email/confirm", {"token": code})
    assert r.status == 204
    r, body = alice.call("POST", "/api/v1/me/email/confirm", {"token": code})
    assert r.status == 400 and body["error"]["code"] == "token_used", body
    r, me = alice.call("GET", "/api/v1/me")
    assert me["contact_email"] == "bob@b.test", me

    # Forgot password: an unknown address gets the very same answer.
    stranger = Browser(a)
    r1, known = stranger.call("POST", "/api/v1/password-reset", {"address": "alice@a.test"})
    r2, unknown = stranger.call("POST", "/api/v1/password-reset", {"address": "nobody@a.test"})
    assert r1.status == r2.status == 202 and known == unknown, (known, unknown)
    code, seen = mailed_code(b, "Code to reset your mail password")
    r, body = stranger.call("POST", "/api/v1/password-reset/confirm",
                            {"address": "alice@a.test", "token": code, "password": "short"})
    assert r.status == 400 and body["error"]["code"] == "weak_password", body
    r, body = stranger.call("POST", "/api/v1/password-reset/confirm",
                            {"address": "alice@a.test", "token": code, "password": NEW_PASSWORD})
    assert r.status == 204, body
    r, body = stranger.call("POST", "/api/v1/password-reset/confirm",
                            {"address": "alice@a.test", "token": code, "password": NEW_PASSWORD})
    assert r.status == 400 and body["error"]["code"] == "token_used", body
    r, body = alice.call("GET", "/api/v1/me")
    assert r.status == 401, body  # every session ended
    with imaplib.IMAP4_SSL("127.0.0.1", port(a, "imaps"), ssl_context=no_verify()) as m:
        m.login("alice@a.test", NEW_PASSWORD)
    with pytest.raises(imaplib.IMAP4.error):
        with imaplib.IMAP4_SSL("127.0.0.1", port(a, "imaps"), ssl_context=no_verify()) as m:
            m.login("alice@a.test", PASSWORD)
    # The notice of the new password reaches the contact address too.
    wait_for(lambda: [m for m in inbox(b, "bob@b.test")
                      if b"was changed with a reset code sent by mail" in m], timeout=60,
             what="the password notice in bob's INBOX")

    alice = signed_in(a, NEW_PASSWORD)
    r, _ = alice.call("POST", "/api/v1/session/sudo", {"password": NEW_PASSWORD})
    assert r.status == 200
    c = export(a, alice)
    assert c.status == 200 and c.getheader("Content-Type") == "application/x-tar"
    assert c.getheader("Content-Disposition").startswith('attachment; filename="mail-export-')
    archive = tarfile.open(fileobj=io.BytesIO(c.read()))
    names = archive.getnames()
    assert {"account.json", "logins.json", "events.json", "mail/INBOX.mbox"} <= set(names), names
    events = archive.extractfile("events.json").read().decode()
    for action in ("email.change_request", "email.change", "password.reset_request",
                   "password.reset"):
        assert f'"{action}"' in events, action
    with tempfile.NamedTemporaryFile() as f:
        f.write(archive.extractfile("mail/INBOX.mbox").read())
        f.flush()
        subjects = [m["Subject"] for m in mailbox.mbox(f.name)]
    assert "The contact address of your mail account was changed" in subjects, subjects
    assert "The password of your mail account was changed" in subjects, subjects

    out = ctl(a, "accounts", "set-email", "alice@a.test", "Carol@b.test")
    assert out.strip() == "contact address of alice@a.test: carol@b.test"
    assert "contact    carol@b.test" in ctl(a, "accounts", "show", "alice@a.test")
    assert re.search(r"appliancectl\s+email\.change\s+alice@a\.test", ctl(a, "audit", "list"))
