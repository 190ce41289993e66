"""Interoperability with tuf-js 4.1.0, an independent TUF implementation.

Repositories written by releasectl (through init, add, timestamp and key
rotations of root, timestamp and a channel) are verified by the tuf-js client,
which must download each release with its custom metadata and refuse a
tampered image or timestamp. A repository written with @tufjs/models (root
rotated once, a delegated stable channel, ECDSA and ed25519 keys) is read by
updatectl. install.sh runs `npm ci` first, only when package-lock.json changed."""
import hashlib
import json
import os
import pathlib
import subprocess

import pytest

HERE = pathlib.Path(__file__).resolve().parent
RELEASECTL = os.environ.get("RELEASECTL", "")
UPDATECTL = os.environ.get("UPDATECTL", "")


def run(*args, check=True, cwd=None):
    r = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=300,
                       cwd=cwd)
    if check:
        assert r.returncode == 0, r.stdout + r.stderr
    return r


@pytest.fixture(scope="module", autouse=True)
def node_modules():
    run(HERE / "install.sh")


def tufjs(repo, work, *targets, check=True):
    return run("node", HERE / "verify.js", repo, repo / "metadata" / "1.root.json", work,
               *targets, check=check)


@pytest.fixture
def released(tmp_path):
    """A releasectl repository with two releases and three key rotations."""
    keys = {}
    for role in ("root", "root2", "targets", "stable", "stable2", "beta", "lts", "snapshot",
                 "timestamp", "timestamp2"):
        keys[role] = tmp_path / f"{role}.pem"
        online = role.startswith(("snapshot", "timestamp", "stable"))
        run(RELEASECTL, "genkey", keys[role], "--type", "ecdsa-p256" if online else "ed25519")
    repo = tmp_path / "repo"

    def ctl(*args, roles=()):
        cmd = [RELEASECTL, "--repo", repo]
        for role in roles:
            cmd += ["--key", keys[role]]
        return run(*cmd, *args).stdout

    ctl("init", "--expires", "timestamp=12h",
        *[a for r in ("root", "targets", "stable", "beta", "lts", "snapshot", "timestamp")
          for a in ("--key", f"{r}={keys[r]}")])
    images = {"appliance-2.img": b"two " * 5000, "appliance-3-beta.img": b"three beta " * 100}
    for name, data in images.items():
        (tmp_path / name).write_bytes(data)
    online = ("snapshot", "timestamp")
    ctl("add", tmp_path / "appliance-2.img", "--channel", "stable", "--version", "2.0",
        "--security-version", "4", roles=("stable",) + online)
    ctl("timestamp", roles=online)
    ctl("rotate", "root", "--new-key", keys["root2"], roles=("root",))
    ctl("rotate", "timestamp", "--new-key", keys["timestamp2"], roles=("root2", "snapshot"))
    ctl("rotate", "stable", "--new-key", keys["stable2"], roles=("targets", "snapshot",
                                                                  "timestamp2"))
    ctl("add", tmp_path / "appliance-3-beta.img", "--channel", "beta", "--version", "3.0-rc1",
        "--security-version", "5", roles=("beta", "snapshot", "timestamp2"))
    return repo, images


def test_tufjs_verifies_what_releasectl_writes(released, tmp_path):
    repo, images = released
    out = tufjs(repo, tmp_path / "js", *images).stdout.splitlines()
    got = {line["name"]: line for line in map(json.loads, out)}
    for name, data in images.items():
        assert got[name]["sha256"] == hashlib.sha256(data).hexdigest()
        assert got[name]["length"] == len(data)
    assert got["appliance-2.img"]["custom"] == {"version": "2.0", "security_version": 4}
    assert got["appliance-3-beta.img"]["custom"] == {"version": "3.0-rc1", "security_version": 5}
    root = json.loads((repo / "metadata" / "root.json").read_text())["signed"]
    assert root["version"] == 3 and root["consistent_snapshot"] is True


def test_tufjs_refuses_a_tampered_image_and_timestamp(released, tmp_path):
    repo, images = released
    data = images["appliance-2.img"]
    stored = repo / "targets" / f"{hashlib.sha256(data).hexdigest()}.appliance-2.img"
    stored.write_bytes(data.replace(b"two", b"TWO", 1))
    bad = tufjs(repo, tmp_path / "js1", "appliance-2.img", check=False)
    assert bad.returncode == 1 and "hash" in bad.stderr.lower()
    stored.write_bytes(data)

    ts = repo / "metadata" / "timestamp.json"
    doc = json.loads(ts.read_text())
    doc["signed"]["version"] += 1
    ts.write_text(json.dumps(doc))
    bad = tufjs(repo, tmp_path / "js2", "appliance-2.img", check=False)
    assert bad.returncode == 1 and "timestamp was signed by 0/1 keys" in bad.stderr


def test_updatectl_reads_what_tufjs_models_writes(tmp_path):
    repo = tmp_path / "repo"
    sha256 = run("node", HERE / "make_repo.js", repo).stdout.strip()
    meta = ["--metadata-dir", tmp_path / "client"]
    urls = ["--metadata-url", f"file://{repo}/metadata/", "--target-base-url",
            f"file://{repo}/targets/", "--target-dir", tmp_path / "out"]
    run(UPDATECTL, *meta, "init", repo / "metadata" / "1.root.json")
    refreshed = run(UPDATECTL, *meta, *urls, "refresh").stdout
    assert "root v2, timestamp v1, snapshot v1, targets v1" in refreshed
    got = run(UPDATECTL, *meta, *urls, "--target-name", "appliance-3.img", "--channel", "stable",
              "download").stdout
    assert "listed by stable" in got
    image = (tmp_path / "out" / "appliance-3.img").read_bytes()
    assert hashlib.sha256(image).hexdigest() == sha256

    (repo / "targets" / f"{sha256}.appliance-3.img").write_bytes(image[::-1])
    (tmp_path / "out" / "appliance-3.img").unlink()
    bad = run(UPDATECTL, *meta, *urls, "--target-name", "appliance-3.img", "download",
              check=False)
    assert bad.returncode == 1 and "wrong target: sha256 mismatch" in bad.stderr
