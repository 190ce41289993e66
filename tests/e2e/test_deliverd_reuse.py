"""deliverd against a receiving SMTP server written here, which counts its
connections and records every command: one appliance (a.test, alice) whose route
sends c.test to that server. Three messages wait in the queue while the server
does not listen; once it does, `queue retry --all` makes them due in one pass, and
all three arrive over one connection (RSET between them, one EHLO), each MAIL with
SIZE, and the DSN options of the submission passed on because the server offers
DSN."""
import os
import pathlib
import re
import shutil
import smtplib
import socket
import tempfile
import threading
import uuid

import pytest

from conftest import wait_for
from two_boxes import PASSWORD, Box, ctl, no_verify, port, provision

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (keyd administration)")


class Peer:
    """Bound at once, listening only after listen(): until then a connection is refused."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections, self.lines, self.bodies = 0, [], []

    def listen(self):
        self.sock.listen(8)
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self.converse, args=(c,), daemon=True).start()

    def converse(self, c):
        f = c.makefile("rb")
        say = lambda text: c.sendall(text.encode() + b"\r\n")  # noqa: E731
        say("220 peer.test ESMTP")
        for raw in f:
            line = raw.rstrip(b"\r\n").decode()
            self.lines.append(line)
            verb = line.split(" ")[0].upper()
            if verb == "EHLO":
                say("250-peer.test\r\n250-8BITMIME\r\n250-SIZE 10000000\r\n250 DSN")
            elif verb == "DATA":
                say("354 go ahead")
                body = b""
                for data in f:
                    if data == b".\r\n":
                        break
                    body += data
                self.bodies.append(body)
                say("250 2.0.0 Ok: queued")
            elif verb == "QUIT":
                say("221 bye")
                break
            else:
                say("250 2.0.0 Ok")
        c.close()

    def close(self):
        self.sock.close()


@pytest.fixture(scope="module")
def box():
    root = pathlib.Path(tempfile.mkdtemp(prefix="appliance-reuse-"))
    os.chmod(root, 0o755)
    peer = Peer()
    a = Box(root / "a")
    try:
        a.up()
        a.stop()
        a.edit_config(lambda text: text.replace(
            "[deliverd]\n", f"[deliverd]\nroutes = c.test = 127.0.0.1:{peer.port}\npoll = 1\n"
            "connect_timeout = 2\nio_timeout = 30\n", 1))
        a.up()
        provision(a, "a.test", ["alice"])
        yield a, peer
    finally:
        if a.proc and a.proc.poll() is None:
            a.stop()
        peer.close()
        shutil.rmtree(root, ignore_errors=True)


def queue(a):
    return ctl(a, "queue", "list").splitlines()[1:]


def test_queued_entries_share_one_connection(box):
    a, peer = box
    tag = uuid.uuid4()
    with smtplib.SMTP("127.0.0.1", port(a, "submission"), timeout=30) as s:
        s.starttls(context=no_verify())
        s.login("alice@a.test", PASSWORD)
        for n in range(3):
            body = f"From: alice@a.test\r\nTo: u{n}@c.test\r\nSubject: {tag} {n}\r\n\r\nHello.\r\n"
            s.mail("alice@a.test", ["RET=HDRS", f"ENVID=env{n}"])
            s.rcpt(f"u{n}@c.test", ["NOTIFY=SUCCESS,FAILURE", f"ORCPT=rfc822;old{n}@c.test"])
            assert s.data(body)[0] == 250
    wait_for(lambda: len(queue(a)) == 3 and all(re.search(r"\s1\s+queued\s", l) for l in queue(a)),
             timeout=30, what="three entries with a refused attempt each")
    assert peer.connections == 0
    shown = ctl(a, "queue", "show", queue(a)[0].split()[0])
    assert re.search(r"^dsn: RET=HDRS ENVID=env\d$", shown, re.M), shown
    assert re.search(r"^  dsn: NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;old\d@c\.test$", shown, re.M), shown
    peer.listen()
    assert "3 entries due now" in ctl(a, "queue", "retry", "--all")
    wait_for(lambda: not queue(a), timeout=60, what="the three entries delivered")
    assert len(peer.bodies) == 3
    assert peer.connections == 1, peer.lines
    assert peer.lines.count("RSET") == 2, peer.lines
    assert len([l for l in peer.lines if l.startswith("EHLO")]) == 1, peer.lines
    mails = [l for l in peer.lines if l.startswith("MAIL FROM:")]
    assert all(re.fullmatch(r"MAIL FROM:<alice@a\.test> BODY=8BITMIME SIZE=\d+ RET=HDRS "
                            r"ENVID=env\d", m) for m in mails), mails
    rcpts = [l for l in peer.lines if l.startswith("RCPT TO:")]
    assert sorted(rcpts) == [f"RCPT TO:<u{n}@c.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;old{n}@c.test"
                             for n in range(3)], rcpts
