"""The REST API end to end: a real appliance, HTTPS with the key in keyd,
Python's http.client as the browser. Sign-in, the session cookie's flags,
CSRF refused, TOTP enrolment (the code computed here from the otpauth
secret), the second sign-in step, an app password made through the API and
used over IMAP, that login in Last logins, sudo mode, API keys as bearer
tokens, revoked keys refused, and the OpenAPI document."""
import base64
import hashlib
import hmac
import http.client
import imaplib
import json
import os
import struct
import subprocess
import time
import urllib.parse

import pytest

from conftest import binary
from mailbox_access import box_with_alice, ctl, port, tls_context

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (service users, keyd)")

PASSWORD = "correct horse battery staple 7"
HOST = "mail.example.test"


@pytest.fixture(scope="module")
def box():
    with box_with_alice("appliance-webapi-") as a:
        ctl(a, "accounts", "add", "bob@example.test")
        for address in ("alice@example.test", "bob@example.test"):
            r = subprocess.run([binary("appliancectl"), "--home", str(a.home), "accounts",
                                "passwd", address], input=PASSWORD + "\n", capture_output=True,
                               text=True, timeout=120)
            assert r.returncode == 0, r.stdout + r.stderr
        yield a


class Browser:
    """Cookies and the CSRF token, as the UI keeps them."""

    def __init__(self, box):
        self.box = box
        self.cookie = None
        self.csrf = None

    def call(self, method, path, body=None, origin=f"https://{HOST}", csrf=True, headers=None):
        c = http.client.HTTPSConnection("127.0.0.1", port(self.box, "web"), timeout=30,
                                        context=tls_context())
        h = {"Host": HOST, "User-Agent": "e2e-browser/1"}
        if origin:
            h["Origin"] = origin
        if self.cookie:
            h["Cookie"] = f"__Host-session={self.cookie}"
        if csrf and self.csrf:
            h["X-CSRF-Token"] = self.csrf
        data = None
        if body is not None:
            data = json.dumps(body)
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        text = r.read().decode()
        cookie = r.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0].split("=", 1)[1] or None
        payload = json.loads(text) if text else None
        if isinstance(payload, dict) and "csrf_token" in payload:
            self.csrf = payload["csrf_token"]
        return r, payload


