"""Administration in a real Chromium: a real appliance with a first appliance
admin and an auditor made with appliancectl, then admin.mjs (playwright-core
driving Debian's chromium) against its web listener."""
import os
import pathlib
import shutil
import subprocess

import pytest

from conftest import binary
from mailbox_access import box_with_alice, ctl, port

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (service users, keyd)")

HERE = pathlib.Path(__file__).resolve().parent
PASSWORD = "correct horse battery staple 7"


def passwd(box, address):
    r = subprocess.run([binary("appliancectl"), "--home", str(box.home), "accounts", "passwd",
                        address], input=PASSWORD + "\n", capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_admin_makes_a_domain_and_a_user_who_signs_in_and_an_auditor_changes_nothing():
    if not all((HERE / "node_modules" / p).exists() for p in ("playwright-core", "axe-core")):
        pytest.fail("run scripts/setup: npm ci in tests/browser")
    assert shutil.which("chromium") or os.path.exists("/usr/bin/chromium"), "chromium missing"
    with box_with_alice("appliance-browser-admin-") as box:
        for address, role in (("root@example.test", "appliance-admin"),
                              ("audit@example.test", "auditor")):
            ctl(box, "accounts", "add", address)
            ctl(box, "accounts", "role", address, role)
            passwd(box, address)
        env = dict(os.environ, WEB_URL=f"https://127.0.0.1:{port(box, 'web')}",
                   IMAPS_PORT=str(port(box, "imaps")), ADMIN="root@example.test",
                   AUDITOR="audit@example.test", PASSWORD=PASSWORD)
        run = subprocess.run(["node", str(HERE / "admin.mjs")], cwd=HERE, env=env,
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "browser test passed" in run.stdout
