"""smtpd with real clients against `appliance up`: MX delivery into an INBOX,
refusals at RCPT, STARTTLS on 25 and 587 and implicit TLS on 465 (chains
verified against the appliance's certificate), AUTH only after TLS, the SMTP
smuggling endings, and durability when smtpd is killed under load.

One appliance serves the module (starting it and its token is most of the
time); each test uses recipients or subjects of its own."""
import os
import pathlib
import re
import shutil
import signal
import smtplib
import socket
import ssl
import subprocess
import tempfile
import threading
import uuid

import pytest

from conftest import Appliance, binary, wait_for
from mailbox_access import set_password

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (keyd administration)")

HOST = "mail.example.test"
PASSWORD = "correct horse battery staple 7q"


def ctl(appliance, *args, check=True):
    r = subprocess.run([binary("appliancectl"), "--home", str(appliance.home), *args],
                       capture_output=True, text=True, timeout=120)
    if check:
        assert r.returncode == 0, f"appliancectl {' '.join(args)}: {r.stdout}{r.stderr}"
    return r


@pytest.fixture(scope="module")
def box():
    root = pathlib.Path(tempfile.mkdtemp(prefix="appliance-smtpd-"))
    os.chmod(root, 0o755)  # the service users must reach keyd's socket and the store
    a = Appliance(root / "var").start()
    try:
        a.wait_ready()
        ctl(a, "tenants", "add", "acme")
        ctl(a, "domains", "add", "example.test", "--tenant", "acme")
        for user in ("alice", "bob", "carol", "dave"):
            ctl(a, "accounts", "add", f"{user}@example.test")
        set_password(a, PASSWORD)
        chain = root / "chain.pem"
        chain.write_text(ctl(a, "keys", "export-public", f"tls/{HOST}", "--certificate").stdout)
        a.chain = chain
        yield a
    finally:
        if a.proc and a.proc.poll() is None:
            a.stop()
        shutil.rmtree(root, ignore_errors=True)


def endpoint(box, name):
    host, port = box.endpoints()[name].rsplit(":", 1)
    return host, int(port)


