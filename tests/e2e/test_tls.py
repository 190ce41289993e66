"""TLS through keyd: tls_probe serves the appliance's TLS policy with keys
that stay in a real keyd (SoftHSM), and `openssl s_client` checks it: TLS 1.3
and 1.2 with P-256 and RSA-2048 keys, refusal of TLS 1.1 and of suites that
are not forward secret, one certificate per SNI name, a rotated key served
without a restart, and keyd's per-uid authorisation of the serving process.

One appliance serves the whole module (starting one and generating RSA keys
in SoftHSM is most of the time). Each test uses key families of its own."""
import base64
import hashlib
import os
import pathlib
import re
import selectors
import shutil
import signal
import ssl
import subprocess
import tempfile

import pytest

from conftest import Appliance, binary, wait_for

MAIL = "mail.example.test"   # P-256
IMAP = "imap.example.test"   # P-256, for SNI
RSA = "rsa.example.test"     # RSA-2048


@pytest.fixture(scope="module")
def box():
    """A running appliance with tls keys for MAIL (made by keyd at the first
    start: the configured host name), IMAP and RSA (as conftest's `appliance`,
    but once per module)."""
    root = pathlib.Path(tempfile.mkdtemp(prefix="appliance-tls-"))
    os.chmod(root, 0o755)  # the service users must reach keyd's socket
    a = Appliance(root / "var").start()
    try:
        a.wait_ready()
        for host, algorithm in ((IMAP, "ec-p256"), (RSA, "rsa-2048")):
            ctl(a, "keys", "generate", f"tls/{host}/v1", "--algorithm", algorithm)
        yield a
    finally:
        if a.proc and a.proc.poll() is None:
            a.stop()
        shutil.rmtree(root, ignore_errors=True)


def ctl(appliance, *args):
    r = subprocess.run([binary("appliancectl"), "--home", str(appliance.home), *args],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, f"appliancectl {' '.join(args)}: {r.stderr}"
    return r.stdout


def exported_chain(appliance, host, tmp_path):
    """The certificate chain keyd holds for host, as a CA file for s_client."""
    path = tmp_path / f"{host}.pem"
    path.write_text(ctl(appliance, "keys", "export-public", f"tls/{host}", "--certificate"))
    return path


def der_of(pem_text, kind):
    m = re.search(rf"-----BEGIN {kind}-----(.*?)-----END {kind}-----", pem_text, re.S)
    assert m, f"no {kind} in:\n{pem_text}"
    return base64.b64decode("".join(m.group(1).split()))


def fingerprint(der):
    return hashlib.sha256(der).hexdigest()


class Probe:
    """tls_probe, started and stopped by the test; its stderr goes to a file."""

    def __init__(self, args, user=None, cwd=None):
        self.log = tempfile.NamedTemporaryFile(prefix="tls_probe-", suffix=".log", delete=False)
        cmd = [binary("tls_probe"), *args, "--listen", "127.0.0.1:0", "--threads", "2"]
        if user:
            cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *cmd]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log, text=True,
                                     cwd=cwd)
        self.port = None

    def wait_listening(self, timeout=30):
        """The port, or None if tls_probe exited first."""
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout):
            raise AssertionError(f"tls_probe printed nothing in {timeout}s: {self.errors()}")
        line = self.proc.stdout.readline()
        m = re.match(r"listening 127\.0\.0\.1:(\d+)$", line.strip())
        self.port = int(m.group(1)) if m else None
        return self.port

    def errors(self):
        return pathlib.Path(self.log.name).read_text(errors="replace")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        out, _ = self.proc.communicate(timeout=20)
        return self.proc.returncode, out

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self.log.close()
        os.unlink(self.log.name)


@pytest.fixture
def probe():
    started = []

    def start(*args, user=None):
        p = Probe(list(args), user=user)
        started.append(p)
        return p

    yield start
    for p in started:
        p.kill()


def serve(box, probe, *hosts, user=None, refresh="2"):
    args = ["--keyd-socket", str(box.home / "run" / "keyd.sock"), "--refresh", refresh]
    for h in hosts:
        args += ["--host", h]
    p = probe(*args, user=user)
    assert p.wait_listening(), f"tls_probe did not start: {p.errors()}"
    return p


def s_client(port, servername, cafile, *extra):
    r = subprocess.run(
        ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", servername,
         "-verify_return_error", "-CAfile", str(cafile), "-ign_eof", *extra],
        input="", capture_output=True, text=True, timeout=30)
    return r.returncode, r.stdout + r.stderr


def handshake_ok(port, host, cafile, *extra):
    rc, out = s_client(port, host, cafile, *extra)
    assert rc == 0, out
    assert "Verify return code: 0 (ok)" in out, out
    assert f"hello from {host}" in out, out
    m = re.search(r"New, (TLSv1\.\d), Cipher is (\S+)", out)
    assert m, out
    sigtype = re.search(r"Peer signature type: (\S+)", out)
    return {"version": m.group(1), "cipher": m.group(2),
            "signature": sigtype.group(1) if sigtype else None,
            "certificate": fingerprint(der_of(out, "CERTIFICATE")), "output": out}


def test_p256_tls13_and_tls12(box, probe, tmp_path):
    ca = exported_chain(box, MAIL, tmp_path)
    p = serve(box, probe, MAIL)
    t13 = handshake_ok(p.port, MAIL, ca, "-tls1_3")
    assert (t13["version"], t13["signature"]) == ("TLSv1.3", "ECDSA")
    t12 = handshake_ok(p.port, MAIL, ca, "-tls1_2")
    assert t12["version"] == "TLSv1.2" and t12["signature"] == "ECDSA"
    assert t12["cipher"].startswith("ECDHE-ECDSA-") and "GCM" in t12["cipher"], t12["cipher"]
    assert t13["certificate"] == fingerprint(der_of(ca.read_text(), "CERTIFICATE"))


