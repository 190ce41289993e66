"""deliverd's outbound TLS policy against real peers (tls_peers.py): one appliance
(a.test) whose deliverd asks the test's DNS server (AD bit set for the "signed"
zones) and delivers to SMTP servers with STARTTLS on their own loopback addresses,
with certificates from a test CA that [deliverd] tls_ca_file names.

One message for eleven domains, each a case:
  dane.test      signed, TLSA 3 1 1 of its (self-signed) certificate: delivered, dane
  danebad.test   signed, TLSA 3 1 1 of another key: pending, 451 4.7.5, nothing sent
  daneta.test    signed, TLSA 2 0 1 of the CA, a certificate naming the MX: delivered, dane
  danetaname.test  the same CA, a certificate for another name: pending (RFC 7672 3.2.2)
  danetanexthop.test  the same CA, a certificate naming the domain, not its MX: delivered,
                 dane (the next-hop domain is DANE-TA's second name, 3.2.2)
  danecname.test  signed, its MX host an alias of mx.host.provider.test (signed), whose
                 TLSA 2 0 1 and certificate name only the expanded name: delivered, dane
                 (the TLSA base domain is the CNAME expansion, RFC 7672 2.2.3)
  servfail.test  signed, its TLSA lookup fails: pending, never plain or unchecked
  sts.test       MTA-STS enforce, certificate valid for its MX: delivered, mta-sts
  stsbad.test    MTA-STS enforce, certificate for another name: pending, 451 4.7.5
  ststesting.test  MTA-STS testing, certificate for another name: delivered, failure recorded
  plain.test     no policy: opportunistic as before
The delay notice (delay_notice = 1 second) names each pending recipient's policy."""
import os
import pathlib
import re
import shutil
import socket
import tempfile
import uuid

import pytest

from conftest import free_port, wait_for
from tls_peers import DnsServer, PolicyServer, SmtpServer, CertAuthority, spki_sha256
from two_boxes import Box, ctl, deliver_to, inbox, provision, submit

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (keyd administration)")

HOSTS = {"dane": "127.0.0.2", "danebad": "127.0.0.3", "servfail": "127.0.0.4",
         "sts": "127.0.0.5", "stsbad": "127.0.0.6", "plain": "127.0.0.7",
         "daneta": "127.0.0.9", "danetaname": "127.0.0.10", "ststesting": "127.0.0.11",
         "danetanexthop": "127.0.0.12", "danecname": "127.0.0.13"}
POLICY_HOST = "127.0.0.8"


def common_port():
    """A port free on every address the peers use."""
    while True:
        p = free_port()
        try:
            for address in list(HOSTS.values()) + [POLICY_HOST]:
                with socket.socket() as s:
                    s.bind((address, p))
            return p
        except OSError:
            continue


def sts_policy(mx, mode="enforce"):
    return f"version: STSv1\r\nmode: {mode}\r\nmx: {mx}\r\nmax_age: 86400\r\n"


