"""deliverd between two appliances: A (a.test) and B (b.test), each `appliance up`
on a state directory of its own, and a dnsmasq started here on a loopback port
with the MX and address records of both domains (--no-resolv, --no-hosts).

A message submitted on A's submission port for bob@b.test arrives in bob's INBOX
on B, over STARTTLS; while B is stopped it stays queued on A and, once B is back,
`appliancectl queue retry --all` delivers it; a recipient B does not know comes
back to the sender on A as a DSN (RFC 3464)."""
import os
import re
import uuid

import pytest

from conftest import wait_for
from two_boxes import boxes, ctl, inbox, submit  # noqa: F401 (boxes: a fixture)

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (keyd administration)")


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
