"""Helpers of the mailbox-access tests (imapd, pop3d): one appliance with
alice@example.test, appliancectl, endpoints and a client TLS context."""
import contextlib
import imaplib
import os
import pathlib
import shutil
import ssl
import subprocess
import tempfile

from conftest import Appliance, binary


def ctl(appliance, *args, check=True, stdin=None):
    r = subprocess.run([binary("appliancectl"), "--home", str(appliance.home), *args],
                       input=stdin, capture_output=True, text=True, timeout=120)
    if check:
        assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def set_password(appliance, password, address="alice@example.test"):
    """`appliancectl accounts passwd`, the password on standard input."""
    ctl(appliance, "accounts", "passwd", address, stdin=password + "\n")


def port(appliance, name):
    return int(appliance.endpoints()[name].rsplit(":", 1)[1])


def tls_context():
    """The appliance's certificate is self-signed until an operator installs one."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


@contextlib.contextmanager
def box_with_alice(prefix):
    """An appliance with tenant acme, domain example.test and alice@example.test."""
    root = pathlib.Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(root, 0o755)  # the service users must reach the store and keyd's socket
    a = Appliance(root / "var").start()
    try:
        a.wait_ready()
        ctl(a, "tenants", "add", "acme")
        ctl(a, "domains", "add", "example.test", "--tenant", "acme")
        ctl(a, "accounts", "add", "alice@example.test")
        yield a
    finally:
        if a.proc and a.proc.poll() is None:
            a.stop()
        shutil.rmtree(root, ignore_errors=True)


def imap_login(appliance, password, user="alice@example.test"):
    """An imaplib client logged in over implicit TLS."""
    c = imaplib.IMAP4_SSL("127.0.0.1", port(appliance, "imaps"), ssl_context=tls_context(),
                          timeout=20)
    c.login(user, password)
    return c


def messages(client, name="INBOX"):
    """Every message of a mailbox, as bytes, through a logged-in imaplib client."""
    typ, _ = client.select(name, readonly=True)
    assert typ == "OK", name
    _, data = client.search(None, "ALL")
    out = []
    for n in data[0].split():
        _, parts = client.fetch(n, "(BODY.PEEK[])")
        out.append(parts[0][1])
    return out
