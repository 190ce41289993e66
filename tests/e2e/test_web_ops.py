"""The operations API end to end (docs/web.md): a real appliance whose
deliverd is routed to a closed port, so that submitted mail stays queued.
alice submits a message with smtplib; an appliance admin's API key, with curl,
lists the queue (no body in it), holds the entry, reads /metrics in the
Prometheus text format and the dashboard's status (every daemon ready, the
certificate keyd holds), and deletes the entry; smtpd's counters (the message in,
its STARTTLS handshake, its keyd requests) reach /metrics through its counters file; an auditor's key reads the
queue and is refused every change and /metrics."""
import json
import os
import pathlib
import re
import shutil
import smtplib
import subprocess
import tempfile
import time
import uuid

import pytest

from conftest import Appliance
from conftest import appliancectl_ok as ctl
from mailbox_access import port, tls_context
from test_web_api import HOST, Browser

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (service users, keyd)")

PASSWORD = "correct horse battery staple 7o"


@pytest.fixture(scope="module")
def box():
    root = pathlib.Path(tempfile.mkdtemp(prefix="appliance-ops-"))
    os.chmod(root, 0o755)  # the service users must reach the store and keyd's socket
    a = Appliance(root / "var")
    try:
        yield from configured(a)
    finally:
        if a.proc and a.proc.poll() is None:
            a.stop()
        shutil.rmtree(root, ignore_errors=True)


def configured(a):
    a.configure({"deliverd": ["routes = * = 127.0.0.1:9", "poll = 3600"]})
    ctl(a, "tenants", "add", "a")
    ctl(a, "domains", "add", "a.test", "--tenant", "a")
    for address, role in (("alice@a.test", None), ("root@a.test", "appliance-admin"),
                          ("audit@a.test", "auditor")):
        ctl(a, "accounts", "add", address)
        ctl(a, "accounts", "passwd", address, stdin=PASSWORD + "\n")
        if role:
            ctl(a, "accounts", "role", address, role)
    yield a
    assert a.stop() == 0


def api_key(box, address, grants):
    b = Browser(box)
    r, _ = b.call("POST", "/api/v1/session", {"address": address, "password": PASSWORD})
    assert r.status == 200
    r, _ = b.call("POST", "/api/v1/session/sudo", {"password": PASSWORD})
    assert r.status == 200
    r, made = b.call("POST", "/api/v1/me/api-keys", {"name": "ops", "grants": grants})
    assert r.status == 201, made
    return made["key"]


