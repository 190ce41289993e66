"""Two appliances for the tests of mail between them: A (a.test, alice) and
B (b.test, bob), each `appliance up` on a state directory of its own, and a
dnsmasq started here on a loopback port with the MX and address records of
both domains (--no-resolv, --no-hosts). A's deliverd delivers to B's SMTP
port every second. Import `boxes` (a module-scoped fixture) and what goes with it."""
import imaplib
import os
import pathlib
import re
import shutil
import signal
import smtplib
import subprocess
import tempfile
import uuid

import pytest

from conftest import Appliance, appliancectl_ok as ctl, binary, free_port
from mailbox_access import messages, port, tls_context as no_verify

PASSWORD = "correct horse battery staple 7q"


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
         "--host-record=mx.a.test,127.0.0.1", "--host-record=mx.b.test,127.0.0.1",
         # A's mail comes from loopback: SPF passes for a.test on B.
         "--txt-record=a.test,v=spf1 ip4:127.0.0.0/8 -all"],
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


def inbox(box, user):
    """The messages of user's INBOX, read with imaplib over imaps."""
    with imaplib.IMAP4_SSL("127.0.0.1", port(box, "imaps"), ssl_context=no_verify()) as m:
        m.login(user, PASSWORD)
        return messages(m)


def submit(box, to, subject):
    """alice@a.test sends a message to `to` (an address or a list) on box's submission port."""
    to = [to] if isinstance(to, str) else to
    with smtplib.SMTP("127.0.0.1", port(box, "submission"), timeout=30) as s:
        s.starttls(context=no_verify())
        s.login("alice@a.test", PASSWORD)
        body = (f"From: alice@a.test\r\nTo: {', '.join(to)}\r\nSubject: {subject}\r\n"
                f"Message-ID: <{uuid.uuid4()}@a.test>\r\n\r\nHello from A.\r\n.leading dot\r\n")
        assert s.sendmail("alice@a.test", to, body) == {}
