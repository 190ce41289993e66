"""Sign-in notices: an account that signed in before gets a notice mail in its
INBOX when it signs in from a new address, once, and the notice has no link."""
import email
import imaplib
import socket

import pytest

from mailbox_access import box_with_alice, port, set_password, tls_context

PASSWORD = "Sable-quartz-41-ember-Lynx"


class ImapFrom(imaplib.IMAP4_SSL):
    """IMAP over TLS from a chosen loopback source address."""

    def __init__(self, source, host, port_number):
        self.source = source
        super().__init__(host, port_number, ssl_context=tls_context(), timeout=20)

    def _create_socket(self, timeout):
        sock = socket.create_connection((self.host, self.port), timeout,
                                        source_address=(self.source, 0))
        return self.ssl_context.wrap_socket(sock, server_hostname=self.host)


@pytest.fixture(scope="module")
def box():
    with box_with_alice("appliance-notice-") as a:
        set_password(a, PASSWORD)
        yield a


def sign_in(box, source):
    c = ImapFrom(source, "127.0.0.1", port(box, "imaps"))
    c.login("alice@example.test", PASSWORD)
    c.select("INBOX", readonly=True)
    _, data = c.search(None, "ALL")
    messages = []
    for n in data[0].split():
        _, parts = c.fetch(n, "(BODY.PEEK[])")
        messages.append(email.message_from_bytes(parts[0][1]))
    c.logout()
    return messages


def test_notice_on_a_new_address_only(box):
    assert sign_in(box, "127.0.0.1") == []  # the first sign-in: nothing to compare with
    assert sign_in(box, "127.0.0.1") == []  # a known place
    notices = sign_in(box, "127.0.0.3")
    assert len(notices) == 1
    notice = notices[0]
    assert notice["Subject"] == "New sign-in to your mail account"
    assert notice["Auto-Submitted"] == "auto-generated"
    body = notice.get_payload()
    assert "from a new address" in body and "127.0.0.3" in body and "imap" in body, body
    assert "http" not in body.lower() and "://" not in body
    assert len(sign_in(box, "127.0.0.3")) == 1  # known now: no second notice
