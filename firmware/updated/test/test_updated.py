"""updated, the real daemon, against a repository releasectl wrote, served
from a local directory over file:// URLs: a newer release installed into the
file-backend slot under `install = automatic`; a broken repository logged
with the attack it names while the daemon keeps serving; idle and ready when
no metadata URL is configured; a slot on trial that never passes the health
gate rolled back, with a reboot request left for the root job."""
import contextlib
import json
import os
import pwd
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time

import pytest

RELEASECTL = os.environ.get("RELEASECTL", "")
UPDATED = os.environ.get("UPDATED", "")
ROLES = ("root", "targets", "stable", "beta", "lts", "snapshot", "timestamp")
TEST_USER = "appliance-test"  # the daemon drops to it when the test runs as root


def ctl(*args):
    r = subprocess.run([RELEASECTL, *map(str, args)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    return r


@pytest.fixture
def base():
    # Not under pytest's own directory: the daemon's user must read the repository.
    path = tempfile.mkdtemp(prefix="updated-e2e-")
    os.chmod(path, 0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def make_repository(base):
    repo = os.path.join(base, "repo")
    keys = []
    for role in ROLES:
        key = os.path.join(base, f"{role}.pem")
        ctl("genkey", key)
        keys += ["--key", f"{role}={key}"]
    ctl("--repo", repo, *keys, "init")
    image = os.path.join(base, "appliance-2.0.img")
    with open(image, "wb") as f:
        f.write(b"the 2.0 image")
    ctl("--repo", repo, *keys, "add", image, "--channel", "stable", "--version", "2.0",
        "--security-version", "3")
    return repo


def make_home(base, repo, updated_section):
    home = os.path.join(base, "home")
    update = os.path.join(home, "update")
    os.makedirs(os.path.join(update, "metadata"))
    os.makedirs(os.path.join(update, "slots"))
    os.makedirs(os.path.join(home, "run", "admin"))
    os.makedirs(os.path.join(home, "etc"))
    if repo:  # the trusted root, installed out of band
        shutil.copy(os.path.join(repo, "metadata", "1.root.json"),
                    os.path.join(update, "metadata", "root.json"))
    with open(os.path.join(update, "slots", "slot-a.img"), "wb") as f:
        f.write(b"the factory image")
    factory = {"active": 0, "booted": 0, "security_floor": 2, "slots": [
        {"security_version": 2, "status": "good", "tries_left": 0, "version": "1.0"},
        {"security_version": 0, "status": "empty", "tries_left": 0, "version": ""}]}
    with open(os.path.join(update, "slots", "state.json"), "w") as f:
        json.dump(factory, f)
    user = f"user = {TEST_USER}\n" if os.geteuid() == 0 else ""
    conf = os.path.join(home, "etc", "appliance.conf")
    with open(conf, "w") as f:
        f.write(f"[appliance]\nhome = {home}\n\n[updated]\n{user}{updated_section}")
    if os.geteuid() == 0:
        pw = pwd.getpwnam(TEST_USER)
        for root, dirs, files in os.walk(update):
            for name in [root] + [os.path.join(root, n) for n in dirs + files]:
                os.chown(name, pw.pw_uid, pw.pw_gid)
    return home, conf


def section(repo, install):
    return (f"metadata_url = file://{repo}/metadata/\n"
            f"target_base_url = file://{repo}/targets/\n"
            f"channel = stable\ninstall = {install}\nfirst_check_delay = 0\n")


def health(home):
    """health_request on the admin socket: (ready, reason)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(os.path.join(home, "run", "admin", "updated.sock"))
        s.sendall(struct.pack(">IHH", 4, 1, 10))
        data = b""
        while len(data) < 4 or len(data) < 4 + struct.unpack(">I", data[:4])[0]:
            chunk = s.recv(4096)
            assert chunk, "admin socket closed"
            data += chunk
    _, version, kind = struct.unpack(">IHH", data[:8])
    assert (version, kind) == (1, 11)
    body = data[8:]
    ready = body[0] == 1
    n = struct.unpack(">I", body[1:5])[0]
    rest = body[5 + n:]
    m = struct.unpack(">I", rest[:4])[0]
    return ready, rest[4:4 + m].decode()


def status(home):
    try:
        with open(os.path.join(home, "update", "status.json")) as f:
            return json.load(f)
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def wait_for(predicate, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def first_check(home):
    return wait_for(lambda: (s := status(home)) and s["result"] != "not checked yet" and s,
                    "the first check")


class Daemon:
    def __init__(self, conf):
        self.log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen([UPDATED, "--config", conf], stdout=self.log,
                                     stderr=subprocess.STDOUT, text=True)

    def output(self):
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


@contextlib.contextmanager
def running(conf):
    d = Daemon(conf)
    try:
        yield d
    finally:
        assert d.stop() == 0, d.output()


def test_newer_release_is_installed_into_the_inactive_slot(base):
    repo = make_repository(base)
    home, conf = make_home(base, repo, section(repo, "automatic"))
    with running(conf) as d:
        st = first_check(home)
        assert st["result"] == "installed", (st, d.output())
        assert st["running_version"] == "1.0" and st["pending_version"] == "2.0"
        assert st["available_version"] == "2.0" and st["install"] == "automatic"
        slots = os.path.join(home, "update", "slots")
        with open(os.path.join(slots, "slot-b.img"), "rb") as f:
            assert f.read() == b"the 2.0 image"
        with open(os.path.join(slots, "state.json")) as f:
            state = json.load(f)
        assert state["active"] == 1 and state["booted"] == 0
        assert state["slots"][1]["status"] == "trying" and state["slots"][1]["version"] == "2.0"
        ready, reason = health(home)
        assert ready and "installed" in reason and "pending 2.0" in reason, reason


def test_notify_reports_and_installs_nothing(base):
    repo = make_repository(base)
    home, conf = make_home(base, repo, section(repo, "notify"))
    with running(conf) as d:
        st = first_check(home)
        assert st["result"] == "available" and st["available_version"] == "2.0", st
        assert not os.path.exists(os.path.join(home, "update", "slots", "slot-b.img"))


def test_broken_repository_is_logged_and_the_daemon_keeps_serving(base):
    repo = make_repository(base)
    timestamp = os.path.join(repo, "metadata", "timestamp.json")
    with open(timestamp) as f:
        doc = json.load(f)
    doc["signed"]["version"] += 1  # no longer what the timestamp key signed
    with open(timestamp, "w") as f:
        json.dump(doc, f)
    home, conf = make_home(base, repo, section(repo, "automatic"))
    with running(conf) as d:
        st = first_check(home)
        assert st["result"] == "failed", st
        assert "arbitrary software attack: threshold not met" in st["message"]
        assert d.proc.poll() is None
        ready, reason = health(home)
        assert ready and "failed (arbitrary software attack" in reason, reason
        assert "arbitrary software attack" in d.output()
        assert not os.path.exists(os.path.join(home, "update", "slots", "slot-b.img"))


def test_without_metadata_url_it_is_idle_and_ready(base):
    home, conf = make_home(base, None, "")
    with running(conf) as d:
        ready, reason = wait_for(lambda: os.path.exists(os.path.join(
            home, "run", "admin", "updated.sock")) and health(home), "the admin socket")
        assert ready and reason == "idle: no metadata_url configured"
        assert status(home) is None
        # What the admin socket answers is also left as a file any local user may read.
        report_file = os.path.join(home, "run", "health", "updated", "health.json")
        report = wait_for(lambda: os.path.exists(report_file) and json.load(open(report_file)),
                          "the health report")
        assert report["daemon"] == "updated" and report["ready"] is True, report
        assert report["reason"] == "idle: no metadata_url configured", report
        assert report["pid"] == d.proc.pid, report
        assert oct(os.stat(report_file).st_mode & 0o777) == "0o644"
    assert not os.path.exists(report_file)


def test_a_slot_that_never_passes_the_gate_is_rolled_back_and_a_reboot_requested(base):
    # Booted into slot b on trial; with no other daemon reporting its health, the gate fails.
    home, conf = make_home(base, None, "metadata_url = file:///nonexistent/metadata/\n"
                           "target_base_url = file:///nonexistent/targets/\n"
                           "first_check_delay = 86400\ngate_timeout = 10\n")
    state_file = os.path.join(home, "update", "slots", "state.json")
    with open(state_file) as f:
        state = json.load(f)
    state.update(active=1, booted=1)
    state["slots"][1] = {"security_version": 3, "status": "trying", "tries_left": 2,
                         "version": "2.0"}
    with open(state_file, "w") as f:
        json.dump(state, f)
    request = os.path.join(home, "update", "reboot-request")
    with running(conf) as d:
        wait_for(lambda: os.path.exists(request), "the reboot request")
        with open(request) as f:
            reason = f.read()
        assert reason.startswith("slot b marked bad (health gate failed: services: no daemon "
                                 "reports its health ("), reason
        assert "; keyd: keyd: no report (" in reason, reason
        assert reason.endswith("; reboot into slot a\n") and reason.count("\n") == 1, reason
        wait_for(lambda: "reboot requested" in d.output(), "the log line")
        with open(state_file) as f:
            state = json.load(f)
        assert state["active"] == 0 and state["slots"][1]["status"] == "bad", state
        assert wait_for(lambda: (s := status(home)) and "marked bad" in s["boot"] and s,
                        "the status")


def test_bad_install_policy_refuses_to_start(base):
    home, conf = make_home(base, None, "install = always\n")
    r = subprocess.run([UPDATED, "--config", conf], capture_output=True, text=True, timeout=30)
    assert r.returncode == 78  # a configuration error: not restarted
    assert ("[updated] key 'install': expected one of never, notify, automatic, got 'always'"
            in r.stderr)


def test_block_backend_without_devices_refuses_to_start(base):
    home, conf = make_home(base, None, "slot_backend = block\nslot_device_a = /dev/sda3\n")
    r = subprocess.run([UPDATED, "--config", conf], capture_output=True, text=True, timeout=30)
    assert r.returncode == 78, r.stderr
    assert "keys 'slot_device_a' and 'slot_device_b': two different devices" in r.stderr
