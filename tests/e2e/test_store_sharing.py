"""The store is shared by the mail daemons' users and no one else: a store
made by the administrator (root) is written by appliance-smtpd and refused to
a user outside the group appliance-store."""
import grp
import os
import stat
import subprocess

import pytest

from conftest import binary

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to switch users")


def ctl(appliance, *args):
    r = subprocess.run([binary("appliancectl"), "--home", str(appliance.home), *args],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def write_as(appliance, user):
    cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups",
           binary("store_writer"), "write", "--dir", str(appliance.home / "store"), "--keyd",
           str(appliance.home / "run" / "keyd.sock"), "--threads", "2", "--count", "3"]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_daemon_users_share_the_store_others_are_refused(appliance):
    appliance.start()
    appliance.wait_ready()
    ctl(appliance, "tenants", "add", "acme")
    ctl(appliance, "domains", "add", "example.test", "--tenant", "acme")
    ctl(appliance, "accounts", "add", "alice@example.test")
    group = grp.getgrnam("appliance-store").gr_gid
    store = appliance.home / "store"
    for path, mode in ((store, 0o2770), (store / "tenants" / "1", 0o2770),
                       (store / "system.db", 0o660), (store / "tenants" / "1" / "meta.db", 0o660),
                       (store / "tenants" / "1" / "blobs.db", 0o660)):
        st = os.stat(path)
        assert (stat.S_IMODE(st.st_mode), st.st_gid) == (mode, group), path

    ok = write_as(appliance, "appliance-smtpd")
    assert ok.returncode == 0 and ok.stdout.count("ack ") == 6, ok.stdout + ok.stderr
    denied = write_as(appliance, "appliance-test")
    assert denied.returncode != 0
    assert "ermission denied" in denied.stdout + denied.stderr, denied.stdout + denied.stderr
    checked = ctl(appliance, "store", "check", "--blobs")
    assert "ok: 2 accounts, 6 messages" in checked, checked
    appliance.stop()
