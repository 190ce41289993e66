"""keyd end to end: access by uid, many clients at once, a crash under load,
rotation and retirement, malformed requests, and key administration errors."""
import hashlib
import os
import re
import signal
import socket
import subprocess
import time

import pytest

from conftest import binary, wait_for

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to switch users")


def ctl(appliance, *args, check=True):
    r = subprocess.run([binary("appliancectl"), "--home", str(appliance.home), *args],
                       capture_output=True, text=True, timeout=60)
    if check:
        assert r.returncode == 0, r.stdout + r.stderr
    return r


def request(appliance, *args, user=None, check=True):
    cmd = [binary("keyd_request"), str(appliance.home / "run" / "keyd.sock"), *args]
    if user:
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"] + cmd
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if check:
        assert r.returncode == 0, r.stdout + r.stderr
    return r


def keyd_pid(appliance):
    """keyd's pid once it has one (never 0: kill(0) would hit our own group)."""
    def pid():
        m = re.search(r"^keyd\s+\S+\s+(\d+)", appliance.status().stdout, re.M)
        return int(m.group(1)) if m and int(m.group(1)) > 0 else None
    return wait_for(pid, what="keyd's pid")


@pytest.fixture
def running(appliance):
    appliance.start()
    appliance.wait_ready()
    ctl(appliance, "keys", "generate", "dkim/example.test/s1", "--algorithm", "rsa-2048")
    yield appliance
    assert appliance.stop() == 0


DIGEST = hashlib.sha256(b"message").hexdigest()


def test_access_is_by_uid(running):
    ok = request(running, "sign", "tls/mail.example.test", DIGEST, user="appliance-imapd")
    assert ok.stdout.startswith("tls/mail.example.test/v1 30")  # a DER signature
    denied = request(running, "sign", "dkim/example.test/s1", DIGEST, user="appliance-imapd",
                     check=False)
    assert denied.returncode == 1
    assert "permission denied: imapd may not sign with dkim/example.test/s1" in denied.stderr
    stranger = request(running, "sign", "tls/mail.example.test", DIGEST, user="appliance-test",
                       check=False)
    assert "permission denied: uid" in stranger.stderr
    # webd manages tls and dkim keys only; import and delete are root's alone.
    def as_webd(*args):
        return subprocess.run(["setpriv", "--reuid=appliance-webd", "--regid=appliance-webd",
                               "--clear-groups", binary("appliancectl"), "--home",
                               str(running.home), "keys", *args],
                              capture_output=True, text=True, timeout=30)
    listed = as_webd("list")
    assert listed.returncode == 0, listed.stderr
    assert "tls/mail.example.test/v1" in listed.stdout and "secret/" not in listed.stdout
    admin = as_webd("delete", "tls/mail.example.test/v1")
    assert admin.returncode == 1 and "permission denied: webd may not administer keys" \
        in admin.stderr
    other = as_webd("rotate", "secret/api-pepper")
    assert other.returncode == 1 and "permission denied: webd may not manage with secret/" \
        in other.stderr
    assert running.proc.poll() is None
    running.stop()
    assert "security: key request denied" in running.output.decode()


def test_signature_verifies_with_exported_public_key(running, tmp_path):
    sig = request(running, "sign", "tls/mail.example.test", DIGEST).stdout.split()[1]
    pub = tmp_path / "pub.pem"
    pub.write_text(ctl(running, "keys", "export-public", "tls/mail.example.test").stdout)
    (tmp_path / "sig").write_bytes(bytes.fromhex(sig))
    (tmp_path / "msg").write_bytes(b"message")
    v = subprocess.run(["openssl", "dgst", "-sha256", "-verify", str(pub), "-signature",
                        str(tmp_path / "sig"), str(tmp_path / "msg")], capture_output=True,
                       text=True)
    assert v.returncode == 0 and "Verified OK" in v.stdout


