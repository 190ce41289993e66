"""webd end to end: a real appliance; HTTPS with the key in keyd; a mail
client's set-up fetched from an address alone (Thunderbird's autoconfig and
Outlook's autodiscover) naming the ports the appliance really listens on;
the security headers; plain HTTP redirected, except client set-up."""
import http.client
import os
import ssl
import subprocess
import urllib.parse

import pytest

from mailbox_access import box_with_alice, port, tls_context

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (service users, keyd)")


@pytest.fixture(scope="module")
def box():
    with box_with_alice("appliance-webd-") as a:
        yield a


def get(box, path, listener="web", method="GET", body=None, headers=None):
    if listener == "web":
        c = http.client.HTTPSConnection("127.0.0.1", port(box, "web"), timeout=30,
                                        context=tls_context())
    else:
        c = http.client.HTTPConnection("127.0.0.1", port(box, "http"), timeout=30)
    c.request(method, path, body=body, headers=headers or {"Host": "mail.example.test"})
    r = c.getresponse()
    return r, r.read().decode()


def test_thunderbird_finds_every_server_from_the_address(box):
    r, xml = get(box, "/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress="
                 + urllib.parse.quote("alice@example.test"))
    assert r.status == 200
    assert r.getheader("Content-Type").startswith("text/xml")
    for name in ("imaps", "pop3s", "submissions"):
        assert f"<port>{port(box, name)}</port>" in xml, name
    assert "<username>%EMAILADDRESS%</username>" in xml


def test_autoconfig_is_served_over_plain_http_too(box):
    r, xml = get(box, "/mail/config-v1.1.xml?emailaddress=alice%40example.test", listener="http",
                 headers={"Host": "autoconfig.example.test"})
    assert r.status == 200
    assert f"<port>{port(box, 'imaps')}</port>" in xml


def test_outlook_autodiscover(box):
    request = ('<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="http://schemas.'
               'microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><Request>'
               '<EMailAddress>alice@example.test</EMailAddress><AcceptableResponseSchema>'
               'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a'
               '</AcceptableResponseSchema></Request></Autodiscover>')
    r, xml = get(box, "/autodiscover/autodiscover.xml", method="POST", body=request,
                 headers={"Host": "mail.example.test", "Content-Type": "text/xml"})
    assert r.status == 200
    assert f"<Port>{port(box, 'imaps')}</Port>" in xml


def test_a_domain_the_appliance_does_not_serve_is_not_described(box):
    r, _ = get(box, "/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=bob%40other.test")
    assert r.status == 404


def test_every_response_carries_the_security_headers(box):
    for path in ("/", "/healthz", "/no/such/page"):
        r, _ = get(box, path)
        csp = r.getheader("Content-Security-Policy")
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert r.getheader("Strict-Transport-Security").startswith("max-age=")
        assert r.getheader("X-Content-Type-Options") == "nosniff"
        assert r.getheader("Referrer-Policy") == "no-referrer"


def test_unknown_pages_are_json_errors_and_health_is_ok(box):
    r, body = get(box, "/no/such/page")
    assert r.status == 404 and '"code":"not_found"' in body
    r, body = get(box, "/healthz")
    assert r.status == 200 and '"status":"ok"' in body


def test_plain_http_redirects_to_https(box):
    r, _ = get(box, "/settings?tab=1", listener="http")
    assert r.status == 308
    assert r.getheader("Location") == f"https://mail.example.test:{port(box, 'web')}/settings?tab=1"


def test_curl_over_tls_1_2_and_1_3_and_nothing_older(box):
    url = f"https://127.0.0.1:{port(box, 'web')}/healthz"
    for version in ("--tlsv1.2", "--tlsv1.3"):
        r = subprocess.run(["curl", "-sk", version, url], capture_output=True, text=True,
                           timeout=30)
        assert r.returncode == 0 and '"ok"' in r.stdout, version
    old = subprocess.run(["curl", "-sk", "--tlsv1.1", "--tls-max", "1.1", url],
                         capture_output=True, text=True, timeout=30)
    assert old.returncode != 0


def test_malformed_requests_get_a_400_and_the_server_keeps_serving(box):
    import socket
    with socket.create_connection(("127.0.0.1", port(box, "http")), timeout=30) as s:
        s.sendall(b"GET / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")
        reply = s.recv(4096).decode()
    assert reply.startswith("HTTP/1.1 400 ")
    r, _ = get(box, "/healthz")
    assert r.status == 200
