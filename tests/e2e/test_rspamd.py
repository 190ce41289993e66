"""Mail on the MX port scanned by a real rspamd (Debian's, started here on a
loopback port with a configuration of the test's own), named by [smtpd]
rspamd. rspamd's GTUBE pattern gets 550 and stores nothing; a message that a
rule of the test scores as spam is accepted into the recipient's Junk with
X-Spam: Yes; clean mail reaches INBOX with its score and without the X-Spam
claim its sender forged; with rspamd stopped, mail is deferred with 451 and
nothing is stored."""
import os
import pathlib
import shutil
import signal
import smtplib
import subprocess
import tempfile
import urllib.request
import uuid

import pytest

from conftest import Appliance, appliancectl_ok as ctl, free_port, wait_for
from mailbox_access import imap_login, messages, port

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root (keyd administration)"),
    pytest.mark.skipif(shutil.which("rspamd") is None, reason="rspamd is not installed"),
]

PASSWORD = "rspamd test password 7"
GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X"

# Scores far from what rspamd's own rules give a plain message here (no DNS
# answers), so that the verdicts do not depend on them.
ACTIONS = "reject = 50;\nadd_header = 20;\ngreylist = null;\nrewrite_subject = null;\n"
RULE = """rspamd_config:register_symbol{
  name = 'APPLIANCE_TEST_SPAM', score = 30.0,
  callback = function(task)
    return (task:get_subject() or ''):find('[spam-me]', 1, true) ~= nil
  end,
}
"""


def start_rspamd(root, rspamd_port, dns_port):
    conf = root / "rspamd"
    for d in ("local.d", "override.d", "db", "run"):
        (conf / d).mkdir(parents=True)
    (conf / "local.d" / "worker-normal.inc").write_text(
        f'bind_socket = "127.0.0.1:{rspamd_port}";\ncount = 1;\n')
    for worker in ("worker-controller.inc", "worker-proxy.inc", "worker-fuzzy.inc"):
        (conf / "override.d" / worker).write_text("enabled = false;\n")
    (conf / "local.d" / "options.inc").write_text(
        f'dns {{ nameserver = ["127.0.0.1:{dns_port}"]; timeout = 1s; retransmits = 1; }}\n')
    (conf / "override.d" / "logging.inc").write_text('type = "console";\nlevel = "warning";\n')
    (conf / "local.d" / "actions.conf").write_text(ACTIONS)
    (conf / "rspamd.local.lua").write_text(RULE)
    subprocess.run(["chown", "-R", "_rspamd:_rspamd", str(conf)], check=True)
    proc = subprocess.Popen(
        ["rspamd", "-f", "-u", "_rspamd", "-g", "_rspamd", f"--var=LOCAL_CONFDIR={conf}",
         f"--var=DBDIR={conf / 'db'}", f"--var=RUNDIR={conf / 'run'}", f"--var=LOGDIR={conf}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(lambda: pong(rspamd_port), timeout=120, what="rspamd answering")
    return proc


def pong(rspamd_port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{rspamd_port}/ping", timeout=2) as r:
            return r.read().strip() == b"pong"
    except OSError:
        return False


def start_dnsmasq(root, dns_port):
    """Answers nothing but NXDOMAIN, at once: rspamd's and smtpd's lookups fail fast."""
    return subprocess.Popen(
        ["dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts", "--conf-file=/dev/null",
         f"--port={dns_port}", "--listen-address=127.0.0.1", "--bind-interfaces",
         f"--pid-file={root / 'dnsmasq.pid'}", "--local=/#/"])


@pytest.fixture(scope="module")
def box():
    root = pathlib.Path(tempfile.mkdtemp(prefix="appliance-rspamd-"))
    os.chmod(root, 0o755)
    dns_port, rspamd_port = free_port(), free_port()
    dnsmasq = start_dnsmasq(root, dns_port)
    rspamd = start_rspamd(root, rspamd_port, dns_port)
    a = Appliance(root / "var")
    try:
        a.configure({"smtpd": [f"rspamd = 127.0.0.1:{rspamd_port}", "rspamd_timeout = 30"],
                     "dns": [f"servers = 127.0.0.1:{dns_port}", "timeout = 1000"]})
        ctl(a, "tenants", "add", "acme")
        ctl(a, "domains", "add", "example.test", "--tenant", "acme")
        ctl(a, "accounts", "add", "alice@example.test")
        ctl(a, "accounts", "passwd", "alice@example.test", stdin=PASSWORD + "\n")
        a.rspamd = rspamd
        yield a
    finally:
        if a.proc and a.proc.poll() is None:
            a.stop()
        for p in (rspamd, dnsmasq):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                p.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)


def send(box, subject, body="Hello Alice.\r\n", extra=""):
    """The SMTP reply to the end of the message: (code, text)."""
    text = (f"From: bob@sender.example\r\nTo: alice@example.test\r\nSubject: {subject}\r\n"
            f"Message-ID: <{uuid.uuid4()}@sender.example>\r\n{extra}\r\n{body}")
    with smtplib.SMTP("127.0.0.1", port(box, "smtp"), local_hostname="client.example",
                      timeout=60) as s:
        s.ehlo()
        s.mail("bob@sender.example")
        assert s.rcpt("alice@example.test")[0] == 250
        code, reply = s.data(text.encode())
        return code, reply.decode()


def mailbox(box, name):
    c = imap_login(box, PASSWORD)
    try:
        return messages(c, name)
    finally:
        c.logout()


def with_subject(messages, subject):
    return [m for m in messages if f"Subject: {subject}".encode() in m]


def test_clean_mail_reaches_inbox_with_its_score(box):
    subject = f"clean {uuid.uuid4()}"
    code, reply = send(box, subject, extra="X-Spam: No\r\n")
    assert code == 250, reply
    [message] = with_subject(mailbox(box, "INBOX"), subject)
    head = message.split(b"\r\n\r\n")[0]
    assert b"\r\nX-Spam-Action: no action\r\nX-Spam-Score: " in head, head
    assert b"X-Spam: No" not in head, "the sender's claim is dropped"


def test_spam_is_accepted_into_junk(box):
    subject = f"[spam-me] {uuid.uuid4()}"
    code, reply = send(box, subject)
    assert code == 250, reply
    assert not with_subject(mailbox(box, "INBOX"), subject)
    [message] = with_subject(mailbox(box, "Junk"), subject)
    assert b"X-Spam: Yes\r\nX-Spam-Action: add header\r\n" in message, message[:600]


def test_gtube_is_refused_and_not_stored(box):
    subject = f"gtube {uuid.uuid4()}"
    code, reply = send(box, subject, body=GTUBE + "\r\n")
    assert code == 550, reply
    assert reply.startswith("5.7.1 "), reply
    assert not with_subject(mailbox(box, "INBOX") + mailbox(box, "Junk"), subject)


def test_without_rspamd_mail_is_deferred(box):
    box.rspamd.send_signal(signal.SIGTERM)
    box.rspamd.wait(timeout=30)
    subject = f"deferred {uuid.uuid4()}"
    code, reply = send(box, subject)
    assert code == 451, reply
    assert reply == "4.7.1 Content filter unavailable, try again later", reply
    assert not with_subject(mailbox(box, "INBOX") + mailbox(box, "Junk"), subject)