def totp(secret, at=None):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((at or time.time()) // 30)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)


def sign_in(box, password=PASSWORD, address="alice@example.test"):
    b = Browser(box)
    r, body = b.call("POST", "/api/v1/session", {"address": address, "password": password})
    return b, r, body


def test_wrong_password_and_unknown_user_answer_alike(box):
    _, wrong, wrong_body = sign_in(box, "not the password at all")
    b = Browser(box)
    unknown, unknown_body = b.call("POST", "/api/v1/session",
                                   {"address": "nobody@example.test", "password": PASSWORD})
    assert wrong.status == unknown.status == 401
    assert wrong_body == unknown_body == {
        "error": {"code": "sign_in_failed", "message": "wrong address or password"}}


def test_session_cookie_flags_and_csrf(box):
    b = Browser(box)
    r, body = b.call("POST", "/api/v1/session",
                     {"address": "alice@example.test", "password": PASSWORD})
    assert r.status == 200, body
    cookie = r.getheader("Set-Cookie")
    assert cookie.startswith("__Host-session=")
    for flag in ("Path=/", "Secure", "HttpOnly", "SameSite=Strict"):
        assert flag in cookie
    r, me = b.call("GET", "/api/v1/me")
    assert r.status == 200 and me["address"] == "alice@example.test"
    r, body = b.call("POST", "/api/v1/me/app-passwords", {"name": "x", "protocols": ["imap"]},
                     csrf=False)
    assert r.status == 403 and body["error"]["code"] == "csrf"
    r, body = b.call("POST", "/api/v1/me/app-passwords", {"name": "x", "protocols": ["imap"]},
                     origin="https://evil.example")
    assert r.status == 403 and body["error"]["code"] == "csrf"
    r, body = b.call("POST", "/api/v1/me/api-keys", {"name": "ci", "grants": ["user"]})
    assert r.status == 403 and body["error"]["code"] == "sudo_required"
    r, _ = b.call("DELETE", "/api/v1/session")
    assert r.status == 204
    r, _ = b.call("GET", "/api/v1/me")
    assert r.status == 401


def test_totp_app_password_over_imap_and_last_logins(box):
    b, r, body = sign_in(box)
    assert r.status == 200 and body["signed_in"], body
    r, enrol = b.call("POST", "/api/v1/me/totp")
    assert r.status == 200, enrol
    assert enrol["otpauth_uri"].startswith("otpauth://totp/")
    assert enrol["qr_svg"].startswith("<svg")
    secret = urllib.parse.parse_qs(urllib.parse.urlparse(enrol["otpauth_uri"]).query)["secret"][0]
    r, confirmed = b.call("POST", "/api/v1/me/totp/confirm", {"code": totp(secret)})
    assert r.status == 200, confirmed
    assert len(confirmed["recovery_codes"]) == 10

    # Signing in now takes the second factor; the session id changes with it.
    b2, r, body = sign_in(box)
    assert r.status == 200 and body["second_factor_due"], body
    partial = b2.cookie
    r, body = b2.call("GET", "/api/v1/me")
    assert r.status == 401 and body["error"]["code"] == "second_factor_required"
    r, body = b2.call("POST", "/api/v1/session/totp", {"code": confirmed["recovery_codes"][0]})
    assert r.status == 200 and body["signed_in"], body
    assert b2.cookie != partial

    r, made = b2.call("POST", "/api/v1/me/app-passwords",
                      {"name": "laptop", "protocols": ["imap"]})
    assert r.status == 201, made
    imap = imaplib.IMAP4_SSL("127.0.0.1", port(box, "imaps"), ssl_context=tls_context(),
                             timeout=20)
    imap.login("alice@example.test", made["password"])
    imap.logout()
    # With TOTP on, the password alone no longer opens IMAP.
    with pytest.raises(imaplib.IMAP4.error):
        c = imaplib.IMAP4_SSL("127.0.0.1", port(box, "imaps"), ssl_context=tls_context(),
                              timeout=20)
        c.login("alice@example.test", PASSWORD)
    r, logins = b2.call("GET", "/api/v1/me/logins")
    assert r.status == 200
    assert any(l["protocol"] == "imap" and l["result"] == "ok" for l in logins["logins"]), logins
    assert any(l["protocol"] == "web" and l["client"] == "e2e-browser/1" for l in logins["logins"])
    r, events = b2.call("GET", "/api/v1/me/events")
    actions = [e["action"] for e in events["events"]]
    assert "totp.enable" in actions and "app_password.create" in actions, actions


def test_api_keys_in_sudo_mode_bearer_and_revocation(box):
    b, r, body = sign_in(box, address="bob@example.test")
    assert r.status == 200 and body["signed_in"], body
    r, body = b.call("POST", "/api/v1/session/sudo", {"password": PASSWORD})
    assert r.status == 200 and body["sudo"], body
    r, key = b.call("POST", "/api/v1/me/api-keys", {"name": "ci", "grants": ["user"]})
    assert r.status == 201, key
    bearer = Browser(box)
    r, me = bearer.call("GET", "/api/v1/me", origin=None,
                        headers={"Authorization": f"Bearer {key['key']}"})
    assert r.status == 200 and me["address"] == "bob@example.test"
    r, _ = b.call("DELETE", f"/api/v1/me/api-keys/{key['id']}")
    assert r.status == 204
    r, body = bearer.call("GET", "/api/v1/me", origin=None,
                          headers={"Authorization": f"Bearer {key['key']}"})
    assert r.status == 401 and body["error"]["code"] == "unauthorized"


def test_malformed_bodies_are_json_errors_and_openapi_lists_the_routes(box):
    b = Browser(box)
    c = http.client.HTTPSConnection("127.0.0.1", port(box, "web"), timeout=30,
                                    context=tls_context())
    for body in ("{", "[1]", "\x00", '{"address": 1}'):
        c.request("POST", "/api/v1/session", body=body,
                  headers={"Host": HOST, "Origin": f"https://{HOST}",
                           "Content-Type": "application/json"})
        r = c.getresponse()
        data = json.loads(r.read())
        assert 400 <= r.status < 500 and data["error"]["code"] in ("bad_json", "bad_request")
    r, doc = b.call("GET", "/api/v1/openapi.json")
    assert r.status == 200 and doc["openapi"].startswith("3.")
    assert "post" in doc["paths"]["/api/v1/session"]
    assert "delete" in doc["paths"]["/api/v1/me/api-keys/{id}"]
