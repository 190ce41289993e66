"""Durability: smtpd is killed (SIGKILL) three times while many clients send at
once, some messages large enough to spill to the spool; after each restart by
the supervisor, every message that got a 250 is in the store, and the store's
full check (every blob opened) finds nothing wrong."""
import os
import pathlib
import re
import shutil
import itertools
import signal
import smtplib
import subprocess
import tempfile
import threading
import uuid

import pytest

from conftest import Appliance, binary, wait_for

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (keyd administration)")

SENDERS = 8
KILLS = 3


def smtpd_pid(appliance):
    def read():
        m = re.search(r"^smtpd\s+running\s+(\d+)\s+(\d+)\s+ready", appliance.status().stdout, re.M)
        return (int(m.group(1)), int(m.group(2))) if m and int(m.group(1)) > 0 else None
    return wait_for(read, timeout=60, what="smtpd running and ready")


def subjects_in_inbox(appliance, address):
    r = subprocess.run([binary("inbox_dump"), str(appliance.home), address], capture_output=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr.decode()
    return set(re.findall(rb"^Subject: (load [0-9a-f-]+)\r$", r.stdout, re.M))


@pytest.fixture
def running(appliance):
    appliance.start()
    appliance.wait_ready()
    for args in (("tenants", "add", "acme"), ("domains", "add", "example.test", "--tenant", "acme"),
                 ("accounts", "add", "load@example.test")):
        r = subprocess.run([binary("appliancectl"), "--home", str(appliance.home), *args],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
    yield appliance
    appliance.stop()


def test_every_acknowledged_message_survives_sigkill(running):
    host, port = running.endpoints()["smtp"].rsplit(":", 1)
    acked, lock, stop = [], threading.Lock(), threading.Event()

    def sender(n):
        for i in itertools.count():
            if stop.is_set():
                return
            subject = f"load {uuid.uuid4()}"
            lines = 20000 if (n + i) % 25 == 0 else 30  # about 1.4 MiB: spilled while received
            try:
                with smtplib.SMTP(host, int(port), timeout=30) as s:
                    s.sendmail("someone@elsewhere.example", ["load@example.test"],
                               f"Subject: {subject}\r\n\r\n" + ("x" * 70 + "\r\n") * lines)
            except (OSError, smtplib.SMTPException):
                continue  # smtpd is down, or died before its 250: not acknowledged
            with lock:
                acked.append(subject.encode())

    threads = [threading.Thread(target=sender, args=(n,)) for n in range(SENDERS)]
    for t in threads:
        t.start()
    try:
        for _ in range(KILLS):
            before = len(acked)
            pid, restarts = smtpd_pid(running)
            wait_for(lambda: len(acked) >= before + 50, timeout=120, what="50 messages accepted")
            os.kill(pid, signal.SIGKILL)
            wait_for(lambda: smtpd_pid(running)[1] == restarts + 1, timeout=60,
                     what="smtpd restarted")
    finally:
        stop.set()
        for t in threads:
            t.join()
    stored = subjects_in_inbox(running, "load@example.test")
    lost = set(acked) - stored
    assert not lost, f"{len(lost)} of {len(acked)} acknowledged messages are not in the store"
    check = subprocess.run([binary("appliancectl"), "--home", str(running.home), "store", "check",
                            "--blobs"], capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr
