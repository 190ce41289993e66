"""deliverd between two appliances: A (a.test) and B (b.test), each `appliance up`
on a state directory of its own, and a dnsmasq started here on a loopback port
with the MX and address records of both domains (--no-resolv, --no-hosts).

A message submitted on A's submission port for bob@b.test arrives in bob's INBOX
on B, over STARTTLS; while B is stopped it stays queued on A and, once B is back,
`appliancectl queue retry --all` delivers it; a recipient B does not know comes
back to the sender on A as a DSN (RFC 3464)."""
import os
import re
import smtplib
import uuid

import pytest

from conftest import wait_for
from two_boxes import PASSWORD, boxes, ctl, inbox, no_verify, port, submit  # noqa: F401 (boxes: a fixture)

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (keyd administration)")


def with_subject(box, user, subject):
    return [m for m in inbox(box, user) if subject.encode() in m]


def queue(a):
    return ctl(a, "queue", "list").splitlines()[1:]


def submit_with_dsn(box, mail_options, recipients, body):
    """alice@a.test submits `body` on box's submission port with DSN options:
    `recipients` is a list of (address, RCPT options)."""
    with smtplib.SMTP("127.0.0.1", port(box, "submission"), timeout=30) as s:
        s.starttls(context=no_verify())
        s.ehlo()
        assert s.has_extn("dsn")
        s.login("alice@a.test", PASSWORD)
        assert s.mail("alice@a.test", mail_options)[0] == 250
        for address, options in recipients:
            assert s.rcpt(address, options)[0] == 250
        assert s.data(body)[0] == 250


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


def test_dsn_options_choose_and_fill_the_bounce(boxes):
    """RFC 3461 on submission: NOTIFY=NEVER gets no report, NOTIFY=FAILURE does, with
    ENVID and ORCPT in its fields and, for RET=FULL, the whole message returned."""
    a, b = boxes
    subject = f"dsn options {uuid.uuid4()}"
    body = (f"From: alice@a.test\r\nTo: ghost@b.test\r\nSubject: {subject}\r\n"
            f"Message-ID: <{uuid.uuid4()}@a.test>\r\n\r\nThe body comes back too.\r\n")
    submit_with_dsn(a, ["RET=FULL", "ENVID=QQ314159+2Bx"],
                    [("silent@b.test", ["NOTIFY=NEVER"]),
                     ("ghost@b.test", ["NOTIFY=FAILURE,DELAY", "ORCPT=rfc822;old+2Bghost@b.test"])],
                    body)
    dsn = wait_for(lambda: [m for m in inbox(a, "alice@a.test")
                            if b"Undelivered Mail" in m and subject.encode() in m], timeout=60,
                   what="a DSN in alice's INBOX on A")
    text = dsn[0]
    assert b"Original-Envelope-Id: QQ314159+2Bx\r\n" in text, text
    assert (b"Original-Recipient: rfc822;old+2Bghost@b.test\r\n"
            b"Final-Recipient: rfc822; ghost@b.test\r\nAction: failed\r\nStatus: 5.1.1") in text
    assert b"silent@b.test" not in text, "NOTIFY=NEVER is not reported"
    assert b"Content-Type: message/rfc822\r\n\r\n" in text
    assert b"The body comes back too." in text
    wait_for(lambda: not queue(a), what="the entry removed once both bounced")
    assert len([m for m in inbox(a, "alice@a.test") if subject.encode() in m]) == 1


def test_notify_success_gets_a_delivered_report_from_the_receiving_box(boxes):
    """RFC 3461 end to end: alice on A asks for NOTIFY=SUCCESS for bob on B; A passes
    it on (B offers DSN), B stores the message in bob's INBOX and, SPF passing for
    a.test, queues a delivered report to alice with a null sender (smtpd/notices.h)."""
    a, b = boxes
    subject = f"notify success {uuid.uuid4()}"
    body = (f"From: alice@a.test\r\nTo: bob@b.test\r\nSubject: {subject}\r\n"
            f"Message-ID: <{uuid.uuid4()}@a.test>\r\n\r\nTell me when it is there.\r\n")
    submit_with_dsn(a, ["ENVID=ok1"], [("bob@b.test", ["NOTIFY=SUCCESS"])], body)
    wait_for(lambda: with_subject(b, "bob@b.test", subject), timeout=60,
             what="the message in bob's INBOX on B")
    def reports():
        shown = (ctl(b, "queue", "show", line.split()[0]) for line in queue(b))
        return [s for s in shown if "recipient: alice@a.test" in s]
    shown = wait_for(reports, timeout=30, what="a delivered report queued on B for alice")[0]
    assert "sender: <>" in shown, shown
    wait_for(lambda: not queue(a), what="A's entry removed once delivered")
