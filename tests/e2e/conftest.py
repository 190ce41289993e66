"""Fixtures for end-to-end tests: real binaries, real processes, loopback only."""
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest

BUILD = pathlib.Path(os.environ.get("APPLIANCE_BUILD_DIR", "build/release")).resolve()
BIN = BUILD / "bin"


def binary(name):
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{path} is not built")
    return str(path)


def wait_for(predicate, timeout=20.0, interval=0.05, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def appliancectl(appliance, *args, stdin=None):
    """Runs `appliancectl --home <the appliance's home> args...`."""
    return subprocess.run([binary("appliancectl"), "--home", str(appliance.home), *args],
                          input=stdin, capture_output=True, text=True, timeout=120)


def appliancectl_ok(appliance, *args, stdin=None):
    """The same, which must succeed; returns its standard output."""
    r = appliancectl(appliance, *args, stdin=stdin)
    assert r.returncode == 0, f"appliancectl {' '.join(args)}: {r.stdout}{r.stderr}"
    return r.stdout


class Appliance:
    """`appliance up` on a state directory of the test's own, on free ports."""

    def __init__(self, home):
        self.home = pathlib.Path(home)
        self.proc = None
        self.output = b""

    def start(self, extra_env=None):
        env = dict(os.environ, **(extra_env or {}))
        self.proc = subprocess.Popen(
            [binary("appliance"), "up", "--home", str(self.home), "--ports", "any"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
        return self

    def endpoints(self):
        path = self.home / "run" / "endpoints.json"
        return json.loads(path.read_text()) if path.exists() else None

    def status(self):
        return subprocess.run([binary("appliance"), "status", "--home", str(self.home)],
                              capture_output=True, text=True, timeout=30)

    def wait_ready(self, timeout=60):
        return wait_for(lambda: self.status().returncode == 0, timeout=timeout,
                        what="every daemon ready")

    def configure(self, settings):
        """Starts once (the first start writes appliance.conf and makes the token),
        stops, puts each section's lines of `settings` at the top of that section
        (appending a section the file does not have yet), and starts again."""
        self.start()
        self.wait_ready()
        assert self.stop() == 0
        path = self.home / "etc" / "appliance.conf"
        text = path.read_text()
        for section, lines in settings.items():
            head, added = f"[{section}]\n", "".join(line + "\n" for line in lines)
            text = (text.replace(head, head + added, 1) if head in text
                    else text + "\n" + head + added)
        path.write_text(text)
        self.start()
        self.wait_ready()
        return self

    def stop(self, sig=signal.SIGTERM, timeout=10):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
        out, _ = self.proc.communicate(timeout=timeout)
        self.output += out or b""
        return self.proc.returncode


@pytest.fixture
def state_dir():
    """A directory the service users can traverse (pytest's own tmp is 0700)."""
    path = pathlib.Path(tempfile.mkdtemp(prefix="appliance-test-"))
    os.chmod(path, 0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def appliance(state_dir):
    a = Appliance(state_dir / "var")
    yield a
    if a.proc and a.proc.poll() is None:
        a.proc.kill()
        a.proc.wait()
