"""deliverd between two appliances: A (a.test) and B (b.test), each `appliance up`
on a state directory of its own, and a dnsmasq started here on a loopback port
with the MX and address records of both domains (--no-resolv, --no-hosts).

A message submitted on A's submission port for bob@b.test arrives in bob's INBOX
on B, over STARTTLS; while B is stopped it stays queued on A and, once B is back,
`appliancectl queue retry --all` delivers it; a recipient B does not know comes
back to the sender on A as a DSN (RFC 3464)."""
import imaplib
import os
import pathlib
import re
import shutil
import signal
import smtplib
import ssl
import subprocess
import tempfile
import uuid

import pytest

from conftest import Appliance, binary, free_port, wait_for

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (keyd administration)")

PASSWORD = "correct horse battery staple 7q"


def ctl(box, *args, stdin=None):
    r = subprocess.run([binary("appliancectl"), "--home", str(box.home), *args], input=stdin,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, f"appliancectl {' '.join(args)}: {r.stdout}{r.stderr}"
    return r.stdout


def no_verify():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def port(box, name):
    return int(box.endpoints()[name].rsplit(":", 1)[1])


class Box(Appliance):
    """An appliance whose configuration the test edits between runs."""

    def up(self, ports="any"):
        self.proc = subprocess.Popen(
            [binary("appliance"), "up", "--home", str(self.home), "--ports", ports],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.wait_ready()

    def edit_config(self, fn):
        path = self.home / "etc" / "appliance.conf"
        path.write_text(fn(path.read_text()))


def fixed_ports(text):
    """Every listener on a free port of its own, so a restart keeps them."""
    return re.sub(r"^(listen\.\w+ = 127\.0\.0\.1):0$", lambda m: f"{m.group(1)}:{free_port()}",
                  text, flags=re.M)


def with_dns(text, dns_port):
    """deliverd (MX records) and smtpd (SPF, DKIM, DMARC) ask the test's dnsmasq."""
    return text + "\n[dns]\nservers = 127.0.0.1:%d\ntimeout = 500\ntries = 2\n" % dns_port


def deliver_to(dns_port, smtp_port):
    def edit(text):
        text = text.replace("[deliverd]\n", "[deliverd]\nport = %d\npoll = 1\nconnect_timeout = 2\n"
                            "io_timeout = 30\n" % smtp_port, 1)
        return with_dns(text, dns_port)
    return edit


def provision(box, domain, users):
    ctl(box, "tenants", "add", domain.split(".")[0])
    ctl(box, "domains", "add", domain, "--tenant", domain.split(".")[0])
    for user in users:
        ctl(box, "accounts", "add", f"{user}@{domain}")
        ctl(box, "accounts", "passwd", f"{user}@{domain}", stdin=PASSWORD + "\n")


@pytest.fixture(scope="module")
def boxes():
    root = pathlib.Path(tempfile.mkdtemp(prefix="appliance-deliverd-"))
    os.chmod(root, 0o755)
    dns_port = free_port()
    dnsmasq = subprocess.Popen(
        ["dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts", "--conf-file=/dev/null",
         "--listen-address=127.0.0.1", "--bind-interfaces", f"--port={dns_port}",
         f"--pid-file={root}/dnsmasq.pid", "--local=/test/", "--user=root",
         "--mx-host=a.test,mx.a.test,10", "--mx-host=b.test,mx.b.test,10",
         "--host-record=mx.a.test,127.0.0.1", "--host-record=mx.b.test,127.0.0.1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    a, b = Box(root / "a"), Box(root / "b")
    try:
        for box in (a, b):
            box.up()
            box.stop()
        b.edit_config(lambda text: with_dns(fixed_ports(text), dns_port))
        b.up("default")
        a.edit_config(deliver_to(dns_port, port(b, "smtp")))
        a.up()
        provision(a, "a.test", ["alice"])
        provision(b, "b.test", ["bob"])
        yield a, b
    finally:
        for box in (a, b):
            if box.proc and box.proc.poll() is None:
                box.stop()
        dnsmasq.send_signal(signal.SIGTERM)
        dnsmasq.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def submit(a, to, subject):
    with smtplib.SMTP("127.0.0.1", port(a, "submission"), timeout=30) as s:
        s.starttls(context=no_verify())
        s.login("alice@a.test", PASSWORD)
        body = (f"From: alice@a.test\r\nTo: {to}\r\nSubject: {subject}\r\n"
                f"Message-ID: <{uuid.uuid4()}@a.test>\r\n\r\nHello from A.\r\n.leading dot\r\n")
        assert s.sendmail("alice@a.test", [to], body) == {}


def inbox(box, user):
    """The messages of user's INBOX, read with imaplib over imaps."""
    with imaplib.IMAP4_SSL("127.0.0.1", port(box, "imaps"), ssl_context=no_verify()) as m:
        m.login(user, PASSWORD)
        m.select("INBOX", readonly=True)
        _, data = m.search(None, "ALL")
        out = []
        for n in data[0].split():
            _, parts = m.fetch(n, "(BODY.PEEK[])")
            out.append(parts[0][1])
        return out


def with_subject(box, user, subject):
    return [m for m in inbox(box, user) if subject.encode() in m]


def queue(a):
    return ctl(a, "queue", "list").splitlines()[1:]


def test_delivered_over_starttls(boxes):
    a, b = boxes
    subject = f"to B {uuid.uuid4()}"
    submit(a, "bob@b.test", subject)
    mail = wait_for(lambda: with_subject(b, "bob@b.test", subject), timeout=60,
                    what="the message in bob's INBOX on B")
    assert len(mail) == 1
    received = re.search(rb"Received: from mail\.example\.test \(\[127\.0\.0\.1\]\)\r\n"
                         rb"\t\(using (TLSv1\.[23]) with cipher [A-Z0-9_-]+\)\r\n"
                         rb"\tby mail\.example\.test with ESMTPS id ", mail[0])
    assert received, mail[0][:600]
    assert b"\r\n.leading dot\r\n" in mail[0]  # dot-stuffed by A, unstuffed by B
    wait_for(lambda: not queue(a), what="the entry removed once delivered")


def test_queued_while_b_is_down_then_retried(boxes):
    a, b = boxes
    b.stop()
    subject = f"retry {uuid.uuid4()}"
    submit(a, "bob@b.test", subject)
    wait_for(lambda: any(re.search(r"\s1\s+queued\s+1/1\s", l) for l in queue(a)), timeout=30,
             what="a failed attempt recorded")
    entry = queue(a)[0].split()[0]
    shown = ctl(a, "queue", "show", entry)
    assert "recipient: bob@b.test pending" in shown, shown
    assert "last reply: 451 4.4.1" in shown, shown
    assert "tls: none (opportunistic)" in shown, shown
    ctl(a, "queue", "hold", entry)
    assert " held " in queue(a)[0]
    ctl(a, "queue", "release", entry)
    b.up("default")  # the same ports as before
    assert "1 entries due now" in ctl(a, "queue", "retry", "--all")
    wait_for(lambda: with_subject(b, "bob@b.test", subject), timeout=60,
             what="the retried message in bob's INBOX")
    wait_for(lambda: not queue(a), what="the entry removed once delivered")


def test_unknown_recipient_bounces_to_the_sender(boxes):
    a, b = boxes
    subject = f"bounce {uuid.uuid4()}"
    submit(a, "nobody@b.test", subject)
    dsn = wait_for(lambda: [m for m in inbox(a, "alice@a.test")
                            if b"Undelivered Mail" in m and subject.encode() in m], timeout=60,
                   what="a DSN in alice's INBOX on A")
    text = dsn[0]
    assert b"Content-Type: multipart/report; report-type=delivery-status;" in text
    assert b"Final-Recipient: rfc822; nobody@b.test\r\nAction: failed\r\nStatus: 5.1.1" in text
    assert b"Diagnostic-Code: smtp; 550 5.1.1 No such user here" in text
    assert b"Content-Type: text/rfc822-headers" in text
    assert not queue(a)
