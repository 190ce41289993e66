"""pop3d end to end: a real appliance (keyd with SoftHSM, the SQLite store,
the account service), real clients (Python's poplib, curl, fetchmail). STLS
on "pop3", TLS from the first byte on "pop3s", no login before TLS, the same
refusal for every bad login; a whole session (STAT, LIST, UIDL, TOP, RETR,
DELE, QUIT) after which the deleted message is gone, and UIDLs that stay;
mail delivered by smtpd, and an INBOX shared with imapd."""
import imaplib
import os
import pathlib
import poplib
import smtplib
import subprocess
import tempfile

import pytest

from mailbox_access import box_with_alice, ctl, port, tls_context

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (service users, keyd)")


PASSWORD = "pop3 end to end Kestrel 4471"


def add_account(appliance, address, messages=()):
    """An account with a password and these messages (bytes) in its INBOX."""
    ctl(appliance, "accounts", "add", address)
    with tempfile.TemporaryDirectory() as d:
        secret = pathlib.Path(d) / "password"
        secret.write_text(PASSWORD + "\n")
        ctl(appliance, "accounts", "passwd", address, "--password-file", str(secret))
        for i, m in enumerate(messages):
            path = pathlib.Path(d) / f"{i}.eml"
            path.write_bytes(m)
            ctl(appliance, "mail", "import", address, str(path))


def logged_in(appliance, address):
    c = poplib.POP3("127.0.0.1", port(appliance, "pop3"), timeout=30)
    c.stls(context=tls_context())
    c.user(address)
    assert c.pass_(PASSWORD) == b"+OK Logged in"
    return c


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


FIRST = (b"From: bob@example.test\r\nTo: carol@example.test\r\nSubject: first\r\n\r\n"
         b"line one\r\n.a line with a leading dot\r\n.\r\nlast line\r\n")
SECOND = b"Subject: second\r\n\r\n" + b"".join(b"%06d streamed from the store\r\n" % i
                                                for i in range(20000))


def test_a_whole_session_then_the_deleted_message_is_gone(box):
    add_account(box, "carol@example.test", [FIRST, SECOND])
    c = logged_in(box, "carol@example.test")
    assert c.stat() == (2, len(FIRST) + len(SECOND))
    listing = c.list()
    assert listing[1] == [b"1 %d" % len(FIRST), b"2 %d" % len(SECOND)], listing
    uidls = [line.split()[1] for line in c.uidl()[1]]
    assert all(len(u) == 16 for u in uidls) and uidls[0] != uidls[1], uidls
    head = c.top(1, 0)[1]
    assert head == [b"From: bob@example.test", b"To: carol@example.test", b"Subject: first", b""]
    assert c.top(2, 2)[1][-2:] == [b"000000 streamed from the store",
                                   b"000001 streamed from the store"]
    assert c.retr(1)[1] == FIRST.split(b"\r\n")[:-1]  # poplib undoes the dot-stuffing
    assert b"\r\n".join(c.retr(2)[1]) + b"\r\n" == SECOND
    assert c.dele(1) == b"+OK Message 1 deleted"
    assert c.quit() == b"+OK Bye; 1 messages deleted"

    again = logged_in(box, "carol@example.test")
    assert again.stat() == (1, len(SECOND))
    assert again.uidl()[1] == [b"1 " + uidls[1]]  # the same message keeps its UIDL
    again.quit()


def test_a_session_that_ends_without_quit_deletes_nothing(box):
    add_account(box, "dave@example.test", [FIRST])
    c = logged_in(box, "dave@example.test")
    c.dele(1)
    c.close()
    again = logged_in(box, "dave@example.test")
    assert again.stat() == (1, len(FIRST))
    again.quit()


def test_curl_reads_over_pop3s(box):
    add_account(box, "erin@example.test", [FIRST])
    url = f"pop3s://127.0.0.1:{port(box, 'pop3s')}"
    base = ["curl", "-sS", "--insecure", "--max-time", "30",
            "--user", f"erin@example.test:{PASSWORD}"]
    listing = subprocess.run(base + [url + "/"], capture_output=True, timeout=60)
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout == b"1 %d\r\n" % len(FIRST)
    message = subprocess.run(base + [url + "/1"], capture_output=True, timeout=60)
    assert message.returncode == 0, message.stderr
    assert message.stdout == FIRST


