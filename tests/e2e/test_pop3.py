"""pop3d end to end: a real appliance (keyd with SoftHSM, the SQLite store),
real clients (Python's poplib, curl). STLS on "pop3", TLS from the first byte
on "pop3s", no login before TLS, and the same refusal for every bad login."""
import os
import poplib
import subprocess

import pytest

from mailbox_access import box_with_alice, port, tls_context

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (service users, keyd)")


@pytest.fixture(scope="module")
def box():
    """One appliance for the module, with alice@example.test."""
    with box_with_alice("appliance-pop3-") as a:
        yield a


def test_stls_first_then_login(box):
    c = poplib.POP3("127.0.0.1", port(box, "pop3"), timeout=20)
    try:
        assert c.getwelcome() == b"+OK mail.example.test POP3 server ready"
        capa = c.capa()
        assert "STLS" in capa and "USER" not in capa and "SASL" not in capa, capa
        with pytest.raises(poplib.error_proto, match=r"\[AUTH\] Plaintext authentication"):
            c.user("alice@example.test")
        assert c.stls(context=tls_context()).startswith(b"+OK")
        assert c.sock.version() in ("TLSv1.3", "TLSv1.2")
        capa = c.capa()
        assert "STLS" not in capa and "USER" in capa and capa["SASL"] == ["PLAIN"], capa
        c.user("alice@example.test")
        with pytest.raises(poplib.error_proto, match=r"^b'-ERR \[AUTH\] Authentication failed'$"):
            c.pass_("not the password")
    finally:
        c.close()


def test_pop3s_is_tls_from_the_first_byte(box):
    c = poplib.POP3_SSL("127.0.0.1", port(box, "pop3s"), context=tls_context(), timeout=20)
    try:
        assert c.getwelcome() == b"+OK mail.example.test POP3 server ready"
        assert "STLS" not in c.capa()
        assert c.sock.getpeercert(binary_form=True)
    finally:
        c.quit()


def test_curl_pop3s_with_a_wrong_password_is_denied(box):
    r = subprocess.run(["curl", "-sS", "--insecure", "--max-time", "30",
                        "--user", "alice@example.test:wrong",
                        f"pop3s://127.0.0.1:{port(box, 'pop3s')}/"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 67, r.stderr  # CURLE_LOGIN_DENIED