def inbox(box, address):
    """The messages of address's INBOX, oldest first, as bytes."""
    r = subprocess.run([binary("inbox_dump"), str(box.home), address], capture_output=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr.decode()
    out, messages = r.stdout, []
    while out:
        head, out = out.split(b"\n", 1)
        size = int(head.split()[2])
        messages.append(out[:size])
        out = out[size:]
    return messages


def tls_context(box):
    """Verifies the chain against the appliance's certificate; the host name is
    checked by the openssl test (smtplib connects by address, not by name)."""
    ctx = ssl.create_default_context(cafile=str(box.chain))
    ctx.check_hostname = False
    return ctx


def message(subject, sender="someone@elsewhere.example", to="alice@example.test"):
    return (f"From: <{sender}>\r\nTo: <{to}>\r\nSubject: {subject}\r\n"
            f"Message-ID: <{uuid.uuid4()}@elsewhere.example>\r\n\r\nHello from the test.\r\n")


def test_mx_delivery_lands_in_the_inbox(box):
    subject = f"mx {uuid.uuid4()}"
    with smtplib.SMTP(*endpoint(box, "smtp"), local_hostname="client.example") as s:
        refused = s.sendmail("someone@elsewhere.example", ["Alice@Example.test"], message(subject))
        assert refused == {}
    mail = [m for m in inbox(box, "alice@example.test") if subject.encode() in m]
    assert len(mail) == 1
    received = mail[0].split(b"\r\n\r\n")[0].decode()
    # Authentication-Results on top (docs/dkim.md), then the trace header.
    assert re.match(rf"Authentication-Results: {re.escape(HOST)};\r\n(?:\t.*\r\n)+"
                    r"Received: from client\.example \(\[127\.0\.0\.1\]\)\r\n"
                    rf"\tby {re.escape(HOST)} with ESMTP id [0-9a-f]{{16}}\r\n"
                    r"\tfor <Alice@Example\.test>;\r\n\t\w{3}, \d{2} \w{3} \d{4} ", received), received
    assert mail[0].endswith(b"Hello from the test.\r\n")


def test_unknown_recipient_and_relay_are_refused_at_rcpt(box):
    with smtplib.SMTP(*endpoint(box, "smtp")) as s:
        s.ehlo("client.example")
        s.mail("someone@elsewhere.example")
        assert s.rcpt("nobody@example.test") == (550, b"5.1.1 No such user here")
        assert s.rcpt("victim@elsewhere.example") == (554, b"5.7.1 Relay access denied")
        code, _ = s.rcpt("bob@example.test")
        assert code == 250


def swaks(box, listener, tls, subject, *args):
    """swaks with the chain verified against the appliance's certificate."""
    host, port = endpoint(box, listener)
    r = subprocess.run(["swaks", "--server", host, "--port", str(port), tls, "--tls-verify",
                        "--tls-ca-path", str(box.chain), "--tls-sni", HOST,
                        "--header", f"Subject: {subject}", *args],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    return r


def test_starttls_on_25_with_swaks(box):
    subject = f"swaks {uuid.uuid4()}"
    r = swaks(box, "smtp", "--tls", subject, "--ehlo", "swaks.example",
              "--from", "someone@elsewhere.example", "--to", "bob@example.test")
    mail = [m for m in inbox(box, "bob@example.test") if subject.encode() in m]
    assert len(mail) == 1, r.stdout
    assert re.search(rb"\(using TLSv1\.3 with cipher TLS_\w+\)\r\n\tby mail\.example\.test with "
                     rb"ESMTPS id ", mail[0]), mail[0][:400]


@pytest.mark.parametrize("listener", ["smtp", "submission", "submissions"])
def test_openssl_verifies_the_chain(box, listener):
    host, port = endpoint(box, listener)
    args = ["openssl", "s_client", "-connect", f"{host}:{port}", "-servername", HOST,
            "-CAfile", str(box.chain), "-verify_return_error", "-verify_hostname", HOST]
    if listener != "submissions":
        args += ["-starttls", "smtp"]
    r = subprocess.run(args, input="QUIT\r\n", capture_output=True, text=True, timeout=60)
    assert "Verify return code: 0 (ok)" in r.stdout, r.stdout + r.stderr


def test_implicit_tls_on_465_offers_auth(box):
    host, port = endpoint(box, "submissions")
    with smtplib.SMTP_SSL(host, port, context=tls_context(box)) as s:
        code, _ = s.ehlo("laptop.example")
        assert code == 250
        assert "PLAIN" in s.esmtp_features["auth"] and "LOGIN" in s.esmtp_features["auth"]
        assert "starttls" not in s.esmtp_features


def test_submission_refuses_auth_and_mail_before_tls(box):
    with smtplib.SMTP(*endpoint(box, "submission")) as s:
        s.ehlo("laptop.example")
        assert "auth" not in s.esmtp_features
        assert s.docmd("AUTH", "PLAIN AGFsaWNlAHNlY3JldA==")[0] == 530
        assert s.docmd("MAIL", "FROM:<alice@example.test>")[0] == 530


def test_auth_on_587_after_starttls_then_submission_to_a_local_account(box):
    subject = f"submitted {uuid.uuid4()}"
    with smtplib.SMTP(*endpoint(box, "submission")) as s:
        s.ehlo("laptop.example")
        s.starttls(context=tls_context(box))
        s.ehlo("laptop.example")
        assert "PLAIN" in s.esmtp_features["auth"]
        with pytest.raises(smtplib.SMTPAuthenticationError) as refused:
            s.login("alice@example.test", "not the password")
        assert refused.value.smtp_code == 535
        s.login("alice@example.test", PASSWORD)  # PLAIN
        assert s.mail("bob@example.test")[0] == 553  # not alice's address
        s.rset()
        assert s.sendmail("alice@example.test", ["bob@example.test"],
                          message(subject, sender="alice@example.test", to="bob@example.test")) == {}
        s.mail("alice@example.test")
        assert s.rcpt("friend@elsewhere.example")[0] == 250  # for the queue (test_deliverd.py)
    mail = [m for m in inbox(box, "bob@example.test") if subject.encode() in m]
    assert len(mail) == 1
    assert re.search(rb"\tby mail\.example\.test with ESMTPSA id ", mail[0]), mail[0][:400]


@pytest.mark.parametrize("listener,tls,mechanism", [("submission", "--tls", "LOGIN"),
                                                    ("submissions", "--tls-on-connect", "LOGIN"),
                                                    ("submissions", "--tls-on-connect", "PLAIN")])
def test_auth_with_swaks(box, listener, tls, mechanism):
    subject = f"swaks auth {uuid.uuid4()}"
    swaks(box, listener, tls, subject, "--auth", mechanism,
          "--auth-user", "alice@example.test", "--auth-password", PASSWORD,
          "--ehlo", "laptop.example", "--from", "alice@example.test", "--to", "carol@example.test")
    assert [m for m in inbox(box, "carol@example.test") if subject.encode() in m]


# What a smuggler hopes a lenient server reads as a second message.
SMUGGLED = "MAIL FROM:<evil@elsewhere.example>\r\nRCPT TO:<dave@example.test>\r\nDATA\r\n" \
           "Subject: smuggled\r\n\r\nsmuggled"


def reply(sock_file):
    lines = []
    while True:
        line = sock_file.readline().decode()
        assert line, "connection closed"
        lines.append(line)
        if line[3:4] != "-":
            return "".join(lines)


@pytest.mark.parametrize("ending", ["\n.\n", "\n.\r\n", "\r\n.\n", "\r.\r"],
                         ids=["LF.LF", "LF.CRLF", "CRLF.LF", "CR.CR"])
def test_smuggling_endings_never_end_the_message(box, ending):
    host, port = endpoint(box, "smtp")
    with socket.create_connection((host, port), timeout=30) as sock:
        f = sock.makefile("rb")
        assert reply(f).startswith("220 ")
        for command, code in (("EHLO client.example", "250"),
                              ("MAIL FROM:<someone@elsewhere.example>", "250"),
                              ("RCPT TO:<carol@example.test>", "250"),
                              ("DATA", "354")):
            sock.sendall(command.encode() + b"\r\n")
            assert reply(f).startswith(code)
        sock.sendall(("Subject: carrier\r\n\r\ncarrier" + ending + SMUGGLED).encode())
        # The smuggled lines are body; only the real end gets an answer.
        sock.sendall(b"\r\n.\r\n")
        assert reply(f).startswith("550 5.6.0"), "the smuggled end was taken as an end"
        sock.sendall(b"QUIT\r\n")
        assert reply(f).startswith("221")
    assert not [m for m in inbox(box, "dave@example.test") if b"smuggled" in m]
    assert not [m for m in inbox(box, "carol@example.test") if b"carrier" in m]


def test_stops_cleanly_with_connections_open(appliance):
    """SIGTERM while one client is idle and another is half-way through a body."""
    appliance.start()
    appliance.wait_ready()
    ctl(appliance, "tenants", "add", "acme")
    ctl(appliance, "domains", "add", "example.test", "--tenant", "acme")
    ctl(appliance, "accounts", "add", "postmaster@example.test")
    host, port = endpoint(appliance, "smtp")
    idle = socket.create_connection((host, port), timeout=30)
    busy = socket.create_connection((host, port), timeout=30)
    f = busy.makefile("rb")
    assert reply(f).startswith("220 ") and reply(idle.makefile("rb")).startswith("220 ")
    for command, code in (("EHLO client.example", "250"),
                          ("MAIL FROM:<someone@elsewhere.example>", "250"),
                          ("RCPT TO:<postmaster>", "250"), ("DATA", "354")):
        busy.sendall(command.encode() + b"\r\n")
        assert reply(f).startswith(code)
    busy.sendall(b"Subject: unfinished\r\n\r\nhalf a body")
    assert appliance.stop() == 0
    assert 'daemon stopped daemon=smtpd status="exited with status 0"' in appliance.output.decode()
    idle.close()
    busy.close()