def test_fetchmail_over_stls_fetches_and_deletes(box, tmp_path):
    add_account(box, "frank@example.test", [FIRST, SECOND])
    delivered = tmp_path / "delivered"
    rc = tmp_path / "fetchmailrc"
    rc.write_text(
        f"poll 127.0.0.1 service {port(box, 'pop3')} protocol pop3 auth password\n"
        f"  user 'frank@example.test' password '{PASSWORD}'\n"
        f"  sslproto 'TLS1.2+' no sslcertck\n"
        f"  mda \"/bin/sh -c 'cat >> {delivered}'\"\n")
    rc.chmod(0o600)
    r = subprocess.run(["fetchmail", "--nodetach", "--nosyslog", "-v", "-f", str(rc),
                        "--pidfile", str(tmp_path / "pid")],
                       capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, FETCHMAILHOME=str(tmp_path), HOME=str(tmp_path)))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "STLS" in r.stdout + r.stderr
    got = delivered.read_bytes().replace(b"\r\n", b"\n")
    assert b"Subject: first" in got and b"019999 streamed from the store" in got
    after = logged_in(box, "frank@example.test")
    assert after.stat() == (0, 0)  # fetchmail deleted what it fetched
    after.quit()


def test_mail_delivered_by_smtpd_is_fetched_over_pop3s(box):
    add_account(box, "gina@example.test")
    body = (b"From: someone@elsewhere.example\r\nTo: gina@example.test\r\n"
            b"Subject: over the wire\r\n\r\nDelivered by smtpd.\r\n")
    with smtplib.SMTP("127.0.0.1", port(box, "smtp"), local_hostname="client.example") as s:
        assert s.sendmail("someone@elsewhere.example", ["gina@example.test"], body) == {}
    c = poplib.POP3_SSL("127.0.0.1", port(box, "pop3s"), context=tls_context(), timeout=30)
    c.user("gina@example.test")
    c.pass_(PASSWORD)
    lines = c.retr(1)[1]
    assert lines[0] == b"Authentication-Results: mail.example.test;", lines[:6]
    assert any(line.startswith(b"Received: from client.example") for line in lines[:8]), lines[:8]
    assert b"Subject: over the wire" in lines and lines[-1] == b"Delivered by smtpd."
    c.quit()


def test_imap_and_pop3_share_the_inbox(box):
    add_account(box, "hank@example.test", [FIRST, SECOND, b"Subject: third\r\n\r\nthree\r\n"])
    pop = logged_in(box, "hank@example.test")
    pop_uidls = [line.split()[1] for line in pop.uidl()[1]]
    imap = imaplib.IMAP4_SSL("127.0.0.1", port(box, "imaps"), ssl_context=tls_context())
    imap.login("hank@example.test", PASSWORD)
    imap.select("INBOX")
    # UIDL is the IMAP UID and UIDVALIDITY.
    validity = int(imap.response("UIDVALIDITY")[1][0])
    assert pop_uidls == [b"%08X%08X" % (uid, validity) for uid in (1, 2, 3)]
    # IMAP removes the first message while POP3 holds its snapshot.
    imap.uid("STORE", "1", "+FLAGS", r"(\Deleted)")
    imap.expunge()
    with pytest.raises(poplib.error_proto, match="Message 1 was removed by another client"):
        pop.retr(1)
    # IMAP flags the third \Deleted without expunging: POP3's QUIT leaves it.
    imap.uid("STORE", "3", "+FLAGS", r"(\Deleted)")
    pop.dele(1)
    pop.dele(2)
    assert pop.quit() == b"+OK Bye; 2 messages deleted"
    imap.noop()
    typ, data = imap.uid("SEARCH", "ALL")
    assert data == [b"3"], data
    imap.logout()


def test_pop3_logins_are_in_the_login_log(box):
    add_account(box, "ivy@example.test")
    c = poplib.POP3("127.0.0.1", port(box, "pop3"), timeout=30)
    c.stls(context=tls_context())
    c.user("ivy@example.test")
    with pytest.raises(poplib.error_proto, match=r"\[AUTH\] Authentication failed"):
        c.pass_("not the password")
    c.close()
    logged_in(box, "ivy@example.test").quit()
    log = ctl(box, "logins", "--account", "ivy@example.test")
    # Newest first: protocol, source and result of each.
    rows = [line.split() for line in log.splitlines()[1:]]
    seen = [r[r.index("pop3"):r.index("pop3") + 3] for r in rows]
    assert seen == [["pop3", "127.0.0.1", "ok"], ["pop3", "127.0.0.1", "failed"]], log