@pytest.fixture(scope="module")
def world():
    root = pathlib.Path(tempfile.mkdtemp(prefix="appliance-tls-policy-"))
    os.chmod(root, 0o755)
    ca = CertAuthority(root)
    dns = DnsServer(signed={"dane.test", "danebad.test", "servfail.test", "daneta.test",
                            "danetaname.test", "danetanexthop.test", "danecname.test",
                            "provider.test"})
    smtp_port, https_port = common_port(), common_port()
    certs = {
        "dane": ca.leaf("dane", ["unrelated.example"], self_signed=True),  # DANE-EE: no name check
        "danebad": ca.leaf("danebad", ["mx.danebad.test"]),
        "servfail": ca.leaf("servfail", ["mx.servfail.test"]),
        "sts": ca.leaf("sts", ["mx.sts.test"]),
        "stsbad": ca.leaf("stsbad", ["somewhere.else.test"]),
        "plain": ca.leaf("plain", ["mx.plain.test"], self_signed=True),
        "daneta": ca.leaf("daneta", ["mx.daneta.test"], chain=True),
        "danetaname": ca.leaf("danetaname", ["mx.other.test"], chain=True),
        "danetanexthop": ca.leaf("danetanexthop", ["danetanexthop.test"], chain=True),
        "danecname": ca.leaf("danecname", ["mx.host.provider.test"], chain=True),
        "ststesting": ca.leaf("ststesting", ["somewhere.else.test"]),
    }
    for name, address in HOSTS.items():
        dns.mx(f"{name}.test", f"mx.{name}.test")
        dns.a(f"mx.{name}.test" if name != "danecname" else "mx.host.provider.test", address)
    dns.cname("mx.danecname.test", "mx.host.provider.test")
    dns.tlsa("_25._tcp.mx.host.provider.test", 2, 0, 1, ca.sha256())
    dns.tlsa("_25._tcp.mx.dane.test", 3, 1, 1, spki_sha256(certs["dane"][0]))
    dns.tlsa("_25._tcp.mx.danebad.test", 3, 1, 1, b"\x01" * 32)
    dns.tlsa("_25._tcp.mx.servfail.test", 3, 1, 1, b"\x02" * 32)
    for name in ("daneta", "danetaname", "danetanexthop"):
        dns.tlsa(f"_25._tcp.mx.{name}.test", 2, 0, 1, ca.sha256())
    dns.servfail.add(("_25._tcp.mx.servfail.test", 52))
    for name in ("sts", "stsbad", "ststesting"):
        dns.txt(f"_mta-sts.{name}.test", "v=STSv1; id=20261123")
        dns.a(f"mta-sts.{name}.test", POLICY_HOST)
    servers = {n: SmtpServer(HOSTS[n], smtp_port, *certs[n]) for n in HOSTS}
    policy_cert = ca.leaf("policy", ["mta-sts.sts.test", "mta-sts.stsbad.test",
                                     "mta-sts.ststesting.test"])
    policies = PolicyServer(POLICY_HOST, https_port, *policy_cert,
                            {"mta-sts.sts.test": sts_policy("mx.sts.test"),
                             "mta-sts.stsbad.test": sts_policy("mx.stsbad.test"),
                             "mta-sts.ststesting.test": sts_policy("mx.ststesting.test",
                                                                   "testing")})
    a = Box(root / "a")
    try:
        a.up()
        a.stop()

        def settings(text):
            text = deliver_to(dns.port, smtp_port)(text)
            return text.replace("[deliverd]\n", f"[deliverd]\ntls_ca_file = {ca.pem}\n"
                                f"mta_sts_port = {https_port}\ndelay_notice = 1\n", 1)
        a.edit_config(settings)
        a.up()
        provision(a, "a.test", ["alice"])
        yield a, servers, policies
    finally:
        if a.proc and a.proc.poll() is None:
            a.stop()
        for s in servers.values():
            s.stop()
        policies.stop()
        dns.stop()
        shutil.rmtree(root, ignore_errors=True)


def recipients(shown):
    """queue show's recipients: address -> (state, the lines under it)."""
    out = {}
    for block in re.split(r"^recipient: ", shown, flags=re.M)[1:]:
        head, _, rest = block.partition("\n")
        address, state = head.split()
        out[address] = (state, rest)
    return out


