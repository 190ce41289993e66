"""DKIM signing of submissions, checked by an independent implementation.

`appliancectl dkim generate` makes an RSA and an Ed25519 key for example.test
in the token; a message submitted on 587 is read back with imaplib and both of
its signatures are verified by dkimpy (Debian's python3-dkim) against the TXT
records `appliancectl dkim records` prints. A changed body fails both. Mail
whose From is alice's alias in another domain of hers with keys is signed by
that domain (aligned with From, for DMARC); a From she does not own there is
signed by her envelope domain only."""
import imaplib
import os
import re
import smtplib
import uuid

import dkim
import pytest

from mailbox_access import box_with_alice, ctl, port, set_password, tls_context

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (keyd administration)")

PASSWORD = "correct horse battery staple 7q"
DOMAIN = "example.test"


def parse_records(text):
    """'S._domainkey.D IN TXT "a" "b"' lines -> {name: joined strings}."""
    records = {}
    for line in text.splitlines():
        m = re.fullmatch(r'(\S+) IN TXT((?: "[^"]*")+)', line)
        assert m, f"not a TXT record line: {line!r}"
        strings = re.findall(r'"([^"]*)"', m.group(2))
        assert all(len(s) <= 255 for s in strings)
        records[m.group(1)] = "".join(strings)
    return records


@pytest.fixture(scope="module")
def box():
    with box_with_alice("appliance-dkim-") as a:
        set_password(a, PASSWORD)
        out = ctl(a, "dkim", "generate", DOMAIN, "--selector", "r1")
        assert "r1._domainkey.example.test IN TXT" in out
        ctl(a, "dkim", "generate", DOMAIN, "--selector", "e1", "--algorithm", "ed25519")
        a.records = parse_records(ctl(a, "dkim", "records", DOMAIN))
        ctl(a, "domains", "add", "other.test", "--tenant", "acme")
        ctl(a, "aliases", "add", "alice@other.test", "alice@example.test")
        ctl(a, "dkim", "generate", "other.test", "--selector", "o1", "--algorithm", "ed25519")
        a.records.update(parse_records(ctl(a, "dkim", "records", "other.test")))
        yield a


def dnsfunc(records):
    def lookup(name, timeout=5):
        return records.get(name.decode().rstrip("."), "")
    return lookup


def submit(box, subject, body, sender="alice@example.test"):
    text = (f"From: Alice <{sender}>\r\nTo: alice@example.test\r\n"
            f"Subject: {subject}\r\nMessage-ID: <{uuid.uuid4()}@example.test>\r\n"
            f"Date: Mon, 23 Nov 2026 05:00:00 +0000\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}")
    with smtplib.SMTP("127.0.0.1", port(box, "submission"), timeout=30) as s:
        s.starttls(context=tls_context())
        s.login("alice@example.test", PASSWORD)
        assert s.sendmail("alice@example.test", ["alice@example.test"], text) == {}


def fetch(box, subject):
    c = imaplib.IMAP4_SSL("127.0.0.1", port(box, "imaps"), ssl_context=tls_context(), timeout=20)
    try:
        c.login("alice@example.test", PASSWORD)
        c.select("INBOX")
        typ, data = c.search(None, "SUBJECT", f'"{subject}"')
        assert typ == "OK" and data[0], f"{subject} not in INBOX"
        typ, data = c.fetch(data[0].split()[-1], "(BODY.PEEK[])")
        assert typ == "OK"
        return data[0][1]
    finally:
        c.logout()


def verify_each(message, records):
    """The verdict of dkimpy on each signature, with its a= and s=."""
    verdicts = []
    d = dkim.DKIM(message)
    for i, field in enumerate(re.findall(rb"^DKIM-Signature:.*?(?=\r\n\S)", message,
                                         re.S | re.M)):
        algorithm = re.search(rb"a=([\w-]+)", field).group(1).decode()
        selector = re.search(rb"\bs=(\w+)", field).group(1).decode()
        try:
            ok = d.verify(idx=i, dnsfunc=dnsfunc(records))
        except dkim.DKIMException:  # a body hash mismatch is raised, not returned
            ok = False
        verdicts.append((algorithm, selector, ok))
    return sorted(verdicts)


def test_records_are_published_per_key(box):
    assert sorted(box.records) == ["e1._domainkey.example.test", "o1._domainkey.other.test",
                                   "r1._domainkey.example.test"]
    assert box.records["r1._domainkey.example.test"].startswith("v=DKIM1; k=rsa; p=MII")
    assert box.records["e1._domainkey.example.test"].startswith("v=DKIM1; k=ed25519; p=")
    listed = ctl(box, "dkim", "list")
    assert re.search(r"dkim/example\.test/r1\s+rsa-2048\s.*\byes$", listed, re.M), listed
    assert re.search(r"dkim/example\.test/e1\s+ed25519\s.*\byes$", listed, re.M), listed


def test_submission_is_dual_signed_and_verifies_with_dkimpy(box):
    subject = f"signed {uuid.uuid4()}"
    body = "Hello  there,\r\n\r\nthis line has trailing space   \r\nBye.\r\n\r\n"
    submit(box, subject, body)
    message = fetch(box, subject)
    assert verify_each(message, box.records) == [("ed25519-sha256", "e1", True),
                                                 ("rsa-sha256", "r1", True)], message[:1500]
    assert re.search(rb"h=from:from:", message.replace(b"\r\n\t", b"")), message[:1500]
    tampered = message.replace(b"this line", b"that line")
    assert verify_each(tampered, box.records) == [("ed25519-sha256", "e1", False),
                                                  ("rsa-sha256", "r1", False)]


def test_large_submission_verifies(box):
    subject = f"large {uuid.uuid4()}"
    body = "".join(f"line {i} of a long message\r\n" for i in range(120000))  # about 3 MiB
    submit(box, subject, body)
    message = fetch(box, subject)
    assert [v[2] for v in verify_each(message, box.records)] == [True, True]


def signing_domains(message):
    return sorted(re.findall(rb"\bd=([\w.-]+);", message.replace(b"\r\n\t", b"")))


def test_mail_from_an_alias_in_another_domain_is_signed_by_that_domain(box):
    subject = f"alias {uuid.uuid4()}"
    submit(box, subject, "From my other address.\r\n", sender="alice@other.test")
    message = fetch(box, subject)
    assert signing_domains(message) == [b"other.test"], message[:1500]
    assert verify_each(message, box.records) == [("ed25519-sha256", "o1", True)]


def test_a_from_address_the_account_does_not_own_is_not_signed_by_its_domain(box):
    subject = f"not hers {uuid.uuid4()}"
    submit(box, subject, "Not my address.\r\n", sender="bob@other.test")
    message = fetch(box, subject)
    assert signing_domains(message) == [b"example.test", b"example.test"], message[:1500]
