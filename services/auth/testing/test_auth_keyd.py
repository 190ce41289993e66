"""The auth pieces with a real keyd: peppers and seals are token keys in SoftHSM.

Passwords, app passwords and recovery codes are HMACed and TOTP seeds sealed by
keyd's default keys; the stored forms name the key version; after
secret/password-pepper is rotated an old hash still verifies and asks for a
rehash, and a new one names the new version."""
import os
import subprocess

import pytest

from conftest import appliance, binary, state_dir  # noqa: F401 (fixtures)

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (keyd administration)")


@pytest.fixture
def keyd(appliance):
    appliance.start()
    appliance.wait_ready()
    yield str(appliance.home / "run" / "keyd.sock")
    appliance.stop()


def test_auth_through_keyd(keyd):
    r = subprocess.run([binary("auth_keyd_check"), "--keyd", keyd, "--rotate"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert "password secret/password-pepper/v1 ok=1 wrong=0 unknown=0" in lines
    assert "token secret/api-pepper/v1 ok=1" in lines
    assert "recovery secret/api-pepper/v1 consumed=3" in lines
    assert "totp seal/totp/v1 same=1 other_account_opens=0" in lines
    assert ("rotated secret/password-pepper/v2 old_ok=1 needs_rehash=1 wrong=0 "
            "new=secret/password-pepper/v2") in lines
