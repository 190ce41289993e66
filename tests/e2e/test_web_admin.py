"""The admin API end to end: a real appliance, HTTPS with the key in keyd,
Python's http.client as the admin's browser. An appliance admin signs in,
enters sudo mode, adds a domain and an account through /api/v1/admin, and
that account then logs in over IMAP with imaplib. An auditor's API key reads
the login log as CSV and is refused every change."""
import csv
import http.client
import io
import os
import subprocess

import pytest

from conftest import binary
from mailbox_access import box_with_alice, ctl, imap_login, port, tls_context
from test_web_api import Browser

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (service users, keyd)")

PASSWORD = "correct horse battery staple 7"


@pytest.fixture(scope="module")
def box():
    with box_with_alice("appliance-webadmin-") as a:
        ctl(a, "accounts", "add", "root@example.test")
        ctl(a, "accounts", "role", "root@example.test", "appliance-admin")
        r = subprocess.run([binary("appliancectl"), "--home", str(a.home), "accounts", "passwd",
                            "root@example.test"], input=PASSWORD + "\n", capture_output=True,
                           text=True, timeout=120)
        assert r.returncode == 0, r.stdout + r.stderr
        yield a


def admin(box):
    b = Browser(box)
    r, _ = b.call("POST", "/api/v1/session", {"address": "root@example.test",
                                              "password": PASSWORD})
    assert r.status == 200
    r, _ = b.call("POST", "/api/v1/session/sudo", {"password": PASSWORD})
    assert r.status == 200
    return b


def test_an_admin_adds_a_domain_and_a_user_who_then_reads_mail_over_imap(box):
    b = admin(box)
    r, body = b.call("POST", "/api/v1/admin/domains", {"name": "web.test", "tenant": "acme"})
    assert r.status == 201, body
    r, body = b.call("POST", "/api/v1/admin/accounts", {"address": "Carol@Web.Test"})
    assert r.status == 201, body
    assert body["address"] == "carol@web.test"
    password = body["password"]
    r, listed = b.call("GET", "/api/v1/admin/accounts")
    assert "carol@web.test" in [a["address"] for a in listed["accounts"]]
    assert password not in str(listed)

    c = imap_login(box, password, user="carol@web.test")
    typ, folders = c.list()
    assert typ == "OK"
    names = b" ".join(folders)
    for folder in (b"INBOX", b"Sent", b"Trash"):
        assert folder in names
    c.logout()

    r, events = b.call("GET", "/api/v1/admin/events?account=carol@web.test")
    made = [e for e in events["events"] if e["action"] == "admin.account_create"]
    assert [e["actor"] for e in made] == ["root@example.test"]


def test_an_auditor_key_reads_the_login_log_as_csv_and_changes_nothing(box):
    b = admin(box)
    r, made = b.call("POST", "/api/v1/me/api-keys", {"name": "audit", "grants": ["auditor"]})
    assert r.status == 201, made
    key = Browser(box)
    auth = {"Authorization": "Bearer " + made["key"]}
    r, _ = key.call("POST", "/api/v1/admin/tenants", {"name": "initech"}, origin=None,
                    headers=auth)
    assert r.status == 403
    # The CSV is not JSON: read it raw.
    c = http.client.HTTPSConnection("127.0.0.1", port(box, "web"), timeout=30,
                                    context=tls_context())
    c.request("GET", "/api/v1/admin/logins?format=csv&protocol=web",
              headers={"Host": "mail.example.test", **auth})
    resp = c.getresponse()
    assert resp.status == 200
    assert resp.getheader("Content-Type").startswith("text/csv")
    rows = list(csv.reader(io.StringIO(resp.read().decode())))
    assert rows[0][:3] == ["time", "account", "protocol"]
    assert any(row[1] == "root@example.test" and row[5] == "ok" for row in rows[1:])
