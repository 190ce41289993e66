"""My account in a real Chromium: a real appliance, then account.mjs
(playwright-core driving Debian's chromium) against its web listener; and
keyboard.mjs, My account with the keyboard only, against another."""
import os
import pathlib
import shutil
import subprocess

import pytest

from conftest import binary
from mailbox_access import box_with_alice, port

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (service users, keyd)")

HERE = pathlib.Path(__file__).resolve().parent
PASSWORD = "correct horse battery staple 7"


def alice_box(prefix):
    """A box with alice, whose password is PASSWORD; yields the box."""
    if not all((HERE / "node_modules" / p).exists() for p in ("playwright-core", "axe-core")):
        pytest.fail("run scripts/setup: npm ci in tests/browser")
    assert shutil.which("chromium") or os.path.exists("/usr/bin/chromium"), "chromium missing"
    return box_with_alice(prefix)


def set_password(box):
    r = subprocess.run([binary("appliancectl"), "--home", str(box.home), "accounts", "passwd",
                        "alice@example.test"], input=PASSWORD + "\n", capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def run_browser(script, box):
    env = dict(os.environ, WEB_URL=f"https://127.0.0.1:{port(box, 'web')}",
               IMAPS_PORT=str(port(box, "imaps")), ADDRESS="alice@example.test",
               PASSWORD=PASSWORD)
    run = subprocess.run(["node", str(HERE / script)], cwd=HERE, env=env,
                         capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "browser test passed" in run.stdout


def test_sign_in_totp_app_password_and_last_logins():
    with alice_box("appliance-browser-") as box:
        set_password(box)
        run_browser("account.mjs", box)


def test_keyboard_only_sign_in_and_sudo_prompt():
    with alice_box("appliance-browser-keys-") as box:
        set_password(box)
        run_browser("keyboard.mjs", box)
