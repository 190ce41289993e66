"""The mail queue in a real Chromium: a real appliance whose deliverd is
routed to a closed port (as in tests/e2e/test_web_ops.py), so that a message
alice submits with smtplib stays queued; then queue.mjs (playwright-core
driving Debian's chromium) holds, releases, retries and deletes it in
Administration as an appliance admin."""
import os
import pathlib
import shutil
import subprocess
import tempfile

import pytest

from conftest import Appliance
from mailbox_access import port
from test_web_ops import PASSWORD, configured, submit

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (service users, keyd)")

HERE = pathlib.Path(__file__).resolve().parent


def test_admin_holds_releases_retries_and_deletes_a_queued_message():
    if not all((HERE / "node_modules" / p).exists() for p in ("playwright-core", "axe-core")):
        pytest.fail("run scripts/setup: npm ci in tests/browser")
    assert shutil.which("chromium") or os.path.exists("/usr/bin/chromium"), "chromium missing"
    root = pathlib.Path(tempfile.mkdtemp(prefix="appliance-browser-queue-"))
    os.chmod(root, 0o755)  # the service users must reach the store and keyd's socket
    a = Appliance(root / "var")
    box = configured(a)
    try:
        next(box)
        submit(a)
        env = dict(os.environ, WEB_URL=f"https://127.0.0.1:{port(a, 'web')}",
                   ADMIN="root@a.test", SENDER="alice@a.test", PASSWORD=PASSWORD)
        run = subprocess.run(["node", str(HERE / "queue.mjs")], cwd=HERE, env=env,
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "browser test passed" in run.stdout
        next(box, None)  # stops the appliance, which must exit cleanly
    finally:
        if a.proc and a.proc.poll() is None:
            a.stop()
        shutil.rmtree(root, ignore_errors=True)
