"""Mail on the MX port checked for DKIM, SPF and DMARC, against a DNS server of
the test's own: dnsmasq on a loopback port (--no-resolv, records given on its
command line), named in [dns] servers. A message signed by dkimpy with a key
published there, from an address whose SPF record lists 127.0.0.1, gets
dkim=pass, spf=pass and dmarc=pass in its Authentication-Results; a spoofed
sender gets spf=fail and dmarc=fail, the results it forged for this host are
dropped, and its domain's p=quarantine files it in Junk; a changed body
dkim=fail. Mail from a p=reject domain that fails DMARC is refused with
550 5.7.26 and stored nowhere. A registrant under a public suffix of two
labels (co.uk) whose own SPF and DKIM pass does not pass DMARC for another
registrant's From address there (the Public Suffix List decides what an
organization is)."""
import base64
import imaplib
import os
import pathlib
import shutil
import signal
import smtplib
import subprocess
import tempfile
import uuid

import dkim
import pytest

from conftest import Appliance, free_port, wait_for
from mailbox_access import ctl, port, set_password, tls_context
from test_dkim import PASSWORD

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (keyd administration)")


def rsa_key(root):
    key = root / "dkim.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                    "-out", str(key)], check=True, capture_output=True)
    der = subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout", "-outform", "DER"],
                         check=True, capture_output=True).stdout
    return key.read_bytes(), base64.b64encode(der).decode()


def txt(name, value):
    """One TXT record of strings of at most 255 octets (no quotes: on the command
    line dnsmasq would keep them as part of the text)."""
    assert "," not in value
    strings = ",".join(value[i:i + 255] for i in range(0, len(value), 255))
    return f"--txt-record={name},{strings}"


