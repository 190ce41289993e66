"""DKIM signatures on the mail the appliance writes itself, checked by dkimpy.

Two appliances (two_boxes.py). A's a.test gets a DKIM key first, before any mail,
so that no daemon has cached "no key" for it. Then a message to an unknown
recipient at B comes back as a DSN that deliverd wrote in alice's INBOX on A, and
a code to alice's new contact address (bob@b.test) travels from webd through A's
queue to bob's INBOX on B: both carry a signature of a.test that verifies against
the record `appliancectl dkim records` prints, and B, whose DNS publishes that
record, writes dkim=pass in its Authentication-Results."""
import os
import pathlib
import re
import shutil
import signal
import subprocess
import tempfile
import uuid

import dkim
import pytest

from conftest import free_port, wait_for
from test_deliverd import submit
from test_dkim import dnsfunc, parse_records, verify_each
from test_dkim_inbound import txt
from test_email_confirm import signed_in
from two_boxes import PASSWORD, boxes, ctl, inbox  # noqa: F401 (boxes: a fixture)

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (keyd administration)")


@pytest.fixture(scope="module")
def signing(boxes):
    """The key, and B asking a dnsmasq of its own that publishes its record."""
    a, b = boxes
    ctl(a, "dkim", "generate", "a.test", "--selector", "n1")
    records = parse_records(ctl(a, "dkim", "records", "a.test"))
    root = pathlib.Path(tempfile.mkdtemp(prefix="appliance-dkim-notices-"))
    dns_port = free_port()
    dnsmasq = subprocess.Popen(
        ["dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts", "--conf-file=/dev/null",
         "--listen-address=127.0.0.1", "--bind-interfaces", f"--port={dns_port}",
         f"--pid-file={root / 'dnsmasq.pid'}", "--local=/test/", "--user=root",
         *[txt(name, value) for name, value in records.items()]],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        b.stop()
        b.edit_config(lambda text: re.sub(r"(?m)^servers = 127\.0\.0\.1:\d+$",
                                          f"servers = 127.0.0.1:{dns_port}", text))
        b.up("default")  # the same ports as before
        yield a, b, records
    finally:
        dnsmasq.send_signal(signal.SIGTERM)
        dnsmasq.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def test_a_dsn_is_signed_for_the_sender_domain(signing):
    a, _, records = signing
    subject = f"signed bounce {uuid.uuid4()}"
    submit(a, "nobody@b.test", subject)
    dsn = wait_for(lambda: [m for m in inbox(a, "alice@a.test")
                            if b"Undelivered Mail" in m and subject.encode() in m], timeout=60,
                   what="a DSN in alice's INBOX on A")[0]
    assert dsn.startswith(b"DKIM-Signature: "), dsn[:400]
    assert b"d=a.test" in dsn.replace(b"\r\n\t", b"")
    # One signature on top; the returned headers below carry the submission's own.
    assert dsn.split(b"\r\n\r\n", 1)[0].count(b"DKIM-Signature:") == 1
    assert dkim.verify(dsn, dnsfunc=dnsfunc(records)), dsn[:1500]
    assert not dkim.verify(dsn.replace(b"nobody@b.test", b"nobody@c.test"),
                           dnsfunc=dnsfunc(records))


def test_mail_to_a_contact_address_is_signed(signing):
    a, b, records = signing
    alice = signed_in(a)
    r, body = alice.call("POST", "/api/v1/session/sudo", {"password": PASSWORD})
    assert r.status == 200 and body["sudo"], body
    r, body = alice.call("POST", "/api/v1/me/email", {"address": "bob@b.test"})
    assert r.status == 202, body
    mail = wait_for(lambda: [m for m in inbox(b, "bob@b.test")
                             if b"Code to confirm your contact address" in m], timeout=60,
                    what="the code in bob's INBOX on B")[0]
    assert verify_each(mail, records) == [("rsa-sha256", "n1", True)], mail[:1500]
    # B checked it on arrival, with the record from its DNS.
    assert re.search(rb"dkim=pass header\.d=a\.test header\.s=n1 header\.a=rsa-sha256",
                     mail.replace(b"\r\n\t", b" ")), mail[:1500]
