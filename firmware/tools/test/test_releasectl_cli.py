"""releasectl's command line without keyd: every role on key files, and the
errors an operator meets (a missing key, a bad option, a second init, a
lower security_version, an online key without keyd)."""
import json
import os
import subprocess

import pytest

RELEASECTL = os.environ.get("RELEASECTL", "")
ROLES = ("root", "targets", "stable", "beta", "lts", "snapshot", "timestamp")


def ctl(*args, check=True):
    r = subprocess.run([RELEASECTL, *map(str, args)], capture_output=True, text=True, timeout=60)
    if check:
        assert r.returncode == 0, r.stdout + r.stderr
    return r


@pytest.fixture
def keys(tmp_path):
    out = {}
    for role in ROLES:
        out[role] = tmp_path / f"{role}.pem"
        ctl("genkey", out[role], "--type", "ecdsa-p256" if role == "snapshot" else "ed25519")
        assert oct(out[role].stat().st_mode & 0o777) == "0o600"
    return out


def key_args(keys, roles=ROLES):
    return [a for r in roles for a in ("--key", f"{r}={keys[r]}")]


def test_init_add_and_the_errors_an_operator_meets(keys, tmp_path):
    repo = tmp_path / "repo"
    missing = ctl("--repo", repo, *key_args(keys, ROLES[:-1]), "init", check=False)
    assert missing.returncode == 1 and "no key given for role timestamp" in missing.stderr
    bad = ctl("--repo", repo, *key_args(keys), "init", "--threshold", "root=x", check=False)
    assert bad.returncode == 1 and "expected ROLE=N with N >= 1" in bad.stderr
    bad = ctl("--repo", repo, *key_args(keys), "init", "--expires", "timestamp=1w", check=False)
    assert bad.returncode == 1 and "bad duration" in bad.stderr

    ctl("--repo", repo, *key_args(keys), "init", "--expires", "timestamp=6h")
    config = json.loads((repo / "releasectl.json").read_text())
    assert config["expires"]["timestamp"] == 6 * 3600 and config["keyd_keys"] == {}
    again = ctl("--repo", repo, *key_args(keys), "init", check=False)
    assert again.returncode == 1 and "already holds a repository" in again.stderr

    image = tmp_path / "appliance-2.img"
    image.write_bytes(b"two")
    online = key_args(keys, ("snapshot", "timestamp"))
    add = ["add", image, "--channel", "lts", "--version", "2.0"]
    ctl("--repo", repo, "--key", keys["lts"], *online, *add, "--security-version", "6")
    lower = ctl("--repo", repo, "--key", keys["lts"], *online, *add, "--security-version", "5",
                "--name", "appliance-1.img", check=False)
    assert lower.returncode == 1 and "security_version 5 < 6" in lower.stderr
    unsigned = ctl("--repo", repo, *online, *add, "--security-version", "7", check=False)
    assert unsigned.returncode == 1 and "lts needs 1 of its keys to sign; 0 given" in unsigned.stderr
    assert not (repo / "metadata" / "3.lts.json").exists()

    overwrite = ctl("genkey", keys["root"], check=False)
    assert overwrite.returncode == 1 and "cannot create" in overwrite.stderr
    no_repo = ctl("timestamp", check=False)
    assert no_repo.returncode == 1 and "--repo is required" in no_repo.stderr


def test_online_keys_named_in_keyd_need_the_socket(keys, tmp_path):
    repo = tmp_path / "repo"
    r = ctl("--repo", repo, *key_args(keys, ROLES[:5]), "--keyd-key",
            "snapshot=update/snapshot/v1", "--keyd-key", "timestamp=update/timestamp/v1", "init",
            check=False)
    assert r.returncode == 1 and "--keyd-key needs --keyd SOCKET" in r.stderr
    assert not repo.exists() or not (repo / "metadata").exists()
    r = ctl("--repo", repo, *key_args(keys, ROLES[:5]), "init", check=False)
    assert r.returncode == 1 and "no key given for role snapshot" in r.stderr


UPDATECTL = os.environ.get("UPDATECTL", "")


def test_freeze_attack_is_refused_when_the_clock_moves_on(keys, tmp_path):
    """The client reads the time through the C library; faketime moves it past
    the timestamp's expiry, as a mirror replaying old metadata would look."""
    repo = tmp_path / "repo"
    ctl("--repo", repo, *key_args(keys), "init", "--expires", "timestamp=6h")
    client = [UPDATECTL, "--metadata-dir", str(tmp_path / "client")]
    r = subprocess.run([*client, "init", str(repo / "metadata" / "1.root.json")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    refresh = [*client, "--metadata-url", f"file://{repo}/metadata/", "refresh"]
    now = subprocess.run(refresh, capture_output=True, text=True, timeout=60)
    assert now.returncode == 0, now.stdout + now.stderr
    later = subprocess.run(["faketime", "-f", "+1d", *refresh], capture_output=True, text=True,
                           timeout=60)
    assert later.returncode == 1, later.stdout + later.stderr
    assert "freeze attack: timestamp expired at" in later.stderr, later.stderr