def start_dnsmasq(root, dns_port, public_key):
    records = [
        txt("sender.example", "v=spf1 ip4:127.0.0.1 -all"),
        txt("_dmarc.sender.example", "v=DMARC1; p=reject"),
        txt("sel._domainkey.sender.example", f"v=DKIM1; k=rsa; p={public_key}"),
        txt("spoofed.example", "v=spf1 ip4:192.0.2.1 -all"),
        txt("_dmarc.spoofed.example", "v=DMARC1; p=quarantine"),
        txt("bank.co.uk", "v=spf1 ip4:192.0.2.1 -all"),
        txt("_dmarc.bank.co.uk", "v=DMARC1; p=quarantine"),
        txt("attacker.co.uk", "v=spf1 ip4:127.0.0.1 -all"),
        txt("sel._domainkey.attacker.co.uk", f"v=DKIM1; k=rsa; p={public_key}"),
    ]
    proc = subprocess.Popen(
        ["dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts", "--conf-file=/dev/null",
         "--listen-address=127.0.0.1", "--bind-interfaces", f"--port={dns_port}",
         f"--pid-file={root / 'dnsmasq.pid'}", "--local=/example/", "--local=/test/", "--local=/uk/", *records],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for(lambda: answers(dns_port), what="dnsmasq answering")
    return proc


def answers(dns_port):
    """Whether dnsmasq answers yet (dnspython comes with python3-dkim)."""
    import dns.resolver
    r = dns.resolver.Resolver(configure=False)
    r.nameservers, r.port, r.lifetime = ["127.0.0.1"], dns_port, 1
    try:
        return any(b"spf1" in b"".join(x.strings) for x in r.resolve("sender.example", "TXT"))
    except Exception:
        return False


@pytest.fixture(scope="module")
def box():
    root = pathlib.Path(tempfile.mkdtemp(prefix="appliance-authres-"))
    os.chmod(root, 0o755)
    private_key, public_key = rsa_key(root)
    dns_port = free_port()
    dnsmasq = start_dnsmasq(root, dns_port, public_key)
    a = Appliance(root / "var")
    try:
        a.configure({"dns": [f"servers = 127.0.0.1:{dns_port}", "timeout = 1000"]})
        ctl(a, "tenants", "add", "acme")
        ctl(a, "domains", "add", "example.test", "--tenant", "acme")
        ctl(a, "accounts", "add", "alice@example.test")
        set_password(a, PASSWORD)
        a.private_key = private_key
        yield a
    finally:
        if a.proc and a.proc.poll() is None:
            a.stop()
        dnsmasq.send_signal(signal.SIGTERM)
        dnsmasq.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def fetch(box, subject, mailbox="INBOX"):
    """The newest message in `mailbox` with that subject; None when there is none."""
    c = imaplib.IMAP4_SSL("127.0.0.1", port(box, "imaps"), ssl_context=tls_context(), timeout=20)
    try:
        c.login("alice@example.test", PASSWORD)
        typ, _ = c.select(mailbox)
        if typ != "OK":
            return None
        typ, data = c.search(None, "SUBJECT", f'"{subject}"')
        assert typ == "OK"
        if not data[0]:
            return None
        typ, data = c.fetch(data[0].split()[-1], "(BODY.PEEK[])")
        assert typ == "OK"
        return data[0][1]
    finally:
        c.logout()


def send(box, sender, message):
    with smtplib.SMTP("127.0.0.1", port(box, "smtp"), local_hostname="client.example") as s:
        assert s.sendmail(sender, ["alice@example.test"], message) == {}


def results(message):
    """The Authentication-Results field on top, unfolded."""
    head = message.split(b"\r\n\r\n")[0].decode()
    assert head.startswith("Authentication-Results: mail.example.test;"), head[:300]
    field = head.split("\r\nReceived: ")[0]
    return " ".join(field.replace("\r\n\t", " ").split())


def signed(box, subject, body, sender="Bob <bob@sender.example>", domain="sender.example"):
    text = (f"From: {sender}\r\nTo: alice@example.test\r\nSubject: {subject}\r\n"
            f"Message-ID: <{uuid.uuid4()}@{domain}>\r\n\r\n{body}").encode()
    signature = dkim.sign(text, b"sel", domain.encode(), box.private_key,
                          canonicalize=(b"relaxed", b"simple"),
                          include_headers=[b"from", b"to", b"subject", b"message-id"])
    return signature + text


def test_signed_mail_from_a_listed_address_passes_all_three(box):
    subject = f"inbound {uuid.uuid4()}"
    send(box, "bob@sender.example", signed(box, subject, "Hello Alice,\r\n\r\nBob.\r\n"))
    r = results(fetch(box, subject))
    assert "dkim=pass header.d=sender.example header.s=sel header.a=rsa-sha256" in r, r
    assert "spf=pass smtp.mailfrom=bob@sender.example" in r, r
    assert "dmarc=pass (p=reject) header.from=sender.example" in r, r


def test_spoofed_sender_fails_spf_and_dmarc(box):
    subject = f"spoofed {uuid.uuid4()}"
    text = ("Authentication-Results: mail.example.test; dmarc=pass header.from=spoofed.example\r\n"
            f"From: ceo@spoofed.example\r\nTo: alice@example.test\r\nSubject: {subject}\r\n\r\n"
            "Please wire the money.\r\n")
    send(box, "ceo@spoofed.example", text)
    assert fetch(box, subject) is None, "p=quarantine: not in INBOX"
    message = fetch(box, subject, "Junk")
    assert message.count(b"Authentication-Results: mail.example.test;") == 1  # the forged one went
    r = results(message)
    assert "dkim=none" in r and "spf=fail smtp.mailfrom=ceo@spoofed.example" in r, r
    assert "dmarc=fail (p=quarantine) header.from=spoofed.example" in r, r


def test_changed_body_fails_dkim_but_spf_still_aligns(box):
    subject = f"changed {uuid.uuid4()}"
    message = signed(box, subject, "Pay 10 EUR.\r\n").replace(b"10 EUR", b"9999 EUR")
    send(box, "bob@sender.example", message)
    r = results(fetch(box, subject))
    assert 'dkim=fail reason="body hash did not verify" header.d=sender.example' in r, r
    assert "dmarc=pass (p=reject)" in r, r


def test_another_registrant_under_the_same_public_suffix_does_not_align(box):
    subject = f"co.uk {uuid.uuid4()}"
    message = signed(box, subject, "Please wire the money.\r\n", sender="ceo@bank.co.uk",
                     domain="attacker.co.uk")
    send(box, "bob@attacker.co.uk", message)
    r = results(fetch(box, subject, "Junk"))
    assert "dkim=pass header.d=attacker.co.uk" in r, r
    assert "spf=pass smtp.mailfrom=bob@attacker.co.uk" in r, r
    assert "dmarc=fail (p=quarantine) header.from=bank.co.uk" in r, r


def test_failing_mail_of_a_reject_domain_is_refused(box):
    subject = f"reject {uuid.uuid4()}"
    text = (f"From: Bob <bob@sender.example>\r\nTo: alice@example.test\r\nSubject: {subject}\r\n"
            "\r\nNew bank details.\r\n")
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(box, "bob@elsewhere.example", text)
    assert refused.value.smtp_code == 550, refused.value
    assert refused.value.smtp_error.startswith(b"5.7.26 Unauthenticated mail from sender.example"), \
        refused.value
    assert fetch(box, subject) is None and fetch(box, subject, "Junk") is None