def test_rsa2048_pss_in_tls13_and_ecdhe_rsa_in_tls12(box, probe, tmp_path):
    ca = exported_chain(box, RSA, tmp_path)
    p = serve(box, probe, RSA)
    t13 = handshake_ok(p.port, RSA, ca, "-tls1_3")
    assert (t13["version"], t13["signature"]) == ("TLSv1.3", "RSA-PSS")
    t12 = handshake_ok(p.port, RSA, ca, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256")
    assert (t12["version"], t12["cipher"]) == ("TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256")
    pkcs1 = handshake_ok(p.port, RSA, ca, "-tls1_2", "-sigalgs", "RSA+SHA256")
    assert pkcs1["signature"] == "RSA" and pkcs1["cipher"].startswith("ECDHE-RSA-"), pkcs1


def test_tls11_and_suites_without_forward_secrecy_are_refused(box, probe, tmp_path):
    ca = exported_chain(box, RSA, tmp_path)
    p = serve(box, probe, RSA)
    # @SECLEVEL=0: OpenSSL 3's client would not even offer TLS 1.1 otherwise,
    # and the refusal must come from the server.
    rc, out = s_client(p.port, RSA, ca, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0")
    assert rc != 0 and "hello from" not in out, out
    assert "alert protocol version" in out, out
    for suite in ("AES128-SHA256", "AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA256"):
        rc, out = s_client(p.port, RSA, ca, "-tls1_2", "-cipher", suite)
        assert rc != 0 and "hello from" not in out, f"{suite} was accepted:\n{out}"
        assert "handshake failure" in out, out
    assert "no shared cipher" in p.errors() and "unsupported protocol" in p.errors(), p.errors()


def test_each_sni_name_gets_its_own_certificate(box, probe, tmp_path):
    cas = {h: exported_chain(box, h, tmp_path) for h in (MAIL, IMAP)}
    p = serve(box, probe, MAIL, IMAP)
    seen = {}
    for host in (MAIL, IMAP):
        got = handshake_ok(p.port, host, cas[host], "-tls1_3")
        assert got["certificate"] == fingerprint(der_of(cas[host].read_text(), "CERTIFICATE"))
        seen[host] = got["certificate"]
    assert seen[MAIL] != seen[IMAP]
    # No SNI: the first hostname's certificate.
    r = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{p.port}", "-noservername",
                        "-ign_eof"], input="", capture_output=True, text=True, timeout=30)
    assert fingerprint(der_of(r.stdout, "CERTIFICATE")) == seen[MAIL], r.stdout
    assert f"hello from {MAIL}" in r.stdout


def test_rotated_key_serves_without_restart(box, probe, tmp_path):
    host = "rotate.example.test"
    ctl(box, "keys", "generate", f"tls/{host}/v1", "--algorithm", "ec-p256")
    old_ca = exported_chain(box, host, tmp_path)
    p = serve(box, probe, host, refresh="0.5")
    before = handshake_ok(p.port, host, old_ca, "-tls1_3")
    old_key = der_of(ctl(box, "keys", "export-public", f"tls/{host}"), "PUBLIC KEY")

    ctl(box, "keys", "rotate", f"tls/{host}")
    new_ca = tmp_path / "new.pem"
    new_ca.write_text(ctl(box, "keys", "export-public", f"tls/{host}", "--certificate"))
    new_key = der_of(ctl(box, "keys", "export-public", f"tls/{host}"), "PUBLIC KEY")
    assert new_key != old_key
    new_cert = fingerprint(der_of(new_ca.read_text(), "CERTIFICATE"))
    assert new_cert != before["certificate"]

    # No timing assertion: tls_probe polls keyd; wait until the new key serves.
    def serves_new():
        rc, out = s_client(p.port, host, new_ca, "-tls1_3")
        return rc == 0 and fingerprint(der_of(out, "CERTIFICATE")) == new_cert and out
    out = wait_for(serves_new, timeout=30, interval=0.2, what="the rotated key in service")
    served = subprocess.run(["openssl", "x509", "-noout", "-pubkey"], input=out,
                            capture_output=True, text=True, timeout=10).stdout
    assert der_of(served, "PUBLIC KEY") == new_key
    assert p.proc.poll() is None, "tls_probe restarted"
    assert "tls/rotate.example.test/v2" in p.errors()  # its log names the version it serves
    rc, _ = p.stop()
    assert rc == 0


def test_runs_as_smtpd(box, probe, tmp_path):
    ca = exported_chain(box, MAIL, tmp_path)
    p = serve(box, probe, MAIL, user="appliance-smtpd")
    assert handshake_ok(p.port, MAIL, ca, "-tls1_3")["signature"] == "ECDSA"
    rc, out = p.stop()
    assert rc == 0 and "handshakes=1 failed=0" in out, out


def test_refused_for_a_user_keyd_does_not_know(box, probe):
    p = probe("--keyd-socket", str(box.home / "run" / "keyd.sock"), "--host", MAIL,
              user="appliance-test")
    assert p.wait_listening() is None
    assert p.proc.wait(timeout=30) == 1
    assert re.search(r"tls/mail\.example\.test: permission denied: uid \d+ may not read the "
                     r"public key", p.errors()), p.errors()
