"""imapd end to end: a real appliance (keyd with SoftHSM, the SQLite store),
real clients (Python's imaplib, curl). STARTTLS on "imap", TLS from the first
byte on "imaps", LOGIN refused before TLS, the same refusal for every bad
login; then, with a password set, a Thunderbird-like session, IDLE woken by
another connection's APPEND, and curl reading a message."""
import imaplib
import smtplib
import os
import subprocess

import pytest

from mailbox_access import box_with_alice, imap_login, port, set_password, tls_context

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


PASSWORD = "Tq9-larch-Vesper-21-quay"
MAIL = ("From: Bob <bob@example.test>\r\nTo: alice@example.test\r\nSubject: {subject}\r\n"
        "Date: Mon, 23 Nov 2026 12:00:00 +0000\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n--b\r\n"
        "Content-Type: application/octet-stream; name=a.bin\r\n"
        "Content-Disposition: attachment; filename=a.bin\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\nAAEC\r\n--b--\r\n")


@pytest.fixture(scope="module")
def alice(box):
    """alice@example.test with a password, and two messages in her INBOX."""
    set_password(box, PASSWORD)
    c = login(box)
    for n in (1, 2):
        typ, data = c.append("INBOX", "", None,
                             MAIL.format(subject=f"note {n}", body=f"body {n}").encode())
        assert typ == "OK", data
    c.logout()
    return box


def login(box):
    return imap_login(box, PASSWORD)


def test_a_thunderbird_like_session(alice):
    c = login(alice)
    try:
        typ, boxes = c.list('""', "*")
        names = {b.decode().rsplit(" ", 1)[1].strip('"'): b.decode() for b in boxes}
        assert {"INBOX", "Sent", "Drafts", "Junk", "Trash", "Archive"} <= set(names), boxes
        assert "\\Sent" in names["Sent"] and "\\Trash" in names["Trash"]
        typ, data = c.select("INBOX")
        assert typ == "OK" and int(data[0]) == 2
        typ, data = c.fetch("1:*", "(FLAGS ENVELOPE BODYSTRUCTURE)")
        assert typ == "OK"
        first = data[0].decode() if isinstance(data[0], bytes) else data[0][0].decode()
        assert '"note 1"' in first and '("Bob" NIL "bob" "example.test")' in first, first
        assert '"MIXED"' in first and '("ATTACHMENT" ("FILENAME" "a.bin"))' in first, first
        typ, data = c.uid("FETCH", "1", "(BODY.PEEK[])")
        assert typ == "OK" and data[0][1] == MAIL.format(subject="note 1", body="body 1").encode()
        typ, data = c.fetch("1", "(FLAGS)")
        assert b"\\Seen" not in data[0], data  # PEEK left it unread
        typ, data = c.store("1", "+FLAGS", "(\\Seen \\Flagged)")
        assert typ == "OK" and b"\\Seen" in data[0] and b"\\Flagged" in data[0], data
        typ, data = c.uid("MOVE", "2", "Archive")
        assert typ == "OK", data
        assert c.untagged_responses.pop("EXPUNGE") == [b"2"], c.untagged_responses
        typ, data = c.status("Archive", "(MESSAGES UIDNEXT)")
        assert b"MESSAGES 1" in data[0], data
        c.store("1", "+FLAGS", "(\\Deleted)")
        typ, data = c.expunge()
        assert typ == "OK" and data == [b"1"], data
        typ, data = c.search(None, "ALL")
        assert data == [b""], data
    finally:
        c.logout()


def test_idle_wakes_when_a_message_arrives(alice):
    watcher = login(alice)
    sender = login(alice)
    try:
        assert sender.create("Watched")[0] == "OK"
        watcher.select("Watched")
        tag = watcher._new_tag().decode()
        watcher.send(f"{tag} IDLE\r\n".encode())
        assert watcher.readline().startswith(b"+ ")
        typ, data = sender.append("Watched", "", None,
                                  MAIL.format(subject="while idling", body="x").encode())
        assert typ == "OK", data
        # Within one poll: the line comes without any command from the watcher.
        watcher.sock.settimeout(10)
        assert watcher.readline() == b"* 1 EXISTS\r\n"
        watcher.send(b"DONE\r\n")
        assert watcher.readline().startswith(f"{tag} OK".encode())
    finally:
        watcher.logout()
        sender.logout()


def test_curl_reads_a_message_and_lists_folders(alice):
    base = ["curl", "-sS", "--insecure", "--max-time", "30",
            "--user", f"alice@example.test:{PASSWORD}"]
    imaps = f"imaps://127.0.0.1:{port(alice, 'imaps')}"
    c = login(alice)
    c.create("Curl")
    c.append("Curl", "", None, MAIL.format(subject="for curl", body="y").encode())
    c.logout()
    r = subprocess.run(base + [f"{imaps}/"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "Curl" in r.stdout, r.stdout + r.stderr
    r = subprocess.run(base + [f"{imaps}/Curl;UID=1"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0 and "Subject: for curl" in r.stdout, r.stdout + r.stderr


def test_mail_delivered_by_smtpd_wakes_idle_and_is_read(alice):
    watcher = login(alice)
    try:
        typ, data = watcher.select("INBOX")
        exists = int(data[0])
        tag = watcher._new_tag().decode()
        watcher.send(f"{tag} IDLE\r\n".encode())
        assert watcher.readline().startswith(b"+ ")
        with smtplib.SMTP("127.0.0.1", port(alice, "smtp"), local_hostname="client.example") as s:
            refused = s.sendmail("carol@elsewhere.example", ["alice@example.test"],
                                 MAIL.format(subject="by smtp", body="delivered"))
            assert refused == {}
        watcher.sock.settimeout(10)
        assert watcher.readline() == f"* {exists + 1} EXISTS\r\n".encode()
        watcher.send(b"DONE\r\n")
        assert watcher.readline().startswith(f"{tag} OK".encode())
        typ, data = watcher.fetch(str(exists + 1), "(ENVELOPE BODY.PEEK[1])")
        assert typ == "OK" and b'"by smtp"' in data[0][0] and data[0][1] == b"delivered", data
    finally:
        watcher.logout()
