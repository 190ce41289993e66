"""The store with a real keyd: data keys wrapped by a token key in SoftHSM.

store_writer writes messages whose data key comes from keyd, a second process
reads them back (unwrapping through keyd), the store's raw files hold neither
the marker nor any data key in clear, and after the account is destroyed its
messages no longer open while the files still hold no plaintext.

The family the store uses is wrap/mail."""
import os
import pathlib
import subprocess

import pytest

from conftest import appliance, binary, state_dir  # noqa: F401 (fixtures)

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (keyd administration)")

MARKER = "MARKER-e2e-91b7c3"


def run(*args, stdin=None, check=True):
    r = subprocess.run([binary("store_writer"), *args], input=stdin, capture_output=True,
                       text=True, timeout=120)
    if check:
        assert r.returncode == 0, r.stdout + r.stderr
    return r


def raw_bytes(root):
    return b"".join(p.read_bytes() for p in pathlib.Path(root).rglob("*") if p.is_file())


@pytest.fixture
def family():
    return "wrap/mail"


@pytest.fixture
def keyd(appliance, family):
    """keyd makes wrap/mail/v1 at the first start."""
    appliance.start()
    appliance.wait_ready()
    yield str(appliance.home / "run" / "keyd.sock")
    appliance.stop()


def test_sealed_under_keyd_and_shredded(keyd, family, state_dir):
    store = str(state_dir / "store")
    acks = run("write", "--dir", store, "--keyd", keyd, "--family", family, "--threads", "4",
               "--count", "10", "--large-every", "5", "--marker", MARKER).stdout
    assert acks.count("ack ") == 40
    verified = run("verify", "--dir", store, "--keyd", keyd, "--family", family, "--marker",
                   MARKER, stdin=acks)
    assert "verified 40 bad 0" in verified.stdout
    assert not (pathlib.Path(store) / "test-master-key").exists()  # keyd's keys, not a local one
    assert MARKER.encode() not in raw_bytes(store)

    assert "destroyed writer@example.test" in run("destroy", "--dir", store, "--keyd", keyd,
                                                  "--family", family).stdout
    after = run("verify", "--dir", store, "--keyd", keyd, "--family", family, "--marker", MARKER,
                stdin=acks, check=False)
    assert after.returncode != 0 and "verified 0 bad 40" in after.stdout
    assert MARKER.encode() not in raw_bytes(store)
