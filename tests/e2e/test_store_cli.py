"""`appliancectl store check|stats|gc` on a running appliance's store: mail
written through keyd-wrapped data keys, then damaged in two ways."""
import os
import re
import sqlite3
import subprocess

import pytest

from conftest import binary

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (keyd administration)")


def ctl(appliance, *args):
    return subprocess.run([binary("appliancectl"), "--home", str(appliance.home), *args],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def stored(appliance):
    """A running appliance whose store holds 30 messages of one account."""
    appliance.start()
    appliance.wait_ready()
    r = subprocess.run([binary("store_writer"), "write", "--dir", str(appliance.home / "store"),
                        "--keyd", str(appliance.home / "run" / "keyd.sock"), "--threads", "3",
                        "--count", "10"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.count("ack ") == 30, r.stdout + r.stderr
    yield appliance
    appliance.stop()


def test_no_store_yet(appliance):
    # A state directory never started: the mail daemons make the store when they start.
    r = ctl(appliance, "store", "check")
    assert r.returncode == 0 and "no store yet" in r.stdout, r.stdout + r.stderr


def test_check_stats_and_gc_of_a_healthy_store(stored):
    r = ctl(stored, "store", "check", "--blobs")
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"tenant 1 \(test\): ok: 1 accounts, 30 messages, 30 blobs, 0 orphaned",
                     r.stdout), r.stdout
    assert "1 tenants checked, 0 with faults" in r.stdout
    stats = ctl(stored, "store", "stats")
    assert stats.returncode == 0, stats.stdout + stats.stderr
    assert re.search(r"^1\s+test\s+1\s+1\s+30\s+\d+\s+\d+$", stats.stdout, re.M), stats.stdout
    gc = ctl(stored, "store", "gc")
    assert gc.returncode == 0 and "0 orphaned blobs removed" in gc.stdout, gc.stdout + gc.stderr
    unknown = ctl(stored, "store", "check", "--tenant", "nobody")
    assert unknown.returncode == 1 and 'no tenant "nobody"' in unknown.stderr


def test_an_altered_blob_is_found_by_the_deep_check(stored):
    blobs = stored.home / "store" / "tenants" / "1" / "blobs.db"
    with sqlite3.connect(blobs) as db:
        db.execute("UPDATE chunks SET data = zeroblob(length(data)) "
                   "WHERE rowid = (SELECT min(rowid) FROM chunks)")
    assert ctl(stored, "store", "check").returncode == 0  # the quick check does not open blobs
    r = ctl(stored, "store", "check", "--blobs")
    assert r.returncode == 1, r.stdout + r.stderr
    assert re.search(rf"{re.escape(str(blobs))}: blob [0-9a-f]+: chunk 0: authentication failed",
                     r.stdout), r.stdout
    assert "FAULTY" in r.stdout and "1 with faults" in r.stdout


def test_a_truncated_database_is_named(stored):
    meta = stored.home / "store" / "tenants" / "1" / "meta.db"
    os.truncate(meta, os.path.getsize(meta) // 2)
    r = ctl(stored, "store", "check")
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"DAMAGED: tenant 1 refused: {meta}: truncated" in r.stdout, r.stdout


def test_keyd_not_running_is_said_plainly(stored):
    stored.stop()
    r = ctl(stored, "store", "check")
    assert r.returncode == 1 and "keyd is not running" in r.stderr, r.stdout + r.stderr
