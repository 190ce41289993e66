"""Sending limits and the burst hold on submission (docs/smtp.md).

One appliance with low limits ([smtpd] send_per_hour = 6, burst_floor = 3) and
deliverd routed to a closed port, so that queued mail stays queued. alice
submits to another domain with Python's smtplib: the first three messages are
queued; the fourth and fifth, a burst far above her usual volume (none), are
accepted but queued on hold, and the first held one is a security event; the
recipient beyond six in the hour is refused with 451 4.7.1."""
import os
import re
import smtplib
import time
import uuid

import pytest

from conftest import appliancectl_ok as ctl
from mailbox_access import port, tls_context

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (keyd administration)")

PASSWORD = "correct horse battery staple 7q"


def submit(appliance, recipients):
    """sendmail's answer: the recipients refused, with their replies."""
    with smtplib.SMTP("127.0.0.1", port(appliance, "submission"), timeout=30) as s:
        s.starttls(context=tls_context())
        s.login("alice@a.test", PASSWORD)
        body = (f"From: alice@a.test\r\nTo: {', '.join(recipients)}\r\nSubject: out\r\n"
                f"Message-ID: <{uuid.uuid4()}@a.test>\r\n\r\nHello.\r\n")
        return s.sendmail("alice@a.test", recipients, body)


def queue(appliance):
    return ctl(appliance, "queue", "list").splitlines()[1:]


@pytest.fixture
def limited(appliance):
    appliance.configure({"smtpd": ["send_per_hour = 6", "burst_floor = 3"],
                         "deliverd": ["routes = * = 127.0.0.1:9", "poll = 3600"]})
    ctl(appliance, "tenants", "add", "a")
    ctl(appliance, "domains", "add", "a.test", "--tenant", "a")
    ctl(appliance, "accounts", "add", "alice@a.test")
    ctl(appliance, "accounts", "passwd", "alice@a.test", stdin=PASSWORD + "\n")
    # The counts are per clock hour: keep the test inside one.
    if time.time() % 3600 > 3540:
        time.sleep(3600 - time.time() % 3600 + 1)
    yield appliance
    assert appliance.stop() == 0


def test_a_burst_is_held_and_reported_and_the_limit_refuses(limited):
    for _ in range(3):
        assert submit(limited, ["bob@remote.test"]) == {}
    assert len(queue(limited)) == 3
    assert not any("held" in line for line in queue(limited)), queue(limited)

    assert submit(limited, ["bob@remote.test"]) == {}  # the fourth: held
    assert submit(limited, ["carol@remote.test"]) == {}  # the fifth: held, not reported again
    lines = queue(limited)
    assert len(lines) == 5
    assert sum("held" in line for line in lines) == 2, lines

    events = ctl(limited, "audit", "list")
    bursts = re.findall(r"smtpd\s+sending\.burst_hold\s+alice@a\.test\s+(.*)", events)
    assert len(bursts) == 1, events
    assert '"messages_this_hour":4' in bursts[0] and '"threshold":3' in bursts[0], bursts

    # Five recipients this hour; the sixth may go, the seventh waits.
    refused = submit(limited, ["dan@remote.test", "erin@remote.test"])
    assert refused == {"erin@remote.test": (
        451, b"4.7.1 Sending limit of 6 recipients an hour reached, try later")}, refused
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        submit(limited, ["frank@remote.test"])
    ctl(limited, "audit", "verify")