def test_many_threads_two_processes_and_a_crash(running):
    load = [binary("keyd_load"), "--keyd-socket", str(running.home / "run" / "keyd.sock"),
            "--key", "tls/mail.example.test", "--op", "sign", "--threads", "4", "--seconds", "6"]
    # One process with threads that wait for their replies, one with async calls.
    procs = [subprocess.Popen(load + ["--mode", mode], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for mode in ("threads", "async")]
    time.sleep(2.0)
    old = keyd_pid(running)
    os.kill(old, signal.SIGKILL)  # keyd dies mid-load; the supervisor restarts it
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, out + err
        ops = int(re.search(r"ops=(\d+)", out).group(1))
        assert "errors=0" in out and ops > 100, out + err
    wait_for(lambda: keyd_pid(running) != old, what="a new keyd")


def test_rotation_keeps_old_sealed_data(running):
    key, sealed = request(running, "seal", "seal/totp", "seed-one", "user:1").stdout.split()
    assert key == "seal/totp/v1"
    ctl(running, "keys", "rotate", "seal/totp")
    key2, sealed2 = request(running, "seal", "seal/totp", "seed-two", "user:2").stdout.split()
    assert key2 == "seal/totp/v2"
    assert request(running, "unseal", key, sealed, "user:1").stdout == "seed-one\n"
    ctl(running, "keys", "retire", "seal/totp/v1")
    assert request(running, "unseal", key, sealed, "user:1").stdout == "seed-one\n"
    wrong_aad = request(running, "unseal", key, sealed, "user:2", check=False)
    assert wrong_aad.returncode == 1 and "authentication failed" in wrong_aad.stderr
    refused = request(running, "seal", "seal/totp/v1", "x", "y", check=False)
    assert "key seal/totp/v1 is retired" in refused.stderr
    listing = ctl(running, "keys", "list").stdout
    assert re.search(r"^seal/totp/v1\s+aes-256\s+\S+\s+\d{4}-\d\d-\d\d", listing, re.M), listing


def test_rotated_tls_key_serves_new_signatures(running):
    before = request(running, "sign", "tls/mail.example.test", DIGEST).stdout.split()[0]
    ctl(running, "keys", "rotate", "tls/mail.example.test")
    after = request(running, "sign", "tls/mail.example.test", DIGEST).stdout.split()[0]
    assert (before, after) == ("tls/mail.example.test/v1", "tls/mail.example.test/v2")
    in_use = ctl(running, "keys", "delete", "tls/mail.example.test/v2", check=False)
    assert in_use.returncode == 1 and "key in use" in in_use.stderr
    ctl(running, "keys", "delete", "tls/mail.example.test/v1")


def test_key_changes_are_security_events(running):
    """Every change made through appliancectl is in the hash-chained event log."""
    ctl(running, "keys", "rotate", "seal/totp")
    ctl(running, "keys", "retire", "seal/totp/v1")
    ctl(running, "keys", "delete", "seal/totp/v1")
    events = ctl(running, "audit", "list").stdout
    for action, target in (("key.generate", "dkim/example.test/s1"),
                           ("key.rotate", "seal/totp/v2"),
                           ("key.retire", "seal/totp/v1"),
                           ("key.delete", "seal/totp/v1")):
        assert re.search(rf"appliancectl\s+{re.escape(action)}\s+{re.escape(target)}\b", events), \
            events
    assert '"algorithm":"rsa-2048"' in events, events
    ctl(running, "audit", "verify")


def test_malformed_requests_do_not_hurt_keyd(running):
    pid = keyd_pid(running)
    path = str(running.home / "run" / "keyd.sock")
    frames = [b"\xff\xff\xff\xff", b"\x00\x00\x00\x02ab", b"\x00\x00\x00\x04\x00\x09\x00\x64",
              b"\x00\x00\x00\x09\x00\x01\x00\x64\x00\x00\x00\x10x",  # truncated key_sign
              b"\x00\x00\x00\x06\x00\x01\x00\x64\x00\x00", os.urandom(64)]
    for frame in frames:
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(5)
            s.connect(path)
            s.sendall(frame)
            s.shutdown(socket.SHUT_WR)
            s.recv(4096)  # an error frame, or the close
    assert keyd_pid(running) == pid
    request(running, "sign", "tls/mail.example.test", DIGEST)


def test_admin_errors_are_precise(running, tmp_path):
    bad = ctl(running, "keys", "generate", "mail/x/v1", "--algorithm", "ec-p256", check=False)
    assert "unknown purpose \"mail\"" in bad.stderr
    pem = tmp_path / "bad.pem"
    pem.write_text("-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n")
    bad = ctl(running, "keys", "import", "tls/other.test/v1", str(pem), check=False)
    assert bad.returncode == 1 and "bad PEM" in bad.stderr
    key = tmp_path / "k.pem"
    p12 = tmp_path / "k.p12"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", str(key), "-out",
                    str(tmp_path / "c.pem"), "-subj", "/CN=other.test", "-days", "2"],
                   check=True, capture_output=True)
    subprocess.run(["openssl", "pkcs12", "-export", "-inkey", str(key), "-in",
                    str(tmp_path / "c.pem"), "-out", str(p12), "-passout", "pass:right"],
                   check=True, capture_output=True)
    (tmp_path / "wrong").write_text("wrong\n")
    (tmp_path / "right").write_text("right\n")
    bad = ctl(running, "keys", "import", "tls/other.test/v1", str(p12), "--format", "pkcs12",
              "--password-file", str(tmp_path / "wrong"), check=False)
    assert "PKCS#12: wrong password" in bad.stderr
    good = ctl(running, "keys", "import", "tls/other.test/v1", str(p12), "--format", "pkcs12",
               "--password-file", str(tmp_path / "right"))
    assert re.search(r"^tls/other.test/v1\s+ec-p256.*yes$", good.stdout, re.M), good.stdout
    assert "right" not in running.home.joinpath("token", "keyd", "state.json").read_text()


DEFAULT_KEYS = {"tls/mail.example.test/v1": "ec-p256", "wrap/mail/v1": "aes-256",
                "secret/password-pepper/v1": "hmac-sha256", "secret/api-pepper/v1": "hmac-sha256",
                "seal/totp/v1": "aes-256"}


def test_default_keys_are_made_once_at_the_first_start(appliance):
    appliance.start()
    appliance.wait_ready()
    listed = ctl(appliance, "keys", "list").stdout
    for name, algorithm in DEFAULT_KEYS.items():
        assert re.search(rf"^{re.escape(name)}\s+{algorithm}\s", listed, re.M), listed
    # The host's TLS key serves at once, with a self-signed certificate.
    assert "BEGIN CERTIFICATE" in ctl(appliance, "keys", "export-public", "tls/mail.example.test",
                                      "--certificate").stdout
    # A family with versions, even only retired ones, is the operator's: a
    # restart makes nothing new.
    ctl(appliance, "keys", "retire", "seal/totp/v1")
    assert appliance.stop() == 0
    appliance.start()
    appliance.wait_ready()
    again = ctl(appliance, "keys", "list").stdout
    assert len(re.findall(r"^\S+/v\d+\s", again, re.M)) == len(DEFAULT_KEYS), again
    assert appliance.stop() == 0