def curl(box, key, method, path):
    """curl's status, headers and body."""
    r = subprocess.run(
        ["curl", "-sS", "--insecure", "--max-time", "30", "-X", method, "-D", "-",
         "-H", f"Host: {HOST}", "-H", f"Authorization: Bearer {key}",
         f"https://127.0.0.1:{port(box, 'web')}{path}"],
        capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    head, _, body = r.stdout.replace("\r\n", "\n").partition("\n\n")
    status = int(head.split()[1])
    headers = {k.lower(): v.strip() for k, _, v in
               (line.partition(":") for line in head.splitlines()[1:])}
    return status, headers, body


def submit(box):
    with smtplib.SMTP("127.0.0.1", port(box, "submission"), timeout=30) as s:
        s.starttls(context=tls_context())
        s.login("alice@a.test", PASSWORD)
        body = (f"From: alice@a.test\r\nTo: bob@remote.test\r\nSubject: out\r\n"
                f"Message-ID: <{uuid.uuid4()}@a.test>\r\n\r\nThe secret body.\r\n")
        assert s.sendmail("alice@a.test", ["bob@remote.test"], body) == {}


SAMPLE = re.compile(r'[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*\})?'
                    r' (-?[0-9]+(\.[0-9]+)?(e[+-]?[0-9]+)?|NaN|[+-]Inf)')


def exposition(text):
    """The samples of the text format 0.0.4; every line must be one of its three kinds."""
    samples = {}
    for line in text.splitlines():
        if line.startswith("# HELP ") or re.fullmatch(r"# TYPE \S+ (gauge|counter|summary)", line):
            continue
        assert SAMPLE.fullmatch(line), line
        name, _, value = line.rpartition(" ")
        samples[name] = float(value)
    return samples


def test_the_queue_metrics_and_status_over_curl(box):
    submit(box)
    admin = api_key(box, "root@a.test", ["appliance-admin"])
    auditor = api_key(box, "audit@a.test", ["auditor"])

    status, headers, body = curl(box, admin, "GET", "/api/v1/admin/queue")
    assert status == 200, body
    entries = json.loads(body)["entries"]
    assert len(entries) == 1, entries
    entry = entries[0]
    assert entry["sender"] == "alice@a.test" and entry["state"] == "queued"
    assert "secret body" not in body
    status, _, body = curl(box, admin, "GET", f"/api/v1/admin/queue/{entry['id']}")
    assert status == 200 and json.loads(body)["recipients"][0]["address"] == "bob@remote.test"

    status, _, body = curl(box, auditor, "POST", f"/api/v1/admin/queue/{entry['id']}/hold")
    assert status == 403 and json.loads(body)["error"]["code"] == "forbidden"
    status, _, body = curl(box, auditor, "GET", "/metrics")
    assert status == 403
    status, _, body = curl(box, admin, "POST", f"/api/v1/admin/queue/{entry['id']}/hold")
    assert status == 200 and json.loads(body)["state"] == "held", body

    # smtpd's counters are left with its health report, every 5 s.
    for _ in range(20):
        status, headers, body = curl(box, admin, "GET", "/metrics")
        assert status == 200, body
        samples = exposition(body)
        if samples.get('appliance_messages_in_total{daemon="smtpd"}', 0) >= 1:
            break
        time.sleep(1)
    assert headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert samples['appliance_messages_in_total{daemon="smtpd"}'] >= 1, body
    assert samples['appliance_tls_handshakes_total{daemon="smtpd",result="ok"}'] >= 1
    assert samples['appliance_keyd_request_seconds_count{daemon="smtpd"}'] >= 1
    assert samples['appliance_keyd_request_seconds_sum{daemon="smtpd"}'] > 0
    assert samples['appliance_queue_messages{state="held"}'] == 1
    assert samples['appliance_messages_out{window="24h"}'] >= 1
    assert samples['appliance_logins{protocol="smtp",result="ok"}'] >= 1
    assert samples['appliance_daemon_ready{daemon="keyd",state="ready"}'] == 1
    assert any(k.startswith("appliance_certificate_expiry_seconds{") for k in samples), samples

    # The reports are rewritten every 5 s: every daemon is ready within a few.
    for _ in range(30):
        status, _, body = curl(box, auditor, "GET", "/api/v1/admin/status")
        assert status == 200, body
        s = json.loads(body)
        if all(d["ready"] for d in s["daemons"]):
            break
        time.sleep(1)
    names = {d["daemon"] for d in s["daemons"]}
    assert {"keyd", "smtpd", "deliverd", "imapd", "pop3d", "webd"} <= names, s["daemons"]
    assert all(d["ready"] for d in s["daemons"]), s["daemons"]
    assert s["token"]["ready"] is True
    assert s["certificates"] and s["certificates"][0]["not_after"] > time.time(), s
    assert sum(h["out"] for h in s["mail"]) >= 1 and len(s["mail"]) == 24
    assert sum(h["in"] for h in s["mail"]) >= 1, s["mail"]
    assert s["queue"] == {"queued": 0, "held": 1}
    assert s["events"][0]["action"] == "admin.queue_hold"

    status, _, _ = curl(box, admin, "DELETE", f"/api/v1/admin/queue/{entry['id']}")
    assert status == 204
    assert len(ctl(box, "queue", "list").splitlines()) == 1  # the header alone
    assert "admin.queue_delete" in ctl(box, "audit", "list")
