"""imapd end to end: a real appliance (keyd with SoftHSM, the SQLite store),
real clients (Python's imaplib, curl). STARTTLS on "imap", TLS from the first
byte on "imaps", LOGIN refused before TLS, and the same refusal for every bad
login."""
import imaplib
import os
import subprocess

import pytest

from mailbox_access import box_with_alice, port, tls_context

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (service users, keyd)")


@pytest.fixture(scope="module")
def box():
    """One appliance for the module, with alice@example.test."""
    with box_with_alice("appliance-imap-") as a:
        yield a


def test_login_refused_before_starttls(box):
    c = imaplib.IMAP4("127.0.0.1", port(box, "imap"), timeout=20)
    try:
        assert b"mail.example.test" in c.welcome
        assert "STARTTLS" in c.capabilities and "LOGINDISABLED" in c.capabilities
        typ, data = c._simple_command("LOGIN", "alice@example.test", "whatever")
        assert typ == "NO" and b"[PRIVACYREQUIRED]" in data[0], data
        c.starttls(ssl_context=tls_context())
        assert c.sock.version() in ("TLSv1.3", "TLSv1.2")
        assert "STARTTLS" not in c.capabilities and "AUTH=PLAIN" in c.capabilities
        with pytest.raises(imaplib.IMAP4.error, match=r"AUTHENTICATIONFAILED"):
            c.login("alice@example.test", "not the password")
    finally:
        c.shutdown()


def test_imaps_is_tls_from_the_first_byte(box):
    c = imaplib.IMAP4_SSL("127.0.0.1", port(box, "imaps"), ssl_context=tls_context(), timeout=20)
    try:
        assert c.sock.getpeercert(binary_form=True)
        assert "STARTTLS" not in c.capabilities and "AUTH=PLAIN" in c.capabilities
        typ, data = c.noop()
        assert typ == "OK"
    finally:
        c.logout()


def test_curl_imaps_with_a_wrong_password_is_denied(box):
    r = subprocess.run(["curl", "-sS", "--insecure", "--max-time", "30",
                        "--user", "alice@example.test:wrong",
                        f"imaps://127.0.0.1:{port(box, 'imaps')}/INBOX"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 67, r.stderr  # CURLE_LOGIN_DENIED
