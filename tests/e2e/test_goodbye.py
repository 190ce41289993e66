"""Stopping a mail daemon with connections open: each client is told in its
protocol (IMAP BYE, POP3 -ERR, SMTP 421, an HTTP close) and the daemon exits
cleanly, status 0, rather than being cut or crashing on the way out."""
import os
import re
import socket
import subprocess
import time

import pytest

from conftest import binary, wait_for
from mailbox_access import box_with_alice, tls_context

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (service users, keyd)")

GOODBYES = {
    "imaps": ("imapd", b"* BYE "),
    "pop3s": ("pop3d", b"-ERR "),
    "submissions": ("smtpd", b"421 "),
    "web": ("webd", b""),
}


def pid_of(appliance, daemon):
    status = appliance.status().stdout
    return int(re.search(rf"^{daemon}\s+\S+\s+(\d+)", status, re.M).group(1))


def test_every_mail_daemon_says_goodbye_and_exits_cleanly():
    with box_with_alice("appliance-goodbye-") as box:
        endpoints = box.endpoints()
        connections = {}
        for listener in GOODBYES:
            host, port = endpoints[listener].rsplit(":", 1)
            s = tls_context().wrap_socket(socket.create_connection((host, int(port)), timeout=30),
                                          server_hostname="mail.example.test")
            if listener != "web":
                s.recv(4096)  # the greeting
            connections[listener] = s
        for daemon, _ in GOODBYES.values():
            subprocess.run(["kill", "-TERM", str(pid_of(box, daemon))], check=True)
        for listener, (daemon, goodbye) in GOODBYES.items():
            reply = connections[listener].recv(4096)
            assert reply.startswith(goodbye), (listener, reply)
            connections[listener].close()
        # The supervisor saw each one end with status 0, and starts it again.
        box.wait_ready()
        box.stop()
        log = box.output.decode(errors="replace")
        for daemon, _ in GOODBYES.values():
            assert f"daemon={daemon} status=\"exited with status 0\"" in log, daemon
        assert "signal" not in " ".join(
            line for line in log.splitlines() if "daemon died" in line)
