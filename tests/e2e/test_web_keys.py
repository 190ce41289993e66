"""Keys and certificates through the admin API, end to end: a real appliance,
its keys in SoftHSM behind keyd, webd asking keyd with its "manage" right.
An appliance admin makes a TLS key version, downloads its CSR, has it
signed by a test CA with `openssl x509 -req`, uploads the chain and sees
its expiry in the list; a certificate of another key is refused with 400;
a DKIM key is made and its record shown; an auditor is refused every
change."""
import http.client
import json
import os
import subprocess

import pytest

from mailbox_access import port, tls_context
from test_web_admin import admin, box  # noqa: F401 (the fixture)
from test_web_api import HOST, Browser

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (service users, keyd)")


def raw(b, method, path, body):
    """A call whose answer is not JSON (the CSR)."""
    c = http.client.HTTPSConnection("127.0.0.1", port(b.box, "web"), timeout=30,
                                    context=tls_context())
    c.request(method, path, body=json.dumps(body),
              headers={"Host": HOST, "Origin": f"https://{HOST}", "Content-Type":
                       "application/json", "Cookie": f"__Host-session={b.cookie}",
                       "X-CSRF-Token": b.csrf})
    r = c.getresponse()
    return r, r.read().decode()


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def test_a_tls_key_gets_a_csr_and_a_ca_signed_chain(box, tmp_path):  # noqa: F811
    b = admin(box)
    r, made = b.call("POST", "/api/v1/admin/keys", {"family": "tls/www.example.test",
                                                   "algorithm": "ec-p256"})
    assert r.status == 201, made
    name = made["name"]
    assert name == "tls/www.example.test/v1"
    enc = name.replace("/", "%2F")
    r, csr = raw(b, "POST", f"/api/v1/admin/keys/{enc}/csr",
                 {"dns_names": ["www.example.test", "web.example.test"]})
    assert r.status == 200, csr
    assert r.getheader("Content-Type") == "application/pkcs10"
    assert csr.startswith("-----BEGIN CERTIFICATE REQUEST-----")
    (tmp_path / "key.csr").write_text(csr)
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "ca.key", "-out", "ca.pem", "-days", "30", "-subj", "/CN=Test CA",
            cwd=tmp_path)
    openssl("x509", "-req", "-in", "key.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "47", "-out", "leaf.pem", "-copy_extensions", "copy",
            cwd=tmp_path)
    chain = (tmp_path / "leaf.pem").read_text() + (tmp_path / "ca.pem").read_text()

    # The CA's own certificate is not for this key.
    r, refused = b.call("PUT", f"/api/v1/admin/keys/{enc}/certificate",
                        {"chain": (tmp_path / "ca.pem").read_text()})
    assert r.status == 400 and refused["error"]["code"] == "certificate_mismatch", refused
    r, refused = b.call("PUT", f"/api/v1/admin/keys/{enc}/certificate", {"chain": "hello"})
    assert r.status == 400, refused

    r, done = b.call("PUT", f"/api/v1/admin/keys/{enc}/certificate", {"chain": chain})
    assert r.status == 200, done
    r, listed = b.call("GET", "/api/v1/admin/keys")
    assert r.status == 200
    mine = [k for k in listed["keys"] if k["name"] == name][0]
    assert mine["active"] and mine["certificate"]["issuer"] == "CN=Test CA"
    assert mine["certificate"]["dns_names"] == ["www.example.test", "web.example.test"]
    assert mine["certificate"]["not_after"].endswith("Z")
    assert not [k for k in listed["keys"] if not k["name"].startswith(("tls/", "dkim/"))]

    # A rotation: the new version is active, the old one still listed; then retired.
    r, rotated = b.call("POST", "/api/v1/admin/keys", {"family": "tls/www.example.test"})
    assert r.status == 201 and rotated["name"] == "tls/www.example.test/v2", rotated
    r, listed = b.call("GET", "/api/v1/admin/keys")
    active = {k["name"]: k["active"] for k in listed["keys"] if k["family"] == "tls/www.example.test"}
    assert active == {name: False, "tls/www.example.test/v2": True}
    r, retired = b.call("POST", f"/api/v1/admin/keys/{enc}/retire")
    assert r.status == 200 and retired["retired"], retired

    r, events = b.call("GET", "/api/v1/admin/events")
    actions = {(e["action"], e["actor"]) for e in events["events"] if e["target"] == name}
    assert ("key.set_certificate", "root@example.test") in actions
    assert ("key.rotate", "root@example.test") in actions
    assert ("key.retire", "root@example.test") in actions


def test_a_dkim_key_is_made_and_its_record_shown(box):  # noqa: F811
    b = admin(box)
    r, made = b.call("POST", "/api/v1/admin/dkim", {"domain": "example.test",
                                                   "algorithm": "ed25519"})
    assert r.status == 201, made
    assert made["line"].startswith(made["name"] + " IN TXT \"v=DKIM1; k=ed25519; p=")
    r, records = b.call("GET", "/api/v1/admin/dkim/example.test")
    assert r.status == 200
    mine = [x for x in records["records"] if x["key"] == made["key"]][0]
    assert mine["signs"] and mine["line"] == made["line"]
    r, refused = b.call("POST", "/api/v1/admin/dkim", {"domain": "nowhere.test"})
    assert r.status == 400, refused


def test_an_auditor_reads_keys_and_changes_none(box):  # noqa: F811
    b = admin(box)
    r, made = b.call("POST", "/api/v1/me/api-keys", {"name": "audit", "grants": ["auditor"]})
    assert r.status == 201, made
    key = Browser(box)
    auth = {"Authorization": "Bearer " + made["key"]}
    r, listed = key.call("GET", "/api/v1/admin/keys", origin=None, headers=auth)
    assert r.status == 200 and listed["keys"]
    for method, path, body in [
            ("POST", "/api/v1/admin/keys", {"family": "tls/mail.example.test"}),
            ("POST", "/api/v1/admin/keys/tls%2Fmail.example.test%2Fv1/csr", {}),
            ("PUT", "/api/v1/admin/keys/tls%2Fmail.example.test%2Fv1/certificate",
             {"chain": "x"}),
            ("POST", "/api/v1/admin/keys/tls%2Fmail.example.test%2Fv1/retire", None),
            ("POST", "/api/v1/admin/dkim", {"domain": "example.test"})]:
        r, refused = key.call(method, path, body, origin=None, headers=auth)
        assert r.status == 403, (path, refused)


def test_keyd_logged_each_change_with_webd_as_the_caller(box):  # noqa: F811
    assert box.stop() == 0  # the last test of this module: keyd's log is read on exit
    lines = box.output.decode(errors="replace").splitlines()
    for event in ("security: key generated", "security: certificate request made",
                  "security: certificate installed", "security: key retired"):
        mine = [line for line in lines if event in line and "www.example.test" in line]
        assert mine and all("webd" in line for line in mine), (event, mine)