def test_each_domain_gets_its_policy(world):
    a, servers, policies = world
    to = [f"user@{name}.test" for name in HOSTS]
    submit(a, to, f"tls policy {uuid.uuid4()}")
    entry = wait_for(lambda: [l.split()[0] for l in ctl(a, "queue", "list").splitlines()[1:]
                              if re.search(r"\s1\s+queued\s+4/11\s", l)],
                     timeout=60, what="the first attempt recorded")[0]
    shown = recipients(ctl(a, "queue", "show", entry))
    tls = r"tls: TLSv1\.[23] [A-Z0-9_-]+ "

    state, lines = shown["user@dane.test"]
    assert state == "delivered" and re.search(tls + r"\(dane\)", lines), lines
    state, lines = shown["user@sts.test"]
    assert state == "delivered" and re.search(tls + r"\(mta-sts\)", lines), lines
    state, lines = shown["user@daneta.test"]
    assert state == "delivered" and re.search(tls + r"\(dane\)", lines), lines
    state, lines = shown["user@danetanexthop.test"]
    assert state == "delivered" and re.search(tls + r"\(dane\)", lines), lines
    state, lines = shown["user@danecname.test"]
    assert state == "delivered" and re.search(tls + r"\(dane\)", lines), lines
    state, lines = shown["user@danetaname.test"]
    assert state == "pending", lines
    assert ("TLS policy dane: certificate does not name mx.danetaname.test or "
            "danetaname.test") in lines, lines
    state, lines = shown["user@ststesting.test"]
    assert state == "delivered", lines
    assert re.search(tls + r"\(mta-sts testing \(failed: certificate not valid for "
                     r"mx\.ststesting\.test: hostname mismatch\)\)", lines), lines
    state, lines = shown["user@plain.test"]
    assert state == "delivered" and re.search(tls + r"\(opportunistic\)", lines), lines

    state, lines = shown["user@danebad.test"]
    assert state == "pending", lines
    assert "last reply: 451 4.7.5 " in lines and "TLS policy dane: no TLSA record matched" in lines
    assert "tls: none (dane)" in lines, lines
    state, lines = shown["user@servfail.test"]
    assert state == "pending" and "TLSA lookup failed" in lines and "(dane)" in lines, lines
    state, lines = shown["user@stsbad.test"]
    assert state == "pending", lines
    assert "451 4.7.5 " in lines and "certificate not valid for mx.stsbad.test" in lines, lines
    assert "tls: none (mta-sts)" in lines, lines

    for name in ("dane", "daneta", "danecname", "sts", "ststesting", "plain"):
        assert [m[0] for m in servers[name].mail] == [[f"user@{name}.test"]]
        assert servers[name].mail[0][1] in ("TLSv1.2", "TLSv1.3")
    for name in ("danebad", "danetaname", "stsbad"):  # TLS refused: nothing after the handshake
        assert servers[name].mail == []
        assert not [c for c in servers[name].commands if c.startswith("MAIL")]
    assert servers["servfail"].commands == []  # not even connected
    assert servers["danecname"].sni == ["mx.host.provider.test"]  # the TLSA base domain
    assert servers["daneta"].sni == ["mx.daneta.test"]
    assert ("mta-sts.sts.test", "/.well-known/mta-sts.txt") in policies.fetches


def test_policy_cached_and_a_refused_host_retried_under_it(world):
    a, servers, policies = world
    fetched = len(policies.fetches)
    before = len(servers["stsbad"].commands)
    assert "due now" in ctl(a, "queue", "retry", "--all")
    wait_for(lambda: len(servers["stsbad"].commands) > before, timeout=30,
             what="the next attempt at mx.stsbad.test")
    entry = ctl(a, "queue", "list").splitlines()[1].split()[0]
    state, lines = recipients(ctl(a, "queue", "show", entry))["user@stsbad.test"]
    assert state == "pending" and "(mta-sts)" in lines, lines
    assert len(policies.fetches) == fetched, "the TXT id is unchanged: the cached policy is used"
    assert servers["stsbad"].mail == []
    # A restarted deliverd reads the policies it had from its own file.
    a.stop()
    a.up()
    before = len(servers["stsbad"].commands)
    ctl(a, "queue", "retry", "--all")
    wait_for(lambda: len(servers["stsbad"].commands) > before, timeout=30,
             what="an attempt at mx.stsbad.test after the restart")
    assert len(policies.fetches) == fetched, "the policy came from the cache file"
    assert servers["stsbad"].mail == []


def test_the_delay_notice_names_the_tls_policy(world):  # after the restart: the INBOX is kept
    a, _, _ = world
    notice = wait_for(lambda: [m for m in inbox(a, "alice@a.test") if b"Action: delayed" in m],
                      timeout=30, what="the delay notice in alice's INBOX")[0]
    assert b"<user@danebad.test>: 451 4.7.5 " in notice, notice[:2000]
    assert b"  TLS policy: dane, no TLS\r\n" in notice
    assert b"  TLS policy: mta-sts, no TLS\r\n" in notice
    assert b"<user@dane.test>:" not in notice  # delivered
